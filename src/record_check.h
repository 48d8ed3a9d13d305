/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * record_check.h - the limits every event file reader and writer applies,
 * decided once: what the native reader, the upcall_cost.py reader and both
 * writers accept is the same, so that anything read can be written in
 * either format and read back, and nothing is written that cannot be.
 *
 * Each check returns NULL when the record is acceptable, or a short reason
 * naming the field ("packet_size 256000: expected at most 2048") written
 * into WHY, which the caller prefixes with the place ("FILE:LINE: ...",
 * "FILE: byte N: ...", "Can't write export file ...").
 */
#ifndef UC_RECORD_CHECK_H
#define UC_RECORD_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "port_map.h"
#include "xevent.h"
#include "upcall_cost.h"

/* Longest reason a check writes. */
#define UC_CHECK_WHY_SIZE 160

/*
 * Strings of the capture info, in bytes (without a NUL): the sizes of
 * struct uc_capture_info's fields less one.
 */
#define UC_INFO_TOOL_VERSION_MAX 31
#define UC_INFO_HOST_MAX 63
#define UC_INFO_KERNEL_MAX 63

/*
 * A port map must fit the native format's PORT_MAP record: names of at
 * most UC_PORT_NAME_MAX bytes (a u16 length) and the whole record at most
 * UC_PORT_MAP_BYTES_MAX bytes.
 */
#define UC_PORT_NAME_MAX 65535u
#define UC_PORT_MAP_BYTES_MAX (16u * 1024 * 1024)

/* Per-type missed counts, merged by type, in first-reported order. */
struct uc_missed_entry {
	uint32_t type;
	uint64_t count;
};

/*
 * Capture info: packet_size and flow_key_size 0 (unknown) to
 * UC_CAPTURE_MAX, strings NUL-terminated within their fields.
 */
const char *uc_check_info(const struct uc_capture_info *info,
			  char why[UC_CHECK_WHY_SIZE]);
/*
 * An event: type 0 to UC_EV_MAX - 1, at most UC_CAPTURE_MAX captured
 * packet and flow key bytes.  Its names are at most UC_TASK_COMM_LEN,
 * UC_DPIF_NAME_LEN and UC_DEV_NAME_LEN bytes: the size of their fields,
 * which the readers check as they fill them.
 */
const char *uc_check_event_why(const struct uc_raw_event *ev,
			       char why[UC_CHECK_WHY_SIZE]);
static inline const char *uc_check_event(const struct uc_raw_event *ev,
					 char why[UC_CHECK_WHY_SIZE])
{
	/* Once per event read or written: the common case inline. */
	if (ev->event < UC_EV_MAX && ev->pkt_cap <= UC_CAPTURE_MAX &&
	    ev->key_cap <= UC_CAPTURE_MAX && (ev->pkt || !ev->pkt_cap) &&
	    (ev->key || !ev->key_cap))
		return NULL;
	return uc_check_event_why(ev, why);
}
/* The event type of a missed count: 0 to UC_EV_MAX - 1. */
const char *uc_check_missed(uint32_t type, char why[UC_CHECK_WHY_SIZE]);
/* The xevent kind of a missed count: UC_X_BASE to UC_X_MAX - 1. */
const char *uc_check_xmissed(uint32_t kind, char why[UC_CHECK_WHY_SIZE]);
/* Either, as a writer's on_missed is given them. */
static inline const char *uc_check_any_missed(uint32_t type,
					      char why[UC_CHECK_WHY_SIZE])
{
	return type < UC_X_BASE ? uc_check_missed(type, why) :
				  uc_check_xmissed(type, why);
}
/*
 * An xevent: kind UC_X_BASE to UC_X_MAX - 1, at most UC_X_DATA_MAX data
 * bytes (and the bytes present), comm NUL-terminated.
 */
const char *uc_check_xevent(const struct uc_xevent *xe,
			    char why[UC_CHECK_WHY_SIZE]);
/* Names and size of a port map (see UC_PORT_NAME_MAX). */
const char *uc_check_port_map(const struct uc_port_map *map,
			      char why[UC_CHECK_WHY_SIZE]);
/*
 * One string of the capture info by its length; FIELD is its name
 * ("tool_version", "host", "kernel").  For readers, before they copy it.
 */
const char *uc_check_info_string(const char *field, size_t len,
				 char why[UC_CHECK_WHY_SIZE]);
/* Bytes of MAP's native PORT_MAP record (header included). */
uint64_t uc_port_map_record_size(const struct uc_port_map *map);

#endif /* UC_RECORD_CHECK_H */
