/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_py_event - the two parsers of an upcall_cost.py event line agree:
 * whatever the fast path (the dict as the script writes it) accepts, the
 * general parser accepts with the same result, and on anything else
 * uc_py_event_parse() gives the general parser's error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "py_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct uc_py_event_parser fast_p, general_p;

static void same(const struct uc_raw_event *a, const struct uc_raw_event *b)
{
	if (a->event != b->event || a->cpu != b->cpu || a->pid != b->pid ||
	    a->upcall_type != b->upcall_type || a->ts != b->ts ||
	    a->pkt_frag_size != b->pkt_frag_size ||
	    a->pkt_size != b->pkt_size || a->key_size != b->key_size ||
	    strcmp(a->comm, b->comm) || strcmp(a->dpif_name, b->dpif_name) ||
	    strcmp(a->dev_name, b->dev_name) || a->pkt_cap != b->pkt_cap ||
	    a->key_cap != b->key_cap ||
	    (a->pkt_cap && memcmp(a->pkt, b->pkt, a->pkt_cap)) ||
	    (a->key_cap && memcmp(a->key, b->key, a->key_cap)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The line as the reader hands it: no newline, the value at 8. */
	static const char prefix[] = "event = ";
	char *line = malloc(size + 8);
	char why_a[256], why_b[256];
	struct uc_raw_event a, b;
	int ra, rb;

	if (!line)
		return 0;
	memcpy(line, prefix, 8);
	if (size)
		memcpy(line + 8, data, size);
	ra = uc_py_event_parse(&fast_p, line, size + 8, 8, &a, why_a,
			       sizeof(why_a));
	rb = uc_py_event_parse_general(&general_p, line, size + 8, 8, &b,
				       why_b, sizeof(why_b));
	if (ra != rb || (ra && strcmp(why_a, why_b)))
		abort();
	if (!ra)
		same(&a, &b);
	free(line);
	return 0;
}
