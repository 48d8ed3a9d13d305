/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * json_writer.c - see json_writer.h.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "json_writer.h"

void uc_json_init(struct uc_json *j, FILE *out, bool pretty)
{
	*j = (struct uc_json){ .out = out, .pretty = pretty };
}

int uc_json_finish(struct uc_json *j)
{
	if (j->pretty && j->done && !j->misuse)
		fputc('\n', j->out);
	if (j->misuse || !j->done || j->depth || ferror(j->out))
		return -1;
	return 0;
}

static uint64_t level_bit(const struct uc_json *j)
{
	return UINT64_C(1) << (j->depth - 1);
}

static bool in_object(const struct uc_json *j)
{
	return j->depth && (j->in_object & level_bit(j));
}

static void newline_indent(struct uc_json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->out);
	for (unsigned i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

/* The separator before a member or an element of the current level. */
static void separate(struct uc_json *j)
{
	if (j->has_items & level_bit(j))
		fputc(',', j->out);
	j->has_items |= level_bit(j);
	newline_indent(j);
}

/* Is a value allowed here?  Writes what must precede it. */
static bool before_value(struct uc_json *j)
{
	if (j->misuse || j->done) {
		j->misuse = true;
		return false;
	}
	if (!j->depth)
		return true;
	if (in_object(j)) {
		if (!j->name_pending) {
			j->misuse = true;
			return false;
		}
		j->name_pending = false;
		return true;
	}
	separate(j);
	return true;
}

/* A complete value at the top level ends the document. */
static void after_value(struct uc_json *j)
{
	if (!j->depth)
		j->done = true;
}

static void start(struct uc_json *j, bool object)
{
	if (!before_value(j))
		return;
	if (j->depth == UC_JSON_MAX_DEPTH) {
		j->misuse = true;
		return;
	}
	j->depth++;
	if (object)
		j->in_object |= level_bit(j);
	else
		j->in_object &= ~level_bit(j);
	j->has_items &= ~level_bit(j);
	fputc(object ? '{' : '[', j->out);
}

static void end(struct uc_json *j, bool object)
{
	bool had_items;

	if (j->misuse || !j->depth || in_object(j) != object || j->name_pending) {
		j->misuse = true;
		return;
	}
	had_items = j->has_items & level_bit(j);
	j->depth--;
	if (had_items)
		newline_indent(j);
	fputc(object ? '}' : ']', j->out);
	after_value(j);
}

void uc_json_start_object(struct uc_json *j) { start(j, true); }
void uc_json_end_object(struct uc_json *j) { end(j, true); }
void uc_json_start_array(struct uc_json *j) { start(j, false); }
void uc_json_end_array(struct uc_json *j) { end(j, false); }

/*
 * Length of the valid UTF-8 sequence at S (1..4), or 0 if it is not one
 * (overlong forms, surrogates and code points above U+10FFFF included).
 */
static int utf8_length(const unsigned char *s)
{
	unsigned c = s[0];
	int len;
	uint32_t cp, min;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		len = 2, cp = c & 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, cp = c & 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, cp = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)   /* also stops at the NUL */
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void write_escaped(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', out);
	while (*s) {
		int len = utf8_length(s);

		if (!len) {
			fputs("\\ufffd", out);
			s++;
			continue;
		}
		switch (*s) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		default:
			if (*s < 0x20)
				fprintf(out, "\\u%04x", *s);
			else
				fwrite(s, 1, (size_t)len, out);
		}
		s += len;
	}
	fputc('"', out);
}

void uc_json_name(struct uc_json *j, const char *name)
{
	if (j->misuse || !in_object(j) || j->name_pending) {
		j->misuse = true;
		return;
	}
	separate(j);
	write_escaped(j->out, name);
	fputs(j->pretty ? ": " : ":", j->out);
	j->name_pending = true;
}

void uc_json_string(struct uc_json *j, const char *s)
{
	if (!before_value(j))
		return;
	write_escaped(j->out, s ? s : "");
	after_value(j);
}

void uc_json_uint(struct uc_json *j, uint64_t v)
{
	if (!before_value(j))
		return;
	fprintf(j->out, "%" PRIu64, v);
	after_value(j);
}

void uc_json_int(struct uc_json *j, int64_t v)
{
	if (!before_value(j))
		return;
	fprintf(j->out, "%" PRId64, v);
	after_value(j);
}

/* The fewest significant digits (of 15..17) that read back exactly:
 * "12.5", not "12.500000000000000". */
static void write_double(FILE *out, double v)
{
	char buf[40];

	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, out);
}

void uc_json_double(struct uc_json *j, double v)
{
	if (!before_value(j))
		return;
	if (isfinite(v))
		write_double(j->out, v);
	else
		fputs("null", j->out);
	after_value(j);
}

void uc_json_bool(struct uc_json *j, bool v)
{
	if (!before_value(j))
		return;
	fputs(v ? "true" : "false", j->out);
	after_value(j);
}

void uc_json_null(struct uc_json *j)
{
	if (!before_value(j))
		return;
	fputs("null", j->out);
	after_value(j);
}

void uc_json_string_field(struct uc_json *j, const char *name, const char *s)
{
	uc_json_name(j, name);
	uc_json_string(j, s);
}

void uc_json_uint_field(struct uc_json *j, const char *name, uint64_t v)
{
	uc_json_name(j, name);
	uc_json_uint(j, v);
}

void uc_json_int_field(struct uc_json *j, const char *name, int64_t v)
{
	uc_json_name(j, name);
	uc_json_int(j, v);
}

void uc_json_double_field(struct uc_json *j, const char *name, double v)
{
	uc_json_name(j, name);
	uc_json_double(j, v);
}

void uc_json_bool_field(struct uc_json *j, const char *name, bool v)
{
	uc_json_name(j, name);
	uc_json_bool(j, v);
}

void uc_json_null_field(struct uc_json *j, const char *name)
{
	uc_json_name(j, name);
	uc_json_null(j);
}

bool uc_json_object_or_null(struct uc_json *j, const char *name, bool present)
{
	uc_json_name(j, name);
	if (!present) {
		uc_json_null(j);
		return false;
	}
	uc_json_start_object(j);
	return true;
}

void uc_json_string_or_null_field(struct uc_json *j, const char *name, const char *s)
{
	if (s && *s)
		uc_json_string_field(j, name, s);
	else
		uc_json_null_field(j, name);
}
