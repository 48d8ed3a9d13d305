/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/lib/check.h - PASS/FAIL lines for the C checkers that end in
 * "N passed, M failed" (tests/explain_check.c, testbed/why_check.c), as
 * tests/lib/check.sh prints them for the scripts.
 */
#ifndef UC_TESTS_CHECK_H
#define UC_TESTS_CHECK_H

#include <stdio.h>

static int passed, failed;

/* CHECK(COND, FORMAT, ...): one PASS or FAIL line, counted. */
#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (cond) {                                                \
			passed++;                                          \
			printf("PASS: ");                                  \
		} else {                                                   \
			failed++;                                          \
			printf("FAIL: ");                                  \
		}                                                          \
		printf(__VA_ARGS__);                                       \
		putchar('\n');                                             \
	} while (0)

/* The closing line; the exit status. */
static inline int check_finish(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

#endif /* UC_TESTS_CHECK_H */
