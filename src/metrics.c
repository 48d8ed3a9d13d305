/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "parallel.h"
#include "sort.h"
#include "stats.h"

static const struct {
	const char *title, *name;
} info[UC_M_COUNT] = {
	[UC_M_KERNEL_TO_VSWITCHD] = { "Kernel upcall action to vswitchd receive (microseconds)",
				      "kernel_to_vswitchd" },
	[UC_M_VSWITCHD_TO_KERNEL] = { "vswitchd execute to kernel receive (microseconds)",
				      "vswitchd_to_kernel" },
	[UC_M_OVERHEAD] = { "Upcall overhead (total time minus lookup) (microseconds)",
			    "overhead" },
	[UC_M_TOTAL] = { "Kernel upcall to kernel packet execute (microseconds)",
			 "total" },
	[UC_M_LOOKUP] = { "vswitchd receive to flow put (lookup) (microseconds)",
			  "lookup" },
	[UC_M_PUT_TO_EXECUTE] = { "vswitchd flow put to execute (microseconds)",
				  "put_to_execute" },
};

const char *uc_metric_title(enum uc_metric_id id)
{
	return id < UC_M_COUNT ? info[id].title : "";
}

const char *uc_metric_name(enum uc_metric_id id)
{
	return id < UC_M_COUNT ? info[id].name : "";
}

/* Python's (a - b) / 1000 on ints: exact difference, then one rounding. */
static double usec(__int128 ns)
{
	if (ns > -((__int128)1 << 53) && ns < ((__int128)1 << 53))
		return (double)(int64_t)ns / 1000.0;
	return (double)((long double)ns / 1000.0L);
}

bool uc_metric_sample(const struct uc_set *s, enum uc_metric_id id, double *v)
{
	const uint64_t *ts = s->ts;
	bool dp = uc_set_has(s, UC_EV_DP_UPCALL);
	bool put = uc_set_has(s, UC_EV_OP_FLOW_PUT);
	bool exec = uc_set_has(s, UC_EV_OP_FLOW_EXECUTE);
	bool pkt_exec = uc_set_has(s, UC_EV_OVS_PKT_EXEC);
	__int128 d = ts[UC_EV_DP_UPCALL], r = ts[UC_EV_RECV_UPCALL];
	__int128 p = ts[UC_EV_OP_FLOW_PUT], e = ts[UC_EV_OP_FLOW_EXECUTE];
	__int128 x = ts[UC_EV_OVS_PKT_EXEC];

	switch (id) {
	case UC_M_KERNEL_TO_VSWITCHD:
		if (!dp)
			return false;
		*v = usec(r - d);
		return true;
	case UC_M_OVERHEAD:
		if (!dp || !put || !pkt_exec)
			return false;
		*v = usec((x - d) - (p - r));
		return true;
	case UC_M_VSWITCHD_TO_KERNEL:
		if (!dp || !exec || !pkt_exec)
			return false;
		*v = usec(x - e);
		return true;
	case UC_M_TOTAL:
		if (!dp || !pkt_exec)
			return false;
		*v = usec(x - d);
		return true;
	case UC_M_LOOKUP:
		if (!put)
			return false;
		*v = usec(p - r);
		return true;
	case UC_M_PUT_TO_EXECUTE:
		if (!put || !exec)
			return false;
		*v = usec(e - p);
		return true;
	default:
		return false;
	}
}

/*
 * The samples of every metric, in set order: the sets', then (for the
 * segments that need no kernel upcall) the lone receives'.  The items are
 * read in two halves, one per thread, each set once; the first half's
 * samples go to the front of each metric's array, the second's from its
 * middle (a half has at most that many), and are moved down to follow the
 * first's when the metric is sorted.
 */
struct collect_job {
	const struct uc_correlation *c;
	struct uc_metric *m;
	size_t mid;                      /* the second half's first item */
	size_t found[2][UC_M_COUNT];     /* samples of each half */
};

static const struct uc_set *item(const struct uc_correlation *c, size_t i)
{
	return i < c->n_sets ? &c->sets[i] : &c->lone[i - c->n_sets];
}

static int collect_half(void *arg, int half)
{
	struct collect_job *j = arg;
	size_t from = half ? j->mid : 0;
	size_t to = half ? j->c->n_sets + j->c->n_lone : j->mid;
	size_t found[UC_M_COUNT] = { 0 };  /* here, not shared with the
					    * other half's thread */

	for (size_t i = from; i < to; i++) {
		const struct uc_set *s = item(j->c, i);

		for (int id = 0; id < UC_M_COUNT; id++) {
			struct uc_metric *mm = &j->m[id];
			size_t at = from + found[id];
			double v;

			if (!uc_metric_sample(s, (enum uc_metric_id)id, &v))
				continue;
			if (mm->sorted_set)
				mm->sorted_set[at] = (uint32_t)i;
			mm->sorted[at] = v;
			found[id]++;
		}
	}
	memcpy(j->found[half], found, sizeof(found));
	return 0;
}

/* Metric I: its halves joined, sorted, and its statistics. */
static int sort_metric(void *arg, int i)
{
	const struct collect_job *j = arg;
	struct uc_metric *m = &j->m[i];
	size_t first = j->found[0][i], second = j->found[1][i];

	if (second && j->mid != first) {
		memmove(m->sorted + first, m->sorted + j->mid,
			second * sizeof(*m->sorted));
		if (m->sorted_set)
			memmove(m->sorted_set + first, m->sorted_set + j->mid,
				second * sizeof(*m->sorted_set));
	}
	m->n = first + second;
	if (uc_sort_samples(m->sorted, m->sorted_set, m->n))
		return -ENOMEM;
	uc_stats_compute(m->sorted, m->n, &m->st);
	return 0;
}

int uc_metrics_compute(const struct uc_correlation *c,
		       struct uc_metric m[UC_M_COUNT])
{
	size_t items = c->n_sets + c->n_lone, n = items ? items : 1;
	struct collect_job job = { .c = c, .m = m, .mid = items / 2 };

	memset(m, 0, UC_M_COUNT * sizeof(*m));
	for (int i = 0; i < UC_M_COUNT; i++) {
		m[i].sorted = malloc(n * sizeof(*m[i].sorted));
		if (uc_metric_ranks((enum uc_metric_id)i))
			m[i].sorted_set = malloc(n * sizeof(*m[i].sorted_set));
		if (!m[i].sorted ||
		    (uc_metric_ranks((enum uc_metric_id)i) && !m[i].sorted_set)) {
			uc_metrics_free(m);
			return -ENOMEM;
		}
	}
	/* Every report needs them sorted (medians, percentiles, outliers):
	 * each is sorted once, for all of them, two at a time. */
	uc_parallel_for(2, collect_half, &job);
	if (uc_parallel_for(UC_M_COUNT, sort_metric, &job)) {
		uc_metrics_free(m);
		return -ENOMEM;
	}
	return 0;
}

void uc_metrics_free(struct uc_metric m[UC_M_COUNT])
{
	for (int i = 0; i < UC_M_COUNT; i++) {
		free(m[i].sorted);
		free(m[i].sorted_set);
		m[i].sorted = NULL;
		m[i].sorted_set = NULL;
		m[i].n = 0;
	}
}
