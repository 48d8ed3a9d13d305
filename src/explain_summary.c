/* SPDX-License-Identifier: BSD-2-Clause */
/* explain_summary.c - where a run's upcall time went (explain_summary.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain_summary.h"
#include "sort.h"
#include "stats.h"

const char *uc_explanation_who(const struct uc_explanation *x, enum uc_part p,
			       const struct uc_strtab *names)
{
	for (int w = 0; w < UC_WHO_COUNT; w++)
		if (uc_part_of_who((enum uc_part_who)w) == p &&
		    x->who[w] != UC_TL_NOBODY)
			return uc_strtab_get(names, x->who[w]);
	return "";
}

/* Time per who name of a part, to name the one behind most of it. */
struct tally {
	uint32_t *who;
	uint64_t *ns;
	size_t n, cap;
};

static int tally_add(struct tally *t, uint32_t who, uint64_t ns)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->who[i] == who) {
			t->ns[i] += ns;
			return 0;
		}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		uint32_t *w = realloc(t->who, cap * sizeof(*w));
		uint64_t *n;

		if (!w)
			return -ENOMEM;
		t->who = w;
		n = realloc(t->ns, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		t->ns = n;
		t->cap = cap;
	}
	t->who[t->n] = who;
	t->ns[t->n++] = ns;
	return 0;
}

static int name_parts(const struct uc_correlation *c, struct uc_explain_summary *s)
{
	for (int w = 0; w < UC_WHO_COUNT; w++) {
		enum uc_part p = uc_part_of_who((enum uc_part_who)w);
		struct tally t = { 0 };
		size_t best = 0;
		int rc = 0;

		for (size_t i = 0; i < c->n_expl && !rc; i++)
			if (c->expl[i].who[w] != UC_TL_NOBODY && c->expl[i].part[p])
				rc = tally_add(&t, c->expl[i].who[w], c->expl[i].part[p]);
		for (size_t i = 1; i < t.n; i++)
			if (t.ns[i] > t.ns[best])
				best = i;
		if (!rc && t.n)
			snprintf(s->part[p].who, sizeof(s->part[p].who), "%s",
				 uc_strtab_get(&c->expl_names, t.who[best]));
		free(t.who);
		free(t.ns);
		if (rc)
			return rc;
	}
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
