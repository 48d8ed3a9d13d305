/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * traffic - a small traffic sender for the upcall_cost OVS testbed.
 *
 * Sends packets of N distinct flows (5-tuples), each flow's destination and
 * source ports (and optionally addresses, and in raw mode the source MAC)
 * derived from its index, so that with megaflows disabled every new flow is
 * one upcall. Flows can be sent once each, K times each, or as a random mix
 * of new and repeated flows over a duration; as fast as possible or paced.
 *
 *   traffic -m udp -d 10.0.1.0 -D 16 -n 1000            1000 new UDP flows
 *   traffic -m tcp -d 10.0.0.2 -n 10 -r 5               10 SYNs, 5 per second
 *   traffic -m raw -i eth0 --dst-mac 02:..:02 -d 10.0.1.0 -n 5000 -l 1400
 *   traffic -m udp -d 10.0.1.0 -r 20 -T 60 --repeat 0.5 mix over 60 s
 *   traffic -m raw ... --ipv6 --vlan 100                IPv6 frames, 802.1Q tag
 *   traffic --epoch N                                   mark: scenario N starts
 *
 * Only ever run it inside the testbed guest's own network namespaces.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum mode { M_UDP, M_TCP, M_RAW };

struct opts {
	enum mode mode;
	long flows; /* -n: distinct flows (0 with -T: unbounded) */
	long per_flow; /* -k: packets per flow in the sequential mode */
	double rate; /* -r: packets per second, 0 = as fast as possible */
	double duration; /* -T: seconds, mix mode */
	double repeat; /* --repeat: probability that a packet reuses a flow */
	unsigned seed;
	int payload; /* -l */
	struct in_addr dst; /* -d base */
	int ndst; /* -D: addresses dst .. dst+ndst-1 */
	struct in_addr src; /* -s base (udp: bound with IP_FREEBIND; raw) */
	int nsrc; /* -S */
	int dport, sport; /* -p / -P bases */
	int first; /* -f: index of the first flow */
	const char *ifname; /* -i (raw) */
	uint8_t dmac[6], smac[6];
	int have_dmac, have_smac;
	int vary_mac; /* raw: vary the source MAC per flow */
	int rt; /* --rt: run at SCHED_FIFO priority */
	double at; /* --at: start at this CLOCK_BOOTTIME (uptime) */
	int ipv6; /* --ipv6: raw frames carry IPv6 (fd00::SRC, fd00::DST) */
	int vlan; /* --vlan: raw frames carry this 802.1Q VLAN ID, 0 = none */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: traffic [options]\n"
		"  -m, --mode udp|tcp|raw   UDP datagrams (default), TCP connects (a SYN each,\n"
		"                           non-blocking, closed at once), or raw Ethernet/IPv4/UDP\n"
		"                           frames on an AF_PACKET socket (-i)\n"
		"  -n, --flows N            distinct flows (default 10)\n"
		"  -k, --packets-per-flow K packets per flow, sent flow after flow (default 1)\n"
		"  -r, --rate PPS           packets per second; 0 = as fast as possible (default)\n"
		"  -T, --duration S         mix mode: send for S seconds at -r; each packet\n"
		"                           reuses an earlier flow with probability --repeat\n"
		"      --repeat P           0..1 (default 0.5), mix mode only\n"
		"      --seed N             random seed of the mix (default 1)\n"
		"  -l, --payload BYTES      UDP payload size, at most 8972 (default 18)\n"
		"  -d, --dst ADDR           first destination IPv4 address (required)\n"
		"  -D, --dst-count N        vary the destination over N addresses (default 1)\n"
		"  -s, --src ADDR           first source address (udp: bound with IP_FREEBIND;\n"
		"                           raw: written into the frame)\n"
		"  -S, --src-count N        vary the source over N addresses (default 1)\n"
		"  -p, --dport PORT         first destination port (default 10000)\n"
		"  -P, --sport PORT         first source port (default 20000; 0 = kernel's choice)\n"
		"  -f, --first I            index of the first flow (default 0)\n"
		"  -i, --ifname IF          raw: interface to send on\n"
		"      --dst-mac MAC        raw: destination MAC (required in raw mode)\n"
		"      --src-mac MAC        raw: source MAC (default: the interface's)\n"
		"      --vary-mac           raw: vary the source MAC per flow too\n"
		"      --rt                 send at real-time priority (SCHED_FIFO 50), so that a\n"
		"                           burst is not interrupted by normal-priority threads\n"
		"      --at UPTIME          start sending when /proc/uptime (CLOCK_BOOTTIME)\n"
		"                           reaches UPTIME seconds: starts senders together\n"
		"      --ipv6               raw: Ethernet/IPv6/UDP frames; the IPv4 addresses -s\n"
		"                           and -d (and their sequences) become fd00::A.B.C.D\n"
		"      --vlan VID           raw: tag the frames with 802.1Q VLAN VID (1-4094)\n"
		"      --epoch N            send nothing: call tb_epoch(N) (a uprobe target that\n"
		"                           marks where a scenario's counts start) and exit\n"
		"Flow i uses dst = D + i %% Dcount, src = S + i %% Scount,\n"
		"dport = p + i %% 30000, sport = P + (i / 30000 + i) %% 30000.\n");
}

/*
 * A no-op for the testbed's bpftrace to put a uprobe on: `traffic --epoch
 * N` marks the moment scenario N's counting window opens (0: closes), so one
 * bpftrace keyed by epoch counts every scenario of a boot.
 */
__attribute__((noinline, used)) void tb_epoch(long n);
__attribute__((noinline, used)) void tb_epoch(long n)
{
	__asm__ volatile("" : : "r"(n) : "memory");
}

static int parse_mac(const char *s, uint8_t m[6])
{
	unsigned v[6];
	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
		   &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (v[i] > 255)
			return -1;
		m[i] = (uint8_t)v[i];
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	struct timespec ts;
	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

struct tuple {
	struct in_addr src, dst;
	uint16_t sport, dport;
	uint8_t smac[6];
};

static void flow_tuple(const struct opts *o, long i, struct tuple *t)
{
	t->dst.s_addr = htonl(ntohl(o->dst.s_addr) + (uint32_t)(i % o->ndst));
	t->src.s_addr =
		o->src.s_addr ?
			htonl(ntohl(o->src.s_addr) + (uint32_t)(i % o->nsrc)) :
			0;
	t->dport = (uint16_t)(o->dport + i % 30000);
	t->sport =
		o->sport ? (uint16_t)(o->sport + (i / 30000 + i) % 30000) : 0;
	memcpy(t->smac, o->smac, 6);
	if (o->vary_mac) {
		/* keep the locally administered unicast first byte */
		t->smac[3] = (uint8_t)(i >> 16);
		t->smac[4] = (uint8_t)(i >> 8);
		t->smac[5] = (uint8_t)i;
	}
}

static uint16_t csum_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint32_t csum_add(uint32_t s, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		s += (uint32_t)(b[n - 1] << 8);
	return s;
}

/* ------------------------------------------------------------ senders */

struct sender {
	const struct opts *o;
	int raw_fd;
	int ifindex;
	unsigned char *buf;
	size_t buflen;
	long sent, errors;
};

/* A socket of TYPE bound to the flow's source address and port, if set. */
static int bound_socket(int type, const struct tuple *t)
{
	int fd = socket(AF_INET, type, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (t->src.s_addr || t->sport) {
		setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof one);
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_addr = t->src,
					 .sin_port = htons(t->sport) };
		if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

static int send_udp(struct sender *s, const struct tuple *t)
{
	const struct opts *o = s->o;
	int fd = bound_socket(SOCK_DGRAM, t);
	if (fd < 0)
		return -1;
	struct sockaddr_in d = { .sin_family = AF_INET,
				 .sin_addr = t->dst,
				 .sin_port = htons(t->dport) };
	ssize_t r = sendto(fd, s->buf, (size_t)o->payload, 0,
			   (struct sockaddr *)&d, sizeof d);
	close(fd);
	return r < 0 ? -1 : 0;
}

static int send_tcp(struct sender *s, const struct tuple *t)
{
	(void)s;
	int fd = bound_socket(SOCK_STREAM | SOCK_NONBLOCK, t);
	if (fd < 0)
		return -1;
	struct sockaddr_in d = { .sin_family = AF_INET,
				 .sin_addr = t->dst,
				 .sin_port = htons(t->dport) };
	int r = connect(fd, (struct sockaddr *)&d, sizeof d);
	int err = errno;
	/* The SYN has left; a zero linger makes close() quiet (no FIN/RST from us
	 * for a half-open socket, and no TIME_WAIT to block the port). */
	struct linger l = { 1, 0 };
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	close(fd);
	return (r < 0 && err != EINPROGRESS) ? -1 : 0;
}

/* Bytes of headers before the payload of a raw frame. */
static size_t raw_header_len(const struct opts *o)
{
	return sizeof(struct ether_header) + (o->vlan ? 4 : 0) +
	       (o->ipv6 ? 40 : sizeof(struct iphdr)) + sizeof(struct udphdr);
}

/* fd00::A.B.C.D, the IPv6 stand-in of IPv4 address A */
static void v6_of(struct in_addr a, uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xfd;
	memcpy(out + 12, &a.s_addr, 4);
}

static int send_raw(struct sender *s, const struct tuple *t)
{
	const struct opts *o = s->o;
	unsigned char *f = s->buf, *p = f;
	size_t l4len = sizeof(struct udphdr) + (size_t)o->payload;
	size_t len = raw_header_len(o) + (size_t)o->payload;
	uint32_t c;

	memcpy(p, o->dmac, 6);
	memcpy(p + 6, t->smac, 6);
	p += 12;
	if (o->vlan) {
		*p++ = 0x81;
		*p++ = 0x00; /* TPID 0x8100 */
		*p++ = (uint8_t)(o->vlan >> 8);
		*p++ = (uint8_t)o->vlan;
	}
	*p++ = o->ipv6 ? 0x86 : 0x08;
	*p++ = o->ipv6 ? 0xdd : 0x00;
	if (o->ipv6) {
		uint8_t src[16], dst[16];
		v6_of(t->src, src);
		v6_of(t->dst, dst);
		memset(p, 0, 40);
		p[0] = 0x60; /* version 6 */
		p[4] = (uint8_t)(l4len >> 8);
		p[5] = (uint8_t)l4len;
		p[6] = IPPROTO_UDP;
		p[7] = 64; /* hop limit */
		memcpy(p + 8, src, 16);
		memcpy(p + 24, dst, 16);
		struct {
			uint8_t s[16], d[16];
			uint32_t l;
			uint8_t z[3], nh;
		} __attribute__((packed)) ph;
		memcpy(ph.s, src, 16);
		memcpy(ph.d, dst, 16);
		ph.l = htonl((uint32_t)l4len);
		memset(ph.z, 0, 3);
		ph.nh = IPPROTO_UDP;
		c = csum_add(0, &ph, sizeof ph);
		p += 40;
	} else {
		struct iphdr *ip = (struct iphdr *)p;
		memset(ip, 0, sizeof *ip);
		ip->version = 4;
		ip->ihl = 5;
		ip->tot_len = htons((uint16_t)(sizeof *ip + l4len));
		ip->id = htons((uint16_t)s->sent);
		ip->frag_off = htons(IP_DF);
		ip->ttl = 64;
		ip->protocol = IPPROTO_UDP;
		ip->saddr = t->src.s_addr;
		ip->daddr = t->dst.s_addr;
		ip->check = htons(csum_fold(csum_add(0, ip, sizeof *ip)));
		struct {
			uint32_t s, d;
			uint8_t z, p;
			uint16_t l;
		} __attribute__((packed))
		ph = { ip->saddr, ip->daddr, 0, IPPROTO_UDP,
		       htons((uint16_t)l4len) };
		c = csum_add(0, &ph, sizeof ph);
		p += sizeof *ip;
	}
	struct udphdr *uh = (struct udphdr *)p;
	uh->source = htons(t->sport);
	uh->dest = htons(t->dport);
	uh->len = htons((uint16_t)l4len);
	uh->check = 0;
	c = csum_add(c, uh, l4len);
	uint16_t ck = csum_fold(c);
	uh->check = htons(ck ? ck : 0xffff);
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_ifindex = s->ifindex,
				   .sll_halen = 6 };
	memcpy(sll.sll_addr, o->dmac, 6);
	for (;;) {
		ssize_t r = sendto(s->raw_fd, f, len, 0,
				   (struct sockaddr *)&sll, sizeof sll);
		if (r >= 0)
			return 0;
		if (errno != ENOBUFS && errno != EAGAIN)
			return -1;
		/* the qdisc/device queue is full: retry, the packet must go out */
		struct timespec ts = { 0, 20000 };
		nanosleep(&ts, NULL);
	}
}

static int send_flow(struct sender *s, long i)
{
	struct tuple t;
	flow_tuple(s->o, i, &t);
	int r;
	switch (s->o->mode) {
	case M_UDP:
		r = send_udp(s, &t);
		break;
	case M_TCP:
		r = send_tcp(s, &t);
		break;
	default:
		r = send_raw(s, &t);
		break;
	}
	if (r < 0) {
		if (s->errors++ < 5)
			fprintf(stderr, "traffic: flow %ld: %s\n", i,
				strerror(errno));
	} else {
		s->sent++;
	}
	return r;
}

int main(int argc, char **argv)
{
	struct opts o = { .mode = M_UDP,
			  .flows = 10,
			  .per_flow = 1,
			  .repeat = 0.5,
			  .seed = 1,
			  .payload = 18,
			  .ndst = 1,
			  .nsrc = 1,
			  .dport = 10000,
			  .sport = 20000 };
	int have_dst = 0, have_flows = 0;
	enum {
		O_REPEAT = 256,
		O_SEED,
		O_DMAC,
		O_SMAC,
		O_VARYMAC,
		O_RT,
		O_AT,
		O_IPV6,
		O_VLAN,
		O_EPOCH
	};
	static const struct option lo[] = { { "mode", 1, 0, 'm' },
					    { "flows", 1, 0, 'n' },
					    { "packets-per-flow", 1, 0, 'k' },
					    { "rate", 1, 0, 'r' },
					    { "duration", 1, 0, 'T' },
					    { "repeat", 1, 0, O_REPEAT },
					    { "seed", 1, 0, O_SEED },
					    { "payload", 1, 0, 'l' },
					    { "dst", 1, 0, 'd' },
					    { "dst-count", 1, 0, 'D' },
					    { "src", 1, 0, 's' },
					    { "src-count", 1, 0, 'S' },
					    { "dport", 1, 0, 'p' },
					    { "sport", 1, 0, 'P' },
					    { "first", 1, 0, 'f' },
					    { "ifname", 1, 0, 'i' },
					    { "dst-mac", 1, 0, O_DMAC },
					    { "src-mac", 1, 0, O_SMAC },
					    { "vary-mac", 0, 0, O_VARYMAC },
					    { "rt", 0, 0, O_RT },
					    { "at", 1, 0, O_AT },
					    { "ipv6", 0, 0, O_IPV6 },
					    { "vlan", 1, 0, O_VLAN },
					    { "epoch", 1, 0, O_EPOCH },
					    { "help", 0, 0, 'h' },
					    { 0, 0, 0, 0 } };
	int c;
	while ((c = getopt_long(argc, argv, "m:n:k:r:T:l:d:D:s:S:p:P:f:i:h", lo,
				NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "udp"))
				o.mode = M_UDP;
			else if (!strcmp(optarg, "tcp"))
				o.mode = M_TCP;
			else if (!strcmp(optarg, "raw"))
				o.mode = M_RAW;
			else {
				fprintf(stderr, "traffic: bad mode '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'n':
			o.flows = atol(optarg);
			have_flows = 1;
			break;
		case 'k':
			o.per_flow = atol(optarg);
			break;
		case 'r':
			o.rate = atof(optarg);
			break;
		case 'T':
			o.duration = atof(optarg);
			break;
		case O_REPEAT:
			o.repeat = atof(optarg);
			break;
		case O_SEED:
			o.seed = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'l':
			o.payload = atoi(optarg);
			break;
		case 'd':
			if (inet_pton(AF_INET, optarg, &o.dst) != 1) {
				fprintf(stderr, "traffic: bad address '%s'\n",
					optarg);
				return 2;
			}
			have_dst = 1;
			break;
		case 'D':
			o.ndst = atoi(optarg);
			break;
		case 's':
			if (inet_pton(AF_INET, optarg, &o.src) != 1) {
				fprintf(stderr, "traffic: bad address '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'S':
			o.nsrc = atoi(optarg);
			break;
		case 'p':
			o.dport = atoi(optarg);
			break;
		case 'P':
			o.sport = atoi(optarg);
			break;
		case 'f':
			o.first = atoi(optarg);
			break;
		case 'i':
			o.ifname = optarg;
			break;
		case O_DMAC:
			if (parse_mac(optarg, o.dmac)) {
				fprintf(stderr, "traffic: bad MAC\n");
				return 2;
			}
			o.have_dmac = 1;
			break;
		case O_SMAC:
			if (parse_mac(optarg, o.smac)) {
				fprintf(stderr, "traffic: bad MAC\n");
				return 2;
			}
			o.have_smac = 1;
			break;
		case O_VARYMAC:
			o.vary_mac = 1;
			break;
		case O_RT:
			o.rt = 1;
			break;
		case O_AT:
			o.at = atof(optarg);
			break;
		case O_IPV6:
			o.ipv6 = 1;
			break;
		case O_VLAN:
			o.vlan = atoi(optarg);
			break;
		case O_EPOCH:
			tb_epoch(atol(optarg));
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!have_dst || o.ndst < 1 || o.nsrc < 1 || o.per_flow < 1 ||
	    o.payload < 0 || o.payload > 8972 || o.dport < 1 ||
	    o.dport > 65535 || o.sport < 0 || o.sport > 65535 || o.rate < 0 ||
	    o.repeat < 0 || o.repeat > 1 || (o.duration > 0 && o.rate <= 0) ||
	    (o.duration <= 0 && o.flows < 1) || o.vlan < 0 || o.vlan > 4094 ||
	    ((o.ipv6 || o.vlan) && o.mode != M_RAW)) {
		usage(stderr);
		return 2;
	}
	if (o.duration > 0 && !have_flows)
		o.flows = 0;

	struct sender s = { .o = &o, .raw_fd = -1 };
	s.buflen = 10000;
	s.buf = calloc(1, s.buflen);
	if (!s.buf)
		return 1;
	for (size_t i = 0; i < s.buflen; i++)
		s.buf[i] = (unsigned char)('a' + i % 26);
	if (o.mode == M_RAW) {
		if (!o.ifname || !o.have_dmac || !o.src.s_addr) {
			fprintf(stderr,
				"traffic: raw mode needs -i, --dst-mac and -s\n");
			return 2;
		}
		s.raw_fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP));
		if (s.raw_fd < 0) {
			perror("traffic: AF_PACKET socket");
			return 1;
		}
		s.ifindex = (int)if_nametoindex(o.ifname);
		if (!s.ifindex) {
			fprintf(stderr, "traffic: no interface %s\n", o.ifname);
			return 1;
		}
		if (!o.have_smac) {
			struct ifreq ifr;
			memset(&ifr, 0, sizeof ifr);
			snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s",
				 o.ifname);
			if (ioctl(s.raw_fd, SIOCGIFHWADDR, &ifr) < 0) {
				perror("traffic: SIOCGIFHWADDR");
				return 1;
			}
			memcpy(o.smac, ifr.ifr_hwaddr.sa_data, 6);
		}
		/* the payload lives after the headers in the frame buffer */
		memmove(s.buf + raw_header_len(&o), s.buf, 9000);
	}

	if (o.rt) {
		struct sched_param sp = { .sched_priority = 50 };
		if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0) {
			perror("traffic: sched_setscheduler(SCHED_FIFO)");
			return 1;
		}
	}
	if (o.at > 0) {
		struct timespec ts;
		ts.tv_sec = (time_t)o.at;
		ts.tv_nsec = (long)((o.at - (double)ts.tv_sec) * 1e9);
		while (clock_nanosleep(CLOCK_BOOTTIME, TIMER_ABSTIME, &ts,
				       NULL) == EINTR)
			;
	}
	double t0 = now_s(), next = t0;
	double gap = o.rate > 0 ? 1.0 / o.rate : 0;
	long packets = 0, new_flows = 0, repeats = 0;
	if (o.duration > 0) {
		/* mix mode: each tick sends either a new flow or one already sent */
		srand(o.seed);
		long n = 0;
		for (;;) {
			if (now_s() - t0 >= o.duration)
				break;
			long i;
			if (n > 0 && ((double)rand() / RAND_MAX < o.repeat ||
				      (o.flows && n >= o.flows))) {
				i = o.first + rand() % n;
				repeats++;
			} else {
				i = o.first + n++;
				new_flows++;
			}
			send_flow(&s, i);
			packets++;
			next += gap;
			sleep_until(next);
		}
	} else {
		for (long k = 0; k < o.per_flow; k++) {
			for (long i = 0; i < o.flows; i++) {
				send_flow(&s, o.first + i);
				packets++;
				if (gap > 0) {
					next += gap;
					sleep_until(next);
				}
			}
		}
		new_flows = o.flows;
		repeats = packets - new_flows;
	}
	double el = now_s() - t0;
	printf("TRAFFIC mode=%s%s%s packets=%ld sent=%ld errors=%ld new_flows=%ld repeats=%ld "
	       "payload=%d elapsed=%.3f pps=%.0f\n",
	       o.mode == M_UDP ? "udp" :
	       o.mode == M_TCP ? "tcp" :
				 "raw",
	       o.ipv6 ? "6" : "", o.vlan ? "-vlan" : "", packets, s.sent,
	       s.errors, new_flows, repeats, o.payload, el,
	       el > 0 ? (double)s.sent / el : 0);
	free(s.buf);
	return s.errors ? 1 : 0;
}
