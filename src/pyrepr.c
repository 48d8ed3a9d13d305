/* SPDX-License-Identifier: BSD-2-Clause */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pyrepr.h"

char uc_py_pick_quote(const void *s, size_t len)
{
	bool single = len && memchr(s, '\'', len);
	bool dbl = len && memchr(s, '"', len);

	return single && !dbl ? '"' : '\'';
}

void uc_py_write_str(FILE *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	char quote = uc_py_pick_quote(s, len);

	fputc(quote, out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '\\' || c == (unsigned char)quote) {
			fputc('\\', out);
			fputc(c, out);
		} else if (c == '\t') {
			fputs("\\t", out);
		} else if (c == '\n') {
			fputs("\\n", out);
		} else if (c == '\r') {
			fputs("\\r", out);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\x%02x", c);
		} else {
			/* UTF-8 bytes of printable characters pass */
			fputc(c, out);
		}
	}
	fputc(quote, out);
}

/* The shortest "%.*e" of V that reads back as V. */
static void shortest_sci(double v, char *buf, size_t size)
{
	for (int prec = 0; prec < 17; prec++) {
		snprintf(buf, size, "%.*e", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	snprintf(buf, size, "%.16e", v);
}

/*
 * Python's float_repr_style 'short': fixed notation when the decimal
 * exponent is in [-4, 16), else scientific with at least two exponent
 * digits; fixed notation always shows a fractional part (".0").
 */
char *uc_py_float_repr(double v, char *buf)
{
	char sci[40], digits[20];
	int exp10, nd = 0;
	char *e;

	if (isnan(v))
		return strcpy(buf, "nan");
	if (isinf(v))
		return strcpy(buf, v < 0 ? "-inf" : "inf");
	if (v == 0)
		return strcpy(buf, signbit(v) ? "-0.0" : "0.0");

	shortest_sci(v, sci, sizeof(sci));
	e = strchr(sci, 'e');
	exp10 = atoi(e + 1);
	for (char *p = sci; p < e && nd < (int)sizeof(digits) - 1; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	digits[nd] = '\0';

	char *o = buf;
	if (v < 0)
		*o++ = '-';
	if (exp10 < -4 || exp10 >= 16) {
		*o++ = digits[0];
		if (nd > 1) {
			*o++ = '.';
			memcpy(o, digits + 1, nd - 1);
			o += nd - 1;
		}
		sprintf(o, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
		return buf;
	}
	if (exp10 < 0) {
		*o++ = '0';
		*o++ = '.';
		for (int i = -1; i > exp10; i--)
			*o++ = '0';
		memcpy(o, digits, nd);
		o += nd;
	} else {
		for (int i = 0; i <= exp10; i++)
			*o++ = i < nd ? digits[i] : '0';
		*o++ = '.';
		if (nd > exp10 + 1) {
			memcpy(o, digits + exp10 + 1, nd - exp10 - 1);
			o += nd - exp10 - 1;
		} else {
			*o++ = '0';
		}
	}
	*o = '\0';
	return buf;
}
