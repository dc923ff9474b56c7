#!/bin/sh
# gen.sh GUESTS FORMAT — Miss Manners data, as the classic generator makes
# it: half the guests of each sex, each with 2 or 3 of 3 hobbies (so any
# two guests share one and a seating always exists), one guest fact per
# hobby; the table has GUESTS seats. FORMAT is sinew or clips. Seeded: the
# same data every time.
set -eu
n=$1
fmt=$2
awk -v n="$n" -v fmt="$fmt" 'BEGIN {
    srand(n * 7919 + 17)
    hobbies = 3
    if (fmt == "sinew") print "facts data {"; else print "(deffacts data"
    for (i = 1; i <= n; i++) {
        sex = (i % 2) ? "m" : "f"
        k = 2 + int(rand() * 2)
        delete have
        for (j = 0; j < k; j++) {
            do h = 1 + int(rand() * hobbies); while (h in have)
            have[h] = 1
            if (fmt == "sinew")
                printf "    guest(name: n%d, sex: %s, hobby: %d)\n", i, sex, h
            else
                printf "    (guest (name n%d) (sex %s) (hobby %d))\n", i, sex, h
        }
    }
    if (fmt == "sinew") {
        printf "    last_seat(seat: %d)\n    count(c: 1)\n    context(state: start)\n}\n", n
    } else {
        printf "    (last_seat (seat %d))\n    (count (c 1))\n    (context (state start)))\n", n
        print "(reset)\n(run)\n(exit)"
    }
}'
