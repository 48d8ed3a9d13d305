/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * py_event.h - the value of an upcall_cost.py "event = {...}" line.
 *
 * Event lines are the bulk of a py file, so the dict in the order
 * upcall_cost.py (and our writer) write it is read by a fast path; any
 * other form (another key order, white space, escapes the repr never
 * writes) and every error go through the general parser (pyliteral.h),
 * so the result and the error messages do not depend on the path taken.
 */
#ifndef UC_PY_EVENT_H
#define UC_PY_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "pyliteral.h"
#include "upcall_cost.h"

/* Where an event's bytes are decoded; they stay valid until the next
 * line is parsed. */
struct uc_py_event_parser {
	uint8_t pkt[UC_CAPTURE_MAX], key[UC_CAPTURE_MAX];
	struct uc_pybuf name, bytes, str;   /* the general parser's */
};

void uc_py_event_parser_free(struct uc_py_event_parser *p);

/*
 * Parses LINE (LEN bytes, no newline; the dict starts at offset AT) into
 * EV, whose pkt and key point into P.  Returns 0, or -1 with WHY set to
 * what is wrong, e.g. "expected '}' at column 21" (columns of LINE,
 * from 1) or "no 'cpu' field".  The facts are not checked here
 * (record_check.h).
 */
int uc_py_event_parse(struct uc_py_event_parser *p, const char *line,
		      size_t len, size_t at, struct uc_raw_event *ev,
		      char *why, size_t why_size);

/*
 * The same with the general parser alone, for the tests and the fuzz
 * target that check that both paths agree.
 */
int uc_py_event_parse_general(struct uc_py_event_parser *p, const char *line,
			      size_t len, size_t at, struct uc_raw_event *ev,
			      char *why, size_t why_size);

#endif /* UC_PY_EVENT_H */
