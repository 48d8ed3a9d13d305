/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * py_read.c - reads the event files upcall_cost.py writes (-w), with its
 * replay rules (upcall_cost.py's main(), "-r"):
 *
 *  - lines are told apart by prefix: "dp_port_map = {", "event = {",
 *    "event_miss = {"; any other line is ignored;
 *  - only the first port map counts; event lines before it are ignored;
 *  - event_miss lines add per-type missed counts wherever they are;
 *  - the capture sizes are those of each record: the packet handed on is
 *    the first min(pkt_size, len(pkt)) bytes, the key likewise;
 *  - our own lines, which the original skips like any line it does not
 *    know: "capture_info = {" (the native header's facts: tool version,
 *    capture sizes, host, clocks), handed on as on_info, and
 *    "dp_port_map_update = {" (a map refreshed during the capture, once
 *    the first map was seen), handed on as on_port_map.
 *
 * Unlike the original, a malformed line is an error naming the file, the
 * line and what was expected, instead of a Python traceback.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "port_map.h"
#include "py_read.h"
#include "pyliteral.h"

/* Larger than any capture upcall_cost.py can make (-P/-f <= 2048). */
#define PY_MAX_BYTES 65536

struct py_reader {
	const char *name;
	size_t lineno;
	const struct uc_event_sink *sink;
	struct uc_error *err;
	bool map_seen;
	struct uc_pybuf key, pkt, keybytes, str;
};

static int syntax_error(struct py_reader *r, struct uc_pylit *cur,
			const char *what)
{
	return uc_error_set(r->err, "%s:%zu: malformed %s: expected %s at column %zu",
			    r->name, r->lineno, what,
			    cur->expected ? cur->expected : "a valid value",
			    uc_pylit_offset(cur) + 1);
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

static bool parse_port_map_dict(struct uc_pylit *cur, struct py_reader *r,
				struct uc_port_map *map)
{
	struct uc_pybuf dp = { 0 };
	bool ok = false;

	if (!uc_pylit_expect(cur, '{'))
		return false;
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
 * "dp_port_map = {": only the first counts, as in the original.
 * "dp_port_map_update = {" (UPDATE): ours, a map refreshed during the
 * capture; it replaces the map from there on (the original skips it).
 */
static int read_port_map(struct py_reader *r, const char *text, size_t len,
			 bool update)
{
	const char *what = update ? "dp_port_map_update" : "dp_port_map";
	struct uc_port_map map;
	struct uc_pylit cur;
	int ret = 0;

	if (r->map_seen && !update)
		return 0;  /* the original uses the first map only */
	uc_port_map_init(&map);
	uc_pylit_init(&cur, text, len);
	if (!parse_port_map_dict(&cur, r, &map) || !uc_pylit_at_end(&cur)) {
		if (!cur.expected)
			cur.expected = "the end of the line";
		ret = syntax_error(r, &cur, what);
		goto out;
	}
	map.valid = true;
	r->map_seen |= !update;
	if (r->sink->on_port_map && (r->map_seen || !update))
		ret = r->sink->on_port_map(r->sink->ctx, &map);
out:
	uc_port_map_free(&map);
	return ret;
}

/* ---------------------------------------------------------------- events */

enum field {
	F_EVENT, F_CPU, F_PID, F_UPCALL_TYPE, F_TS, F_PKT_FRAG_SIZE,
	F_PKT_SIZE, F_KEY_SIZE, F_COMM, F_DPIF_NAME, F_DEV_NAME, F_PKT, F_KEY,
	F_COUNT,
};

static const struct {
	const char *name;
	uint64_t max;       /* for ints; 0 = a bytes field */
	size_t max_bytes;   /* for bytes fields */
} fields[F_COUNT] = {
	[F_EVENT] = { "event", UINT32_MAX, 0 },
	[F_CPU] = { "cpu", UINT32_MAX, 0 },
	[F_PID] = { "pid", UINT32_MAX, 0 },
	[F_UPCALL_TYPE] = { "upcall_type", UINT32_MAX, 0 },
	[F_TS] = { "ts", UINT64_MAX, 0 },
	[F_PKT_FRAG_SIZE] = { "pkt_frag_size", UINT32_MAX, 0 },
	[F_PKT_SIZE] = { "pkt_size", UINT32_MAX, 0 },
	[F_KEY_SIZE] = { "key_size", UINT64_MAX, 0 },
	[F_COMM] = { "comm", 0, UC_TASK_COMM_LEN },
	[F_DPIF_NAME] = { "dpif_name", 0, UC_DPIF_NAME_LEN },
	[F_DEV_NAME] = { "dev_name", 0, UC_DEV_NAME_LEN },
	[F_PKT] = { "pkt", 0, PY_MAX_BYTES },
	[F_KEY] = { "key", 0, PY_MAX_BYTES },
};

static int field_index(const struct uc_pybuf *key)
{
	for (int i = 0; i < F_COUNT; i++)
		if (strlen(fields[i].name) == key->len &&
		    !memcmp(fields[i].name, key->data, key->len))
			return i;
	return -1;
}

/* Names are C strings in the record: they end at the first NUL. */
static void set_name(char *dst, size_t size, const struct uc_pybuf *src)
{
	size_t n = src->len < size - 1 ? src->len : size - 1;
	const void *nul = n ? memchr(src->data, 0, n) : NULL;

	if (nul)
		n = (size_t)((const uint8_t *)nul - src->data);
	if (n)
		memcpy(dst, src->data, n);
	dst[n] = '\0';
}

static void set_int(struct uc_raw_event *ev, int f, uint64_t v)
{
	switch (f) {
	case F_EVENT: ev->event = (uint32_t)v; break;
	case F_CPU: ev->cpu = (uint32_t)v; break;
	case F_PID: ev->pid = (uint32_t)v; break;
	case F_UPCALL_TYPE: ev->upcall_type = (uint32_t)v; break;
	case F_TS: ev->ts = v; break;
	case F_PKT_FRAG_SIZE: ev->pkt_frag_size = (uint32_t)v; break;
	case F_PKT_SIZE: ev->pkt_size = (uint32_t)v; break;
	case F_KEY_SIZE: ev->key_size = v; break;
	default: break;
	}
}

static bool parse_value(struct uc_pylit *cur, struct py_reader *r,
			struct uc_raw_event *ev, int f)
{
	struct uc_pybuf *buf;
	uint64_t v;

	if (f < 0) {
		/* A key we do not know: skip its int or bytes value. */
		int64_t ignored;

		if (uc_pylit_peek_bytes(cur))
			return uc_pylit_bytes(cur, &r->str, PY_MAX_BYTES);
		return uc_pylit_int(cur, &ignored);
	}
	if (fields[f].max) {
		if (!uc_pylit_uint(cur, &v))
			return false;
		if (v > fields[f].max) {
			cur->expected = "a smaller integer";
			return false;
		}
		set_int(ev, f, v);
		return true;
	}
	buf = f == F_PKT ? &r->pkt : f == F_KEY ? &r->keybytes : &r->str;
	if (!uc_pylit_bytes(cur, buf, fields[f].max_bytes))
		return false;
	if (f == F_COMM)
		set_name(ev->comm, sizeof(ev->comm), buf);
	else if (f == F_DPIF_NAME)
		set_name(ev->dpif_name, sizeof(ev->dpif_name), buf);
	else if (f == F_DEV_NAME)
		set_name(ev->dev_name, sizeof(ev->dev_name), buf);
	return true;
}

static bool parse_event_dict(struct uc_pylit *cur, struct py_reader *r,
			     struct uc_raw_event *ev, unsigned *seen)
{
	if (!uc_pylit_expect(cur, '{'))
		return false;
	do {
		int f;

		if (uc_pylit_accept(cur, '}'))
			return true;
		if (!uc_pylit_str(cur, &r->key) || !uc_pylit_expect(cur, ':'))
			return false;
		f = field_index(&r->key);
		if (!parse_value(cur, r, ev, f))
			return false;
		if (f >= 0)
			*seen |= 1u << f;
	} while (uc_pylit_accept(cur, ','));
	return uc_pylit_expect(cur, '}');
}

static int check_event(struct py_reader *r, const struct uc_raw_event *ev,
		       unsigned seen)
{
	for (int f = 0; f < F_COUNT; f++)
		if (!(seen & (1u << f)))
			return uc_error_set(r->err, "%s:%zu: malformed event: no '%s' field",
					    r->name, r->lineno, fields[f].name);
	if (ev->event >= UC_EV_MAX)
		return uc_error_set(r->err, "%s:%zu: malformed event: expected an event type 0..%d, got %u",
				    r->name, r->lineno, UC_EV_MAX - 1, ev->event);
	return 0;
}

static int read_event(struct py_reader *r, const char *text, size_t len)
{
	struct uc_raw_event ev = { 0 };
	struct uc_pylit cur;
	unsigned seen = 0;

	if (!r->map_seen)
		return 0;  /* the original ignores events before the map */
	uc_pylit_init(&cur, text, len);
	if (!parse_event_dict(&cur, r, &ev, &seen) || !uc_pylit_at_end(&cur)) {
		if (!cur.expected)
			cur.expected = "the end of the line";
		return syntax_error(r, &cur, "event");
	}
	if (check_event(r, &ev, seen))
		return -1;
	/* What the original keeps of the arrays: min(size, len(array)). */
	ev.pkt = r->pkt.data;
	ev.pkt_cap = (uint32_t)(ev.pkt_size < r->pkt.len ? ev.pkt_size : r->pkt.len);
	ev.key = r->keybytes.data;
	ev.key_cap = (uint32_t)(ev.key_size < r->keybytes.len ? ev.key_size :
							    r->keybytes.len);
	return r->sink->on_event ? r->sink->on_event(r->sink->ctx, &ev) : 0;
}

/* ---------------------------------------------------------------- misses */

static int read_event_miss(struct py_reader *r, const char *text, size_t len)
{
	struct uc_pylit cur;
	uint64_t counts[UC_EV_MAX] = { 0 };
	int ret = 0;

	uc_pylit_init(&cur, text, len);
	if (!uc_pylit_expect(&cur, '{'))
		return syntax_error(r, &cur, "event_miss");
	do {
		int64_t type, count;

		if (uc_pylit_accept(&cur, '}'))
			goto done;
		if (!uc_pylit_int(&cur, &type) || !uc_pylit_expect(&cur, ':') ||
		    !uc_pylit_int(&cur, &count))
			return syntax_error(r, &cur, "event_miss");
		if (type < 0 || type >= UC_EV_MAX)
			return uc_error_set(r->err, "%s:%zu: malformed event_miss: expected an event type 0..%d, got %lld",
					    r->name, r->lineno, UC_EV_MAX - 1,
					    (long long)type);
		/* A dict keeps the last value of a repeated key. */
		counts[type] = count > 0 ? (uint64_t)count : 0;
	} while (uc_pylit_accept(&cur, ','));
	if (!uc_pylit_expect(&cur, '}'))
		return syntax_error(r, &cur, "event_miss");
done:
	if (!uc_pylit_at_end(&cur)) {
		cur.expected = "the end of the line";
		return syntax_error(r, &cur, "event_miss");
	}
	for (int t = 0; t < UC_EV_MAX && !ret; t++)
		if (counts[t] && r->sink->on_missed)
			ret = r->sink->on_missed(r->sink->ctx, (uint32_t)t,
						 counts[t]);
	return ret;
}

/* ---------------------------------------------------------------- info */

/* One value of the capture_info dict into INFO (unknown keys skipped). */
static bool info_value(struct uc_pylit *cur, struct py_reader *r,
		       struct uc_capture_info *info)
{
	static const char *const strs[] = { "tool_version", "host", "kernel" };
	char *const str_dst[] = { info->tool_version, info->host, info->kernel };
	const size_t str_size[] = { sizeof(info->tool_version),
				    sizeof(info->host), sizeof(info->kernel) };
	struct uc_pybuf *key = &r->key;
	uint64_t v;

	if (uc_pylit_peek_bytes(cur))   /* no such key yet: skip it */
		return uc_pylit_bytes(cur, &r->str, PY_MAX_BYTES);
	if (uc_pylit_peek_str(cur)) {
		if (!uc_pylit_str(cur, &r->str))
			return false;
		for (int i = 0; i < 3; i++)
			if (key->len == strlen(strs[i]) &&
			    !memcmp(key->data, strs[i], key->len))
				set_name(str_dst[i], str_size[i], &r->str);
		return true;
	}
	if (!uc_pylit_uint(cur, &v))
		return false;
#define INFO_INT(name, field, max)                                        \
	if (key->len == strlen(name) && !memcmp(key->data, name, key->len)) \
		info->field = v > (max) ? (max) : v;
	INFO_INT("packet_size", packet_size, UINT32_MAX)
	INFO_INT("flow_key_size", flow_key_size, UINT32_MAX)
	INFO_INT("buffer_page_count", buffer_page_count, UINT32_MAX)
	INFO_INT("start_realtime_ns", start_realtime_ns, UINT64_MAX)
	INFO_INT("start_monotonic_ns", start_monotonic_ns, UINT64_MAX)
#undef INFO_INT
	return true;
}

/* capture_info = {...}: our own line (upcall_cost.py skips it). */
static int read_info(struct py_reader *r, const char *text, size_t len)
{
	struct uc_capture_info info = { 0 };
	struct uc_pylit cur;

	uc_pylit_init(&cur, text, len);
	if (!uc_pylit_expect(&cur, '{'))
		return syntax_error(r, &cur, "capture_info");
	do {
		if (uc_pylit_accept(&cur, '}'))
			goto done;
		if (!uc_pylit_str(&cur, &r->key) || !uc_pylit_expect(&cur, ':') ||
		    !info_value(&cur, r, &info))
			return syntax_error(r, &cur, "capture_info");
	} while (uc_pylit_accept(&cur, ','));
	if (!uc_pylit_expect(&cur, '}'))
		return syntax_error(r, &cur, "capture_info");
done:
	if (!uc_pylit_at_end(&cur)) {
		cur.expected = "the end of the line";
		return syntax_error(r, &cur, "capture_info");
	}
	return r->sink->on_info ? r->sink->on_info(r->sink->ctx, &info) : 0;
}

/* ---------------------------------------------------------------- lines */

static bool has_prefix(const char *line, size_t len, const char *prefix,
		       size_t *skip)
{
	size_t n = strlen(prefix);

	if (len < n || memcmp(line, prefix, n))
		return false;
	*skip = n - 1;  /* keep the '{' */
	return true;
}

static int read_line(struct py_reader *r, const char *line, size_t len)
{
	size_t skip;

	if (has_prefix(line, len, "dp_port_map = {", &skip))
		return read_port_map(r, line + skip, len - skip, false);
	if (has_prefix(line, len, "dp_port_map_update = {", &skip))
		return read_port_map(r, line + skip, len - skip, true);
	if (has_prefix(line, len, "event = {", &skip))
		return read_event(r, line + skip, len - skip);
	if (has_prefix(line, len, "event_miss = {", &skip))
		return read_event_miss(r, line + skip, len - skip);
	if (has_prefix(line, len, "capture_info = {", &skip))
		return read_info(r, line + skip, len - skip);
	return 0;
}

int uc_py_read_stream(FILE *in, const char *name,
		      const struct uc_event_sink *sink, struct uc_error *err)
{
	struct py_reader r = { .name = name, .sink = sink, .err = err };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	err->msg[0] = '\0';
	while ((len = getline(&line, &cap, in)) > 0) {
		r.lineno++;
		ret = read_line(&r, line, (size_t)len);
		if (ret)
			break;
	}
	if (!ret && ferror(in))
		ret = uc_error_set(err, "%s: read error: %s", name, strerror(errno));
	if (ret == UC_SINK_STOP)
		ret = 0;
	else if (ret < 0 && !err->msg[0])
		uc_error_set(err, "%s:%zu: %s", name, r.lineno, strerror(-ret));
	free(line);
	uc_pybuf_free(&r.key);
	uc_pybuf_free(&r.pkt);
	uc_pybuf_free(&r.keybytes);
	uc_pybuf_free(&r.str);
	return ret ? -1 : 0;
}
