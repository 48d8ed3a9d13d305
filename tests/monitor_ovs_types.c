/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_ovs_types.c - compiled with clang -g into a BTF file that stands
 * in for the kernel's BTF in `monitor_harness verify BTF`, so that the
 * CO-RE paths of monitor.bpf.c taken when the openvswitch module's BTF is
 * present (the tracepoint record with its keyaddr, struct sw_flow_key's
 * in_port) get relocated and verified on a machine without the module.
 * The layouts are the kernel's (net/openvswitch/openvswitch_trace.h,
 * flow.h, include/net/genetlink.h) where the program reads them; the rest
 * is padding.
 */
typedef unsigned char u8; typedef unsigned short u16; typedef unsigned int u32;
struct trace_entry { unsigned short type; unsigned char flags; unsigned char preempt_count; int pid; };
struct trace_event_raw_ovs_dp_upcall {
	struct trace_entry ent; void *dpaddr; u32 __data_loc_dp_name; u32 __data_loc_dev_name;
	void *skbaddr; unsigned int len; unsigned int data_len; unsigned int truesize; u8 nr_frags;
	u16 gso_size; u16 gso_type; u32 ovs_flow_hash; u32 recirc_id; const void *keyaddr;
	u16 key_eth_type; u8 key_ct_state; u8 key_ct_orig_proto; u16 key_ct_zone;
	unsigned int flow_key_valid; u8 upcall_cmd; u32 upcall_port; u16 upcall_mru; char __data[];
};
struct sk_buff { char pad[112]; unsigned int len; unsigned int data_len; char pad2[80]; unsigned char *data; };
struct sw_flow_key {
	u8 tun_opts[255]; u8 tun_opts_len; char tun_key[64];
	struct { u32 priority; u32 skb_mark; u16 in_port; } __attribute__((packed)) phy;
	u8 mac_proto;
};
struct nlattr { u16 nla_len; u16 nla_type; };
struct genl_info { u32 snd_seq; u32 snd_portid; const void *family; const void *nlhdr;
		   void *genlhdr; struct nlattr **attrs; };
struct trace_event_raw_ovs_dp_upcall a; struct sk_buff b; struct sw_flow_key c;
struct nlattr d; struct genl_info e;
