;;; report.clp — after the run (bench/engine.sh puts it between (run) and
;;; (exit)): the seating found, one line per seat, "SEAT NAME"; the twin of
;;; manners.sinew's query seats. bench/manners_explicit/report.clp is the
;;; same with that program's words.
(do-for-fact ((?l last_seat) (?s seating)) (eq ?s:seat2 ?l:seat)
   (do-for-all-facts ((?p path)) (eq ?p:id ?s:id)
      (printout t ?p:seat " " ?p:name crlf)))
