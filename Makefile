# zsim - discrete-event simulator of the Linux 2.4 / 2.6 page allocator.
#
# make run    deps + build + run configs/default.yaml into results/default/
# make test   deps + build + the Criterion suite (one runner binary)
# make asan   the suite under AddressSanitizer + UBSan (own build directory)
# make debug  build with the invariant checker run after every event (build-debug/)
# make bench  print the performance figures
# make fuzz   libFuzzer targets under ASan + UBSan (clang), FUZZ_TIME seconds each
# make install PREFIX=... DESTDIR=...

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
PKG_CONFIG ?= pkg-config
BUILD      ?= build
CC         ?= cc
# Short memsets and copies (up to 256 bytes: a request, an allocation request) as an
# unrolled loop of plain stores, not `rep stos` / `rep movs`: on this AMD EPYC machine
# class a 128-byte request zeroed by `rep stos` and read back at once costs about 7 ns
# (2.6.32 pairs through ops went from 36 to 49 M/s). x86 GCC only; elsewhere it is left out.
STRINGOP_STRATEGY := unrolled_loop:256:noalign,libcall:-1:noalign
STRINGOPS  := $(shell echo 'int x;' | $(CC) -Werror -mmemset-strategy=$(STRINGOP_STRATEGY) \
                -mmemcpy-strategy=$(STRINGOP_STRATEGY) -x c -c -o /dev/null - 2>/dev/null && \
                echo -mmemset-strategy=$(STRINGOP_STRATEGY) -mmemcpy-strategy=$(STRINGOP_STRATEGY))
OPT        ?= -O2 -g $(STRINGOPS)
# The release build links zsim and the bench with link-time optimisation (calls between
# files inlined: 8-9 % fewer instructions a replayed event). The library's objects are
# fat, so the test runner links them without it, and tests/ compiles without it:
# Criterion's parameterized tests do not survive LTO (8 of 502 vanished, even from a
# non-LTO link of fat objects). The other builds set LTO= (none).
LTO        ?= -flto=auto -ffat-lto-objects
EXTRA_CFLAGS ?=
EXTRA_LDFLAGS ?=

PKGS    := yaml-0.1 gsl liblzma zlib
# Debian packages that provide the pkg-config modules above, plus the test and plot tools.
DEB_PKGS := build-essential pkg-config libyaml-dev libgsl-dev liblzma-dev zlib1g-dev \
            libcriterion-dev gnuplot-nox xz-utils

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wno-format-nonliteral
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) $(LTO) -I. -MMD -MP \
             $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null) $(EXTRA_CFLAGS)
LIBS_ALL   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm
CR_CFLAGS  = $(shell $(PKG_CONFIG) --cflags criterion 2>/dev/null)
CR_LIBS    = $(shell $(PKG_CONFIG) --libs criterion 2>/dev/null || echo -lcriterion)

LIB_SRC  := $(sort $(wildcard alloc/*.c alloc/linux24/*.c alloc/linux26/*.c workloads/*.c) $(filter-out sim/main.c,$(wildcard sim/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
BENCH_SRC := $(sort $(wildcard tests/bench*.c))
BENCH_OBJ := $(BENCH_SRC:%.c=$(BUILD)/%.o)

.PHONY: all deps run test asan debug bench install uninstall clean lint fuzz fuzz-deps fuzz-build

all: zsim

# The binary in the top directory is always the plain build; variants keep theirs in $(BUILD).
ifeq ($(BUILD),build)
ZSIM_BIN := zsim
else
ZSIM_BIN := $(BUILD)/zsim
endif

zsim $(BUILD)/zsim: $(BUILD)/sim/main.o $(LIB_OBJ)
	$(CC) $(OPT) $(LTO) $(EXTRA_LDFLAGS) -o $@ $^ $(LIBS_ALL)

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(filter-out $(LTO),$(CFLAGS_ALL)) $(CR_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/zsim-tests: $(TEST_OBJ) $(LIB_OBJ)
	$(CC) $(OPT) $(EXTRA_LDFLAGS) -o $@ $^ $(LIBS_ALL) $(CR_LIBS)

$(BUILD)/zsim-bench: $(BENCH_OBJ) $(LIB_OBJ)
	$(CC) $(OPT) $(LTO) $(EXTRA_LDFLAGS) -o $@ $^ $(LIBS_ALL)

# Install whatever Debian packages are missing (apt-get, with sudo when not root).
deps:
	@sh tests/install-deps.sh $(DEB_PKGS)

run: deps
	@$(MAKE) --no-print-directory zsim
	./zsim run configs/default.yaml --out results/default

# Tests run from the top directory: fixtures and configs are found by relative path.
test: deps
	@$(MAKE) --no-print-directory $(ZSIM_BIN) $(BUILD)/zsim-tests
	ZSIM_BIN=./$(ZSIM_BIN) ./$(BUILD)/zsim-tests $(TEST_ARGS)

asan: deps
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  $(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" LTO= \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" test

debug: deps
	@$(MAKE) --no-print-directory BUILD=build-debug OPT="-O0 -g" LTO= EXTRA_CFLAGS="-DZS_DEBUG" build-debug/zsim

bench: deps
	@$(MAKE) --no-print-directory $(BUILD)/zsim-bench zsim
	./$(BUILD)/zsim-bench

# ---- fuzzing (tests/fuzz/): clang's libFuzzer, every target under ASan + UBSan ----
# Each target runs FUZZ_TIME seconds from its seed corpus (tests/fuzz/seeds/NAME, and
# configs/*.yaml for the scenario targets, copied to build-fuzz/corpus/NAME so the
# tree stays clean); any crash, leak,
# sanitizer report, timeout or out-of-memory fails the target, and the input that
# found it is kept as build-fuzz/crash-NAME-*.  FUZZ_TARGETS picks a subset.
FUZZ_DEB_PKGS := clang libclang-rt-14-dev
FUZZ_CC      ?= clang
FUZZ_TIME    ?= 60
FUZZ_FLAGS   ?= -timeout=20 -rss_limit_mb=2048 -max_len=65536
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_ALL     := $(sort $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_TARGETS ?= $(filter-out fuzz_util,$(FUZZ_ALL))

fuzz-deps: deps
	@sh tests/install-deps.sh $(FUZZ_DEB_PKGS)

fuzz-build: fuzz-deps
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) OPT="-O1 -g" LTO= \
	  EXTRA_CFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" \
	  $(FUZZ_TARGETS:%=build-fuzz/%)

build-fuzz/fuzz_%: build-fuzz/tests/fuzz/fuzz_%.o build-fuzz/tests/fuzz/fuzz_util.o $(LIB_OBJ)
	$(CC) $(OPT) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS_ALL)

fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  rm -rf build-fuzz/corpus/$$t; mkdir -p build-fuzz/corpus/$$t; \
	  cp tests/fuzz/seeds/$$t/* build-fuzz/corpus/$$t/ 2>/dev/null || true; \
	  case $$t in fuzz_scenario|fuzz_run) cp configs/*.yaml build-fuzz/corpus/$$t/;; esac; \
	  echo "fuzz: $$t for $(FUZZ_TIME) s"; \
	  case $$t in fuzz_scenario|fuzz_run) dict=-dict=tests/fuzz/scenario.dict;; \
	    *) dict=-dict=tests/fuzz/trace.dict;; esac; \
	  ./build-fuzz/$$t $(FUZZ_FLAGS) $$dict -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
	    -artifact_prefix=build-fuzz/crash-$$t- build-fuzz/corpus/$$t 2>build-fuzz/$$t.log \
	    || { tail -60 build-fuzz/$$t.log; echo "fuzz: $$t FAILED (input in build-fuzz/crash-$$t-*)"; exit 1; }; \
	  grep -h '^stat::number_of_executed_units' build-fuzz/$$t.log | sed "s/^/fuzz: $$t /"; \
	done

install: zsim
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 zsim $(DESTDIR)$(BINDIR)/zsim

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/zsim

lint:
	cppcheck --quiet --enable=warning,performance,portability --std=c11 --error-exitcode=2 \
	  -I. sim alloc workloads

clean:
	rm -rf build build-asan build-debug build-fuzz zsim

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
