#!/bin/sh
# structure.sh — the shape docs/engine.md ("Architecture") promises, checked:
# no engine file over 800 lines; the compiler looks no name up (it reads
# the checker's resolution); repl/ includes nothing but the public header
# from the library. Prints PASS/FAIL lines.
long=$(wc -l engine/*.c engine/*.h | awk '$2 != "total" && $1 > 800 { print $2 " (" $1 " lines)" }')
if [ -z "$long" ]; then
    echo "PASS engine files are at most 800 lines"
else
    echo "FAIL engine files over 800 lines: $long"
fi
lookups=$(grep -nE '\b(tmpl_find|slot_index|builtin_find|sym_lookup|map_get)\(' \
    engine/compile.c engine/decls.c)
if [ -z "$lookups" ]; then
    echo "PASS the compiler looks no name up"
else
    echo "FAIL name lookups in the compiler: $lookups"
fi
private=$(grep -nE '#include "\.\./(engine|grammar|base)/' repl/*.c repl/*.h)
if [ -z "$private" ]; then
    echo "PASS repl/ includes only the public header"
else
    echo "FAIL repl/ includes the library's private headers: $private"
fi
