/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * grow.h - growing arrays by doubling.  Large blocks are moved by glibc
 * with mremap, so growth costs no copy and no transient double memory.
 */
#ifndef UC_GROW_H
#define UC_GROW_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Makes *P hold at least NEED elements of ELEM bytes.  0 or -ENOMEM. */
static inline int uc_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

/* The same, zeroing the new elements. */
static inline int uc_grow_zeroed(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t old = *cap;

	if (uc_grow(p, cap, need, elem))
		return -ENOMEM;
	if (*cap > old)
		memset((char *)*p + old * elem, 0, (*cap - old) * elem);
	return 0;
}

#endif /* UC_GROW_H */
