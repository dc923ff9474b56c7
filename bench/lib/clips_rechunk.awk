# clips_rechunk.awk — copy a CLIPS file, splitting each deffacts into
# blocks of 50 facts (see clips.awk: CLIPS 6.30 parses one long deffacts
# in quadratic time); everything from a line "(reset)" on is left out, so
# that engine.sh can add its own run.clp. A deffacts must have one fact a
# line, its name on the "(deffacts NAME" line, and the closing ")" after
# the last fact. Writes to the file named by cw.
/^\(reset\)$/ { exit }
/^\(deffacts / { name = $2; clp_begin(name); inside = 1; next }
inside && /^[ \t]*\(/ {
    line = $0
    sub(/^[ \t]+/, "", line)
    # the deffacts' own ")" on the last fact
    if (gsub(/\(/, "(", line) < gsub(/\)/, ")", line)) { sub(/\)[ \t]*$/, "", line); inside = 0 }
    clp_fact(line)
    if (!inside) clp_end()
    next
}
inside && /^[ \t]*\)[ \t]*$/ { inside = 0; clp_end(); next }
{ print > cw }
