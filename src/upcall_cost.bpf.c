// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * upcall_cost.bpf.c - the five probe points of upcall_cost.py, as one
 * CO-RE object loaded through the upcall_cost_bpf skeleton.
 *
 *   tp/openvswitch/ovs_dp_upcall       UC_EV_DP_UPCALL (MISS only)
 *   fentry|kprobe ovs_packet_cmd_execute  UC_EV_OVS_PKT_EXEC (user space
 *                                      picks one with set_autoload)
 *   usdt dpif_recv:recv_upcall         UC_EV_RECV_UPCALL (DPIF_UC_MISS only)
 *   usdt dpif_netlink_operate__:op_flow_put      UC_EV_OP_FLOW_PUT
 *   usdt dpif_netlink_operate__:op_flow_execute  UC_EV_OP_FLOW_EXECUTE
 *
 * Every record is struct uc_bpf_event followed by exactly pkt_cap packet
 * bytes and key_cap key bytes.  The record is reserved at its exact size
 * with a ring-buffer dynptr (Linux >= 5.19) and filled through a small
 * stack buffer, instead of being built in a per-CPU scratch map: uprobe
 * programs run preemptibly (migrate_disable only) and the tracepoint can
 * fire from softirq on top of them, so a per-CPU scratch buffer could be
 * overwritten by another program run on the same CPU half-way through.
 */
#include "upcall_cost_kernel.bpf.h"

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/usdt.bpf.h>

#include "upcall_cost.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* -P and -f, set by user space before load; frozen, so the verifier sees
 * them as constants. */
const volatile __u32 packet_size = UC_DEFAULT_PACKET_SIZE;
const volatile __u32 flow_key_size = UC_DEFAULT_FLOW_KEY_SIZE;

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

/* Payload bytes go through the stack in chunks of this size. */
#define CHUNK 256
#define CHUNKS (UC_CAPTURE_MAX / CHUNK)

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

/* An event without payload: the header is the whole record. */
static __always_inline int emit_hdr(struct uc_bpf_event *h)
{
	if (bpf_ringbuf_output(&events, h, sizeof(*h), wakeup_flag()))
		count_missed(h->event);
	return 0;
}

/*
 * Copies LEN (<= UC_CAPTURE_MAX) bytes from SRC, user or kernel memory,
 * to REC at OFF.  A failed read leaves zeros (the probe-read helpers clear
 * the destination on error), so no record byte is ever left unwritten.
 */
static __always_inline void copy_payload(struct bpf_dynptr *rec, __u32 off,
					 const void *src, __u64 len,
					 bool user, char *buf)
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
		if (user)
			bpf_probe_read_user(buf, n, src + done);
		else
			bpf_probe_read_kernel(buf, n, src + done);
		bpf_dynptr_write(rec, off + done, buf, n, 0);
	}
}

/* An event with PKT_CAP packet and KEY_CAP key bytes after the header. */
static __always_inline int emit(struct uc_bpf_event *h, const void *pkt,
				__u32 pkt_cap, const void *key, __u32 key_cap,
				bool user, char *buf)
{
	struct bpf_dynptr rec;

	/* Re-clamp for the verifier: the callers' min() is not enough for
	 * it to bound the arithmetic below. */
	if (pkt_cap > UC_CAPTURE_MAX)
		pkt_cap = UC_CAPTURE_MAX;
	if (key_cap > UC_CAPTURE_MAX)
		key_cap = UC_CAPTURE_MAX;
	h->pkt_cap = pkt_cap;
	h->key_cap = key_cap;
	if (bpf_ringbuf_reserve_dynptr(&events,
				       sizeof(*h) + pkt_cap + key_cap, 0, &rec)) {
		/* A failed reservation must still be released. */
		bpf_ringbuf_discard_dynptr(&rec, 0);
		count_missed(h->event);
		return 0;
	}
	bpf_dynptr_write(&rec, 0, h, sizeof(*h), 0);
	copy_payload(&rec, sizeof(*h), pkt, pkt_cap, user, buf);
	copy_payload(&rec, sizeof(*h) + pkt_cap, key, key_cap, user, buf);
	bpf_ringbuf_submit_dynptr(&rec, wakeup_flag());
	return 0;
}

static __always_inline __u32 min_u32(__u64 a, __u32 b)
{
	return a < b ? (__u32)a : b;
}

/* ---------------------------------------------------------------- kernel */

SEC("tp/openvswitch/ovs_dp_upcall")
int uc_dp_upcall(void *ctx)
{
	struct uc_bpf_event h;
	char buf[CHUNK];
	struct sk_buff *skb;
	__u32 cmd, len, loc_dp, loc_dev, copy, data_len;
	unsigned char *data;

	/* CO-RE against the module's BTF when the kernel has it; the fixed
	 * 5.14+ layout otherwise (see upcall_cost_kernel.bpf.h). */
	if (bpf_core_type_exists(struct trace_event_raw_ovs_dp_upcall)) {
		struct trace_event_raw_ovs_dp_upcall *tp = ctx;

		cmd = BPF_CORE_READ(tp, upcall_cmd);
		skb = BPF_CORE_READ(tp, skbaddr);
		len = BPF_CORE_READ(tp, len);
		loc_dp = BPF_CORE_READ(tp, __data_loc_dp_name);
		loc_dev = BPF_CORE_READ(tp, __data_loc_dev_name);
	} else {
		struct uc_ovs_dp_upcall_fixed *tp = ctx;

		cmd = tp->upcall_cmd;
		skb = tp->skbaddr;
		len = tp->len;
		loc_dp = tp->__data_loc_dp_name;
		loc_dev = tp->__data_loc_dev_name;
	}
	if (cmd != UC_OVS_PACKET_CMD_MISS || !skb)
		return 0;
	data = BPF_CORE_READ(skb, data);
	if (!data)
		return 0;

	hdr_init(&h, UC_EV_DP_UPCALL);
	h.upcall_type = cmd;
	h.pkt_size = len;
	/* Names: NUL-terminated copies of the __data_loc strings. */
	bpf_probe_read_kernel_str(h.dpif_name, sizeof(h.dpif_name),
				  ctx + (loc_dp & 0xffff));
	bpf_probe_read_kernel_str(h.dev_name, sizeof(h.dev_name),
				  ctx + (loc_dev & 0xffff));
	/* Only the linear part of a non-linear skb can be read. */
	data_len = BPF_CORE_READ(skb, data_len);
	copy = len;
	if (data_len) {
		h.pkt_frag_size = (BPF_CORE_READ(skb, len) - data_len) & 0xfffffff;
		copy = h.pkt_frag_size;
	}
	return emit(&h, data, min_u32(copy, packet_size), NULL, 0, false, buf);
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

/* Preferred: needs the openvswitch module's BTF, no kprobe support. */
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

	/* Only DPIF_UC_MISS, filtered before anything is reserved. */
	if (type != UC_DPIF_UC_MISS)
		return 0;
	hdr_init(&h, UC_EV_RECV_UPCALL);
	h.upcall_type = type;
	h.pkt_size = pkt_len;
	h.key_size = key_len;
	bpf_probe_read_user_str(h.dpif_name, sizeof(h.dpif_name), full_name);
	return emit(&h, pkt, min_u32(pkt_len, packet_size),
		    key, min_u32(key_len, flow_key_size), true, buf);
}

/* dpif_netlink_operate__:op_flow_put: only the time matters. */
SEC("usdt")
int BPF_USDT(uc_op_flow_put)
{
	struct uc_bpf_event h;

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
	return emit(&h, pkt, min_u32(pkt_len, packet_size), NULL, 0, true, buf);
}
