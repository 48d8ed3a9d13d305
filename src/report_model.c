/* SPDX-License-Identifier: BSD-2-Clause */
/* report_model.c - computes the report model of report_model.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_model.h"

static void take_counts(struct uc_report *r, struct uc_trace *t)
{
	r->events = t->n_usable;
	r->events_received = t->events_received;
	memcpy(r->total, t->total, sizeof(r->total));
	memcpy(r->usable, t->usable, sizeof(r->usable));
	memcpy(r->missed, t->missed, sizeof(r->missed));
	memcpy(r->listed, t->listed, sizeof(r->listed));
	r->dp_no_port = t->dp_no_port;
	r->recv_no_port = t->recv_no_port;
	r->had_map = t->had_map;
	r->filtered_out = t->filtered_out;
	r->handler_filter = t->cfg.handler_filter;
	r->first_ts = t->first_ts;
	r->last_ts = t->last_ts;
	r->have_info = t->have_info;
	r->info = t->info;
	r->have_features = t->have_features;
	r->features = t->features;
	r->features_how = t->features_how;
	memcpy(r->xtotal, t->xtotal, sizeof(r->xtotal));
	memcpy(r->xmissed, t->xmissed, sizeof(r->xmissed));
	/* Moved, not copied: the names and the map can be large. */
	r->names = t->names;
	uc_strtab_init(&t->names);
	r->map = t->map;
	uc_port_map_init(&t->map);
}

/* Threads are listed apart by TID; two threads with the same name get
 * their TID appended (upcall_cost.py keys them by name, so one overwrites
 * the other: bug B8). */
static int label_threads(struct uc_report *r)
{
	const struct uc_correlation *c = &r->corr;

	r->thread_label = calloc(c->n_threads ? c->n_threads : 1,
				 sizeof(*r->thread_label));
	if (!r->thread_label)
		return -ENOMEM;
	for (size_t k = 0; k < c->n_threads; k++) {
		const struct uc_thread_stat *th = &c->threads[k];
		const char *name = uc_strtab_get(&r->names, th->comm);
		bool shared = false;

		for (size_t j = 0; j < c->n_threads && !shared; j++)
			shared = j != k && c->threads[j].comm == th->comm;
		snprintf(r->thread_label[k], sizeof(r->thread_label[k]),
			 shared ? "%s (%u)" : "%s", name, th->tid);
	}
	return 0;
}

int uc_report_compute(struct uc_report *r, struct uc_analysis *a,
		      const struct uc_report_config *cfg, struct uc_error *err)
{
	memset(r, 0, sizeof(*r));
	take_counts(r, &a->trace);
	r->corr = a->result;
	memset(&a->result, 0, sizeof(a->result));
	if (label_threads(r) || uc_metrics_compute(&r->corr, r->m)) {
		size_t n_sets = r->corr.n_sets;

		uc_report_free(r);
		return uc_error_set(err, "out of memory while computing the "
				    "latencies of %zu event sets", n_sets);
	}
	if (uc_ext_compute(&r->ext, r, cfg, err)) {
		uc_report_free(r);
		return -1;
	}
	return 0;
}

void uc_report_free(struct uc_report *r)
{
	uc_ext_free(&r->ext);
	uc_metrics_free(r->m);
	free(r->thread_label);
	uc_correlation_free(&r->corr);
	uc_port_map_free(&r->map);
	uc_strtab_free(&r->names);
	memset(r, 0, sizeof(*r));
}
