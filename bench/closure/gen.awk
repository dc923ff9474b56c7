# gen.awk — the graph of gen.sh (with ../lib/prng.awk and ../lib/clips.awk).
# Variables: n, seed, sw (the sinew file), cw (the CLIPS file).
BEGIN {
    prng_seed(seed)
    m = 2 * n
    printf "# %d nodes, %d edges, seed %d (bench/closure/gen.sh)\nfacts graph {\n", n, m, seed > sw
    printf ";;; %d nodes, %d edges, seed %d (bench/closure/gen.sh)\n", n, m, seed > cw
    clp_begin("graph")
    k = 0
    while (k < m) {
        a = prng_int(n) + 1
        b = prng_int(n) + 1
        if (a == b || ((a, b) in seen)) continue
        seen[a, b] = 1
        k++
        printf "    edge(from: %d, to: %d)\n", a, b > sw
        clp_fact(sprintf("(edge (from %d) (to %d))", a, b))
    }
    print "}" > sw
    clp_end()
}
