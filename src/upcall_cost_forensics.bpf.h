/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * upcall_cost_forensics.bpf.h - what happens to datapath flows, for miss
 * forensics (forensics.h):
 *
 *   usdt dpif_netlink_operate__:op_flow_put   (uc_op_flow_put, upcall_cost.bpf.c)
 *        its request, before the put event    UC_X_FLOW_PUT_REQ
 *   usdt dpif_netlink_operate__:op_flow_del   uc_op_flow_del      UC_X_FLOW_DEL
 *   usdt revalidate:flow_result               uc_flow_result      UC_X_FLOW_RESULT
 *   usdt revalidator_sweep__:flow_sweep_result uc_flow_sweep_result (OVS 3.4+)
 *   fentry or kprobe ovs_flow_tbl_flush       uc_flush_fentry,    UC_X_DP_FLUSH
 *                                             uc_flush_kprobe
 *
 * The requests are user memory (struct ofpbuf): their first bytes are
 * copied (UFID first, then key and mask).  A revalidator result names
 * the ukey only: its UFID is read at OVS_UKEY_UFID_OFF.  KEEP results (the
 * bulk of them, one per flow per round) are dropped here.
 */
#ifndef UPCALL_COST_FORENSICS_BPF_H
#define UPCALL_COST_FORENSICS_BPF_H

/* Copy put requests (user space sets it when forensics is on). */
const volatile bool flow_requests = false;

/* The first MAX bytes of the ofpbuf REQUEST into X's data. */
static __always_inline void copy_request(struct uc_bpf_xrec *x, const void *request,
					 __u64 max)
{
	void *data = NULL;
	__u32 size = 0;
	__u64 n;

	if (!request)
		return;
	bpf_probe_read_user(&data, sizeof(data), request + OVS_OFPBUF_DATA_OFF);
	bpf_probe_read_user(&size, sizeof(size), request + OVS_OFPBUF_SIZE_OFF);
	x->b = size;
	n = size < max ? size : max;
	if (!data || !n)
		return;
	if (bpf_probe_read_user(x + 1, n, data))
		return;
	x->data_len = (__u16)n;
}

/* op_flow_put's request: called from uc_op_flow_put before its event. */
static __always_inline void flow_put_request(const void *request)
{
	struct uc_bpf_xrec *x;

	if (!flow_requests)
		return;
	x = xrec_reserve(UC_X_FLOW_PUT_REQ, UC_X_PUT_REQ_BYTES);
	if (!x)
		return;
	x->ts = bpf_ktime_get_ns();
	x->tid = (__u32)bpf_get_current_pid_tgid();
	copy_request(x, request, UC_X_PUT_REQ_BYTES);
	xrec_submit(x);
}

/* dpif_netlink_operate__:op_flow_del(dpif, del, flow, request) */
SEC("usdt")
int BPF_USDT(uc_op_flow_del, void *dpif, void *del, void *flow, const void *request)
{
	struct uc_bpf_xrec *x = xrec_reserve(UC_X_FLOW_DEL, UC_X_DEL_REQ_BYTES);

	if (!x)
		return 0;
	x->ts = bpf_ktime_get_ns();
	x->tid = (__u32)bpf_get_current_pid_tgid();
	bpf_get_current_comm(&x->comm, sizeof(x->comm));
	copy_request(x, request, UC_X_DEL_REQ_BYTES);
	xrec_submit(x);
	return 0;
}

/* OVS's enum reval_result: UKEY_KEEP, UKEY_DELETE, UKEY_MODIFY. */
#define UKEY_KEEP 0

static __always_inline int flow_result(const void *ukey, int result, int reason,
				       __u16 sweep)
{
	struct uc_bpf_xrec *x;

	if (result == UKEY_KEEP)
		return 0;
	x = xrec_reserve(UC_X_FLOW_RESULT, 16);
	if (!x)
		return 0;
	x->ts = bpf_ktime_get_ns();
	x->tid = (__u32)bpf_get_current_pid_tgid();
	x->flags = sweep;
	x->ret = result;
	x->other = (__u32)reason;
	bpf_get_current_comm(&x->comm, sizeof(x->comm));
	if (ukey && !bpf_probe_read_user(x + 1, 16, ukey + OVS_UKEY_UFID_OFF))
		x->data_len = 16;
	xrec_submit(x);
	return 0;
}

/* revalidate:flow_result(udpif, ukey, result, del_reason) */
SEC("usdt")
int BPF_USDT(uc_flow_result, void *udpif, const void *ukey, int result, int reason)
{
	return flow_result(ukey, result, reason, 0);
}

/* revalidator_sweep__:flow_sweep_result: the same four (its documentation
 * calls it flow_result; the source and the ELF note flow_sweep_result) */
SEC("usdt")
int BPF_USDT(uc_flow_sweep_result, void *udpif, const void *ukey, int result, int reason)
{
	return flow_result(ukey, result, reason, 1);
}

/* ovs_flow_tbl_flush(): called for an OVS_FLOW_CMD_DEL with neither key
 * nor UFID (dpctl/del-flows), which no USDT probe sees. */
static __always_inline int flush(void)
{
	struct uc_bpf_xrec *x = xrec_reserve(UC_X_DP_FLUSH, 0);

	if (!x)
		return 0;
	x->ts = bpf_ktime_get_ns();
	x->tid = (__u32)bpf_get_current_pid_tgid();
	bpf_get_current_comm(&x->comm, sizeof(x->comm));
	xrec_submit(x);
	return 0;
}

SEC("fentry/ovs_flow_tbl_flush")
int BPF_PROG(uc_flush_fentry)
{
	return flush();
}

SEC("kprobe/ovs_flow_tbl_flush")
int BPF_KPROBE(uc_flush_kprobe)
{
	return flush();
}

#endif /* UPCALL_COST_FORENSICS_BPF_H */
