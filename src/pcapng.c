/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcapng.c - the pcapng writer (pcapng.h).  Every block: type, total
 * length, body, options (code, length, value padded to 4 bytes; then
 * opt_endofopt), total length again.
 */
#include <errno.h>
#include <string.h>

#include "pcapng.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

#define OPT_ENDOFOPT 0
#define OPT_COMMENT 1
#define SHB_OS 3
#define SHB_USERAPPL 4
#define IF_NAME 2
#define IF_DESCRIPTION 3
#define IF_TSRESOL 9
#define EPB_FLAGS 2
#define EPB_PACKETID 5

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* A string option's length: cut to the limit at a UTF-8 character
 * boundary (never inside a multi-byte sequence). */
static size_t str_len(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n <= UC_PCAPNG_OPT_MAX)
		return n;
	n = UC_PCAPNG_OPT_MAX;
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

static size_t opt_size(size_t len)
{
	return 4 + pad4(len);
}

static size_t str_opt_size(const char *s)
{
	return str_len(s) ? opt_size(str_len(s)) : 0;
}

/* Appends to a reserved block. */
struct block {
	unsigned char *p;
};

static void put(struct block *b, const void *v, size_t n)
{
	if (n)
		memcpy(b->p, v, n);
	b->p += n;
}

static void put32(struct block *b, uint32_t v)
{
	put(b, &v, 4);
}

static void put_pad(struct block *b, size_t n)
{
	memset(b->p, 0, pad4(n) - n);
	b->p += pad4(n) - n;
}

static void put_opt(struct block *b, uint16_t code, const void *v, size_t len)
{
	uint16_t h[2] = { code, (uint16_t)len };

	put(b, h, 4);
	put(b, v, len);
	put_pad(b, len);
}

static void put_str_opt(struct block *b, uint16_t code, const char *s)
{
	if (str_len(s))
		put_opt(b, code, s, str_len(s));
}

/* Reserves a whole block of TOTAL bytes and writes its type and length. */
static unsigned char *begin(struct uc_pcapng *w, struct block *b, uint32_t type,
			    size_t total)
{
	unsigned char *start = uc_wbuf_reserve(w->out, total);

	if (!start)
		return NULL;
	b->p = start;
	put32(b, type);
	put32(b, (uint32_t)total);
	return start;
}

static int end(struct uc_pcapng *w, struct block *b, unsigned char *start,
	       size_t total)
{
	put32(b, (uint32_t)total);
	if ((size_t)(b->p - start) != total)
		return -EIO;            /* a size computed wrong: never write it */
	uc_wbuf_advance(w->out, total);
	return 0;
}

static int out_error(const struct uc_pcapng *w)
{
	return w->out->err ? -w->out->err : -ENOMEM;
}

int uc_pcapng_begin(struct uc_pcapng *w, struct uc_wbuf *out, const char *os,
		    const char *app, const char *comment)
{
	size_t total = 28 + str_opt_size(comment) + str_opt_size(os) +
		       str_opt_size(app) + 4;
	uint16_t version[2] = { 1, 0 };   /* the only version writers write */
	int64_t section_len = -1;          /* unknown: a stream */
	struct block b;
	unsigned char *start;

	w->out = out;
	w->n_ifaces = 0;
	start = begin(w, &b, BT_SHB, total);
	if (!start)
		return out_error(w);
	put32(&b, BYTE_ORDER_MAGIC);
	put(&b, version, 4);
	put(&b, &section_len, 8);
	put_str_opt(&b, OPT_COMMENT, comment);
	put_str_opt(&b, SHB_OS, os);
	put_str_opt(&b, SHB_USERAPPL, app);
	put_opt(&b, OPT_ENDOFOPT, NULL, 0);
	return end(w, &b, start, total);
}

int uc_pcapng_add_iface(struct uc_pcapng *w, uint16_t linktype, uint32_t snaplen,
			const char *name, const char *description)
{
	uint8_t tsresol = 9;               /* 10^-9 s */
	size_t total = 20 + str_opt_size(name) + str_opt_size(description) +
		       opt_size(1) + 4;
	uint16_t lt[2] = { linktype, 0 };
	struct block b;
	unsigned char *start = begin(w, &b, BT_IDB, total);
	int rc;

	if (!start)
		return out_error(w);
	put(&b, lt, 4);
	put32(&b, snaplen);
	put_str_opt(&b, IF_NAME, name);
	put_str_opt(&b, IF_DESCRIPTION, description);
	put_opt(&b, IF_TSRESOL, &tsresol, 1);
	put_opt(&b, OPT_ENDOFOPT, NULL, 0);
	rc = end(w, &b, start, total);
	return rc ? rc : (int)w->n_ifaces++;
}

int uc_pcapng_packet(struct uc_pcapng *w, uint32_t iface, uint64_t ts_ns,
		     const void *data, uint32_t caplen, uint32_t origlen,
		     uint32_t flags, uint64_t packet_id, const char *comment)
{
	size_t opts = str_opt_size(comment) + (flags ? opt_size(4) : 0) +
		      (packet_id ? opt_size(8) : 0);
	size_t total;
	struct block b;
	unsigned char *start;

	if (iface >= w->n_ifaces)
		return -EINVAL;
	if (origlen < caplen)
		origlen = caplen;
	if (opts)
		opts += 4;                 /* opt_endofopt */
	total = 32 + pad4(caplen) + opts;
	start = begin(w, &b, BT_EPB, total);
	if (!start)
		return out_error(w);
	put32(&b, iface);
	put32(&b, (uint32_t)(ts_ns >> 32));
	put32(&b, (uint32_t)ts_ns);
	put32(&b, caplen);
	put32(&b, origlen);
	put(&b, data, caplen);
	put_pad(&b, caplen);
	put_str_opt(&b, OPT_COMMENT, comment);
	if (flags)
		put_opt(&b, EPB_FLAGS, &flags, 4);
	if (packet_id)
		put_opt(&b, EPB_PACKETID, &packet_id, 8);
	if (opts)
		put_opt(&b, OPT_ENDOFOPT, NULL, 0);
	return end(w, &b, start, total);
}
