/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * skb_vlan.bpf.h - the VLAN tag of a packet in the kernel datapath, for
 * both BPF objects (upcall_cost.bpf.c, monitor.bpf.c).
 *
 * The datapath keeps a received frame's VLAN tag outside the packet data
 * (skb->vlan_*, untagged by the hardware or by flow extraction) and puts
 * it back into the packet it sends up to ovs-vswitchd; so the packet
 * vswitchd receives is the skb's data with these 4 bytes after the
 * Ethernet addresses.
 */
#ifndef SKB_VLAN_BPF_H
#define SKB_VLAN_BPF_H

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

/*
 * True, with the tag in PROTO and TCI (network order), when SKB has one
 * outside its data.  vlan_present: until Linux 6.1 (since 6.2 a tag is
 * present when vlan_proto or vlan_tci is not zero).
 */
static __always_inline bool skb_vlan_tag(struct sk_buff *skb, __be16 *proto, __be16 *tci)
{
	*proto = BPF_CORE_READ(skb, vlan_proto);
	*tci = bpf_htons(BPF_CORE_READ(skb, vlan_tci));
	if (bpf_core_field_exists(skb->vlan_present))
		return BPF_CORE_READ_BITFIELD_PROBED(skb, vlan_present);
	return *proto || *tci;
}

#endif /* SKB_VLAN_BPF_H */
