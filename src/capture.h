/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture.h - live capture: the only part of upcall_cost that knows BPF.
 *
 * It loads upcall_cost.bpf.c (skeleton, CO-RE), attaches the kernel and USDT
 * probes, and hands every ring-buffer record to an event sink as a
 * struct uc_raw_event, the port map (ovs-appctl dpctl/show) before the
 * first event and again whenever a kernel event names an unknown port, and
 * the per-type counts of records the ring buffer refused at the end.
 */
#ifndef UC_CAPTURE_H
#define UC_CAPTURE_H

#include <stdint.h>

#include "error.h"
#include "event.h"
#include "options.h"

struct uc_capture_stats {
	uint64_t events_received;        /* records read from the ring buffer */
	uint64_t missed[UC_EV_MAX];      /* records the ring buffer refused */
	int64_t pid;                     /* the ovs-vswitchd traced */
	bool kernel_fentry;              /* ovs_packet_cmd_execute via fentry (else kprobe) */
};

/*
 * Captures until SIGINT/SIGTERM, until OPT->stop records were received, or
 * until an error; then drains the ring buffer, reports the missed counts to
 * SINK and returns.  Everything received is handed to SINK before it
 * returns, whatever the reason it stopped.  Returns 0, or -1 with ERR set
 * (STATS is filled in either case).
 */
int uc_capture_run(const struct uc_options *opt,
		   const struct uc_event_sink *sink,
		   struct uc_capture_stats *stats, struct uc_error *err);

#endif /* UC_CAPTURE_H */
