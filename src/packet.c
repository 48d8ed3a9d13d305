/* SPDX-License-Identifier: BSD-2-Clause */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "packet.h"

#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86dd
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88a8
#define IPPROTO_HOPOPTS_ 0
#define IPPROTO_ROUTING_ 43
#define IPPROTO_FRAGMENT_ 44
#define IPPROTO_DSTOPTS_ 60

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* IPv4 header at OFF; returns the L4 offset or 0 when there is none. */
static size_t parse_ipv4(const uint8_t *pkt, size_t len, size_t off,
			 struct uc_packet_info *info)
{
	size_t ihl;

	if (off + 20 > len)
		return 0;
	ihl = (size_t)(pkt[off] & 0x0f) * 4;
	info->ip_version = 4;
	info->ip_proto = pkt[off + 9];
	memcpy(info->src, pkt + off + 12, 4);
	memcpy(info->dst, pkt + off + 16, 4);
	info->fragment = (be16(pkt + off + 6) & 0x1fff) != 0;
	if (ihl < 20 || info->fragment)
		return 0;
	return off + ihl;
}

/* IPv6 header and extension headers; returns the L4 offset or 0. */
static size_t parse_ipv6(const uint8_t *pkt, size_t len, size_t off,
			 struct uc_packet_info *info)
{
	uint8_t next;

	if (off + 40 > len)
		return 0;
	info->ip_version = 6;
	next = pkt[off + 6];
	memcpy(info->src, pkt + off + 8, 16);
	memcpy(info->dst, pkt + off + 24, 16);
	off += 40;
	for (int hops = 0; hops < 8; hops++) {
		if (next == IPPROTO_HOPOPTS_ || next == IPPROTO_ROUTING_ ||
		    next == IPPROTO_DSTOPTS_) {
			if (off + 2 > len)
				return 0;
			next = pkt[off];
			off += ((size_t)pkt[off + 1] + 1) * 8;
		} else if (next == IPPROTO_FRAGMENT_) {
			if (off + 8 > len)
				return 0;
			next = pkt[off];
			info->fragment = (be16(pkt + off + 2) & 0xfff8) != 0;
			if (info->fragment)
				return 0;
			off += 8;
		} else {
			break;
		}
	}
	info->ip_proto = next;
	return off;
}

static void parse_l4(const uint8_t *pkt, size_t len, size_t off,
		     struct uc_packet_info *info)
{
	switch (info->ip_proto) {
	case 6:   /* TCP */
	case 17:  /* UDP */
		if (off + 4 <= len) {
			info->sport = be16(pkt + off);
			info->dport = be16(pkt + off + 2);
		}
		info->csum_off = (uint16_t)(off + (info->ip_proto == 6 ? 16 : 6));
		break;
	case 1:   /* ICMP */
	case 58:  /* ICMPv6 */
		if (off + 2 <= len) {
			info->sport = pkt[off];
			info->dport = pkt[off + 1];
		}
		break;
	default:
		break;
	}
}

void uc_packet_parse(const uint8_t *pkt, size_t len, struct uc_packet_info *info)
{
	size_t off = ETH_HLEN, l4 = 0;
	uint16_t type;

	memset(info, 0, sizeof(*info));
	info->csum_off = UC_NO_OFFSET;
	if (len < ETH_HLEN)
		return;
	type = be16(pkt + 12);
	while ((type == ETH_P_8021Q || type == ETH_P_8021AD) && off + 4 <= len) {
		if (!info->vlan)
			info->vlan = be16(pkt + off) & 0x0fff;
		type = be16(pkt + off + 2);
		off += 4;
	}
	info->eth_type = type;
	if (type == ETH_P_IP)
		l4 = parse_ipv4(pkt, len, off, info);
	else if (type == ETH_P_IPV6)
		l4 = parse_ipv6(pkt, len, off, info);
	if (l4 && l4 <= 0xfff0)
		parse_l4(pkt, len, l4, info);
}

uint16_t uc_packet_l4_csum_offset(const uint8_t *pkt, size_t len)
{
	struct uc_packet_info info;

	uc_packet_parse(pkt, len, &info);
	return info.csum_off;
}

static const char *proto_name(uint8_t proto, char *buf, size_t size)
{
	switch (proto) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmp6";
	default:
		snprintf(buf, size, "proto%u", proto);
		return buf;
	}
}

char *uc_packet_describe(const struct uc_packet_info *info, char *buf, size_t size)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], proto[16];
	int af = info->ip_version == 6 ? AF_INET6 : AF_INET;

	if (!info->ip_version) {
		snprintf(buf, size, "eth_type 0x%04x", info->eth_type);
		return buf;
	}
	inet_ntop(af, info->src, src, sizeof(src));
	inet_ntop(af, info->dst, dst, sizeof(dst));
	if (info->fragment) {
		snprintf(buf, size, "ip-fragment %s > %s", src, dst);
	} else if (info->ip_proto == 6 || info->ip_proto == 17) {
		snprintf(buf, size, af == AF_INET6 ? "%s [%s]:%u > [%s]:%u" :
						     "%s %s:%u > %s:%u",
			 proto_name(info->ip_proto, proto, sizeof(proto)), src,
			 info->sport, dst, info->dport);
	} else if (info->ip_proto == 1 || info->ip_proto == 58) {
		snprintf(buf, size, "%s %s > %s type %u code %u",
			 proto_name(info->ip_proto, proto, sizeof(proto)), src,
			 dst, info->sport, info->dport);
	} else {
		snprintf(buf, size, "%s %s > %s",
			 proto_name(info->ip_proto, proto, sizeof(proto)), src, dst);
	}
	if (info->vlan) {
		size_t n = strlen(buf);

		snprintf(buf + n, size - n, " vlan %u", info->vlan);
	}
	return buf;
}
