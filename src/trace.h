/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * trace.h - which events of a run are usable, decoded, and the per-type
 * counts the report starts with.
 *
 * uc_trace_sink() returns the event sink that feeds a trace.  It applies
 * upcall_cost.py's "usable" rules (its receive_event() and the
 * handle_event() of each event class), unless quiet prints each usable
 * event as a live line, and hands each usable event, decoded (datapath
 * port, packet and its checksum-blind hash), to the next stage through a
 * struct uc_usable_sink.  It keeps no event: the stages after it keep
 * what they need and nothing more.
 */
#ifndef UC_TRACE_H
#define UC_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "port_map.h"
#include "strtab.h"
#include "xevent.h"

struct uc_ufid;

#define UC_NONE UINT32_MAX

/* A packet as it is compared (kernel and received upcalls). */
struct uc_packet {
	uint64_t hash;       /* of the captured bytes, L4 checksum zeroed */
	const uint8_t *bytes;/* the captured bytes (valid during the callback) */
	uint32_t len;        /* full packet length */
	uint32_t cap;        /* captured bytes */
	uint32_t frag_len;   /* kernel: linear part when the skb had fragments */
	int32_t dp_port;     /* UC_DP_TUNNEL_PORT for a tunnel receive */
	uint32_t dp_name;    /* datapath name, index in trace->names */
	uint16_t csum_off;   /* L4 checksum offset or UC_NO_OFFSET */
};

/* A usable event, decoded. */
struct uc_usable {
	uint32_t seq;        /* position among the run's usable events */
	uint8_t type;        /* enum uc_event_type */
	bool filtered;       /* a receive of a thread --handler-filter leaves
			      * out: not usable, passed on for accounting */
	bool other_port;     /* a receive of another --port: for its batch */
	uint64_t ts;         /* ns, CLOCK_MONOTONIC */
	uint32_t tid, cpu;
	uint32_t comm;       /* thread name (receives), index in trace->names */
	const struct uc_packet *pkt;   /* kernel and received upcalls */
	const uint8_t *exec_pkt;       /* executes: the packet sent back */
	uint32_t exec_cap;
	uint32_t exec_len;
	uint32_t recirc_id;  /* receives: the key's recirculation id (0) */
	/* flow puts: the UFID of the put's request, when the capture
	 * recorded it (the correlator sets it; NULL otherwise) */
	const struct uc_ufid *put_ufid;
};

/* An xevent, with what the trace knows of a failed upcall's device. */
struct uc_usable_x {
	const struct uc_xevent *xe;
	int32_t port;        /* DP_RESULT: the device's datapath port, or
			      * UC_DP_NO_PORT when no map names it */
	uint32_t dp_name;    /* ... and its datapath, index in trace->names
			      * (UC_NONE when unknown) */
	uint32_t dev_name;   /* ... the device, index in trace->names */
};
#define UC_DP_NO_PORT INT32_MIN

/* The next stage (the correlation).  Returns 0 or a negative errno. */
struct uc_usable_sink {
	void *ctx;
	int (*on_usable)(void *ctx, const struct uc_usable *ev);
	int (*on_xevent)(void *ctx, const struct uc_usable_x *x);
};

struct uc_trace_config {
	const char *handler_filter;  /* --handler-filter as given (the filter
				      * stage, filter.h, applies it), or NULL */
	uint64_t stop;               /* stop after this many events (0: never) */
	FILE *live_out;              /* print live lines here; NULL: quiet */
};

struct uc_trace {
	struct uc_trace_config cfg;
	struct uc_usable_sink next;
	struct uc_strtab names;

	uint64_t events_received;       /* records accepted (after the filter) */
	uint64_t n_usable;              /* usable events */
	uint64_t total[UC_EV_MAX];      /* per type, usable or not */
	uint64_t usable[UC_EV_MAX];
	uint64_t missed[UC_EV_MAX];     /* refused by the ring buffer */
	bool listed[UC_EV_MAX];         /* has a row in the events table */
	uint64_t first_ts, last_ts;     /* of the events received (0 if none) */
	uint64_t filtered_out;          /* vswitchd events --handler-filter hid */
	uint64_t hidden_port;           /* kernel upcalls of other --port */
	uint64_t other_port;            /* vswitchd receives of other --port */
	/* Set aside because no port map names their port: kernel upcalls
	 * whose (datapath, device) the map lacks, receives whose flow key
	 * has no port and whose datapath the map lacks. */
	uint64_t dp_no_port, recv_no_port;
	bool had_map;                   /* a valid port map was given */
	/* xevents, per kind (index kind - UC_X_BASE) */
	uint64_t xtotal[UC_X_MAX - UC_X_BASE];
	uint64_t xmissed[UC_X_MAX - UC_X_BASE];  /* refused by the ring */
	bool have_features;             /* the capture said what it traced */
	uint64_t features, features_how; /* UC_FEAT_*, UC_FEATHOW_* */

	struct uc_port_map map;
	struct uc_capture_info info;
	bool have_info;
};

void uc_trace_init(struct uc_trace *t, const struct uc_trace_config *cfg,
		   struct uc_usable_sink next);
void uc_trace_free(struct uc_trace *t);
/* The sink that feeds T. */
struct uc_event_sink uc_trace_sink(struct uc_trace *t);

/* The column header printed before live lines. */
void uc_live_print_header(FILE *out);

#endif /* UC_TRACE_H */
