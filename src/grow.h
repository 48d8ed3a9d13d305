/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * grow.h - growing arrays by doubling.  Large blocks are moved by glibc
 * with mremap, so growth costs no copy and no transient double memory.
 * The arrays that grow with every upcall also make their memory resident
 * a step ahead of use (uc_populate_ahead).
 */
#ifndef UC_GROW_H
#define UC_GROW_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define UC_POPULATE_STEP (1u << 18)
#define UC_PAGE 4096u

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

/* Makes a kept buffer *P of *SIZE bytes hold at least NEED (> 0) bytes,
 * keeping it when it does: 0 or -ENOMEM (*P and *SIZE as they were). */
static inline int uc_buf_reserve(uint8_t **p, uint32_t *size, uint32_t need)
{
	uint8_t *q;

	if (*size >= need)
		return 0;
	q = realloc(*p, need);
	if (!q)
		return -ENOMEM;
	*p = q;
	*size = need;
	return 0;
}

/*
 * Makes element NEED - 1 of P (CAP elements of ELEM bytes, from uc_grow)
 * resident, with up to UC_POPULATE_STEP bytes after it: one
 * madvise(MADV_POPULATE_WRITE) maps a step's pages where first writes
 * fault once a page, each fault dearer than the page's share of the call
 * (Linux 5.14 and later; elsewhere the call fails and the pages fault in
 * as before).  *DONE counts the elements made resident so far; memory
 * beyond a step past the last element used is never touched.
 */
static inline void uc_populate_ahead(void *p, size_t cap, size_t elem,
				     size_t need, size_t *done)
{
	uintptr_t base = (uintptr_t)p, from, to, end;

	if (need <= *done)
		return;
	from = (base + *done * elem + UC_PAGE - 1) & ~(uintptr_t)(UC_PAGE - 1);
	end = (base + cap * elem) & ~(uintptr_t)(UC_PAGE - 1);
	to = from + UC_POPULATE_STEP < end ? from + UC_POPULATE_STEP : end;
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
	*done = to > base ? (to - base) / elem : 0;
	if (*done < need)
		*done = need;
}

#endif /* UC_GROW_H */
