/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_ovs_types.c - compiled with clang -g into a BTF file that stands
 * in for the kernel's BTF in `monitor_harness verify BTF` (libbpf's custom
 * BTF path, as --btf uses it), so that the CO-RE paths of monitor.bpf.c
 * taken when the openvswitch module's types are known (struct
 * sw_flow_key's in_port through the tracepoint's keyaddr and the kprobe's
 * key, dp_upcall_info's cmd, genl_info's attributes) get relocated and
 * verified on a machine without the module: capture_ovs_types.c's
 * stand-ins and the types the monitor reads besides.  The layouts are the
 * kernel's (net/openvswitch/flow.h, include/net/genetlink.h) where the
 * program reads them; the rest is padding.
 */
#include "capture_ovs_types.c"

struct sw_flow_key {
	u8 tun_opts[255]; u8 tun_opts_len; char tun_key[64];
	struct { u32 priority; u32 skb_mark; u16 in_port; } __attribute__((packed)) phy;
	u8 mac_proto;
};
struct nlattr { u16 nla_len; u16 nla_type; };
struct genl_info { u32 snd_seq; u32 snd_portid; const void *family; const void *nlhdr;
		   void *genlhdr; struct nlattr **attrs; };
struct sw_flow_key mon_c; struct nlattr mon_d; struct genl_info mon_e;
