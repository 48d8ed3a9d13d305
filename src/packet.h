/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * packet.h - just enough header parsing for upcalls: Ethernet, 802.1Q/ad
 * VLAN tags, IPv4, IPv6 (with its extension headers), TCP, UDP, ICMP.
 *
 * Used to find the L4 checksum (which the kernel may complete after the
 * ovs_dp_upcall tracepoint, so it must not break a match) and to print a
 * packet's 5-tuple.  Never reads past LEN.
 */
#ifndef UC_PACKET_H
#define UC_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UC_NO_OFFSET 0xffff

struct uc_packet_info {
	uint16_t vlan;          /* outer VLAN id, 0 if none */
	uint16_t eth_type;      /* after the VLAN tags */
	uint8_t ip_version;     /* 4, 6 or 0 */
	uint8_t ip_proto;       /* L4 protocol (after IPv6 extension headers) */
	bool fragment;          /* a non-first IP fragment: no L4 header */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;  /* TCP/UDP ports; ICMP type/code */
	uint16_t csum_off;      /* TCP/UDP checksum offset, or UC_NO_OFFSET */
};

/* Fills INFO from the first LEN bytes of an Ethernet frame. */
void uc_packet_parse(const uint8_t *pkt, size_t len, struct uc_packet_info *info);
/* Offset of the TCP/UDP checksum, or UC_NO_OFFSET (hot path, no 5-tuple). */
uint16_t uc_packet_l4_csum_offset(const uint8_t *pkt, size_t len);
/* "udp 10.1.0.16:1040 > 10.2.0.112:82" and the like; returns BUF. */
char *uc_packet_describe(const struct uc_packet_info *info, char *buf, size_t size);

#endif /* UC_PACKET_H */
