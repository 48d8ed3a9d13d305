/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * upcall_cost.h - the one header shared by the BPF program
 * (upcall_cost.bpf.c) and user space.
 *
 * Only fixed-width types, so it compiles after vmlinux.h / a minimal BPF
 * header as well as after <linux/types.h> in user space.  Event type numbers
 * and field meanings are those of OVS's upcall_cost.py, so that its event
 * files and ours describe the same thing.
 */
#ifndef UPCALL_COST_H
#define UPCALL_COST_H

#define UC_TASK_COMM_LEN 16
#define UC_DPIF_NAME_LEN 32
#define UC_DEV_NAME_LEN 16

/* -P / -f range, as in upcall_cost.py. */
#define UC_CAPTURE_MIN 64
#define UC_CAPTURE_MAX 2048
#define UC_DEFAULT_PACKET_SIZE 256
#define UC_DEFAULT_FLOW_KEY_SIZE 64
#define UC_DEFAULT_BUFFER_PAGES 1024

/* Event types: numbers as in upcall_cost.py's event files. */
enum uc_event_type {
	UC_EV_RECV_UPCALL = 0,      /* USDT dpif_recv:recv_upcall */
	UC_EV_DP_UPCALL = 1,        /* tracepoint openvswitch:ovs_dp_upcall */
	UC_EV_OP_FLOW_PUT = 2,      /* USDT dpif_netlink_operate__:op_flow_put */
	UC_EV_OP_FLOW_EXECUTE = 3,  /* USDT dpif_netlink_operate__:op_flow_execute */
	UC_EV_OVS_PKT_EXEC = 4,     /* kernel ovs_packet_cmd_execute */
	UC_EV_MAX = 5,
};

/* OVS_PACKET_CMD_MISS, the only kernel upcall command we trace. */
#define UC_OVS_PACKET_CMD_MISS 1
/* DPIF_UC_MISS, the only user-space upcall type we keep. */
#define UC_DPIF_UC_MISS 0

/*
 * One ring-buffer record: this fixed header, then pkt_cap bytes of packet,
 * then key_cap bytes of flow key.  Records carry only the bytes captured
 * (upcall_cost.py always sends the full -P/-f arrays).  Every field is
 * written by the BPF program; nothing is left uninitialised (its bug B2).
 */
struct uc_bpf_event {
	__u32 event;          /* enum uc_event_type */
	__u32 cpu;
	__u32 pid;            /* thread id (TID) */
	__u32 upcall_type;    /* RECV: dpif upcall type; DP: upcall command */
	__u64 ts;             /* bpf_ktime_get_ns(), CLOCK_MONOTONIC */
	__u32 pkt_frag_size;  /* DP: linear length when the skb is non-linear */
	__u32 pkt_size;       /* full packet length */
	__u64 key_size;       /* RECV: full flow key length */
	char comm[UC_TASK_COMM_LEN];
	char dpif_name[UC_DPIF_NAME_LEN];
	char dev_name[UC_DEV_NAME_LEN];
	__u16 pkt_cap;        /* packet bytes following this header */
	__u16 key_cap;        /* flow key bytes following the packet */
	__u32 reserved;       /* zero */
};

#define UC_BPF_EVENT_HDR_SIZE 112

/* ================================================================ monitor */
/*
 * Monitor mode (monitor.bpf.c): the correlation runs in BPF and only
 * histograms and counters leave the kernel.  Everything both sides must
 * agree on is below.
 */

/*
 * Latency buckets, log-linear over nanoseconds: a value v < 2^SUB_BITS has
 * bucket v; above, each power of two [2^k, 2^(k+1)) is cut into 2^SUB_BITS
 * equal buckets.  A bucket is at most 1/2^SUB_BITS = 6.25 % of its lower
 * bound wide, so its midpoint is within 3.2 % of any value in it (from
 * 16 ns up).  2^UC_MON_MAX_LOG2 ns = 137 s; longer goes to the overflow
 * bucket.
 */
#define UC_MON_SUB_BITS 4
#define UC_MON_SUB (1u << UC_MON_SUB_BITS)
#define UC_MON_MAX_LOG2 37
#define UC_MON_OVERFLOW ((UC_MON_MAX_LOG2 - UC_MON_SUB_BITS + 1) * UC_MON_SUB)
#define UC_MON_BUCKETS (UC_MON_OVERFLOW + 1)

static inline __u32 uc_mon_log2(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) r += 1;
	return r;
}

/* The bucket of a latency of NS nanoseconds. */
static inline __u32 uc_mon_bucket(__u64 ns)
{
	__u32 k;

	if (ns < UC_MON_SUB)
		return (__u32)ns;
	k = uc_mon_log2(ns);
	if (k >= UC_MON_MAX_LOG2)
		return UC_MON_OVERFLOW;
	return ((k - UC_MON_SUB_BITS + 1) << UC_MON_SUB_BITS) |
	       (__u32)((ns >> (k - UC_MON_SUB_BITS)) & (UC_MON_SUB - 1));
}

/* Latency segments: the numbering of enum uc_metric_id (metrics.h). */
#define UC_MON_SEGMENTS 6

/* Per segment and CPU (map seg_hist): the latencies recorded. */
struct uc_mon_hist {
	__u64 sum_ns;
	__u64 b[UC_MON_BUCKETS];
};

/* Per segment, label and CPU (map label_hist): 32-bit counts (user space
 * reads them far more often than they can wrap) to halve the memory. */
struct uc_mon_label_hist {
	__u64 sum_ns;
	__u32 b[UC_MON_BUCKETS];
	__u32 pad;
};

/*
 * Breakdown labels.  Each kind has CAP slots handed out first come, first
 * served, then one "other" slot (index CAP).  Label slots are numbered
 * ports first: port slot s is s, handler slot s is port_cap + 1 + s.
 */
enum uc_mon_label_kind {
	UC_MON_LABEL_PORT = 0,     /* id: datapath port number */
	UC_MON_LABEL_HANDLER = 1,  /* name: the thread's comm */
};
#define UC_MON_MAX_LABEL_CAP 256

/* Key of map label_slot (label -> slot) and value of map slot_owner. */
struct uc_mon_label_key {
	__u32 kind;
	__u32 id;
	char name[UC_TASK_COMM_LEN];
};

/* The kernel upcalls in flight (map inflight, a bounded hash): packet ->
 * time.  User space expires the entries nobody received in time. */
struct uc_mon_inflight_key {
	__u32 port;            /* datapath port */
	__u32 len;             /* packet length */
	__u64 hash;            /* of the hashed bytes, L4 checksum zeroed */
};
/* Identical packets (same key) in flight at once get a slot each, taken
 * first in, first out, as the offline matching pairs them. */
#define UC_MON_SLOTS 4
struct uc_mon_inflight {
	__u64 ts[UC_MON_SLOTS];     /* kernel upcall time; 0 = free */
	__u32 check[UC_MON_SLOTS];  /* a second hash: tells collisions apart */
};

/* Counters (map counters, per CPU), indexed by this enum. */
enum uc_mon_counter {
	UC_MC_UPCALLS,            /* kernel MISS upcalls (ovs_dp_upcall) */
	UC_MC_UPCALL_OK,          /* ovs_dp_upcall returned 0: queued */
	UC_MC_UPCALL_LOST,        /* it returned an error: the upcall is lost */
	UC_MC_UPCALL_UNTRACKED,   /* its bytes could not be hashed (not linear) */
	UC_MC_UPCALL_NO_PORT,     /* its datapath port is unknown */
	UC_MC_INFLIGHT_INSERTED,  /* slots taken in map inflight */
	UC_MC_INFLIGHT_IDENTICAL, /* an identical packet was in flight already */
	UC_MC_INFLIGHT_COLLISION, /* another packet had the same key */
	UC_MC_INFLIGHT_FULL,      /* every slot of its key taken: not tracked */
	UC_MC_INFLIGHT_MAP_FULL,  /* the map was full: not tracked */
	UC_MC_INFLIGHT_RELEASED,  /* slots freed because the upcall was lost */
	UC_MC_RECEIVES,           /* recv_upcall of DPIF_UC_MISS upcalls */
	UC_MC_RECEIVES_OTHER,     /* recv_upcall of other types (not followed) */
	UC_MC_MATCHED,            /* receives paired with their kernel upcall */
	UC_MC_RECV_NOT_FOUND,     /* receives with no kernel upcall in flight */
	UC_MC_RECV_COLLISION,     /* key in flight, but for another packet */
	UC_MC_RECV_NO_PORT,       /* flow key without OVS_KEY_ATTR_IN_PORT */
	UC_MC_PUTS,
	UC_MC_EXECUTES,
	UC_MC_KERNEL_EXECUTES,
	UC_MC_PUTS_DROPPED,       /* flow puts no receive could take */
	UC_MC_EXECUTES_DROPPED,   /* executes no receive could take */
	UC_MC_KEXEC_UNPAIRED,     /* kernel executes no execute could take */
	UC_MC_KEXEC_MISMATCH,     /* paired with an execute of another packet */
	UC_MC_KEXEC_NO_THREAD,    /* kernel executes in a thread with no receive */
	UC_MC_SET_NO_PUT,         /* closed upcalls without a flow put */
	UC_MC_SET_NO_EXECUTE,     /* ... without an execute */
	UC_MC_SET_NO_KEXEC,       /* ... with an execute but no kernel execute */
	UC_MC_BATCHES,            /* handler batches closed */
	UC_MC_BATCH_OVERFLOW,     /* batches cut at UC_MON_MAX_BATCH receives */
	UC_MC_THREADS_FULL,       /* receives of a thread map thread had no room for */
	UC_MC_NEGATIVE,           /* latencies below zero, recorded as 0 */
	UC_MC_SCRATCH_BUSY,       /* events skipped: scratch buffer in use */
	UC_MC_AUDIT_LOST,         /* audit records the ring buffer refused */
	UC_MC_COUNT,
};

/*
 * For tests (UC_MONITOR_AUDIT): every latency recorded, as it was, in
 * ring buffer audit_rb.  Off by default; the verifier then drops the code.
 */
struct uc_mon_audit {
	__u64 recv_ts;        /* its upcall's receive time */
	__s64 value_ns;
	__u32 tid;            /* its handler thread */
	__u32 seg;
};

/* Receives per handler batch: OVS reads at most 64 (UPCALL_MAX_BATCH). */
#define UC_MON_MAX_BATCH 64
/* errno values of failed upcalls kept apart (map upcall_errors). */
#define UC_MON_ERRNO_MAX 256
/* Default bytes of each packet hashed in monitor mode (-P). */
#define UC_MON_DEFAULT_HASH_BYTES 64

#endif /* UPCALL_COST_H */
