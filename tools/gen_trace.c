/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gen_trace - writes a synthetic upcall_cost event file.
 *
 * A small discrete-event model of the OVS kernel-datapath upcall path
 * (the tracepoint, the handlers' batches of ofproto-dpif-upcall.c and the
 * kernel execute, as README's "What it traces" describes them):
 *
 *   packets miss in the kernel on some CPU      -> DP_UPCALL (tracepoint)
 *   and are queued to the handler of that CPU   (per-CPU upcall dispatch)
 *   a sleeping handler wakes up, then receives
 *   up to 64 upcalls, translating each one      -> RECV_UPCALL per upcall
 *   then encodes a PUT and an EXECUTE per upcall -> OP_FLOW_PUT/EXECUTE
 *   in chunks of 50 ops, sent with one sendmsg,
 *   in which the kernel runs each EXECUTE      -> OVS_PKT_EXEC
 *
 * with the faults real recordings show: upcalls lost before vswitchd,
 * checksums the kernel completes after the tracepoint, 44-byte frames,
 * tunnel keys, non-linear skbs, ACTION upcalls, ports missing from the
 * port map, missing PUTs and EXECUTEs, and ring-buffer misses.
 *
 * Records come out in timestamp order through the library's trace writer
 * (either format), so generating a trace also exercises the writers.  The
 * output depends only on the options: same seed, same bytes.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "port_map.h"
#include "trace_file.h"

#define US 1000ull                    /* ns per microsecond */
#define MAX_FRAME 1518                /* VLAN-tagged 1500-byte MTU frame */
#define MAX_KEY 512
#define UPCALL_MAX_BATCH 64           /* ofproto-dpif-upcall.c */
#define OPERATE_MAX_OPS 50            /* dpif-netlink.c */
#define MAX_HANDLERS 512
#define MAX_CPUS 1024

#ifndef UC_VERSION
#define UC_VERSION "unknown"
#endif

/* ------------------------------------------------------------ options */

struct rates {
	double lost;          /* upcall dropped before vswitchd (no RECV) */
	double csum;          /* DP copy has the partial L4 checksum */
	double csum_zero;     /* ... of which: a zero UDP checksum */
	double short_pkt;     /* 44-byte UDP frames */
	double tunnel;        /* received on the tunnel port, TUNNEL key */
	double frag;          /* non-linear skb: DP copies the head only */
	double action;        /* ACTION upcall (RECV upcall_type 1) */
	double unknown_port;  /* from a port not in the port map */
	double no_put;        /* no OP_FLOW_PUT for the upcall */
	double no_exec;       /* no OP_FLOW_EXECUTE (drop action) */
	double missed;        /* record refused by the ring buffer */
	double ipv6;
	double vlan;
	double tcp;
	double burst;         /* an arrival is a burst of packets */
};

struct options {
	uint64_t events;
	uint64_t seed;
	enum uc_file_format format;
	unsigned handlers;
	unsigned cpus;
	unsigned packet_size;
	unsigned flow_key_size;
	double upcall_rate;   /* mean upcalls per second */
	bool map_refresh;
	bool verbose;
	const char *output;
	struct rates r;
};

static const struct rates default_rates = {
	.lost = 0.01, .csum = 0.05, .csum_zero = 0.2, .short_pkt = 0.05,
	.tunnel = 0.05, .frag = 0.02, .action = 0.01, .unknown_port = 0.01,
	.no_put = 0.02, .no_exec = 0.01, .missed = 0.001, .ipv6 = 0.1,
	.vlan = 0.05, .tcp = 0.3, .burst = 0.15,
};

/* ---------------------------------------------------------------- rng */

/* xoshiro256**: fast, good enough, and the same on every platform. */
struct rng {
	uint64_t s[4];
};

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *g)
{
	uint64_t *s = g->s, r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

static void rng_seed(struct rng *g, uint64_t seed)
{
	for (int i = 0; i < 4; i++) {    /* splitmix64 */
		uint64_t z = (seed += 0x9e3779b97f4a7c15ull);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		g->s[i] = z ^ (z >> 31);
	}
}

/* Uniform in [lo, hi]. */
static uint64_t rng_range(struct rng *g, uint64_t lo, uint64_t hi)
{
	return lo + rng_next(g) % (hi - lo + 1);
}

static double rng_unit(struct rng *g)
{
	return (double)(rng_next(g) >> 11) / 9007199254740992.0;
}

static bool rng_chance(struct rng *g, double p)
{
	return p > 0 && rng_unit(g) < p;
}

/* Exponential with the given mean (Poisson arrivals), capped at 50
 * means so one sample cannot stall the trace. */
static uint64_t rng_exp(struct rng *g, double mean)
{
	double x = -log(1 - rng_unit(g));

	return (uint64_t)((x > 50 ? 50 : x) * mean);
}

/* ------------------------------------------------------- port model */

struct port {
	const char *name;
	uint32_t number;
	bool virtual_port;   /* veth/vnet: local senders, checksum offload */
	bool in_map;
};

/* The datapath of a typical KVM host with a Geneve overlay. */
static const struct port ports[] = {
	{ "ovs-system", 0, false, true },
	{ "br0", 1, false, true },
	{ "eth0", 2, false, true },
	{ "eth1", 3, false, true },
	{ "vnet0", 4, true, true },
	{ "vnet1", 5, true, true },
	{ "genev_sys_6081", 6, false, true },
	/* Created after the map was taken: unknown until a refresh. */
	{ "tap-new0", 7, true, false },
};
#define PORT_ETH0 2
#define PORT_ETH1 3
#define PORT_VNET0 4
#define PORT_VNET1 5
#define PORT_GENEVE 6
#define PORT_NEW 7

static int build_port_map(struct uc_port_map *map, bool with_new)
{
	uc_port_map_init(map);
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		const struct port *p = &ports[i];

		if (!p->in_map && !with_new)
			continue;
		if (uc_port_map_set(map, "ovs-system", 10, p->name,
				    strlen(p->name), p->number))
			return -ENOMEM;
	}
	return 0;
}

/* ------------------------------------------------------ packet model */

enum upcall_flag {
	F_LOST = 1 << 0,
	F_ACTION = 1 << 1,
	F_CSUM = 1 << 2,      /* DP copy: partial (or zero) L4 checksum */
	F_TUNNEL = 1 << 3,
	F_FRAG = 1 << 4,
	F_NO_PUT = 1 << 5,
	F_NO_EXEC = 1 << 6,
};

struct upcall {
	uint32_t refs;        /* output records still pointing here */
	uint32_t flags;
	const struct port *port;
	uint32_t dp_cpu;
	uint32_t dp_pid;
	char dp_comm[UC_TASK_COMM_LEN];
	uint16_t pkt_len;
	uint16_t frag_len;    /* linear part for F_FRAG, else 0 */
	uint16_t csum_off;    /* offset of the L4 checksum, 0: none */
	uint16_t dp_csum;     /* what the DP copy has there (network order) */
	uint16_t key_len;
	uint8_t pkt[MAX_FRAME];
	uint8_t key[MAX_KEY];
};

static void put16(uint8_t *p, uint16_t v)   /* network order */
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

struct l3 {
	bool v6;
	uint8_t src[16], dst[16];
	uint8_t proto;
};

/* The pseudo-header sum over which the L4 checksum is taken. */
static uint32_t pseudo_sum(const struct l3 *l3, size_t l4_len)
{
	size_t alen = l3->v6 ? 16 : 4;
	uint32_t sum = csum_add(0, l3->src, alen);

	sum = csum_add(sum, l3->dst, alen);
	return sum + l3->proto + (uint32_t)(l4_len >> 16) +
	       (uint32_t)(l4_len & 0xffff);
}

static void random_bytes(struct rng *g, uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)rng_next(g);
}

static size_t put_eth(struct rng *g, struct upcall *u, bool vlan, bool v6)
{
	uint8_t *p = u->pkt;

	p[0] = 0x02;                    /* locally administered unicast */
	random_bytes(g, p + 1, 5);
	p[6] = 0x02;
	random_bytes(g, p + 7, 5);
	if (vlan) {
		put16(p + 12, 0x8100);
		put16(p + 14, (uint16_t)rng_range(g, 2, 4094));
		put16(p + 16, v6 ? 0x86dd : 0x0800);
		return 18;
	}
	put16(p + 12, v6 ? 0x86dd : 0x0800);
	return 14;
}

static void random_l3(struct rng *g, struct l3 *l3, bool v6, bool tcp)
{
	memset(l3, 0, sizeof(*l3));
	l3->v6 = v6;
	l3->proto = tcp ? 6 : 17;
	if (v6) {
		static const uint8_t prefix[8] = { 0xfd, 0, 0, 0, 0, 0, 0, 1 };

		memcpy(l3->src, prefix, 8);
		memcpy(l3->dst, prefix, 8);
		l3->dst[7] = 2;
		random_bytes(g, l3->src + 8, 8);
		random_bytes(g, l3->dst + 8, 8);
		return;
	}
	l3->src[0] = 10;
	l3->src[1] = 1;
	random_bytes(g, l3->src + 2, 2);
	l3->dst[0] = 10;
	l3->dst[1] = 2;
	random_bytes(g, l3->dst + 2, 2);
}

/* The IP header for an L4 part of L4_LEN bytes; returns its size. */
static size_t put_ip(struct rng *g, uint8_t *p, const struct l3 *l3,
		     size_t l4_len)
{
	if (l3->v6) {
		put32(p, 0x60000000u | (uint32_t)rng_range(g, 0, 0xfffff));
		put16(p + 4, (uint16_t)l4_len);
		p[6] = l3->proto;
		p[7] = 64;
		memcpy(p + 8, l3->src, 16);
		memcpy(p + 24, l3->dst, 16);
		return 40;
	}
	p[0] = 0x45;
	p[1] = 0;
	put16(p + 2, (uint16_t)(20 + l4_len));
	put16(p + 4, (uint16_t)rng_next(g));
	put16(p + 6, 0x4000);           /* DF */
	p[8] = 64;
	p[9] = l3->proto;
	put16(p + 10, 0);
	memcpy(p + 12, l3->src, 4);
	memcpy(p + 16, l3->dst, 4);
	put16(p + 10, (uint16_t)~csum_fold(csum_add(0, p, 20)));
	return 20;
}

/* TCP SYN with the options Linux sends (MSS, SACK, TS, WS), or a data
 * segment with a plain header.  Returns the header size. */
static size_t put_tcp_header(struct rng *g, uint8_t *p, bool syn)
{
	static const uint8_t opts[20] = {
		2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 3, 3, 7,
	};
	size_t hlen = syn ? 40 : 20;

	put16(p, (uint16_t)rng_range(g, 32768, 60999));
	put16(p + 2, (uint16_t)(rng_chance(g, 0.5) ? 80 : 443));
	put32(p + 4, (uint32_t)rng_next(g));
	put32(p + 8, syn ? 0 : (uint32_t)rng_next(g));
	p[12] = (uint8_t)(hlen / 4 << 4);
	p[13] = syn ? 0x02 : 0x18;      /* SYN, or PSH|ACK */
	put16(p + 14, 64240);
	put16(p + 16, 0);
	put16(p + 18, 0);
	if (syn) {
		memcpy(p + 20, opts, sizeof(opts));
		put32(p + 28, (uint32_t)rng_next(g));   /* TSval */
	}
	return hlen;
}

static size_t put_udp_header(struct rng *g, uint8_t *p, size_t l4_len)
{
	static const uint16_t dports[] = { 53, 123, 5201, 4789, 8080, 5001 };

	put16(p, (uint16_t)rng_range(g, 32768, 60999));
	put16(p + 2, dports[rng_next(g) % 6]);
	put16(p + 4, (uint16_t)l4_len);
	put16(p + 6, 0);
	return 8;
}

/* Frame length, headers included, for a new packet. */
static size_t pick_frame_len(struct rng *g, const struct upcall *u,
			     const struct options *o, size_t hdrs)
{
	static const uint16_t sizes[] = { 60, 64, 74, 98, 128, 200, 512, 1400,
					  1514 };
	size_t len;

	if (u->flags & F_FRAG)
		len = rng_range(g, 1000, 1514);
	else if (rng_chance(g, o->r.short_pkt))
		len = 44;
	else
		len = sizes[rng_next(g) % (sizeof(sizes) / sizeof(sizes[0]))];
	if (len < hdrs)
		len = hdrs;
	return len > MAX_FRAME ? MAX_FRAME : len;
}

/*
 * The full checksum goes into the packet; the tracepoint's copy of an
 * offloaded packet has what CHECKSUM_PARTIAL leaves there, the folded
 * pseudo-header sum, or 0 for a UDP sender that skips the checksum.
 */
static void set_l4_csum(struct rng *g, struct upcall *u,
			const struct options *o, const struct l3 *l3,
			const uint8_t *l4, size_t l4_len)
{
	uint32_t ps = pseudo_sum(l3, l4_len);
	uint16_t full = (uint16_t)~csum_fold(csum_add(ps, l4, l4_len));
	bool udp = l3->proto == 17;

	if (udp && full == 0)
		full = 0xffff;
	put16(u->pkt + u->csum_off, full);
	u->dp_csum = udp && rng_chance(g, o->r.csum_zero) ? 0 : csum_fold(ps);
}

/*
 * Builds the packet: Ethernet [802.1Q] IPv4/IPv6 UDP/TCP with correct
 * checksums (what vswitchd receives and executes), plus the checksum the
 * tracepoint copy has when the kernel completes it later.
 */
static void build_packet(struct rng *g, struct upcall *u,
			 const struct options *o, struct l3 *l3)
{
	bool vlan = !u->port->virtual_port && !(u->flags & F_TUNNEL) &&
		    rng_chance(g, o->r.vlan);
	bool v6 = rng_chance(g, o->r.ipv6);
	bool tcp = rng_chance(g, o->r.tcp);
	size_t l2 = put_eth(g, u, vlan, v6), l3len = v6 ? 40 : 20;
	size_t frame, l4_len, l4_hdr, pad = 0;
	uint8_t *l4 = u->pkt + l2 + l3len;
	bool syn = tcp && rng_chance(g, 0.7);

	random_l3(g, l3, v6, tcp);
	frame = pick_frame_len(g, u, o,
			       l2 + l3len + (tcp ? (syn ? 40 : 20) : 8));
	/* Physical ports pad to the 60-byte Ethernet minimum; veths do not. */
	if (!u->port->virtual_port && frame < 60)
		pad = 60 - frame;
	l4_len = frame - l2 - l3len;
	put_ip(g, u->pkt + l2, l3, l4_len);
	/* pick_frame_len() left room for the headers: l4_hdr <= l4_len. */
	l4_hdr = tcp ? put_tcp_header(g, l4, syn) : put_udp_header(g, l4, l4_len);
	random_bytes(g, l4 + l4_hdr, l4_len - l4_hdr);
	u->csum_off = (uint16_t)(l2 + l3len + (tcp ? 16 : 6));
	set_l4_csum(g, u, o, l3, l4, l4_len);
	memset(u->pkt + l2 + l3len + l4_len, 0, pad);
	u->pkt_len = (uint16_t)(l2 + l3len + l4_len + pad);
}

/* ---------------------------------------------------- flow key model */

/* Netlink attributes, native byte order, 4-byte aligned, as the kernel's
 * __ovs_nla_put_key() writes them. */
struct nl {
	uint8_t *p;
	size_t len, cap;
};

enum {
	KEY_ENCAP = 1, KEY_PRIORITY = 2, KEY_IN_PORT = 3, KEY_ETHERNET = 4,
	KEY_VLAN = 5, KEY_ETHERTYPE = 6, KEY_IPV4 = 7, KEY_IPV6 = 8,
	KEY_TCP = 9, KEY_UDP = 10, KEY_SKB_MARK = 15, KEY_TUNNEL = 16,
	KEY_TCP_FLAGS = 18, KEY_DP_HASH = 19, KEY_RECIRC_ID = 20,
	KEY_CT_STATE = 22, KEY_CT_ZONE = 23, KEY_CT_MARK = 24,
	KEY_CT_LABELS = 25,
};

enum {
	TUN_ID = 0, TUN_IPV4_SRC = 1, TUN_IPV4_DST = 2, TUN_DONT_FRAGMENT = 3,
	TUN_CSUM = 4, TUN_TTL = 6, TUN_TP_SRC = 9, TUN_TP_DST = 10,
};

/* Appends an attribute; returns its offset (for nesting), or the
 * capacity when it does not fit (then nothing is written). */
static size_t nl_put(struct nl *nl, uint16_t type, const void *data,
		     size_t len)
{
	size_t at = nl->len, total = (4 + len + 3) & ~(size_t)3;
	uint16_t hdr[2] = { (uint16_t)(4 + len), type };

	if (at + total > nl->cap)
		return nl->cap;
	memcpy(nl->p + at, hdr, 4);
	if (len)
		memcpy(nl->p + at + 4, data, len);
	memset(nl->p + at + 4 + len, 0, total - 4 - len);
	nl->len += total;
	return at;
}

static void nl_u32(struct nl *nl, uint16_t type, uint32_t v)
{
	nl_put(nl, type, &v, 4);
}

static void nl_be16(struct nl *nl, uint16_t type, uint16_t v)
{
	uint8_t b[2];

	put16(b, v);
	nl_put(nl, type, b, 2);
}

/* Closes a nested attribute opened at AT. */
static void nl_end_nest(struct nl *nl, size_t at)
{
	uint16_t len;

	if (at >= nl->cap)
		return;
	len = (uint16_t)(nl->len - at);
	memcpy(nl->p + at, &len, 2);
}

static void key_tunnel(struct rng *g, struct nl *nl)
{
	size_t at = nl_put(nl, KEY_TUNNEL, NULL, 0);
	uint8_t b[8] = { 0 };

	put32(b + 4, (uint32_t)rng_range(g, 1, 0xffffff) << 8); /* VNI */
	nl_put(nl, TUN_ID, b, 8);
	put32(b, 0xc0a80000u | (uint32_t)rng_range(g, 1, 254));
	nl_put(nl, TUN_IPV4_SRC, b, 4);
	put32(b, 0xc0a80001u);
	nl_put(nl, TUN_IPV4_DST, b, 4);
	b[0] = 64;
	nl_put(nl, TUN_TTL, b, 1);
	nl_put(nl, TUN_DONT_FRAGMENT, NULL, 0);
	nl_put(nl, TUN_CSUM, NULL, 0);
	nl_be16(nl, TUN_TP_SRC, (uint16_t)rng_range(g, 32768, 60999));
	nl_be16(nl, TUN_TP_DST, 6081);
	nl_end_nest(nl, at);
}

static void key_l3_l4(struct nl *nl, const struct upcall *u,
		      const struct l3 *l3, size_t l3_off)
{
	const uint8_t *ip = u->pkt + l3_off;
	const uint8_t *l4 = ip + (l3->v6 ? 40 : 20);
	uint8_t b[40] = { 0 };

	nl_be16(nl, KEY_ETHERTYPE, l3->v6 ? 0x86dd : 0x0800);
	if (l3->v6) {      /* src, dst, label, proto, tclass, hlimit, frag */
		memcpy(b, l3->src, 16);
		memcpy(b + 16, l3->dst, 16);
		memcpy(b + 32, ip, 4);
		b[32] &= 0x0f;
		b[36] = l3->proto;
		b[38] = 64;
		nl_put(nl, KEY_IPV6, b, 40);
	} else {           /* src, dst, proto, tos, ttl, frag */
		memcpy(b, l3->src, 4);
		memcpy(b + 4, l3->dst, 4);
		b[8] = l3->proto;
		b[10] = 64;
		nl_put(nl, KEY_IPV4, b, 12);
	}
	nl_put(nl, l3->proto == 6 ? KEY_TCP : KEY_UDP, l4, 4);
	if (l3->proto == 6)
		nl_be16(nl, KEY_TCP_FLAGS, l4[13]);
}

static void build_key(struct rng *g, struct upcall *u, const struct l3 *l3)
{
	struct nl nl = { u->key, 0, sizeof(u->key) };
	uint8_t zero[16] = { 0 };
	bool vlan = u->pkt[12] == 0x81 && u->pkt[13] == 0x00;

	nl_u32(&nl, KEY_RECIRC_ID, 0);
	nl_u32(&nl, KEY_DP_HASH, 0);
	nl_u32(&nl, KEY_PRIORITY, 0);
	/* Tunnel metadata comes before IN_PORT, so with the default 64-byte
	 * key capture IN_PORT is cut off and the port reads as "tunnel". */
	if (u->flags & F_TUNNEL)
		key_tunnel(g, &nl);
	nl_u32(&nl, KEY_IN_PORT, u->port->number);
	nl_u32(&nl, KEY_SKB_MARK, 0);
	nl_u32(&nl, KEY_CT_STATE, 0);
	nl_put(&nl, KEY_CT_ZONE, zero, 2);
	nl_u32(&nl, KEY_CT_MARK, 0);
	nl_put(&nl, KEY_CT_LABELS, zero, 16);
	{
		uint8_t eth[12];

		memcpy(eth, u->pkt + 6, 6);      /* eth_src, eth_dst */
		memcpy(eth + 6, u->pkt, 6);
		nl_put(&nl, KEY_ETHERNET, eth, 12);
	}
	if (vlan) {
		size_t at;

		nl_be16(&nl, KEY_ETHERTYPE, 0x8100);
		nl_be16(&nl, KEY_VLAN,
			(uint16_t)(u->pkt[14] << 8 | u->pkt[15]) | 0x1000);
		at = nl_put(&nl, KEY_ENCAP, NULL, 0);
		key_l3_l4(&nl, u, l3, 18);
		nl_end_nest(&nl, at);
	} else {
		key_l3_l4(&nl, u, l3, 14);
	}
	u->key_len = (uint16_t)nl.len;
}

/* ------------------------------------------------------ who sent it */

static void pick_sender(struct rng *g, struct upcall *u, unsigned cpus)
{
	static const char *const apps[] = { "iperf3", "ping", "curl",
					    "python3", "nginx" };

	u->dp_cpu = (uint32_t)rng_range(g, 0, cpus - 1);
	if (u->port->virtual_port && rng_chance(g, 0.6)) {
		/* A local sender: the upcall runs in its syscall. */
		snprintf(u->dp_comm, sizeof(u->dp_comm), "%s",
			 apps[rng_next(g) % 5]);
		u->dp_pid = (uint32_t)rng_range(g, 1000, 60000);
	} else if (rng_chance(g, 0.85)) {
		snprintf(u->dp_comm, sizeof(u->dp_comm), "swapper/%u",
			 u->dp_cpu);
		u->dp_pid = 0;
	} else {
		snprintf(u->dp_comm, sizeof(u->dp_comm), "ksoftirqd/%u",
			 u->dp_cpu);
		u->dp_pid = 10 + 8 * u->dp_cpu;
	}
}

static const struct port *pick_port(struct rng *g, const struct options *o,
				    uint32_t flags)
{
	static const int phys[] = { PORT_ETH0, PORT_ETH1 };
	static const int virt[] = { PORT_VNET0, PORT_VNET1 };

	if (flags & F_TUNNEL)
		return &ports[PORT_GENEVE];
	if (rng_chance(g, o->r.unknown_port))
		return &ports[PORT_NEW];
	/* Checksum offload happens on local (virtual) senders. */
	if (flags & F_CSUM || rng_chance(g, 0.5))
		return &ports[virt[rng_next(g) % 2]];
	return &ports[phys[rng_next(g) % 2]];
}

static uint32_t pick_flags(struct rng *g, const struct options *o)
{
	uint32_t f = 0;

	if (rng_chance(g, o->r.lost))
		f |= F_LOST;
	if (rng_chance(g, o->r.action))
		f |= F_ACTION;
	if (rng_chance(g, o->r.tunnel))
		f |= F_TUNNEL;
	else if (rng_chance(g, o->r.csum))
		f |= F_CSUM;
	if (rng_chance(g, o->r.frag))
		f |= F_FRAG;
	if (rng_chance(g, o->r.no_put))
		f |= F_NO_PUT;
	if (rng_chance(g, o->r.no_exec))
		f |= F_NO_EXEC;
	return f;
}

static struct upcall *new_upcall(struct rng *g, const struct options *o)
{
	struct upcall *u = calloc(1, sizeof(*u));
	struct l3 l3;

	if (!u)
		return NULL;
	u->flags = pick_flags(g, o);
	u->port = pick_port(g, o, u->flags);
	pick_sender(g, u, o->cpus);
	build_packet(g, u, o, &l3);
	if (u->flags & F_FRAG)
		u->frag_len = (uint16_t)(rng_chance(g, 0.5) ? 128 :
					 rng_range(g, 64, 256));
	if (u->frag_len >= u->pkt_len) {
		u->frag_len = 0;
		u->flags &= ~(uint32_t)F_FRAG;
	}
	build_key(g, u, &l3);
	return u;
}

/* ---------------------------------------------------- output records */

struct out_rec {
	uint64_t ts;
	uint64_t seq;          /* creation order: ties keep it */
	struct upcall *u;      /* NULL for PUT and OVS_PKT_EXEC */
	uint32_t type;
	uint32_t cpu;
	int32_t handler;       /* -1: kernel context of the DP_UPCALL */
};

/* A binary min-heap on (ts, seq). */
struct heap {
	struct out_rec *a;
	size_t n, cap;
};

static bool rec_less(const struct out_rec *x, const struct out_rec *y)
{
	return x->ts < y->ts || (x->ts == y->ts && x->seq < y->seq);
}

static int heap_push(struct heap *h, const struct out_rec *r)
{
	size_t i;

	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 1024;
		void *p = realloc(h->a, cap * sizeof(*h->a));

		if (!p)
			return -ENOMEM;
		h->a = p;
		h->cap = cap;
	}
	i = h->n++;
	while (i && rec_less(r, &h->a[(i - 1) / 2])) {
		h->a[i] = h->a[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->a[i] = *r;
	return 0;
}

static struct out_rec heap_pop(struct heap *h)
{
	struct out_rec top = h->a[0], last = h->a[--h->n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && rec_less(&h->a[c + 1], &h->a[c]))
			c++;
		if (!rec_less(&h->a[c], &last))
			break;
		h->a[i] = h->a[c];
		i = c;
	}
	if (h->n)
		h->a[i] = last;
	return top;
}

/* ------------------------------------------------------- simulation */

struct queued {
	struct upcall *u;
	uint64_t ready;        /* when it sits in the handler's socket */
};

struct handler {
	uint32_t tid;
	char comm[UC_TASK_COMM_LEN];
	uint32_t cpu;
	struct queued *q;      /* FIFO ring */
	size_t q_head, q_len, q_cap;
	uint64_t next_step;    /* UINT64_MAX: asleep with nothing to do */
	struct upcall *batch[UPCALL_MAX_BATCH];
	size_t n_batch;
};

struct stats {
	uint64_t upcalls, lost, action, tunnel, csum, frag, unknown_port;
	uint64_t no_put, no_exec, batches, batch_over_64;
	uint64_t written, missed[UC_EV_MAX];
};

struct sim {
	const struct options *o;
	struct rng g;
	struct heap out;
	uint64_t seq;
	struct handler *h;
	uint64_t next_arrival;     /* UINT64_MAX: no more arrivals */
	uint64_t burst_left;       /* packets still to come in this burst */
	uint32_t burst_cpu;
	uint64_t planned;          /* records the upcalls so far will make */
	bool new_port_seen;
	struct uc_event_sink sink;
	struct uc_error *err;
	struct stats st;
	uint8_t scratch[MAX_FRAME];
};

static int emit(struct sim *s, uint64_t ts, uint32_t type, struct upcall *u,
		int32_t handler, uint32_t cpu)
{
	struct out_rec r = {
		.ts = ts, .seq = s->seq++, .u = u, .type = type, .cpu = cpu,
		.handler = handler,
	};

	if (heap_push(&s->out, &r))
		return -ENOMEM;
	if (u)
		u->refs++;
	return 0;
}

static void release(struct upcall *u)
{
	if (u && --u->refs == 0)
		free(u);
}

/* The packet as the tracepoint saw it: head only for a non-linear skb,
 * and the L4 checksum not yet completed for offloaded senders. */
static uint32_t dp_copy(struct sim *s, const struct upcall *u)
{
	uint32_t len = u->frag_len ? u->frag_len : u->pkt_len;

	if (len > s->o->packet_size)
		len = s->o->packet_size;
	memcpy(s->scratch, u->pkt, len);
	if (u->flags & F_CSUM && u->csum_off + 2u <= len)
		put16(s->scratch + u->csum_off, u->dp_csum);
	return len;
}

static void fill_common(struct sim *s, const struct out_rec *r,
			struct uc_raw_event *ev)
{
	const struct handler *h = r->handler >= 0 ? &s->h[r->handler] : NULL;

	memset(ev, 0, sizeof(*ev));
	ev->event = r->type;
	ev->cpu = r->cpu;
	ev->ts = r->ts;
	if (h) {
		ev->pid = h->tid;
		memcpy(ev->comm, h->comm, sizeof(h->comm));
	} else {
		ev->pid = r->u->dp_pid;
		memcpy(ev->comm, r->u->dp_comm, sizeof(r->u->dp_comm));
	}
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* The packet as vswitchd has it (RECV, EXECUTE): complete. */
static void fill_packet(const struct sim *s, const struct upcall *u,
			struct uc_raw_event *ev)
{
	ev->pkt_size = u->pkt_len;
	ev->pkt = u->pkt;
	ev->pkt_cap = min_u32(u->pkt_len, s->o->packet_size);
}

static void fill_event(struct sim *s, const struct out_rec *r,
		       struct uc_raw_event *ev)
{
	const struct upcall *u = r->u;

	fill_common(s, r, ev);
	switch (r->type) {
	case UC_EV_DP_UPCALL:
		ev->upcall_type = UC_OVS_PACKET_CMD_MISS;
		ev->pkt_size = u->pkt_len;
		ev->pkt_frag_size = u->frag_len;
		strcpy(ev->dpif_name, "ovs-system");
		snprintf(ev->dev_name, sizeof(ev->dev_name), "%s",
			 u->port->name);
		ev->pkt = s->scratch;
		ev->pkt_cap = dp_copy(s, u);
		break;
	case UC_EV_RECV_UPCALL:
		ev->upcall_type = u->flags & F_ACTION ? 1 : UC_DPIF_UC_MISS;
		strcpy(ev->dpif_name, "system@ovs-system");
		ev->key_size = u->key_len;
		ev->key = u->key;
		ev->key_cap = min_u32(u->key_len, s->o->flow_key_size);
		fill_packet(s, u, ev);
		break;
	case UC_EV_OP_FLOW_EXECUTE:
		fill_packet(s, u, ev);
		break;
	default:
		break;
	}
}

/* Writes the records no later step can precede (ts <= NOW). */
static int drain(struct sim *s, uint64_t now)
{
	while (s->out.n && s->out.a[0].ts <= now) {
		struct out_rec r = heap_pop(&s->out);
		struct uc_raw_event ev;
		int rc = 0;

		if (rng_chance(&s->g, s->o->r.missed)) {
			s->st.missed[r.type]++;
		} else {
			fill_event(s, &r, &ev);
			rc = s->sink.on_event(s->sink.ctx, &ev);
			s->st.written++;
		}
		release(r.u);
		if (rc < 0)
			return uc_error_set(s->err, "writing %s: %s",
					    s->o->output, strerror(-rc));
	}
	return 0;
}

/* The capture refreshes the map when a kernel event names a new port. */
static int maybe_refresh_map(struct sim *s, const struct upcall *u,
			     uint64_t now)
{
	struct uc_port_map map;
	int rc;

	if (!s->o->map_refresh || u->port->in_map || s->new_port_seen)
		return 0;
	s->new_port_seen = true;
	if (build_port_map(&map, true))
		return uc_error_set(s->err, "out of memory");
	/* Everything before the refresh goes first. */
	rc = drain(s, now);
	if (!rc)
		rc = s->sink.on_port_map(s->sink.ctx, &map);
	uc_port_map_free(&map);
	return rc < 0 ? uc_error_set(s->err, "writing %s: %s", s->o->output,
				     strerror(-rc)) : 0;
}

static int enqueue(struct handler *h, struct upcall *u, uint64_t ready)
{
	if (h->q_len == h->q_cap) {
		size_t cap = h->q_cap ? 2 * h->q_cap : 256;
		struct queued *q = malloc(cap * sizeof(*q));

		if (!q)
			return -ENOMEM;
		for (size_t i = 0; i < h->q_len; i++)
			q[i] = h->q[(h->q_head + i) % h->q_cap];
		free(h->q);
		h->q = q;
		h->q_head = 0;
		h->q_cap = cap;
	}
	h->q[(h->q_head + h->q_len) % h->q_cap] = (struct queued){ u, ready };
	h->q_len++;
	return 0;
}

/* The records an upcall makes, known when it arrives, so that --events
 * holds even when the handlers fall far behind. */
static unsigned records_of(const struct upcall *u)
{
	bool action = u->flags & F_ACTION, lost = u->flags & F_LOST;

	if (lost)
		return action ? 0 : 1;
	return action ? 1 :
		1 + 1 + !(u->flags & F_NO_PUT) + 2 * !(u->flags & F_NO_EXEC);
}

static void count_upcall(struct stats *st, const struct upcall *u)
{
	st->upcalls++;
	st->lost += !!(u->flags & F_LOST);
	st->action += !!(u->flags & F_ACTION);
	st->tunnel += !!(u->flags & F_TUNNEL);
	st->csum += !!(u->flags & F_CSUM);
	st->frag += !!(u->flags & F_FRAG);
	st->unknown_port += !u->port->in_map;
}

/* When the next packet misses: bursts of back-to-back packets on one CPU
 * (a new connection storm), else a Poisson stream over all CPUs. */
static void schedule_arrival(struct sim *s, uint64_t now)
{
	const struct options *o = s->o;

	if (s->planned >= o->events) {
		s->next_arrival = UINT64_MAX;
		return;
	}
	if (s->burst_left) {
		s->burst_left--;
		s->next_arrival = now + rng_range(&s->g, 300, 2500);
		return;
	}
	s->next_arrival = now + 1 + rng_exp(&s->g, 1e9 / o->upcall_rate);
	if (rng_chance(&s->g, o->r.burst)) {
		/* Mostly small; now and then more than a batch. */
		uint64_t r = rng_range(&s->g, 0, 99);

		s->burst_left = r < 70 ? rng_range(&s->g, 1, 8) :
				r < 97 ? rng_range(&s->g, 8, 40) :
					 rng_range(&s->g, 65, 130);
		s->burst_cpu = (uint32_t)rng_range(&s->g, 0, o->cpus - 1);
	}
}

/* A packet misses in the kernel datapath at NOW. */
static int arrival(struct sim *s, uint64_t now)
{
	struct upcall *u = new_upcall(&s->g, s->o);
	bool in_burst = s->burst_left > 0;
	struct handler *h;
	uint64_t ready;
	int rc;

	if (!u)
		return uc_error_set(s->err, "out of memory");
	if (in_burst)
		u->dp_cpu = s->burst_cpu;
	count_upcall(&s->st, u);
	s->planned += records_of(u);
	rc = maybe_refresh_map(s, u, now);
	/* ACTION upcalls (userspace action) are not MISS: the tracepoint
	 * probe skips them, only vswitchd's receive is seen. */
	if (!rc && !(u->flags & F_ACTION))
		rc = emit(s, now, UC_EV_DP_UPCALL, u, -1, u->dp_cpu);
	schedule_arrival(s, now);
	if (rc)
		goto out;
	if (u->flags & F_LOST)
		goto out;      /* e.g. ENOBUFS on the handler's socket */
	h = &s->h[u->dp_cpu % s->o->handlers];   /* per-CPU dispatch */
	ready = now + rng_range(&s->g, 1 * US, 4 * US);
	rc = enqueue(h, u, ready);
	if (rc)
		goto out;
	u->refs++;     /* held by the queue, then the batch */
	/* A sleeping handler wakes up some µs after its socket fills. */
	if (h->next_step == UINT64_MAX)
		h->next_step = ready + rng_range(&s->g, 5 * US, 30 * US);
out:
	if (u->refs == 0)
		free(u);
	if (rc && !s->err->msg[0])
		uc_error_set(s->err, "out of memory");
	return rc ? -1 : 0;
}

/* Translation time of one upcall: a few µs, sometimes much more. */
static uint64_t translate_time(struct rng *g)
{
	if (rng_chance(g, 0.02))
		return rng_range(g, 20 * US, 100 * US);
	return rng_range(g, 2 * US, 10 * US);
}

struct op {
	uint32_t type;
	struct upcall *u;
};

/*
 * handle_upcalls(): a PUT and an EXECUTE op per upcall in batch order,
 * encoded (USDTs fire) and sent in chunks of 50; the kernel runs each
 * EXECUTE request in the same sendmsg.  Returns when the handler is done.
 */
static int handle_batch(struct sim *s, int hi, uint64_t t)
{
	struct handler *h = &s->h[hi];
	struct op ops[2 * UPCALL_MAX_BATCH];
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; i < h->n_batch; i++) {
		struct upcall *u = h->batch[i];

		if (u->flags & F_ACTION)
			continue;      /* no flow to install, nothing to run */
		if (!(u->flags & F_NO_PUT))
			ops[n++] = (struct op){ UC_EV_OP_FLOW_PUT, u };
		if (!(u->flags & F_NO_EXEC))
			ops[n++] = (struct op){ UC_EV_OP_FLOW_EXECUTE, u };
	}
	t += rng_range(&s->g, 1 * US, 3 * US);
	for (size_t c = 0; c < n && !rc; c += OPERATE_MAX_OPS) {
		size_t end = c + OPERATE_MAX_OPS < n ? c + OPERATE_MAX_OPS : n;

		for (size_t i = c; i < end && !rc; i++) {
			rc = emit(s, t, ops[i].type,
				  ops[i].type == UC_EV_OP_FLOW_EXECUTE ?
					  ops[i].u : NULL, hi, h->cpu);
			t += rng_range(&s->g, 300, 1500);
		}
		t += rng_range(&s->g, 1 * US, 3 * US);   /* into sendmsg */
		for (size_t i = c; i < end && !rc; i++) {
			if (ops[i].type == UC_EV_OP_FLOW_EXECUTE) {
				rc = emit(s, t, UC_EV_OVS_PKT_EXEC, NULL, hi,
					  h->cpu);
				t += rng_range(&s->g, 1 * US, 6 * US);
			} else {
				t += rng_range(&s->g, 1 * US, 4 * US);
			}
		}
		t += rng_range(&s->g, 500, 1500);
	}
	for (size_t i = 0; i < h->n_batch; i++)
		release(h->batch[i]);
	s->st.batches++;
	s->st.batch_over_64 += h->n_batch == UPCALL_MAX_BATCH && h->q_len;
	h->n_batch = 0;
	/* Back to recv_upcalls(); now and then on another CPU. */
	if (rng_chance(&s->g, 0.02))
		h->cpu = (uint32_t)rng_range(&s->g, 0, s->o->cpus - 1);
	h->next_step = t + rng_range(&s->g, 200, 1000);
	return rc ? uc_error_set(s->err, "out of memory") : 0;
}

/* One dpif_recv() of handler HI at its next_step. */
static int handler_step(struct sim *s, int hi)
{
	struct handler *h = &s->h[hi];
	uint64_t t = h->next_step;
	struct queued *head = h->q_len ? &h->q[h->q_head] : NULL;

	if (h->n_batch < UPCALL_MAX_BATCH && head && head->ready <= t) {
		struct upcall *u = head->u;
		int rc;

		h->q_head = (h->q_head + 1) % h->q_cap;
		h->q_len--;
		h->batch[h->n_batch++] = u;   /* takes the queue's ref */
		rc = emit(s, t, UC_EV_RECV_UPCALL, u, hi, h->cpu);
		h->next_step = t + translate_time(&s->g);
		return rc ? uc_error_set(s->err, "out of memory") : 0;
	}
	if (h->n_batch)
		return handle_batch(s, hi, t);
	/* EAGAIN with an empty batch: poll_block() until the next upcall. */
	h->next_step = head ? (head->ready > t ? head->ready : t) +
				      rng_range(&s->g, 5 * US, 30 * US) :
			      UINT64_MAX;
	return 0;
}

/* Index of the handler that runs next, or -1 if all sleep. */
static int next_handler(const struct sim *s)
{
	int best = -1;

	for (unsigned i = 0; i < s->o->handlers; i++)
		if (s->h[i].next_step != UINT64_MAX &&
		    (best < 0 || s->h[i].next_step < s->h[best].next_step))
			best = (int)i;
	return best;
}

static int run(struct sim *s)
{
	for (;;) {
		int hi = next_handler(s);
		uint64_t th = hi < 0 ? UINT64_MAX : s->h[hi].next_step;
		uint64_t now = th < s->next_arrival ? th : s->next_arrival;
		int rc;

		if (now == UINT64_MAX)
			break;
		rc = th < s->next_arrival ? handler_step(s, hi) :
					    arrival(s, now);
		if (!rc)
			rc = drain(s, now);
		if (rc)
			return rc;
	}
	return drain(s, UINT64_MAX);
}

static int setup_handlers(struct sim *s)
{
	/* vswitchd's threads have consecutive TIDs. */
	uint32_t base = (uint32_t)rng_range(&s->g, 300, 30000);

	s->h = calloc(s->o->handlers, sizeof(*s->h));
	if (!s->h)
		return uc_error_set(s->err, "out of memory");
	for (unsigned i = 0; i < s->o->handlers; i++) {
		struct handler *h = &s->h[i];

		h->tid = base + i;
		snprintf(h->comm, sizeof(h->comm), "handler%hu",
			 (unsigned short)(i + 1));
		h->cpu = (uint32_t)rng_range(&s->g, 0, s->o->cpus - 1);
		h->next_step = UINT64_MAX;
	}
	return 0;
}

static void free_sim(struct sim *s)
{
	while (s->out.n)
		release(heap_pop(&s->out).u);
	free(s->out.a);
	for (unsigned i = 0; s->h && i < s->o->handlers; i++) {
		struct handler *h = &s->h[i];

		for (size_t j = 0; j < h->n_batch; j++)
			release(h->batch[j]);
		for (size_t j = 0; j < h->q_len; j++)
			release(h->q[(h->q_head + j) % h->q_cap].u);
		free(h->q);
	}
	free(s->h);
}

/* --------------------------------------------------------- the file */

static void capture_info(const struct options *o, uint64_t start,
			 struct uc_capture_info *info)
{
	memset(info, 0, sizeof(*info));
	info->packet_size = o->packet_size;
	info->flow_key_size = o->flow_key_size;
	info->buffer_page_count = 1024;
	/* The field holds 31 bytes: a long git-describe version is cut. */
	snprintf(info->tool_version, sizeof(info->tool_version),
		 "gen_trace %.21s", UC_VERSION);
	snprintf(info->host, sizeof(info->host), "synthetic-seed-%" PRIu64,
		 o->seed);
	snprintf(info->kernel, sizeof(info->kernel), "synthetic");
	/* Fixed, so the same seed gives the same bytes. */
	info->start_realtime_ns = 1700000000000000000ull;
	info->start_monotonic_ns = start;
}

static int report_missed(struct sim *s)
{
	for (uint32_t t = 0; t < UC_EV_MAX; t++) {
		int rc;

		if (!s->st.missed[t])
			continue;
		rc = s->sink.on_missed(s->sink.ctx, t, s->st.missed[t]);
		if (rc < 0)
			return uc_error_set(s->err, "writing %s: %s",
					    s->o->output, strerror(-rc));
	}
	return 0;
}

static void print_stats(const struct stats *st, FILE *f)
{
	uint64_t missed = 0;

	for (int t = 0; t < UC_EV_MAX; t++)
		missed += st->missed[t];
	fprintf(f, "gen_trace: %" PRIu64 " events written, %" PRIu64
		" missed; %" PRIu64 " upcalls (%" PRIu64 " lost, %" PRIu64
		" action, %" PRIu64 " tunnel, %" PRIu64 " partial csum, %"
		PRIu64 " non-linear, %" PRIu64 " unknown port); %" PRIu64
		" batches, %" PRIu64 " full with more pending\n",
		st->written, missed, st->upcalls, st->lost, st->action,
		st->tunnel, st->csum, st->frag, st->unknown_port, st->batches,
		st->batch_over_64);
}

/* The file's opening: capture info, then the port map. */
static int write_head(struct sim *s, uint64_t start)
{
	struct uc_capture_info info;
	struct uc_port_map map;
	int rc;

	capture_info(s->o, start, &info);
	rc = s->sink.on_info(s->sink.ctx, &info);
	if (rc < 0)
		return uc_error_set(s->err, "writing %s: %s", s->o->output,
				    strerror(-rc));
	if (build_port_map(&map, false))
		return uc_error_set(s->err, "out of memory");
	rc = s->sink.on_port_map(s->sink.ctx, &map);
	uc_port_map_free(&map);
	if (rc < 0)
		return uc_error_set(s->err, "writing %s: %s", s->o->output,
				    strerror(-rc));
	return 0;
}

static int generate(const struct options *o, struct uc_error *err)
{
	struct sim s = { .o = o, .err = err };
	struct uc_trace_writer *w;
	struct uc_error close_err = { "" };
	uint64_t start;
	int rc;

	rng_seed(&s.g, o->seed);
	/* An uptime of one to three days, in ns. */
	start = rng_range(&s.g, 86400, 3 * 86400) * 1000000000ull +
		rng_range(&s.g, 0, 999999999);
	w = uc_trace_writer_open(o->output, o->format,
				 UC_WRITER_COMMIT_ON_CLOSE, err);
	if (!w)
		return -1;
	s.sink = uc_trace_writer_sink(w);
	rc = setup_handlers(&s);
	if (!rc)
		rc = write_head(&s, start);
	s.next_arrival = start;
	if (!rc)
		rc = run(&s);
	if (!rc)
		rc = report_missed(&s);
	free_sim(&s);
	/* A failed run leaves no file behind (nor replaces one); for a
	 * write error, the writer's message is the precise one. */
	if (rc) {
		if (uc_trace_writer_flush(w, &close_err))
			*err = close_err;
		uc_trace_writer_abort(w);
		return -1;
	}
	if (uc_trace_writer_close(w, &close_err)) {
		*err = close_err;
		return -1;
	}
	if (o->verbose)
		print_stats(&s.st, stderr);
	return 0;
}

/* ------------------------------------------------------ command line */

static const char usage[] =
	"usage: gen_trace -o FILE [options]\n"
	"Writes a synthetic upcall_cost event file (deterministic per seed).\n"
	"\n"
	"  -o, --output FILE       file to write (required)\n"
	"  -n, --events N          about N events in total (default 10000)\n"
	"  -s, --seed N            random seed (default 1)\n"
	"  -F, --format FMT        native (default) or py (upcall_cost.py's)\n"
	"  -H, --handlers N        handler threads, 1..512 (default 4)\n"
	"  -c, --cpus N            CPUs, 1..1024 (default 8)\n"
	"  -P, --packet-size N     packet bytes captured, 64..2048 (default 256)\n"
	"  -f, --flow-key-size N   flow key bytes captured, 64..2048 (default 64)\n"
	"  -r, --upcall-rate N     mean upcalls per second (default 20000)\n"
	"      --map-refresh       add a port-map record when the new port\n"
	"                          shows up (native only; py keeps the first)\n"
	"      --clean             no faults: set the fault rates to 0 (the\n"
	"                          mix rates stay; later options still apply)\n"
	"  -v, --verbose           print what was generated to stderr\n"
	"  -h, --help\n"
	"\n"
	"Fault and mix rates, each a fraction in 0..1 (default):\n"
	"  --lost-rate (0.01)         upcalls lost before vswitchd: no RECV\n"
	"  --csum-rate (0.05)         DP copy without the final L4 checksum\n"
	"  --csum-zero-rate (0.2)     ... of those, UDP with checksum 0\n"
	"  --short-rate (0.05)        44-byte UDP frames\n"
	"  --tunnel-rate (0.05)       tunnel port, TUNNEL before IN_PORT in the key\n"
	"  --frag-rate (0.02)         non-linear skb: DP copies the head only\n"
	"  --action-rate (0.01)       ACTION upcalls (RECV upcall_type 1, no DP)\n"
	"  --unknown-port-rate (0.01) from a port missing in the port map\n"
	"  --no-put-rate (0.02)       upcalls without OP_FLOW_PUT\n"
	"  --no-exec-rate (0.01)      upcalls without OP_FLOW_EXECUTE\n"
	"  --missed-rate (0.001)      records lost in the ring buffer\n"
	"  --ipv6-rate (0.1), --vlan-rate (0.05), --tcp-rate (0.3)\n"
	"  --burst-rate (0.15)        arrivals that start a burst\n";

enum {
	OPT_MAP_REFRESH = 256, OPT_CLEAN, OPT_RATE_FIRST,
};

struct rate_opt {
	const char *name;
	size_t offset;
};

#define RATE(n, f) { n, offsetof(struct rates, f) }
static const struct rate_opt rate_opts[] = {
	RATE("lost-rate", lost), RATE("csum-rate", csum),
	RATE("csum-zero-rate", csum_zero), RATE("short-rate", short_pkt),
	RATE("tunnel-rate", tunnel), RATE("frag-rate", frag),
	RATE("action-rate", action), RATE("unknown-port-rate", unknown_port),
	RATE("no-put-rate", no_put), RATE("no-exec-rate", no_exec),
	RATE("missed-rate", missed), RATE("ipv6-rate", ipv6),
	RATE("vlan-rate", vlan), RATE("tcp-rate", tcp),
	RATE("burst-rate", burst),
};
#define N_RATES (sizeof(rate_opts) / sizeof(rate_opts[0]))

static int parse_u64(const char *opt, const char *arg, uint64_t lo,
		     uint64_t hi, uint64_t *out, struct uc_error *err)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || v < lo || v > hi)
		return uc_error_set(err, "--%s %s: expected an integer in "
				    "%" PRIu64 "..%" PRIu64, opt, arg, lo, hi);
	*out = v;
	return 0;
}

static int parse_unsigned(const char *opt, const char *arg, unsigned lo,
			  unsigned hi, unsigned *out, struct uc_error *err)
{
	uint64_t v;

	if (parse_u64(opt, arg, lo, hi, &v, err))
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int parse_rate(const char *opt, const char *arg, double lo, double hi,
		      double *out, struct uc_error *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= lo && v <= hi))
		return uc_error_set(err, "--%s %s: expected a number in "
				    "%g..%g", opt, arg, lo, hi);
	*out = v;
	return 0;
}

static void build_longopts(struct option *lo)
{
	static const struct option fixed[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "events", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'F' },
		{ "handlers", required_argument, NULL, 'H' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "packet-size", required_argument, NULL, 'P' },
		{ "flow-key-size", required_argument, NULL, 'f' },
		{ "upcall-rate", required_argument, NULL, 'r' },
		{ "map-refresh", no_argument, NULL, OPT_MAP_REFRESH },
		{ "clean", no_argument, NULL, OPT_CLEAN },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
	};
	size_t n = sizeof(fixed) / sizeof(fixed[0]);

	memcpy(lo, fixed, sizeof(fixed));
	for (size_t i = 0; i < N_RATES; i++)
		lo[n + i] = (struct option){ rate_opts[i].name,
					     required_argument, NULL,
					     (int)(OPT_RATE_FIRST + i) };
	memset(&lo[n + N_RATES], 0, sizeof(lo[0]));
}

/* --clean: no faults; the traffic mix (IPv6, VLAN, TCP, bursts) stays. */
static void clear_faults(struct rates *r)
{
	struct rates clean = {
		.csum_zero = r->csum_zero, .ipv6 = r->ipv6, .vlan = r->vlan,
		.tcp = r->tcp, .burst = r->burst,
	};

	*r = clean;
}

static int parse_format(struct options *o, const char *arg,
			struct uc_error *err)
{
	if (!strcmp(arg, "native"))
		o->format = UC_FORMAT_NATIVE;
	else if (!strcmp(arg, "py"))
		o->format = UC_FORMAT_PY;
	else
		return uc_error_set(err, "--format %s: expected native or py",
				    arg);
	return 0;
}

static int parse_opt(struct options *o, int c, const char *arg,
		     bool *help, struct uc_error *err)
{
	if (c >= OPT_RATE_FIRST && c < OPT_RATE_FIRST + (int)N_RATES) {
		const struct rate_opt *r = &rate_opts[c - OPT_RATE_FIRST];

		return parse_rate(r->name, arg, 0, 1,
				  (double *)((char *)&o->r + r->offset), err);
	}
	switch (c) {
	case 'o':
		o->output = arg;
		return 0;
	case 'n':
		return parse_u64("events", arg, 1, 1ull << 40, &o->events, err);
	case 's':
		return parse_u64("seed", arg, 0, UINT64_MAX, &o->seed, err);
	case 'F':
		return parse_format(o, arg, err);
	case 'H':
		return parse_unsigned("handlers", arg, 1, MAX_HANDLERS,
				      &o->handlers, err);
	case 'c':
		return parse_unsigned("cpus", arg, 1, MAX_CPUS, &o->cpus, err);
	case 'P':
		return parse_unsigned("packet-size", arg, UC_CAPTURE_MIN,
				      UC_CAPTURE_MAX, &o->packet_size, err);
	case 'f':
		return parse_unsigned("flow-key-size", arg, UC_CAPTURE_MIN,
				      UC_CAPTURE_MAX, &o->flow_key_size, err);
	case 'r':
		return parse_rate("upcall-rate", arg, 1, 1e8, &o->upcall_rate,
				  err);
	case OPT_MAP_REFRESH:
		o->map_refresh = true;
		return 0;
	case OPT_CLEAN:
		clear_faults(&o->r);
		return 0;
	case 'v':
		o->verbose = true;
		return 0;
	case 'h':
		*help = true;
		return 0;
	default:
		return uc_error_set(err, "unknown option (see --help)");
	}
}

static int parse_args(struct options *o, int argc, char **argv, bool *help,
		      struct uc_error *err)
{
	struct option lo[32];
	int c;

	_Static_assert(13 + N_RATES + 1 <= sizeof(lo) / sizeof(lo[0]),
		       "room for every long option");
	build_longopts(lo);
	*o = (struct options){
		.events = 10000, .seed = 1, .format = UC_FORMAT_NATIVE,
		.handlers = 4, .cpus = 8, .packet_size = UC_DEFAULT_PACKET_SIZE,
		.flow_key_size = UC_DEFAULT_FLOW_KEY_SIZE,
		.upcall_rate = 20000, .r = default_rates,
	};
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:n:s:F:H:c:P:f:r:vh", lo,
				NULL)) != -1) {
		if (c == '?' || c == ':')
			return uc_error_set(err, "%s: unknown option or "
					    "missing value (see --help)",
					    argv[optind - 1]);
		if (parse_opt(o, c, optarg, help, err))
			return -1;
	}
	if (optind < argc)
		return uc_error_set(err, "unexpected argument %s", argv[optind]);
	if (!*help && !o->output)
		return uc_error_set(err, "-o FILE is required (see --help)");
	return 0;
}

int main(int argc, char **argv)
{
	struct uc_error err = { "" };
	struct options o;
	bool help = false;

	if (parse_args(&o, argc, argv, &help, &err)) {
		fprintf(stderr, "gen_trace: %s\n", err.msg);
		return 2;
	}
	if (help) {
		fputs(usage, stdout);
		return 0;
	}
	if (generate(&o, &err)) {
		fprintf(stderr, "gen_trace: %s\n", err.msg);
		return 1;
	}
	return 0;
}
