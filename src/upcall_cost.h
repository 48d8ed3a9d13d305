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

/* ------------------------------------------------------------ xevents
 *
 * What the kernel decided about each upcall, where a handler's time went,
 * and what happened to datapath flows travel as "xevents": one more
 * record kind in the same ring buffer, so everything keeps one order.  A
 * ring record whose first u32 is UC_X_BASE or more is a struct
 * uc_bpf_xrec (uc_bpf_event's first u32, its event type, is below 5).
 * Kinds from UC_X_FEATURES on are made by user space, never by BPF.
 */
#define UC_X_BASE 16

enum uc_x_kind {
	/* A kernel upcall's result (ovs_dp_upcall() returned): failures
	 * only (every one with all_verdicts).  ts = the return, a = the ts
	 * of its DP_UPCALL record on that CPU (0: none), b = skb length,
	 * flags = upcall command, other = the handler socket's portid, ret =
	 * the negative errno, comm = the device, data = the packet's first
	 * bytes (its linear part). */
	UC_X_DP_RESULT = UC_X_BASE,
	/* A traced thread left the CPU: a = its state, other/ret/comm = the
	 * next task's tid, prio and name, flags = preempted. */
	UC_X_SWITCH_OUT,
	/* A traced thread got the CPU: other/ret/comm = the previous task. */
	UC_X_SWITCH_IN,
	/* A traced thread is woken (in the waker's context): other/comm =
	 * the waker, ret = the CPU it will run on, a = the ts of the kernel
	 * upcall in progress on the waker's CPU (0: none), flags =
	 * UC_XWAKE_*.  seq is 0: another CPU's record. */
	UC_X_WAKING,
	/* A traced thread was interrupted: ts = entry, a = exit, b = the
	 * time of the handler itself (a softirq's minus nested hardirqs),
	 * other = irq number or softirq vector. */
	UC_X_HARDIRQ,
	UC_X_SOFTIRQ,
	/* A traced thread's syscall: ts = entry, a = exit, b = its first
	 * argument (fd, futex address), other = UC_SC_*, ret = result. */
	UC_X_SYSCALL,
	/* dpif_netlink_operate__:op_flow_put's netlink request, just before
	 * the put event of the same thread: b = its length, data = its
	 * first bytes (UFID, key, mask). */
	UC_X_FLOW_PUT_REQ,
	/* dpif_netlink_operate__:op_flow_del: b = request length, data =
	 * its first bytes, comm = the thread. */
	UC_X_FLOW_DEL,
	/* revalidate:flow_result (flags 0) or revalidator_sweep__:
	 * flow_sweep_result (flags 1): ret = enum reval_result, other =
	 * enum flow_del_reason, data = the ukey's 16-byte UFID. */
	UC_X_FLOW_RESULT,
	/* ovs_flow_tbl_flush(): a datapath's flows all deleted (dpctl/
	 * del-flows); comm = the thread that asked. */
	UC_X_DP_FLUSH,
	/* User space: what the capture traced (a = UC_FEAT_*, b =
	 * UC_FEATHOW_*, other = the traced process).  Once, first. */
	UC_X_FEATURES,
	/* User space, at the end: the BPF totals of ovs_dp_upcall()
	 * results, one per CPU, command and result: cpu, flags = command,
	 * ret = 0 or the negative errno, a = count. */
	UC_X_DP_RESULTS,
	UC_X_MAX,
};

/* UC_X_WAKING flags: the wake came from interrupt context. */
/* The kernel's per-CPU upcall results (upcall_cost_verdict.bpf.h), one
 * slot per (command & 3, min(errno, 255)): slot 0 of a command counts its
 * successes. */
#define UC_RESULTS_SLOTS 1024
#define UC_RESULTS_SLOT(cmd, err) (((cmd) & 3) << 8 | ((err) > 255 ? 255 : (err)))
#define UC_RESULTS_CMD(slot) ((slot) >> 8)
#define UC_RESULTS_ERR(slot) ((slot) & 0xff)

#define UC_XWAKE_HARDIRQ 0x1
#define UC_XWAKE_SOFTIRQ 0x2

/* UC_X_SYSCALL other: the handler syscalls followed. */
enum uc_syscall_kind {
	UC_SC_NONE = 0,
	UC_SC_RECVMSG,
	UC_SC_SENDMSG,
	UC_SC_POLL,
	UC_SC_EPOLL_WAIT,
	UC_SC_FUTEX,
	UC_SC_MAX,
};

/* UC_X_FEATURES a: the sources the capture attached. */
#define UC_FEAT_KERNEL     0x001u  /* the kernel half */
#define UC_FEAT_USER       0x002u  /* the USDT half */
#define UC_FEAT_VERDICT    0x004u  /* ovs_dp_upcall results */
#define UC_FEAT_SCHED      0x008u  /* sched_switch, sched_waking */
#define UC_FEAT_IRQ        0x010u  /* irq and softirq entry/exit */
#define UC_FEAT_SYSCALLS   0x020u  /* the handlers' syscalls */
#define UC_FEAT_FLOW_PUT   0x040u  /* put requests (UFID, key, mask) */
#define UC_FEAT_FLOW_DEL   0x080u  /* op_flow_del */
#define UC_FEAT_FLUSH      0x100u  /* ovs_flow_tbl_flush */
#define UC_FEAT_REASONS    0x200u  /* revalidator flow results */
/* UC_X_FEATURES b: how (for the report). */
#define UC_FEATHOW_VERDICT_KRETPROBE 0x1u   /* else fexit */
#define UC_FEATHOW_SYSCALLS_TP       0x2u   /* else fentry/fexit */

/* Bytes of packet a DP_RESULT carries, of request a put or del carries. */
#define UC_X_RESULT_BYTES 128
#define UC_X_PUT_REQ_BYTES 512
#define UC_X_DEL_REQ_BYTES 256
/* The most data any xevent may carry (files). */
#define UC_X_DATA_MAX 2048

/*
 * One ring-buffer xevent: this header, then data_len bytes.  72 bytes;
 * kind, cpu and tid sit where struct uc_bpf_event has event, cpu, pid.
 */
struct uc_bpf_xrec {
	__u32 kind;           /* enum uc_x_kind */
	__u32 cpu;
	__u32 tid;
	__u32 seq;            /* per traced thread, records of its own
			       * context (switches, IRQs, syscalls): a gap
			       * is a record the ring refused */
	__u64 ts;             /* bpf_ktime_get_ns() */
	__u64 a, b;           /* per kind, see enum uc_x_kind */
	__u32 other;
	__s32 ret;
	__u16 flags;
	__u16 data_len;
	__u32 reserved;       /* zero */
	char comm[UC_TASK_COMM_LEN];
};

#define UC_BPF_XREC_SIZE 72

/* Handler threads followed by --explain, at most. */
#define UC_MAX_HANDLERS 4096

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
