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
	bool audit;                 /* tests: every latency to the audit ring */
};

struct uc_mon_bpf;

/* monitor.bpf.c's probe points, their hooks and what it needs of the
 * kernel, for capture_setup.c and capture_variant.c. */
extern const struct uc_bpf_family uc_monitor_family;

/* The BPF memory CFG's maps take (for the RLIMIT_MEMLOCK check). */
uint64_t uc_mon_bpf_map_bytes(const struct uc_mon_bpf_config *cfg);

/*
 * Opens, sizes, loads and attaches the variant chosen in SETUP (its USDT
 * programs to SETUP's target when it traces user space); a hook that
 * fails and may be replaced (fentry, fexit) is, and SETUP's variant says
 * so.  0, or -1 with ERR set (nothing left loaded).
 */
int uc_mon_bpf_open(struct uc_mon_bpf **out, const struct uc_mon_bpf_config *cfg,
		    struct uc_cap_setup *setup, struct uc_error *err);
void uc_mon_bpf_close(struct uc_mon_bpf *m);

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
