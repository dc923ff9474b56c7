#!/bin/sh
# library.sh BUILD_DIR TMP — the library's edge, as an embedder meets it:
# libsinew.a exports sn_ names only (internals are local to it), and a
# program that includes only the public header (BUILD_DIR/include) and
# links only the library (docs/examples/embed.c) builds and runs. Prints PASS/FAIL lines.
# CC and LDFLAGS come from the environment (make test passes them).
B=$1
TMP=$2
CC=${CC:-cc}

syms=$(nm -g --defined-only "$B/libsinew.a" | awk 'NF == 3 { print $3 }')
other=$(printf '%s\n' "$syms" | grep -v '^sn_' | head -n 10 | tr '\n' ' ')
if [ -z "$other" ] && printf '%s\n' "$syms" | grep -qx 'sn_new'; then
    echo "PASS exports: $(printf '%s\n' "$syms" | wc -l) names, all sn_"
else
    echo "FAIL exports: names without sn_: $other"
fi

# docs/examples/embed.c, the example the docs show
if $CC -I"$B/include" -o "$TMP/embed" docs/examples/embed.c "$B/libsinew.a" $LDFLAGS -lm \
        > "$TMP/embed.log" 2>&1 &&
    "$TMP/embed" > "$TMP/embed.out" 2>&1 &&
    [ "$(head -n 3 "$TMP/embed.out")" = "$(printf 'fired 7, 1 reading over 50: 96\npace 4.5 min/km\nalert cf 0.80')" ] &&
    grep -q 'concluded by rule high (embed.sinew:5)' "$TMP/embed.out"; then
    echo "PASS embed: docs/examples/embed.c with the public header and the library alone"
else
    echo "FAIL embed: $(cat "$TMP/embed.log" "$TMP/embed.out" 2>/dev/null)"
fi
