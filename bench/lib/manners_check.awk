# manners_check.awk — is a Miss Manners answer a good seating? Reads the
# guests (the sinew data file of bench/manners or bench/manners_explicit)
# and then the answer, one seat a line ("seat S nG" or "S nG"): every guest
# seated once, seats 1..N each taken once, and each two neighbours of the
# other sex with a hobby in common. Prints what is wrong and exits 1, or
# prints nothing.
#   awk -f manners_check.awk DATA.sinew ANSWER
function guest_name(g) { sub(/^n/, "", g); return g }
FNR == NR {
    if ($1 ~ /^guest\(/) {
        g = $2; sub(/,$/, "", g); g = guest_name(g)
        s = $4; sub(/,$/, "", s)
        h = $6; sub(/\)$/, "", h)
        if (!(g in sex)) n_guests++
        sex[g] = s; hob[g, h] = 1; hobs[g] = hobs[g] " " h
    }
    next
}
{
    if ($1 == "seat") { seat = $2; g = $3 } else { seat = $1; g = $2 }
    if (NF != ($1 == "seat" ? 3 : 2) || seat !~ /^[0-9]+$/) {
        print "unexpected line: " $0; bad = 1; next
    }
    g = guest_name(g)
    if (seat in at) { print "seat " seat " taken twice"; bad = 1 }
    if (g in placed) { print "guest " g " seated twice"; bad = 1 }
    if (!(g in sex)) { print "no guest " g; bad = 1 }
    at[seat] = g; placed[g] = 1; seats++
}
END {
    if (seats != n_guests) { print seats " seats for " n_guests " guests"; bad = 1 }
    for (s = 1; s < n_guests; s++) {
        a = at[s]; b = at[s + 1]
        if (a == "" || b == "") { print "seat " s " or " s + 1 " empty"; bad = 1; continue }
        if (sex[a] == sex[b]) { print "seats " s ", " s + 1 ": same sex"; bad = 1 }
        k = split(hobs[a], ha, " "); shared = 0
        for (i = 1; i <= k; i++) if ((b, ha[i]) in hob) shared = 1
        if (!shared) { print "seats " s ", " s + 1 ": no hobby in common"; bad = 1 }
    }
    exit bad
}
