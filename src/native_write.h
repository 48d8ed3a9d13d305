/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * native_write.h - the native format's record encoders (native_format.h).
 *
 * Each appends one whole record to the buffer, so a flushed buffer always
 * ends on a record boundary.  The records are assumed checked
 * (record_check.h); what does not fit the format anyway gives -E2BIG.
 * Each returns 0 or -errno.
 */
#ifndef UC_NATIVE_WRITE_H
#define UC_NATIVE_WRITE_H

#include <stdint.h>

#include "event.h"
#include "port_map.h"
#include "record_check.h"
#include "wbuf.h"
#include "xevent.h"

int uc_native_write_preamble(struct uc_wbuf *b);
int uc_native_write_info(struct uc_wbuf *b,
			 const struct uc_capture_info *info);
int uc_native_write_port_map(struct uc_wbuf *b,
			     const struct uc_port_map *map);
int uc_native_write_event(struct uc_wbuf *b, const struct uc_raw_event *ev);
int uc_native_write_xevent(struct uc_wbuf *b, const struct uc_xevent *xe);
int uc_native_write_trailer(struct uc_wbuf *b, uint64_t n_events,
			    const struct uc_missed_entry *missed,
			    size_t n_missed);

#endif /* UC_NATIVE_WRITE_H */
