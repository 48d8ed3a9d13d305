/* SPDX-License-Identifier: BSD-2-Clause */
/* filter.c - the slice of a recording to keep (filter.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "filter.h"
#include "xevent.h"
#include "flow_key.h"

#define NS_PER_S 1000000000LL

/* ---------------------------------------------------------------- times */

/* "12", "12.5", ".5": seconds, to ns (at most 9 decimals). */
static int parse_seconds(const char *s, int64_t *ns)
{
	int64_t sec = 0, frac = 0, scale = NS_PER_S;
	const char *p = s;

	if (!*p)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (sec > (INT64_MAX / NS_PER_S - 9) / 10)
			return -1;
		sec = sec * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (scale > 1) {
				scale /= 10;
				frac += (*p - '0') * scale;
			}
	}
	if (*p || p == s || (p == s + 1 && *s == '.'))
		return -1;
	*ns = sec * NS_PER_S + frac;
	return 0;
}

/* "2025-11-25T22:00:01[.123][Z|+HH:MM|-HH:MM]" (a space for the T too). */
static int parse_iso(const char *s, int64_t *ns)
{
	struct tm tm = { 0 };
	const char *p = strptime(s, "%Y-%m-%d", &tm);
	int64_t frac = 0, scale = NS_PER_S, offset = 0;
	time_t sec;

	if (!p || (*p != 'T' && *p != ' '))
		return -1;
	p = strptime(p + 1, "%H:%M:%S", &tm);
	if (!p)
		return -1;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (scale > 1) {
				scale /= 10;
				frac += (*p - '0') * scale;
			}
	if (*p == '+' || *p == '-') {
		int hh, mm, n = 0;

		if (sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &n) != 2 || n != 5 ||
		    hh > 23 || mm > 59)
			return -1;
		offset = (*p == '+' ? 1 : -1) * ((int64_t)hh * 3600 + mm * 60);
		p += 6;
	} else if (*p == 'Z') {
		p++;
	}
	if (*p)
		return -1;
	sec = timegm(&tm);
	if (sec == (time_t)-1)
		return -1;
	*ns = ((int64_t)sec - offset) * NS_PER_S + frac;
	return 0;
}

int uc_time_spec_parse(const char *s, struct uc_time_spec *t)
{
	memset(t, 0, sizeof(*t));
	if (!parse_seconds(s, &t->ns)) {
		t->set = true;
		return 0;
	}
	if (!parse_iso(s, &t->ns)) {
		t->set = t->wall = true;
		return 0;
	}
	return -1;
}

/* ---------------------------------------------------------------- names */

/* Is NAME one of the comma-separated LIST? */
static bool listed(const char *list, const char *name)
{
	size_t len = strlen(name);

	while (list) {
		const char *comma = strchr(list, ',');
		size_t n = comma ? (size_t)(comma - list) : strlen(list);

		if (n == len && !memcmp(list, name, n))
			return true;
		list = comma ? comma + 1 : NULL;
	}
	return false;
}

/* ---------------------------------------------------------------- the sink */

void uc_filter_init(struct uc_filter *f, const struct uc_filter_config *cfg,
		    struct uc_event_sink analysis, struct uc_event_sink record)
{
	memset(f, 0, sizeof(*f));
	f->cfg = *cfg;
	f->analysis = analysis;
	f->record = record;
	uc_port_map_init(&f->map);
	uc_strtab_init(&f->threads);
}

void uc_filter_free(struct uc_filter *f)
{
	uc_port_map_free(&f->map);
	uc_strtab_free(&f->threads);
}

/* Calls both sinks' CALLBACK; the first non-zero return wins. */
#define BOTH(f, callback, ...)                                                  \
	do {                                                                    \
		int rc_ = (f)->analysis.callback ?                              \
			(f)->analysis.callback((f)->analysis.ctx, __VA_ARGS__) : 0; \
		if (!rc_ && (f)->record.callback)                               \
			rc_ = (f)->record.callback((f)->record.ctx, __VA_ARGS__); \
		return rc_;                                                     \
	} while (0)

static int on_info(void *ctx, const struct uc_capture_info *info)
{
	struct uc_filter *f = ctx;

	if (info->start_realtime_ns && info->start_monotonic_ns) {
		f->have_clock = true;
		f->wall_offset_ns = (int64_t)(info->start_realtime_ns -
					      info->start_monotonic_ns);
	}
	BOTH(f, on_info, info);
}

static int on_port_map(void *ctx, const struct uc_port_map *map)
{
	struct uc_filter *f = ctx;
	struct uc_port_map copy;

	if (f->cfg.port) {
		if (uc_port_map_copy(&copy, map))
			return -ENOMEM;
		uc_port_map_free(&f->map);
		f->map = copy;
	}
	BOTH(f, on_port_map, map);
}

static int on_missed(void *ctx, uint32_t type, uint64_t count)
{
	struct uc_filter *f = ctx;

	BOTH(f, on_missed, type, count);
}

/* A time of the window as a ts of the recording's clock. */
static int window_ts(struct uc_filter *f, const struct uc_time_spec *t,
		     int64_t *ts)
{
	if (!t->wall) {
		*ts = (int64_t)f->t0 + t->ns;
		return 0;
	}
	if (!f->have_clock) {
		uc_error_set(&f->err, "--since/--until: the recording does not "
			     "say when it was made (no wall-clock time): give "
			     "seconds after its first event instead");
		return -1;
	}
	*ts = t->ns - f->wall_offset_ns;
	return 0;
}

/* 1: inside the window, 0: outside, -1: error (f->err). */
static int in_window(struct uc_filter *f, uint64_t ts)
{
	int64_t edge;

	if (!f->have_t0) {
		f->have_t0 = true;
		f->t0 = ts;
	}
	if (f->cfg.since.set) {
		if (window_ts(f, &f->cfg.since, &edge))
			return -1;
		if ((int64_t)ts < edge)
			return 0;
	}
	if (f->cfg.until.set) {
		if (window_ts(f, &f->cfg.until, &edge))
			return -1;
		if ((int64_t)ts >= edge)
			return 0;
	}
	return 1;
}

/* Is the datapath port PORT of datapath DP the one --port names? */
static bool port_selected(const struct uc_filter *f, const char *dp, int64_t port)
{
	const char *name = uc_port_map_name(&f->map, dp, port);
	char number[24];

	snprintf(number, sizeof(number), "%lld", (long long)port);
	return listed(f->cfg.port, number) || (name && listed(f->cfg.port, name));
}

static uint32_t port_marks(const struct uc_filter *f, const struct uc_raw_event *ev)
{
	int64_t port;
	uint32_t in_port;
	const char *dp;

	if (ev->event == UC_EV_DP_UPCALL) {
		if (listed(f->cfg.port, ev->dev_name))
			return 0;
		if (uc_port_map_lookup(&f->map, ev->dpif_name, ev->dev_name, &port) &&
		    port_selected(f, ev->dpif_name, port))
			return 0;
		return UC_HIDDEN_PORT;
	}
	/* A receive's port is in its flow key; a tunnel's may be any. */
	if (ev->event != UC_EV_RECV_UPCALL ||
	    uc_flow_key_port(ev->key, ev->key_cap, &in_port) != UC_KEY_PORT_IN_PORT)
		return 0;
	dp = strncmp(ev->dpif_name, "system@", 7) ? ev->dpif_name : ev->dpif_name + 7;
	return port_selected(f, dp, in_port) ? 0 : UC_OTHER_PORT;
}

static uint32_t handler_marks(struct uc_filter *f, const struct uc_raw_event *ev)
{
	if (ev->event == UC_EV_DP_UPCALL)
		return 0;
	uc_strtab_intern(&f->threads, ev->comm);
	return listed(f->cfg.handlers, ev->comm) ? 0 : UC_HIDDEN_HANDLER;
}

static int on_event(void *ctx, const struct uc_raw_event *ev)
{
	struct uc_filter *f = ctx;
	const struct uc_raw_event *to_analysis = ev;
	struct uc_raw_event marked;
	uint32_t hidden = 0;
	int rc, inside = in_window(f, ev->ts);

	if (inside < 0) {
		f->failed = true;
		return -EINVAL;
	}
	if (!inside) {
		f->outside_window++;
		return 0;
	}
	if (f->cfg.handlers)
		hidden |= handler_marks(f, ev);
	if (f->cfg.port)
		hidden |= port_marks(f, ev);
	/* The event is copied only to be marked: most are not, and the
	 * copy would cost more than the rest of this stage. */
	if (hidden) {
		marked = *ev;
		marked.hidden |= hidden;
		to_analysis = &marked;
	}
	rc = f->analysis.on_event ? f->analysis.on_event(f->analysis.ctx, to_analysis) : 0;
	/* The recording keeps receives of other ports: their batch needs them. */
	if (!rc && f->record.on_event &&
	    !(to_analysis->hidden & (UC_HIDDEN_HANDLER | UC_HIDDEN_PORT)))
		rc = f->record.on_event(f->record.ctx, ev);
	return rc;
}

/*
 * Xevents: the time window applies to each by its ts, --port to the
 * kernel's failed upcalls (by their device), and --handler-filter to
 * none (a thread's scheduling records name it by TID only: the analysis
 * follows only the threads it keeps).  The capture's own facts pass,
 * but its BPF totals only when nothing is sliced away: they count the
 * whole capture.
 */
static bool xevent_kept(struct uc_filter *f, const struct uc_xevent *xe, int *err)
{
	int64_t port;
	const struct uc_port_entry *e;
	int inside;

	if (xe->kind == UC_X_FEATURES)
		return true;
	if (xe->kind == UC_X_DP_RESULTS)
		return !uc_filter_active(&f->cfg);
	inside = in_window(f, xe->ts);
	if (inside < 0) {
		f->failed = true;
		*err = -EINVAL;
		return false;
	}
	if (!inside) {
		f->outside_window++;
		return false;
	}
	if (xe->kind != UC_X_DP_RESULT || !f->cfg.port || listed(f->cfg.port, xe->comm))
		return true;
	e = uc_port_map_find_device(&f->map, xe->comm);
	port = e ? e->number : -1;
	return e && port_selected(f, e->dp, port);
}

static int on_xevent(void *ctx, const struct uc_xevent *xe)
{
	struct uc_filter *f = ctx;
	int err = 0;

	if (!xevent_kept(f, xe, &err))
		return err;
	BOTH(f, on_xevent, xe);
}

struct uc_event_sink uc_filter_sink(struct uc_filter *f)
{
	return (struct uc_event_sink){
		.ctx = f,
		.on_info = on_info,
		.on_port_map = on_port_map,
		.on_event = on_event,
		.on_missed = on_missed,
		.on_xevent = on_xevent,
	};
}

static bool thread_seen(const struct uc_filter *f, const char *name, size_t n)
{
	for (size_t i = 0; i < f->threads.n; i++)
		if (strlen(f->threads.str[i]) == n && !memcmp(f->threads.str[i], name, n))
			return true;
	return false;
}

void uc_filter_unknown_handlers(const struct uc_filter *f, char *buf,
				size_t size)
{
	const char *name = f->cfg.handlers;
	size_t len = 0, unknown = 0;

	buf[0] = '\0';
	for (; name; name = strchr(name, ',') ? strchr(name, ',') + 1 : NULL) {
		size_t n = strcspn(name, ",");

		if (thread_seen(f, name, n) || len >= size)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s'%.*s'",
					unknown++ ? ", " : "--handler-filter: ",
					(int)n, name);
	}
	if (!unknown || len >= size)
		return;
	len += (size_t)snprintf(buf + len, size - len, " %s no thread of the "
				"recording, which has: ",
				unknown == 1 ? "matches" : "match");
	for (size_t i = 0; i < f->threads.n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? ", " : "", f->threads.str[i]);
	if (!f->threads.n && len < size)
		snprintf(buf + len, size - len, "no vswitchd thread at all");
}
