/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * correlate.h - from a trace's usable events to per-upcall event sets.
 *
 * The rules (all in correlate.c) are upcall_cost.py's collect_event_sets():
 *  1. vswitchd events are split per handler thread;
 *  2. per thread, a state machine rebuilds the receive batches and gives
 *     each received upcall its flow put, execute and kernel execute;
 *  3. each kernel upcall is matched to the first later received upcall
 *     with the same datapath port (or a tunnel), length and bytes.
 * Step 3 is indexed instead of the original's quadratic scan, with the
 * same result.  Where the original is wrong, this is right (README,
 * "Compatibility"): a difference confined to the L4 checksum never breaks a
 * match (B12), and threads with equal names are counted apart (B8).
 */
#ifndef UC_CORRELATE_H
#define UC_CORRELATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/* One upcall: its events, by type. */
struct uc_set {
	uint32_t ev[UC_EV_MAX];  /* index in trace->ev, or UC_NONE */
	uint32_t thread;         /* index in uc_correlation.threads */
	uint32_t batch_size;     /* upcalls in the RECV's batch */
	uint32_t batch_pos;      /* 0-based position of the RECV in it */
};

/* A handler thread that received upcalls. */
struct uc_thread_stat {
	uint32_t tid;
	uint32_t comm;           /* name of its first RECV, in trace->names */
	uint64_t upcalls;        /* RECV_UPCALLs it handled */
};

struct uc_correlation {
	struct uc_set *sets;     /* in kernel-upcall order */
	size_t n_sets;
	uint32_t *batch_sizes;   /* every batch, in the order it ended */
	size_t n_batches;
	struct uc_thread_stat *threads;  /* in order of first appearance */
	size_t n_threads;
	uint64_t n_dp_upcalls;   /* usable kernel upcalls */
	uint64_t n_recv_upcalls; /* usable received upcalls */
	uint64_t recv_no_put;    /* received upcalls given no flow put */
	uint64_t recv_no_execute;/* ... no execute */
	uint64_t puts_dropped;   /* flow puts attached to no upcall */
	uint64_t executes_dropped; /* executes attached to no upcall */
	bool warn_partial;       /* compared packets of different captured sizes */
	bool warn_frag;          /* compared a kernel packet with fragments */
};

/* Returns 0, or -ENOMEM.  May be called again as the trace grows. */
int uc_correlate(const struct uc_trace *t, struct uc_correlation *out);

/*
 * Step 2 runs while the trace is built: the trace sink feeds every usable
 * vswitchd event (with the thread name of a RECV, and the packet of an
 * execute, which is compared at once and not kept) to the trace's batcher.
 */
struct uc_batcher *uc_batcher_new(void);
void uc_batcher_free(struct uc_batcher *b);
int uc_batcher_feed(struct uc_batcher *b, const struct uc_trace *t,
		    uint32_t index, uint32_t comm, const uint8_t *pkt,
		    uint32_t cap);
void uc_correlation_free(struct uc_correlation *c);

#endif /* UC_CORRELATE_H */
