/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_int.h - the parts of the live capture behind capture.h, internal
 * to the capture objects:
 *
 *   capture_sys.c      credentials and capture_info
 *   capture_kernel.c   what the running kernel offers (probed, not assumed)
 *   capture_tracefs.c  the ovs_dp_upcall tracepoint's record layout
 *   capture_variant.c  which BPF program serves each probe point, and why
 *   capture_setup.c    everything settled before loading: privileges, the
 *                      kernel, the variant, the process
 *   capture_load.c     skeleton: configure, load and attach a variant
 *   capture_ovs.c      the ovs-vswitchd: process, USDT notes, port map
 *   capture.c          the session (capture.h)
 *   capture_run.c      the driver upcall_cost uses (signals, -s, exit)
 */
#ifndef UC_CAPTURE_INT_H
#define UC_CAPTURE_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <bpf/libbpf.h>

#include "capture.h"
#include "error.h"
#include "event.h"
#include "port_map.h"

/* Capabilities newer than some libc headers (Linux 5.8). */
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* ------------------------------------------------------------ the target */

/* The ovs-vswitchd traced. */
struct uc_cap_target {
	int64_t pid;              /* host PID, -1 when none (kernel probes only) */
	char exe[PATH_MAX];       /* its binary, as that process sees it */
	char usdt_path[PATH_MAX]; /* the ELF file holding the USDT notes, as
				   * we see it (via /proc/PID/root when the
				   * process is in another mount namespace) */
	bool usdt_in_lib;         /* usdt_path is a shared libopenvswitch */
	unsigned usdt_found;      /* bit i: uc_usdt_probes[i] is there */
	char ctl[PATH_MAX];       /* its unixctl socket, "" = ovs-appctl's default */
};

/* What a USDT probe is for: the first three are required. */
enum uc_usdt_use {
	UC_USDT_CORE,        /* upcall_cost.py's three */
	UC_USDT_FORENSICS,   /* flow deletions (forensics) */
	UC_USDT_REASONS,     /* revalidator results (--miss-reasons) */
};

/* The USDT probes we attach (the programs are each BPF object's: struct
 * uc_bpf_family). */
struct uc_usdt_probe {
	const char *provider, *name;
	enum uc_usdt_use use;
};
#define UC_N_USDT_CORE 3
#define UC_N_USDT 7
extern const struct uc_usdt_probe uc_usdt_probes[UC_N_USDT];

/*
 * Finds the ovs-vswitchd: WANT_PID if >= 0, else the only process named
 * ovs-vswitchd.  NEED (user probes requested) makes "none", "several" and
 * an unreadable binary errors; otherwise T->pid may be left -1 and
 * ovs-appctl uses its default.
 */
int uc_cap_find_target(int64_t want_pid, bool need, struct uc_cap_target *t,
		       struct uc_error *err);
/* Sets T->usdt_path to the file with the UC_N_USDT_CORE probes (and
 * T->usdt_found to every probe it has), or fails. */
int uc_cap_find_usdt(struct uc_cap_target *t, struct uc_error *err);

/*
 * Runs `ovs-appctl [-t CTL] dpctl/show` (with default signal handling and
 * an empty signal mask) and parses it into MAP (initialised here).  On
 * failure MAP is empty and invalid, WARN says why and -1 is returned;
 * -ENOMEM is the only hard error.
 */
int uc_cap_dpctl(const struct uc_cap_target *t, struct uc_port_map *map,
		 char *warn, size_t warn_len);

/* ------------------------------------------------------------ credentials */

/* What a recording made now says about itself: the capture settings of
 * CFG, tool version, host, kernel, and the clocks at this moment. */
void uc_cap_info(const struct uc_capture_config *cfg, struct uc_capture_info *info);

/* True when CAP is in our effective set. */
bool uc_cap_has(int cap);
/*
 * Fails, naming the capability, unless we may load and attach the
 * programs: CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN), and CAP_SYS_ADMIN
 * where kernel.perf_event_paranoid is above 2 (Debian's patch).
 */
int uc_cap_check_bpf_caps(struct uc_error *err);
/*
 * Before Linux 5.11 BPF memory is charged to RLIMIT_MEMLOCK: fails, naming
 * CAP_SYS_RESOURCE, when the limit is below what MAP_BYTES (the large maps:
 * a ring buffer, monitor mode's tables) need and we may not raise it.
 * MEMCG: the kernel charges memory cgroups instead.
 */
int uc_cap_check_memlock(bool memcg, uint64_t map_bytes, struct uc_error *err);
/* Fails, naming CAP_SYS_ADMIN, when the kernel lets only it open uprobes. */
int uc_cap_check_uprobes(struct uc_error *err);
/*
 * Fails, naming CAP_SYS_PTRACE, when the files of process PID under /proc
 * (its binary, maps, root), and so its probes, are closed to us.
 */
int uc_cap_check_ptrace(int64_t pid, struct uc_error *err);

/* ------------------------------------------------------------ the kernel */

/* The ovs_dp_upcall tracepoint record: offsets of the fields we read. */
struct uc_tp_layout {
	uint32_t dp_name, dev_name;  /* __data_loc char[] */
	uint32_t skbaddr;            /* void * */
	uint32_t len;                /* unsigned int */
	uint32_t upcall_cmd;         /* u8 */
	uint32_t keyaddr;            /* const void *: monitor mode's, optional */
	bool has_keyaddr;
};

/*
 * Parses TEXT, the contents of tracefs's events/openvswitch/ovs_dp_upcall/
 * format, into L.  Returns 0, or -1 with WHY (a phrase) saying which field
 * is missing or not of the size the program reads.
 */
int uc_tp_parse_format(const char *text, struct uc_tp_layout *l,
		       char *why, size_t why_len);

/* What the running kernel offers, as probed (nothing assumed from its
 * version but where the kernel gives no other way to tell). */
struct uc_cap_kernel {
	char release[65];         /* uname -r */
	bool btf_vmlinux;         /* /sys/kernel/btf/vmlinux */
	bool ovs_loaded;          /* /sys/module/openvswitch */
	bool btf_module;          /* /sys/kernel/btf/openvswitch */
	char tracefs[48];         /* where tracefs is mounted, "" if nowhere */
	bool tracepoint;          /* ovs_dp_upcall exists and its layout parsed */
	struct uc_tp_layout tp;
	char tp_why[256];         /* why the tracepoint is unusable */
	bool kprobes;             /* the kprobe PMU or kprobe_events */
	bool ringbuf;             /* BPF_MAP_TYPE_RINGBUF (5.8) */
	bool ringbuf_dynptr;      /* bpf_ringbuf_reserve_dynptr (5.19) */
	bool bpf_cookie;          /* bpf_get_attach_cookie (5.15): libbpf's
				   * USDT support needs no address table */
	bool memcg;               /* BPF memory charged to memory cgroups
				   * (5.11), not RLIMIT_MEMLOCK */
	/* For --explain (probed only then): */
	bool explain_probed;
	bool tp_btf;              /* BTF tracepoints (vmlinux BTF, 5.5) */
	bool fentry_vmlinux;      /* fentry/fexit attach to kernel functions */
	char fentry_why[160];     /* why not */
};

/*
 * Probes what the kernel offers.  KERNEL_PROBES: the openvswitch module
 * and tracefs matter.  Needs the BPF capabilities (it loads tiny test
 * programs).
 */
void uc_cap_probe_kernel(bool kernel_probes, struct uc_cap_kernel *k);
/* What --explain needs: BTF tracepoints, and fentry on the kernel's
 * syscall functions (tried: a tiny program loaded and attached). */
void uc_cap_probe_explain(struct uc_cap_kernel *k);
/* Fails on a kernel --explain is refused on (uc_cap_probe_kernel's K). */
int uc_cap_explain_allowed(const struct uc_cap_kernel *k, struct uc_error *err);

/* ------------------------------------------------------------ variants */

enum uc_hook_kind {
	UC_HOOK_TRACEPOINT, UC_HOOK_KPROBE, UC_HOOK_KRETPROBE, UC_HOOK_FENTRY,
	UC_HOOK_FEXIT, UC_HOOK_TP_BTF,
};
/* "tracepoint", "kprobe", "kretprobe", "fentry", "fexit", "BTF tracepoint" */
const char *uc_hook_kind_name(enum uc_hook_kind kind);

#define UC_MAX_HOOK_PROGS 10
/* A hook's programs: UC_PROGS("a", "b") */
#define UC_PROGS(...) { __VA_ARGS__, NULL }

/* One way to hook a kernel probe point. */
struct uc_hook {
	enum uc_hook_kind kind;
	const char *progs[UC_MAX_HOOK_PROGS + 1];  /* its programs in the
				   * family's object, NULL-terminated */
	const char *target;       /* tracepoint or function */
	bool module_types;        /* reads openvswitch types (CO-RE) */
	bool may_fail_load;       /* if loading fails, the next hook is tried */
	bool module_fn;           /* the target is in the openvswitch module */
};

/* When a probe point is wanted. */
enum uc_point_want {
	UC_WANT_KERNEL,           /* whenever the kernel half is traced */
	UC_WANT_EXPLAIN,          /* with --explain */
};

/* A kernel probe point and its hooks, best first. */
struct uc_kprobe_point {
	const char *what;         /* "kernel upcall" */
	uint32_t feature;         /* UC_FEAT_* it gives, 0: an event type's */
	enum uc_point_want want;
	bool optional;            /* the capture goes on without it (said) */
	const struct uc_hook *hooks;
	size_t n_hooks;
};
#define UC_MAX_HOOKS 4
#define UC_MAX_KPOINTS 6

/*
 * A BPF object's probe points and what it needs of the kernel: the full
 * trace's (upcall_cost.bpf.c, uc_capture_family) or monitor mode's
 * (monitor.bpf.c).  A new probe point is one more row in its points and
 * its programs in the object.
 */
struct uc_bpf_family {
	const struct uc_kprobe_point *points;
	size_t n_points;                        /* <= UC_MAX_KPOINTS */
	const char *usdt_progs[UC_N_USDT];      /* the program of each uc_usdt_probes[i] */
	bool ringbuf;                           /* records go through a ring buffer */
	const char *const *btf_types;           /* structs a --btf file must have */
	size_t n_btf_types;
	bool forensics;                         /* flow requests and deletions */
};

/* The full trace's kernel probe points, indexes of its points. */
enum {
	UC_KP_DP_UPCALL, UC_KP_PKT_EXEC, UC_KP_DP_RESULT, UC_KP_FLUSH,
	UC_KP_SCHED, UC_KP_SYSCALLS, UC_N_KPOINTS,
};
extern const struct uc_bpf_family uc_capture_family;

/* Which program serves each probe point, and why. */
struct uc_variant {
	const struct uc_bpf_family *family;
	bool kernel, user;                      /* sides traced */
	bool explain;                           /* --explain */
	bool forensics;                         /* flow requests and deletions */
	bool miss_reasons;                      /* --miss-reasons */
	bool ring_dynptr;                       /* else fixed-size reservations */
	bool ring_fixed_wanted;                 /* fixed even with dynptrs (tests) */
	bool ring_forced;                       /* fixed although dynptrs exist */
	const struct uc_hook *hook[UC_MAX_KPOINTS]; /* NULL: side not traced */
	char why[UC_MAX_KPOINTS][256];          /* why not the better hooks */
	const char *btf_path;                   /* --btf, NULL: the kernel's */
	bool cap_sys_admin;                     /* libbpf may read module BTF */
	/* hooks that failed to load, and why (the next one is tried) */
	bool hook_failed[UC_MAX_KPOINTS][UC_MAX_HOOKS];
	char fail_why[UC_MAX_KPOINTS][256];
};

/* A variant of F's programs for PROBES, with --btf BTF_PATH (or NULL),
 * nothing chosen yet. */
void uc_variant_init(struct uc_variant *v, const struct uc_bpf_family *f,
		     enum uc_probe_set probes, const char *btf_path);
/* What the session wants beyond its probes: --explain, and the miss
 * forensics (with --miss-reasons) where the family has them. */
void uc_variant_want(struct uc_variant *v, bool explain, bool miss_reasons);

/* Fails unless PATH (--btf) is a BTF file with the openvswitch types F's
 * programs read. */
int uc_cap_check_btf_file(const char *path, const struct uc_bpf_family *f,
			  struct uc_error *err);

/*
 * Chooses, for each kernel probe point, the best hook K allows (skipping
 * those already marked failed in V), and the ring-buffer mode.  Returns 0,
 * or -1 with ERR saying what is missing (and how to get it) when some
 * point has no usable hook or the kernel lacks what every variant needs.
 */
int uc_variant_choose(struct uc_cap_kernel *k, struct uc_variant *v,
		      struct uc_error *err);

/*
 * One attempt to load (and attach) variant V: 0, or -1 with ERR set and
 * *FAILED_POINT the kernel point whose hook failed and may be replaced
 * (-1: none).  It leaves nothing loaded when it fails.
 */
typedef int (*uc_variant_loader)(void *ctx, const struct uc_variant *v,
				 int *failed_point, struct uc_error *err);
/*
 * LOAD with V; when a hook that may fail does (fentry on a kernel that
 * refuses it), marks it failed, chooses again and retries.  0, or -1 with
 * ERR set (with the first failure's reason when they differ).
 */
int uc_variant_load(struct uc_cap_kernel *k, struct uc_variant *v,
		    uc_variant_loader load, void *ctx, struct uc_error *err);
/* The first kernel point of V whose chosen hook may be replaced, or -1. */
int uc_variant_replaceable(const struct uc_variant *v);

/* -v: one line per choice, with the reason ("- Kernel upcall: ..."). */
void uc_variant_describe(const struct uc_variant *v, const struct uc_cap_kernel *k,
			 const struct uc_cap_target *t, FILE *out);

/* Is point P wanted by V? */
bool uc_variant_wants(const struct uc_variant *v, size_t p);
/* Is USDT probe I attached (wanted by V and present in T's file)? */
bool uc_variant_usdt(const struct uc_variant *v, const struct uc_cap_target *t, size_t i);
/* UC_FEAT_* and UC_FEATHOW_* of what V traces in T. */
uint64_t uc_variant_features(const struct uc_variant *v, const struct uc_cap_target *t,
			     uint64_t *how);

/* ------------------------------------------------------------ setup */

/* libbpf's own messages on stderr with VERBOSE (-v), else none (our
 * errors say what failed); returns the previous printer, to restore. */
libbpf_print_fn_t uc_cap_libbpf_messages(bool verbose);

/* What a session asks for. */
struct uc_cap_wants {
	const struct uc_bpf_family *family;
	enum uc_probe_set probes;
	int64_t pid;              /* -1: the only ovs-vswitchd */
	const char *btf_path;     /* --btf, or NULL */
	uint64_t map_bytes;       /* BPF memory its maps take */
	bool ring_fixed;          /* tests: fixed-size records */
	bool explain;             /* --explain (the full trace's) */
	bool miss_reasons;        /* --miss-reasons */
};

/* What is settled before anything is loaded. */
struct uc_cap_setup {
	struct uc_cap_kernel kernel;
	struct uc_variant variant;
	struct uc_cap_target target;
};

/*
 * Everything that must hold before anything is loaded, in the order a
 * user fixes them: --btf, privileges, the kernel (probed), BPF memory,
 * the variant, the process and its USDT probes, uprobes.  0, or -1 with
 * ERR naming the first thing missing.
 */
int uc_cap_setup(struct uc_cap_setup *s, const struct uc_cap_wants *w,
		 struct uc_error *err);

/* ------------------------------------------------------------ loading */

struct upcall_cost_bpf;
struct bpf_object;
struct bpf_link;

/* The links that attach a variant. */
#define UC_MAX_LINKS (UC_MAX_KPOINTS * UC_MAX_HOOK_PROGS + UC_N_USDT)
struct uc_links {
	struct bpf_link *l[UC_MAX_LINKS];
	size_t n;
};

/* Only V's programs in OBJ load: each kernel point's chosen hook, and the
 * USDT programs when V traces user space.  0 or -1. */
int uc_variant_autoload(struct bpf_object *obj, const struct uc_variant *v,
			const struct uc_cap_target *t, struct uc_error *err);
/*
 * Attaches V's loaded programs of OBJ (the USDT ones to T) into L.  On
 * failure -1 with ERR set, and *FAILED_POINT set to the kernel point
 * whose hook may be replaced (left alone otherwise).
 */
int uc_variant_attach(struct bpf_object *obj, const struct uc_variant *v,
		      const struct uc_cap_target *t, struct uc_links *l,
		      int *failed_point, struct uc_error *err);
void uc_links_destroy(struct uc_links *l);

/* The loaded object and what it is attached with. */
struct uc_loaded {
	struct upcall_cost_bpf *skel;
	struct uc_links links;
	size_t handlers;          /* handler threads seeded (--explain) */
};

/*
 * Opens the skeleton (with V->btf_path for CO-RE), configures it for CFG,
 * V and the tracepoint layout TP, loads V's programs and attaches them
 * (the USDT ones to T).  On failure returns -1 with ERR set, and sets
 * *FAILED_POINT to the kernel point whose hook failed to load when that
 * hook may be replaced (-1 otherwise).  L is left for uc_unload either way.
 */
int uc_load_attach(struct uc_loaded *l, const struct uc_capture_config *cfg,
		   const struct uc_variant *v, const struct uc_tp_layout *tp,
		   const struct uc_cap_target *t, int *failed_point,
		   struct uc_error *err);
/* The same up to loading (the verifier's pass), attaching nothing. */
int uc_load(struct uc_loaded *l, const struct uc_capture_config *cfg,
	    const struct uc_variant *v, const struct uc_tp_layout *tp,
	    const struct uc_cap_target *t, int *failed_point, struct uc_error *err);
/* Detaches every probe (records already in the ring stay readable). */
void uc_detach(struct uc_loaded *l);
void uc_unload(struct uc_loaded *l);

#endif /* UC_CAPTURE_INT_H */
