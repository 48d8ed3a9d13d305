/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * map64.h - the one hash table of user space: 64-bit keys to 32-bit
 * values (usually indices into the caller's own array).
 *
 * Open addressing with linear probing, kept at most half full, so a lookup
 * touches one or two cache lines.  Keys need not be unique: a caller whose
 * key is itself a hash (the string table) stores every entry under it and
 * tells equal keys apart with uc_map64_find()'s predicate.  Removal
 * shifts the following entries back (no tombstones), so a table whose
 * entries come and go stays as small and fast as its live entries.
 *
 * Written here rather than taken from a library: the few C hash-table
 * libraries Debian ships (glib's GHashTable, uthash) either pull in a large
 * dependency or store a pointer and a malloc per entry, which is what
 * millions of packet chains must not cost.
 */
#ifndef UC_MAP64_H
#define UC_MAP64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UC_MAP64_NONE UINT32_MAX

struct uc_map64 {
	uint64_t *key;
	uint32_t *val;         /* UC_MAP64_NONE: empty slot */
	size_t size;           /* slots, a power of two (0 before the first add) */
	size_t n;              /* entries */
};

void uc_map64_init(struct uc_map64 *m);
void uc_map64_free(struct uc_map64 *m);

/* The value of the first entry with KEY, or UC_MAP64_NONE. */
uint32_t uc_map64_get(const struct uc_map64 *m, uint64_t key);

/* The value of the first entry with KEY for which EQ(CTX, value) holds,
 * or UC_MAP64_NONE. */
uint32_t uc_map64_find(const struct uc_map64 *m, uint64_t key,
		       bool (*eq)(const void *ctx, uint32_t val),
		       const void *ctx);

/* Adds an entry (even if KEY is there already).  0 or -ENOMEM.
 * VAL must not be UC_MAP64_NONE. */
int uc_map64_add(struct uc_map64 *m, uint64_t key, uint32_t val);

/* Removes the entry KEY -> VAL, if there is one. */
void uc_map64_remove(struct uc_map64 *m, uint64_t key, uint32_t val);

/*
 * The value of KEY; when KEY is absent, adds it with value *NEXT and
 * increments *NEXT (dense ids in order of first appearance).  Returns
 * UC_MAP64_NONE when out of memory.
 */
uint32_t uc_map64_intern(struct uc_map64 *m, uint64_t key, uint32_t *next);

#endif /* UC_MAP64_H */
