# gen.awk — N runner cases, one JSON object a line, for `sinew batch`.
#
#   awk -v n=100000 -v seed=1 -f bench/lib/prng.awk -f bench/batch/gen.awk rules/findings.sinew
#
# The vocabulary is read from the knowledge base's ask declarations (the
# findings of ../shared/findings.md): a template, `multiple` or not, and
# its answers. Each case gives the site (a clinician always records where
# it hurts) and 2 to 10 other findings at random (the knowledge base's own
# cases give 1 to 14 besides the site, 4 in the middle), a `multiple`
# finding one to three of its answers (or none alone), the others one.
# Seeded: the same n and seed give the same file under any awk.

# a grouped question (`ask NAME "..."`, its items other asks' findings)
# is the consultation's way to ask; a case gives the findings themselves
/^ask / && $2 !~ /\./ {
    reading = 0
    next
}
/^ask / {
    split($2, ts, ".")
    t = ts[1]
    nasks++
    name[nasks] = t
    multi[nasks] = ($0 ~ /" multiple/)
    reading = nasks
    nans[reading] = 0
    next
}
reading && /^[ \t]+[a-z0-9_]/ {
    line = $0
    gsub(/[ \t]/, "", line)
    k = split(line, vs, ",")
    for (i = 1; i <= k; i++)
        if (vs[i] != "")
            ans[reading, ++nans[reading]] = vs[i]
    next
}
{ reading = 0 }

# `none` is an answer of its own: never with another
function pick_answers(a,    m, j, s, v, seen, out) {
    m = multi[a] ? 1 + prng_int(3) : 1
    out = ""
    split("", seen)
    for (j = 0; j < m; j++) {
        v = ans[a, 1 + prng_int(nans[a])]
        if (v in seen || (v == "none" && j > 0) || ("none" in seen))
            continue
        seen[v] = 1
        out = out (out == "" ? "" : ",") "\"" v "\""
    }
    return multi[a] ? "[" out "]" : out
}

END {
    prng_seed(seed ? seed : 1)
    for (c = 1; c <= n; c++) {
        line = "{\"id\":\"case" c "\""
        split("", used)
        for (a = 1; a <= nasks; a++)
            if (name[a] == "site") {
                line = line ",\"site\":" pick_answers(a)
                used[a] = 1
            }
        k = 2 + prng_int(9)
        for (j = 0; j < k; j++) {
            a = 1 + prng_int(nasks)
            if (a in used)
                continue
            used[a] = 1
            line = line ",\"" name[a] "\":" pick_answers(a)
        }
        print line "}"
    }
}
