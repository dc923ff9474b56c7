# gen.awk — the guests of gen.sh (with ../lib/prng.awk and
# ../lib/clips.awk). Variables: n (guests), h (hobbies), seed, sw and cw
# (the sinew and CLIPS files to write).
BEGIN {
    prng_seed(seed)
    # half the guests are men and half women, in a random order
    for (i = 1; i <= n; i++) sex[i] = i <= n / 2 ? "m" : "f"
    for (i = n; i > 1; i--) {
        j = prng_int(i) + 1
        t = sex[i]; sex[i] = sex[j]; sex[j] = t
    }
    printf "# %d guests, %d hobbies, seed %d (bench/manners_explicit/gen.sh)\nfacts guests {\n", n, h, seed > sw
    printf ";;; %d guests, %d hobbies, seed %d (bench/manners_explicit/gen.sh)\n", n, h, seed > cw
    clp_begin("guests")
    for (i = 1; i <= n; i++) {
        # 2 to 4 different hobbies out of 1..h, in increasing order
        k = 2 + prng_int(3)
        split("", has)
        for (c = 0; c < k; ) {
            x = prng_int(h) + 1
            if (!(x in has)) { has[x] = 1; c++ }
        }
        for (x = 1; x <= h; x++) {
            if (!(x in has)) continue
            printf "    guest(name: %d, sex: %s, hobby: %d)\n", i, sex[i], x > sw
            clp_fact(sprintf("(guest (name %d) (sex %s) (hobby %d))", i, sex[i], x))
        }
    }
    printf "    last_seat(seat: %d)\n}\n", n > sw
    clp_fact(sprintf("(last_seat (seat %d))", n))
    clp_end()
}
