/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * usdt_fire - fires ovs-vswitchd's three upcall USDT probes, with OVS's
 * provider/probe names and argument types, from handler threads, so that
 * live capture can be tested without OVS.
 *
 * Each thread "handlerN" runs batches as ofproto-dpif-upcall does: it
 * receives 1..MAXBATCH upcalls (dpif_recv:recv_upcall each), then for every
 * MISS upcall encodes a flow put and an execute
 * (dpif_netlink_operate__:op_flow_put, :op_flow_execute).  Every 5th
 * upcall is a DPIF_UC_ACTION one, which the tracer must filter out.
 * Packets (Ethernet/IPv4/UDP, 42..1497 bytes) and flow keys (netlink
 * attributes, OVS_KEY_ATTR_IN_PORT = 3) are deterministic.
 *
 *   usdt_fire [-t THREADS] [-b BATCHES] [-n MAXBATCH] [-P BYTES] [-f BYTES]
 *             [-g GOFILE] [-o TRUTH] [-S] [-R UPCALLS_PER_S] [-x HOLDFILE]
 *     Waits until GOFILE exists (the tracer is attached), fires, and writes
 *     to TRUTH one line per event a tracer must capture (with -P/-f as
 *     capture sizes), grouped by thread, in firing order:
 *       TYPE TID COMM PKT_SIZE KEY_SIZE PKT_CAP KEY_CAP PKT_HASH KEY_HASH DPIF
 *     (hashes: FNV-1a 64 of the captured bytes; DPIF "-" when empty).
 *     -S prints "fired=N seconds=S rate=R" (events a tracer must capture);
 *     -R paces each thread to that many upcalls per second; -x keeps the
 *     process (and so a tracer attached to it) alive after firing, until
 *     HOLDFILE exists.
 *   usdt_fire -c COUNT [-t THREADS] [-g GOFILE]
 *     Benchmark: each thread fires COUNT recv_upcall probes of a 64-byte
 *     packet back to back; prints "probes=N ns_per_probe=X rate=Y".
 */
#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sdt.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define DPIF_UC_MISS 0
#define DPIF_UC_ACTION 1
#define OVS_KEY_ATTR_PRIORITY 2
#define OVS_KEY_ATTR_IN_PORT 3
#define OVS_KEY_ATTR_ETHERNET 4
#define OVS_KEY_ATTR_ETHERTYPE 6
#define OVS_KEY_ATTR_IPV4 7
#define OVS_KEY_ATTR_UDP 10
#define OVS_KEY_ATTR_DP_HASH 19
#define OVS_KEY_ATTR_RECIRC_ID 20

#define MAX_PKT 1600
#define MAX_KEY 128

struct params {
	int threads, batches, max_batch;
	unsigned pkt_cap, key_cap;
	long count;                  /* bench mode when > 0 */
	bool stats;                  /* -S */
	double pace;                 /* -R: upcalls/s per thread, 0 = flat out */
};

struct worker {
	const struct params *p;
	int index;                   /* 1-based: handlerN */
	pthread_barrier_t *start;
	char *truth;                 /* this thread's truth lines */
	size_t truth_len, truth_size;
	double elapsed_ns;
};

/* Mimics struct dpif's full_name and the op structures passed by pointer. */
static char full_name[] = "system@ovs-system";
static char dummy_dpif[64], dummy_op[128], dummy_flow[128], dummy_request[64];

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static uint16_t ip_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The packet of upcall SEQ of thread T: returns its length. */
static uint32_t make_packet(uint8_t *pkt, int t, uint32_t seq)
{
	uint32_t len = 42 + (uint32_t)(t * 131 + seq * 37) % 1456;
	uint8_t *ip = pkt + 14, *udp = ip + 20;

	memset(pkt, 0, len);
	memcpy(pkt, (uint8_t[]){ 2, 0, 0, 0, 0, (uint8_t)t }, 6);
	memcpy(pkt + 6, (uint8_t[]){ 2, 0, 0, 1, (uint8_t)(seq >> 8), (uint8_t)seq }, 6);
	pkt[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((len - 14) >> 8), ip[3] = (uint8_t)(len - 14);
	ip[8] = 64, ip[9] = 17;
	memcpy(ip + 12, (uint8_t[]){ 10, (uint8_t)t, (uint8_t)(seq >> 8), (uint8_t)seq,
				     10, 0, 0, 1 }, 8);
	uint16_t c = ip_csum(ip, 20);

	ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
	udp[0] = 0x30, udp[1] = (uint8_t)seq;
	udp[2] = 0x17, udp[3] = 0xc1;
	udp[4] = (uint8_t)((len - 34) >> 8), udp[5] = (uint8_t)(len - 34);
	for (uint32_t i = 42; i < len; i++)
		pkt[i] = (uint8_t)(t * 7 + seq * 13 + i);
	return len;
}

static size_t put_attr(uint8_t *key, size_t off, uint16_t type,
		       const void *data, uint16_t len)
{
	uint16_t nla_len = 4 + len;

	memcpy(key + off, &nla_len, 2);
	memcpy(key + off + 2, &type, 2);
	memcpy(key + off + 4, data, len);
	memset(key + off + 4 + len, 0, ((nla_len + 3u) & ~3u) - nla_len);
	return off + ((nla_len + 3u) & ~3u);
}

/* The flow key the kernel would send for that packet (80 bytes). */
static size_t make_key(uint8_t *key, const uint8_t *pkt, uint32_t seq)
{
	uint32_t zero = 0, in_port = 3;
	uint16_t eth_type = 0x0008;  /* htons(0x0800) */
	uint8_t ipv4[12], udp[4];
	size_t off = 0;

	memcpy(ipv4, pkt + 26, 8);   /* src, dst */
	ipv4[8] = 17, ipv4[9] = 0, ipv4[10] = 64, ipv4[11] = 0;
	memcpy(udp, pkt + 34, 4);
	off = put_attr(key, off, OVS_KEY_ATTR_RECIRC_ID, &zero, 4);
	off = put_attr(key, off, OVS_KEY_ATTR_DP_HASH, &seq, 4);
	off = put_attr(key, off, OVS_KEY_ATTR_PRIORITY, &zero, 4);
	off = put_attr(key, off, OVS_KEY_ATTR_IN_PORT, &in_port, 4);
	off = put_attr(key, off, OVS_KEY_ATTR_ETHERNET, pkt, 12);
	off = put_attr(key, off, OVS_KEY_ATTR_ETHERTYPE, &eth_type, 2);
	off = put_attr(key, off, OVS_KEY_ATTR_IPV4, ipv4, 12);
	off = put_attr(key, off, OVS_KEY_ATTR_UDP, udp, 4);
	return off;
}

static void truth_line(struct worker *w, int type, const char *comm,
		       uint32_t pkt_size, uint64_t key_size,
		       const uint8_t *pkt, const uint8_t *key, const char *dpif)
{
	uint32_t pc = pkt_size < w->p->pkt_cap ? pkt_size : w->p->pkt_cap;
	uint32_t kc = key_size < w->p->key_cap ? (uint32_t)key_size : w->p->key_cap;

	if (w->truth_size - w->truth_len < 256) {
		w->truth_size = w->truth_size ? w->truth_size * 2 : 65536;
		w->truth = realloc(w->truth, w->truth_size);
		if (!w->truth)
			abort();
	}
	w->truth_len += snprintf(w->truth + w->truth_len, w->truth_size - w->truth_len,
				 "%d %ld %s %u %llu %u %u %016llx %016llx %s\n",
				 type, (long)syscall(SYS_gettid), comm, pkt_size,
				 (unsigned long long)key_size, pc, kc,
				 (unsigned long long)fnv1a(pkt, pc),
				 (unsigned long long)fnv1a(key, kc), dpif);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	char comm[16];
	static uint8_t empty[1];
	uint8_t (*pkts)[MAX_PKT] = malloc(64 * sizeof(*pkts));
	uint8_t (*keys)[MAX_KEY] = malloc(64 * sizeof(*keys));
	uint32_t lens[64], seq = 0;
	size_t key_lens[64];
	int types[64];

	if (!pkts || !keys)
		abort();
	snprintf(comm, sizeof(comm), "handler%d", w->index);
	pthread_setname_np(pthread_self(), comm);
	pthread_barrier_wait(w->start);

	if (w->p->count > 0) {
		uint32_t len = make_packet(pkts[0], w->index, 0);
		size_t klen = make_key(keys[0], pkts[0], 0);
		void *pkt = pkts[0], *key = keys[0];
		int type = DPIF_UC_MISS;
		double t0 = now_ns();

		len = 64;
		for (long i = 0; i < w->p->count; i++)
			DTRACE_PROBE6(dpif_recv, recv_upcall, full_name, type, pkt,
				      len, key, klen);
		w->elapsed_ns = now_ns() - t0;
		goto out;
	}

	double t0 = now_ns();

	for (int b = 0; b < w->p->batches; b++) {
		int n = 1 + (w->index * 5 + b * 7) % w->p->max_batch;

		/* Receive phase: R1..Rn. */
		for (int i = 0; i < n; i++, seq++) {
			char *name = full_name;
			void *pkt = pkts[i], *key = keys[i];
			uint32_t len;
			size_t klen;
			int type;

			lens[i] = len = make_packet(pkts[i], w->index, seq);
			key_lens[i] = klen = make_key(keys[i], pkts[i], seq);
			types[i] = type = seq % 5 == 4 ? DPIF_UC_ACTION : DPIF_UC_MISS;
			DTRACE_PROBE6(dpif_recv, recv_upcall, name, type, pkt, len,
				      key, klen);
			if (type == DPIF_UC_MISS)
				truth_line(w, 0, comm, len, klen, pkts[i], keys[i], full_name);
		}
		/* Operate phase: per MISS upcall a put then an execute. */
		for (int i = 0; i < n; i++) {
			void *dpif = dummy_dpif, *op = dummy_op, *flow = dummy_flow;
			void *req = dummy_request, *pkt = pkts[i];
			uint32_t len = lens[i];

			if (types[i] != DPIF_UC_MISS)
				continue;
			DTRACE_PROBE4(dpif_netlink_operate__, op_flow_put, dpif, op,
				      flow, req);
			truth_line(w, 2, comm, 0, 0, empty, empty, "-");
			DTRACE_PROBE5(dpif_netlink_operate__, op_flow_execute, dpif,
				      op, pkt, len, req);
			truth_line(w, 3, comm, len, 0, pkts[i], empty, "-");
		}
		(void)key_lens;
		if (w->p->pace > 0) {
			/* Sleep until this batch's slot in the paced schedule. */
			double due = t0 + seq * 1e9 / w->p->pace;
			struct timespec ts = { (time_t)(due / 1e9),
					       (long)(due - (time_t)(due / 1e9) * 1e9) };

			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		}
	}
	w->elapsed_ns = now_ns() - t0;
out:
	free(pkts);
	free(keys);
	return NULL;
}

int main(int argc, char **argv)
{
	struct params p = { .threads = 4, .batches = 50, .max_batch = 64,
			    .pkt_cap = 256, .key_cap = 64 };
	const char *go = NULL, *truth = NULL, *hold = NULL;
	pthread_barrier_t start;
	int opt;

	while ((opt = getopt(argc, argv, "t:b:n:P:f:g:o:c:SR:x:")) != -1) {
		switch (opt) {
		case 't': p.threads = atoi(optarg); break;
		case 'b': p.batches = atoi(optarg); break;
		case 'n': p.max_batch = atoi(optarg); break;
		case 'P': p.pkt_cap = (unsigned)atoi(optarg); break;
		case 'f': p.key_cap = (unsigned)atoi(optarg); break;
		case 'g': go = optarg; break;
		case 'o': truth = optarg; break;
		case 'c': p.count = atol(optarg); break;
		case 'S': p.stats = true; break;
		case 'R': p.pace = atof(optarg); break;
		case 'x': hold = optarg; break;
		default:
			fprintf(stderr, "usage: see the comment at the top of usdt_fire.c\n");
			return 2;
		}
	}
	if (p.threads < 1 || p.threads > 64 || p.max_batch < 1 || p.max_batch > 64) {
		fprintf(stderr, "usdt_fire: -t 1..64, -n 1..64\n");
		return 2;
	}
	/* Wait for the tracer: it touches GOFILE once attached. */
	while (go && access(go, F_OK))
		usleep(2000);

	struct worker w[64];
	pthread_t th[64];
	double total_ns = 0;

	memset(w, 0, sizeof(w));
	pthread_barrier_init(&start, NULL, (unsigned)p.threads);
	for (int i = 0; i < p.threads; i++) {
		w[i] = (struct worker){ .p = &p, .index = i + 1, .start = &start };
		if (pthread_create(&th[i], NULL, run, &w[i]))
			abort();
	}
	for (int i = 0; i < p.threads; i++) {
		pthread_join(th[i], NULL);
		total_ns += w[i].elapsed_ns;
	}
	if (p.count > 0) {
		double probes = (double)p.count * p.threads;
		double wall = 0;

		for (int i = 0; i < p.threads; i++)
			wall = w[i].elapsed_ns > wall ? w[i].elapsed_ns : wall;
		printf("probes=%.0f ns_per_probe=%.1f rate=%.0f\n", probes,
		       total_ns / probes, probes / (wall / 1e9));
		return 0;
	}
	if (p.stats) {
		size_t lines = 0;
		double wall = 0;

		for (int i = 0; i < p.threads; i++) {
			for (size_t k = 0; k < w[i].truth_len; k++)
				lines += w[i].truth[k] == '\n';
			wall = w[i].elapsed_ns > wall ? w[i].elapsed_ns : wall;
		}
		printf("fired=%zu seconds=%.3f rate=%.0f\n", lines, wall / 1e9,
		       lines / (wall / 1e9));
		fflush(stdout);
	}
	while (hold && access(hold, F_OK))
		usleep(2000);
	if (truth) {
		FILE *f = fopen(truth, "w");

		if (!f) {
			fprintf(stderr, "usdt_fire: %s: %s\n", truth, strerror(errno));
			return 1;
		}
		for (int i = 0; i < p.threads; i++)
			fwrite(w[i].truth, 1, w[i].truth_len, f);
		if (fclose(f))
			return 1;
	}
	for (int i = 0; i < p.threads; i++)
		free(w[i].truth);
	return 0;
}
