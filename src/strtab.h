/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * strtab.h - interned short strings (thread and datapath names), so that
 * millions of events refer to a handful of names by index.
 */
#ifndef UC_STRTAB_H
#define UC_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "map64.h"

struct uc_strtab {
	char **str;
	size_t n, cap;
	struct uc_map64 index; /* string hash -> index in str */
	uint32_t last[4];     /* index + 1 of the strings asked for last
			       * (names come in runs, a few interleaved) */
	uint64_t last_hash[4]; /* ... and their hashes */
};

void uc_strtab_init(struct uc_strtab *tab);
void uc_strtab_free(struct uc_strtab *tab);
/* Index of S, added if new; UINT32_MAX when out of memory. */
uint32_t uc_strtab_intern(struct uc_strtab *tab, const char *s);
/* The hash a table files S (LEN bytes) under, and the same interning of
 * S when that hash is known: a reader's thread works it out ahead
 * (event_digest.h). */
uint64_t uc_strtab_hash(const char *s, size_t len);
uint32_t uc_strtab_intern_hashed(struct uc_strtab *tab, const char *s,
				 uint64_t hash);
static inline const char *uc_strtab_get(const struct uc_strtab *tab, uint32_t i)
{
	return i < tab->n ? tab->str[i] : "";
}

#endif /* UC_STRTAB_H */
