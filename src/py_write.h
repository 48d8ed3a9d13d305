/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * py_write.h - the upcall_cost.py text format's line encoders (py_write.c).
 * Each appends whole lines to the buffer and returns 0 or -errno.
 */
#ifndef UC_PY_WRITE_H
#define UC_PY_WRITE_H

#include <stdint.h>

#include "event.h"
#include "port_map.h"
#include "record_check.h"
#include "wbuf.h"
#include "xevent.h"

/* dp_port_map = {...} (or None): the script's first line. */
int uc_py_write_port_map(struct uc_wbuf *b, const struct uc_port_map *map);
/* dp_port_map_update = {...}: a refreshed map, a line upcall_cost.py skips. */
int uc_py_write_port_map_update(struct uc_wbuf *b,
				const struct uc_port_map *map);
/* capture_info = {...}: a line of ours that upcall_cost.py skips. */
int uc_py_write_info(struct uc_wbuf *b, const struct uc_capture_info *info);
/*
 * event = {...}.  PACKET_SIZE and KEY_SIZE are the capture sizes (-P/-f,
 * 0 if unknown): like upcall_cost.py, a non-empty pkt/key is written as
 * the whole capture array, zero padded.
 */
int uc_py_write_event(struct uc_wbuf *b, const struct uc_raw_event *ev,
		      uint32_t packet_size, uint32_t key_size);
/*
 * xevent = {'kind': 17, 'flags': 0, 'cpu': 1, 'tid': 4001, 'seq': 7,
 * 'ts': ..., 'a': ..., 'b': ..., 'other': ..., 'ret': -11, 'comm': b'...',
 * 'data': b'...'}: a line of ours, which upcall_cost.py skips.
 */
int uc_py_write_xevent(struct uc_wbuf *b, const struct uc_xevent *xe);
/* event_miss = {...} for the event types among MISSED, and xevent_miss =
 * {...} (ours) for the xevent kinds, when there are any. */
int uc_py_write_missed(struct uc_wbuf *b, const struct uc_missed_entry *missed,
		       size_t n_missed);

#endif /* UC_PY_WRITE_H */
