/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * native_read.c - reads upcall_cost's native event files (native_format.h).
 *
 * The file is read front to back through the input's buffer (input.h),
 * which holds at least the current record; events are handed to the sink
 * straight from it (packet and key pointers point into the buffer), so
 * memory stays at a few hundred KiB whatever the file size, and a pipe
 * reads like a file.  Every length is checked against the bytes that are
 * really there before anything is read through it; the facts themselves
 * (capture sizes, event types, names) against the limits every reader and
 * writer shares (record_check.h).
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "native_format.h"
#include "native_read.h"
#include "record_check.h"

/* The on-disk structs must have exactly the documented layout. */
_Static_assert(sizeof(struct uc_native_preamble) == UC_NATIVE_PREAMBLE_SIZE,
	       "preamble layout");
_Static_assert(sizeof(struct uc_native_rec_hdr) == UC_NATIVE_REC_HDR_SIZE,
	       "record header layout");
_Static_assert(sizeof(struct uc_native_info) == UC_NATIVE_INFO_SIZE,
	       "info layout");
_Static_assert(sizeof(struct uc_native_port_map) == UC_NATIVE_PORT_MAP_SIZE,
	       "port map layout");
_Static_assert(sizeof(struct uc_native_port_entry) ==
		       UC_NATIVE_PORT_ENTRY_SIZE,
	       "port entry layout");
_Static_assert(sizeof(struct uc_native_event) == UC_NATIVE_EVENT_SIZE,
	       "event layout");
_Static_assert(offsetof(struct uc_native_event, pkt_cap) == 40,
	       "event layout");
_Static_assert(sizeof(struct uc_native_xevent) == UC_NATIVE_XEVENT_SIZE,
	       "xevent layout");
_Static_assert(sizeof(struct uc_native_trailer) == UC_NATIVE_TRAILER_SIZE,
	       "trailer layout");
_Static_assert(sizeof(struct uc_native_missed) == UC_NATIVE_MISSED_SIZE,
	       "missed layout");

/* Bound for record types a newer minor version added (skipped unread). */
#define UNKNOWN_RECORD_MAX (16u * 1024 * 1024)

/* Outcome of one step of the reader. */
enum step {
	STEP_OK = 0,
	STEP_STOP = 1,    /* sink said stop, or the file is done */
	STEP_ERROR = -1,
};

struct reader {
	struct uc_input *in;
	const char *name;
	const struct uc_event_sink *sink;
	FILE *warn;
	struct uc_read_stats *stats;
	struct uc_error *err;

	uint16_t minor;    /* the file's minor version */
	uint64_t n_events; /* event records read (skipped ones included) */
	uint64_t n_skipped; /* ... of an event type of a newer minor */
	bool info_seen;
};

/* "NAME: byte N: <what>"; always returns STEP_ERROR. */
__attribute__((format(printf, 3, 4)))
static int fail(struct reader *r, uint64_t off, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	uc_error_set(r->err, "%s: byte %" PRIu64 ": %s", r->name, off, what);
	return STEP_ERROR;
}

/* ---------------------------------------------------------- buffering */

/*
 * Makes N unread bytes available at the input's data.  Returns STEP_OK
 * when they are, STEP_STOP when the file ends first (fewer are
 * available), or STEP_ERROR on a read error.
 */
static int fill(struct reader *r, size_t n)
{
	int rc = uc_input_fill(r->in, n);

	if (rc > 0)
		return STEP_OK;
	if (rc == 0)
		return STEP_STOP;
	if (rc == -ENOMEM)
		return fail(r, uc_input_offset(r->in),
			    "out of memory for a %zu-byte record", n);
	return fail(r, uc_input_offset(r->in) + uc_input_avail(r->in),
		    "read error: %s", strerror(-rc));
}

static size_t avail(const struct reader *r)
{
	return uc_input_avail(r->in);
}

static const unsigned char *data(const struct reader *r)
{
	return uc_input_data(r->in);
}

/* ------------------------------------------------------ sink plumbing */

/* Turns a callback's return into a step; negative values are errors. */
static int sink_result(struct reader *r, int rc, uint64_t off,
		       const char *what)
{
	if (rc == 0)
		return STEP_OK;
	if (rc > 0)
		return STEP_STOP;
	return fail(r, off, "%s: %s", what, strerror(-rc));
}

static int truncated(struct reader *r)
{
	if (r->stats)
		r->stats->truncated = true;
	if (r->warn)
		fprintf(r->warn,
			"warning: %s: ends without a trailer (capture "
			"interrupted?); %" PRIu64 " events read\n",
			r->name, r->n_events);
	return STEP_STOP;
}

/* ----------------------------------------------------------- preamble */

bool uc_native_is_magic(const void *buf, size_t len)
{
	return buf && len >= UC_NATIVE_MAGIC_LEN &&
	       !memcmp(buf, UC_NATIVE_MAGIC, UC_NATIVE_MAGIC_LEN);
}

static int read_preamble(struct reader *r)
{
	struct uc_native_preamble p;
	int rc = fill(r, sizeof(p));

	if (rc == STEP_ERROR)
		return rc;
	if (avail(r) >= UC_NATIVE_MAGIC_LEN &&
	    !uc_native_is_magic(data(r), avail(r)))
		return fail(r, 0, "bad magic: not an upcall_cost native trace "
			    "(expected 89 55 43 54 0d 0a 1a 0a)");
	if (rc == STEP_STOP)
		return fail(r, avail(r), "file ends inside the %d-byte header",
			    UC_NATIVE_PREAMBLE_SIZE);
	memcpy(&p, data(r), sizeof(p));
	if (le32toh(p.bom) != UC_NATIVE_BOM)
		return fail(r, 8, "byte-order mark 0x%08" PRIx32
			    ": expected 0x%08x (little-endian)",
			    le32toh(p.bom), UC_NATIVE_BOM);
	if (le16toh(p.version_major) != UC_NATIVE_VERSION_MAJOR)
		return fail(r, 12, "format version %u.%u: expected %u.x",
			    le16toh(p.version_major), le16toh(p.version_minor),
			    UC_NATIVE_VERSION_MAJOR);
	r->minor = le16toh(p.version_minor);
	uc_input_consume(r->in, sizeof(p));
	return STEP_OK;
}

/* --------------------------------------------------------------- INFO */

/* A u8 length and that many bytes into FIELD's NUL-terminated DST. */
static int take_string(struct reader *r, const unsigned char **p,
		       const unsigned char *end, char *dst, const char *field,
		       uint64_t off)
{
	char why[UC_CHECK_WHY_SIZE];
	size_t len;

	if (*p >= end)
		return fail(r, off, "info record: ends before its %s", field);
	len = **p;
	if (uc_check_info_string(field, len, why))
		return fail(r, off, "info record: %s", why);
	if ((size_t)(end - *p - 1) < len)
		return fail(r, off, "info record: %s (%zu bytes) runs past "
			    "the record", field, len);
	memcpy(dst, *p + 1, len);
	dst[len] = '\0';
	*p += 1 + len;
	return STEP_OK;
}

/* What only the native format says: the clock and the byte order. */
static int check_native_info(struct reader *r, const struct uc_native_info *n,
			     uint64_t off)
{
	bool host_be = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	bool file_be = le32toh(n->flags) & UC_NATIVE_INFO_F_BIG_ENDIAN;

	if (le32toh(n->clock_id) != UC_NATIVE_CLOCK_MONOTONIC)
		return fail(r, off, "info record: clock id %u: expected %u "
			    "(CLOCK_MONOTONIC)", le32toh(n->clock_id),
			    UC_NATIVE_CLOCK_MONOTONIC);
	if (file_be != host_be)
		return fail(r, off, "info record: flow keys were captured on "
			    "a %s-endian host; this one is %s-endian",
			    file_be ? "big" : "little",
			    host_be ? "big" : "little");
	return STEP_OK;
}

static int read_info(struct reader *r, const unsigned char *body,
		     size_t len, uint64_t off)
{
	const unsigned char *p = body + UC_NATIVE_INFO_SIZE, *end = body + len;
	struct uc_capture_info info = { 0 };
	char why[UC_CHECK_WHY_SIZE];
	struct uc_native_info n;

	memcpy(&n, body, sizeof(n));
	info.packet_size = le32toh(n.packet_size);
	info.flow_key_size = le32toh(n.flow_key_size);
	info.buffer_page_count = le32toh(n.buffer_page_count);
	info.start_realtime_ns = le64toh(n.start_realtime_ns);
	info.start_monotonic_ns = le64toh(n.start_monotonic_ns);
	if (uc_check_info(&info, why))
		return fail(r, off, "info record: %s", why);
	if (check_native_info(r, &n, off) < 0 ||
	    take_string(r, &p, end, info.tool_version, "tool_version",
			off) < 0 ||
	    take_string(r, &p, end, info.host, "host", off) < 0 ||
	    take_string(r, &p, end, info.kernel, "kernel", off) < 0)
		return STEP_ERROR;
	r->info_seen = true;
	if (!r->sink->on_info)
		return STEP_OK;
	return sink_result(r, r->sink->on_info(r->sink->ctx, &info), off,
			   "info record");
}

/* ----------------------------------------------------------- PORT_MAP */

static int add_port_entries(struct reader *r, struct uc_port_map *map,
			    const unsigned char *p, const unsigned char *end,
			    uint32_t n_entries, uint64_t off)
{
	for (uint32_t i = 0; i < n_entries; i++) {
		struct uc_native_port_entry e;
		size_t dp_len, port_len;

		if ((size_t)(end - p) < UC_NATIVE_PORT_ENTRY_SIZE)
			return fail(r, off, "port map record: entry %u of %u "
				    "runs past the record", i, n_entries);
		memcpy(&e, p, sizeof(e));
		p += UC_NATIVE_PORT_ENTRY_SIZE;
		dp_len = le16toh(e.dp_len);
		port_len = le16toh(e.port_len);
		if ((size_t)(end - p) < dp_len + port_len)
			return fail(r, off, "port map record: names of entry "
				    "%u (%zu + %zu bytes) run past the record",
				    i, dp_len, port_len);
		if (uc_port_map_set(map, (const char *)p, dp_len,
				    (const char *)p + dp_len, port_len,
				    (int64_t)le64toh((uint64_t)e.number)))
			return fail(r, off, "port map record: out of memory");
		p += dp_len + port_len;
	}
	return STEP_OK;
}

static int read_port_map(struct reader *r, const unsigned char *body,
			 size_t len, uint64_t off)
{
	char why[UC_CHECK_WHY_SIZE];
	struct uc_native_port_map h;
	struct uc_port_map map;
	uint32_t n_entries;
	int rc;

	memcpy(&h, body, sizeof(h));
	n_entries = le32toh(h.n_entries);
	/* Cheap bound first, so a huge count fails before any allocation. */
	if ((uint64_t)n_entries * UC_NATIVE_PORT_ENTRY_SIZE >
	    len - UC_NATIVE_PORT_MAP_SIZE)
		return fail(r, off, "port map record: %u entries do not fit "
			    "in %zu bytes", n_entries, len);
	uc_port_map_init(&map);
	rc = add_port_entries(r, &map, body + UC_NATIVE_PORT_MAP_SIZE,
			      body + len, n_entries, off);
	map.valid = le32toh(h.flags) & UC_NATIVE_PORT_MAP_F_VALID;
	if (rc == STEP_OK && uc_check_port_map(&map, why))
		rc = fail(r, off, "port map record: %s", why);
	if (rc == STEP_OK && r->sink->on_port_map)
		rc = sink_result(r, r->sink->on_port_map(r->sink->ctx, &map),
				 off, "port map record");
	uc_port_map_free(&map);
	return rc;
}

/* -------------------------------------------------------------- EVENT */

/*
 * LEN bytes at SRC into DST, a field of SIZE bytes, NUL-terminated.  When
 * the buffer has the bytes (up to READABLE: they may be the next
 * record's), a whole field's worth is copied: a fixed-size copy, much
 * cheaper than one of a variable length, which compiles to a slow-starting
 * string instruction.  What follows the NUL is then of no meaning.
 */
static inline void copy_string(char *dst, size_t size, const unsigned char *src,
			       size_t len, const unsigned char *readable)
{
	if ((size_t)(readable - src) >= size - 1)
		memcpy(dst, src, size - 1);
	else
		memcpy(dst, src, len);
	dst[len] = '\0';
}

/* The lengths in H against the fields and the record's LEN bytes. */
static int check_lengths(struct reader *r, const struct uc_native_event *h,
			 size_t len, uint64_t off)
{
	size_t pkt_cap = le16toh(h->pkt_cap), key_cap = le16toh(h->key_cap);

	if (h->comm_len > UC_TASK_COMM_LEN ||
	    h->dpif_name_len > UC_DPIF_NAME_LEN ||
	    h->dev_name_len > UC_DEV_NAME_LEN)
		return fail(r, off, "event record: string lengths %u/%u/%u: "
			    "expected at most %d/%d/%d", h->comm_len,
			    h->dpif_name_len, h->dev_name_len,
			    UC_TASK_COMM_LEN, UC_DPIF_NAME_LEN,
			    UC_DEV_NAME_LEN);
	if (UC_NATIVE_EVENT_SIZE + pkt_cap + key_cap + h->comm_len +
		    h->dpif_name_len + h->dev_name_len > len)
		return fail(r, off, "event record: %zu + %zu captured bytes "
			    "and its names do not fit in %zu bytes",
			    pkt_cap, key_cap, len);
	return STEP_OK;
}

/* A type of a newer minor version (see the versioning rules): skipped. */
static bool newer_type(const struct reader *r, uint32_t type)
{
	return type >= UC_EV_MAX && r->minor > UC_NATIVE_VERSION_MINOR;
}

/* The hot path: one record to one on_event call, no allocation. */
static int read_event(struct reader *r, const unsigned char *body,
		      size_t len, uint64_t off)
{
	struct uc_raw_event ev = { 0 };
	char why[UC_CHECK_WHY_SIZE];
	struct uc_native_event h;
	const unsigned char *p;
	/* The record was consumed: what the buffer holds after it. */
	const unsigned char *readable = data(r) + avail(r);

	memcpy(&h, body, sizeof(h));
	r->n_events++;
	ev.event = le32toh(h.event);
	if (newer_type(r, ev.event)) {
		r->n_skipped++;
		return STEP_OK;
	}
	ev.cpu = le32toh(h.cpu);
	ev.pid = le32toh(h.pid);
	ev.upcall_type = le32toh(h.upcall_type);
	ev.ts = le64toh(h.ts);
	ev.pkt_frag_size = le32toh(h.pkt_frag_size);
	ev.pkt_size = le32toh(h.pkt_size);
	ev.key_size = le64toh(h.key_size);
	ev.pkt_cap = le16toh(h.pkt_cap);
	ev.key_cap = le16toh(h.key_cap);
	p = body + UC_NATIVE_EVENT_SIZE;
	ev.pkt = p;
	ev.key = p + ev.pkt_cap;
	/* The names are still empty: this checks the type and the sizes,
	 * before anything is read through them. */
	if (uc_check_event(&ev, why))
		return fail(r, off, "event record: %s", why);
	if (check_lengths(r, &h, len, off) < 0)
		return STEP_ERROR;
	p += ev.pkt_cap + ev.key_cap;
	copy_string(ev.comm, sizeof(ev.comm), p, h.comm_len, readable);
	p += h.comm_len;
	copy_string(ev.dpif_name, sizeof(ev.dpif_name), p, h.dpif_name_len,
		    readable);
	p += h.dpif_name_len;
	copy_string(ev.dev_name, sizeof(ev.dev_name), p, h.dev_name_len,
		    readable);
	if (!r->sink->on_event)
		return STEP_OK;
	return sink_result(r, r->sink->on_event(r->sink->ctx, &ev), off,
			   "event record");
}

/* ------------------------------------------------------------- XEVENT */

/* A kind of a newer minor version than this reader's: skipped. */
static bool newer_kind(const struct reader *r, uint32_t kind)
{
	return kind >= UC_X_MAX && r->minor > UC_NATIVE_VERSION_MINOR;
}

static int read_xevent(struct reader *r, const unsigned char *body,
		       size_t len, uint64_t off)
{
	char why[UC_CHECK_WHY_SIZE];
	struct uc_native_xevent h;
	struct uc_xevent xe = { 0 };
	const unsigned char *p = body + UC_NATIVE_XEVENT_SIZE;

	memcpy(&h, body, sizeof(h));
	xe.kind = le16toh(h.kind);
	if (newer_kind(r, xe.kind))
		return STEP_OK;
	xe.flags = le16toh(h.flags);
	xe.cpu = le32toh(h.cpu);
	xe.tid = le32toh(h.tid);
	xe.seq = le32toh(h.seq);
	xe.ts = le64toh(h.ts);
	xe.a = le64toh(h.a);
	xe.b = le64toh(h.b);
	xe.other = le32toh(h.other);
	xe.ret = (int32_t)le32toh((uint32_t)h.ret);
	xe.data_len = le32toh(h.data_len);
	if (h.comm_len > UC_TASK_COMM_LEN)
		return fail(r, off, "xevent record: comm of %u bytes: expected "
			    "at most %d", h.comm_len, UC_TASK_COMM_LEN);
	if (xe.data_len > UC_X_DATA_MAX ||
	    UC_NATIVE_XEVENT_SIZE + (size_t)h.comm_len + xe.data_len > len)
		return fail(r, off, "xevent record: %u data bytes and its name "
			    "do not fit in %zu bytes (at most %d data bytes)",
			    xe.data_len, len, UC_X_DATA_MAX);
	memcpy(xe.comm, p, h.comm_len);
	xe.comm[h.comm_len] = '\0';
	xe.data = p + h.comm_len;
	if (uc_check_xevent(&xe, why))
		return fail(r, off, "xevent record: %s", why);
	if (!r->sink->on_xevent)
		return STEP_OK;
	return sink_result(r, r->sink->on_xevent(r->sink->ctx, &xe), off,
			   "xevent record");
}

/* ------------------------------------------------------------ TRAILER */

/* Only end of file may follow the trailer. */
static int expect_eof(struct reader *r, uint64_t off)
{
	int rc = fill(r, 1);

	if (rc == STEP_ERROR)
		return rc;
	if (rc == STEP_OK)
		return fail(r, uc_input_offset(r->in), "data after the "
			    "trailer (which starts at byte %" PRIu64 "): "
			    "expected the end of the file", off);
	return STEP_STOP;
}

static int report_missed(struct reader *r, const unsigned char *p,
			 uint32_t n_missed, uint64_t off)
{
	for (uint32_t i = 0; i < n_missed; i++) {
		char why[UC_CHECK_WHY_SIZE];
		struct uc_native_missed m;
		uint32_t type;
		int rc;

		memcpy(&m, p + (size_t)i * UC_NATIVE_MISSED_SIZE, sizeof(m));
		type = le32toh(m.type);
		if (type >= UC_X_BASE ? r->minor >= 1 && newer_kind(r, type) :
					newer_type(r, type))
			continue;
		/* xevent kinds came with 1.1 */
		if (type >= UC_X_BASE && r->minor >= 1 ? uc_check_xmissed(type, why) :
		    uc_check_missed(type, why))
			return fail(r, off, "trailer record: missed count %u: "
				    "%s", i, why);
		if (!r->sink->on_missed)
			continue;
		rc = sink_result(r, r->sink->on_missed(r->sink->ctx, type,
						       le64toh(m.count)),
				 off, "trailer record");
		if (rc != STEP_OK)
			return rc;
	}
	return STEP_OK;
}

static int read_trailer(struct reader *r, const unsigned char *body,
			size_t len, uint64_t off)
{
	struct uc_native_trailer t;
	uint32_t n_missed;
	int rc;

	memcpy(&t, body, sizeof(t));
	n_missed = le32toh(t.n_missed);
	if ((uint64_t)n_missed * UC_NATIVE_MISSED_SIZE >
	    len - UC_NATIVE_TRAILER_SIZE)
		return fail(r, off, "trailer record: %u missed counts do not "
			    "fit in %zu bytes", n_missed, len);
	if (le64toh(t.n_events) != r->n_events)
		return fail(r, off, "trailer record: counts %" PRIu64
			    " events: expected %" PRIu64 ", the number of "
			    "event records read", le64toh(t.n_events),
			    r->n_events);
	rc = report_missed(r, body + UC_NATIVE_TRAILER_SIZE, n_missed, off);
	if (rc != STEP_OK)
		return rc;
	return expect_eof(r, off + UC_NATIVE_REC_HDR_SIZE + len);
}

/* ------------------------------------------------------------ records */

struct rec_kind {
	const char *name;
	size_t min, max;     /* whole record, header included */
	uint16_t since;      /* the minor version that brought it */
	int (*read)(struct reader *r, const unsigned char *body, size_t len,
		    uint64_t off);
};

static const struct rec_kind rec_kinds[] = {
	[UC_NATIVE_REC_INFO] = {
		"info", UC_NATIVE_REC_HDR_SIZE + UC_NATIVE_INFO_SIZE + 3,
		UC_NATIVE_INFO_MAX, 0, read_info },
	[UC_NATIVE_REC_PORT_MAP] = {
		"port map", UC_NATIVE_REC_HDR_SIZE + UC_NATIVE_PORT_MAP_SIZE,
		UC_NATIVE_PORT_MAP_MAX, 0, read_port_map },
	[UC_NATIVE_REC_EVENT] = {
		"event", UC_NATIVE_REC_HDR_SIZE + UC_NATIVE_EVENT_SIZE,
		UC_NATIVE_EVENT_MAX, 0, read_event },
	[UC_NATIVE_REC_TRAILER] = {
		"trailer", UC_NATIVE_REC_HDR_SIZE + UC_NATIVE_TRAILER_SIZE,
		UC_NATIVE_TRAILER_MAX, 0, read_trailer },
	[UC_NATIVE_REC_XEVENT] = {
		"xevent", UC_NATIVE_REC_HDR_SIZE + UC_NATIVE_XEVENT_SIZE,
		UC_NATIVE_XEVENT_MAX, 1, read_xevent },
};
#define N_REC_KINDS (sizeof(rec_kinds) / sizeof(rec_kinds[0]))

/* The kind of TYPE in a file of minor version MINOR, or NULL. */
static const struct rec_kind *rec_kind(uint16_t type, uint16_t minor)
{
	if (type < N_REC_KINDS && rec_kinds[type].read &&
	    rec_kinds[type].since <= minor)
		return &rec_kinds[type];
	return NULL;
}

/*
 * Checks a record header.  Sets *KIND (NULL for a record type of a newer
 * minor version, which is skipped).
 */
static int check_header(struct reader *r, uint32_t size, uint16_t type,
			uint64_t off, const struct rec_kind **kind)
{
	*kind = rec_kind(type, r->minor);
	if (!*kind && r->minor <= UC_NATIVE_VERSION_MINOR) {
		size_t last = N_REC_KINDS - 1;

		while (last > 1 && rec_kinds[last].since > r->minor)
			last--;
		return fail(r, off, "unknown record type %u: expected 1 to %zu "
			    "in a 1.%u file", type, last, r->minor);
	}
	if (!r->info_seen && type != UC_NATIVE_REC_INFO)
		return fail(r, off, "record type %u: expected the info record "
			    "(type %d) first", type, UC_NATIVE_REC_INFO);
	if (*kind && (size < (*kind)->min || size > (*kind)->max))
		return fail(r, off, "%s record size %" PRIu32 ": expected "
			    "%zu to %zu bytes", (*kind)->name, size,
			    (*kind)->min, (*kind)->max);
	if (!*kind && (size < UC_NATIVE_REC_HDR_SIZE ||
		       size > UNKNOWN_RECORD_MAX))
		return fail(r, off, "record size %" PRIu32 ": expected %d to "
			    "%u bytes", size, UC_NATIVE_REC_HDR_SIZE,
			    UNKNOWN_RECORD_MAX);
	return STEP_OK;
}

/* Reads and handles one record; STEP_STOP at the end of the file. */
static int read_record(struct reader *r)
{
	const struct rec_kind *kind;
	struct uc_native_rec_hdr h;
	const unsigned char *body;
	uint32_t size;
	uint64_t off;
	int rc = fill(r, sizeof(h));

	if (rc != STEP_OK)
		return rc == STEP_STOP ? truncated(r) : rc;
	off = uc_input_offset(r->in);
	memcpy(&h, data(r), sizeof(h));
	size = le32toh(h.size);
	if (check_header(r, size, le16toh(h.type), off, &kind) < 0)
		return STEP_ERROR;
	rc = fill(r, size);
	if (rc != STEP_OK)
		return rc == STEP_STOP ? truncated(r) : rc;
	body = data(r) + UC_NATIVE_REC_HDR_SIZE;
	/* Consume first: a handler may look past the record (expect_eof),
	 * which moves nothing it still reads. */
	uc_input_consume(r->in, size);
	if (!kind)
		return STEP_OK;
	return kind->read(r, body, size - UC_NATIVE_REC_HDR_SIZE, off);
}

int uc_native_read(struct uc_input *in, const struct uc_event_sink *sink,
		   FILE *warn, struct uc_read_stats *stats,
		   struct uc_error *err)
{
	struct reader r = {
		.in = in, .name = in->name, .sink = sink, .warn = warn,
		.stats = stats, .err = err,
	};
	int rc;

	err->msg[0] = '\0';
	rc = read_preamble(&r);
	while (rc == STEP_OK)
		rc = read_record(&r);
	/* Handed on: all read but the skipped (a stop comes after one). */
	if (stats)
		stats->events += r.n_events - r.n_skipped;
	return rc == STEP_ERROR ? -1 : 0;
}
