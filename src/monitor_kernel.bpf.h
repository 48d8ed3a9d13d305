/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * monitor_kernel.bpf.h - the kernel types monitor.bpf.c reads beyond those
 * of upcall_cost_kernel.bpf.h (which it includes).  As there, only the
 * fields read are declared, and CO-RE moves every access to the running
 * kernel's offsets at load time.
 */
#ifndef MONITOR_KERNEL_BPF_H
#define MONITOR_KERNEL_BPF_H

#include "upcall_cost_kernel.bpf.h"

/*
 * openvswitch module BTF (net/openvswitch/flow.h), or --btf's: the
 * datapath port the packet came in on, in the flow key the kernel
 * extracted (ovs_dp_upcall()'s key argument, the tracepoint's keyaddr).
 * The kernel puts the same number in the upcall's OVS_KEY_ATTR_IN_PORT,
 * which is where vswitchd's side reads it.
 */
struct sw_flow_key {
	struct {
		__u32 priority;
		__u32 skb_mark;
		__u16 in_port;
	} __attribute__((packed)) phy;
} __attribute__((preserve_access_index));

/* DP_MAX_PORTS: in_port of a packet that came from no port. */
#define UC_DP_MAX_PORTS 65535

/* vmlinux BTF (include/net/genetlink.h, include/uapi/linux/netlink.h):
 * ovs_packet_cmd_execute()'s request, whose OVS_PACKET_ATTR_PACKET
 * attribute carries the packet to execute. */
struct nlattr {
	__u16 nla_len;
	__u16 nla_type;
} __attribute__((preserve_access_index));

struct genl_info {
	struct nlattr **attrs;
} __attribute__((preserve_access_index));

#define UC_OVS_PACKET_ATTR_PACKET 1
#define UC_NLA_HDRLEN 4

#endif /* MONITOR_KERNEL_BPF_H */
