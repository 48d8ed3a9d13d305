/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_ovs_types.c - compiled with clang -g into a BTF file that stands
 * in for the kernel's BTF in `capture_harness verify BTF` (libbpf's custom
 * BTF path, as --btf uses it), so that the kprobe on ovs_dp_upcall, which
 * reads the openvswitch module's types, gets relocated and verified on a
 * machine without the module.  The types are those of Linux 5.10's
 * net/openvswitch (datapath.h, vport.h) with the fields before the ones
 * read; sk_buff and net_device only need the fields read, at arbitrary
 * offsets.
 */
typedef unsigned char u8; typedef unsigned short u16; typedef unsigned int u32;
struct hlist_node { struct hlist_node *next, **pprev; };
struct hlist_head { struct hlist_node *first; };
struct list_head { struct list_head *next, *prev; };
struct net_device { char name[16]; char pad[200]; };
struct sk_buff { char pad[16]; struct net_device *dev; char pad1[88]; unsigned int len;
	unsigned int data_len; char pad2[40]; u8 pkt_type:3, ignore_df:1, vlan_present:1;
	u16 vlan_tci; u16 vlan_proto; char pad3[34]; unsigned char *data; };
struct dp_upcall_info { void *egress_tun_info; const void *userdata; const void *actions;
	int actions_len; u32 portid; u8 cmd; u16 mru; };
struct vport { struct net_device *dev; void *dp; void *upcall_portids; u16 port_no;
	struct hlist_node hash_node; struct hlist_node dp_hash_node; };
struct datapath { char rcu[16]; struct list_head list_node; char table[96];
	struct hlist_head *ports; };
/* Linux 5.10's task_struct: "state", not yet "__state" (--explain reads
 * whichever the BTF has; with --btf, the module's BTF stands in for the
 * kernel's for every relocation). */
struct task_struct { char pad[16]; volatile long state; char pad1[64]; int wake_cpu;
	char pad2[20]; int prio; char pad3[1200]; int pid; int tgid; char pad4[800];
	char comm[16]; };
struct sk_buff a; struct dp_upcall_info b; struct vport c; struct datapath d;
struct hlist_head e; struct net_device f; struct task_struct g;  /* full types,
							   * not forward declarations */
