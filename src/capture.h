/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture.h - live capture: the only part of upcall_cost that knows BPF.
 *
 * A capture session loads upcall_cost.bpf.c (skeleton, CO-RE) in the
 * variant the running kernel supports, attaches the kernel and USDT
 * probes, and hands every ring-buffer record to an event sink as a
 * struct uc_raw_event.  The sink sees, in this order:
 *
 *   on_info      exactly once, when every probe is attached (the moment a
 *                -w file may be created), before any other callback;
 *   on_port_map  the port map (ovs-appctl dpctl/show), then again
 *                whenever a kernel event names a port it does not know;
 *   on_event     each record;
 *   on_xevent    the capture's features (UC_X_FEATURES) right after
 *                on_info, then each xevent record; at the end the BPF
 *                totals of the upcalls' results (UC_X_DP_RESULTS);
 *   on_missed    at the end (uc_capture_stop_and_drain), per event type
 *                (and xevent kind) with records the ring buffer refused.
 *
 * A sink callback returning UC_SINK_STOP ends the stream (no further
 * events); a negative value fails the session with that error.
 *
 * The session has no signal handling, no timers and no global state, so
 * other code can drive it (e.g. a flight recorder capturing for S seconds
 * beside a monitor):
 *
 *   struct uc_capture *c = uc_capture_open(&cfg, &sink, &err);
 *   while (!done && uc_capture_poll(c, UC_CAPTURE_POLL_MS, &err) == 0)
 *           ;                      (or poll uc_capture_fd() yourself)
 *   uc_capture_stop_and_drain(c, &err);
 *   uc_capture_close(c);
 *
 * uc_capture_run() is that loop for upcall_cost's command line: it adds
 * SIGINT/SIGTERM (signalfd), -s and the exit of the traced process.
 */
#ifndef UC_CAPTURE_H
#define UC_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "event.h"
#include "options.h"

/* What to capture. */
struct uc_capture_config {
	uint32_t packet_size;        /* -P */
	uint32_t flow_key_size;      /* -f */
	uint32_t buffer_page_count;  /* ring-buffer pages */
	int64_t pid;                 /* the ovs-vswitchd, -1: find the only one */
	enum uc_probe_set probes;    /* kernel, user or both halves */
	bool verbose;                /* libbpf's messages on stderr */
	const char *btf_path;        /* --btf: types of the openvswitch module
				      * for kernels without module BTF; NULL */
	bool ring_fixed;             /* tests: fixed-size records even where
				      * the kernel has ring-buffer dynptrs */
	bool explain;                /* --explain: the handlers' scheduling,
				      * IRQs and syscalls (the command line
				      * asks for both halves; tests may follow
				      * the handlers of a USDT-only capture) */
	bool miss_reasons;           /* --miss-reasons */
	bool all_verdicts;           /* tests: a record for every upcall's
				      * result, not only for failures */
};

/* The capture settings of the command line. */
void uc_capture_config_init(struct uc_capture_config *cfg,
			    const struct uc_options *opt);

struct uc_capture_stats {
	uint64_t events_received;        /* records read from the ring buffer */
	uint64_t missed[UC_EV_MAX];      /* records the ring buffer refused */
	int64_t pid;                     /* the ovs-vswitchd traced, -1 if none */
	bool kernel_fentry;              /* ovs_packet_cmd_execute via fentry (else kprobe) */
	uint64_t features;               /* UC_FEAT_*: what was traced */
	uint64_t xmissed[UC_X_MAX - UC_X_BASE];  /* xevents the ring refused */
	uint64_t handlers;               /* handler threads followed (--explain) */
};

struct uc_capture;

/*
 * Checks privileges and the kernel, chooses the BPF variant, loads and
 * attaches every probe, then calls SINK's on_info and on_port_map.
 * Returns the session, or NULL with ERR set (one line naming what is
 * missing; nothing was handed to SINK unless on_info itself failed).
 */
struct uc_capture *uc_capture_open(const struct uc_capture_config *cfg,
				   const struct uc_event_sink *sink,
				   struct uc_error *err);

/* Longest a record should wait in the ring before uc_capture_poll. */
#define UC_CAPTURE_POLL_MS 100

/*
 * A file descriptor that becomes readable when a batch of records waits
 * (for the caller's own epoll/poll).  Records are also delivered below
 * that threshold, but only by uc_capture_poll: call it at least every
 * UC_CAPTURE_POLL_MS.
 */
int uc_capture_fd(const struct uc_capture *c);

/* uc_capture_poll's return when the sink asked to stop. */
#define UC_CAPTURE_STOPPED 1

/*
 * Waits up to TIMEOUT_MS (0: not at all) for records, then hands every
 * waiting record to the sink.  Returns 0, UC_CAPTURE_STOPPED once the sink
 * has said stop, or -1 with ERR set.
 */
int uc_capture_poll(struct uc_capture *c, int timeout_ms, struct uc_error *err);

/*
 * Detaches the probes, hands over the records still in the ring (unless
 * the sink said stop or the session failed), then the missed counts
 * (on_missed).  Returns 0, or -1 with ERR set.
 */
int uc_capture_stop_and_drain(struct uc_capture *c, struct uc_error *err);

/* Frees everything (detaching first if still attached).  NULL is fine. */
void uc_capture_close(struct uc_capture *c);

const struct uc_capture_stats *uc_capture_stats(const struct uc_capture *c);

/* One line per choice made for this kernel: which BPF program serves each
 * probe point and why (what -v prints). */
void uc_capture_describe(const struct uc_capture *c, FILE *out);

/*
 * upcall_cost's live capture: prints the status lines ("- Loading eBPF
 * programs...", "- Capturing events ...", the live header unless -q; -v:
 * the variant), captures until SIGINT/SIGTERM, until OPT->stop events were
 * handed over, until the traced process exits, or until an error; then
 * stops and drains.  Everything received is handed to SINK before it
 * returns, whatever the reason it stopped.  Returns 0, or -1 with ERR set
 * (STATS is filled in either case).
 */
int uc_capture_run(const struct uc_options *opt,
		   const struct uc_event_sink *sink,
		   struct uc_capture_stats *stats, struct uc_error *err);

/*
 * --check: what this host offers a capture of CFG's probes, one line per
 * item on OUT ("item  yes|no|n/a  detail"), without capturing anything
 * (the chosen programs are loaded, so the verifier has its say, and
 * nothing is attached).  Returns 0 when the capture would run, else 1.
 */
int uc_capture_check(const struct uc_capture_config *cfg, FILE *out);

#endif /* UC_CAPTURE_H */
