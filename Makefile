# SPDX-License-Identifier: BSD-2-Clause
# upcall_cost - build, test, benchmark, install.
#
#   make          build ./upcall_cost (and its man page, the tools)
#   make demo     build, then analyse the bundled example trace
#   make check    build, then run every test (unit, parity, sanitizers, capture)
#   make bench    speed and memory figures
#   make fuzz     bounded libFuzzer runs of every file parser
#   make e2e      the OVS testbed (a VM with a real kernel datapath)
#   make e2e-monitor  monitor mode on the testbed (with Prometheus)
#   make e2e-matrix   the same on every kernel x OVS pair
#   make install  PREFIX (/usr/local), DESTDIR; `make uninstall` undoes it
#   make static   build/static/upcall_cost: libbpf, libelf, zlib linked in
#   make check-static   that binary in a Debian 11 root (debootstrap)
#   make check-package  the Debian package: dpkg-buildpackage, lintian
#   make e2e-package    make e2e with the package's binary, installed
#
# CFLAGS, CPPFLAGS and LDFLAGS are honoured; WERROR=1 turns warnings into
# errors (make check does); V=1 prints the full commands.
#
# Every target that needs Debian packages installs the missing ones first
# (tools/install-deps.sh), so the two README commands work on a fresh
# Debian 12 machine as root.

# A Git checkout: `git describe`; a tarball: the VERSION file.  Packaging
# may give it on the command line (debian/rules gives the package's).
ifneq ($(origin VERSION),command line)
VERSION    := $(shell sh tools/version.sh)
endif
BIN        ?= upcall_cost
DEMO       ?= examples/real-burst.dat
CC         ?= cc
CLANG      ?= clang
BPFTOOL    ?= bpftool
PKG_CONFIG ?= pkg-config
BUILD      := build
ARCH       := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

# Installation directories (GNU names).  Debian's packaging sets
# PREFIX=/usr and DOCDIR=/usr/share/doc/upcall-cost.
PREFIX      ?= /usr/local
SBINDIR     ?= $(PREFIX)/sbin
MANDIR      ?= $(PREFIX)/share/man
DOCDIR      ?= $(PREFIX)/share/doc/upcall_cost
EXAMPLESDIR ?= $(DOCDIR)/examples
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL     ?= install

# The libraries the binary links, as pkg-config names: adding one is one
# word here; `make static` links the same list with `pkg-config --static`.
# (capture_ovs.c reads ELF notes itself, hence libelf; monitor_http.c
# serves /metrics with libmicrohttpd.)  `make static` needs a lib*.a of
# each and of what they need: Debian's libmicrohttpd.a needs GnuTLS, which
# needs p11-kit, of which Debian ships no archive, so the static binary
# links monitor_http_none.c instead (no --metrics).
# (Expanded when a link runs, so after `make deps` installed pkg-config.)
PKGS_STATIC := libbpf libelf
PKGS       := $(PKGS_STATIC) libmicrohttpd
LDLIBS      = $(shell $(PKG_CONFIG) --libs $(PKGS)) -lm
LDLIBS_STATIC = $(shell $(PKG_CONFIG) --static --libs $(PKGS_STATIC)) -lm

WARN       := -Wall -Wextra -Wmissing-prototypes -Wshadow -Wformat=2 \
              $(if $(filter 1,$(WERROR)),-Werror)
CFLAGS     ?= -O2 -g
# What every object needs, whatever flags the command line gives (the
# user's CFLAGS last, so that they win).
ALL_CFLAGS := -Isrc -I$(BUILD) $(CPPFLAGS) -std=gnu11 $(WARN) -D_GNU_SOURCE \
              -DUC_VERSION='"$(VERSION)"' $(CFLAGS)

# Quiet build lines ("  CC      build/lib/trace.o") unless V=1; none with
# make -s (make 4 keeps the one-letter flags in MAKEFLAGS' first word).
ifeq ($(V),1)
Q   :=
msg :=
else
Q   := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
MAKEFLAGS += --no-print-directory
endif
ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
msg :=
endif

# The analysis library: everything in src/ that does not touch BPF.
CAPTURE_SRCS := $(wildcard src/capture*.c)
MAIN_SRC     := src/upcall_cost.c
MAIN_OBJ     := $(BUILD)/main/upcall_cost.o
# Monitor mode's BPF side, flight recorder and driver, built like the
# capture objects.
MONITOR_SRCS := src/monitor_bpf.c src/monitor_record.c src/monitor_run.c
MONITOR_OBJS := $(MONITOR_SRCS:src/%.c=$(BUILD)/monitor/%.o)
# /metrics: libmicrohttpd's, or none in the static binary
HTTP_SRCS    := src/monitor_http.c src/monitor_http_none.c
HTTP_OBJ     := $(BUILD)/monitor/monitor_http.o
HTTP_NONE_OBJ := $(BUILD)/monitor/monitor_http_none.o
# (*.bpf.c is the BPF program, built by the BPF rules below.)
LIB_SRCS     := $(filter-out $(CAPTURE_SRCS) $(MONITOR_SRCS) $(HTTP_SRCS) $(MAIN_SRC) $(wildcard src/*.bpf.c),$(wildcard src/*.c))
LIB_OBJS     := $(LIB_SRCS:src/%.c=$(BUILD)/lib/%.o)
CAPTURE_OBJS := $(CAPTURE_SRCS:src/%.c=$(BUILD)/capture/%.o)
LIB          := $(BUILD)/libupcall_cost.a
MAN          := $(BUILD)/upcall_cost.8
STATIC_BIN   := $(BUILD)/static/upcall_cost

TEST_SRCS  := $(wildcard tests/test_*.c)
TEST_BINS  := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)

.PHONY: all deps demo check unit-bins unit parity sanitize-build bench fuzz \
	e2e e2e-monitor e2e-matrix clean tools man install uninstall static check-static check-package \
	e2e-package FORCE
.DELETE_ON_ERROR:
.SECONDARY:

all: $(BIN) tools man

deps:
	@sh tools/install-deps.sh

# ---------------------------------------------------------------- stamps
# Files that change only when their content does, so that a new compiler,
# new flags or a new version rebuild what they touch, and nothing else.
# (-Werror is not in the flags: it changes no object.)
quote = '$(subst ','\'',$(1))'
define stamp
	@mkdir -p $(@D); printf '%s\n' $(call quote,$(1)) | cmp -s - $@ || \
		printf '%s\n' $(call quote,$(1)) > $@
endef
$(BUILD)/.cflags: FORCE
	$(call stamp,$(CC) $(filter-out -Werror,$(ALL_CFLAGS:-DUC_VERSION%=)) $(LDFLAGS))
$(BUILD)/.version: FORCE
	$(call stamp,$(VERSION))

# The objects of the files that print the version.
VERSION_USERS := $(notdir $(basename $(shell grep -l UC_VERSION src/*.c tools/*.c)))
$(foreach f,$(VERSION_USERS),$(BUILD)/lib/$(f).o $(BUILD)/capture/$(f).o \
	$(BUILD)/main/$(f).o $(BUILD)/monitor/$(f).o $(BUILD)/tools/$(f)): $(BUILD)/.version

# ---------------------------------------------------------------- BPF
# No vmlinux.h: src/upcall_cost_kernel.bpf.h declares the few kernel types
# read (CO-RE); the rest comes from the UAPI headers, so clang -target bpf
# needs the host's system include dirs (e.g. the multiarch asm/ dir), as in
# libbpf-bootstrap.
CLANG_BPF_SYS_INCLUDES ?= $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
$(BUILD)/upcall_cost.bpf.o: src/upcall_cost.bpf.c src/upcall_cost.h $(wildcard src/*.bpf.h)
	$(call msg,BPF,$@)
	@mkdir -p $(@D)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Isrc -I$(BUILD) \
		-fdebug-prefix-map=$(CURDIR)=. \
		$(CLANG_BPF_SYS_INCLUDES) -Wall $(if $(filter 1,$(WERROR)),-Werror) -c $< -o $@
	$(Q)llvm-strip -g $@ 2>/dev/null || true

$(BUILD)/upcall_cost.skel.h: $(BUILD)/upcall_cost.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name upcall_cost_bpf > $@

# Monitor mode's object: -mcpu=v3 for the atomics that return a value
# (used only where the kernel has them, see has_atomics).
$(BUILD)/monitor.bpf.o: src/monitor.bpf.c src/upcall_cost.h $(wildcard src/*.bpf.h)
	$(call msg,BPF,$@)
	@mkdir -p $(@D)
	$(Q)$(CLANG) -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Isrc -I$(BUILD) \
		-fdebug-prefix-map=$(CURDIR)=. \
		$(CLANG_BPF_SYS_INCLUDES) -Wall $(if $(filter 1,$(WERROR)),-Werror) -c $< -o $@
	$(Q)llvm-strip -g $@ 2>/dev/null || true

$(BUILD)/monitor.skel.h: $(BUILD)/monitor.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name monitor_bpf > $@

# ---------------------------------------------------------------- user space
$(BUILD)/lib/%.o: src/%.c $(wildcard src/*.h) $(BUILD)/.cflags
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

# (Two rules: one rule with two patterns would make both at once.)
$(BUILD)/capture/%.o: src/%.c $(wildcard src/*.h) $(BUILD)/upcall_cost.skel.h $(BUILD)/.cflags
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/main/%.o: src/%.c $(wildcard src/*.h) $(BUILD)/upcall_cost.skel.h $(BUILD)/.cflags
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/monitor/%.o: src/%.c $(wildcard src/*.h) $(BUILD)/monitor.skel.h $(BUILD)/upcall_cost.skel.h $(BUILD)/.cflags
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@; ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(CAPTURE_OBJS) $(MONITOR_OBJS) $(HTTP_OBJ) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# One file that runs on other distributions: every library linked in,
# glibc too (a binary linked against this glibc's symbol versions would
# not start on an older one).  Debian ships the archives (lib*.a).
static: $(STATIC_BIN)
$(STATIC_BIN): $(MAIN_OBJ) $(CAPTURE_OBJS) $(MONITOR_OBJS) $(HTTP_NONE_OBJ) $(LIB)
	$(call msg,LINK,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -static $^ -o $@ $(LDLIBS_STATIC)

# ---------------------------------------------------------------- man page
man: $(MAN)
$(MAN): man/upcall_cost.8.scd $(BUILD)/.version
	$(call msg,SCDOC,$@)
	@mkdir -p $(@D)
	$(Q)sed 's/@VERSION@/$(VERSION)/' $< | scdoc > $@

# ---------------------------------------------------------------- tools
TOOL_SRCS := $(wildcard tools/*.c)
TOOL_BINS := $(TOOL_SRCS:tools/%.c=$(BUILD)/tools/%)
tools: $(TOOL_BINS)

$(BUILD)/tools/%: tools/%.c $(LIB) $(BUILD)/.cflags
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< $(LIB) -o $@ -lm $(TOOL_LDLIBS_$*)

# ---------------------------------------------------------------- install
# The binary in sbin (it captures as root), the man page, the bash
# completion, and the deployment examples (deploy/: systemd, Kubernetes,
# Prometheus), whatever files it holds, when there is one.
DEPLOY ?= deploy
DEPLOY_FILES = $$(cd $(DEPLOY) 2>/dev/null && find . -type f | sed 's|^\./||' | sort)
install: $(BIN) $(MAN)
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/upcall_cost
	$(INSTALL) -m 0644 $(MAN) $(DESTDIR)$(MANDIR)/man8/upcall_cost.8
	$(INSTALL) -m 0644 completion/upcall_cost.bash $(DESTDIR)$(BASHCOMPDIR)/upcall_cost
	@set -e; for f in $(DEPLOY_FILES); do \
		if [ -x "$(DEPLOY)/$$f" ]; then m=0755; else m=0644; fi; \
		echo "$(INSTALL) -m $$m -D $(DEPLOY)/$$f $(DESTDIR)$(EXAMPLESDIR)/$$f"; \
		$(INSTALL) -m $$m -D "$(DEPLOY)/$$f" "$(DESTDIR)$(EXAMPLESDIR)/$$f"; \
	done

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/upcall_cost $(DESTDIR)$(MANDIR)/man8/upcall_cost.8 \
		$(DESTDIR)$(BASHCOMPDIR)/upcall_cost
	@set -e; for f in $(DEPLOY_FILES); do \
		echo "rm -f $(DESTDIR)$(EXAMPLESDIR)/$$f"; rm -f "$(DESTDIR)$(EXAMPLESDIR)/$$f"; \
	done
	@for d in $(EXAMPLESDIR) $(DOCDIR); do \
		[ ! -d $(DESTDIR)$$d ] || find $(DESTDIR)$$d -depth -type d -empty -delete; \
	done

# ---------------------------------------------------------------- demo
demo: deps
	$(MAKE) all
	./$(BIN) -q -r $(DEMO)

# ---------------------------------------------------------------- tests
$(BUILD)/tests/%: tests/%.c tests/test_util.h $(LIB) $(BUILD)/.cflags
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Itests $< $(LIB) -o $@ -lcmocka -lm

unit-bins: $(TEST_BINS)

unit: unit-bins
	@sh tests/run.sh --only unit --build $(BUILD) --bin ./$(BIN)

parity: $(BIN)
	@sh tests/parity.sh ./$(BIN)

# The same code built with ASan and UBSan, for tests/run.sh.
SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
sanitize-build:
	$(MAKE) BUILD=build-san BIN=build-san/upcall_cost \
		CC=clang CFLAGS="$(SAN_FLAGS)" build-san/upcall_cost unit-bins

# Every test: unit tests, parity with upcall_cost.py, both again under
# ASan/UBSan, live capture of the USDT half, the man page, make install.
# One summary line at the end.
check: deps
	$(MAKE) WERROR=1 all unit-bins
	$(MAKE) WERROR=1 sanitize-build
	@sh tests/run.sh --build $(BUILD) --bin ./$(BIN)

# Slow ones (minutes; they download from Debian's archive), for CI.
check-static: deps
	@sh tools/install-deps.sh debootstrap file
	$(MAKE) WERROR=1 all static
	@sh tests/slow/static.sh $(STATIC_BIN) ./$(BIN)

check-package: deps
	@sh tools/install-deps.sh dpkg-dev debhelper lintian debootstrap
	@sh tests/slow/package.sh

# make e2e's checks with the package's binary, installed (after check-package).
e2e-package: deps
	@sh tests/slow/package-e2e.sh

bench: deps
	$(MAKE) all
	@sh bench/run.sh

fuzz: deps
	@sh fuzz/run.sh

e2e: deps
	$(MAKE) all
	@sh testbed/e2e.sh

# Monitor mode on the testbed: beside a full trace, scraped by Prometheus.
e2e-monitor: deps
	$(MAKE) all
	@sh tests/vm/monitor_e2e.sh

# Kernels 5.10 (Debian 11), 6.1 (12), 6.12 (13) x OVS 3.1 (Debian 12), 3.5 (13).
E2E_MATRIX_PAIRS ?= 5.10-3.1 5.10-3.5 6.1-3.1 6.1-3.5 6.12-3.1 6.12-3.5
e2e-matrix: deps
	$(MAKE) all
	@E2E_PAIRS="$(E2E_MATRIX_PAIRS)" sh testbed/e2e.sh

clean:
	rm -rf build build-san build-fuzz upcall_cost
