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

/* The samples of every metric, in set order, into M: the sets', then
 * (for the segments that need no kernel upcall) the lone receives'. One
 * pass, each set read once. */
static void collect(const struct uc_correlation *c, struct uc_metric m[UC_M_COUNT])
{
	for (size_t i = 0; i < c->n_sets + c->n_lone; i++) {
		const struct uc_set *s = i < c->n_sets ? &c->sets[i] :
					 &c->lone[i - c->n_sets];

		for (int id = 0; id < UC_M_COUNT; id++) {
			struct uc_metric *mm = &m[id];
			double v;

			if (!uc_metric_sample(s, (enum uc_metric_id)id, &v))
				continue;
			if (mm->sorted_set)
				mm->sorted_set[mm->n] = (uint32_t)i;
			mm->sorted[mm->n++] = v;
		}
	}
}

/* Metric I of the array ARG: sorted, and its statistics. */
static int sort_metric(void *arg, int i)
{
	struct uc_metric *m = (struct uc_metric *)arg + i;

	if (uc_sort_samples(m->sorted, m->sorted_set, m->n))
		return -ENOMEM;
	uc_stats_compute(m->sorted, m->n, &m->st);
	return 0;
}

int uc_metrics_compute(const struct uc_correlation *c,
		       struct uc_metric m[UC_M_COUNT])
{
	size_t n = c->n_sets + c->n_lone ? c->n_sets + c->n_lone : 1;

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
	collect(c, m);
	if (uc_parallel_for(UC_M_COUNT, sort_metric, m)) {
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
