/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * upcall_cost_kernel.bpf.h - the few kernel types upcall_cost.bpf.c reads.
 *
 * Hand-written instead of a generated vmlinux.h: the openvswitch types are
 * in the module's BTF, which a build machine without the module does not
 * have, and a 3 MB vmlinux.h would tie the build to the build host's kernel
 * for nothing.  Only the fields read are declared; preserve_access_index
 * makes clang emit CO-RE relocations, so libbpf moves every access to the
 * running kernel's offsets at load time (vmlinux BTF for sk_buff, the
 * openvswitch module's BTF for the tracepoint record).
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

/* vmlinux BTF: struct sk_buff. */
struct sk_buff {
	unsigned int len;
	unsigned int data_len;
	unsigned char *data;
} __attribute__((preserve_access_index));

/*
 * openvswitch module BTF: the tracepoint record of
 * net/openvswitch/openvswitch_trace.h (TRACE_EVENT(ovs_dp_upcall, ...)).
 * The __data_loc fields hold (length << 16 | offset-in-record).
 */
struct trace_event_raw_ovs_dp_upcall {
	__u32 __data_loc_dp_name;
	__u32 __data_loc_dev_name;
	void *skbaddr;
	unsigned int len;
	__u8 upcall_cmd;
} __attribute__((preserve_access_index));

/*
 * The same record with the fixed layout it has had since Linux 5.14 on
 * 64-bit kernels (8-byte trace_entry).  Used only when the running kernel
 * has no BTF for the openvswitch module (CONFIG_DEBUG_INFO_BTF_MODULES=n,
 * or the module not loaded, as on a build/test host): then the CO-RE
 * relocations above cannot resolve, and bpf_core_type_exists() selects
 * this layout instead, so the program still loads and verifies.
 */
struct uc_ovs_dp_upcall_fixed {
	__u8 common[8];            /* struct trace_entry */
	void *dpaddr;              /* 8 */
	__u32 __data_loc_dp_name;  /* 16 */
	__u32 __data_loc_dev_name; /* 20 */
	void *skbaddr;             /* 24 */
	unsigned int len;          /* 32 */
	__u8 pad[84 - 36];
	__u8 upcall_cmd;           /* 84 */
};

_Static_assert(__builtin_offsetof(struct uc_ovs_dp_upcall_fixed, skbaddr) == 24,
	       "ovs_dp_upcall record layout");
_Static_assert(__builtin_offsetof(struct uc_ovs_dp_upcall_fixed, len) == 32,
	       "ovs_dp_upcall record layout");
_Static_assert(__builtin_offsetof(struct uc_ovs_dp_upcall_fixed, upcall_cmd) == 84,
	       "ovs_dp_upcall record layout");

#endif /* UPCALL_COST_KERNEL_BPF_H */
