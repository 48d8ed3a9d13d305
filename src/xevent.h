/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xevent.h - an xevent as every producer hands it over (see the UC_X_*
 * kinds in upcall_cost.h): what the kernel decided about an upcall, a
 * handler thread's scheduling, IRQs and syscalls, the life of datapath
 * flows, and the capture's own facts (sources traced, BPF totals).
 *
 * The compatible report never sees one: upcall_cost.py has no such
 * records, so a file without them is analysed exactly as before.
 */
#ifndef UC_XEVENT_H
#define UC_XEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "upcall_cost.h"

struct uc_xevent {
	uint32_t kind;           /* enum uc_x_kind */
	uint32_t cpu, tid, seq;
	uint64_t ts, a, b;
	uint32_t other;
	int32_t ret;
	uint16_t flags;
	char comm[UC_TASK_COMM_LEN + 1];   /* NUL-terminated */
	const uint8_t *data;     /* data_len bytes, valid during the callback */
	uint32_t data_len;
};

/* "dp_result", "switch_out", ...; "" for a kind out of range. */
const char *uc_xevent_kind_name(uint32_t kind);

/* The errno's symbol without its sign: "EAGAIN"; NULL if not one of
 * those an upcall can fail with (and a few more). */
const char *uc_errno_symbol(int32_t err);
/* The same, "E<n>" (in BUF) if unknown. */
const char *uc_errno_name(int32_t err, char *buf, size_t size);

#endif /* UC_XEVENT_H */
