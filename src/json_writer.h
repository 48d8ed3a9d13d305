/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * json_writer.h - a small streaming JSON writer, after bpftool's
 * json_writer: values go straight to a FILE as they are given, commas and
 * (optionally) indentation are handled here, strings are escaped, numbers
 * are written as JSON numbers.  No document is ever held in memory and no
 * JSON text is built by string concatenation.
 *
 *     struct uc_json j;
 *     uc_json_init(&j, f, true);
 *     uc_json_start_object(&j);
 *     uc_json_uint_field(&j, "schema", 1);
 *     uc_json_name(&j, "runs");
 *     uc_json_start_array(&j);
 *     ...
 *     uc_json_end_array(&j);
 *     uc_json_end_object(&j);
 *     if (uc_json_finish(&j)) ... (misuse or a write error)
 *
 * Misuse (a value where a name is due, unbalanced ends, nesting deeper
 * than UC_JSON_MAX_DEPTH) does not crash: it is remembered and reported
 * by uc_json_finish().
 */
#ifndef UC_JSON_WRITER_H
#define UC_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define UC_JSON_MAX_DEPTH 64

struct uc_json {
	FILE *out;
	bool pretty;           /* newlines and two-space indentation */
	bool misuse;           /* set on any misuse; the output is then invalid */
	bool name_pending;     /* a name was written, its value is due */
	unsigned depth;
	uint64_t in_object;    /* bit d: level d+1 is an object (not an array) */
	uint64_t has_items;    /* bit d: level d+1 has a member already */
	bool done;             /* the top-level value is complete */
};

void uc_json_init(struct uc_json *j, FILE *out, bool pretty);
/* 0 when the document is complete and was written; -1 otherwise. */
int uc_json_finish(struct uc_json *j);

void uc_json_start_object(struct uc_json *j);
void uc_json_end_object(struct uc_json *j);
void uc_json_start_array(struct uc_json *j);
void uc_json_end_array(struct uc_json *j);
/* The name of the next member of the current object. */
void uc_json_name(struct uc_json *j, const char *name);

/* UTF-8 text; invalid sequences are written as U+FFFD. */
void uc_json_string(struct uc_json *j, const char *s);
void uc_json_uint(struct uc_json *j, uint64_t v);
void uc_json_int(struct uc_json *j, int64_t v);
/* Shortest text that reads back as the same double; null if not finite
 * (JSON has no NaN or infinity). */
void uc_json_double(struct uc_json *j, double v);
void uc_json_bool(struct uc_json *j, bool v);
void uc_json_null(struct uc_json *j);

/* Name and value in one call. */
void uc_json_string_field(struct uc_json *j, const char *name, const char *s);
void uc_json_uint_field(struct uc_json *j, const char *name, uint64_t v);
void uc_json_int_field(struct uc_json *j, const char *name, int64_t v);
void uc_json_double_field(struct uc_json *j, const char *name, double v);
void uc_json_bool_field(struct uc_json *j, const char *name, bool v);
void uc_json_null_field(struct uc_json *j, const char *name);
/* Names an object field: null when it is not PRESENT (false returned,
 * nothing more to write), else the object started (true: write its
 * fields, then uc_json_end_object). */
bool uc_json_object_or_null(struct uc_json *j, const char *name, bool present);
/* A string field, or null when S is NULL or empty (unknown). */
void uc_json_string_or_null_field(struct uc_json *j, const char *name, const char *s);

#endif /* UC_JSON_WRITER_H */
