/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report_ext.h - what upcall_cost.py does not report: exact statistics of
 * every latency segment, the slowest upcalls, breakdowns (per handler
 * thread, datapath port, batch size, interval of the capture) and the
 * accounting of what could not be matched.
 *
 * uc_ext_compute() derives all of it once, as part of the report model
 * (report_model.h), into a self-contained struct uc_ext (no pointer back
 * into the run, so --compare can free each run once it is summarised).
 * The text report (report_text.h), the JSON document (report_json.h), the
 * figures (svg_plot.h) and the comparison (compare.h) all render that
 * one struct.
 *
 * Cost: each metric is sorted once (an O(n) radix sort) and every
 * percentile, outlier and breakdown is read off the sorted arrays; the
 * breakdowns distribute the sorted samples of the primary metric into
 * their groups with a counting pass, which keeps each group sorted.
 */
#ifndef UC_REPORT_EXT_H
#define UC_REPORT_EXT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "explain_summary.h"
#include "lost.h"
#include "metrics.h"
#include "miss_summary.h"
#include "stats.h"

/* The six metrics in the order of an upcall's life, for tables. */
extern const enum uc_metric_id uc_ext_metric_order[UC_M_COUNT];

struct uc_report;
struct uc_report_config;

struct uc_metric_summary {
	double *sorted;       /* the samples, ascending (owned) */
	struct uc_stats st;
	size_t negative;      /* samples below zero (clocks or a mismatch) */
};

/* One row of a breakdown.  Statistics are of the primary metric over the
 * row's event sets (quantiles only: st.mean and st.sd are 0). */
struct uc_group {
	int64_t key;          /* tid, port number, batch size, interval index */
	char label[64];       /* thread name, port name, "" */
	char detail[40];      /* port: datapath name */
	uint64_t upcalls;     /* thread: upcalls received; port, interval:
			       * usable kernel upcalls; batch size: upcalls
			       * received in batches of that size */
	uint64_t batches;     /* batch size: batches of that size */
	uint64_t sets;        /* event sets (matched upcalls) */
	uint64_t covered_ns;  /* interval: the part the capture covers */
	struct uc_stats st;
};

struct uc_groups {
	struct uc_group *g;
	size_t n;
};

/* One of the slowest upcalls: enough to find it in a capture. */
struct uc_outlier {
	uint32_t set;             /* index in the correlation's sets */
	double value;             /* of the primary metric, µs */
	double seg[UC_M_COUNT];   /* every metric of this set, µs ... */
	uint8_t has_seg;          /* ... bit id set when it has that metric */
	uint64_t ts_ns;           /* kernel upcall, CLOCK_MONOTONIC */
	int64_t wall_ns;          /* the same in CLOCK_REALTIME, if have_wall */
	char handler[40];
	uint32_t tid;
	uint32_t cpu;             /* CPU of the kernel upcall */
	uint32_t batch_size, batch_pos;   /* batch_pos 0-based */
	char dp[32];
	int32_t port;
	char port_name[32];       /* "" if the port map does not know it */
	uint32_t pkt_len;
	char packet[128];         /* decoded headers, uc_packet_describe() */
	bool explained;           /* where its time went (--explain) */
	struct uc_explanation expl;
	char who[UC_WHO_COUNT][48];   /* expl.who, as names */
	struct uc_miss miss;      /* why it missed (cls 0: not classified) */
	char miss_by[48];
};

/* What could not be matched, and why when the correlation knows. */
struct uc_accounting {
	uint64_t dp_total, dp_usable, dp_missed;       /* kernel upcalls */
	uint64_t dp_no_port;       /* ... set aside: no port map names it */
	uint64_t recv_total, recv_usable, recv_missed; /* vswitchd receives */
	uint64_t recv_no_port;     /* ... set aside: no port for it */
	uint64_t put_missed, exec_missed, pkt_exec_missed; /* ring buffer */
	uint64_t vswitchd_events;  /* traced, lost or filtered: 0 when the
				    * user-space probes saw nothing at all */
	uint64_t dp_unmatched;     /* usable kernel upcalls with no receive
				    * (filtered ones apart) */
	uint64_t dp_filtered;      /* ... received by a thread left out by
				    * --handler-filter */
	uint64_t recv_unmatched;   /* receives matched to no kernel upcall */
	uint64_t recv_filtered;    /* receives of left-out threads */
	uint64_t sets;
	uint64_t sets_no_put;      /* sets without a flow put */
	uint64_t sets_no_execute;  /* ... without an execute */
	uint64_t sets_no_pkt_exec; /* ... without a kernel execute */
	uint64_t sets_exec_no_pkt_exec; /* ... of which had an execute */
	uint64_t recv_no_put, recv_no_execute;     /* correlation counters */
	uint64_t puts_dropped, executes_dropped;
	uint64_t suspect_sets;     /* sets in batches whose operations did not
				    * all fit (events lost): uncertain */
	uint64_t recv_before_dp;   /* sets received before their kernel upcall */
	bool handler_filter;       /* --handler-filter hid some threads */
};

/* What the capture traced, and the xevents of the run. */
struct uc_ext_sources {
	bool have;                /* the recording says what it traced */
	uint64_t features, how;   /* UC_FEAT_*, UC_FEATHOW_* */
	uint64_t xtotal[UC_X_MAX - UC_X_BASE];
	uint64_t xmissed[UC_X_MAX - UC_X_BASE];   /* refused by the ring */
};

struct uc_ext {
	char source[256];         /* file name, or "live capture" */
	char label[96];           /* a short name for legends (--compare sets
				   * distinguishing ones) */
	bool have_info;
	struct uc_capture_info info;
	bool have_wall;           /* wall-clock times can be given */
	int64_t wall_offset_ns;   /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint64_t events;          /* usable events */
	uint64_t ev_usable[UC_EV_MAX], ev_total[UC_EV_MAX], ev_missed[UC_EV_MAX];
	uint64_t t0_ns, t1_ns;    /* first and last usable event */

	struct uc_metric_summary metric[UC_M_COUNT];
	enum uc_metric_id primary;  /* total, or kernel_to_vswitchd if no set
				     * has a kernel execute */
	struct uc_outlier *top;     /* slowest first */
	size_t n_top;

	struct uc_groups threads;   /* first-appearance order */
	double imbalance;           /* busiest thread / mean, 1 = even */
	struct uc_groups ports;     /* by datapath, then port number */
	struct uc_groups batch_sizes; /* ascending, non-empty only */
	uint64_t n_batches;
	struct uc_groups intervals; /* every interval_ns from t0_ns */
	uint64_t interval_ns;
	struct uc_groups timeline;  /* finer, for the plot (config.timeline) */
	uint64_t timeline_ns;

	struct uc_accounting acct;

	struct uc_ext_sources sources;
	struct uc_lost_summary lost;      /* the kernel's failed upcalls */
	struct uc_explain_summary explain;/* where the time went */
	struct uc_miss_summary misses;    /* why upcalls happened */
};

/*
 * Computes X for the report R (report_model.c calls it once R has its
 * counts, correlation and metrics).  The sorted samples move
 * from R's metrics into X (they are sorted once, in metrics.c, and not
 * copied).  Returns 0, or -1 with ERR set (out of memory).
 */
int uc_ext_compute(struct uc_ext *x, struct uc_report *r,
		   const struct uc_report_config *cfg, struct uc_error *err);
void uc_ext_free(struct uc_ext *x);

/* Does interval G (of x->intervals) lie wholly inside the capture? */
bool uc_ext_interval_full(const struct uc_ext *x, const struct uc_group *g);
/* Kernel upcalls per second in interval G; meaningful when it is full. */
double uc_ext_interval_rate(const struct uc_ext *x, const struct uc_group *g);

/* "2025-11-25T22:00:01.123456Z" (UTC); returns BUF. */
char *uc_ext_format_wall(int64_t wall_ns, char *buf, size_t size);
/* The wall-clock time of monotonic time MONO_NS: wrapping, never an
 * overflow, whatever a recording claims its clock offset is. */
static inline int64_t uc_ext_wall_ns(uint64_t mono_ns, int64_t offset_ns)
{
	return (int64_t)(mono_ns + (uint64_t)offset_ns);
}

#endif /* UC_REPORT_EXT_H */
