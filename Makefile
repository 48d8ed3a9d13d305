# upcall_cost - build, test, benchmark.
#
#   make          build ./upcall_cost
#   make demo     build, then analyse the bundled example trace
#   make check    build, then run every test (unit, parity, sanitizers, capture)
#   make bench    speed and memory figures
#   make fuzz     bounded libFuzzer runs of every file parser
#   make e2e      the OVS testbed (a VM with a real kernel datapath)
#   make e2e-matrix   the same on every kernel x OVS pair
#
# Every target that needs Debian packages installs the missing ones first
# (tools/install-deps.sh), so the two README commands work on a fresh
# Debian 12 machine as root.

VERSION    := 0.1.0
BIN        ?= upcall_cost
DEMO       ?= examples/real-burst.dat
CC         ?= cc
CLANG      ?= clang
BPFTOOL    ?= bpftool
BUILD      := build
ARCH       := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

WARN       := -Wall -Wextra -Werror -Wmissing-prototypes -Wshadow -Wformat=2
CFLAGS     ?= -O2 -g
# What every object needs, whatever CFLAGS the command line gives.
ALL_CFLAGS := $(CFLAGS) -std=gnu11 $(WARN) -D_GNU_SOURCE \
              -DUC_VERSION='"$(VERSION)"' -Isrc -I$(BUILD)
LDLIBS_BPF := -lbpf -lelf -lz

# The analysis library: everything in src/ that does not touch BPF.
CAPTURE_SRCS := $(wildcard src/capture*.c)
MAIN_SRC     := src/upcall_cost.c
# (*.bpf.c is the BPF program, built by the BPF rules below.)
LIB_SRCS     := $(filter-out $(CAPTURE_SRCS) $(MAIN_SRC) $(wildcard src/*.bpf.c),$(wildcard src/*.c))
LIB_OBJS     := $(LIB_SRCS:src/%.c=$(BUILD)/lib/%.o)
CAPTURE_OBJS := $(CAPTURE_SRCS:src/%.c=$(BUILD)/capture/%.o)
LIB          := $(BUILD)/libupcall_cost.a

TEST_SRCS  := $(wildcard tests/test_*.c)
TEST_BINS  := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)

.PHONY: all deps demo check unit-bins unit parity sanitize bench fuzz e2e e2e-matrix clean tools
.DELETE_ON_ERROR:
.SECONDARY:

all: $(BIN) tools

deps:
	@sh tools/install-deps.sh

# ---------------------------------------------------------------- BPF
# No vmlinux.h: src/upcall_cost_kernel.bpf.h declares the few kernel types
# read (CO-RE); the rest comes from the UAPI headers, so clang -target bpf
# needs the host's system include dirs (e.g. the multiarch asm/ dir), as in
# libbpf-bootstrap.
CLANG_BPF_SYS_INCLUDES ?= $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
$(BUILD)/upcall_cost.bpf.o: src/upcall_cost.bpf.c src/upcall_cost.h $(wildcard src/*.bpf.h)
	@mkdir -p $(@D)
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Isrc -I$(BUILD) \
		$(CLANG_BPF_SYS_INCLUDES) -Wall -Werror -c $< -o $@
	llvm-strip -g $@ 2>/dev/null || true

$(BUILD)/upcall_cost.skel.h: $(BUILD)/upcall_cost.bpf.o
	$(BPFTOOL) gen skeleton $< name upcall_cost_bpf > $@

# ---------------------------------------------------------------- user space
$(BUILD)/lib/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/capture/%.o: src/%.c $(wildcard src/*.h) $(BUILD)/upcall_cost.skel.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	rm -f $@; ar rcs $@ $^

$(BIN): $(MAIN_SRC) $(LIB) $(CAPTURE_OBJS) $(wildcard src/*.h)
	$(CC) $(ALL_CFLAGS) $(MAIN_SRC) $(CAPTURE_OBJS) $(LIB) -o $@ $(LDLIBS_BPF) -lm

# ---------------------------------------------------------------- tools
TOOL_SRCS := $(wildcard tools/*.c)
TOOL_BINS := $(TOOL_SRCS:tools/%.c=$(BUILD)/tools/%)
tools: $(TOOL_BINS)

$(BUILD)/tools/%: tools/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $< $(LIB) -o $@ -lm $(TOOL_LDLIBS_$*)

# ---------------------------------------------------------------- demo
demo: deps
	$(MAKE) --no-print-directory all
	./$(BIN) -q -r $(DEMO)

# ---------------------------------------------------------------- tests
$(BUILD)/tests/%: tests/%.c tests/test_util.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests $< $(LIB) -o $@ -lcmocka -lm

unit-bins: $(TEST_BINS)

unit: unit-bins
	@sh tests/run.sh --only unit --build $(BUILD) --bin ./$(BIN)

parity: $(BIN)
	@sh tests/parity.sh ./$(BIN)

# The same code built with ASan and UBSan, for tests/run.sh.
SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
sanitize-build:
	$(MAKE) --no-print-directory BUILD=build-san BIN=build-san/upcall_cost \
		CC=clang CFLAGS="$(SAN_FLAGS)" build-san/upcall_cost unit-bins

# Every test: unit tests, parity with upcall_cost.py, both again under
# ASan/UBSan, live capture of the USDT half.  One summary line at the end.
check: deps
	$(MAKE) --no-print-directory all unit-bins
	$(MAKE) --no-print-directory sanitize-build
	@sh tests/run.sh --build $(BUILD) --bin ./$(BIN)

bench: deps
	$(MAKE) --no-print-directory all
	@sh bench/run.sh

fuzz: deps
	@sh fuzz/run.sh

e2e: deps
	$(MAKE) --no-print-directory all
	@sh testbed/e2e.sh

# Kernels 5.10 (Debian 11), 6.1 (12), 6.12 (13) x OVS 3.1 (Debian 12), 3.5 (13).
E2E_MATRIX_PAIRS ?= 5.10-3.1 5.10-3.5 6.1-3.1 6.1-3.5 6.12-3.1 6.12-3.5
e2e-matrix: deps
	$(MAKE) --no-print-directory all
	@E2E_PAIRS="$(E2E_MATRIX_PAIRS)" sh testbed/e2e.sh

clean:
	rm -rf build build-san build-fuzz upcall_cost
