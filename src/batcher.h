/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * batcher.h - rebuilds each handler thread's receive batches as the
 * events arrive (upcall_cost.py's per-thread state machine).
 *
 * A handler reads a batch of upcalls (receives back to back), then for
 * each, in order, encodes an optional flow put and an optional execute;
 * the kernel executes follow.  The batcher gives each receive its flow
 * put, execute and kernel execute, and hands the completed entries of a
 * batch to its owner when the batch ends: at the thread's next receive,
 * as upcall_cost.py did, since only that tells that nothing more of the
 * batch will come.  That may be much later (a quiet handler's last batch
 * ends with the events), so the owner also hears, as soon as the last
 * entry has its execute and every execute its kernel execute, that the
 * batch looks complete.  An execute's packet is
 * compared with its receive's when it arrives and is never kept; a
 * receive's bytes are kept only until its batch ends.
 */
#ifndef UC_BATCHER_H
#define UC_BATCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "matcher.h"
#include "ovs_netlink.h"
#include "trace.h"

/* One received upcall and what it collected. */
struct uc_batch_entry {
	uint32_t ev[UC_EV_MAX];   /* usable-event positions, UC_NONE if absent
				   * (the DP one is the match's) */
	uint64_t ts[UC_EV_MAX];   /* their timestamps */
	uint32_t thread;          /* slot of its thread (uc_batcher_threads) */
	uint32_t batch_size;      /* upcalls in its batch */
	uint32_t batch_pos;       /* 0-based position in it */
	bool suspect;             /* its batch had an operation that fitted
				   * no upcall: events were likely lost */
	bool has_dp;              /* the receive took a kernel upcall */
	bool other_port;          /* a receive of another --port */
	struct uc_dp_match dp;
	uint32_t recirc_id;       /* its receive's key's recirculation id */
	bool has_ufid;            /* its flow put's request named a UFID */
	struct uc_ufid ufid;
	/* Its batch, for the explanation (0: none). */
	uint64_t batch_first_recv;/* the batch's first receive */
	uint64_t next_recv;       /* the next receive of the batch */
	uint64_t first_op;        /* the batch's first put or execute */
	/* Its receive's packet, valid during on_entry. */
	const uint8_t *pkt;
	uint32_t pkt_cap, pkt_len;
};

/* A handler thread as the batcher saw it. */
struct uc_batch_thread {
	uint32_t tid;
	uint32_t comm;            /* name of its first receive, or UC_NONE */
	uint64_t upcalls;         /* receives (of the --port kept) */
};

/*
 * on_entry: called with each entry of a batch when it ends.  on_complete
 * (may be NULL): with each entry of a batch that looks complete, before it
 * ends; only the events, kernel upcall and UFID are set, and the entry may
 * still change (an operation that then comes makes it suspect).  0 or
 * -errno.
 */
struct uc_entry_sink {
	void *ctx;
	int (*on_entry)(void *ctx, const struct uc_batch_entry *e);
	int (*on_complete)(void *ctx, const struct uc_batch_entry *e);
};

struct uc_batcher;

struct uc_batcher *uc_batcher_new(struct uc_entry_sink sink);
void uc_batcher_free(struct uc_batcher *b);

/*
 * A usable vswitchd event (a receive comes with the kernel upcall it
 * took, or NULL).  Returns 0 or a negative errno (the sink's, or
 * -ENOMEM).
 */
int uc_batcher_feed(struct uc_batcher *b, const struct uc_usable *ev,
		    const struct uc_dp_match *dp);

/* The events are over: ends every thread's open batch, in thread order. */
int uc_batcher_finish(struct uc_batcher *b);

/* Threads in order of first appearance: how many, and the K-th. */
size_t uc_batcher_n_threads(const struct uc_batcher *b);
struct uc_batch_thread uc_batcher_thread(const struct uc_batcher *b, size_t k);
/* Batch sizes in the order the batches ended. */
const uint32_t *uc_batcher_sizes(const struct uc_batcher *b, size_t *n);
/* Flow puts and executes that fitted no upcall of their batch. */
uint64_t uc_batcher_puts_dropped(const struct uc_batcher *b);
uint64_t uc_batcher_executes_dropped(const struct uc_batcher *b);

#endif /* UC_BATCHER_H */
