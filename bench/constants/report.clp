;;; report.clp — after the run (bench/engine.sh puts it between (run) and
;;; (exit)): every hit, as "hit ID rRULE", the twin of the query hits of
;;; the sinew program gen.sh writes.
(do-for-all-facts ((?h hit)) TRUE
   (printout t "hit " ?h:id " r" ?h:by crlf))
