# perfgate: one non-recursive Makefile.  `make V=1` shows the commands.
#
# Packagers: `make WERROR=` builds without -Werror; PREFIX and DESTDIR are
# honoured by install/uninstall.

VERSION := 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/perfgate

CC ?= cc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -Wformat=2
WERROR ?= -Werror
PKGS := libgit2 libcurl libcjson gsl
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
# libcurl is loaded with dlopen() when HTTP is needed (net/curl_lib.h):
# linking it would add ~30 libraries to every start of perfgate
PKG_LIBS = $(shell pkg-config --libs $(filter-out libcurl,$(PKGS))) -ldl

ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DPERFGATE_VERSION='"$(VERSION)"' -I. $(PKG_CFLAGS) $(WARN) $(WERROR) \
	$(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS)
LIBS = $(PKG_LIBS) -lm

ifeq ($(V),1)
Q :=
else
Q := @
endif

B := build
BIN := perfgate
LIB_SRC := $(wildcard util/*.c model/*.c runner/*.c store/*.c stats/*.c formats/*.c \
	gate/*.c history/*.c pipeline/*.c \
	reporters/*.c net/*.c)
CMD_SRC := $(wildcard cmd/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
CMD_OBJ := $(CMD_SRC:%.c=$(B)/%.o)
LIB_A := $(B)/libperfgate.a

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
EXAMPLE_SRC := $(wildcard examples/*.c)
EXAMPLE_BIN := $(EXAMPLE_SRC:examples/%.c=examples/bin/%)

.PHONY: all check check-slow demo demo-load demo-stress bench install uninstall clean asan format \
	format-check deps unit e2e examples fuzz fuzz-targets deb dist

all: $(BIN)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB_A): $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BIN): $(CMD_OBJ) $(LIB_A)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(LIB_A) $(LIBS)

$(B)/tests/%: tests/unit/%.c tests/unit/unit.h $(LIB_A)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB_A) $(LIBS) \
		$(shell pkg-config --libs cmocka)

examples/bin/%: examples/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=c11 -O2 -D_POSIX_C_SOURCE=200809L $(WARN) $(WERROR) \
		-o $@ $< -lm

examples: $(EXAMPLE_BIN)

# Dependencies: install whatever is missing (Debian, apt-get), so that
# `make check` and `make demo` work on a fresh machine.  A no-op (one
# dpkg-query) when everything is there.
deps:
	@sh scripts/install-deps.sh

# The fault-injection shim (tests/fault/fault.c), LD_PRELOADed by the
# tests; never sanitized, so that it loads beside an ASan binary.
FAULT_SO := $(B)/tests/libfault.so

$(FAULT_SO): tests/fault/fault.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  SHLIB   $@")
	$(Q)$(CC) -shared -fPIC -O1 -g $(WARN) $(WERROR) -Wno-missing-prototypes \
		-o $@ $< -ldl

# Fuzz targets (tests/fuzz/fuzz_*.c).  `make unit` links each with a
# replay driver, so that `make check` runs every seed corpus once; `make
# fuzz` links them with libFuzzer (clang) and fuzzes each for
# FUZZ_SECONDS seconds.
FUZZ_TARGETS := config notes formats reporters union
FUZZ_REPLAY := $(FUZZ_TARGETS:%=$(B)/tests/fuzz_%)
FUZZ_B := build-fuzz
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 30
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all

$(B)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB_A)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c \
		$(LIB_A) $(LIBS)

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_A)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer $(ALL_LDFLAGS) -o $@ $< \
		$(LIB_A) $(LIBS)

fuzz-targets: $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%)

fuzz: deps
	@$(MAKE) --no-print-directory B=$(FUZZ_B) CC=$(FUZZ_CC) WERROR= \
		CFLAGS="-O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) -fsanitize=fuzzer-no-link" \
		LDFLAGS="$(FUZZ_SAN)" fuzz-targets
	@sh tests/fuzz/run.sh $(FUZZ_B) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

unit: $(UNIT_BIN) $(FAULT_SO) $(FUZZ_REPLAY)

# npm tools that validate and run ci-templates/ (empty without npm: the
# tests that need them then skip)
NODE_TOOLS := build/node-tools

check: deps
	@$(MAKE) --no-print-directory all unit examples
	@PERFGATE_NODE_BIN="$$(sh scripts/install-node-tools.sh \
		$(abspath $(NODE_TOOLS)))" PERFGATE_BUILD=$(B) \
		PERFGATE=$(abspath $(BIN)) sh tests/run-tests.sh

# Slow tests (a real browser, ...): not in `make check`; .ci/run runs both
SLOW_TESTS = $(wildcard tests/slow/t[0-9]*.sh)

check-slow: deps
	@sh scripts/install-deps.sh --slow
	@$(MAKE) --no-print-directory all unit examples
	@TESTS="$(abspath $(SLOW_TESTS))" PERFGATE_BUILD=$(B) \
		PERFGATE=$(abspath $(BIN)) sh tests/run-tests.sh

demo: deps
	@$(MAKE) --no-print-directory all examples
	@sh examples/demo.sh

demo-load: deps
	@$(MAKE) --no-print-directory all examples
	@sh examples/demo-load.sh

demo-stress: deps
	@$(MAKE) --no-print-directory all examples
	@sh examples/demo-stress.sh

bench: deps
	@$(MAKE) --no-print-directory all examples
	@sh bench/run-all.sh

# The suite under ASan and UBSan, but for the timing-based (serial)
# scripts: their verdicts are make check's to judge (tests/run-tests.sh).
asan: deps
	@TEST_SKIP_SERIAL=1 $(MAKE) --no-print-directory B=build-asan BIN=build-asan/perfgate \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" check

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DOCDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/perfgate
	install -m 644 docs/perfgate.1 $(DESTDIR)$(MANDIR)/man1/perfgate.1
	install -m 644 docs/perfgate.json.5 $(DESTDIR)$(MANDIR)/man5/perfgate.json.5
	install -m 644 README.md docs/*.md $(DESTDIR)$(DOCDIR)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/perfgate $(DESTDIR)$(MANDIR)/man1/perfgate.1 \
		$(DESTDIR)$(MANDIR)/man5/perfgate.json.5
	rm -rf $(DESTDIR)$(DOCDIR)

# Packages (docs/release.md): `make deb` builds the Debian package of this
# image with dpkg-deb (Depends from dpkg-shlibdeps), `make dist` the source
# tarball of HEAD (git archive); both land in PKG_DIR.
PKG_DIR ?= $(B)

deb: $(BIN)
	@sh scripts/build-deb.sh $(VERSION) $(BIN) $(PKG_DIR)

dist:
	@mkdir -p $(PKG_DIR)
	git archive --format=tar.gz --prefix=perfgate-$(VERSION)/ \
		-o $(PKG_DIR)/perfgate-$(VERSION).tar.gz HEAD
	@echo $(PKG_DIR)/perfgate-$(VERSION).tar.gz

FORMAT_FILES = $(wildcard */*.c */*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf build build-asan perfgate examples/bin

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(UNIT_BIN:=.d)
