/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * native_write.c - the native format's record encoders (native_format.h).
 *
 * Each function appends one whole record to the output buffer, so a
 * flushed buffer always ends on a record boundary and a capture that dies
 * leaves a file that reads up to its last flush.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "native_format.h"
#include "native_write.h"

/*
 * Reserves a record of SIZE bytes and writes its header; returns where
 * the body goes, or NULL (B->err says why).  The caller fills exactly
 * SIZE - header bytes and then calls end_record().
 */
static unsigned char *begin_record(struct uc_wbuf *b, size_t size,
				   uint16_t type)
{
	struct uc_native_rec_hdr h = {
		.size = htole32((uint32_t)size),
		.type = htole16(type),
		.flags = 0,
	};
	unsigned char *p = uc_wbuf_reserve(b, size);

	if (!p)
		return NULL;
	memcpy(p, &h, sizeof(h));
	return p + sizeof(h);
}

static void end_record(struct uc_wbuf *b, size_t size)
{
	uc_wbuf_advance(b, size);
}

static int wbuf_error(const struct uc_wbuf *b)
{
	return b->err ? -b->err : -EIO;
}

static unsigned char *put(unsigned char *p, const void *src, size_t len)
{
	if (len)                 /* (an empty field may have no pointer) */
		memcpy(p, src, len);
	return p + len;
}

/* A u8-length-prefixed string of at most SIZE - 1 bytes. */
static unsigned char *put_str8(unsigned char *p, const char *s, size_t size)
{
	size_t len = strnlen(s, size - 1);

	*p++ = (unsigned char)len;
	return put(p, s, len);
}

int uc_native_write_preamble(struct uc_wbuf *b)
{
	struct uc_native_preamble p = {
		.bom = htole32(UC_NATIVE_BOM),
		.version_major = htole16(UC_NATIVE_VERSION_MAJOR),
		.version_minor = htole16(UC_NATIVE_VERSION_MINOR),
	};
	unsigned char *o = uc_wbuf_reserve(b, sizeof(p));

	if (!o)
		return wbuf_error(b);
	memcpy(p.magic, UC_NATIVE_MAGIC, UC_NATIVE_MAGIC_LEN);
	memcpy(o, &p, sizeof(p));
	uc_wbuf_advance(b, sizeof(p));
	return 0;
}

int uc_native_write_info(struct uc_wbuf *b,
			 const struct uc_capture_info *info)
{
	size_t size = UC_NATIVE_REC_HDR_SIZE + UC_NATIVE_INFO_SIZE + 3 +
		      strnlen(info->tool_version,
			      sizeof(info->tool_version) - 1) +
		      strnlen(info->host, sizeof(info->host) - 1) +
		      strnlen(info->kernel, sizeof(info->kernel) - 1);
	struct uc_native_info n = {
		.packet_size = htole32(info->packet_size),
		.flow_key_size = htole32(info->flow_key_size),
		.buffer_page_count = htole32(info->buffer_page_count),
		.flags = htole32(__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ?
					 UC_NATIVE_INFO_F_BIG_ENDIAN : 0),
		.clock_id = htole32(UC_NATIVE_CLOCK_MONOTONIC),
		.start_realtime_ns = htole64(info->start_realtime_ns),
		.start_monotonic_ns = htole64(info->start_monotonic_ns),
	};
	unsigned char *p = begin_record(b, size, UC_NATIVE_REC_INFO);

	if (!p)
		return wbuf_error(b);
	p = put(p, &n, sizeof(n));
	p = put_str8(p, info->tool_version, sizeof(info->tool_version));
	p = put_str8(p, info->host, sizeof(info->host));
	put_str8(p, info->kernel, sizeof(info->kernel));
	end_record(b, size);
	return 0;
}

/* Record size of MAP, or 0 when it cannot be encoded. */
static size_t port_map_size(const struct uc_port_map *map)
{
	char why[UC_CHECK_WHY_SIZE];

	if (uc_check_port_map(map, why))
		return 0;
	return (size_t)uc_port_map_record_size(map);
}

int uc_native_write_port_map(struct uc_wbuf *b,
			     const struct uc_port_map *map)
{
	size_t size = port_map_size(map);
	struct uc_native_port_map h = {
		.flags = htole32(map->valid ? UC_NATIVE_PORT_MAP_F_VALID : 0),
		.n_entries = htole32((uint32_t)map->n),
	};
	unsigned char *p;

	if (!size)
		return -E2BIG;
	p = begin_record(b, size, UC_NATIVE_REC_PORT_MAP);
	if (!p)
		return wbuf_error(b);
	p = put(p, &h, sizeof(h));
	for (size_t i = 0; i < map->n; i++) {
		const struct uc_port_entry *e = &map->entries[i];
		struct uc_native_port_entry d = {
			.number = (int64_t)htole64((uint64_t)e->number),
			.dp_len = htole16((uint16_t)strlen(e->dp)),
			.port_len = htole16((uint16_t)strlen(e->port)),
		};

		p = put(p, &d, sizeof(d));
		p = put(p, e->dp, strlen(e->dp));
		p = put(p, e->port, strlen(e->port));
	}
	end_record(b, size);
	return 0;
}

int uc_native_write_event(struct uc_wbuf *b, const struct uc_raw_event *ev)
{
	size_t comm = strnlen(ev->comm, UC_TASK_COMM_LEN);
	size_t dpif = strnlen(ev->dpif_name, UC_DPIF_NAME_LEN);
	size_t dev = strnlen(ev->dev_name, UC_DEV_NAME_LEN);
	size_t size;
	unsigned char *p;

	/* The reader refuses longer captures (record_check.h): never write
	 * a record that cannot be read back, even if not checked before. */
	if (ev->pkt_cap > UC_CAPTURE_MAX || ev->key_cap > UC_CAPTURE_MAX)
		return -E2BIG;
	size = UC_NATIVE_REC_HDR_SIZE + UC_NATIVE_EVENT_SIZE + ev->pkt_cap +
	       ev->key_cap + comm + dpif + dev;
	p = begin_record(b, size, UC_NATIVE_REC_EVENT);
	if (!p)
		return wbuf_error(b);

	struct uc_native_event h = {
		.event = htole32(ev->event),
		.cpu = htole32(ev->cpu),
		.pid = htole32(ev->pid),
		.upcall_type = htole32(ev->upcall_type),
		.ts = htole64(ev->ts),
		.pkt_frag_size = htole32(ev->pkt_frag_size),
		.pkt_size = htole32(ev->pkt_size),
		.key_size = htole64(ev->key_size),
		.pkt_cap = htole16((uint16_t)ev->pkt_cap),
		.key_cap = htole16((uint16_t)ev->key_cap),
		.comm_len = (uint8_t)comm,
		.dpif_name_len = (uint8_t)dpif,
		.dev_name_len = (uint8_t)dev,
	};

	p = put(p, &h, sizeof(h));
	if (ev->pkt_cap)
		p = put(p, ev->pkt, ev->pkt_cap);
	if (ev->key_cap)
		p = put(p, ev->key, ev->key_cap);
	p = put(p, ev->comm, comm);
	p = put(p, ev->dpif_name, dpif);
	put(p, ev->dev_name, dev);
	end_record(b, size);
	return 0;
}

int uc_native_write_xevent(struct uc_wbuf *b, const struct uc_xevent *xe)
{
	size_t comm = strnlen(xe->comm, UC_TASK_COMM_LEN);
	size_t size = UC_NATIVE_REC_HDR_SIZE + UC_NATIVE_XEVENT_SIZE + comm +
		      xe->data_len;
	unsigned char *p;

	if (xe->data_len > UC_X_DATA_MAX || xe->kind > UINT16_MAX)
		return -E2BIG;
	p = begin_record(b, size, UC_NATIVE_REC_XEVENT);
	if (!p)
		return wbuf_error(b);

	struct uc_native_xevent h = {
		.kind = htole16((uint16_t)xe->kind),
		.flags = htole16(xe->flags),
		.cpu = htole32(xe->cpu),
		.tid = htole32(xe->tid),
		.seq = htole32(xe->seq),
		.ts = htole64(xe->ts),
		.a = htole64(xe->a),
		.b = htole64(xe->b),
		.other = htole32(xe->other),
		.ret = (int32_t)htole32((uint32_t)xe->ret),
		.comm_len = (uint8_t)comm,
		.data_len = htole32(xe->data_len),
	};

	p = put(p, &h, sizeof(h));
	p = put(p, xe->comm, comm);
	if (xe->data_len)
		put(p, xe->data, xe->data_len);
	end_record(b, size);
	return 0;
}

int uc_native_write_trailer(struct uc_wbuf *b, uint64_t n_events,
			    const struct uc_missed_entry *missed,
			    size_t n_missed)
{
	size_t size = UC_NATIVE_REC_HDR_SIZE + UC_NATIVE_TRAILER_SIZE +
		      n_missed * UC_NATIVE_MISSED_SIZE;
	struct uc_native_trailer t = {
		.n_events = htole64(n_events),
		.n_missed = htole32((uint32_t)n_missed),
	};
	unsigned char *p;

	if (size > UC_NATIVE_TRAILER_MAX)
		return -E2BIG;
	p = begin_record(b, size, UC_NATIVE_REC_TRAILER);
	if (!p)
		return wbuf_error(b);
	p = put(p, &t, sizeof(t));
	for (size_t i = 0; i < n_missed; i++) {
		struct uc_native_missed m = {
			.type = htole32(missed[i].type),
			.count = htole64(missed[i].count),
		};

		p = put(p, &m, sizeof(m));
	}
	end_record(b, size);
	return 0;
}
