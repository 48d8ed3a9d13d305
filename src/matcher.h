/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * matcher.h - kernel upcall to received upcall, as the events arrive.
 *
 * upcall_cost.py's rule: each kernel upcall (DP), in arrival order, takes
 * the first later receive (RECV) not taken yet with the same datapath port
 * (or a tunnel receive, whose port is unknown), the same length and the
 * same captured bytes.  Here each RECV, as it arrives, is offered to the
 * waiting DPs in arrival order and the first that agrees takes it.  That
 * is the same matching: a DP takes a RECV in the original exactly when no
 * earlier waiting DP agrees with it and no earlier RECV agreed with the
 * DP, which is what "first waiting DP that agrees" means at the RECV's
 * arrival; and the pairs compared are the same pairs (each DP meets the
 * RECVs that arrive while it waits, up to its own), so the original's two
 * warnings come out the same.  Working online means the bytes of a DP are
 * kept only while it waits, and a RECV's are not kept at all.
 *
 * Where the original is wrong, this is right (README, "Compatibility"):
 * a difference confined to the L4 checksum never breaks a match (B12).
 */
#ifndef UC_MATCHER_H
#define UC_MATCHER_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"
#include "trace.h"

/* What a kernel upcall hands to the receive that takes it. */
struct uc_dp_match {
	uint32_t seq;            /* the DP's usable-event position */
	uint32_t index;          /* its position among the kernel upcalls */
	uint32_t cpu;
	uint64_t ts;
	int32_t port;
	uint32_t dp_name;        /* index in the trace's names */
	uint32_t pkt_len;
	uint64_t flow_id;        /* its flow, as forensics.h identifies it */
	struct uc_packet_info info;   /* its headers, for outliers */
};

struct uc_matcher;

struct uc_matcher *uc_matcher_new(void);
void uc_matcher_free(struct uc_matcher *m);

/* A kernel upcall, the INDEX-th, of flow FLOW_ID: it waits (with a copy
 * of its bytes) for its receive.  Returns 0 or -ENOMEM. */
int uc_matcher_add_dp(struct uc_matcher *m, const struct uc_usable *dp,
		      uint32_t index, uint64_t flow_id);

/*
 * The kernel said the INDEX-th kernel upcall was never delivered: if it
 * still waits, it stops being a candidate (a later identical packet must
 * not take it).  Returns 1 with OUT filled and up to SIZE of its bytes
 * copied to BYTES (*CAP of them), 0 when it waits no more (taken, or
 * never added), or -ENOMEM.  The first call indexes the waiting upcalls;
 * files without verdicts never pay for it.
 */
int uc_matcher_withdraw(struct uc_matcher *m, uint32_t index,
			struct uc_dp_match *out, uint8_t *bytes, uint32_t size,
			uint32_t *cap);

/* Calls FN with every upcall still waiting (at the end: those never
 * received), in their order of arrival; stops at a non-zero return. */
int uc_matcher_for_each_waiting(const struct uc_matcher *m,
				int (*fn)(void *ctx, const struct uc_dp_match *dp,
					  const uint8_t *bytes, uint32_t cap),
				void *ctx);

/*
 * A received upcall: the first waiting DP that agrees takes it.  Returns
 * 1 and fills OUT, 0 when no DP agrees, or -ENOMEM.
 */
int uc_matcher_take(struct uc_matcher *m, const struct uc_usable *recv,
		    struct uc_dp_match *out);

/*
 * A receive that --handler-filter leaves out: the first waiting DP that
 * agrees with it (and was not marked yet) is marked, not taken, so the
 * matching stays the original's.  Returns 0 or -ENOMEM.
 */
int uc_matcher_mark(struct uc_matcher *m, const struct uc_usable *recv);

/* DPs never taken that a left-out receive agreed with. */
uint64_t uc_matcher_marked_unmatched(const struct uc_matcher *m);

/* The original's warnings: it compared packets of different captured
 * sizes, or a kernel packet with fragments. */
bool uc_matcher_warn_partial(const struct uc_matcher *m);
bool uc_matcher_warn_frag(const struct uc_matcher *m);

#endif /* UC_MATCHER_H */
