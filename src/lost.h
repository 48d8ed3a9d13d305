/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lost.h - the upcalls the kernel could not deliver: every non-zero
 * return of ovs_dp_upcall(), which is exactly what `ovs-appctl
 * dpctl/show` counts as "lost" (the module's only n_lost++).
 *
 * Two sources, kept apart because they answer different questions:
 *  - the BPF totals per CPU, command and result (UC_X_DP_RESULTS), exact
 *    whatever the ring buffer refused: how many;
 *  - one record per failure (UC_X_DP_RESULT): which packet, port, CPU
 *    and errno.  A record the ring refused is counted, never guessed.
 * uc_lost_summarize() turns them into the report's breakdowns.
 */
#ifndef UC_LOST_H
#define UC_LOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "strtab.h"

/* One failed upcall. */
struct uc_lost_upcall {
	uint64_t ts;             /* ovs_dp_upcall() returned */
	uint64_t dp_ts;          /* its DP_UPCALL record, 0 if none was seen */
	uint64_t dp_id;          /* that record's number + 1, 0 if none */
	uint32_t cpu;
	int32_t err;             /* negative errno */
	uint8_t cmd;             /* OVS_PACKET_CMD_* (1 MISS, 2 ACTION) */
	int32_t port;            /* UC_DP_NO_PORT when no map names it */
	uint32_t dp_name;        /* names (the trace's), UC_NONE if unknown */
	uint32_t dev_name;
	uint32_t pkt_len;
	struct uc_packet_info pkt;
};

/* A BPF total: COUNT returns of RET for command CMD on CPU. */
struct uc_dp_result_total {
	uint32_t cpu;
	uint8_t cmd;
	int32_t ret;
	uint64_t count;
};

struct uc_lost_log {
	struct uc_lost_upcall *v;
	size_t n, cap;
	struct uc_dp_result_total *totals;
	size_t n_totals, cap_totals;
	uint64_t with_dp;            /* records whose kernel upcall record was
				      * found, and taken out of the matching */
	uint64_t verdict_after_match;/* failures whose kernel upcall a receive
				      * had already taken (a later identical
				      * packet): the set is marked suspect */
};

void uc_lost_init(struct uc_lost_log *l);
void uc_lost_free(struct uc_lost_log *l);
/* Returns 0 or -ENOMEM. */
int uc_lost_add(struct uc_lost_log *l, const struct uc_lost_upcall *u);
int uc_lost_add_total(struct uc_lost_log *l, const struct uc_dp_result_total *t);

/* ------------------------------------------------------------ summary */

/* One row of a breakdown. */
struct uc_lost_row {
	int64_t key;             /* errno, CPU, port, command */
	char label[96];          /* "EAGAIN (socket receive queue full)",
				  * "veth1 (ovs-system:2)", a 5-tuple */
	uint64_t count;
};

struct uc_lost_rows {
	struct uc_lost_row *r;
	size_t n;
};

struct uc_lost_summary {
	bool traced;             /* the capture followed the results */
	bool have_totals;        /* the BPF totals are there */
	uint64_t upcalls;        /* ovs_dp_upcall() calls (totals) */
	uint64_t failed;         /* ... that failed (totals; else records) */
	uint64_t records;        /* failure records read */
	uint64_t records_missed; /* ... refused by the ring buffer */
	uint64_t with_dp;
	uint64_t verdict_after_match;
	/* From the totals when there are some (exact), else the records. */
	struct uc_lost_rows by_errno, by_cmd, by_cpu;
	/* From the records. */
	struct uc_lost_rows by_port, top_flows;
};

/*
 * The breakdowns of L; NAMES resolves its name indexes; TOP flows at
 * most.  Returns 0 or -ENOMEM (S is then empty).
 */
int uc_lost_summarize(const struct uc_lost_log *l, const struct uc_strtab *names,
		      bool traced, uint64_t records_missed, size_t top,
		      struct uc_lost_summary *s);
void uc_lost_summary_free(struct uc_lost_summary *s);

/* Why the kernel returns ERR from ovs_dp_upcall(), in a few words
 * ("socket receive queue full"), or "". */
const char *uc_lost_errno_cause(int32_t err);
/* "MISS", "ACTION", or the number. */
const char *uc_upcall_cmd_name(uint8_t cmd, char *buf, size_t size);

#endif /* UC_LOST_H */
