/* SPDX-License-Identifier: BSD-2-Clause */
/* text.c - wording helpers (text.h). */
#include <stdio.h>

#include "text.h"

char *uc_text_escape(const char *in, char *out, size_t size)
{
	size_t o = 0;

	if (!size)
		return out;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		char esc[5];
		size_t n = 1;

		if (*p < 0x20 || *p == 0x7f) {
			snprintf(esc, sizeof(esc), "\\x%02x", *p);
			n = 4;
		} else if (*p == '\\') {
			esc[0] = esc[1] = '\\';
			n = 2;
		} else {
			esc[0] = (char)*p;
		}
		if (o + n >= size)
			break;
		for (size_t i = 0; i < n; i++)
			out[o++] = esc[i];
	}
	out[o] = '\0';
	return out;
}

const char *uc_plural(uint64_t n, const char *singular, const char *plural)
{
	return n == 1 ? singular : plural;
}
