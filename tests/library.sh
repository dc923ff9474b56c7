#!/bin/sh
# library.sh BUILD_DIR TMP — the library's edge, as an embedder meets it:
# libsinew.a exports sn_ names only (internals are local to it), and a
# program that includes only the public header (BUILD_DIR/include) and
# links only the library builds and runs. Prints PASS/FAIL lines.
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

cat > "$TMP/embed.c" <<'C'
#include <stdio.h>
#include <string.h>

#include "sinew.h"

int main(void)
{
    sn_engine *e = sn_new();
    const char *kb = "template t { v: int }\nrule double when t(v: ?x & < 50) then "
                     "assert t(v: ?x * 2) end\n";
    sn_report r = {0};
    if (!e || !sn_load_string(e, "kb.sinew", kb, strlen(kb), &r)) {
        fprintf(stderr, "%s", r.text ? r.text : "no engine\n");
        return 1;
    }
    sn_assert_string(e, "t(v: 3)", NULL);
    uint64_t fired = 0;
    sn_run(e, -1, &fired);
    sn_fact *out[16];
    long n = sn_query(e, "t(v: > 50)", out, 16, NULL);
    printf("fired %llu, %ld fact over 50: v %s\n", (unsigned long long)fired, n,
           n == 1 ? sn_fact_value(out[0], 0, (char[32]){0}, 32) : "?");
    sn_report_free(&r);
    sn_free(e);
    return 0;
}
C
if $CC -I"$B/include" -o "$TMP/embed" "$TMP/embed.c" "$B/libsinew.a" $LDFLAGS \
        -lreadline -ljansson -lm > "$TMP/embed.log" 2>&1 &&
    out=$("$TMP/embed" 2>&1) && [ "$out" = "fired 5, 1 fact over 50: v 96" ]; then
    echo "PASS embed: a program with the public header and the library alone"
else
    echo "FAIL embed: $(cat "$TMP/embed.log") ${out:-}"
fi
