/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * trace.h - the usable events of a run, decoded and stored compactly, and
 * the per-type counts the report starts with.
 *
 * uc_trace_sink() returns the event sink that builds a trace.  It applies
 * upcall_cost.py's "usable" rules (its receive_event() and the
 * handle_event() of each event class) and, unless quiet, prints each
 * usable event as a live line.  Packet bytes are kept only for the events
 * matched later (kernel and received upcalls); an execute is compared
 * with its upcall as it arrives.
 */
#ifndef UC_TRACE_H
#define UC_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "port_map.h"
#include "strtab.h"

#define UC_NONE UINT32_MAX

struct uc_batcher;

/* A usable event (24 bytes: there may be millions). */
struct uc_event {
	uint64_t ts;        /* ns, CLOCK_MONOTONIC */
	uint32_t tid;
	uint32_t pkt_len;   /* full packet length (DP, RECV, EXECUTE) */
	uint32_t pkt;       /* index in trace->pkts (DP, RECV), or UC_NONE */
	uint16_t cpu;       /* saturates at 65535 */
	uint8_t type;       /* enum uc_event_type */
};

/* The compared part of a packet-carrying event. */
struct uc_pkt {
	uint64_t off;       /* captured bytes at trace->bytes + off */
	uint64_t hash;      /* of the captured bytes, L4 checksum zeroed */
	uint32_t cap;       /* captured bytes */
	uint32_t frag_len;  /* DP: linear part when the skb had fragments */
	int32_t dp_port;    /* DP, RECV; UC_DP_TUNNEL_PORT for tunnels */
	uint32_t dp_name;   /* datapath name, index in trace->names */
	uint16_t csum_off;  /* L4 checksum offset or UC_NO_OFFSET */
};

struct uc_trace_config {
	const char *handler_filter;  /* comma-separated thread names, or NULL */
	uint64_t stop;               /* stop after this many events (0: never) */
	FILE *live_out;              /* print live lines here; NULL: quiet */
};

struct uc_trace {
	struct uc_trace_config cfg;
	struct uc_event *ev;
	size_t n, cap;
	struct uc_pkt *pkts;
	size_t n_pkts, cap_pkts;
	uint8_t *bytes;
	size_t n_bytes, cap_bytes;
	struct uc_strtab names;

	uint64_t events_received;       /* records accepted (after the filter) */
	uint64_t total[UC_EV_MAX];      /* per type, usable or not */
	uint64_t usable[UC_EV_MAX];
	uint64_t missed[UC_EV_MAX];     /* refused by the ring buffer */
	bool listed[UC_EV_MAX];         /* has a row in the events table */

	struct uc_port_map map;
	struct uc_capture_info info;
	bool have_info;

	/* Receive batches, rebuilt as events arrive (correlate.h). */
	struct uc_batcher *batcher;
};

void uc_trace_init(struct uc_trace *t, const struct uc_trace_config *cfg);
void uc_trace_free(struct uc_trace *t);
/* The sink that fills T. */
struct uc_event_sink uc_trace_sink(struct uc_trace *t);

static inline const uint8_t *uc_trace_pkt_bytes(const struct uc_trace *t,
						const struct uc_pkt *p)
{
	return t->bytes + p->off;
}

/* The column header printed before live lines. */
void uc_live_print_header(FILE *out);

#endif /* UC_TRACE_H */
