;;; report.clp — after the run (bench/engine.sh puts it between (run) and
;;; (exit)): every path, as "path A C", the twin of sinew's query paths.
(do-for-all-facts ((?p path)) TRUE
   (printout t "path " ?p:from " " ?p:to crlf))
