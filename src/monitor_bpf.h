/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_bpf.h - monitor mode's BPF side seen from user space: loads and
 * attaches monitor.bpf.c, reads its maps into a snapshot, and keeps them
 * tidy (in-flight upcalls nobody received, threads that exited).  The
 * only monitor code that knows BPF.
 */
#ifndef UC_MONITOR_BPF_H
#define UC_MONITOR_BPF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture_int.h"
#include "error.h"
#include "monitor_snapshot.h"
#include "port_map.h"

struct uc_mon_bpf_config {
	bool kernel, user;          /* probe sides to attach (--probes) */
	uint32_t hash_bytes;        /* packet bytes hashed (-P) */
	uint32_t port_cap;          /* breakdown labels before "other" */
	uint32_t handler_cap;
	uint32_t inflight;          /* in-flight map entries */
	uint64_t key_hash_mask;     /* tests: ~0 but to force collisions */
	bool verbose;               /* libbpf's messages */
	bool audit;                 /* tests: every latency to the audit ring */
};

struct uc_mon_bpf;

/*
 * Opens, sizes, loads and attaches the programs for T (its USDT file when
 * CFG->user).  FENTRY_OK / KPROBE_OK: what uc_cap_check_kernel() found;
 * fentry/fexit are tried first, kprobes are the fallback.  0, or -1 with
 * ERR set (nothing left loaded).
 */
int uc_mon_bpf_open(struct uc_mon_bpf **out, const struct uc_mon_bpf_config *cfg,
		    const struct uc_cap_target *t, bool fentry_ok, bool kprobe_ok,
		    struct uc_error *err);
void uc_mon_bpf_close(struct uc_mon_bpf *m);
/* How the kernel side is hooked, for -v: "fentry/fexit", "kprobes". */
const char *uc_mon_bpf_kernel_hooks(const struct uc_mon_bpf *m);

/* Reads every counter and histogram into S (labels named by kind, port
 * number or thread name; port names are the caller's).  0 or -1. */
int uc_mon_bpf_read(struct uc_mon_bpf *m, struct uc_mon_snapshot *s,
		    struct uc_error *err);

/*
 * Housekeeping, once an interval: removes in-flight upcalls older than
 * MAX_AGE_NS (counted as expired: nobody received them) and the state of
 * handler threads of PID that exited; counts what is in flight.  0 or -1.
 */
int uc_mon_bpf_sweep(struct uc_mon_bpf *m, uint64_t max_age_ns, int64_t pid,
		     struct uc_error *err);

/* With CFG->audit: the audit ring's descriptor (readable: drain it), and
 * the draining, one line "SEGMENT TID RECV_TS VALUE_NS" per latency. */
int uc_mon_bpf_audit_fd(const struct uc_mon_bpf *m);
int uc_mon_bpf_audit_drain(struct uc_mon_bpf *m, FILE *out);

/* For kernels without the openvswitch module's BTF: device name ->
 * datapath port, from dpctl/show.  0 or -1. */
int uc_mon_bpf_set_ports(struct uc_mon_bpf *m, const struct uc_port_map *map,
			 struct uc_error *err);

#endif /* UC_MONITOR_BPF_H */
