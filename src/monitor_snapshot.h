/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_snapshot.h - what monitor mode knows at one moment: every
 * counter and histogram of the BPF side, summed over CPUs, cumulative
 * since the start, with the breakdown labels named.  The renderers
 * (monitor_text, monitor_json, monitor_openmetrics) take snapshots and
 * nothing else; an interval's figures are the difference of two.
 */
#ifndef UC_MONITOR_SNAPSHOT_H
#define UC_MONITOR_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "monitor_hist.h"

/* Monitor counters kept in user space, after the BPF ones. */
enum uc_mon_user_counter {
	UC_MU_EXPIRED,        /* kernel upcalls nobody received in time */
	UC_MU_RECORDINGS,     /* flight recordings started (--trigger) */
	UC_MU_COUNT,
};

/* One breakdown label: a datapath port or a handler thread. */
struct uc_mon_label {
	enum uc_mon_label_kind kind;
	uint32_t slot;           /* the BPF side's label slot */
	bool other;              /* the "other" bucket of its kind */
	int64_t port;            /* ports: datapath port number, -1 if none */
	char name[64];           /* port or thread name ("other") */
	uint64_t receives;
	struct uc_mon_seg seg[UC_M_COUNT];
};

struct uc_mon_snapshot {
	uint64_t mono_ns;        /* CLOCK_MONOTONIC when read */
	uint64_t since_mono_ns;  /* since when it counts: the start, or for a
				  * difference the earlier reading */
	uint64_t real_ns;        /* CLOCK_REALTIME when read */
	bool kernel, user;       /* probes attached */
	int64_t pid;             /* the ovs-vswitchd followed, -1 if none */
	uint64_t start_mono_ns;  /* when monitoring started */
	uint64_t start_real_ns;
	uint32_t hash_bytes;     /* packet bytes hashed */
	uint64_t c[UC_MC_COUNT];
	uint64_t u[UC_MU_COUNT];
	uint64_t inflight;       /* kernel upcalls in flight now (slots) */
	uint64_t inflight_capacity;
	uint64_t threads;        /* handler threads followed now */
	struct uc_mon_seg seg[UC_M_COUNT];
	uint64_t batch[UC_MON_MAX_BATCH + 1];     /* batches by size */
	uint64_t errnos[UC_MON_ERRNO_MAX];        /* lost upcalls by errno */
	struct uc_mon_label *labels;              /* by slot */
	size_t n_labels;
};

void uc_mon_snapshot_init(struct uc_mon_snapshot *s);
void uc_mon_snapshot_free(struct uc_mon_snapshot *s);
/* Sizes the label array for N labels (zeroed).  0 or -ENOMEM. */
int uc_mon_snapshot_labels(struct uc_mon_snapshot *s, size_t n);
/* DST = a deep copy of SRC (DST initialised).  0 or -ENOMEM. */
int uc_mon_snapshot_copy(struct uc_mon_snapshot *dst,
			 const struct uc_mon_snapshot *src);
/*
 * OUT = CUR - PREV: what happened between the two readings (OUT
 * initialised; times and gauges are CUR's).  PREV may have fewer labels
 * (labels appear, never go).  0 or -ENOMEM.
 */
int uc_mon_snapshot_diff(struct uc_mon_snapshot *out,
			 const struct uc_mon_snapshot *cur,
			 const struct uc_mon_snapshot *prev);

/* Does this snapshot's probe set measure segment ID? */
bool uc_mon_segment_measured(const struct uc_mon_snapshot *s,
			     enum uc_metric_id id);

/* Kernel upcalls that reached no receive: lost, untracked, expired... */
uint64_t uc_mon_unmatched_upcalls(const struct uc_mon_snapshot *s);
/* Receives that found no kernel upcall (kernel probes only). */
uint64_t uc_mon_unmatched_receives(const struct uc_mon_snapshot *s);

/* Short stable name of a counter, for JSON and metric labels. */
const char *uc_mon_counter_name(enum uc_mon_counter c);

#endif /* UC_MONITOR_SNAPSHOT_H */
