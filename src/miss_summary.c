/* SPDX-License-Identifier: BSD-2-Clause */
/* miss_summary.c - why upcalls happened, in one table (miss_summary.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "metrics.h"
#include "miss_summary.h"

/* The row of a class and reason (rows are few). */
static long find_row(const struct uc_miss_summary *s, uint8_t cls, uint8_t reason)
{
	for (size_t r = 0; r < s->n_rows; r++)
		if (s->rows[r].cls == cls && s->rows[r].reason == reason)
			return (long)r;
	return -1;
}

static struct uc_miss_row *row_of(struct uc_miss_summary *s, size_t *cap,
				  uint8_t cls, uint8_t reason)
{
	long r = find_row(s, cls, reason);

	if (r >= 0)
		return &s->rows[r];
	if (uc_grow((void **)&s->rows, cap, s->n_rows + 1, sizeof(*s->rows)))
		return NULL;
	s->rows[s->n_rows] = (struct uc_miss_row){
		.cls = cls, .reason = reason, .avoidable = uc_miss_avoidable(cls, reason),
	};
	return &s->rows[s->n_rows++];
}

static int by_count(const void *a, const void *b)
{
	const struct uc_miss_row *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->cls != y->cls)
		return x->cls - y->cls;
	return x->reason - y->reason;
}

/* Names the deleter of most of each row's upcalls: one pass, counting
 * (row, deleter) pairs. */
static int name_rows(const struct uc_correlation *c, struct uc_miss_summary *s)
{
	struct uc_map64 index;
	uint64_t *count = NULL, *best = calloc(s->n_rows ? s->n_rows : 1, sizeof(*best));
	uint32_t next = 0;
	size_t cap = 0;
	int rc = 0;

	if (!best)
		return -ENOMEM;
	uc_map64_init(&index);
	for (size_t i = 0; i < c->n_sets && !rc; i++) {
		const struct uc_miss *m = &c->sets[i].miss;
		long r = m->cls && m->by != UINT32_MAX ? find_row(s, m->cls, m->reason) : -1;
		uint32_t k;

		if (r < 0)
			continue;
		k = uc_map64_intern(&index, (uint64_t)r << 32 | m->by, &next);
		if (k == UC_MAP64_NONE ||
		    uc_grow_zeroed((void **)&count, &cap, next, sizeof(*count))) {
			rc = -ENOMEM;
			break;
		}
		if (++count[k] > best[r]) {
			best[r] = count[k];
			snprintf(s->rows[r].by, sizeof(s->rows[r].by), "%s",
				 uc_strtab_get(&c->miss_names, m->by));
		}
	}
	uc_map64_free(&index);
	free(count);
	free(best);
	return rc;
}

int uc_miss_summarize(const struct uc_correlation *c, uint64_t features,
		      struct uc_miss_summary *s)
{
	size_t cap = 0;

	memset(s, 0, sizeof(*s));
	s->present = c->classified;
	s->fx = c->fx;
	s->features = features;
	if (!s->present)
		return 0;
	for (size_t i = 0; i < c->n_sets; i++) {
		const struct uc_set *set = &c->sets[i];
		const struct uc_miss *m = &set->miss;
		struct uc_miss_row *row;
		double total = 0;

		if (!m->cls)
			continue;
		row = row_of(s, &cap, m->cls, m->reason);
		if (!row) {
			uc_miss_summary_free(s);
			return -ENOMEM;
		}
		uc_metric_sample(set, UC_M_TOTAL, &total);
		row->count++;
		row->no_put += !!(m->flags & UC_MISSF_NO_PUT);
		row->latency_us += total;
		s->classified++;
		s->latency_us += total;
		if (row->avoidable) {
			s->avoidable++;
			s->avoidable_latency_us += total;
		}
	}
	for (size_t r = 0; r < s->n_rows; r++)
		s->rows[r].share = (double)s->rows[r].count / (double)s->classified;
	s->avoidable_share = s->classified ? (double)s->avoidable / (double)s->classified : 0;
	if (s->n_rows)
		qsort(s->rows, s->n_rows, sizeof(*s->rows), by_count);
	if (name_rows(c, s)) {
		uc_miss_summary_free(s);
		return -ENOMEM;
	}
	return 0;
}

void uc_miss_summary_free(struct uc_miss_summary *s)
{
	free(s->rows);
	memset(s, 0, sizeof(*s));
}
