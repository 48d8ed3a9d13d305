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

static void add(struct uc_metric *m, double v, uint32_t set)
{
	m->v[m->n] = v;
	m->set[m->n++] = set;
}

/* The user-side segments, of a set or of a receive with no kernel upcall. */
static void add_user_side(struct uc_metric m[UC_M_COUNT], const struct uc_set *s,
			  uint32_t id)
{
	__int128 recv = s->ts[UC_EV_RECV_UPCALL];
	__int128 put_ts = s->ts[UC_EV_OP_FLOW_PUT];
	__int128 exec_ts = s->ts[UC_EV_OP_FLOW_EXECUTE];
	bool put = uc_set_has(s, UC_EV_OP_FLOW_PUT);
	bool exec = uc_set_has(s, UC_EV_OP_FLOW_EXECUTE);

	if (put)
		add(&m[UC_M_LOOKUP], usec(put_ts - recv), id);
	if (put && exec)
		add(&m[UC_M_PUT_TO_EXECUTE], usec(exec_ts - put_ts), id);
}

/* Metric I of the array ARG: sorted, and its statistics. */
static int sort_metric(void *arg, int i)
{
	struct uc_metric *m = (struct uc_metric *)arg + i;

	memcpy(m->sorted, m->v, m->n * sizeof(*m->sorted));
	if (m->sorted_set)
		memcpy(m->sorted_set, m->set, m->n * sizeof(*m->sorted_set));
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
		m[i].v = malloc(n * sizeof(*m[i].v));
		m[i].set = malloc(n * sizeof(*m[i].set));
		m[i].sorted = malloc(n * sizeof(*m[i].sorted));
		if (uc_metric_ranks((enum uc_metric_id)i))
			m[i].sorted_set = malloc(n * sizeof(*m[i].sorted_set));
		if (!m[i].v || !m[i].set || !m[i].sorted ||
		    (uc_metric_ranks((enum uc_metric_id)i) && !m[i].sorted_set)) {
			uc_metrics_free(m);
			return -ENOMEM;
		}
	}
	for (size_t i = 0; i < c->n_sets; i++) {
		const struct uc_set *s = &c->sets[i];
		__int128 dp = s->ts[UC_EV_DP_UPCALL];
		__int128 recv = s->ts[UC_EV_RECV_UPCALL];
		__int128 put_ts = s->ts[UC_EV_OP_FLOW_PUT];
		__int128 exec_ts = s->ts[UC_EV_OP_FLOW_EXECUTE];
		__int128 x_ts = s->ts[UC_EV_OVS_PKT_EXEC];
		bool put = uc_set_has(s, UC_EV_OP_FLOW_PUT);
		bool exec = uc_set_has(s, UC_EV_OP_FLOW_EXECUTE);
		bool pkt_exec = uc_set_has(s, UC_EV_OVS_PKT_EXEC);
		uint32_t id = (uint32_t)i;

		add(&m[UC_M_KERNEL_TO_VSWITCHD], usec(recv - dp), id);
		if (put && pkt_exec)
			add(&m[UC_M_OVERHEAD], usec((x_ts - dp) - (put_ts - recv)), id);
		if (exec && pkt_exec)
			add(&m[UC_M_VSWITCHD_TO_KERNEL], usec(x_ts - exec_ts), id);
		if (pkt_exec)
			add(&m[UC_M_TOTAL], usec(x_ts - dp), id);
		add_user_side(m, s, id);
	}
	/* Lookup and put->execute need no kernel upcall: every receive has
	 * them, also in a capture of the user-space probes only. */
	for (size_t i = 0; i < c->n_lone; i++)
		add_user_side(m, &c->lone[i], (uint32_t)(c->n_sets + i));
	/* Every report needs them sorted (medians, percentiles, outliers):
	 * sort each once, for all of them, two at a time. */
	if (uc_parallel_for(UC_M_COUNT, sort_metric, m)) {
		uc_metrics_free(m);
		return -ENOMEM;
	}
	return 0;
}

void uc_metrics_free(struct uc_metric m[UC_M_COUNT])
{
	for (int i = 0; i < UC_M_COUNT; i++) {
		free(m[i].v);
		free(m[i].set);
		free(m[i].sorted);
		free(m[i].sorted_set);
		m[i].v = m[i].sorted = NULL;
		m[i].set = m[i].sorted_set = NULL;
		m[i].n = 0;
	}
}
