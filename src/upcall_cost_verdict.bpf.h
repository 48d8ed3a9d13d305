/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * upcall_cost_verdict.bpf.h - the kernel's verdict on every upcall: the
 * result of ovs_dp_upcall(), whose only failure path is the module's only
 * n_lost++ (what `dpctl/show` counts as lost).
 *
 *   fexit/ovs_dp_upcall       uc_dp_result_fexit      module BTF
 *   kretprobe/ovs_dp_upcall   uc_dp_result_kretprobe  kprobes
 *
 * Every result is counted per CPU, command and errno in upcall_results
 * (exact whatever the ring refuses); a failure also becomes a
 * UC_X_DP_RESULT record naming its DP_UPCALL record by (CPU, ts).  The
 * tie is a per-CPU slot the DP_UPCALL program fills (ACTION upcalls too)
 * and the exit clears: the path runs with bottom halves off and
 * ovs_dp_upcall() never nests, so the slot is the call's.  The verdict
 * cannot ride on the DP_UPCALL record itself: genlmsg_unicast() wakes the
 * handler inside ovs_dp_upcall(), so its receive may enter the ring
 * before the exit runs, and a kernel upcall must come before its receive.
 */
#ifndef UPCALL_COST_VERDICT_BPF_H
#define UPCALL_COST_VERDICT_BPF_H

/* Settings (user space, before load). */
const volatile bool verdicts = false;       /* fill the slot */
const volatile bool all_verdicts = false;   /* a record for successes too */

struct upcall_slot {
	__u64 dp_ts;          /* ts of the DP_UPCALL record, 0: none written */
	__u64 skb;
	__u32 active;
	__u32 cmd;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct upcall_slot);
} upcall_slot SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, UC_RESULTS_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} upcall_results SEC(".maps");

static __always_inline struct upcall_slot *slot_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&upcall_slot, &zero);
}

/* The DP_UPCALL program, at the start of every upcall (MISS or not). */
static __always_inline void slot_fill(void *skb, __u32 cmd, __u64 dp_ts)
{
	struct upcall_slot *s;

	if (!verdicts)
		return;
	s = slot_get();
	if (!s)
		return;
	s->dp_ts = dp_ts;
	s->skb = (__u64)skb;
	s->cmd = cmd;
	s->active = 1;
}

/* The ts of the kernel upcall in progress on this CPU, 0 if none (for
 * sched_waking: a handler woken by an upcall). */
static __always_inline __u64 slot_dp_ts(void)
{
	struct upcall_slot *s = verdicts ? slot_get() : NULL;

	return s && s->active ? s->dp_ts : 0;
}

static __always_inline int dp_result(struct sk_buff *skb, __u32 cmd, __u32 portid,
				     int ret, bool know_skb)
{
	struct upcall_slot *s = slot_get();
	struct uc_bpf_xrec *x;
	__u32 idx, err = ret < 0 ? (__u32)-ret : 0;
	__u64 *n;
	bool mine;

	if (!s)
		return 0;
	mine = s->active && (!know_skb || s->skb == (__u64)skb);
	if (!know_skb) {         /* the kretprobe: what its kprobe kept, if it ran */
		skb = mine ? (struct sk_buff *)s->skb : NULL;
		cmd = mine ? s->cmd : 0;
	}
	idx = UC_RESULTS_SLOT(cmd, err);
	n = bpf_map_lookup_elem(&upcall_results, &idx);
	if (n)
		__sync_fetch_and_add(n, 1);
	if (ret || all_verdicts) {
		x = xrec_reserve(UC_X_DP_RESULT, UC_X_RESULT_BYTES);
		if (x) {
			__u64 len = 0;
			unsigned char *data = skb ? BPF_CORE_READ(skb, data) : NULL;

			x->ts = bpf_ktime_get_ns();
			x->tid = (__u32)bpf_get_current_pid_tgid();
			x->a = mine ? s->dp_ts : 0;
			x->flags = (__u16)cmd;
			x->other = portid;
			x->ret = ret;
			if (skb) {
				len = BPF_CORE_READ(skb, len) - BPF_CORE_READ(skb, data_len);
				x->b = BPF_CORE_READ(skb, len);
				BPF_CORE_READ_STR_INTO(&x->comm, skb, dev, name);
			}
			if (len > UC_X_RESULT_BYTES)
				len = UC_X_RESULT_BYTES;
			if (data && len)
				bpf_probe_read_kernel(x + 1, len, data);
			x->data_len = (__u16)len;
			xrec_submit(x);
		}
	}
	s->active = 0;
	return 0;
}

SEC("fexit/ovs_dp_upcall")
int BPF_PROG(uc_dp_result_fexit, struct datapath *dp, struct sk_buff *skb,
	     const void *key, const struct dp_upcall_info *info, __u32 cutlen, int ret)
{
	__u32 portid = 0;

	if (info && bpf_core_field_exists(info->portid))
		portid = BPF_CORE_READ(info, portid);
	return dp_result(skb, info ? BPF_CORE_READ(info, cmd) : 0, portid, ret, true);
}

SEC("kretprobe/ovs_dp_upcall")
int BPF_KRETPROBE(uc_dp_result_kretprobe, int ret)
{
	return dp_result(NULL, 0, 0, ret, false);
}

#endif /* UPCALL_COST_VERDICT_BPF_H */
