#!/bin/sh
# install.sh BUILD_DIR — `make install` after a plain `make`, as a user
# would: into a fresh PREFIX, then the installed sinew is run from a folder
# with no knowledge base of its own, on the installed rules; the prefix is
# moved (nothing of it is compiled in); the man pages render cleanly and
# every path they name is installed; a C and a C++ program build against
# the installed library with pkg-config; a DESTDIR install works the same; and
# `make uninstall` leaves each prefix empty. Prints a PASS or FAIL line per
# check.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "$1" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sinew-install.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
P=$TMP/prefix
mkdir -p "$TMP/elsewhere"

# The build being tested is BUILD_DIR, already made: `make` here only
# installs. A parent make's job server is not ours to use.
unset MAKEFLAGS MFLAGS
mk() { make -s --no-print-directory -C "$ROOT" BUILD="$B" ${SANITIZE:+SANITIZE=$SANITIZE} "$@"; }

ok() { echo "PASS install/$1"; }
no() { echo "FAIL install/$1: $2"; }

# ---- into PREFIX ----
if ! mk -q all; then
    no built "$B is not up to date: run make first (install must not build it differently)"
    exit 1
fi
if mk install PREFIX="$P" > "$TMP/install.log" 2>&1; then
    ok make-install
else
    no make-install "make install PREFIX=$P failed"; sed 's/^/    | /' "$TMP/install.log"
fi
for f in bin/sinew libexec/sinew/sinew-serve lib/libsinew.a lib/libsinew.so.0 lib/pkgconfig/sinew.pc include/sinew/sinew.h share/man/man1/sinew.1 \
    share/man/man7/sinew-lang.7 share/doc/sinew/LICENSE share/doc/sinew/README.md \
    share/doc/sinew/language.md share/doc/sinew/engine.md share/sinew/rules/findings.sinew \
    share/vim/vimfiles/syntax/sinew.vim share/vim/vimfiles/ftdetect/sinew.vim \
    share/sinew/editors/vscode/package.json share/sinew/editors/vscode/extension.js \
    share/sinew/editors/vscode/syntaxes/sinew.tmLanguage.json; do
    [ -f "$P/$f" ] || { no files "$f was not installed"; files_ok=0; }
done
[ "${files_ok:-1}" = 1 ] && [ -x "$P/bin/sinew" ] && ok files

# run from another folder, with no rules/ there and none named
cd "$TMP/elsewhere" || exit 1
unset SINEW_RULES
installed() {
    name=$1 sinew=$2
    if "$sinew" check --werror > "$TMP/check.out" 2>&1 && grep -q '^checked [0-9]* files: .* no problems' "$TMP/check.out"; then
        ok "$name-check"
    else
        no "$name-check" "the installed sinew did not check the installed rules"; sed 's/^/    | /' "$TMP/check.out"
    fi
    printf 'site(value: posterior_thigh)\nonset(value: sudden)\npop(value: yes)\n' > case.facts
    if "$sinew" run --facts case.facts > "$TMP/run.out" 2>&1 && grep -q 'diagnosis(name: hamstring_strain)' "$TMP/run.out"; then
        ok "$name-run"
    else
        no "$name-run" "the installed sinew did not run the installed rules"; sed 's/^/    | /' "$TMP/run.out"
    fi
    # serve runs the installed sinew-serve (PREFIX/libexec/sinew)
    if "$sinew" serve --help > "$TMP/serve.out" 2>&1 && grep -q '^usage: sinew serve' "$TMP/serve.out"; then
        ok "$name-serve"
    else
        no "$name-serve" "the installed sinew did not run the installed sinew-serve"; sed 's/^/    | /' "$TMP/serve.out"
    fi
    if "$sinew" test > "$TMP/test.out" 2>&1; then
        ok "$name-test"
    else
        no "$name-test" "the installed knowledge base's cases failed"; tail -n 5 "$TMP/test.out" | sed 's/^/    | /'
    fi
}
installed prefix "$P/bin/sinew"

# the man pages: no warning from groff, every installed path they name exists,
# and the language page's example checks clean
paths_ok=1
for page in "$P/share/man/man1/sinew.1" "$P/share/man/man7/sinew-lang.7"; do
    name=$(basename "$page")
    if groff -man -Tutf8 -ww -z "$page" > "$TMP/groff.out" 2>&1 && [ ! -s "$TMP/groff.out" ]; then
        ok "man-$name"
    else
        no "man-$name" "groff warns"; sed 's/^/    | /' "$TMP/groff.out"
    fi
    named=$(grep -o "$P/[A-Za-z0-9_./-]*" "$page" | sed 's/[.]$//' | sort -u)
    if [ -z "$named" ]; then
        no "man-$name-paths" "names no installed path"; paths_ok=0
    fi
    for path in $named; do
        [ -e "$path" ] || { no "man-$name-paths" "names $path, which is not installed"; paths_ok=0; }
    done
    if grep -q "/usr/local" "$page"; then
        no "man-$name-prefix" "still names /usr/local"; paths_ok=0
    fi
done
[ $paths_ok = 1 ] && ok man-paths
sed -n '/^\.SH EXAMPLE/,/^\.fi/p' "$P/share/man/man7/sinew-lang.7" | sed '1,2d;$d' > example.sinew
if [ -s example.sinew ] && "$P/bin/sinew" check --werror example.sinew > "$TMP/example.out" 2>&1; then
    ok man-example
else
    no man-example "the example in sinew-lang(7) does not check clean"; sed 's/^/    | /' "$TMP/example.out"
fi

# moved elsewhere, it still finds its rules
mv "$P" "$TMP/moved"
installed moved "$TMP/moved/bin/sinew"
mv "$TMP/moved" "$P"

# ---- an embedder's programs, built with pkg-config against the prefix ----
# C (docs/examples/embed.c, against the shared library) and C++ (the header
# declares its calls extern "C").
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
cd "$TMP/elsewhere" || exit 1
if flags=$(pkg-config --cflags --libs sinew) &&
    ${CC:-cc} "$ROOT/docs/examples/embed.c" $flags $LDFLAGS -o embed > "$TMP/embed.log" 2>&1 &&
    LD_LIBRARY_PATH="$P/lib" ./embed > "$TMP/embed.out" 2>&1 &&
    grep -q '^fired 7, 1 reading over 50: 96$' "$TMP/embed.out" && grep -q '^pace 4.5 min/km$' "$TMP/embed.out" &&
    LD_LIBRARY_PATH="$P/lib" ldd ./embed | grep -q "$P/lib/libsinew.so.0"; then
    ok pkg-config-c
else
    no pkg-config-c "a C program built with pkg-config did not run on the installed library"
    sed 's/^/    | /' "$TMP/embed.log" "$TMP/embed.out" 2>/dev/null
fi
cat > embed.cc <<'CXX'
#include <cstdio>
#include <string>

#include "sinew.h"

int main()
{
    sn_engine *e = sn_new();
    std::string kb = "template t { v: int }\nrule r when t(v: ?x & < 4) then assert t(v: ?x + 1) end\n";
    sn_report r = {};
    if (!e || sn_load_string(e, "kb.sinew", kb.data(), kb.size(), &r) != SN_OK)
        return 1;
    sn_assert_string(e, "t(v: 1)", nullptr, nullptr);
    uint64_t fired = 0;
    sn_run(e, -1, &fired, nullptr);
    std::printf("C++: fired %llu\n", static_cast<unsigned long long>(fired));
    sn_report_free(&r);
    sn_free(e);
    return 0;
}
CXX
CXX=g++
case ${CC:-cc} in *clang*) CXX=clang++ ;; esac
if flags=$(pkg-config --cflags --libs sinew) &&
    $CXX embed.cc $flags $LDFLAGS -o embedxx > "$TMP/embedxx.log" 2>&1 &&
    [ "$(LD_LIBRARY_PATH="$P/lib" ./embedxx 2>&1)" = "C++: fired 3" ]; then
    ok pkg-config-cxx
else
    no pkg-config-cxx "a C++ program built with pkg-config did not link or run"
    sed 's/^/    | /' "$TMP/embedxx.log"
fi
unset PKG_CONFIG_PATH

# ---- make uninstall leaves the prefix empty ----
cd "$ROOT" || exit 1
if mk uninstall PREFIX="$P" > "$TMP/uninstall.log" 2>&1 && [ -d "$P" ] && [ -z "$(ls -A "$P")" ]; then
    ok uninstall
else
    no uninstall "$P is not empty after make uninstall"; find "$P" | sed 's/^/    | /'; cat "$TMP/uninstall.log"
fi

# ---- a staged install: DESTDIR ----
S=$TMP/stage
if mk install DESTDIR="$S" PREFIX=/usr/local > "$TMP/install.log" 2>&1 && [ -x "$S/usr/local/bin/sinew" ] &&
    grep -q "^\.I /usr/local/share/sinew/rules" "$S/usr/local/share/man/man1/sinew.1"; then
    ok destdir-install
else
    no destdir-install "make install DESTDIR=$S failed"; sed 's/^/    | /' "$TMP/install.log"
fi
cd "$TMP/elsewhere" || exit 1
installed destdir "$S/usr/local/bin/sinew"
cd "$ROOT" || exit 1
if mk uninstall DESTDIR="$S" PREFIX=/usr/local > "$TMP/uninstall.log" 2>&1 && [ -z "$(ls -A "$S/usr/local")" ]; then
    ok destdir-uninstall
else
    no destdir-uninstall "$S/usr/local is not empty after make uninstall"; find "$S" | sed 's/^/    | /'
fi
