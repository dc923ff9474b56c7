;;; Waltz line labelling (bench/waltz); the CLIPS twin of waltz.sinew,
;;; which explains the rules and the labels.

(deftemplate pt (slot id) (slot x) (slot y))
(deftemplate line (slot p1) (slot p2))
(deftemplate boundary (slot from) (slot to))
(deftemplate edge (slot from) (slot to))
(deftemplate junction (slot id) (slot type) (slot a1) (slot a2) (slot a3))
(deftemplate legal (slot type) (slot n) (slot l1) (slot l2) (slot l3 (default none)))
(deftemplate compat (slot a) (slot b))
(deftemplate cand (slot j) (slot n))
(deftemplate lab (slot j) (slot n) (slot to) (slot l))

;;; the z component of (A - P) x (B - P)
(deffunction cross (?px ?py ?ax ?ay ?bx ?by)
   (- (* (- ?ax ?px) (- ?by ?py)) (* (- ?ay ?py) (- ?bx ?px))))

;;; (A - P) . (B - P)
(deffunction dot (?px ?py ?ax ?ay ?bx ?by)
   (+ (* (- ?ax ?px) (- ?bx ?px)) (* (- ?ay ?py) (- ?by ?py))))

(deffacts catalogue
   (legal (type L) (n 1) (l1 in) (l2 out))
   (legal (type L) (n 2) (l1 out) (l2 in))
   (legal (type L) (n 3) (l1 plus) (l2 out))
   (legal (type L) (n 4) (l1 in) (l2 plus))
   (legal (type L) (n 5) (l1 minus) (l2 in))
   (legal (type L) (n 6) (l1 out) (l2 minus))
   (legal (type fork) (n 1) (l1 plus) (l2 plus) (l3 plus))
   (legal (type fork) (n 2) (l1 minus) (l2 minus) (l3 minus))
   (legal (type fork) (n 3) (l1 minus) (l2 out) (l3 in))
   (legal (type fork) (n 4) (l1 in) (l2 minus) (l3 out))
   (legal (type fork) (n 5) (l1 out) (l2 in) (l3 minus))
   (legal (type arrow) (n 1) (l1 in) (l2 plus) (l3 out))
   (legal (type arrow) (n 2) (l1 plus) (l2 minus) (l3 plus))
   (legal (type arrow) (n 3) (l1 minus) (l2 plus) (l3 minus))
   (legal (type tee) (n 1) (l1 out) (l2 plus) (l3 in))
   (legal (type tee) (n 2) (l1 out) (l2 minus) (l3 in))
   (legal (type tee) (n 3) (l1 out) (l2 in) (l3 in))
   (legal (type tee) (n 4) (l1 out) (l2 out) (l3 in))
   (compat (a plus) (b plus))
   (compat (a minus) (b minus))
   (compat (a in) (b out))
   (compat (a out) (b in)))

(defrule reverse_edges
   (declare (salience 40))
   (line (p1 ?a) (p2 ?b))
   =>
   (assert (edge (from ?a) (to ?b)))
   (assert (edge (from ?b) (to ?a))))

(defrule make_L
   (declare (salience 30))
   (edge (from ?p) (to ?a))
   (edge (from ?p) (to ?b&~?a))
   (not (edge (from ?p) (to ~?a&~?b)))
   (pt (id ?p) (x ?px) (y ?py))
   (pt (id ?a) (x ?ax) (y ?ay))
   (pt (id ?b) (x ?bx) (y ?by))
   (test (> (cross ?px ?py ?ax ?ay ?bx ?by) 0))
   =>
   (assert (junction (id ?p) (type L) (a1 ?a) (a2 ?b) (a3 0))))

(defrule make_fork
   (declare (salience 30))
   (edge (from ?p) (to ?a))
   (edge (from ?p) (to ?b&~?a))
   (edge (from ?p) (to ?c&~?a&~?b))
   (not (edge (from ?p) (to ~?a&~?b&~?c)))
   (pt (id ?p) (x ?px) (y ?py))
   (pt (id ?a) (x ?ax) (y ?ay))
   (pt (id ?b) (x ?bx) (y ?by))
   (pt (id ?c) (x ?cx) (y ?cy))
   (test (and (< ?a ?b) (< ?a ?c)))
   (test (and (> (cross ?px ?py ?ax ?ay ?bx ?by) 0)
              (> (cross ?px ?py ?bx ?by ?cx ?cy) 0)
              (> (cross ?px ?py ?cx ?cy ?ax ?ay) 0)))
   =>
   (assert (junction (id ?p) (type fork) (a1 ?a) (a2 ?b) (a3 ?c))))

(defrule make_arrow
   (declare (salience 30))
   (edge (from ?p) (to ?a))
   (edge (from ?p) (to ?b&~?a))
   (edge (from ?p) (to ?c&~?a&~?b))
   (not (edge (from ?p) (to ~?a&~?b&~?c)))
   (pt (id ?p) (x ?px) (y ?py))
   (pt (id ?a) (x ?ax) (y ?ay))
   (pt (id ?b) (x ?bx) (y ?by))
   (pt (id ?c) (x ?cx) (y ?cy))
   (test (and (> (cross ?px ?py ?ax ?ay ?bx ?by) 0)
              (> (cross ?px ?py ?bx ?by ?cx ?cy) 0)
              (> (cross ?px ?py ?ax ?ay ?cx ?cy) 0)))
   =>
   (assert (junction (id ?p) (type arrow) (a1 ?a) (a2 ?b) (a3 ?c))))

(defrule make_tee
   (declare (salience 30))
   (edge (from ?p) (to ?a))
   (edge (from ?p) (to ?b&~?a))
   (edge (from ?p) (to ?c&~?a&~?b))
   (not (edge (from ?p) (to ~?a&~?b&~?c)))
   (pt (id ?p) (x ?px) (y ?py))
   (pt (id ?a) (x ?ax) (y ?ay))
   (pt (id ?b) (x ?bx) (y ?by))
   (pt (id ?c) (x ?cx) (y ?cy))
   (test (and (= (cross ?px ?py ?ax ?ay ?cx ?cy) 0)
              (< (dot ?px ?py ?ax ?ay ?cx ?cy) 0)
              (> (cross ?px ?py ?ax ?ay ?bx ?by) 0)))
   =>
   (assert (junction (id ?p) (type tee) (a1 ?a) (a2 ?b) (a3 ?c))))

(defrule label_L
   (declare (salience 20))
   (junction (id ?j) (type L) (a1 ?x) (a2 ?y))
   (legal (type L) (n ?n) (l1 ?l1) (l2 ?l2))
   =>
   (assert (cand (j ?j) (n ?n)))
   (assert (lab (j ?j) (n ?n) (to ?x) (l ?l1)))
   (assert (lab (j ?j) (n ?n) (to ?y) (l ?l2))))

(defrule label_3
   (declare (salience 20))
   (junction (id ?j) (type ?t&~L) (a1 ?x) (a2 ?y) (a3 ?z))
   (legal (type ?t) (n ?n) (l1 ?l1) (l2 ?l2) (l3 ?l3))
   =>
   (assert (cand (j ?j) (n ?n)))
   (assert (lab (j ?j) (n ?n) (to ?x) (l ?l1)))
   (assert (lab (j ?j) (n ?n) (to ?y) (l ?l2)))
   (assert (lab (j ?j) (n ?n) (to ?z) (l ?l3))))

(defrule boundary_out
   (declare (salience 10))
   (boundary (from ?j) (to ?k))
   ?c <- (cand (j ?j) (n ?n))
   (lab (j ?j) (n ?n) (to ?k) (l ~out))
   =>
   (retract ?c))

(defrule boundary_in
   (declare (salience 10))
   (boundary (from ?k) (to ?j))
   ?c <- (cand (j ?j) (n ?n))
   (lab (j ?j) (n ?n) (to ?k) (l ~in))
   =>
   (retract ?c))

(defrule prune
   ?c <- (cand (j ?j) (n ?n))
   (lab (j ?j) (n ?n) (to ?k) (l ?x))
   (compat (a ?x) (b ?y))
   (not (and (cand (j ?k) (n ?m))
             (lab (j ?k) (n ?m) (to ?j) (l ?y))))
   =>
   (retract ?c))

(defrule report_junction
   (declare (salience -10))
   (cand (j ?j) (n ?n))
   (junction (id ?j) (type ?t))
   =>
   (printout t "junction " ?j " " ?t " " ?n crlf))

(defrule report_label
   (declare (salience -10))
   (cand (j ?j) (n ?n))
   (lab (j ?j) (n ?n) (to ?k) (l ?l))
   =>
   (printout t "label " ?j " " ?k " " ?l crlf))
