# gen.awk — the rules and readings of gen.sh (with ../lib/prng.awk and
# ../lib/clips.awk).
# Variables: r (rules), f (readings), seed, sw and cw (the sinew and CLIPS
# files to write).
BEGIN {
    prng_seed(seed)
    half = int(r / 2)
    sensors = int(half * 6 / 5)         # a sixth of the sensors have no rule
    split("temp pressure humidity", kinds, " ")

    printf "# Alpha dispatch: %d rules, %d readings, seed %d (bench/alpha/gen.sh)\n\n", r, f, seed > sw
    print "template reading { sensor: symbol  kind: symbol  value: int }" > sw
    print "template alarm { by: int  value: int }\n" > sw
    print "query alarms()\nwhen\n    alarm(by: ?r, value: ?v)\nend\n" > sw
    printf ";;; Alpha dispatch: %d rules, %d readings, seed %d (bench/alpha/gen.sh)\n\n", r, f, seed > cw
    print "(deftemplate reading (slot sensor) (slot kind) (slot value))" > cw
    print "(deftemplate alarm (slot by) (slot value))\n" > cw

    # rule i tests sensor s(i mod half), kind temp (first half) or pressure
    # (second half), and a value above its own threshold; it asserts
    # alarm(by: i, value), read after the run (sinew's query alarms, CLIPS's
    # report.clp). Readings are a set, so no two firings make the same alarm.
    for (i = 0; i < r; i++) {
        s = i % half
        k = i < half ? "temp" : "pressure"
        t = prng_int(100)
        printf "rule r%d\nwhen\n    reading(sensor: s%d, kind: %s, value: ?v & > %d)\nthen\n    assert alarm(by: %d, value: ?v)\nend\n\n", i, s, k, t, i > sw
        printf "(defrule r%d\n   (reading (sensor s%d) (kind %s) (value ?v&:(> ?v %d)))\n   =>\n   (assert (alarm (by %d) (value ?v))))\n\n", i, s, k, t, i > cw
    }

    print "facts readings {" > sw
    clp_begin("readings")
    for (j = 0; j < f; j++) {
        s = prng_int(sensors)
        k = kinds[prng_int(3) + 1]
        v = prng_int(100)
        printf "    reading(sensor: s%d, kind: %s, value: %d)\n", s, k, v > sw
        clp_fact(sprintf("(reading (sensor s%d) (kind %s) (value %d))", s, k, v))
    }
    print "}" > sw
    clp_end()
}
