/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdlib.h>
#include <string.h>

#include "pyliteral.h"

void uc_pylit_init(struct uc_pylit *cur, const char *s, size_t len)
{
	cur->start = s;
	cur->p = s;
	cur->end = s + len;
	cur->expected = NULL;
}

void uc_pybuf_free(struct uc_pybuf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = buf->cap = 0;
}

static bool fail(struct uc_pylit *cur, const char *expected)
{
	if (!cur->expected)
		cur->expected = expected;
	return false;
}

size_t uc_pylit_offset(const struct uc_pylit *cur)
{
	return (size_t)(cur->p - cur->start);
}

void uc_pylit_skip_ws(struct uc_pylit *cur)
{
	while (cur->p < cur->end && (*cur->p == ' ' || *cur->p == '\t'))
		cur->p++;
}

bool uc_pylit_accept(struct uc_pylit *cur, char c)
{
	uc_pylit_skip_ws(cur);
	if (cur->p < cur->end && *cur->p == c) {
		cur->p++;
		return true;
	}
	return false;
}

bool uc_pylit_expect(struct uc_pylit *cur, char c)
{
	static const char *const names[] = {
		['{'] = "'{'", ['}'] = "'}'", [':'] = "':'", [','] = "','",
	};
	const char *name = (unsigned char)c < sizeof(names) / sizeof(names[0]) &&
			   names[(unsigned char)c] ? names[(unsigned char)c] :
						     "a delimiter";

	return uc_pylit_accept(cur, c) || fail(cur, name);
}

bool uc_pylit_at_end(struct uc_pylit *cur)
{
	while (cur->p < cur->end &&
	       (*cur->p == ' ' || *cur->p == '\t' || *cur->p == '\r' ||
		*cur->p == '\n'))
		cur->p++;
	return cur->p == cur->end;
}

static bool is_quote(char c)
{
	return c == '\'' || c == '"';
}

bool uc_pylit_peek_bytes(struct uc_pylit *cur)
{
	uc_pylit_skip_ws(cur);
	return cur->end - cur->p >= 2 && (*cur->p == 'b' || *cur->p == 'B') &&
	       is_quote(cur->p[1]);
}

bool uc_pylit_peek_str(struct uc_pylit *cur)
{
	uc_pylit_skip_ws(cur);
	return cur->p < cur->end && is_quote(*cur->p);
}

bool uc_pylit_uint(struct uc_pylit *cur, uint64_t *value)
{
	uint64_t v = 0;
	const char *p;

	uc_pylit_skip_ws(cur);
	p = cur->p;
	if (p >= cur->end || *p < '0' || *p > '9')
		return fail(cur, "an integer");
	/* Python forbids leading zeros in non-zero decimal literals. */
	if (*p == '0' && p + 1 < cur->end && p[1] >= '0' && p[1] <= '9')
		return fail(cur, "an integer without leading zeros");
	for (; p < cur->end; p++) {
		unsigned d;

		if (*p == '_' && p + 1 < cur->end && p[1] >= '0' && p[1] <= '9' &&
		    p[-1] != '_')
			continue;
		if (*p < '0' || *p > '9')
			break;
		d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return fail(cur, "an integer below 2**64");
		v = v * 10 + d;
	}
	cur->p = p;
	*value = v;
	return true;
}

bool uc_pylit_int(struct uc_pylit *cur, int64_t *value)
{
	bool negative = uc_pylit_accept(cur, '-');
	uint64_t v;

	if (!negative)
		uc_pylit_accept(cur, '+');
	if (!uc_pylit_uint(cur, &v))
		return false;
	if (v > (uint64_t)INT64_MAX + (negative ? 1 : 0))
		return fail(cur, "an integer within 64 bits");
	*value = negative ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

static bool buf_reserve(struct uc_pybuf *buf, size_t extra)
{
	size_t cap;
	uint8_t *p;

	if (buf->len + extra <= buf->cap)
		return true;
	cap = buf->cap ? buf->cap : 256;
	while (cap < buf->len + extra)
		cap *= 2;
	p = realloc(buf->data, cap);
	if (!p)
		return false;
	buf->data = p;
	buf->cap = cap;
	return true;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* N hex digits at P (already bounds-checked by the caller's END). */
static long hex_digits(const char *p, const char *end, int n)
{
	long v = 0;

	if (end - p < n)
		return -1;
	for (int i = 0; i < n; i++) {
		int d = hex_value(p[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static size_t put_utf8(uint8_t *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (uint8_t)(0xc0 | (cp >> 6));
		out[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (uint8_t)(0xe0 | (cp >> 12));
		out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (uint8_t)(0xf0 | (cp >> 18));
	out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return 4;
}

/* The one-character escapes: their value plus one, or 0. */
static const uint8_t simple_escapes[256] = {
	['\\'] = '\\' + 1, ['\''] = '\'' + 1, ['"'] = '"' + 1, ['a'] = '\a' + 1,
	['b'] = '\b' + 1, ['f'] = '\f' + 1, ['n'] = '\n' + 1, ['r'] = '\r' + 1,
	['t'] = '\t' + 1, ['v'] = '\v' + 1,
};

/*
 * One escape sequence after a backslash at cur->p (which points past the
 * backslash).  Appends its value to BUF.  Python's rules: \\ \' \" \a \b
 * \f \n \r \t \v, \ooo octal, \xhh; str also \uXXXX and \UXXXXXXXX; any
 * other character keeps the backslash.
 */
static bool escape(struct uc_pylit *cur, struct uc_pybuf *buf, bool is_bytes)
{
	const char *p = cur->p;
	long v;

	if (p >= cur->end)
		return fail(cur, "an escape after '\\'");
	if (simple_escapes[(unsigned char)*p]) {
		buf->data[buf->len++] = simple_escapes[(unsigned char)*p] - 1;
		cur->p = p + 1;
		return true;
	}
	if (*p >= '0' && *p <= '7') {
		int n = 0;

		v = 0;
		while (n < 3 && p < cur->end && *p >= '0' && *p <= '7') {
			v = v * 8 + (*p++ - '0');
			n++;
		}
		if (is_bytes) {
			buf->data[buf->len++] = (uint8_t)(v & 0xff);
		} else {
			buf->len += put_utf8(buf->data + buf->len, (unsigned long)v);
		}
		cur->p = p;
		return true;
	}
	if (*p == 'x') {
		v = hex_digits(p + 1, cur->end, 2);
		if (v < 0)
			return fail(cur, "two hex digits after '\\x'");
		if (is_bytes)
			buf->data[buf->len++] = (uint8_t)v;
		else
			buf->len += put_utf8(buf->data + buf->len, (unsigned long)v);
		cur->p = p + 3;
		return true;
	}
	if (!is_bytes && (*p == 'u' || *p == 'U')) {
		int n = *p == 'u' ? 4 : 8;

		v = hex_digits(p + 1, cur->end, n);
		if (v < 0 || v > 0x10ffff)
			return fail(cur, "a unicode escape");
		buf->len += put_utf8(buf->data + buf->len, (unsigned long)v);
		cur->p = p + 1 + n;
		return true;
	}
	/* Unknown escape: Python keeps the backslash (and warns). */
	buf->data[buf->len++] = '\\';
	return true;
}

static bool quoted(struct uc_pylit *cur, struct uc_pybuf *buf, size_t max,
		   bool is_bytes)
{
	char quote;

	buf->len = 0;
	if (cur->p >= cur->end || !is_quote(*cur->p))
		return fail(cur, is_bytes ? "a bytes literal" : "a string");
	quote = *cur->p++;
	for (;;) {
		const char *p = cur->p;
		const char *run = p;

		/* Copy the run of plain characters in one go. */
		while (p < cur->end && *p != quote && *p != '\\' &&
		       *p != '\n' && *p != '\r')
			p++;
		if (p - run) {
			if (buf->len + (size_t)(p - run) > max)
				return fail(cur, "a shorter bytes value");
			if (!buf_reserve(buf, (size_t)(p - run) + 8))
				return fail(cur, "memory");
			for (const char *q = run; q < p; q++) {
				if (is_bytes && (unsigned char)*q >= 0x80)
					return fail(cur, "ASCII in a bytes literal");
			}
			memcpy(buf->data + buf->len, run, (size_t)(p - run));
			buf->len += (size_t)(p - run);
		}
		cur->p = p;
		if (p >= cur->end || *p == '\n' || *p == '\r')
			return fail(cur, "a closing quote");
		if (*p == quote) {
			cur->p = p + 1;
			return true;
		}
		cur->p = p + 1;
		if (!buf_reserve(buf, 8) || !escape(cur, buf, is_bytes))
			return false;
		if (buf->len > max)
			return fail(cur, "a shorter bytes value");
	}
}

bool uc_pylit_str(struct uc_pylit *cur, struct uc_pybuf *buf)
{
	uc_pylit_skip_ws(cur);
	return quoted(cur, buf, 1 << 20, false);
}

bool uc_pylit_bytes(struct uc_pylit *cur, struct uc_pybuf *buf, size_t max)
{
	if (!uc_pylit_peek_bytes(cur))
		return fail(cur, "a bytes literal (b'...')");
	cur->p++;
	return quoted(cur, buf, max, true);
}

bool uc_pylit_none(struct uc_pylit *cur)
{
	uc_pylit_skip_ws(cur);
	if (cur->end - cur->p >= 4 && !memcmp(cur->p, "None", 4)) {
		cur->p += 4;
		return true;
	}
	return fail(cur, "None");
}

/* ------------------------------------------------------------ fast paths */

/* Hex digit values plus one, 0 for anything else. */
static const uint8_t hex_values[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* The escapes Python's bytes repr writes besides \xhh: value plus one. */
static const uint8_t repr_escapes[256] = {
	['\\'] = '\\' + 1, ['\''] = '\'' + 1, ['"'] = '"' + 1, ['n'] = '\n' + 1,
	['r'] = '\r' + 1, ['t'] = '\t' + 1,
};

const char *uc_pylit_fast_uint(const char *p, const char *end, uint64_t *value)
{
	const char *start = p;
	uint64_t v = 0;

	while (p < end && (unsigned)(*p - '0') < 10)
		v = v * 10 + (unsigned)(*p++ - '0');
	/* 19 digits cannot overflow; '_' and leading zeros: the full parser. */
	if (p == start || p - start > 19 || (*start == '0' && p - start > 1) ||
	    (p < end && *p == '_'))
		return NULL;
	*value = v;
	return p;
}

const char *uc_pylit_fast_bytes(const char *p, const char *end, uint8_t *out,
				size_t max, size_t *len)
{
	uint8_t *o = out, *o_end = out + max;
	char quote;

	if (end - p < 3 || p[0] != 'b' || (p[1] != '\'' && p[1] != '"'))
		return NULL;
	quote = p[1];
	p += 2;
	while (p < end) {
		unsigned char c = (unsigned char)*p;

		if (c == '\\') {
			int v;

			/* The zero padding of the capture arrays, two at a
			 * time (one 8-byte compare). */
			if (end - p >= 8 && o_end - o >= 2 &&
			    !memcmp(p, "\\x00\\x00", 8)) {
				o[0] = o[1] = 0;
				o += 2;
				p += 8;
				continue;
			}
			if (end - p >= 4 && p[1] == 'x') {
				int hi = hex_values[(unsigned char)p[2]];
				int lo = hex_values[(unsigned char)p[3]];

				if (!hi || !lo)
					return NULL;
				v = (hi - 1) << 4 | (lo - 1);
				p += 4;
			} else {
				unsigned char e = end - p < 2 ? 0 : p[1];

				if (!repr_escapes[e])
					return NULL;
				v = repr_escapes[e] - 1;
				p += 2;
			}
			if (o == o_end)
				return NULL;
			*o++ = (uint8_t)v;
			continue;
		}
		if (c == (unsigned char)quote) {
			*len = (size_t)(o - out);
			return p + 1;
		}
		if (c < 0x20 || c > 0x7e || o == o_end)
			return NULL;
		*o++ = c;
		p++;
	}
	return NULL;
}
