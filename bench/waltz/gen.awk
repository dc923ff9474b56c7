# gen.awk — the drawing of gen.sh (with ../lib/prng.awk and
# ../lib/clips.awk). Variables: n (regions), seed, sw and cw (the sinew
# and CLIPS files to write).
#
# One region: a box, and a second box behind it and above to the right,
# partly hidden by the first; drawn in oblique projection. Its 15 points
# (x, y, y up) and 20 lines:
#
#   front box: 1 (0,0)  2 (4,0)  3 (0,4)  4 (4,4)  5 (2,6)  7 (6,6)  8 (6,2)
#   where the back box's lines disappear behind it: 6 (3,6)  9 (6,3)
#   back box:  10 (3,7)  11 (7,7)  12 (7,3)  13 (5,9)  14 (9,9)  15 (9,5)
#
# 4, 11 are forks; 2, 3, 7, 10, 12, 14 arrows; 6, 9 tees; the rest Ls.
BEGIN {
    split("0 4 0 4 2 3 6 6 6 3 7 7 5 9 9", X, " ")
    split("0 0 4 4 6 6 6 2 3 7 7 3 9 9 5", Y, " ")
    split("1-2 2-4 4-3 3-1 3-5 5-6 6-7 7-4 2-8 8-9 9-7 6-10 10-11 11-12 12-9 11-14 10-13 13-14 12-15 15-14", L, " ")
    # the outline, clockwise
    nb = split("1 3 5 6 10 13 14 15 12 9 8 2", B, " ")

    prng_seed(seed)
    printf "# %d regions, seed %d (bench/waltz/gen.sh)\nfacts drawing {\n", n, seed > sw
    printf ";;; %d regions, seed %d (bench/waltz/gen.sh)\n", n, seed > cw
    clp_begin("drawing")
    for (r = 0; r < n; r++) {
        # each region: its own place, size (x1, x2 or x3) and handedness
        s = 1 + prng_int(3)
        m = prng_int(2)
        ox = (r % 10) * 30
        oy = int(r / 10) * 30
        base = r * 16
        for (k = 1; k <= 15; k++) {
            x = ox + (m ? 9 - X[k] : X[k]) * s
            y = oy + Y[k] * s
            printf "    pt(id: %d, x: %d, y: %d)\n", base + k, x, y > sw
            clp_fact(sprintf("(pt (id %d) (x %d) (y %d))", base + k, x, y))
        }
        for (k = 1; k <= 20; k++) {
            split(L[k], e, "-")
            a = base + e[1]; b = base + e[2]
            if (prng_int(2)) { t = a; a = b; b = t }
            printf "    line(p1: %d, p2: %d)\n", a, b > sw
            clp_fact(sprintf("(line (p1 %d) (p2 %d))", a, b))
        }
        # mirrored, the outline runs the other way round
        for (k = 1; k <= nb; k++) {
            a = base + B[k]; b = base + B[k % nb + 1]
            if (m) { t = a; a = b; b = t }
            printf "    boundary(from: %d, to: %d)\n", a, b > sw
            clp_fact(sprintf("(boundary (from %d) (to %d))", a, b))
        }
    }
    print "}" > sw
    clp_end()
}
