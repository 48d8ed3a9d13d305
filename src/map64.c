/* SPDX-License-Identifier: BSD-2-Clause */
/* map64.c - the hash table of map64.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "map64.h"

void uc_map64_init(struct uc_map64 *m)
{
	memset(m, 0, sizeof(*m));
}

void uc_map64_free(struct uc_map64 *m)
{
	free(m->key);
	free(m->val);
	uc_map64_init(m);
}

static size_t first_slot(const struct uc_map64 *m, uint64_t key)
{
	return uc_hash_mix(key) & (m->size - 1);
}

uint32_t uc_map64_find(const struct uc_map64 *m, uint64_t key,
		       bool (*eq)(const void *ctx, uint32_t val),
		       const void *ctx)
{
	if (!m->size)
		return UC_MAP64_NONE;
	for (size_t h = first_slot(m, key); m->val[h] != UC_MAP64_NONE;
	     h = (h + 1) & (m->size - 1))
		if (m->key[h] == key && (!eq || eq(ctx, m->val[h])))
			return m->val[h];
	return UC_MAP64_NONE;
}

uint32_t uc_map64_get(const struct uc_map64 *m, uint64_t key)
{
	return uc_map64_find(m, key, NULL, NULL);
}

static void place(uint64_t *keys, uint32_t *vals, size_t size, uint64_t key,
		  uint32_t val)
{
	size_t h = uc_hash_mix(key) & (size - 1);

	while (vals[h] != UC_MAP64_NONE)
		h = (h + 1) & (size - 1);
	keys[h] = key;
	vals[h] = val;
}

static int grow(struct uc_map64 *m)
{
	size_t size = m->size ? m->size * 2 : 64;
	uint64_t *keys = malloc(size * sizeof(*keys));
	uint32_t *vals = malloc(size * sizeof(*vals));

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	memset(vals, 0xff, size * sizeof(*vals));
	for (size_t i = 0; i < m->size; i++)
		if (m->val[i] != UC_MAP64_NONE)
			place(keys, vals, size, m->key[i], m->val[i]);
	free(m->key);
	free(m->val);
	m->key = keys;
	m->val = vals;
	m->size = size;
	return 0;
}

int uc_map64_add(struct uc_map64 *m, uint64_t key, uint32_t val)
{
	if ((m->n + 1) * 2 > m->size && grow(m))
		return -ENOMEM;
	place(m->key, m->val, m->size, key, val);
	m->n++;
	return 0;
}

/* Linear probing's deletion (Knuth's algorithm R): every entry after the
 * hole that could sit in it moves back, so no probe sequence is cut. */
void uc_map64_remove(struct uc_map64 *m, uint64_t key, uint32_t val)
{
	size_t mask = m->size - 1, hole, h;

	if (!m->size)
		return;
	for (hole = first_slot(m, key); m->val[hole] != UC_MAP64_NONE;
	     hole = (hole + 1) & mask)
		if (m->key[hole] == key && m->val[hole] == val)
			break;
	if (m->val[hole] == UC_MAP64_NONE)
		return;
	for (h = (hole + 1) & mask; m->val[h] != UC_MAP64_NONE; h = (h + 1) & mask) {
		size_t home = first_slot(m, m->key[h]);

		/* Can the entry at H live at HOLE (is HOLE on its way)? */
		if (((h - home) & mask) >= ((h - hole) & mask)) {
			m->key[hole] = m->key[h];
			m->val[hole] = m->val[h];
			hole = h;
		}
	}
	m->val[hole] = UC_MAP64_NONE;
	m->n--;
}

uint32_t uc_map64_intern(struct uc_map64 *m, uint64_t key, uint32_t *next)
{
	uint32_t v = uc_map64_get(m, key);

	if (v != UC_MAP64_NONE)
		return v;
	if (uc_map64_add(m, key, *next))
		return UC_MAP64_NONE;
	return (*next)++;
}
