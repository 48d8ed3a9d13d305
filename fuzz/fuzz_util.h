/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_util.h - the sink the fuzz targets read into.
 *
 * It does what a consumer would: reads every byte it is handed (so ASan
 * sees a pointer past the data) and checks the promises of event.h (NUL
 * terminated names, data behind every non-zero length).  A broken promise
 * aborts, which libFuzzer reports as a crash.
 */
#ifndef UC_FUZZ_UTIL_H
#define UC_FUZZ_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "port_map.h"
#include "xevent.h"

struct fuzz_counts {
	unsigned long events, maps, infos, missed, xevents;
	unsigned sum;      /* keeps the byte reads from being optimised out */
};

static inline void fuzz_check_name(const char *s, size_t size)
{
	if (!memchr(s, '\0', size))
		abort();
}

static inline int fuzz_on_info(void *ctx, const struct uc_capture_info *i)
{
	struct fuzz_counts *c = ctx;

	fuzz_check_name(i->tool_version, sizeof(i->tool_version));
	fuzz_check_name(i->host, sizeof(i->host));
	fuzz_check_name(i->kernel, sizeof(i->kernel));
	c->infos++;
	return 0;
}

static inline int fuzz_on_port_map(void *ctx, const struct uc_port_map *m)
{
	struct fuzz_counts *c = ctx;

	for (size_t i = 0; i < m->n; i++)
		c->sum += (unsigned)strlen(m->entries[i].dp) +
			  (unsigned)strlen(m->entries[i].port) +
			  (unsigned)m->entries[i].number;
	c->maps++;
	return 0;
}

static inline int fuzz_on_event(void *ctx, const struct uc_raw_event *ev)
{
	struct fuzz_counts *c = ctx;

	fuzz_check_name(ev->comm, sizeof(ev->comm));
	fuzz_check_name(ev->dpif_name, sizeof(ev->dpif_name));
	fuzz_check_name(ev->dev_name, sizeof(ev->dev_name));
	if ((ev->pkt_cap && !ev->pkt) || (ev->key_cap && !ev->key))
		abort();
	for (uint32_t i = 0; i < ev->pkt_cap; i++)
		c->sum += ev->pkt[i];
	for (uint32_t i = 0; i < ev->key_cap; i++)
		c->sum += ev->key[i];
	c->events++;
	return 0;
}

static inline int fuzz_on_missed(void *ctx, uint32_t type, uint64_t n)
{
	struct fuzz_counts *c = ctx;

	c->sum += type + (unsigned)n;
	c->missed++;
	return 0;
}

static inline int fuzz_on_xevent(void *ctx, const struct uc_xevent *xe)
{
	struct fuzz_counts *c = ctx;

	fuzz_check_name(xe->comm, sizeof(xe->comm));
	if ((xe->data_len && !xe->data) || xe->data_len > UC_X_DATA_MAX ||
	    xe->kind < UC_X_BASE || xe->kind >= UC_X_MAX)
		abort();
	for (uint32_t i = 0; i < xe->data_len; i++)
		c->sum += xe->data[i];
	c->xevents++;
	return 0;
}

static inline struct uc_event_sink fuzz_sink(struct fuzz_counts *c)
{
	struct uc_event_sink s = {
		.ctx = c,
		.on_info = fuzz_on_info,
		.on_port_map = fuzz_on_port_map,
		.on_event = fuzz_on_event,
		.on_missed = fuzz_on_missed,
		.on_xevent = fuzz_on_xevent,
	};

	return s;
}

/* A failed read must say why, on one line. */
static inline void fuzz_check_error(int rc, const char *msg)
{
	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1 && (!msg[0] || strchr(msg, '\n')))
		abort();
}

#endif /* UC_FUZZ_UTIL_H */
