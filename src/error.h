/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * error.h - a one-line error message carried back to main().
 *
 * Library code never prints or exits; it fills a struct uc_error and
 * returns non-zero, and main() prints "ERROR: <msg>" and exits non-zero.
 */
#ifndef UC_ERROR_H
#define UC_ERROR_H

#include <stddef.h>

struct uc_error {
	char msg[512];
};

/* printf-style; returns -1 so callers can `return uc_error_set(...)`. */
int uc_error_set(struct uc_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* UC_ERROR_H */
