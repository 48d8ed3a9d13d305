/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_snapshot.c - snapshots of monitor mode (see monitor_snapshot.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "monitor_snapshot.h"

void uc_mon_snapshot_init(struct uc_mon_snapshot *s)
{
	memset(s, 0, sizeof(*s));
}

void uc_mon_snapshot_free(struct uc_mon_snapshot *s)
{
	free(s->labels);
	memset(s, 0, sizeof(*s));
}

int uc_mon_snapshot_labels(struct uc_mon_snapshot *s, size_t n)
{
	struct uc_mon_label *l = calloc(n ? n : 1, sizeof(*l));

	if (!l)
		return -ENOMEM;
	free(s->labels);
	s->labels = l;
	s->n_labels = n;
	return 0;
}

int uc_mon_snapshot_copy(struct uc_mon_snapshot *dst,
			 const struct uc_mon_snapshot *src)
{
	struct uc_mon_label *labels;

	if (dst->n_labels != src->n_labels &&
	    uc_mon_snapshot_labels(dst, src->n_labels))
		return -ENOMEM;
	labels = dst->labels;
	*dst = *src;
	dst->labels = labels;
	/* A label's histograms are all zero until it has a receive (and most
	 * slots never do): copied only then. */
	for (size_t l = 0; l < src->n_labels; l++) {
		const struct uc_mon_label *from = &src->labels[l];
		struct uc_mon_label *to = &labels[l];
		bool had = to->receives;

		if (from->receives || had)
			*to = *from;
		else
			memcpy(to, from, offsetof(struct uc_mon_label, seg));
	}
	return 0;
}

int uc_mon_snapshot_diff(struct uc_mon_snapshot *out,
			 const struct uc_mon_snapshot *cur,
			 const struct uc_mon_snapshot *prev)
{
	if (uc_mon_snapshot_copy(out, cur))
		return -ENOMEM;
	out->since_mono_ns = prev->mono_ns;
	for (int i = 0; i < UC_MC_COUNT; i++)
		out->c[i] -= prev->c[i];
	for (int i = 0; i < UC_MU_COUNT; i++)
		out->u[i] -= prev->u[i];
	for (int i = 0; i < UC_M_COUNT; i++)
		uc_mon_seg_sub(&out->seg[i], &cur->seg[i], &prev->seg[i]);
	for (int i = 0; i <= UC_MON_MAX_BATCH; i++)
		out->batch[i] -= prev->batch[i];
	for (int i = 0; i < UC_MON_ERRNO_MAX; i++)
		out->errnos[i] -= prev->errnos[i];
	/* Labels keep their slot (prev may have none yet). */
	for (size_t l = 0; l < out->n_labels && l < prev->n_labels; l++) {
		const struct uc_mon_label *p = &prev->labels[l];

		if (!p->receives)
			continue;
		out->labels[l].receives -= p->receives;
		for (int i = 0; i < UC_M_COUNT; i++)
			uc_mon_seg_sub(&out->labels[l].seg[i], &cur->labels[l].seg[i],
				       &p->seg[i]);
	}
	return 0;
}

bool uc_mon_segment_measured(const struct uc_mon_snapshot *s,
			     enum uc_metric_id id)
{
	switch (id) {
	case UC_M_LOOKUP:
	case UC_M_PUT_TO_EXECUTE:
		return s->user;
	case UC_M_KERNEL_TO_VSWITCHD:
	case UC_M_VSWITCHD_TO_KERNEL:
	case UC_M_OVERHEAD:
	case UC_M_TOTAL:
		return s->user && s->kernel;
	default:
		return false;
	}
}

uint64_t uc_mon_unmatched_upcalls(const struct uc_mon_snapshot *s)
{
	return s->c[UC_MC_UPCALL_LOST] + s->c[UC_MC_UPCALL_UNTRACKED] +
	       s->c[UC_MC_UPCALL_NO_PORT] + s->c[UC_MC_INFLIGHT_FULL] +
	       s->c[UC_MC_INFLIGHT_MAP_FULL] + s->u[UC_MU_EXPIRED];
}

uint64_t uc_mon_unmatched_receives(const struct uc_mon_snapshot *s)
{
	if (!s->kernel)
		return 0;
	return s->c[UC_MC_RECV_NOT_FOUND] + s->c[UC_MC_RECV_COLLISION];
}

static const char *const counter_names[UC_MC_COUNT] = {
	[UC_MC_UPCALLS] = "upcalls",
	[UC_MC_UPCALL_OK] = "upcalls_queued",
	[UC_MC_UPCALL_LOST] = "upcalls_lost",
	[UC_MC_UPCALL_UNTRACKED] = "upcalls_untracked",
	[UC_MC_UPCALL_NO_PORT] = "upcalls_port_unknown",
	[UC_MC_INFLIGHT_INSERTED] = "inflight_inserted",
	[UC_MC_INFLIGHT_IDENTICAL] = "inflight_identical",
	[UC_MC_INFLIGHT_COLLISION] = "inflight_collisions",
	[UC_MC_INFLIGHT_FULL] = "inflight_full",
	[UC_MC_INFLIGHT_MAP_FULL] = "inflight_map_full",
	[UC_MC_INFLIGHT_RELEASED] = "inflight_released_lost",
	[UC_MC_RECEIVES] = "receives",
	[UC_MC_RECEIVES_OTHER] = "receives_ignored",
	[UC_MC_MATCHED] = "matched",
	[UC_MC_RECV_NOT_FOUND] = "receives_no_kernel_upcall",
	[UC_MC_RECV_COLLISION] = "receives_hash_collision",
	[UC_MC_RECV_NO_PORT] = "receives_no_in_port",
	[UC_MC_PUTS] = "flow_puts",
	[UC_MC_EXECUTES] = "executes",
	[UC_MC_KERNEL_EXECUTES] = "kernel_executes",
	[UC_MC_PUTS_DROPPED] = "flow_puts_unassigned",
	[UC_MC_EXECUTES_DROPPED] = "executes_unassigned",
	[UC_MC_KEXEC_UNPAIRED] = "kernel_executes_unpaired",
	[UC_MC_KEXEC_MISMATCH] = "kernel_executes_mismatched",
	[UC_MC_KEXEC_NO_THREAD] = "kernel_executes_no_handler",
	[UC_MC_SET_NO_PUT] = "upcalls_without_flow_put",
	[UC_MC_SET_NO_EXECUTE] = "upcalls_without_execute",
	[UC_MC_SET_NO_KEXEC] = "upcalls_without_kernel_execute",
	[UC_MC_BATCHES] = "batches",
	[UC_MC_BATCH_OVERFLOW] = "batches_cut",
	[UC_MC_THREADS_FULL] = "receives_no_thread_room",
	[UC_MC_NEGATIVE] = "negative_latencies",
	[UC_MC_SCRATCH_BUSY] = "events_scratch_busy",
	[UC_MC_AUDIT_LOST] = "audit_lost",
};

const char *uc_mon_counter_name(enum uc_mon_counter c)
{
	return (unsigned)c < UC_MC_COUNT && counter_names[c] ? counter_names[c] : "";
}
