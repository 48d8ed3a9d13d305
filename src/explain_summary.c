/* SPDX-License-Identifier: BSD-2-Clause */
/* explain_summary.c - where a run's upcall time went (explain_summary.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain_summary.h"
#include "sort.h"
#include "stats.h"

/*
 * Names, per who slot, the one behind most of its part's time.  Who
 * values index C's names, so the time adds up in an array of them.
 */
static int name_parts(const struct uc_correlation *c, struct uc_explain_summary *s)
{
	size_t n_names = c->expl_names.n;
	uint64_t *ns = calloc(n_names ? n_names : 1, sizeof(*ns));

	if (!ns)
		return -ENOMEM;
	for (int w = 0; w < UC_WHO_COUNT; w++) {
		enum uc_part p = uc_part_of_who((enum uc_part_who)w);
		size_t best = SIZE_MAX;

		memset(ns, 0, (n_names ? n_names : 1) * sizeof(*ns));
		for (size_t i = 0; i < c->n_expl; i++) {
			uint32_t who = c->expl[i].who[w];

			if (who < n_names && c->expl[i].part[p])
				ns[who] += c->expl[i].part[p];
		}
		for (size_t k = 0; k < n_names; k++)
			if (ns[k] && (best == SIZE_MAX || ns[k] > ns[best]))
				best = k;
		if (best != SIZE_MAX)
			snprintf(s->part[p].who, sizeof(s->part[p].who), "%s",
				 uc_strtab_get(&c->expl_names, (uint32_t)best));
	}
	free(ns);
	return 0;
}

int uc_explain_summarize(const struct uc_correlation *c, struct uc_explain_summary *s)
{
	size_t n = c->n_expl;
	double *v = malloc((n ? n : 1) * sizeof(*v));

	memset(s, 0, sizeof(*s));
	if (!v)
		return -ENOMEM;
	s->present = c->explained;
	s->explained = n;
	s->records = c->tl_records;
	s->records_lost = c->tl_lost;
	s->threads = c->tl_threads;
	for (size_t i = 0; i < n; i++) {
		const struct uc_explanation *x = &c->expl[i];

		s->usdt_bounds += !!(x->flags & UC_EXPL_USDT_BOUNDS);
		s->own_wake += !!(x->flags & UC_EXPL_OWN_WAKE);
		s->not_traced += !!(x->flags & UC_EXPL_NOT_TRACED);
		if (x->part[UC_PART_UNKNOWN] && x->unknown_why < UC_TLU_COUNT)
			s->unknown_ns[x->unknown_why] += x->part[UC_PART_UNKNOWN];
		for (int p = 0; p < UC_PART_COUNT; p++) {
			s->part[p].sum_ns += x->part[p];
			s->part[p].upcalls += x->part[p] != 0;
			s->total_ns += x->part[p];
		}
	}
	for (int p = 0; p < UC_PART_COUNT && n; p++) {
		struct uc_part_stat *ps = &s->part[p];

		for (size_t i = 0; i < n; i++)
			v[i] = (double)c->expl[i].part[p] / 1000.0;
		if (uc_sort_samples(v, NULL, n)) {
			free(v);
			return -ENOMEM;
		}
		ps->share = s->total_ns ? (double)ps->sum_ns / (double)s->total_ns : 0;
		ps->mean_us = (double)ps->sum_ns / 1000.0 / (double)n;
		ps->p50_us = uc_percentile(v, n, UC_PPM_P50);
		ps->p99_us = uc_percentile(v, n, UC_PPM_P99);
		ps->max_us = v[n - 1];
	}
	free(v);
	return name_parts(c, s);
}
