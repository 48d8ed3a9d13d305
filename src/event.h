/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * event.h - one traced event as every producer hands it over.
 *
 * Producers (the upcall_cost.py file reader, the native file reader, live
 * capture) turn their input into struct uc_raw_event and pass it to an
 * event sink.  Consumers (the analysis, the file writers, the live printer)
 * implement the sink.  This is the narrow waist between capture and
 * analysis: neither side knows about the other.
 */
#ifndef UC_EVENT_H
#define UC_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "upcall_cost.h"

/*
 * What the analysis works out from one event alone (event_digest.h), when
 * a reader's thread did it ahead; valid is false everywhere else.
 */
struct uc_event_digest {
	bool valid;
	uint8_t key_port;        /* receives: enum uc_key_port of the flow key */
	uint16_t csum_off;       /* the packet's L4 checksum offset, or
				  * UC_NO_OFFSET */
	uint32_t in_port;        /* receives: with UC_KEY_PORT_IN_PORT */
	uint32_t recirc_id;      /* receives: the key's recirculation id, or 0 */
	/* Kernel upcalls and receives: */
	uint64_t pkt_hash;       /* the packet's hash, its L4 checksum zeroed */
	uint8_t dp_off;          /* where the datapath's name starts in
				  * dpif_name (a receive's "system@" skipped) */
	uint8_t dp_len;          /* ... its length */
	uint8_t dev_len;         /* kernel upcalls: dev_name's length */
	uint64_t dp_hash;        /* uc_strtab_hash() of the datapath's name */
	uint64_t port_hash;      /* kernel upcalls: uc_port_map_name_hash() of
				  * dpif_name and dev_name */
	uint64_t comm_hash;      /* receives: uc_strtab_hash() of comm */
};

/* A record as captured, before any decoding ("usable" is decided later). */
struct uc_raw_event {
	uint32_t event;          /* enum uc_event_type; may be out of range in files */
	uint32_t cpu;
	uint32_t pid;
	uint32_t upcall_type;
	uint64_t ts;
	uint32_t pkt_frag_size;
	uint32_t pkt_size;
	uint64_t key_size;
	char comm[UC_TASK_COMM_LEN + 1];       /* NUL-terminated */
	char dpif_name[UC_DPIF_NAME_LEN + 1];
	char dev_name[UC_DEV_NAME_LEN + 1];
	const uint8_t *pkt;      /* pkt_cap bytes, valid during the callback */
	uint32_t pkt_cap;
	const uint8_t *key;      /* key_cap bytes, valid during the callback */
	uint32_t key_cap;
	uint32_t hidden;         /* UC_HIDDEN_*: what a filter says of it */
	struct uc_event_digest digest;
};

/* Set by the filter stage (filter.h) for the analysis; 0 everywhere else. */
#define UC_HIDDEN_HANDLER 0x1u    /* a thread --handler-filter leaves out */
#define UC_HIDDEN_PORT 0x2u       /* a kernel upcall of another --port */
#define UC_OTHER_PORT 0x4u        /* a receive of another --port: kept for
				   * its batch, left out of the counts */

struct uc_port_map;
struct uc_xevent;

/* What a recording says about how it was made (all optional in py files). */
struct uc_capture_info {
	uint32_t packet_size;        /* -P used for the capture, 0 if unknown */
	uint32_t flow_key_size;      /* -f used for the capture, 0 if unknown */
	uint32_t buffer_page_count;  /* 0 if unknown */
	char tool_version[32];       /* "" if unknown */
	char host[64];               /* "" if unknown */
	char kernel[64];             /* "" if unknown */
	uint64_t start_realtime_ns;  /* CLOCK_REALTIME at start, 0 if unknown */
	uint64_t start_monotonic_ns; /* CLOCK_MONOTONIC at the same moment */
};

/*
 * The sink interface.  Every callback returns 0 to go on, UC_SINK_STOP to
 * make the producer stop early without error (e.g. -s reached), or a
 * negative errno-style value to stop it with that error.  Callbacks may be
 * NULL.
 */
#define UC_SINK_STOP 1

struct uc_event_sink {
	void *ctx;
	int (*on_info)(void *ctx, const struct uc_capture_info *info);
	/* The port map; may be called again when it is refreshed. */
	int (*on_port_map)(void *ctx, const struct uc_port_map *map);
	int (*on_event)(void *ctx, const struct uc_raw_event *ev);
	/* Records the ring buffer could not take, per type: an event type
	 * (0..UC_EV_MAX-1) or an xevent kind (UC_X_BASE..UC_X_MAX-1). */
	int (*on_missed)(void *ctx, uint32_t type, uint64_t count);
	/* An xevent (xevent.h): verdicts, scheduling, flow life; NULL: not
	 * interested. */
	int (*on_xevent)(void *ctx, const struct uc_xevent *xe);
};

/* "openvswitch__dp_upcall" etc.; "" for an unknown type. */
const char *uc_event_type_name(uint32_t type);
/* The 22-column name of live lines: "..operate__op_flow_put". */
const char *uc_event_type_short_name(uint32_t type);

#endif /* UC_EVENT_H */
