/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * py_read.c - reads the event files upcall_cost.py writes (-w), with its
 * replay rules (upcall_cost.py's main(), "-r"):
 *
 *  - lines are told apart by prefix: "dp_port_map = ", "event = ",
 *    "event_miss = "; any other line is ignored;
 *  - only the first port map counts; event lines before it are ignored
 *    (and counted, so that the caller can say so);
 *  - event_miss lines add per-type missed counts wherever they are;
 *  - the capture sizes are those of each record: the packet handed on is
 *    the first min(pkt_size, len(pkt)) bytes, the key likewise;
 *  - our own lines, which the original skips like any line it does not
 *    know: "capture_info = " (the native header's facts: tool version,
 *    capture sizes, host, clocks), handed on as on_info, and
 *    "dp_port_map_update = " (a map refreshed during the capture, once
 *    the first map was seen), handed on as on_port_map; "xevent = " (a
 *    verdict, a scheduling or flow record: xevent.h), handed on as
 *    on_xevent once the first map was seen, as events are; and
 *    "xevent_miss = " (xevents the ring buffer refused).
 *
 * Unlike the original:
 *  - "dp_port_map = None" (what a capture writes when ovs-appctl failed)
 *    is the first map, an invalid one: the events after it are handed on,
 *    and a later dp_port_map_update line can name their ports, so that a
 *    file this tool wrote replays in full;
 *  - a line that starts with one of the five prefixes but does not hold
 *    the value it should, or holds a value outside the limits every
 *    reader and writer shares (record_check.h), is an error naming the
 *    file, the line, what was expected and the column, instead of a
 *    Python traceback or a line silently skipped.
 *
 * Lines are cut out of the input's buffer with memchr(), never copied.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port_map.h"
#include "py_event.h"
#include "py_read.h"
#include "pyliteral.h"
#include "record_check.h"
#include "xevent.h"

/* Skipped values of capture_info keys we do not know: at most this long. */
#define UNKNOWN_BYTES_MAX 65536

struct py_reader {
	const char *name;
	size_t lineno;
	const struct uc_event_sink *sink;
	struct uc_read_stats *stats;
	struct uc_error *err;
	bool map_seen;
	struct uc_pybuf key, str, data;
	struct uc_py_event_parser event;
};

/* A syntax error at CUR: "NAME:LINE: malformed WHAT: expected X at
 * column N". */
static int syntax_error(struct py_reader *r, struct uc_pylit *cur,
			const char *what)
{
	return uc_error_set(r->err, "%s:%zu: malformed %s: expected %s at column %zu",
			    r->name, r->lineno, what,
			    cur->expected ? cur->expected : "the end of the line",
			    uc_pylit_offset(cur) + 1);
}

/* A value outside the shared limits: "NAME:LINE: malformed WHAT: WHY". */
static int limit_error(struct py_reader *r, const char *what, const char *why)
{
	return uc_error_set(r->err, "%s:%zu: malformed %s: %s", r->name,
			    r->lineno, what, why);
}

/* A cursor at offset AT of LINE, whose columns count from the line start. */
static void cursor_at(struct uc_pylit *cur, const char *line, size_t len,
		      size_t at)
{
	uc_pylit_init(cur, line, len);
	cur->p += at;
}

static bool key_is(const struct uc_pybuf *key, const char *name)
{
	return key->len == strlen(name) && !memcmp(key->data, name, key->len);
}

/* ---------------------------------------------------------------- port map */

static bool parse_dp_ports(struct uc_pylit *cur, struct py_reader *r,
			   struct uc_port_map *map, const struct uc_pybuf *dp)
{
	if (!uc_pylit_expect(cur, '{'))
		return false;
	if (uc_pylit_accept(cur, '}'))
		return true;
	do {
		int64_t number;

		if (uc_pylit_accept(cur, '}'))
			return true;    /* trailing comma */
		if (!uc_pylit_str(cur, &r->str) || !uc_pylit_expect(cur, ':') ||
		    !uc_pylit_int(cur, &number))
			return false;
		if (uc_port_map_set(map, (const char *)dp->data, dp->len,
				    (const char *)r->str.data, r->str.len,
				    number)) {
			cur->expected = "memory";
			return false;
		}
	} while (uc_pylit_accept(cur, ','));
	return uc_pylit_expect(cur, '}');
}

/* A dict of dicts, or None (MAP stays invalid). */
static bool parse_port_map(struct uc_pylit *cur, struct py_reader *r,
			   struct uc_port_map *map)
{
	struct uc_pybuf dp = { 0 };
	bool ok = false;

	uc_pylit_skip_ws(cur);
	if (cur->p < cur->end && *cur->p == 'N')
		return uc_pylit_none(cur);
	if (!uc_pylit_accept(cur, '{')) {
		cur->expected = "'{' or None";
		return false;
	}
	map->valid = true;
	if (uc_pylit_accept(cur, '}'))
		return true;
	do {
		if (uc_pylit_accept(cur, '}')) {
			ok = true;
			goto out;
		}
		if (!uc_pylit_str(cur, &dp) || !uc_pylit_expect(cur, ':') ||
		    !parse_dp_ports(cur, r, map, &dp))
			goto out;
	} while (uc_pylit_accept(cur, ','));
	ok = uc_pylit_expect(cur, '}');
out:
	uc_pybuf_free(&dp);
	return ok;
}

/*
 * "dp_port_map = ": only the first counts, as in the original, None
 * included (an invalid map).  "dp_port_map_update = " (UPDATE): ours, a
 * map refreshed during the capture; it replaces the map from there on
 * (the original skips it), once there is a first map.  Every one is
 * checked, used or not.
 */
static int read_port_map(struct py_reader *r, const char *line, size_t len,
			 size_t at, bool update)
{
	const char *what = update ? "dp_port_map_update" : "dp_port_map";
	char why[UC_CHECK_WHY_SIZE];
	struct uc_port_map map;
	struct uc_pylit cur;
	bool used = update ? r->map_seen : !r->map_seen;
	int ret = 0;

	uc_port_map_init(&map);
	cursor_at(&cur, line, len, at);
	if (!parse_port_map(&cur, r, &map) || !uc_pylit_at_end(&cur)) {
		ret = syntax_error(r, &cur, what);
		goto out;
	}
	if (uc_check_port_map(&map, why)) {
		ret = limit_error(r, what, why);
		goto out;
	}
	r->map_seen |= !update;
	if (used && r->sink->on_port_map)
		ret = r->sink->on_port_map(r->sink->ctx, &map);
out:
	uc_port_map_free(&map);
	return ret;
}

/* ---------------------------------------------------------------- events */

static int read_event(struct py_reader *r, const char *line, size_t len,
		      size_t at)
{
	char why[UC_CHECK_WHY_SIZE + 64];
	struct uc_raw_event ev;

	if (uc_py_event_parse(&r->event, line, len, at, &ev, why, sizeof(why)))
		return limit_error(r, "event", why);
	if (uc_check_event(&ev, why))
		return limit_error(r, "event", why);
	if (!r->map_seen) {
		/* The original ignores events before the map. */
		r->stats->events_before_map++;
		return 0;
	}
	r->stats->events++;
	return r->sink->on_event ? r->sink->on_event(r->sink->ctx, &ev) : 0;
}

/* ---------------------------------------------------------------- xevents */

/* One value of an xevent dict into XE; unknown keys (a later version's)
 * are skipped. */
static bool xevent_value(struct uc_pylit *cur, struct py_reader *r,
			 struct uc_xevent *xe)
{
	static const char *const u32_keys[] = {
		"kind", "cpu", "tid", "seq", "other",
	};
	uint32_t *const u32_dst[] = { &xe->kind, &xe->cpu, &xe->tid, &xe->seq,
				      &xe->other };
	uint64_t v;
	int64_t sv;

	for (size_t i = 0; i < sizeof(u32_keys) / sizeof(u32_keys[0]); i++) {
		if (!key_is(&r->key, u32_keys[i]))
			continue;
		if (!uc_pylit_uint(cur, &v))
			return false;
		if (v > UINT32_MAX) {
			cur->expected = "a smaller integer";
			return false;
		}
		*u32_dst[i] = (uint32_t)v;
		return true;
	}
	if (key_is(&r->key, "ts") || key_is(&r->key, "a") || key_is(&r->key, "b")) {
		if (!uc_pylit_uint(cur, &v))
			return false;
		*(key_is(&r->key, "ts") ? &xe->ts : key_is(&r->key, "a") ? &xe->a : &xe->b) = v;
		return true;
	}
	if (key_is(&r->key, "flags")) {
		if (!uc_pylit_uint(cur, &v))
			return false;
		if (v > UINT16_MAX) {
			cur->expected = "a smaller integer";
			return false;
		}
		xe->flags = (uint16_t)v;
		return true;
	}
	if (key_is(&r->key, "ret")) {
		if (!uc_pylit_int(cur, &sv))
			return false;
		if (sv < INT32_MIN || sv > INT32_MAX) {
			cur->expected = "a 32-bit integer";
			return false;
		}
		xe->ret = (int32_t)sv;
		return true;
	}
	if (key_is(&r->key, "comm")) {
		if (!uc_pylit_bytes(cur, &r->str, UC_TASK_COMM_LEN))
			return false;
		if (r->str.len)          /* (b'' has no data at all) */
			memcpy(xe->comm, r->str.data, r->str.len);
		xe->comm[r->str.len] = '\0';
		return true;
	}
	if (key_is(&r->key, "data")) {
		if (!uc_pylit_bytes(cur, &r->data, UC_X_DATA_MAX))
			return false;
		xe->data = r->data.data;
		xe->data_len = (uint32_t)r->data.len;
		return true;
	}
	if (uc_pylit_peek_bytes(cur))
		return uc_pylit_bytes(cur, &r->str, UNKNOWN_BYTES_MAX);
	if (uc_pylit_peek_str(cur))
		return uc_pylit_str(cur, &r->str);
	return uc_pylit_int(cur, &sv);
}

static int read_xevent(struct py_reader *r, const char *line, size_t len,
		       size_t at)
{
	char why_buf[UC_CHECK_WHY_SIZE];
	struct uc_xevent xe = { 0 };
	const char *why = NULL;
	struct uc_pylit cur;

	cursor_at(&cur, line, len, at);
	if (!uc_pylit_expect(&cur, '{'))
		return syntax_error(r, &cur, "xevent");
	do {
		if (uc_pylit_accept(&cur, '}'))
			goto done;
		if (!uc_pylit_str(&cur, &r->key) || !uc_pylit_expect(&cur, ':') ||
		    !xevent_value(&cur, r, &xe))
			return syntax_error(r, &cur, "xevent");
	} while (uc_pylit_accept(&cur, ','));
	if (!uc_pylit_expect(&cur, '}'))
		return syntax_error(r, &cur, "xevent");
done:
	if (!uc_pylit_at_end(&cur)) {
		cur.expected = "the end of the line";
		return syntax_error(r, &cur, "xevent");
	}
	/* A kind of a later version: skipped, as unknown lines are. */
	if (xe.kind >= UC_X_MAX)
		return 0;
	why = uc_check_xevent(&xe, why_buf);
	if (why)
		return limit_error(r, "xevent", why);
	if (!r->map_seen)
		return 0;
	return r->sink->on_xevent ? r->sink->on_xevent(r->sink->ctx, &xe) : 0;
}

/* ---------------------------------------------------------------- misses */

/* A count: negative ones are none, as the original's sum would be. */
static bool parse_count(struct uc_pylit *cur, uint64_t *count)
{
	bool negative = uc_pylit_accept(cur, '-');

	if (!negative)
		uc_pylit_accept(cur, '+');
	if (!uc_pylit_uint(cur, count))
		return false;
	if (negative)
		*count = 0;
	return true;
}

/*
 * event_miss = {type: count, ...} (event types), or with XEVENTS our
 * xevent_miss = {kind: count, ...} (xevent kinds; a later version's are
 * skipped).
 */
static int read_miss_line(struct py_reader *r, const char *line, size_t len,
			  size_t at, bool xevents)
{
	const char *what = xevents ? "xevent_miss" : "event_miss";
	uint32_t first = xevents ? UC_X_BASE : 0;
	uint32_t last = xevents ? UC_X_MAX - 1 : UC_EV_MAX - 1;
	char why[UC_CHECK_WHY_SIZE];
	uint64_t counts[UC_X_MAX] = { 0 };
	struct uc_pylit cur;
	int ret = 0;

	cursor_at(&cur, line, len, at);
	if (!uc_pylit_expect(&cur, '{'))
		return syntax_error(r, &cur, what);
	do {
		int64_t type;
		uint64_t count;

		if (uc_pylit_accept(&cur, '}'))
			goto done;
		if (!uc_pylit_int(&cur, &type) || !uc_pylit_expect(&cur, ':') ||
		    !parse_count(&cur, &count))
			return syntax_error(r, &cur, what);
		if (xevents && type > last)
			continue;
		if (type < first || type > last) {
			snprintf(why, sizeof(why), "%s %lld: expected %u to %u",
				 xevents ? "xevent kind" : "event type",
				 (long long)type, first, last);
			return limit_error(r, what, why);
		}
		/* A dict keeps the last value of a repeated key. */
		counts[type] = count;
	} while (uc_pylit_accept(&cur, ','));
	if (!uc_pylit_expect(&cur, '}'))
		return syntax_error(r, &cur, what);
done:
	if (!uc_pylit_at_end(&cur)) {
		cur.expected = "the end of the line";
		return syntax_error(r, &cur, what);
	}
	for (uint32_t t = first; t <= last && !ret; t++)
		if (counts[t] && r->sink->on_missed)
			ret = r->sink->on_missed(r->sink->ctx, t, counts[t]);
	return ret;
}

static int read_event_miss(struct py_reader *r, const char *line, size_t len,
			   size_t at)
{
	return read_miss_line(r, line, len, at, false);
}

static int read_xevent_miss(struct py_reader *r, const char *line, size_t len,
			    size_t at)
{
	return read_miss_line(r, line, len, at, true);
}

/* ---------------------------------------------------------------- info */

/* A str value of the capture_info dict; false with WHY on a limit. */
static bool info_string(struct uc_pylit *cur, struct py_reader *r,
			struct uc_capture_info *info, const char **why,
			char why_buf[UC_CHECK_WHY_SIZE])
{
	static const char *const keys[] = { "tool_version", "host", "kernel" };
	char *const dst[] = { info->tool_version, info->host, info->kernel };

	if (!uc_pylit_str(cur, &r->str))
		return false;
	for (int i = 0; i < 3; i++) {
		const void *nul;
		size_t n = r->str.len;

		if (!key_is(&r->key, keys[i]))
			continue;
		*why = uc_check_info_string(keys[i], n, why_buf);
		if (*why)
			return false;
		/* A C string: it ends at its first NUL. */
		nul = n ? memchr(r->str.data, 0, n) : NULL;
		if (nul)
			n = (size_t)((const uint8_t *)nul - r->str.data);
		if (n)
			memcpy(dst[i], r->str.data, n);
		dst[i][n] = '\0';
	}
	return true;
}

/* An int value of the capture_info dict (u32 fields: at most 2**32-1). */
static bool info_int(struct uc_pylit *cur, struct py_reader *r,
		     struct uc_capture_info *info)
{
	static const char *const u32_keys[] = {
		"packet_size", "flow_key_size", "buffer_page_count",
	};
	uint32_t *const u32_dst[] = {
		&info->packet_size, &info->flow_key_size,
		&info->buffer_page_count,
	};
	uint64_t v;

	if (!uc_pylit_uint(cur, &v))
		return false;
	for (int i = 0; i < 3; i++) {
		if (!key_is(&r->key, u32_keys[i]))
			continue;
		if (v > UINT32_MAX) {
			cur->expected = "a smaller integer";
			return false;
		}
		*u32_dst[i] = (uint32_t)v;
	}
	if (key_is(&r->key, "start_realtime_ns"))
		info->start_realtime_ns = v;
	if (key_is(&r->key, "start_monotonic_ns"))
		info->start_monotonic_ns = v;
	return true;
}

static bool is_str_key(const struct uc_pybuf *key)
{
	return key_is(key, "tool_version") || key_is(key, "host") ||
	       key_is(key, "kernel");
}

static bool is_int_key(const struct uc_pybuf *key)
{
	return key_is(key, "packet_size") || key_is(key, "flow_key_size") ||
	       key_is(key, "buffer_page_count") ||
	       key_is(key, "start_realtime_ns") ||
	       key_is(key, "start_monotonic_ns");
}

/* One value of the capture_info dict into INFO (unknown keys skipped). */
static bool info_value(struct uc_pylit *cur, struct py_reader *r,
		       struct uc_capture_info *info, const char **why,
		       char why_buf[UC_CHECK_WHY_SIZE])
{
	int64_t ignored;

	if (is_str_key(&r->key))
		return info_string(cur, r, info, why, why_buf);
	if (is_int_key(&r->key))
		return info_int(cur, r, info);
	/* A key of a later version: skip its value. */
	if (uc_pylit_peek_bytes(cur))
		return uc_pylit_bytes(cur, &r->str, UNKNOWN_BYTES_MAX);
	if (uc_pylit_peek_str(cur))
		return uc_pylit_str(cur, &r->str);
	return uc_pylit_int(cur, &ignored);
}

/* capture_info = {...}: our own line (upcall_cost.py skips it). */
static int read_info(struct py_reader *r, const char *line, size_t len,
		     size_t at)
{
	struct uc_capture_info info = { 0 };
	char why_buf[UC_CHECK_WHY_SIZE];
	const char *why = NULL;
	struct uc_pylit cur;

	cursor_at(&cur, line, len, at);
	if (!uc_pylit_expect(&cur, '{'))
		return syntax_error(r, &cur, "capture_info");
	do {
		if (uc_pylit_accept(&cur, '}'))
			goto done;
		if (!uc_pylit_str(&cur, &r->key) || !uc_pylit_expect(&cur, ':') ||
		    !info_value(&cur, r, &info, &why, why_buf))
			return why ? limit_error(r, "capture_info", why) :
				     syntax_error(r, &cur, "capture_info");
	} while (uc_pylit_accept(&cur, ','));
	if (!uc_pylit_expect(&cur, '}'))
		return syntax_error(r, &cur, "capture_info");
done:
	if (!uc_pylit_at_end(&cur)) {
		cur.expected = "the end of the line";
		return syntax_error(r, &cur, "capture_info");
	}
	why = uc_check_info(&info, why_buf);
	if (why)
		return limit_error(r, "capture_info", why);
	return r->sink->on_info ? r->sink->on_info(r->sink->ctx, &info) : 0;
}

/* ---------------------------------------------------------------- lines */

#define KIND(prefix, fn) { prefix, sizeof(prefix) - 1, fn }

static int read_map(struct py_reader *r, const char *l, size_t n, size_t at)
{
	return read_port_map(r, l, n, at, false);
}

static int read_map_update(struct py_reader *r, const char *l, size_t n,
			   size_t at)
{
	return read_port_map(r, l, n, at, true);
}

/* The lines we read, by prefix; the value starts after it. */
static const struct line_kind {
	const char *prefix;
	size_t len;
	int (*read)(struct py_reader *r, const char *line, size_t len,
		    size_t at);
} line_kinds[] = {
	KIND("event = ", read_event),
	KIND("dp_port_map = ", read_map),
	KIND("dp_port_map_update = ", read_map_update),
	KIND("event_miss = ", read_event_miss),
	KIND("capture_info = ", read_info),
	KIND("xevent = ", read_xevent),
	KIND("xevent_miss = ", read_xevent_miss),
};

static int read_line(struct py_reader *r, const char *line, size_t len)
{
	size_t n = sizeof(line_kinds) / sizeof(line_kinds[0]);

	for (size_t i = 0; i < n; i++) {
		const struct line_kind *k = &line_kinds[i];

		if (len >= k->len && !memcmp(line, k->prefix, k->len))
			return k->read(r, line, len, k->len);
	}
	return 0;
}

/*
 * Hands each line (without its newline) to read_line().  A line must fit
 * in the input's buffer, which grows to hold the longest one.
 */
static int read_lines(struct py_reader *r, struct uc_input *in)
{
	size_t scanned = 0;   /* bytes known to hold no newline */

	for (;;) {
		const char *data = (const char *)uc_input_data(in);
		size_t avail = uc_input_avail(in), len, skip;
		const char *nl = avail > scanned ?
			memchr(data + scanned, '\n', avail - scanned) : NULL;
		int ret;

		if (nl) {
			len = (size_t)(nl - data);
			skip = len + 1;
		} else if (!uc_input_eof(in)) {
			long got = uc_input_more(in);

			if (got < 0)
				return uc_error_set(r->err,
						    "%s: read error: %s",
						    r->name,
						    strerror((int)-got));
			scanned = avail;
			continue;
		} else if (avail) {
			len = skip = avail;   /* the last line has no newline */
		} else {
			return 0;
		}
		r->lineno++;
		ret = read_line(r, data, len);
		uc_input_consume(in, skip);
		scanned = 0;
		if (ret)
			return ret;
	}
}

int uc_py_read(struct uc_input *in, const struct uc_event_sink *sink,
	       struct uc_read_stats *stats, struct uc_error *err)
{
	struct uc_read_stats local = { .format = UC_FORMAT_PY };
	struct py_reader *r = calloc(1, sizeof(*r));
	int ret;

	err->msg[0] = '\0';
	if (!r)
		return uc_error_set(err, "%s: out of memory", in->name);
	r->name = in->name;
	r->sink = sink;
	r->stats = stats ? stats : &local;
	r->err = err;
	ret = read_lines(r, in);
	if (ret == UC_SINK_STOP || ret > 0)
		ret = 0;
	else if (ret < 0 && !err->msg[0])
		uc_error_set(err, "%s:%zu: %s", r->name, r->lineno,
			     strerror(-ret));
	uc_pybuf_free(&r->key);
	uc_pybuf_free(&r->str);
	uc_pybuf_free(&r->data);
	uc_py_event_parser_free(&r->event);
	free(r);
	return ret ? -1 : 0;
}
