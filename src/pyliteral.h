/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pyliteral.h - a parser for the Python literals upcall_cost.py writes:
 * dicts, ints, str and bytes (with every escape Python accepts in them).
 *
 * It is a cursor over one line; every function returns false on a syntax
 * error and leaves a description of what was expected in cur->expected.
 */
#ifndef UC_PYLITERAL_H
#define UC_PYLITERAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct uc_pylit {
	const char *start;     /* the line, for error offsets */
	const char *p;         /* current position */
	const char *end;
	const char *expected;  /* what was expected where parsing failed */
};

/* A growable byte buffer for decoded str/bytes values. */
struct uc_pybuf {
	uint8_t *data;
	size_t len, cap;
};

void uc_pylit_init(struct uc_pylit *cur, const char *s, size_t len);
void uc_pybuf_free(struct uc_pybuf *buf);

/* Skips spaces and tabs. */
void uc_pylit_skip_ws(struct uc_pylit *cur);
/* Consumes C (after white space) or fails. */
bool uc_pylit_expect(struct uc_pylit *cur, char c);
/* Consumes C (after white space) if it is next. */
bool uc_pylit_accept(struct uc_pylit *cur, char c);
/* True when only white space (and a line end) is left. */
bool uc_pylit_at_end(struct uc_pylit *cur);
/* Is the next value a bytes literal (b'..' / B".."), a str, an int? */
bool uc_pylit_peek_bytes(struct uc_pylit *cur);
bool uc_pylit_peek_str(struct uc_pylit *cur);
/* Signed decimal int (Python also allows '_' between digits). */
bool uc_pylit_int(struct uc_pylit *cur, int64_t *value);
/* Non-negative int up to UINT64_MAX. */
bool uc_pylit_uint(struct uc_pylit *cur, uint64_t *value);
/* 'str' or "str" into BUF (UTF-8), replacing its contents. */
bool uc_pylit_str(struct uc_pylit *cur, struct uc_pybuf *buf);
/* b'bytes' or b"bytes" into BUF, replacing its contents; at most MAX. */
bool uc_pylit_bytes(struct uc_pylit *cur, struct uc_pybuf *buf, size_t max);
/* The keyword None. */
bool uc_pylit_none(struct uc_pylit *cur);
/* Offset of the cursor in its line (for messages). */
size_t uc_pylit_offset(const struct uc_pylit *cur);

/*
 * Fast paths for the forms upcall_cost.py writes, for callers that parse
 * again with the functions above when one fails: they report nothing, and
 * whatever they accept, the functions above read the same way.  Each
 * starts at P (no white space skipped) and returns the end of what it
 * read, or NULL.
 */
/* A decimal of 1 to 19 digits, no '_', no leading zero. */
const char *uc_pylit_fast_uint(const char *p, const char *end, uint64_t *value);
/*
 * b'...' or b"..." of printable ASCII and the escapes \xhh \\ \' \" \t
 * \n \r, decoded into OUT (at most MAX bytes; *LEN set).
 */
const char *uc_pylit_fast_bytes(const char *p, const char *end, uint8_t *out,
				size_t max, size_t *len);

#endif /* UC_PYLITERAL_H */
