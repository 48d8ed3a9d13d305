/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * py_write.c - writes upcall_cost.py's event file format, byte for byte as
 * that script does (its str.format() of a dict of ctypes values):
 *
 *   dp_port_map = {'ovs-system': {'ovs-system': 0, 'br0': 1}}
 *   event = {'event': 1, 'cpu': 0, ..., 'pkt': b'...', 'key': b''}
 *   event_miss = {1: 3, 4: 1}
 *
 * Event lines are the bulk of such a file (about 1.4 KB each with the
 * default capture sizes, mostly "\x00"), so they are formatted straight
 * into the output buffer with a bound computed up front, not with stdio.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "py_write.h"
#include "pyrepr.h"

/* Worst case of one escaped byte: \xhh. */
#define ESC_MAX 4
/* Room for the keys, punctuation and the eight integers of a line. */
#define EVENT_FIXED_MAX 512

static unsigned char *put_lit(unsigned char *o, const char *s)
{
	size_t len = strlen(s);

	memcpy(o, s, len);
	return o + len;
}

static unsigned char *put_u64(unsigned char *o, uint64_t v)
{
	unsigned char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (unsigned char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*o++ = tmp[--n];
	return o;
}

static unsigned char *put_escaped(unsigned char *o, unsigned char c,
				  char quote)
{
	static const char hex[] = "0123456789abcdef";

	if (c >= 0x20 && c < 0x7f) {
		if (c == '\\' || c == (unsigned char)quote)
			*o++ = '\\';
		*o++ = c;
		return o;
	}
	*o++ = '\\';
	switch (c) {
	case '\t':
		*o++ = 't';
		return o;
	case '\n':
		*o++ = 'n';
		return o;
	case '\r':
		*o++ = 'r';
		return o;
	default:
		*o++ = 'x';
		*o++ = (unsigned char)hex[c >> 4];
		*o++ = (unsigned char)hex[c & 0xf];
		return o;
	}
}

/* b'...' of LEN bytes of S followed by PAD zero bytes. */
static unsigned char *put_bytes(unsigned char *o, const void *s, size_t len,
				size_t pad)
{
	const unsigned char *b = s;
	char quote = uc_py_pick_quote(b, len);

	*o++ = 'b';
	*o++ = (unsigned char)quote;
	for (size_t i = 0; i < len; i++)
		o = put_escaped(o, b[i], quote);
	for (size_t i = 0; i < pad; i++)
		o = put_lit(o, "\\x00");
	*o++ = (unsigned char)quote;
	return o;
}

/*
 * Bytes written for a pkt/key field: none when SIZE (the full length) is
 * 0, as the script writes b'' then; else the capture array, whose length
 * is the capture size, padded with zeros (it never truncates: a capture
 * longer than the configured size is written whole).
 */
static size_t array_len(uint64_t size, uint32_t cap, uint32_t capture_size)
{
	if (!size)
		return 0;
	return cap > capture_size ? cap : capture_size;
}

int uc_py_write_event(struct uc_wbuf *b, const struct uc_raw_event *ev,
		      uint32_t packet_size, uint32_t key_size)
{
	size_t pkt_len = array_len(ev->pkt_size, ev->pkt_cap, packet_size);
	size_t key_len = array_len(ev->key_size, ev->key_cap, key_size);
	size_t pkt_cap = pkt_len < ev->pkt_cap ? pkt_len : ev->pkt_cap;
	size_t key_cap = key_len < ev->key_cap ? key_len : ev->key_cap;
	size_t comm = strnlen(ev->comm, UC_TASK_COMM_LEN);
	size_t dpif = strnlen(ev->dpif_name, UC_DPIF_NAME_LEN);
	size_t dev = strnlen(ev->dev_name, UC_DEV_NAME_LEN);
	size_t max = EVENT_FIXED_MAX +
		     ESC_MAX * (pkt_len + key_len + comm + dpif + dev);
	unsigned char *start = uc_wbuf_reserve(b, max), *o = start;

	if (!o)
		return b->err ? -b->err : -EIO;
	o = put_lit(o, "event = {'event': ");
	o = put_u64(o, ev->event);
	o = put_lit(o, ", 'cpu': ");
	o = put_u64(o, ev->cpu);
	o = put_lit(o, ", 'pid': ");
	o = put_u64(o, ev->pid);
	o = put_lit(o, ", 'upcall_type': ");
	o = put_u64(o, ev->upcall_type);
	o = put_lit(o, ", 'ts': ");
	o = put_u64(o, ev->ts);
	o = put_lit(o, ", 'pkt_frag_size': ");
	o = put_u64(o, ev->pkt_frag_size);
	o = put_lit(o, ", 'pkt_size': ");
	o = put_u64(o, ev->pkt_size);
	o = put_lit(o, ", 'key_size': ");
	o = put_u64(o, ev->key_size);
	o = put_lit(o, ", 'comm': ");
	o = put_bytes(o, ev->comm, comm, 0);
	o = put_lit(o, ", 'dpif_name': ");
	o = put_bytes(o, ev->dpif_name, dpif, 0);
	o = put_lit(o, ", 'dev_name': ");
	o = put_bytes(o, ev->dev_name, dev, 0);
	o = put_lit(o, ", 'pkt': ");
	o = put_bytes(o, ev->pkt, pkt_cap, pkt_len - pkt_cap);
	o = put_lit(o, ", 'key': ");
	o = put_bytes(o, ev->key, key_cap, key_len - key_cap);
	o = put_lit(o, "}\n");
	uc_wbuf_advance(b, (size_t)(o - start));
	return 0;
}

/* A signed integer as Python prints it. */
static unsigned char *put_s64(unsigned char *o, int64_t v)
{
	if (v < 0) {
		*o++ = '-';
		return put_u64(o, (uint64_t)0 - (uint64_t)v);
	}
	return put_u64(o, (uint64_t)v);
}

int uc_py_write_xevent(struct uc_wbuf *b, const struct uc_xevent *xe)
{
	size_t comm = strnlen(xe->comm, UC_TASK_COMM_LEN);
	size_t max = EVENT_FIXED_MAX + ESC_MAX * (comm + xe->data_len);
	unsigned char *start = uc_wbuf_reserve(b, max), *o = start;

	if (!o)
		return b->err ? -b->err : -EIO;
	o = put_lit(o, "xevent = {'kind': ");
	o = put_u64(o, xe->kind);
	o = put_lit(o, ", 'flags': ");
	o = put_u64(o, xe->flags);
	o = put_lit(o, ", 'cpu': ");
	o = put_u64(o, xe->cpu);
	o = put_lit(o, ", 'tid': ");
	o = put_u64(o, xe->tid);
	o = put_lit(o, ", 'seq': ");
	o = put_u64(o, xe->seq);
	o = put_lit(o, ", 'ts': ");
	o = put_u64(o, xe->ts);
	o = put_lit(o, ", 'a': ");
	o = put_u64(o, xe->a);
	o = put_lit(o, ", 'b': ");
	o = put_u64(o, xe->b);
	o = put_lit(o, ", 'other': ");
	o = put_u64(o, xe->other);
	o = put_lit(o, ", 'ret': ");
	o = put_s64(o, xe->ret);
	o = put_lit(o, ", 'comm': ");
	o = put_bytes(o, xe->comm, comm, 0);
	o = put_lit(o, ", 'data': ");
	o = put_bytes(o, xe->data, xe->data_len, 0);
	o = put_lit(o, "}\n");
	uc_wbuf_advance(b, (size_t)(o - start));
	return 0;
}

/*
 * The rare lines (maps, capture info) are formatted with stdio into
 * memory, then appended: port_map.c and pyrepr.c write Python reprs to a
 * FILE.
 */
struct line {
	char *text;
	size_t len;
	FILE *out;
};

static int line_begin(struct line *l)
{
	l->text = NULL;
	l->len = 0;
	l->out = open_memstream(&l->text, &l->len);
	return l->out ? 0 : -ENOMEM;
}

static int line_end(struct uc_wbuf *b, struct line *l)
{
	bool failed = ferror(l->out);
	int rc;

	/* fclose() sets text and len; a stream that failed is out of memory. */
	if (fclose(l->out) || failed)
		rc = -ENOMEM;
	else
		rc = uc_wbuf_append(b, l->text, l->len);
	free(l->text);
	return rc;
}

static int write_map_line(struct uc_wbuf *b, const char *prefix,
			  const struct uc_port_map *map)
{
	struct line l;

	if (line_begin(&l))
		return -ENOMEM;
	fputs(prefix, l.out);
	uc_port_map_write_py(map, l.out);
	fputc('\n', l.out);
	return line_end(b, &l);
}

int uc_py_write_port_map(struct uc_wbuf *b, const struct uc_port_map *map)
{
	return write_map_line(b, "dp_port_map = ", map);
}

/* upcall_cost.py never wrote a refreshed map, so its replays lose the
 * kernel upcalls of ports added during the capture; ours keep them. */
int uc_py_write_port_map_update(struct uc_wbuf *b, const struct uc_port_map *map)
{
	return write_map_line(b, "dp_port_map_update = ", map);
}

/*
 * capture_info = {'tool_version': '0.1.0', 'packet_size': 256, ...}: what
 * the native header keeps, so that a replay of a py file can show wall
 * clock times too.  upcall_cost.py ignores lines it does not know.
 */
int uc_py_write_info(struct uc_wbuf *b, const struct uc_capture_info *info)
{
	struct line l;

	if (line_begin(&l))
		return -ENOMEM;
	fputs("capture_info = {'tool_version': ", l.out);
	uc_py_write_str(l.out, info->tool_version, strlen(info->tool_version));
	fprintf(l.out, ", 'packet_size': %u, 'flow_key_size': %u, "
		       "'buffer_page_count': %u, 'host': ",
		info->packet_size, info->flow_key_size, info->buffer_page_count);
	uc_py_write_str(l.out, info->host, strlen(info->host));
	fputs(", 'kernel': ", l.out);
	uc_py_write_str(l.out, info->kernel, strlen(info->kernel));
	fprintf(l.out, ", 'start_realtime_ns': %llu, 'start_monotonic_ns': %llu}\n",
		(unsigned long long)info->start_realtime_ns,
		(unsigned long long)info->start_monotonic_ns);
	return line_end(b, &l);
}

/* PREFIX{1: 3, 4: 1}: a dict repr of the int keys XEVENTS selects. */
static int write_missed_line(struct uc_wbuf *b, const char *prefix,
			     const struct uc_missed_entry *missed,
			     size_t n_missed, bool xevents)
{
	size_t n = 0;

	for (size_t i = 0; i < n_missed; i++) {
		unsigned char *start, *o;

		if ((missed[i].type >= UC_X_BASE) != xevents)
			continue;
		start = o = uc_wbuf_reserve(b, 64);
		if (!o)
			return b->err ? -b->err : -EIO;
		o = put_lit(o, n++ ? ", " : prefix);
		o = put_u64(o, missed[i].type);
		o = put_lit(o, ": ");
		o = put_u64(o, missed[i].count);
		uc_wbuf_advance(b, (size_t)(o - start));
	}
	return n ? uc_wbuf_append(b, "}\n", 2) : 0;
}

/* event_miss = {1: 3, 4: 1}, as the script; then xevent_miss = {...}
 * (its dict would not know the kinds). */
int uc_py_write_missed(struct uc_wbuf *b, const struct uc_missed_entry *missed,
		       size_t n_missed)
{
	int rc = write_missed_line(b, "event_miss = {", missed, n_missed, false);

	return rc ? rc : write_missed_line(b, "xevent_miss = {", missed, n_missed,
					   true);
}
