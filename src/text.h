/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * text.h - small wording helpers of the text reports: names with control
 * characters made visible, and counted nouns in the right number.
 */
#ifndef UC_TEXT_H
#define UC_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Copies IN to OUT (SIZE bytes, always terminated), with every control
 * character and DEL as \xHH and a backslash doubled, so a thread or port
 * name cannot break a line or a terminal.  Returns OUT.
 */
char *uc_text_escape(const char *in, char *out, size_t size);

/* "1 upcall", "2 upcalls": SINGULAR or PLURAL after N. */
const char *uc_plural(uint64_t n, const char *singular, const char *plural);

#endif /* UC_TEXT_H */
