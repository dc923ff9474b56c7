;;; Transitive closure of a directed graph (bench/closure); the CLIPS twin
;;; of closure.sinew. The edges come from gen.sh (closure_N.clp).

(deftemplate edge (slot from) (slot to))
(deftemplate path (slot from) (slot to))

(defrule base
   (edge (from ?a) (to ?b))
   =>
   (assert (path (from ?a) (to ?b))))

(defrule extend
   (edge (from ?a) (to ?b))
   (path (from ?b) (to ?c))
   =>
   (assert (path (from ?a) (to ?c))))

(defrule report
   (declare (salience -1))
   (path (from ?a) (to ?c))
   =>
   (printout t "path " ?a " " ?c crlf))
