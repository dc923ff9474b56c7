# sinew — one plain Makefile.
#
#   make                 build build/sinew, build/sinew-serve and build/libsinew.a
#   make test            every test suite; ends with "N passed, N failed"
#   make test SANITIZE=1 the same under AddressSanitizer and UBSan (build-san/)
#   make bench           benchmarks (not tests)
#   make fuzz            build the libFuzzer harnesses (clang): rule files,
#                        facts files, batch lines, REPL lines, consultation
#                        answers, saved consultations; SECONDS=N fuzzes each
#   make install PREFIX=/usr/local DESTDIR=   (PREFIX is not compiled in:
#                        sinew finds its rules beside itself, so any order works)
#   make uninstall PREFIX=/usr/local DESTDIR=  removes what install put there
#   make WERROR=1        warnings are errors (CI builds so with gcc and clang)
#   make BUILD=dir       build in another folder, e.g. CC=clang BUILD=build-clang

CC      ?= cc
PREFIX  ?= /usr/local
VERSION := 0.1.0

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(WERROR),1)
WARN    += -Werror
endif
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -DSINEW_VERSION='"$(VERSION)"' $(WARN)
LDLIBS  += -lreadline -ljansson -lm
# The HTTP server of `sinew serve`: linked into sinew-serve alone, so that
# the other commands do not load it and its TLS libraries at every start.
SERVE_LIBS := -ljansson -lm -lmicrohttpd

ifeq ($(SANITIZE),1)
B       := build-san
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=all -DSINEW_ARENA_MALLOC -DSINEW_DEBUG
LDFLAGS += -fsanitize=address,undefined
else
B       := build
endif
# BUILD=dir puts a build in another folder (CC=clang BUILD=build-clang).
ifneq ($(BUILD),)
B       := $(BUILD)
endif

LIB_SRC := $(sort $(wildcard base/*.c) $(wildcard engine/*.c) $(wildcard grammar/*.c))
# The library's own objects: internals hidden (sinew.h gives its calls
# default visibility), linked into one object whose hidden symbols are made
# local, so libsinew.a exports sn_ names only (tests/library.sh checks).
LIB_CFLAGS := -fvisibility=hidden -fPIC
# The shared library's version is the program's; its soname changes only
# when the interface breaks.
SOVERSION := 0
SONAME  := libsinew.so.$(SOVERSION)
GEN_SRC := $(B)/gen/lexer.c $(B)/gen/parser.c
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o) $(B)/obj/gen/lexer.o $(B)/obj/gen/parser.o
# The unit tests link the same sources built for debugging (SN_ASSERT on,
# the engine walked after every public call).
ifeq ($(SANITIZE),1)
LIB_DOBJ := $(LIB_OBJ)
else
LIB_DOBJ := $(LIB_OBJ:$(B)/obj/%=$(B)/dobj/%)
endif
# `sinew serve` is the program sinew-serve (sinew runs it in its place):
# its own files, and those it shares with sinew.
SERVE_SRC := repl/serve_main.c repl/serve.c repl/webapi.c repl/session.c repl/render.c
CLI_SRC := $(filter-out $(SERVE_SRC),$(sort $(wildcard repl/*.c)))
CLI_OBJ := $(CLI_SRC:%.c=$(B)/obj/%.o)
# The page of `sinew serve`, built into the program (scripts/embed.sh).
WEB     := $(sort $(wildcard repl/web/*))
SERVE_OBJ := $(SERVE_SRC:%.c=$(B)/obj/%.o) $(addprefix $(B)/obj/repl/,jsonl.o batch.o cli.o home.o) \
           $(B)/obj/gen/web_assets.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

all: $(B)/sinew $(B)/sinew-serve $(B)/libsinew.a $(B)/libsinew.so.$(VERSION)

# flex, bison and the readline headers, installed when missing.
$(B)/.deps: scripts/deps.sh
	@sh scripts/deps.sh
	@mkdir -p $(B) && touch $@

$(B)/gen/lexer.c $(B)/gen/lexer.h &: grammar/lexer.l $(B)/.deps
	@mkdir -p $(B)/gen
	flex --header-file=$(B)/gen/lexer.h -o $(B)/gen/lexer.c $<

$(B)/gen/parser.c $(B)/gen/parser.h &: grammar/parser.y $(B)/.deps
	@mkdir -p $(B)/gen
	bison -Wall -Werror --defines=$(B)/gen/parser.h -o $(B)/gen/parser.c $<

# Generated code is compiled with the same warnings; the few that flex's
# skeleton cannot avoid are named here.
$(B)/obj/gen/%.o: $(B)/gen/%.c $(B)/gen/lexer.h $(B)/gen/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -Wno-unused-function -Wno-missing-prototypes -Wno-shadow \
	    -Igrammar -I$(B)/gen -MMD -MP -c -o $@ $<

$(B)/obj/%.o: %.c $(B)/gen/lexer.h $(B)/gen/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -Igrammar -I$(B)/gen -MMD -MP -c -o $@ $<

$(B)/dobj/gen/%.o: $(B)/gen/%.c $(B)/gen/lexer.h $(B)/gen/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DSINEW_DEBUG -Wno-unused-function -Wno-missing-prototypes -Wno-shadow \
	    -Igrammar -I$(B)/gen -MMD -MP -c -o $@ $<

$(B)/dobj/%.o: %.c $(B)/gen/lexer.h $(B)/gen/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DSINEW_DEBUG -Igrammar -I$(B)/gen -MMD -MP -c -o $@ $<

# The public include folder: what an embedder (and repl/) sees.
$(B)/include/sinew.h: engine/sinew.h
	@mkdir -p $(dir $@)
	cp $< $@

# The command line is built against the public header only, once the
# headers it includes (readline, Jansson, libmicrohttpd) are installed.
$(B)/obj/repl/%.o: repl/%.c $(B)/include/sinew.h | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(B)/include -MMD -MP -c -o $@ $<

$(B)/gen/web_assets.c: scripts/embed.sh $(WEB)
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $(WEB) > $@.tmp && mv $@.tmp $@

$(B)/obj/gen/web_assets.o: $(B)/gen/web_assets.c repl/web.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Irepl -c -o $@ $<

$(B)/obj/libsinew.o: $(LIB_OBJ)
	$(LD) -r -o $@ $^
	objcopy --localize-hidden $@

$(B)/libsinew.a: $(B)/obj/libsinew.o
	rm -f $@
	ar rcs $@ $^

# The same object as a shared library: it exports the same sn_ names.
$(B)/libsinew.so.$(VERSION): $(B)/obj/libsinew.o
	$(CC) -shared -Wl,-soname,$(SONAME) $(LDFLAGS) -o $@ $< -lm

$(B)/sinew: $(CLI_OBJ) $(B)/libsinew.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(B)/libsinew.a $(LDLIBS)

$(B)/sinew-serve: $(SERVE_OBJ) $(B)/libsinew.a
	$(CC) $(LDFLAGS) -o $@ $(SERVE_OBJ) $(B)/libsinew.a $(SERVE_LIBS)

# Unit tests reach internals too: they link the objects themselves.
$(B)/tests/%: tests/unit/%.c tests/unit/unit.h tests/unit/calls.h $(LIB_DOBJ) $(B)/include/sinew.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DSINEW_DEBUG -Ibase -Igrammar -Iengine -I$(B)/gen -o $@ $< $(LIB_DOBJ) \
	    $(LDFLAGS) $(LDLIBS)

# SANITIZE is passed on so that tests/install.sh installs this very build;
# CC and LDFLAGS so that tests/library.sh builds an embedding as it was built.
test: all $(UNIT_BIN)
	@CC="$(CC)" LDFLAGS="$(LDFLAGS)" SANITIZE=$(SANITIZE) sh tests/run.sh $(B)

# Under valgrind the unit tests link the release objects: the debug walk
# after every call (verify.c) would make them run for tens of minutes, and
# make test and SANITIZE=1 run it already.
MEMCHECK_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/mtests/%)

$(B)/mtests/%: tests/unit/%.c tests/unit/unit.h tests/unit/calls.h $(LIB_OBJ) $(B)/include/sinew.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ibase -Igrammar -Iengine -I$(B)/gen -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(LDLIBS)

memcheck: all $(MEMCHECK_BIN)
	sh tests/memcheck.sh $(B)

bench: all
	@sh bench/run.sh $(B)

fuzz: $(B)/.deps $(GEN_SRC)
	@sh fuzz/build.sh $(if $(SECONDS),run $(SECONDS))

# What `make install` puts where; `make uninstall` removes the same list
# and then each folder it leaves empty. The man pages are installed with
# /usr/local replaced by PREFIX, so the paths they name are the real ones.
INST    := $(DESTDIR)$(PREFIX)
RULES   := $(notdir $(wildcard rules/*.sinew)) README.md
DOCS    := README.md LICENSE docs/language.md docs/engine.md
SCHEMAS := $(wildcard docs/schema/*.json)
MANS    := man1/sinew.1 man7/sinew-lang.7
# Editor files: Vim's (its vimfiles folder under PREFIX) and the VS Code
# extension folder (linked into ~/.vscode/extensions by the user).
VIMFILES := syntax/sinew.vim ftdetect/sinew.vim ftplugin/sinew.vim
VSCODE   := package.json extension.js language-configuration.json syntaxes/sinew.tmLanguage.json
INSTALL_DIRS := bin libexec/sinew libexec lib/pkgconfig lib include/sinew include share/man/man1 share/man/man7 share/man \
           share/sinew/rules share/sinew/editors/vscode/syntaxes share/sinew/editors/vscode \
           share/sinew/editors share/sinew share/doc/sinew/schema share/doc/sinew share/doc \
           share/vim/vimfiles/syntax share/vim/vimfiles/ftdetect share/vim/vimfiles/ftplugin \
           share/vim/vimfiles share/vim share

install: all
	install -d $(INST)/bin $(INST)/lib $(INST)/include/sinew $(INST)/share/man/man1 $(INST)/share/man/man7 \
	    $(INST)/share/sinew/rules $(INST)/share/doc/sinew
	install -m 755 $(B)/sinew $(INST)/bin/sinew
	install -d $(INST)/libexec/sinew
	install -m 755 $(B)/sinew-serve $(INST)/libexec/sinew/sinew-serve
	install -m 644 $(B)/libsinew.a $(INST)/lib/libsinew.a
	install -m 755 $(B)/libsinew.so.$(VERSION) $(INST)/lib/libsinew.so.$(VERSION)
	ln -sf libsinew.so.$(VERSION) $(INST)/lib/$(SONAME)
	ln -sf $(SONAME) $(INST)/lib/libsinew.so
	install -d $(INST)/lib/pkgconfig
	sed 's|@VERSION@|$(VERSION)|' scripts/sinew.pc.in > $(INST)/lib/pkgconfig/sinew.pc.tmp && \
	    chmod 644 $(INST)/lib/pkgconfig/sinew.pc.tmp && \
	    mv $(INST)/lib/pkgconfig/sinew.pc.tmp $(INST)/lib/pkgconfig/sinew.pc
	install -m 644 engine/sinew.h $(INST)/include/sinew/sinew.h
	install -m 644 $(addprefix rules/,$(RULES)) $(INST)/share/sinew/rules/
	install -m 644 $(DOCS) $(INST)/share/doc/sinew/
	install -d $(INST)/share/doc/sinew/schema
	install -m 644 $(SCHEMAS) $(INST)/share/doc/sinew/schema/
	for f in $(VIMFILES); do \
	    install -d $(INST)/share/vim/vimfiles/$${f%/*} && \
	    install -m 644 editors/vim/$$f $(INST)/share/vim/vimfiles/$$f || exit 1; \
	done
	install -d $(INST)/share/sinew/editors/vscode/syntaxes
	for f in $(VSCODE); do \
	    install -m 644 editors/vscode/$$f $(INST)/share/sinew/editors/vscode/$$f || exit 1; \
	done
	for m in $(MANS); do \
	    sed 's|/usr/local|$(PREFIX)|g' docs/$${m#*/} > $(INST)/share/man/$$m.tmp && \
	    chmod 644 $(INST)/share/man/$$m.tmp && mv $(INST)/share/man/$$m.tmp $(INST)/share/man/$$m || exit 1; \
	done

uninstall:
	rm -f $(INST)/bin/sinew $(INST)/libexec/sinew/sinew-serve $(INST)/lib/libsinew.a $(INST)/include/sinew/sinew.h \
	    $(INST)/lib/libsinew.so.$(VERSION) $(INST)/lib/$(SONAME) $(INST)/lib/libsinew.so \
	    $(INST)/lib/pkgconfig/sinew.pc \
	    $(addprefix $(INST)/share/sinew/rules/,$(RULES)) \
	    $(addprefix $(INST)/share/doc/sinew/,$(notdir $(DOCS))) $(addprefix $(INST)/share/man/,$(MANS)) \
	    $(addprefix $(INST)/share/doc/sinew/schema/,$(notdir $(SCHEMAS))) \
	    $(addprefix $(INST)/share/vim/vimfiles/,$(VIMFILES)) \
	    $(addprefix $(INST)/share/sinew/editors/vscode/,$(VSCODE))
	for d in $(INSTALL_DIRS); do \
	    if [ -d $(INST)/$$d ]; then rmdir $(INST)/$$d 2>/dev/null || true; fi; \
	done

clean:
	rm -rf build build-*

.PHONY: memcheck all test bench fuzz install uninstall clean
.SECONDARY:

-include $(shell find $(B)/obj $(B)/dobj -name '*.d' 2>/dev/null)
