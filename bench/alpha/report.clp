;;; report.clp — after the run (bench/engine.sh puts it between (run) and
;;; (exit)): every alarm, as "alarm rRULE VALUE", the twin of the query
;;; alarms of the sinew program gen.sh writes.
(do-for-all-facts ((?a alarm)) TRUE
   (printout t "alarm r" ?a:by " " ?a:value crlf))
