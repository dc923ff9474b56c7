;;; report.clp — after the run (bench/engine.sh puts it between (run) and
;;; (exit)): the seating found, one line per seat, "seat SEAT nGUEST"; the
;;; twin of manners_explicit.sinew's query seats.
(do-for-fact ((?l last_seat) (?s seating))
      (and (eq ?s:seat2 ?l:seat) (eq ?s:path_done yes))
   (do-for-all-facts ((?p path)) (eq ?p:id ?s:id)
      (printout t "seat " ?p:seat " n" ?p:name crlf)))
