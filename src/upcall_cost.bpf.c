// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * upcall_cost.bpf.c - the five probe points of upcall_cost.py, as one
 * CO-RE object loaded through the upcall_cost_bpf skeleton.
 *
 *   kernel upcall (UC_EV_DP_UPCALL, MISS only), one of:
 *     tp/openvswitch/ovs_dp_upcall     uc_dp_upcall_tp      Linux 5.14+
 *     kprobe/ovs_dp_upcall             uc_dp_upcall_kprobe  any kprobe kernel
 *   kernel packet execute (UC_EV_OVS_PKT_EXEC), one of:
 *     fentry/ovs_packet_cmd_execute    uc_pkt_exec_fentry   module BTF
 *     kprobe/ovs_packet_cmd_execute    uc_pkt_exec_kprobe
 *   usdt dpif_recv:recv_upcall         uc_recv_upcall       UC_EV_RECV_UPCALL
 *   usdt dpif_netlink_operate__:op_flow_put      uc_op_flow_put
 *   usdt dpif_netlink_operate__:op_flow_execute  uc_op_flow_execute
 *
 * and what explains an upcall (xevents: upcall_cost.h), each optional:
 *   the kernel's verdict              upcall_cost_verdict.bpf.h
 *   the handlers' scheduling, IRQs and syscalls (--explain)
 *                                     upcall_cost_explain.bpf.h
 *   flow requests, deletions, revalidator results, flushes
 *                                     upcall_cost_forensics.bpf.h
 *
 * User space probes the kernel and picks, per probe point, one program
 * with bpf_program__set_autoload (capture_variant.c); the rest is never
 * loaded, so a program the kernel could not verify costs nothing.
 *
 * Every record is struct uc_bpf_event followed by exactly pkt_cap packet
 * bytes and key_cap key bytes.  How it is reserved is the other variant,
 * chosen with the ringbuf_dynptr constant (the branch not taken is dead
 * code the verifier never looks at, so its helpers need not exist):
 *   - dynptr (Linux 5.19+): reserved at its exact size and filled through
 *     a small stack buffer;
 *   - fixed (Linux 5.8+): reserved at the largest size the settings allow
 *     (header + -P [+ -f]) and filled in place; the bytes after the
 *     captured ones travel unused, and user space reads only the captured
 *     ones, so files are the same either way.
 * Both build the record in ring-buffer memory, never in a per-CPU scratch
 * map: uprobe programs run preemptibly (migrate_disable only) and the
 * tracepoint can fire from softirq on top of them, so a per-CPU scratch
 * buffer could be overwritten by another program run on the same CPU
 * half-way through.
 */
#include "upcall_cost_kernel.bpf.h"

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/usdt.bpf.h>

#include "skb_vlan.bpf.h"
#include "upcall_cost.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Settings written by user space before load; frozen, so the verifier
 * sees them as constants. */

/* -P and -f. */
const volatile __u32 packet_size = UC_DEFAULT_PACKET_SIZE;
const volatile __u32 flow_key_size = UC_DEFAULT_FLOW_KEY_SIZE;

/* Reserve records with dynptrs (exact size), else at their maximum size. */
const volatile bool ringbuf_dynptr = true;

/*
 * Offsets of the fields of the ovs_dp_upcall tracepoint record, from
 * tracefs (events/openvswitch/ovs_dp_upcall/format), so no BTF of the
 * module is needed and no layout is assumed.  The __data_loc fields hold
 * (length << 16 | offset-in-record) of a string.
 */
const volatile __u32 tp_off_dp_name = 0;     /* __data_loc char[] dp_name */
const volatile __u32 tp_off_dev_name = 0;    /* __data_loc char[] dev_name */
const volatile __u32 tp_off_skbaddr = 0;     /* void *skbaddr */
const volatile __u32 tp_off_len = 0;         /* unsigned int len */
const volatile __u32 tp_off_upcall_cmd = 0;  /* u8 upcall_cmd */

/*
 * Records are committed without waking the reader until this many bytes
 * wait in the ring (user space sets 1/8 of the ring); the reader also
 * polls on a short timeout.  A wakeup per record costs an irq_work
 * self-IPI in the probed thread, which dominated the probe effect
 * (about 1.5 us per hit in a VM), for a live view nobody reads faster.
 */
const volatile __u64 wakeup_bytes = 1;

/* Resized to --buffer-page-count pages before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, UC_DEFAULT_BUFFER_PAGES * 4096);
} events SEC(".maps");

/* Records the ring buffer refused, per event type (upcall_cost.py's
 * dropcnt).  Filtered-out events are not counted, as there. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, UC_EV_MAX);
	__type(key, __u32);
	__type(value, __u64);
} missed SEC(".maps");

_Static_assert(sizeof(struct uc_bpf_event) == UC_BPF_EVENT_HDR_SIZE,
	       "uc_bpf_event header size");

/* A packet's first bytes built on the stack: the Ethernet addresses and a
 * VLAN tag (see skb_vlan.bpf.h). */
#define MAC_LEN 12
#define PRE_LEN (MAC_LEN + 4)

/* Payload bytes go through the stack in chunks of this size (dynptr). */
#define CHUNK 256
#define CHUNKS (UC_CAPTURE_MAX / CHUNK)

/* Where a payload is read from. */
enum mem { MEM_KERNEL, MEM_USER };

static __always_inline void count_missed(__u32 type)
{
	__u64 *n = bpf_map_lookup_elem(&missed, &type);

	/* Atomic: uprobe programs can interleave on one CPU. */
	if (n)
		__sync_fetch_and_add(n, 1);
}

/* Zeroes the header and fills the fields common to every event. */
static __always_inline void hdr_init(struct uc_bpf_event *h, __u32 type)
{
	__builtin_memset(h, 0, sizeof(*h));
	/* First, so the timestamp is as close to the probe hit as can be. */
	h->ts = bpf_ktime_get_ns();
	h->event = type;
	h->cpu = bpf_get_smp_processor_id();
	h->pid = (__u32)bpf_get_current_pid_tgid();   /* TID */
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

static __always_inline __u64 wakeup_flag(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ?
	       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

#include "upcall_cost_xrec.bpf.h"
#include "upcall_cost_verdict.bpf.h"
#include "upcall_cost_explain.bpf.h"
#include "upcall_cost_forensics.bpf.h"

/* An event without payload: the header is the whole record. */
static __always_inline int emit_hdr(struct uc_bpf_event *h)
{
	if (bpf_ringbuf_output(&events, h, sizeof(*h), wakeup_flag()))
		count_missed(h->event);
	return 0;
}

/* Reads N bytes at SRC into DST; a failed read leaves zeros (the helpers
 * clear the destination on error), so no record byte is left unwritten. */
static __always_inline void read_mem(void *dst, __u32 n, const void *src,
				     enum mem from)
{
	if (from == MEM_USER)
		bpf_probe_read_user(dst, n, src);
	else
		bpf_probe_read_kernel(dst, n, src);
}

/* dynptr variant: copies LEN (<= UC_CAPTURE_MAX) bytes from SRC to REC at
 * OFF, through BUF. */
static __always_inline void copy_payload(struct bpf_dynptr *rec, __u32 off,
					 const void *src, __u64 len,
					 enum mem from, char *buf)
{
	/* 64-bit arithmetic throughout: with 32-bit sub-registers clang's
	 * code loses the bounds of n that the verifier needs. */
	for (__u64 i = 0; i < CHUNKS; i++) {
		__u64 done = i * CHUNK;
		__u64 n;

		if (done >= len)
			break;
		n = len - done;
		if (n > CHUNK)
			n = CHUNK;
		/* A no-op (n <= CHUNK < 512) that the 6.1 verifier needs: clang
		 * turns len - done into a running counter whose bounds that
		 * verifier loses ("R2 min value is negative"). */
		asm volatile("%0 &= 0x1ff" : "+r"(n));
		read_mem(buf, n, src + done, from);
		bpf_dynptr_write(rec, off + done, buf, n, 0);
	}
}

static __always_inline int emit_dynptr(struct uc_bpf_event *h, const __u8 *pre,
				       const void *pkt, const void *key,
				       enum mem from, char *buf)
{
	struct bpf_dynptr rec;
	__u32 pkt_cap = h->pkt_cap, key_cap = h->key_cap;

	if (bpf_ringbuf_reserve_dynptr(&events,
				       sizeof(*h) + pkt_cap + key_cap, 0, &rec)) {
		/* A failed reservation must still be released. */
		bpf_ringbuf_discard_dynptr(&rec, 0);
		count_missed(h->event);
		return 0;
	}
	bpf_dynptr_write(&rec, 0, h, sizeof(*h), 0);
	if (pre && pkt_cap >= PRE_LEN) {
		bpf_dynptr_write(&rec, sizeof(*h), (void *)pre, PRE_LEN, 0);
		copy_payload(&rec, sizeof(*h) + PRE_LEN, pkt, pkt_cap - PRE_LEN, from, buf);
	} else {
		copy_payload(&rec, sizeof(*h), pkt, pkt_cap, from, buf);
	}
	copy_payload(&rec, sizeof(*h) + pkt_cap, key, key_cap, from, buf);
	bpf_ringbuf_submit_dynptr(&rec, wakeup_flag());
	return 0;
}

/*
 * fixed variant: KEY_MAX is flow_key_size for events that carry a key, 0
 * otherwise; the reservation's size is a constant, as bpf_ringbuf_reserve
 * requires (the settings are frozen read-only data).
 */
static __always_inline int emit_fixed(struct uc_bpf_event *h, const __u8 *pre,
				      const void *pkt, const void *key, __u32 key_max,
				      enum mem from)
{
	__u64 pkt_cap = h->pkt_cap, key_cap = h->key_cap;
	__u8 *rec = bpf_ringbuf_reserve(&events,
					sizeof(*h) + packet_size + key_max, 0);

	if (!rec) {
		count_missed(h->event);
		return 0;
	}
	/* Bounds the verifier can follow (the callers' clamps are lost in
	 * 32-bit sub-registers): caps <= their maxima, masks are no-ops. */
	if (pkt_cap > packet_size)
		pkt_cap = packet_size;
	if (key_cap > key_max)
		key_cap = key_max;
	asm volatile("%0 &= 0xfff" : "+r"(pkt_cap));
	asm volatile("%0 &= 0xfff" : "+r"(key_cap));
	__builtin_memcpy(rec, h, sizeof(*h));
	if (pre && pkt_cap >= PRE_LEN) {
		__builtin_memcpy(rec + sizeof(*h), pre, PRE_LEN);
		if (pkt_cap > PRE_LEN)
			read_mem(rec + sizeof(*h) + PRE_LEN, pkt_cap - PRE_LEN, pkt, from);
	} else if (pkt_cap) {
		read_mem(rec + sizeof(*h), pkt_cap, pkt, from);
	}
	if (key_cap && pkt_cap + key_cap <= packet_size + key_max)
		read_mem(rec + sizeof(*h) + pkt_cap, key_cap, key, from);
	bpf_ringbuf_submit(rec, wakeup_flag());
	return 0;
}

static __always_inline __u32 min_u32(__u64 a, __u32 b)
{
	return a < b ? (__u32)a : b;
}

/*
 * An event with h->pkt_cap packet and h->key_cap key bytes after the
 * header (callers clamp them to -P and -f).  PRE, when not NULL, holds the
 * first PRE_LEN packet bytes, and PKT the rest.
 */
static __always_inline int emit(struct uc_bpf_event *h, const __u8 *pre,
				const void *pkt, const void *key, __u32 key_max,
				enum mem from, char *buf)
{
	/* Re-clamp for the verifier. */
	if (h->pkt_cap > UC_CAPTURE_MAX)
		h->pkt_cap = UC_CAPTURE_MAX;
	if (h->key_cap > UC_CAPTURE_MAX)
		h->key_cap = UC_CAPTURE_MAX;
	if (ringbuf_dynptr)
		return emit_dynptr(h, pre, pkt, key, from, buf);
	return emit_fixed(h, pre, pkt, key, key_max, from);
}

/* ---------------------------------------------------------------- kernel */

/*
 * The kernel upcall, however it was hooked: the packet as ovs-vswitchd
 * will receive it (its VLAN tag back in place), so that the two compare
 * equal.  Names are NUL-terminated copies, filled in by the caller; only
 * the linear part of a non-linear skb can be read.
 */
static __always_inline int dp_upcall(struct uc_bpf_event *h, struct sk_buff *skb,
				     __u32 len, char *buf)
{
	unsigned char *data = BPF_CORE_READ(skb, data);
	__u32 data_len, copy;
	__be16 proto, tci;
	__u8 pre[PRE_LEN];

	if (!data)
		return 0;
	h->upcall_type = UC_OVS_PACKET_CMD_MISS;
	h->pkt_size = len;
	data_len = BPF_CORE_READ(skb, data_len);
	copy = len;
	if (data_len) {
		h->pkt_frag_size = (BPF_CORE_READ(skb, len) - data_len) & 0xfffffff;
		copy = h->pkt_frag_size;
	}
	if (copy >= MAC_LEN && skb_vlan_tag(skb, &proto, &tci)) {
		bpf_probe_read_kernel(pre, MAC_LEN, data);
		__builtin_memcpy(pre + MAC_LEN, &proto, 2);
		__builtin_memcpy(pre + MAC_LEN + 2, &tci, 2);
		h->pkt_size += 4;
		if (h->pkt_frag_size)
			h->pkt_frag_size += 4;
		h->pkt_cap = min_u32(copy + 4, packet_size);
		return emit(h, pre, data + MAC_LEN, NULL, 0, MEM_KERNEL, buf);
	}
	h->pkt_cap = min_u32(copy, packet_size);
	return emit(h, NULL, data, NULL, 0, MEM_KERNEL, buf);
}

/* Reads SIZE bytes of the tracepoint record at OFF (offsets from tracefs). */
static __always_inline void tp_field(void *ctx, __u32 off, void *dst, __u32 size)
{
	bpf_probe_read_kernel(dst, size, ctx + off);
}

SEC("tp/openvswitch/ovs_dp_upcall")
int uc_dp_upcall_tp(void *ctx)
{
	struct uc_bpf_event h;
	char buf[CHUNK];
	struct sk_buff *skb = NULL;
	__u32 len = 0, loc_dp = 0, loc_dev = 0;
	__u8 cmd = 0;

	tp_field(ctx, tp_off_upcall_cmd, &cmd, sizeof(cmd));
	tp_field(ctx, tp_off_skbaddr, &skb, sizeof(skb));
	if (cmd != UC_OVS_PACKET_CMD_MISS || !skb) {
		/* ACTION upcalls get a verdict too, without a record */
		slot_fill(skb, cmd, 0);
		return 0;
	}
	tp_field(ctx, tp_off_len, &len, sizeof(len));
	tp_field(ctx, tp_off_dp_name, &loc_dp, sizeof(loc_dp));
	tp_field(ctx, tp_off_dev_name, &loc_dev, sizeof(loc_dev));

	hdr_init(&h, UC_EV_DP_UPCALL);
	slot_fill(skb, cmd, h.ts);
	bpf_probe_read_kernel_str(h.dpif_name, sizeof(h.dpif_name),
				  ctx + (loc_dp & 0xffff));
	bpf_probe_read_kernel_str(h.dev_name, sizeof(h.dev_name),
				  ctx + (loc_dev & 0xffff));
	return dp_upcall(&h, skb, len, buf);
}

/* Ports whose numbers share port 0's hash bucket walked before giving up. */
#define BUCKET_WALK 4

/*
 * Where the tracepoint is missing (before Linux 5.14): the function it
 * sits in, at entry, with the same fields: the datapath's name is that of
 * its local port (ovs_dp_name(): port 0, in bucket dp->ports[0]), the
 * device's that of skb->dev.  Needs the openvswitch module's types.
 */
SEC("kprobe/ovs_dp_upcall")
int BPF_KPROBE(uc_dp_upcall_kprobe, struct datapath *dp, struct sk_buff *skb,
	       const void *key, const struct dp_upcall_info *info)
{
	struct uc_bpf_event h;
	char buf[CHUNK];
	struct hlist_node *node;
	__u8 cmd = info ? BPF_CORE_READ(info, cmd) : 0;

	if (!skb || cmd != UC_OVS_PACKET_CMD_MISS) {
		slot_fill(skb, cmd, 0);
		return 0;
	}
	hdr_init(&h, UC_EV_DP_UPCALL);
	slot_fill(skb, cmd, h.ts);
	node = BPF_CORE_READ(dp, ports, first);
	for (int i = 0; i < BUCKET_WALK && node; i++) {
		struct vport *vp = (void *)node -
				   bpf_core_field_offset(struct vport, dp_hash_node);

		if (BPF_CORE_READ(vp, port_no) == 0) {
			BPF_CORE_READ_STR_INTO(&h.dpif_name, vp, dev, name);
			break;
		}
		node = BPF_CORE_READ(node, next);
	}
	BPF_CORE_READ_STR_INTO(&h.dev_name, skb, dev, name);
	return dp_upcall(&h, skb, BPF_CORE_READ(skb, len), buf);
}

/* The netlink request skb; skipped when it has no data, as the original. */
static __always_inline int pkt_exec(struct sk_buff *skb)
{
	struct uc_bpf_event h;

	if (!skb || !BPF_CORE_READ(skb, data))
		return 0;
	hdr_init(&h, UC_EV_OVS_PKT_EXEC);
	return emit_hdr(&h);
}

/* Preferred: cheaper than a kprobe; needs the openvswitch module's BTF. */
SEC("fentry/ovs_packet_cmd_execute")
int BPF_PROG(uc_pkt_exec_fentry, struct sk_buff *skb)
{
	return pkt_exec(skb);
}

SEC("kprobe/ovs_packet_cmd_execute")
int BPF_KPROBE(uc_pkt_exec_kprobe, struct sk_buff *skb)
{
	return pkt_exec(skb);
}

/* ---------------------------------------------------------------- USDT */

/* dpif_recv:recv_upcall (lib/dpif.c); libbpf's arguments are 0-based. */
SEC("usdt")
int BPF_USDT(uc_recv_upcall, const char *full_name, int type,
	     const void *pkt, __u32 pkt_len, const void *key, __u64 key_len)
{
	struct uc_bpf_event h;
	char buf[CHUNK];

	handler_register();
	/* Only DPIF_UC_MISS, filtered before anything is reserved. */
	if (type != UC_DPIF_UC_MISS)
		return 0;
	hdr_init(&h, UC_EV_RECV_UPCALL);
	h.upcall_type = type;
	h.pkt_size = pkt_len;
	h.key_size = key_len;
	bpf_probe_read_user_str(h.dpif_name, sizeof(h.dpif_name), full_name);
	h.pkt_cap = min_u32(pkt_len, packet_size);
	h.key_cap = min_u32(key_len, flow_key_size);
	return emit(&h, NULL, pkt, key, flow_key_size, MEM_USER, buf);
}

/* dpif_netlink_operate__:op_flow_put(dpif, put, flow, request): the
 * time; with forensics, its request first (the put's UFID). */
SEC("usdt")
int BPF_USDT(uc_op_flow_put, void *dpif, void *put, void *flow, const void *request)
{
	struct uc_bpf_event h;

	flow_put_request(request);
	hdr_init(&h, UC_EV_OP_FLOW_PUT);
	return emit_hdr(&h);
}

/* dpif_netlink_operate__:op_flow_execute(dpif, execute, pkt, size, request) */
SEC("usdt")
int BPF_USDT(uc_op_flow_execute, void *dpif, void *execute, const void *pkt,
	     __u32 pkt_len)
{
	struct uc_bpf_event h;
	char buf[CHUNK];

	hdr_init(&h, UC_EV_OP_FLOW_EXECUTE);
	h.pkt_size = pkt_len;
	h.pkt_cap = min_u32(pkt_len, packet_size);
	return emit(&h, NULL, pkt, NULL, 0, MEM_USER, buf);
}
