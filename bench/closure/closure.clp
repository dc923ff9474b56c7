;;; Transitive closure of a directed graph (bench/closure); the CLIPS twin
;;; of closure.sinew. The edges come from gen.sh (closure_N.clp). The paths
;;; are printed after the run by report.clp, as sinew prints its query's
;;; rows: one pass over the path facts once the closure is complete.

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
