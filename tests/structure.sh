#!/bin/sh
# structure.sh — the shape docs/engine.md ("Architecture") promises, checked:
# no engine file over 800 lines; the compiler looks no name up (it reads
# the checker's resolution); repl/ includes nothing but the public header
# from the library; the scanner's list of keywords for data facts is its
# keyword rules. Prints PASS/FAIL lines.
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
# lexer.l's is_keyword (a data fact read whole) must know every word a rule
# of the scanner makes a keyword, and no other
rules=$(grep -oE '^"[a-z]+" +return TK_' grammar/lexer.l | grep -oE '^"[a-z]+"' | tr -d '"' | sort | tr '\n' ' ')
table=$(sed -n '/by_len\[\]\[9\] = {/,/};/p' grammar/lexer.l | grep -oE '"[a-z]+"' | tr -d '"' |
    sort | tr '\n' ' ')
if [ -n "$rules" ] && [ "$rules" = "$table" ]; then
    echo "PASS the scanner's keyword table is its keyword rules"
else
    echo "FAIL lexer.l: keyword rules ($rules) and is_keyword's table ($table) differ"
fi
