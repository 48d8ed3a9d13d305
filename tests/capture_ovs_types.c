/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_ovs_types.c - compiled with clang -g into a BTF file that stands
 * in for the kernel's BTF in `capture_harness verify BTF`, so that the
 * CO-RE path of uc_dp_upcall (taken when the openvswitch module's BTF is
 * present) gets relocated and verified on a machine without the module.
 * The tracepoint record is TRACE_EVENT(ovs_dp_upcall) of
 * net/openvswitch/openvswitch_trace.h (Linux 5.14+); sk_buff only needs
 * the fields read, at arbitrary offsets.
 */
typedef unsigned char u8; typedef unsigned short u16; typedef unsigned int u32;
struct trace_entry { unsigned short type; unsigned char flags; unsigned char preempt_count; int pid; };
struct trace_event_raw_ovs_dp_upcall {  /* as the kernel's */
	struct trace_entry ent; void *dpaddr; u32 __data_loc_dp_name; u32 __data_loc_dev_name;
	void *skbaddr; unsigned int len; unsigned int data_len; unsigned int truesize; u8 nr_frags;
	u16 gso_size; u16 gso_type; u32 ovs_flow_hash; u32 recirc_id; const void *keyaddr;
	u16 key_eth_type; u8 key_ct_state; u8 key_ct_orig_proto; u16 key_ct_zone;
	unsigned int flow_key_valid; u8 upcall_cmd; u32 upcall_port; u16 upcall_mru; char __data[];
};
struct sk_buff { char pad[112]; unsigned int len; unsigned int data_len; char pad2[80]; unsigned char *data; };
struct trace_event_raw_ovs_dp_upcall a; struct sk_buff b;
