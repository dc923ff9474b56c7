#!/bin/sh
# gen_rules.sh N — a check-clean sinew program of N rules, on standard
# output, for the front end benchmark. The rules vary in shape: constant
# tests, joins, negation, tests, or-alternatives, several kinds of action.
awk -v n="${1:-10000}" 'BEGIN {
    print "template finding { kind: symbol  site: symbol  severity: int = 0  note: string = \"\" }"
    print "template episode { id: int  week: int = 1  load: float = 1.0 }"
    print "template diagnosis { name: symbol  grade: symbol = none }"
    print "template advice { text: string }"
    print "ask finding.kind \"Which finding?\" pain, ache, numbness, tingling, bruise"
    print "facts { finding(kind: pain, site: s0, severity: 5) episode(id: 1) }"
    for (i = 0; i < n; i++) {
        printf "rule r%d\n    \"Generated rule %d.\"\n    cites \"00%d_generated.txt\"\n", i, i, i % 5
        printf "    salience %d\nwhen\n", i % 11 - 5
        shape = i % 5
        if (shape == 0) {
            printf "    finding(kind: pain, site: s%d, severity: ?v & > %d)\n", i, i % 7
            printf "    not diagnosis(name: d%d)\n    test ?v * 2 < 100\n", i
        } else if (shape == 1) {
            printf "    ?e <- episode(id: ?id, week: ?w)\n"
            printf "    finding(kind: ache | pain, site: s%d, severity: ?s)\n", i
            printf "    test ?s >= ?w && ?id != %d\n", i
        } else if (shape == 2) {
            printf "    finding(kind: numbness, site: s%d) or finding(kind: tingling, site: s%d)\n", i, i
            printf "    exists episode(load: >= 0.5)\n"
        } else if (shape == 3) {
            printf "    finding(kind: bruise, site: ?x & != s%d, note: ?n)\n", i
            printf "    forall episode(id: ?k) { finding(kind: pain, severity: > ?k) }\n"
            printf "    test length(?n) < 200 && starts_with(?x, \"s\")\n"
        } else {
            printf "    { finding(kind: pain, site: s%d) finding(kind: ache, site: s%d) }\n", i, i
            printf "    not { diagnosis(name: d%d) diagnosis(name: e%d) }\n", i, i
        }
        printf "then\n"
        if (shape == 0)
            printf "    conclude diagnosis(name: d%d) cf 0.%d\n    print \"r%d fired\", ?v\n", i, i % 9 + 1, i
        else if (shape == 1)
            printf "    modify ?e (week: ?w + 1, load: ?s / 10.0)\n    bind ?t = max(?s, ?w) * 2\n    assert advice(text: concat(\"t=\", ?t))\n"
        else if (shape == 2)
            printf "    conclude diagnosis(name: d%d, grade: mild) cf -0.%d\n", i, i % 9 + 1
        else if (shape == 3)
            printf "    recommend concat(\"see \", ?x, \" \", ?n) cites \"001_generated.txt\"\n"
        else
            printf "    assert diagnosis(name: e%d)\n    assert diagnosis(name: d%d)\n", i, i
        printf "end\n\n"
    }
}'
