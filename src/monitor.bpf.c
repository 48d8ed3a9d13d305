// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * monitor.bpf.c - monitor mode: upcall_cost's correlation done in BPF, so
 * that only histograms and counters leave the kernel (loaded through the
 * monitor_bpf skeleton by monitor_bpf.c).
 *
 *   tp/openvswitch/ovs_dp_upcall, or (before Linux 5.14) kprobe/ovs_dp_upcall
 *                                     a kernel MISS upcall: its time goes
 *                                     into map inflight under a key made
 *                                     from the packet
 *   fexit|kretprobe ovs_dp_upcall     the kernel's result: an error means
 *                                     the upcall is lost (slot released)
 *   usdt dpif_recv:recv_upcall        hashes the same bytes, takes the
 *                                     kernel time from inflight, opens or
 *                                     extends the handler thread's batch
 *   usdt ...:op_flow_put, op_flow_execute
 *                                     follow the batch as batcher.c's
 *                                     batcher does
 *   fentry|kprobe ovs_packet_cmd_execute
 *                                     hashes the executed packet, pairs it
 *                                     with the next execute of the thread's
 *                                     batch (first in, first out, as the
 *                                     batcher) and checks it is the same
 *                                     packet: the upcall is complete
 *
 * The packet key is (datapath port, length, hash of the first
 * min(length, hash_bytes) bytes with the TCP/UDP checksum zeroed): the
 * offline matching's rule (matcher.c), whose checksum exception exists
 * because the kernel completes the checksum after the tracepoint.  A
 * second, independent hash (the check) tells hash collisions apart, and
 * identical packets in flight at once each get a slot, paired first in,
 * first out as the offline matching pairs them; both are counted.
 *
 * Which hook serves each kernel point is chosen in user space by probing
 * the kernel (monitor_bpf.c's family, capture_variant.c), as for the full
 * trace; the programs not chosen are never loaded.
 *
 * Every latency is recorded when its two ends are known, into per-CPU
 * log-linear histograms per segment (upcall_cost.h) and per breakdown
 * label (datapath port, handler thread).  Segments follow metrics.c: the
 * segments that involve the kernel count the upcalls whose kernel upcall
 * was found (the matched sets offline); lookup and put->execute count
 * every receive (the matched sets and the lone receives).  The counts of
 * what upcalls lack (no put, no execute, no kernel execute) are of the
 * matched ones, as the offline accounting's; with the user probes alone,
 * of every receive.
 */
#include "monitor_kernel.bpf.h"

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/usdt.bpf.h>

#include "skb_vlan.bpf.h"
#include "upcall_cost.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define PKT_BUF UC_CAPTURE_MAX        /* hash_bytes <= this */
#define KEY_BUF 512                   /* flow key bytes searched for IN_PORT */
#define KEY_FIRST_DEFAULT 32          /* read first: IN_PORT is the 4th
					 * attribute (bytes 24-31) without
					 * a tunnel */
#define KQ 16                         /* kernel executes waiting for a pair */
#define NO_PORT 0xffffffffu           /* the packet came from no port */
#define MAC_LEN 12                    /* Ethernet addresses */
#define PRE_LEN (MAC_LEN + 4)         /* and a VLAN tag */
#define UNKNOWN_PORT 0xfffffffeu      /* not in dev_port */

/*
 * Sizes the programs compare with: set by user space before load, but in
 * .data, not .rodata, so that the verifier does not know them.  A known
 * constant on one side of a comparison lets the 6.1 verifier derive
 * impossible bounds on a path it cannot rule out, and then refuse memory
 * accesses on it.
 */
__u32 hash_bytes = UC_MON_DEFAULT_HASH_BYTES;
__u32 key_first = KEY_FIRST_DEFAULT;
__u32 key_max = KEY_BUF;

/* Set by user space before load (frozen: constants to the verifier). */
const volatile bool track_kernel = true;   /* the kernel probes are on */
const volatile __u32 port_cap = 16;
const volatile __u32 handler_cap = 16;
/* Tests narrow it to make hash collisions happen. */
const volatile __u64 key_hash_mask = ~0ULL;
/* BPF_FETCH atomics (Linux 5.12): without them, slots are claimed with
 * plain stores, which two CPUs could race on. */
const volatile bool has_atomics = true;
/* Tests: every latency also goes to audit_rb. */
const volatile bool audit = false;

/*
 * Offsets of the fields of the ovs_dp_upcall tracepoint record, from
 * tracefs (capture_tracefs.c), so that no layout is assumed and no module
 * BTF needed; keyaddr is read when the record has it.  __data_loc fields
 * hold (length << 16 | offset-in-record) of a string.
 */
const volatile __u32 tp_off_dev_name = 0;    /* __data_loc char[] dev_name */
const volatile __u32 tp_off_skbaddr = 0;     /* void *skbaddr */
const volatile __u32 tp_off_len = 0;         /* unsigned int len */
const volatile __u32 tp_off_upcall_cmd = 0;  /* u8 upcall_cmd */
const volatile __u32 tp_off_keyaddr = 0;     /* const void *keyaddr */
const volatile bool tp_has_keyaddr = false;

/* Segment numbers: enum uc_metric_id of metrics.h. */
enum {
	SEG_KERNEL_TO_VSWITCHD, SEG_VSWITCHD_TO_KERNEL, SEG_OVERHEAD,
	SEG_TOTAL, SEG_LOOKUP, SEG_PUT_TO_EXECUTE,
};

/* ------------------------------------------------------------------ maps */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, UC_MC_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, UC_MON_SEGMENTS);
	__type(key, __u32);
	__type(value, struct uc_mon_hist);
} seg_hist SEC(".maps");

/* Resized to UC_MON_SEGMENTS * labels before load. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, UC_MON_SEGMENTS * 34);
	__type(key, __u32);
	__type(value, struct uc_mon_label_hist);
} label_hist SEC(".maps");

/* Receives per label slot; resized to the number of labels. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 34);
	__type(key, __u32);
	__type(value, __u64);
} label_recv SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct uc_mon_label_key);
	__type(value, __u32);
} label_slot SEC(".maps");

struct owner_key {
	__u32 kind, slot;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * UC_MON_MAX_LABEL_CAP);
	__type(key, struct owner_key);
	__type(value, struct uc_mon_label_key);
} slot_owner SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, UC_MON_MAX_BATCH + 1);
	__type(key, __u32);
	__type(value, __u64);
} batch_sizes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, UC_MON_ERRNO_MAX);
	__type(key, __u32);
	__type(value, __u64);
} upcall_errors SEC(".maps");

/*
 * Resized before load.  A plain hash, not an LRU one: when it is full a new
 * upcall is refused and counted (UC_MC_INFLIGHT_MAP_FULL), where an LRU map
 * would silently evict one in flight; user space expires the entries that
 * nobody received for too long.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct uc_mon_inflight_key);
	__type(value, struct uc_mon_inflight);
} inflight SEC(".maps");

/* Resized when auditing (tests); one page otherwise. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} audit_rb SEC(".maps");

/* Without the openvswitch module's BTF: device name -> datapath port,
 * filled by user space from dpctl/show. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, char[UC_DEV_NAME_LEN]);
	__type(value, __u32);
} dev_port SEC(".maps");

/* ----------------------------------------------------- handler threads */

#define M_PUT 1
#define M_EXEC 2
#define M_FINAL 4       /* its put and execute can change no more */
#define M_KEXEC 8
#define M_MATCHED 16    /* its kernel upcall was found: dp_ts is valid */

/* One received upcall of a batch. */
struct member {
	__u64 dp_ts, recv_ts, put_ts, exec_ts;
	__u64 hash;
	__u32 len;
	__u16 port_slot;
	__u8 flags;
	__u8 pad;
};

/* A kernel execute not yet paired with an execute. */
struct kexec {
	__u64 ts, hash;
	__u32 len;
	__u32 known;    /* its packet could be hashed */
};

/*
 * batcher.c's struct thread_state: the open batch of one handler
 * thread.  Only that thread's own probes touch it (ovs_packet_cmd_execute
 * runs in the handler's sendmsg), so it needs no locking.
 */
struct thread {
	__u32 n_batch;
	__u32 collecting;     /* the member being filled */
	__u32 pair_pos;       /* the next member a kernel execute may take */
	__u32 kq_head, kq_tail;
	/* Members that count (see counted()): all, final, with a kernel
	 * execute, so that closing a batch needs no loop. */
	__u32 n_counted, n_counted_final, n_counted_kexec;
	__u16 handler_slot;
	__u8 batching, has_put, has_exec;
	__u8 last_port_known;
	__u16 last_port_slot;   /* the label slot of last_port */
	__u32 last_port;        /* a handler's packets mostly share a port */
	struct member m[UC_MON_MAX_BATCH];
	struct kexec kq[KQ];
};

/* Sized to the machine before load; user space removes exited threads. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct thread);
} threads SEC(".maps");

/* All zeros: the initial value of a thread's state (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct thread);
} zero_thread SEC(".maps");

/* --------------------------------------------------------- per-CPU state */

/* The kernel upcall between the tracepoint and ovs_dp_upcall's return,
 * which run on one CPU with bottom halves off (no other upcall between). */
struct pending {
	struct uc_mon_inflight_key key;
	__u64 ts;
	__u32 slot;
	__u8 miss, tracked;
	__u8 pad[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pending);
} pending SEC(".maps");

/*
 * Packet and key bytes are parsed at variable offsets, which Linux 5.10
 * allows in map values but not on the stack, hence this buffer.  Uprobe,
 * kprobe and tracepoint programs never interleave on a CPU (bpf_prog_active),
 * but an fentry program is preemptible and can be interrupted, so the
 * buffer has a busy flag; an event that finds it taken is counted.
 */
struct scratch {
	__u32 busy;
	__u32 check;          /* mon_identify()'s results */
	__u64 hash;
	__u8 pkt[PKT_BUF];
	__u8 key[KEY_BUF];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

/* ------------------------------------------------------------- helpers */

/*
 * The heavy parts are global functions (not static, not inlined): the
 * verifier checks each once, with scalar arguments (Linux 5.6), instead
 * of once per call site and path, which their loops would make too many.
 * Those working on a handler's batch find it by the current thread.
 */
#define GLOBAL __attribute__((noinline))

static __always_inline void count_n(__u32 c, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &c);

	/* Atomic: an fentry program can be interrupted on its CPU. */
	if (v)
		__sync_fetch_and_add(v, n);
}

static __always_inline void count(__u32 c)
{
	count_n(c, 1);
}

static __always_inline void add_u64(void *map, __u32 key)
{
	__u64 *v = bpf_map_lookup_elem(map, &key);

	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline __u32 n_labels(void)
{
	return port_cap + 1 + handler_cap + 1;
}

static __always_inline struct scratch *scratch_get(void)
{
	__u32 zero = 0;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);

	if (!s)
		return NULL;
	if (s->busy) {
		count(UC_MC_SCRATCH_BUSY);
		return NULL;
	}
	s->busy = 1;
	return s;
}

static __always_inline void scratch_put(struct scratch *s)
{
	s->busy = 0;
}

/* -------------------------------------------------------------- hashing */

struct pkt_id {
	__u64 hash;
	__u32 check;
	__u32 len;
};

static __always_inline __u32 byte_at(const __u8 *p, __u32 off)
{
	return p[off & (PKT_BUF - 1)];
}

static __always_inline __u32 be16_at(const __u8 *p, __u32 off)
{
	return byte_at(p, off) << 8 | byte_at(p, off + 1);
}

#define NO_OFFSET 0xffffffffu

/*
 * Offset of the TCP/UDP checksum in the first N bytes of the Ethernet
 * frame at P, or NO_OFFSET: packet.c's uc_packet_l4_csum_offset(), within
 * the verifier's bounds (at most 4 VLAN tags, 8 IPv6 extension headers).
 */
static __always_inline __u32 l4_csum_offset(const __u8 *p, __u32 n)
{
	__u32 off = 14, l4, type, proto;

	if (n < 14)
		return NO_OFFSET;
	type = be16_at(p, 12);
	for (int i = 0; i < 4; i++) {
		if ((type != 0x8100 && type != 0x88a8) || off + 4 > n)
			break;
		type = be16_at(p, off + 2);
		off += 4;
	}
	if (type == 0x0800) {
		__u32 ihl;

		if (off + 20 > n)
			return NO_OFFSET;
		ihl = (byte_at(p, off) & 0x0f) * 4;
		proto = byte_at(p, off + 9);
		if (ihl < 20 || (be16_at(p, off + 6) & 0x1fff))
			return NO_OFFSET;
		l4 = off + ihl;
	} else if (type == 0x86dd) {
		__u32 next;

		if (off + 40 > n)
			return NO_OFFSET;
		next = byte_at(p, off + 6);
		off += 40;
		for (int hops = 0; hops < 8; hops++) {
			if (off > PKT_BUF)
				return NO_OFFSET;
			if (next == 0 || next == 43 || next == 60) {
				if (off + 2 > n)
					return NO_OFFSET;
				next = byte_at(p, off);
				off += (byte_at(p, off + 1) + 1) * 8;
			} else if (next == 44) {
				if (off + 8 > n)
					return NO_OFFSET;
				next = byte_at(p, off);
				if (be16_at(p, off + 2) & 0xfff8)
					return NO_OFFSET;
				off += 8;
			} else {
				break;
			}
		}
		proto = next;
		l4 = off;
	} else {
		return NO_OFFSET;
	}
	if (l4 > 0xfff0)
		return NO_OFFSET;
	if (proto == 6)
		return l4 + 16;
	if (proto == 17)
		return l4 + 6;
	return NO_OFFSET;
}

static __always_inline __u64 fmix64(__u64 h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* l4_csum_offset() of the first N bytes in the scratch buffer: a function
 * of its own, so that its many paths reach the hashing as one. */
GLOBAL __u32 mon_csum_offset(__u32 n)
{
	__u32 zero = 0;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);

	return s ? l4_csum_offset(s->pkt, n) : NO_OFFSET;
}

/* mon_identify()'s VLAN argument: a tag to put back after the Ethernet
 * addresses (its 4 bytes as in the packet, in the low 32 bits). */
#define TAGGED (1ULL << 32)

/*
 * Reads the first N bytes of the packet at SRC (user or kernel memory)
 * into the scratch buffer; with VLAN & TAGGED, SRC lacks the tag: the
 * Ethernet addresses, the tag, then SRC's bytes after the addresses.
 */
static __always_inline long read_pkt(struct scratch *s, __u64 src, __u64 n,
				     int user, __u64 vlan)
{
	__u64 first = n, rest = 0;
	long rc;

	if (vlan & TAGGED) {
		if (n < PRE_LEN)
			return -1;
		first = MAC_LEN;
		rest = n - PRE_LEN;
		asm volatile("%0 &= 0x7ff" : "+r"(rest));   /* < PKT_BUF - PRE_LEN */
		if (rest > PKT_BUF - PRE_LEN)
			return -1;
	}
	if (first > PKT_BUF)
		return -1;
	rc = user ? bpf_probe_read_user(s->pkt, first, (const void *)src) :
		    bpf_probe_read_kernel(s->pkt, first, (const void *)src);
	if (rc || !(vlan & TAGGED))
		return rc;
	*(__u32 *)(s->pkt + MAC_LEN) = (__u32)vlan;
	return user ? bpf_probe_read_user(s->pkt + PRE_LEN, rest, (const void *)src + MAC_LEN) :
		      bpf_probe_read_kernel(s->pkt + PRE_LEN, rest, (const void *)src + MAC_LEN);
}

/*
 * Identifies the packet of LEN bytes (as vswitchd sees it: with its VLAN
 * tag, see read_pkt) at SRC: two independent hashes of its first
 * min(LEN, hash_bytes) bytes with the L4 checksum zeroed, left in the
 * scratch buffer (which the caller holds).  Returns 0, or -1 when the
 * bytes cannot be read.
 */
GLOBAL int mon_identify(__u64 src, __u32 len, int user, __u64 vlan)
{
	__u32 zero = 0, off, words;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	__u64 n = len < hash_bytes ? len : hash_bytes;
	__u64 h = 0x5bd1e9955bd1e995ULL, c = 0x27d4eb2f165667c5ULL;

	if (!s)
		return -1;
	if (n > PKT_BUF)
		n = PKT_BUF;
	if (n && read_pkt(s, src, n, user, vlan))
		return -1;
	off = mon_csum_offset(n);
	if (off < n)
		s->pkt[off & (PKT_BUF - 1)] = 0;
	if (off + 1 < n)
		s->pkt[(off + 1) & (PKT_BUF - 1)] = 0;
	/* Bytes past N are stale: zeroed up to the word's end, so that the
	 * loop below has no special last word. */
	if (n & 7) {
		__u64 *last = (__u64 *)(s->pkt + ((n & ~7ULL) & (PKT_BUF - 8)));

		*last &= (1ULL << ((n & 7) * 8)) - 1;
	}
	words = (__u32)(n + 7) / 8;
	for (__u32 i = 0; i < PKT_BUF / 8; i++) {
		__u64 w;

		if (i >= words)
			break;
		w = *(__u64 *)(s->pkt + ((i * 8) & (PKT_BUF - 8)));
		/* Two lanes of different structure (each step a bijection of
		 * the lane), mixed at the end: few instructions per word. */
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		c = (c + w) * 0xc2b2ae3d27d4eb4fULL;
	}
	s->hash = fmix64(h ^ n);
	s->check = (__u32)(fmix64(c ^ (n << 32)) >> 32);
	return 0;
}

/* mon_identify() with the scratch buffer taken and given back. */
static __always_inline int pkt_identify(const void *src, __u32 len, bool user,
					__u64 vlan, struct pkt_id *id)
{
	struct scratch *s = scratch_get();
	int rc;

	if (!s)
		return -1;
	rc = mon_identify((__u64)src, len, user, vlan);
	id->hash = s->hash;
	id->check = s->check;
	id->len = len;
	scratch_put(s);
	return rc;
}

/*
 * The datapath port in a vswitchd flow key (OVS_KEY_ATTR_IN_PORT), or
 * NO_PORT.  The first KEY_FIRST bytes hold it unless a tunnel attribute
 * comes first; then up to KEY_BUF bytes are read.
 */
GLOBAL __u32 mon_key_in_port(__u64 key, __u64 key_len)
{
	__u32 zero = 0;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);

	if (!s)
		return NO_PORT;
	for (int pass = 0; pass < 2; pass++) {
		__u64 n = pass ? key_max : key_first;
		__u32 off = 0;
		bool more = false;

		if (n > key_len)
			n = key_len;
		if (n > KEY_BUF)
			n = KEY_BUF;
		if (n < 8 || bpf_probe_read_user(s->key, n, (const void *)key))
			return NO_PORT;
		for (int i = 0; i < 32; i++) {
			__u32 nla_len, nla_type;

			if (off + 4 > n) {
				more = true;
				break;
			}
			nla_len = *(__u16 *)(s->key + (off & (KEY_BUF - 4)));
			nla_type = *(__u16 *)(s->key + ((off + 2) & (KEY_BUF - 2)));
			if (nla_len < 4)
				return NO_PORT;
			if (nla_type == 3) {   /* OVS_KEY_ATTR_IN_PORT */
				if (nla_len != 8)
					return NO_PORT;
				if (off + 8 > n) {
					more = true;
					break;
				}
				return *(__u32 *)(s->key + ((off + 4) & (KEY_BUF - 4)));
			}
			off += (nla_len + 3) & ~3u;
		}
		/* Not in what was read: read more only if there is more. */
		if (!more || n >= key_len)
			return NO_PORT;
	}
	return NO_PORT;
}

/* ------------------------------------------------------------ recording */

/* A latency of V ns in segment SEG, overall and for both labels, of the
 * upcall received at RECV_TS. */
GLOBAL int mon_record(__u32 seg, __s64 v, __u32 port_slot, __u32 handler_slot,
		      __u64 recv_ts)
{
	struct uc_mon_hist *h;
	struct uc_mon_label_hist *lh;
	__u32 b, key;

	if (seg >= UC_MON_SEGMENTS)
		return 0;
	if (audit) {
		struct uc_mon_audit a = {
			.recv_ts = recv_ts, .value_ns = v, .seg = seg,
			.tid = (__u32)bpf_get_current_pid_tgid(),
		};

		/* No wakeup (an IPI would delay the probe): user space
		 * drains the ring every interval. */
		if (bpf_ringbuf_output(&audit_rb, &a, sizeof(a), BPF_RB_NO_WAKEUP))
			count(UC_MC_AUDIT_LOST);
	}
	if (v < 0) {
		count(UC_MC_NEGATIVE);
		v = 0;
	}
	b = uc_mon_bucket((__u64)v);
	if (b >= UC_MON_BUCKETS)
		b = UC_MON_OVERFLOW;
	h = bpf_map_lookup_elem(&seg_hist, &seg);
	if (h) {
		__sync_fetch_and_add(&h->b[b], 1);
		__sync_fetch_and_add(&h->sum_ns, (__u64)v);
	}
	key = seg * n_labels() + port_slot;
	lh = bpf_map_lookup_elem(&label_hist, &key);
	if (lh) {
		__sync_fetch_and_add(&lh->b[b], 1);
		__sync_fetch_and_add(&lh->sum_ns, (__u64)v);
	}
	key = seg * n_labels() + handler_slot;
	lh = bpf_map_lookup_elem(&label_hist, &key);
	if (lh) {
		__sync_fetch_and_add(&lh->b[b], 1);
		__sync_fetch_and_add(&lh->sum_ns, (__u64)v);
	}
	return 0;
}

/* ---------------------------------------------------------------- labels */

_Static_assert(sizeof(struct uc_mon_label_key) == 24, "label key size");

static __always_inline bool same_label(const struct uc_mon_label_key *a,
				       const struct uc_mon_label_key *b)
{
	return a->kind == b->kind && a->id == b->id &&
	       *(const __u64 *)a->name == *(const __u64 *)b->name &&
	       *(const __u64 *)(a->name + 8) == *(const __u64 *)(b->name + 8);
}

/*
 * The slot of a label (KIND, ID, and the name in NAME0/NAME1): its own
 * while there are free ones, first come, first served, else the kind's
 * "other" slot.  A slot is claimed by inserting into slot_owner, which
 * only one CPU can win.
 */
GLOBAL int mon_label_slot(__u32 kind, __u32 id, __u64 name0, __u64 name1)
{
	struct uc_mon_label_key k = { .kind = kind, .id = id };
	__u32 cap = kind == UC_MON_LABEL_HANDLER ? handler_cap : port_cap;
	__u32 base = kind == UC_MON_LABEL_HANDLER ? port_cap + 1 : 0;
	__u32 slot = base + cap, *found;

	*(__u64 *)k.name = name0;
	*(__u64 *)(k.name + 8) = name1;
	found = bpf_map_lookup_elem(&label_slot, &k);
	if (found)
		return *found;
	for (__u32 i = 0; i < UC_MON_MAX_LABEL_CAP; i++) {
		struct owner_key ok = { kind, i };
		struct uc_mon_label_key *owner;

		if (i >= cap)
			break;
		if (!bpf_map_update_elem(&slot_owner, &ok, &k, BPF_NOEXIST)) {
			slot = base + i;
			break;
		}
		owner = bpf_map_lookup_elem(&slot_owner, &ok);
		if (owner && same_label(owner, &k)) {
			slot = base + i;
			break;
		}
	}
	/* Remembered also for "other", so the search is made once. */
	bpf_map_update_elem(&label_slot, &k, &slot, BPF_ANY);
	return slot;
}

/* -------------------------------------------------------- in-flight map */

static __always_inline __u64 claim_ts(__u64 *slot, __u64 ts)
{
	if (has_atomics)
		return __sync_val_compare_and_swap(slot, 0, ts);
	if (*slot)
		return *slot;
	*slot = ts;
	return 0;
}

static __always_inline __u64 take_ts(__u64 *slot)
{
	__u64 ts;

	if (has_atomics)
		return __sync_lock_test_and_set(slot, 0);
	ts = *slot;
	*slot = 0;
	return ts;
}

static __always_inline bool all_free(const struct uc_mon_inflight *v)
{
	return !v->ts[0] && !v->ts[1] && !v->ts[2] && !v->ts[3];
}

/* Stores a kernel upcall's time; returns its slot, or -1. */
static __always_inline int inflight_put(const struct uc_mon_inflight_key *key,
					__u32 check, __u64 ts)
{
	struct uc_mon_inflight init = { .ts = { ts }, .check = { check } };
	struct uc_mon_inflight *v = bpf_map_lookup_elem(&inflight, key);
	bool identical = false, collision = false;

	if (!v) {
		if (!bpf_map_update_elem(&inflight, key, &init, BPF_NOEXIST)) {
			count(UC_MC_INFLIGHT_INSERTED);
			return 0;
		}
		/* The map is full, or another CPU inserted the key just now. */
		v = bpf_map_lookup_elem(&inflight, key);
		if (!v) {
			count(UC_MC_INFLIGHT_MAP_FULL);
			return -1;
		}
	}
	for (int i = 0; i < UC_MON_SLOTS; i++) {
		if (!v->ts[i])
			continue;
		if (v->check[i] == check)
			identical = true;
		else
			collision = true;
	}
	if (identical)
		count(UC_MC_INFLIGHT_IDENTICAL);
	if (collision)
		count(UC_MC_INFLIGHT_COLLISION);
	for (int i = 0; i < UC_MON_SLOTS; i++) {
		if (claim_ts(&v->ts[i], ts))
			continue;
		v->check[i] = check;
		count(UC_MC_INFLIGHT_INSERTED);
		return i;
	}
	count(UC_MC_INFLIGHT_FULL);
	return -1;
}

/* Takes the oldest kernel upcall of this packet; 0 when there is none. */
static __always_inline __u64 inflight_take(const struct uc_mon_inflight_key *key,
					   __u32 check)
{
	struct uc_mon_inflight *v = bpf_map_lookup_elem(&inflight, key);
	int best = -1;
	__u64 best_ts = ~0ULL, ts;

	if (!v) {
		count(UC_MC_RECV_NOT_FOUND);
		return 0;
	}
	for (int i = 0; i < UC_MON_SLOTS; i++) {
		if (v->ts[i] && v->check[i] == check && v->ts[i] < best_ts) {
			best = i;
			best_ts = v->ts[i];
		}
	}
	if (best < 0) {
		count(UC_MC_RECV_COLLISION);
		return 0;
	}
	ts = take_ts(&v->ts[best & (UC_MON_SLOTS - 1)]);
	if (!ts) {
		count(UC_MC_RECV_NOT_FOUND);   /* taken by another CPU meanwhile */
		return 0;
	}
	if (all_free(v))
		bpf_map_delete_elem(&inflight, key);
	count(UC_MC_MATCHED);
	return ts;
}

/* ------------------------------------------------------------ batching */

static __always_inline struct thread *cur_thread(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	return bpf_map_lookup_elem(&threads, &tid);
}

static __always_inline bool counted(const struct member *m)
{
	return (m->flags & M_MATCHED) || !track_kernel;
}

/* Member POS's put and execute can change no more: its lookup and
 * put->execute are known, and what it lacks is counted (of the upcalls
 * that count, see counted()). */
GLOBAL int mon_finalize(__u32 pos)
{
	struct thread *t = cur_thread();
	struct member *m;

	if (!t)
		return 0;
	m = &t->m[pos & (UC_MON_MAX_BATCH - 1)];
	if (m->flags & M_FINAL)
		return 0;
	m->flags |= M_FINAL;
	if (counted(m)) {
		t->n_counted_final++;
		if (!(m->flags & M_PUT))
			count(UC_MC_SET_NO_PUT);
		if (!(m->flags & M_EXEC))
			count(UC_MC_SET_NO_EXECUTE);
	}
	/* The segments within vswitchd need no kernel upcall: every
	 * receive's count, as metrics.c counts the lone receives too. */
	if (!(m->flags & M_PUT))
		return 0;
	mon_record(SEG_LOOKUP, m->put_ts - m->recv_ts, m->port_slot, t->handler_slot,
		   m->recv_ts);
	if (m->flags & M_EXEC)
		mon_record(SEG_PUT_TO_EXECUTE, m->exec_ts - m->put_ts, m->port_slot,
			   t->handler_slot, m->recv_ts);
	return 0;
}

/* Members FROM..TO-1 made no put and no execute: final. */
GLOBAL int mon_skip(__u32 from, __u32 to)
{
	for (__u32 i = 0; i < UC_MON_MAX_BATCH; i++) {
		if (i < from)
			continue;
		if (i >= to)
			break;
		mon_finalize(i);
	}
	return 0;
}

/* Kernel execute KX completes member M (which has an execute). */
static __always_inline void pair(struct thread *t, struct member *m,
				 const struct kexec *kx)
{
	m->flags |= M_KEXEC;
	if (counted(m))
		t->n_counted_kexec++;
	/* (Why it is unknown was counted when it came.) */
	if (!kx->known)
		return;
	if (kx->hash != m->hash || kx->len != m->len) {
		/* The batcher's first-in first-out rule paired two different
		 * packets: counted, not recorded. */
		count(UC_MC_KEXEC_MISMATCH);
		return;
	}
	if (!counted(m))
		return;
	mon_record(SEG_VSWITCHD_TO_KERNEL, kx->ts - m->exec_ts, m->port_slot,
		   t->handler_slot, m->recv_ts);
	if (!(m->flags & M_MATCHED))
		return;
	mon_record(SEG_TOTAL, kx->ts - m->dp_ts, m->port_slot, t->handler_slot,
		   m->recv_ts);
	if (m->flags & M_PUT)
		mon_record(SEG_OVERHEAD, (kx->ts - m->dp_ts) - (m->put_ts - m->recv_ts),
			   m->port_slot, t->handler_slot, m->recv_ts);
}

/*
 * Gives the first waiting kernel execute to the next member with an
 * execute: batcher.c's flush_batch() hands them out in order to the
 * members that have one, and doing it as soon as a pair is possible gives
 * the same pairs.  Each execute and kernel execute makes at most one new
 * pair.  A member before `collecting` without an execute will never have
 * one; the member at `collecting` still may.
 */
GLOBAL int mon_pair(void)
{
	struct thread *t = cur_thread();
	struct member *m = NULL;

	if (!t || t->kq_head == t->kq_tail)
		return 0;
	for (int i = 0; i < UC_MON_MAX_BATCH; i++) {
		struct member *x;

		if (t->pair_pos >= t->n_batch)
			break;
		x = &t->m[t->pair_pos & (UC_MON_MAX_BATCH - 1)];
		if (x->flags & M_EXEC) {
			m = x;
			break;
		}
		if (t->pair_pos >= t->collecting)
			break;
		t->pair_pos++;
	}
	if (!m)
		return 0;
	pair(t, m, &t->kq[t->kq_head & (KQ - 1)]);
	t->kq_head++;
	t->pair_pos++;
	return 0;
}

/*
 * batcher.c's next_batch(): the batch is complete.  Members after
 * `collecting` were never reached: no put, no execute, no kernel execute.
 * Kernel executes still waiting have no execute to pair with.
 */
GLOBAL int mon_close_batch(void)
{
	struct thread *t = cur_thread();
	__u32 n, rest;

	if (!t)
		return 0;
	n = t->n_batch;
	if (n) {
		if (t->collecting < n)
			mon_finalize(t->collecting);
		rest = t->n_counted - t->n_counted_final;
		count_n(UC_MC_SET_NO_PUT, rest);
		count_n(UC_MC_SET_NO_EXECUTE, rest);
		if (track_kernel)
			count_n(UC_MC_SET_NO_KEXEC, t->n_counted - t->n_counted_kexec);
		if (t->kq_tail != t->kq_head)
			count_n(UC_MC_KEXEC_UNPAIRED, t->kq_tail - t->kq_head);
		add_u64(&batch_sizes, n <= UC_MON_MAX_BATCH ? n : UC_MON_MAX_BATCH);
		count(UC_MC_BATCHES);
	}
	t->n_batch = 0;
	t->collecting = 0;
	t->pair_pos = 0;
	t->kq_head = t->kq_tail = 0;
	t->n_counted = t->n_counted_final = t->n_counted_kexec = 0;
	t->batching = 1;
	t->has_put = t->has_exec = 0;
	return 0;
}

/* batcher.c's next_batch_set(): the member being filled is complete. */
GLOBAL int mon_next_member(void)
{
	struct thread *t = cur_thread();

	if (!t)
		return 0;
	mon_finalize(t->collecting);
	t->has_put = t->has_exec = 0;
	t->collecting++;
	return 0;
}

/* The current thread's state, created on its first receive. */
static __always_inline struct thread *thread_get(bool create)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zero = 0;
	struct thread *t = bpf_map_lookup_elem(&threads, &tid);
	char comm[UC_TASK_COMM_LEN] = {};
	void *init;

	if (t || !create)
		return t;
	init = bpf_map_lookup_elem(&zero_thread, &zero);
	if (!init || bpf_map_update_elem(&threads, &tid, init, BPF_NOEXIST)) {
		count(UC_MC_THREADS_FULL);
		return NULL;
	}
	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t)
		return NULL;
	t->batching = 1;
	bpf_get_current_comm(comm, sizeof(comm));
	t->handler_slot = mon_label_slot(UC_MON_LABEL_HANDLER, 0, *(__u64 *)comm,
					 *(__u64 *)(comm + 8));
	return t;
}

/*
 * An operation (put, execute, kernel execute) arrives: batcher.c's
 * uc_batcher_feed() before its switch.  False when there is no batch to
 * give it to.
 */
static __always_inline bool start_operating(struct thread *t)
{
	if (!t->batching)
		return true;
	if (!t->n_batch)
		return false;
	t->batching = 0;
	t->collecting = 0;
	return true;
}

/* ------------------------------------------------------------- kernel */

/*
 * A kernel MISS upcall of SKB (LEN bytes) from datapath port PORT
 * (NO_PORT, UNKNOWN_PORT), however it was hooked: its time goes into the
 * in-flight map under the key of the packet as vswitchd will receive it
 * (its VLAN tag back in place), and the pending state tells ovs_dp_upcall's
 * return which slot to release if the upcall fails.
 */
static __always_inline int dp_upcall(__u64 now, struct pending *p, struct sk_buff *skb,
				     __u32 len, __u32 port)
{
	struct uc_mon_inflight_key key = {};
	__u32 n, linear, extra = 0;
	__be16 proto, tci;
	__u64 vlan = 0;
	struct pkt_id id;
	int slot;

	p->miss = 1;
	count(UC_MC_UPCALLS);
	if (port == UNKNOWN_PORT) {
		count(UC_MC_UPCALL_NO_PORT);
		return 0;
	}
	if (skb_vlan_tag(skb, &proto, &tci)) {
		vlan = TAGGED | (__u32)proto | (__u32)tci << 16;
		extra = 4;
	}
	len += extra;
	/* Only the linear part can be read; flow extraction pulled the
	 * headers into it, so a short hash_bytes is always covered. */
	n = len < hash_bytes ? len : hash_bytes;
	linear = BPF_CORE_READ(skb, len) - BPF_CORE_READ(skb, data_len);
	if (linear + extra < n) {
		count(UC_MC_UPCALL_UNTRACKED);
		return 0;
	}
	if (pkt_identify(BPF_CORE_READ(skb, data), len, false, vlan, &id)) {
		count(UC_MC_UPCALL_UNTRACKED);
		return 0;
	}
	key.port = port;
	key.len = len;
	key.hash = id.hash & key_hash_mask;
	slot = inflight_put(&key, id.check, now);
	if (slot < 0)
		return 0;
	p->key = key;
	p->ts = now;
	p->slot = slot;
	p->tracked = 1;
	return 0;
}

/* The per-CPU pending state, cleared for a new upcall. */
static __always_inline struct pending *pending_get(void)
{
	__u32 zero = 0;
	struct pending *p = bpf_map_lookup_elem(&pending, &zero);

	if (p)
		p->miss = p->tracked = 0;
	return p;
}

/* The in_port of the flow key at KEY (openvswitch types: module BTF or
 * --btf), NO_PORT for a packet from no port. */
static __always_inline __u32 key_in_port(const struct sw_flow_key *key)
{
	__u32 in_port = BPF_CORE_READ(key, phy.in_port);

	return in_port == UC_DP_MAX_PORTS ? NO_PORT : in_port;
}

/* Reads SIZE bytes of the tracepoint record at OFF (offsets from tracefs). */
static __always_inline void tp_field(void *ctx, __u32 off, void *dst, __u32 size)
{
	bpf_probe_read_kernel(dst, size, ctx + off);
}

/*
 * The tracepoint (Linux 5.14+).  The port comes from the flow key
 * (keyaddr) where the record has it and the openvswitch types are known,
 * else from the device's name through dev_port (dpctl/show's map).
 */
SEC("tp/openvswitch/ovs_dp_upcall")
int mon_dp_upcall_tp(void *ctx)
{
	__u64 now = bpf_ktime_get_ns();
	char dev[UC_DEV_NAME_LEN] = {};
	struct sk_buff *skb = NULL;
	const void *keyaddr = NULL;
	__u32 len = 0, loc_dev = 0, port, *found;
	struct pending *p = pending_get();
	__u8 cmd = 0;

	if (!p)
		return 0;
	tp_field(ctx, tp_off_upcall_cmd, &cmd, sizeof(cmd));
	tp_field(ctx, tp_off_skbaddr, &skb, sizeof(skb));
	if (cmd != UC_OVS_PACKET_CMD_MISS || !skb)
		return 0;
	tp_field(ctx, tp_off_len, &len, sizeof(len));
	if (tp_has_keyaddr)
		tp_field(ctx, tp_off_keyaddr, &keyaddr, sizeof(keyaddr));
	if (keyaddr && bpf_core_type_exists(struct sw_flow_key))
		return dp_upcall(now, p, skb, len, key_in_port(keyaddr));
	tp_field(ctx, tp_off_dev_name, &loc_dev, sizeof(loc_dev));
	bpf_probe_read_kernel_str(dev, sizeof(dev), ctx + (loc_dev & 0xffff));
	found = bpf_map_lookup_elem(&dev_port, dev);
	port = found ? *found : UNKNOWN_PORT;
	return dp_upcall(now, p, skb, len, port);
}

/*
 * Where the tracepoint is missing (before Linux 5.14): the function it
 * sits in, at entry, ovs_dp_upcall(dp, skb, key, upcall_info, cutlen).
 * Needs the openvswitch module's types (its BTF, or --btf).
 */
SEC("kprobe/ovs_dp_upcall")
int BPF_KPROBE(mon_dp_upcall_kprobe, void *dp, struct sk_buff *skb,
	       const struct sw_flow_key *key, const struct dp_upcall_info *info)
{
	__u64 now = bpf_ktime_get_ns();
	struct pending *p = pending_get();

	if (!p || !skb || !key || !info ||
	    BPF_CORE_READ(info, cmd) != UC_OVS_PACKET_CMD_MISS)
		return 0;
	return dp_upcall(now, p, skb, BPF_CORE_READ(skb, len), key_in_port(key));
}

/* ovs_dp_upcall()'s result for the upcall its entry hook just saw. */
static __always_inline int upcall_result(long ret)
{
	__u32 zero = 0, err;
	struct pending *p = bpf_map_lookup_elem(&pending, &zero);
	struct uc_mon_inflight *v;

	if (!p || !p->miss)
		return 0;
	p->miss = 0;
	if (!ret) {
		count(UC_MC_UPCALL_OK);
		return 0;
	}
	count(UC_MC_UPCALL_LOST);
	err = ret < 0 && -ret < UC_MON_ERRNO_MAX ? (__u32)-ret : 0;
	add_u64(&upcall_errors, err);
	if (!p->tracked)
		return 0;
	/* Nothing will receive it: free its slot (if a receive has not
	 * already taken it, for an upcall queued before the error). */
	v = bpf_map_lookup_elem(&inflight, &p->key);
	if (v) {
		__u64 *slot = &v->ts[p->slot & (UC_MON_SLOTS - 1)];
		bool freed;

		if (has_atomics) {
			freed = __sync_val_compare_and_swap(slot, p->ts, 0) == p->ts;
		} else {
			freed = *slot == p->ts;
			if (freed)
				*slot = 0;
		}
		if (freed) {
			count(UC_MC_INFLIGHT_RELEASED);
			if (all_free(v))
				bpf_map_delete_elem(&inflight, &p->key);
		}
	}
	p->tracked = 0;
	return 0;
}

SEC("fexit/ovs_dp_upcall")
int BPF_PROG(mon_dp_upcall_fexit, void *dp, void *skb, void *key, void *info,
	     __u32 cutlen, int ret)
{
	return upcall_result(ret);
}

SEC("kretprobe/ovs_dp_upcall")
int BPF_KRETPROBE(mon_dp_upcall_kretprobe, int ret)
{
	return upcall_result(ret);
}

/* A kernel execute in a handler's sendmsg: batcher.c queues it in the
 * thread's fifo; here it is paired as soon as its execute is known. */
static __always_inline int kernel_execute(__u64 now, struct sk_buff *skb,
					  struct genl_info *info)
{
	struct nlattr **attrs, *a = NULL;
	struct kexec kx = { .ts = now };
	struct thread *t;
	struct pkt_id id;
	__u32 len = 0;

	/* As the full trace: a request without data is not counted. */
	if (!skb || !BPF_CORE_READ(skb, data))
		return 0;
	count(UC_MC_KERNEL_EXECUTES);
	t = thread_get(false);
	if (!t) {
		count(UC_MC_KEXEC_NO_THREAD);
		return 0;
	}
	if (!start_operating(t)) {
		count(UC_MC_KEXEC_UNPAIRED);
		return 0;
	}
	attrs = BPF_CORE_READ(info, attrs);
	if (attrs)
		bpf_probe_read_kernel(&a, sizeof(a), &attrs[UC_OVS_PACKET_ATTR_PACKET]);
	if (a)
		len = BPF_CORE_READ(a, nla_len);
	if (len >= UC_NLA_HDRLEN &&
	    !pkt_identify((const char *)a + UC_NLA_HDRLEN, len - UC_NLA_HDRLEN,
			  false, 0, &id)) {
		kx.hash = id.hash;
		kx.len = id.len;
		kx.known = 1;
	} else if (len < UC_NLA_HDRLEN) {
		count(UC_MC_KEXEC_MISMATCH);   /* no packet to compare */
	}
	if (t->kq_tail - t->kq_head >= KQ) {
		count(UC_MC_KEXEC_UNPAIRED);
		return 0;
	}
	t->kq[t->kq_tail & (KQ - 1)] = kx;
	t->kq_tail++;
	mon_pair();
	return 0;
}

SEC("fentry/ovs_packet_cmd_execute")
int BPF_PROG(mon_pkt_exec_fentry, struct sk_buff *skb, struct genl_info *info)
{
	return kernel_execute(bpf_ktime_get_ns(), skb, info);
}

SEC("kprobe/ovs_packet_cmd_execute")
int BPF_KPROBE(mon_pkt_exec_kprobe, struct sk_buff *skb, struct genl_info *info)
{
	return kernel_execute(bpf_ktime_get_ns(), skb, info);
}

/* ---------------------------------------------------------------- USDT */

/*
 * A register of the probed thread: the word at offset OFF of struct
 * pt_regs, read straight from the context (a constant offset for the
 * verifier in each case) rather than with a helper call.
 */
/* (asm: the load must stay "ctx + constant" for the verifier, which clang
 * would otherwise rewrite as a pointer computed ahead) */
#define REG_CASE(n) case (n) * 8: \
	asm volatile("%0 = *(u64 *)(%1 + %2)" : "=r"(v) : "r"(ctx), "i"((n) * 8)); \
	return v
static __always_inline unsigned long reg_at(struct pt_regs *ctx, unsigned off)
{
	unsigned long v;

	switch (off) {
	REG_CASE(0); REG_CASE(1); REG_CASE(2); REG_CASE(3); REG_CASE(4);
	REG_CASE(5); REG_CASE(6); REG_CASE(7); REG_CASE(8); REG_CASE(9);
	REG_CASE(10); REG_CASE(11); REG_CASE(12); REG_CASE(13); REG_CASE(14);
	REG_CASE(15); REG_CASE(16); REG_CASE(17); REG_CASE(18); REG_CASE(19);
	REG_CASE(20);
	default: return 0;
	}
}
_Static_assert(sizeof(struct pt_regs) == 21 * 8, "reg_at covers struct pt_regs (x86-64)");

/*
 * USDT arguments: libbpf's bpf_usdt_arg() looks up the probe's spec and
 * copies a register out of struct pt_regs with a helper, for every
 * argument.  Here the spec is looked up once, the registers are read
 * straight from the context, and only the arguments in MASK are decoded,
 * as bpf_usdt_arg() decodes them (same spec maps, same rules).
 */
static __always_inline int usdt_args(struct pt_regs *ctx, unsigned mask, long out[6])
{
	struct __bpf_usdt_spec *spec;
	int spec_id = __bpf_usdt_spec_id(ctx);

	if (spec_id < 0)
		return -1;
	spec = bpf_map_lookup_elem(&__bpf_usdt_specs, &spec_id);
	if (!spec)
		return -1;
	for (int i = 0; i < 6; i++) {
		struct __bpf_usdt_arg_spec *a = &spec->args[i];
		unsigned long val;

		out[i] = 0;
		if (!(mask & (1u << i)) || i >= spec->arg_cnt)
			continue;
		if (a->arg_type == BPF_USDT_ARG_CONST) {
			val = a->val_off;
		} else if (a->arg_type == BPF_USDT_ARG_REG ||
			   a->arg_type == BPF_USDT_ARG_REG_DEREF) {
			val = reg_at(ctx, (unsigned short)a->reg_off);
			if (a->arg_type == BPF_USDT_ARG_REG_DEREF &&
			    bpf_probe_read_user(&val, sizeof(val), (void *)val + a->val_off))
				return -1;
		} else {
			return -1;
		}
		val <<= a->arg_bitshift;
		if (a->arg_signed)
			val = ((long)val) >> a->arg_bitshift;
		else
			val = val >> a->arg_bitshift;
		out[i] = (long)val;
	}
	return 0;
}

/* dpif_recv:recv_upcall(dpif name, type, packet, size, key, key size) */
SEC("usdt")
int mon_recv_upcall(struct pt_regs *ctx)
{
	__u64 now = bpf_ktime_get_ns();
	struct uc_mon_inflight_key k = {};
	__u32 pkt_len, port, slot;
	struct scratch *s;
	struct member *m;
	struct thread *t;
	struct pkt_id id;
	long arg[6];
	int rc;

	s = scratch_get();
	if (!s)
		return 0;
	/* The full trace's "usable" receives only. */
	if (usdt_args(ctx, 0x3e, arg) || (int)arg[1] != UC_DPIF_UC_MISS ||
	    !(pkt_len = (__u32)arg[3]) || !arg[5]) {
		scratch_put(s);
		count(UC_MC_RECEIVES_OTHER);
		return 0;
	}
	count(UC_MC_RECEIVES);
	t = thread_get(true);
	if (!t) {
		scratch_put(s);
		return 0;
	}
	port = mon_key_in_port((__u64)arg[4], (__u64)arg[5]);
	rc = mon_identify((__u64)arg[2], pkt_len, 1, 0);
	id.hash = s->hash;
	id.check = s->check;
	scratch_put(s);
	if (rc)
		return 0;
	if (port == NO_PORT)
		count(UC_MC_RECV_NO_PORT);

	/* A receive after operations starts a new batch. */
	if (!t->batching)
		mon_close_batch();
	if (t->n_batch >= UC_MON_MAX_BATCH) {
		count(UC_MC_BATCH_OVERFLOW);
		mon_close_batch();
	}
	m = &t->m[t->n_batch & (UC_MON_MAX_BATCH - 1)];
	__builtin_memset(m, 0, sizeof(*m));
	m->recv_ts = now;
	m->hash = id.hash;
	m->len = pkt_len;
	if (!t->last_port_known || t->last_port != port) {
		t->last_port_slot = mon_label_slot(UC_MON_LABEL_PORT, port, 0, 0);
		t->last_port = port;
		t->last_port_known = 1;
	}
	slot = t->last_port_slot;
	m->port_slot = slot;
	t->n_batch++;
	add_u64(&label_recv, slot);
	add_u64(&label_recv, t->handler_slot);

	if (track_kernel) {
		k.port = port;
		k.len = pkt_len;
		k.hash = id.hash & key_hash_mask;
		m->dp_ts = inflight_take(&k, id.check);
		if (!m->dp_ts)
			return 0;
		m->flags |= M_MATCHED;
		mon_record(SEG_KERNEL_TO_VSWITCHD, now - m->dp_ts, slot, t->handler_slot,
			   now);
	}
	t->n_counted++;
	return 0;
}

/* dpif_netlink_operate__:op_flow_put: batcher.c's on_put(). */
SEC("usdt")
int mon_op_flow_put(struct pt_regs *ctx)
{
	__u64 now = bpf_ktime_get_ns();
	struct thread *t;
	struct member *m;

	count(UC_MC_PUTS);
	t = thread_get(false);
	if (!t || !start_operating(t)) {
		count(UC_MC_PUTS_DROPPED);
		return 0;
	}
	if (t->has_put) {
		mon_next_member();
		if (t->collecting >= t->n_batch) {
			count(UC_MC_PUTS_DROPPED);
			mon_close_batch();
			return 0;
		}
	}
	m = &t->m[t->collecting & (UC_MON_MAX_BATCH - 1)];
	m->put_ts = now;
	m->flags |= M_PUT;
	t->has_put = 1;
	return 0;
}

/* The first member from `collecting` on with this packet, or
 * UC_MON_MAX_BATCH: batcher.c's same_packet() search. */
GLOBAL __u32 mon_find_member(__u64 hash, __u32 len)
{
	struct thread *t = cur_thread();

	if (!t)
		return UC_MON_MAX_BATCH;
	for (__u32 i = 0; i < UC_MON_MAX_BATCH; i++) {
		if (i < t->collecting)
			continue;
		if (i >= t->n_batch)
			break;
		if (t->m[i].len == len && t->m[i].hash == hash)
			return i;
	}
	return UC_MON_MAX_BATCH;
}

/*
 * dpif_netlink_operate__:op_flow_execute(dpif, execute, packet, size):
 * batcher.c's on_execute().  The execute belongs to the first member
 * from `collecting` on with its packet; the members skipped made no
 * execute, and the flow put seen so far moves along with it.
 */
SEC("usdt")
int mon_op_flow_execute(struct pt_regs *ctx)
{
	__u64 now = bpf_ktime_get_ns();
	struct member *m, *from;
	__u32 pos, pkt_len = 0;
	struct scratch *s;
	struct thread *t;
	struct pkt_id id;
	long arg[6];
	int rc = -1;

	count(UC_MC_EXECUTES);
	s = scratch_get();
	if (!s)
		return 0;
	if (!usdt_args(ctx, 0x0c, arg)) {
		pkt_len = (__u32)arg[3];
		if (pkt_len)
			rc = mon_identify((__u64)arg[2], pkt_len, 1, 0);
	}
	id.hash = s->hash;
	scratch_put(s);
	t = thread_get(false);
	if (!t || rc || !start_operating(t)) {
		count(UC_MC_EXECUTES_DROPPED);
		return 0;
	}
	if (t->has_exec) {
		mon_next_member();
		if (t->collecting >= t->n_batch) {
			count(UC_MC_EXECUTES_DROPPED);
			mon_close_batch();
			return 0;
		}
	}
	pos = mon_find_member(id.hash, pkt_len);
	if (pos >= UC_MON_MAX_BATCH) {
		count(UC_MC_EXECUTES_DROPPED);
		mon_close_batch();
		return 0;
	}
	m = &t->m[pos & (UC_MON_MAX_BATCH - 1)];
	if (pos != t->collecting) {
		from = &t->m[t->collecting & (UC_MON_MAX_BATCH - 1)];
		if (from->flags & M_PUT) {
			m->put_ts = from->put_ts;
			m->flags |= M_PUT;
		}
		from->flags &= ~M_PUT;
		mon_skip(t->collecting, pos);
		t->collecting = pos;
	}
	m->exec_ts = now;
	m->flags |= M_EXEC;
	t->has_put = t->has_exec = 1;
	mon_finalize(pos);
	mon_pair();
	return 0;
}
