/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcapng.h - a pcapng writer (draft-ietf-opsawg-pcapng): one Section
 * Header Block, an Interface Description Block per interface (added when
 * first needed: an IDB only has to precede the packets that name it),
 * and an Enhanced Packet Block per packet with a comment, flags and a
 * packet id.  Timestamps are nanoseconds since the epoch (if_tsresol 9).
 * Blocks are in the host's byte order (the SHB's byte-order magic tells
 * readers which), written whole into the shared output buffer (wbuf.h).
 *
 * Why our own: libpcap 1.10 writes only classic pcap (no comments, no
 * per-packet interface), libwiretap is GPL-2+ and brings GLib.
 */
#ifndef UC_PCAPNG_H
#define UC_PCAPNG_H

#include <stdint.h>

#include "wbuf.h"

#define UC_PCAPNG_LINKTYPE_ETHERNET 1
/* epb_flags: inbound (bits 0-1 = 01) */
#define UC_PCAPNG_EPB_INBOUND 0x1u
/* An option value holds at most this many bytes (a 16-bit length). */
#define UC_PCAPNG_OPT_MAX 65532u

struct uc_pcapng {
	struct uc_wbuf *out;
	uint32_t n_ifaces;
};

/* Starts the section: SHB with shb_os, shb_userappl and a comment (each
 * NULL or "": left out).  Returns 0 or -errno. */
int uc_pcapng_begin(struct uc_pcapng *w, struct uc_wbuf *out, const char *os,
		    const char *app, const char *comment);
/* An IDB; returns the new interface's id (>= 0) or -errno. */
int uc_pcapng_add_iface(struct uc_pcapng *w, uint16_t linktype, uint32_t snaplen,
			const char *name, const char *description);
/*
 * An EPB on interface IFACE (one added before).  COMMENT (UTF-8, may have
 * several lines; NULL or "": none) is cut at a character boundary if
 * longer than UC_PCAPNG_OPT_MAX; FLAGS 0 and PACKET_ID 0 are left out.
 * Returns 0 or -errno (-EINVAL for an unknown interface).
 */
int uc_pcapng_packet(struct uc_pcapng *w, uint32_t iface, uint64_t ts_ns,
		     const void *data, uint32_t caplen, uint32_t origlen,
		     uint32_t flags, uint64_t packet_id, const char *comment);

#endif /* UC_PCAPNG_H */
