/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * py_event.c - an upcall_cost.py event dict (py_event.h):
 *
 *   {'event': 1, 'cpu': 0, 'pid': 500, 'upcall_type': 1, 'ts': 100,
 *    'pkt_frag_size': 0, 'pkt_size': 98, 'key_size': 0, 'comm': b'ping',
 *    'dpif_name': b'ovs-system', 'dev_name': b'eth0', 'pkt': b'..',
 *    'key': b''}
 *
 * Keys may come in any order (a dict keeps the last of a repeated key),
 * unknown keys with an int or bytes value are skipped, and every field
 * must be there.  Names are C strings in the record: they end at their
 * first NUL.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "py_event.h"

/* Skipped values of keys we do not know: at most this many bytes. */
#define UNKNOWN_BYTES_MAX 65536

enum field {
	F_EVENT, F_CPU, F_PID, F_UPCALL_TYPE, F_TS, F_PKT_FRAG_SIZE,
	F_PKT_SIZE, F_KEY_SIZE, F_COMM, F_DPIF_NAME, F_DEV_NAME, F_PKT, F_KEY,
	F_COUNT,
};

#define FIELD(key, max, max_bytes) { key, sizeof(key) - 1, max, max_bytes }

/* In the order upcall_cost.py writes them: the fast path's order. */
static const struct {
	const char *name;
	size_t len;
	uint64_t max;       /* for ints; 0 = a bytes field */
	size_t max_bytes;   /* for bytes fields */
} fields[F_COUNT] = {
	[F_EVENT] = FIELD("event", UINT32_MAX, 0),
	[F_CPU] = FIELD("cpu", UINT32_MAX, 0),
	[F_PID] = FIELD("pid", UINT32_MAX, 0),
	[F_UPCALL_TYPE] = FIELD("upcall_type", UINT32_MAX, 0),
	[F_TS] = FIELD("ts", UINT64_MAX, 0),
	[F_PKT_FRAG_SIZE] = FIELD("pkt_frag_size", UINT32_MAX, 0),
	[F_PKT_SIZE] = FIELD("pkt_size", UINT32_MAX, 0),
	[F_KEY_SIZE] = FIELD("key_size", UINT64_MAX, 0),
	[F_COMM] = FIELD("comm", 0, UC_TASK_COMM_LEN),
	[F_DPIF_NAME] = FIELD("dpif_name", 0, UC_DPIF_NAME_LEN),
	[F_DEV_NAME] = FIELD("dev_name", 0, UC_DEV_NAME_LEN),
	[F_PKT] = FIELD("pkt", 0, UC_CAPTURE_MAX),
	[F_KEY] = FIELD("key", 0, UC_CAPTURE_MAX),
};

/* The decoded sizes of the pkt and key arrays. */
struct arrays {
	size_t pkt, key;
};

void uc_py_event_parser_free(struct uc_py_event_parser *p)
{
	uc_pybuf_free(&p->name);
	uc_pybuf_free(&p->bytes);
	uc_pybuf_free(&p->str);
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

/* A name field from LEN decoded bytes: up to the first NUL. */
static void set_name(struct uc_raw_event *ev, int f, const uint8_t *src,
		     size_t len)
{
	char *dst = f == F_COMM ? ev->comm :
		    f == F_DPIF_NAME ? ev->dpif_name : ev->dev_name;
	const void *nul = len ? memchr(src, 0, len) : NULL;

	if (nul)
		len = (size_t)((const uint8_t *)nul - src);
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

/* A bytes field's decoded value: the arrays keep theirs, names are set. */
static void set_bytes(struct uc_py_event_parser *p, struct uc_raw_event *ev,
		      struct arrays *a, int f, const uint8_t *src, size_t len)
{
	if (f == F_PKT) {
		if (src != p->pkt && len)
			memcpy(p->pkt, src, len);
		a->pkt = len;
	} else if (f == F_KEY) {
		if (src != p->key && len)
			memcpy(p->key, src, len);
		a->key = len;
	} else {
		set_name(ev, f, src, len);
	}
}

/* ---------------------------------------------------------- fast path */

#define STEP(lit) { lit, sizeof(lit) - 1 }

/* What comes before each field's value, in fields[] order. */
static const struct {
	const char *lit;
	size_t len;
} canonical[F_COUNT] = {
	STEP("{'event': "), STEP(", 'cpu': "), STEP(", 'pid': "),
	STEP(", 'upcall_type': "), STEP(", 'ts': "),
	STEP(", 'pkt_frag_size': "), STEP(", 'pkt_size': "),
	STEP(", 'key_size': "), STEP(", 'comm': "), STEP(", 'dpif_name': "),
	STEP(", 'dev_name': "), STEP(", 'pkt': "), STEP(", 'key': "),
};

/* The dict exactly as upcall_cost.py writes it, or false. */
static bool parse_fast(struct uc_py_event_parser *p, const char *s,
		       const char *end, struct uc_raw_event *ev,
		       struct arrays *a)
{
	for (int f = 0; f < F_COUNT; f++) {
		if ((size_t)(end - s) < canonical[f].len ||
		    memcmp(s, canonical[f].lit, canonical[f].len))
			return false;
		s += canonical[f].len;
		if (fields[f].max) {
			uint64_t v;

			s = uc_pylit_fast_uint(s, end, &v);
			if (!s || v > fields[f].max)
				return false;
			set_int(ev, f, v);
		} else {
			uint8_t name[UC_DPIF_NAME_LEN];
			uint8_t *out = f == F_PKT ? p->pkt :
				       f == F_KEY ? p->key : name;
			size_t len;

			s = uc_pylit_fast_bytes(s, end, out,
						fields[f].max_bytes, &len);
			if (!s)
				return false;
			set_bytes(p, ev, a, f, out, len);
		}
	}
	return end - s == 1 && *s == '}';
}

/* ------------------------------------------------------- general path */

static int field_index(const struct uc_pybuf *key)
{
	for (int i = 0; i < F_COUNT; i++)
		if (fields[i].len == key->len &&
		    !memcmp(fields[i].name, key->data, key->len))
			return i;
	return -1;
}

static bool parse_value(struct uc_pylit *cur, struct uc_py_event_parser *p,
			struct uc_raw_event *ev, struct arrays *a, int f)
{
	uint64_t v;

	if (f < 0) {
		/* A key we do not know: skip its int or bytes value. */
		int64_t ignored;

		if (uc_pylit_peek_bytes(cur))
			return uc_pylit_bytes(cur, &p->str, UNKNOWN_BYTES_MAX);
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
	if (!uc_pylit_bytes(cur, &p->bytes, fields[f].max_bytes))
		return false;
	set_bytes(p, ev, a, f, p->bytes.data, p->bytes.len);
	return true;
}

static bool parse_dict(struct uc_pylit *cur, struct uc_py_event_parser *p,
		       struct uc_raw_event *ev, struct arrays *a,
		       unsigned *seen)
{
	if (!uc_pylit_expect(cur, '{'))
		return false;
	do {
		int f;

		if (uc_pylit_accept(cur, '}'))
			return true;
		if (!uc_pylit_str(cur, &p->name) || !uc_pylit_expect(cur, ':'))
			return false;
		f = field_index(&p->name);
		if (!parse_value(cur, p, ev, a, f))
			return false;
		if (f >= 0)
			*seen |= 1u << f;
	} while (uc_pylit_accept(cur, ','));
	return uc_pylit_expect(cur, '}');
}

static int parse_general(struct uc_py_event_parser *p, const char *line,
			 size_t len, size_t at, struct uc_raw_event *ev,
			 struct arrays *a, char *why, size_t why_size)
{
	struct uc_pylit cur;
	unsigned seen = 0;

	uc_pylit_init(&cur, line, len);
	cur.p += at;
	if (!parse_dict(&cur, p, ev, a, &seen) || !uc_pylit_at_end(&cur)) {
		snprintf(why, why_size, "expected %s at column %zu",
			 cur.expected ? cur.expected : "the end of the line",
			 uc_pylit_offset(&cur) + 1);
		return -1;
	}
	for (int f = 0; f < F_COUNT; f++) {
		if (!(seen & (1u << f))) {
			snprintf(why, why_size, "no '%s' field",
				 fields[f].name);
			return -1;
		}
	}
	return 0;
}

/* What the original keeps of the arrays: min(size, len(array)). */
static void set_arrays(struct uc_py_event_parser *p, struct uc_raw_event *ev,
		       const struct arrays *a)
{
	ev->pkt = p->pkt;
	ev->pkt_cap = (uint32_t)(ev->pkt_size < a->pkt ? ev->pkt_size : a->pkt);
	ev->key = p->key;
	ev->key_cap = (uint32_t)(ev->key_size < a->key ? ev->key_size : a->key);
}

int uc_py_event_parse_general(struct uc_py_event_parser *p, const char *line,
			      size_t len, size_t at, struct uc_raw_event *ev,
			      char *why, size_t why_size)
{
	struct arrays a = { 0, 0 };

	memset(ev, 0, sizeof(*ev));
	if (parse_general(p, line, len, at, ev, &a, why, why_size))
		return -1;
	set_arrays(p, ev, &a);
	return 0;
}

int uc_py_event_parse(struct uc_py_event_parser *p, const char *line,
		      size_t len, size_t at, struct uc_raw_event *ev,
		      char *why, size_t why_size)
{
	struct arrays a = { 0, 0 };

	memset(ev, 0, sizeof(*ev));
	if (!parse_fast(p, line + at, line + len, ev, &a))
		return uc_py_event_parse_general(p, line, len, at, ev, why,
						 why_size);
	set_arrays(p, ev, &a);
	return 0;
}
