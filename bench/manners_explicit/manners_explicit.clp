;;; Miss Manners with the search order made explicit
;;; (bench/manners_explicit); the CLIPS twin of manners_explicit.sinew,
;;; which says what the program does and how it differs from the classic
;;; one: the newest open seating is extended with the lowest-numbered guest
;;; who fits, by the lowest-numbered shared hobby; a dead end backtracks.
;;; The seating is printed after the run by report.clp, as sinew's query
;;; seats.

(deftemplate guest (slot name) (slot sex) (slot hobby))
(deftemplate last_seat (slot seat))
(deftemplate seating
   (slot seat1) (slot name1) (slot name2) (slot seat2)
   (slot id) (slot pid) (slot path_done))
(deftemplate context (slot state))
(deftemplate path (slot id) (slot name) (slot seat))
(deftemplate chosen (slot id) (slot name) (slot hobby))
(deftemplate count (slot c))

(deffacts control
   (context (state start))
   (count (c 1)))

(defrule assign_first_seat
   ?f1 <- (context (state start))
   (guest (name ?n))
   (not (guest (name ?m&:(< ?m ?n))))
   ?f3 <- (count (c ?c))
   =>
   (assert (seating (seat1 1) (name1 ?n) (name2 ?n) (seat2 1) (id ?c) (pid 0) (path_done yes)))
   (assert (path (id ?c) (name ?n) (seat 1)))
   (modify ?f3 (c (+ ?c 1)))
   (modify ?f1 (state assign_seats)))

(defrule find_seating
   ?f1 <- (context (state assign_seats))
   (seating (seat2 ?seat2) (name2 ?n2) (id ?id) (path_done yes))
   (guest (name ?n2) (sex ?s1) (hobby ?h1))
   (guest (name ?g2) (sex ~?s1) (hobby ?h1))
   ?f5 <- (count (c ?c))
   (not (path (id ?id) (name ?g2)))
   (not (chosen (id ?id) (name ?g2) (hobby ?h1)))
   (not (seating (id ?i&:(> ?i ?id)) (path_done yes)))
   (not (and (guest (name ?n2) (hobby ?h3))
             (guest (name ?g3&:(< ?g3 ?g2)) (sex ~?s1) (hobby ?h3))
             (not (path (id ?id) (name ?g3)))
             (not (chosen (id ?id) (name ?g3) (hobby ?h3)))))
   (not (and (guest (name ?n2) (hobby ?h4&:(< ?h4 ?h1)))
             (guest (name ?g2) (hobby ?h4))
             (not (chosen (id ?id) (name ?g2) (hobby ?h4)))))
   =>
   (assert (seating (seat1 ?seat2) (name1 ?n2) (name2 ?g2) (seat2 (+ ?seat2 1))
                    (id ?c) (pid ?id) (path_done no)))
   (assert (path (id ?c) (name ?g2) (seat (+ ?seat2 1))))
   (assert (chosen (id ?id) (name ?g2) (hobby ?h1)))
   (modify ?f5 (c (+ ?c 1)))
   (modify ?f1 (state make_path)))

(defrule make_path
   (context (state make_path))
   (seating (id ?id) (pid ?pid) (path_done no))
   (path (id ?pid) (name ?n1) (seat ?s))
   (not (path (id ?id) (name ?n1)))
   =>
   (assert (path (id ?id) (name ?n1) (seat ?s))))

(defrule path_done
   (declare (salience -1))
   ?f1 <- (context (state make_path))
   ?f2 <- (seating (path_done no))
   =>
   (modify ?f2 (path_done yes))
   (modify ?f1 (state check_done)))

(defrule are_we_done
   ?f1 <- (context (state check_done))
   (last_seat (seat ?l_seat))
   (seating (seat2 ?l_seat) (path_done yes))
   =>
   (modify ?f1 (state done)))

(defrule continue
   (declare (salience -1))
   ?f1 <- (context (state check_done))
   =>
   (modify ?f1 (state assign_seats)))

(defrule backtrack
   (declare (salience -1))
   (context (state assign_seats))
   ?f2 <- (seating (id ?id) (path_done yes))
   (not (seating (id ?i&:(> ?i ?id)) (path_done yes)))
   =>
   (modify ?f2 (path_done dead)))

(defrule all_done
   (context (state done))
   =>
   (halt))
