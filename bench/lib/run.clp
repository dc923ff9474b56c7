;;; run.clp — appended by engine.sh after a benchmark's rules and data:
;;; run to the end and report the number of rule firings ("N rules fired",
;;; from the statistics watch item), then leave CLIPS.
(reset)
(watch statistics)
(run)
(exit)
