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

#endif /* UPCALL_COST_H */
