;;; Fact churn (bench/churn); the CLIPS twin of churn.sinew: 333,334
;;; modifies of the counter, 333,334 asserts and 333,334 retracts of items.

(deftemplate counter (slot n))
(deftemplate item (slot id))

(deffacts start
   (counter (n 0)))

(defrule step
   ?c <- (counter (n ?n&:(< ?n 333334)))
   =>
   (modify ?c (n (+ ?n 1)))
   (assert (item (id ?n))))

(defrule drop
   ?i <- (item)
   =>
   (retract ?i))

(defrule done
   (counter (n ?n&:(>= ?n 333334)))
   =>
   (printout t "counter " ?n crlf))
