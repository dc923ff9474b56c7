# gen.awk — the rules and facts of gen.sh (with ../lib/prng.awk).
# Variables: r (rules), f (facts; 0: one fact), seed, sw, cw and fw (the
# sinew program, the CLIPS rules and the CLIPS facts, to write). CLIPS
# reads the facts with load-facts: it parses a deffacts in time quadratic in
# its length, and many small ones in time quadratic in their number (50,000
# facts in deffacts of 50: 7 s; the same by load-facts: 0.7 s).
#
# Slots a and b hold symbols (a0..a31, b0..b31), c and d integers (0..31).
# Rule i leaves out slot i mod 4 and tests the other three against
# constants; it asserts hit(id, by): the fact's id and its own number.
# The hits are read after the run: sinew's query hits, CLIPS's report.clp.
function val(s, v) { return s < 2 ? sprintf("%s%d", s == 0 ? "a" : "b", v) : v }
BEGIN {
    prng_seed(seed)
    split("a b c d", sn, " ")
    printf "# Constant tests: %d rules, %d facts, seed %d (bench/constants/gen.sh)\n\n", r, f, seed > sw
    print "template item { id: int  a: symbol  b: symbol  c: int  d: int }" > sw
    print "template hit { id: int  by: int }\n" > sw
    print "query hits()\nwhen\n    hit(id: ?i, by: ?r)\nend\n" > sw
    printf ";;; Constant tests: %d rules, %d facts, seed %d (bench/constants/gen.sh)\n\n", r, f, seed > cw
    print "(deftemplate item (slot id) (slot a) (slot b) (slot c) (slot d))" > cw
    print "(deftemplate hit (slot id) (slot by))\n" > cw

    for (i = 0; i < r; i++) {
        skip = i % 4
        st = ""; ct = ""
        for (s = 0; s < 4; s++) {
            if (s == skip) continue
            v = val(s, prng_int(32))
            st = st sprintf(", %s: %s", sn[s + 1], v)
            ct = ct sprintf(" (%s %s)", sn[s + 1], v)
        }
        printf "rule r%d\nwhen\n    item(id: ?i%s)\nthen\n    assert hit(id: ?i, by: %d)\nend\n\n", i, st, i > sw
        printf "(defrule r%d\n   (item (id ?i)%s)\n   =>\n   (assert (hit (id ?i) (by %d))))\n\n", i, ct, i > cw
    }

    n = f > 0 ? f : 1
    print "facts items {" > sw
    for (j = 0; j < n; j++) {
        a = val(0, prng_int(32)); b = val(1, prng_int(32)); c = prng_int(32); d = prng_int(32)
        printf "    item(id: %d, a: %s, b: %s, c: %d, d: %d)\n", j, a, b, c, d > sw
        printf "(item (id %d) (a %s) (b %s) (c %d) (d %d))\n", j, a, b, c, d > fw
    }
    print "}" > sw
}
