/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * correlate.h - from a run's usable events to per-upcall event sets, as
 * the events arrive.
 *
 * The rules are upcall_cost.py's collect_event_sets(), split in two units:
 *  - batcher.h: per handler thread, a state machine rebuilds the receive
 *    batches and gives each received upcall its flow put, execute and
 *    kernel execute;
 *  - matcher.h: each kernel upcall is matched to the first later received
 *    upcall with the same datapath port (or a tunnel), length and bytes.
 * The correlator feeds them and collects their results: a set per matched
 * upcall, the receives that matched none, and what the report needs of
 * the rest, so that no event has to be kept once its upcall is settled.
 * Where the original is wrong, this is right (README, "Compatibility"):
 * threads with equal names are counted apart (B8).
 */
#ifndef UC_CORRELATE_H
#define UC_CORRELATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "explain.h"
#include "forensics.h"
#include "lost.h"
#include "packet.h"
#include "timeline.h"
#include "trace.h"
#include "upcall.h"

/* One upcall: its events.  A receive that took no kernel upcall is one
 * too (in uc_correlation.lone), with no DP event. */
struct uc_set {
	uint32_t ev[UC_EV_MAX];  /* usable-event position, or UC_NONE */
	uint64_t ts[UC_EV_MAX];  /* their timestamps (ns) where present */
	uint32_t thread;         /* index in uc_correlation.threads */
	uint32_t batch_size;     /* upcalls in the receive's batch */
	uint32_t batch_pos;      /* 0-based position of the receive in it */
	bool suspect;            /* its batch had operations that fitted no
				  * upcall (events lost): its put, execute
				  * and kernel execute may be another's */
	/* The kernel upcall (sets only). */
	uint32_t dp_cpu;
	int32_t port;
	uint32_t dp_name;        /* index in the trace's names */
	uint32_t pkt_len;
	uint32_t expl;           /* its explanation (uc_correlation.expl), or
				  * UC_NONE */
	struct uc_miss miss;     /* why it missed (cls UC_MISS_NONE: not
				  * classified) */
};

static inline bool uc_set_has(const struct uc_set *s, int type)
{
	return s->ev[type] != UC_NONE;
}

/* A handler thread that received upcalls. */
struct uc_thread_stat {
	uint32_t tid;
	uint32_t comm;           /* name of its first RECV, in the trace's names */
	uint64_t upcalls;        /* RECV_UPCALLs it handled */
};

/* Every usable kernel upcall, for the breakdowns by port and time. */
struct uc_dp_note {
	uint64_t ts;
	uint32_t dp_name;
	int32_t port;
	uint32_t cpu;
};

struct uc_correlation {
	struct uc_set *sets;     /* matched upcalls, in kernel-upcall order */
	size_t n_sets;
	/* Per set, its kernel packet's headers: apart from the sets, which
	 * every summary reads whole, as only the outliers need them. */
	struct uc_packet_info *set_pkt;
	struct uc_set *lone;     /* receives that took no kernel upcall */
	size_t n_lone;
	uint32_t *batch_sizes;   /* every batch, in the order it ended */
	size_t n_batches;
	struct uc_thread_stat *threads;  /* in order of first appearance */
	size_t n_threads;
	struct uc_dp_note *dps;  /* every usable kernel upcall, in order */
	size_t n_dps;
	uint64_t n_recv_upcalls; /* usable received upcalls */
	uint64_t recv_no_put;    /* received upcalls given no flow put */
	uint64_t recv_no_execute;/* ... no execute */
	uint64_t puts_dropped;   /* flow puts attached to no upcall */
	uint64_t executes_dropped; /* executes attached to no upcall */
	uint64_t recv_filtered;  /* receives of threads --handler-filter left out */
	uint64_t recv_other_port;/* receives of other --port, kept for batches */
	uint64_t dp_filtered;    /* unmatched kernel upcalls one of those took */
	uint64_t suspect_sets;   /* sets in batches with unfitting operations */
	uint64_t recv_before_dp; /* sets whose receive is timestamped before
				  * their kernel upcall */
	bool warn_partial;       /* compared packets of different captured sizes */
	bool warn_frag;          /* compared a kernel packet with fragments */

	/* Where the time went (--explain): one per set explained. */
	bool explained;          /* the run has timeline records */
	struct uc_explanation *expl;
	size_t n_expl;
	struct uc_strtab expl_names;   /* their who names */
	uint64_t tl_records, tl_lost;  /* timeline records taken, missing */
	uint64_t tl_threads;           /* threads followed */
	/* Why upcalls happened. */
	bool classified;         /* the run has flow records */
	struct uc_strtab miss_names;   /* who deleted or flushed */
	struct uc_forensics_stats fx;
	/* The kernel's verdicts. */
	struct uc_lost_log lost;
};

struct uc_correlator;

/*
 * TRACE (the stage feeding the correlator) names the names, ports and
 * clocks the settled upcalls are handed over with.
 */
struct uc_correlator *uc_correlator_new(const struct uc_trace *trace);
void uc_correlator_free(struct uc_correlator *c);
/* Each upcall as it settles goes to SINK too (--pcap). */
void uc_correlator_on_upcall(struct uc_correlator *c, struct uc_upcall_sink sink);
/* Where the trace hands its usable events. */
struct uc_usable_sink uc_correlator_sink(struct uc_correlator *c);
/*
 * The events are over: settles what is still open and moves the result
 * into OUT.  Returns 0 or -ENOMEM (OUT is then empty).  The correlator
 * can only be freed afterwards.
 */
int uc_correlator_finish(struct uc_correlator *c, struct uc_correlation *out);

void uc_correlation_free(struct uc_correlation *c);

#endif /* UC_CORRELATE_H */
