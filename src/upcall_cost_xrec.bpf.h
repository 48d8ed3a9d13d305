/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * upcall_cost_xrec.bpf.h - xevent records (struct uc_bpf_xrec) in the one
 * ring buffer, for the programs of upcall_cost_{verdict,explain,
 * forensics}.bpf.h.  Included by upcall_cost.bpf.c after its maps.
 *
 * Each is reserved at a constant size (header + the most data its kind
 * carries; bpf_ringbuf_reserve, Linux 5.8+) and filled in place; data_len
 * says how much of the data is real.  A record the ring refuses is
 * counted per kind, and, for a traced thread's own records, still takes
 * a sequence number, so user space sees the gap.
 */
#ifndef UPCALL_COST_XREC_BPF_H
#define UPCALL_COST_XREC_BPF_H

/* xevents the ring buffer refused, per kind (index kind - UC_X_BASE). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, UC_X_MAX - UC_X_BASE);
	__type(key, __u32);
	__type(value, __u64);
} xmissed SEC(".maps");

_Static_assert(sizeof(struct uc_bpf_xrec) == UC_BPF_XREC_SIZE, "uc_bpf_xrec size");

static __always_inline void count_xmissed(__u32 kind)
{
	__u32 k = kind - UC_X_BASE;
	__u64 *n = bpf_map_lookup_elem(&xmissed, &k);

	/* Atomic, its result unused (no BPF_FETCH before Linux 5.12). */
	if (n)
		__sync_fetch_and_add(n, 1);
}

/*
 * Reserves an xevent of KIND with room for DATA_MAX data bytes (a
 * constant) and fills its common fields; NULL (counted) when the ring is
 * full.  The caller fills the rest and calls xrec_submit().
 */
static __always_inline struct uc_bpf_xrec *xrec_reserve(__u32 kind, __u32 data_max)
{
	struct uc_bpf_xrec *x = bpf_ringbuf_reserve(&events, sizeof(*x) + data_max, 0);

	if (!x) {
		count_xmissed(kind);
		return NULL;
	}
	__builtin_memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->cpu = bpf_get_smp_processor_id();
	return x;
}

static __always_inline void xrec_submit(struct uc_bpf_xrec *x)
{
	bpf_ringbuf_submit(x, wakeup_flag());
}

#endif /* UPCALL_COST_XREC_BPF_H */
