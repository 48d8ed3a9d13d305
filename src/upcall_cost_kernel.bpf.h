/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * upcall_cost_kernel.bpf.h - the few kernel types upcall_cost.bpf.c reads.
 *
 * Hand-written instead of a generated vmlinux.h: the openvswitch types are
 * in the module's BTF, which a build machine without the module does not
 * have, and a 3 MB vmlinux.h would tie the build to the build host's kernel
 * for nothing.  Only the fields read are declared; preserve_access_index
 * makes clang emit CO-RE relocations, so libbpf moves every access to the
 * running kernel's offsets at load time: vmlinux BTF for sk_buff and
 * net_device, the openvswitch module's BTF (or the file given with --btf,
 * on kernels whose modules have none) for the datapath types.
 *
 * The tracepoint record of openvswitch:ovs_dp_upcall is not declared here:
 * its field offsets are read from tracefs at run time (capture_tracefs.c)
 * and handed to the program as constants, so it needs no BTF at all.
 *
 * Basic types, map/helper enums and struct pt_regs come from the UAPI
 * headers (linux-libc-dev), which bpf_helpers.h / usdt.bpf.h need anyway.
 */
#ifndef UPCALL_COST_KERNEL_BPF_H
#define UPCALL_COST_KERNEL_BPF_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <stdbool.h>

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/* vmlinux BTF. */
struct net_device {
	char name[16];
} __attribute__((preserve_access_index));

/* vlan_present: until Linux 6.1 (since 6.2 a tag is present when
 * vlan_proto or vlan_tci is not zero). */
struct sk_buff {
	struct net_device *dev;
	unsigned int len;
	unsigned int data_len;
	unsigned char *data;
	__u16 vlan_tci;
	__be16 vlan_proto;
	__u8 vlan_present : 1;
} __attribute__((preserve_access_index));

struct hlist_node {
	struct hlist_node *next;
} __attribute__((preserve_access_index));

struct hlist_head {
	struct hlist_node *first;
} __attribute__((preserve_access_index));

/*
 * openvswitch module BTF (net/openvswitch/datapath.h, vport.h), read by
 * the kprobe on ovs_dp_upcall(dp, skb, key, upcall_info, cutlen) where the
 * tracepoint is missing.  The tracepoint's dp_name is ovs_dp_name(dp): the
 * name of the datapath's local port (port 0), found in dp->ports[0].
 */
struct dp_upcall_info {
	__u8 cmd;
	__u32 portid;
} __attribute__((preserve_access_index));

struct vport {
	struct net_device *dev;
	__u16 port_no;
	struct hlist_node dp_hash_node;
} __attribute__((preserve_access_index));

struct datapath {
	struct hlist_head *ports;
} __attribute__((preserve_access_index));

/* vmlinux BTF, for --explain.  The thread's state is __state since Linux
 * 5.14, state before (a long): task_struct___o has the old name. */
struct task_struct {
	unsigned int __state;
	int pid;
	int tgid;
	int prio;
	int wake_cpu;
	char comm[16];
} __attribute__((preserve_access_index));

struct task_struct___o {
	long state;
} __attribute__((preserve_access_index));

/* OVS's struct ofpbuf (include/openvswitch/ofpbuf.h): the netlink request
 * a USDT probe hands over.  Not kernel memory: read with the user helpers
 * at these LP64 offsets, the same from OVS 2.17 to 3.5. */
#define OVS_OFPBUF_DATA_OFF 8
#define OVS_OFPBUF_SIZE_OFF 16
/* struct udpif_key: cmap_node, key, key_len, mask, mask_len, then the
 * ovs_u128 ufid, the same from OVS 2.17 to 3.5 (LP64). */
#define OVS_UKEY_UFID_OFF 40

#endif /* UPCALL_COST_KERNEL_BPF_H */
