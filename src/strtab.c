/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "strtab.h"

void uc_strtab_init(struct uc_strtab *tab)
{
	memset(tab, 0, sizeof(*tab));
	uc_map64_init(&tab->index);
}

void uc_strtab_free(struct uc_strtab *tab)
{
	for (size_t i = 0; i < tab->n; i++)
		free(tab->str[i]);
	free(tab->str);
	uc_map64_free(&tab->index);
	uc_strtab_init(tab);
}

struct probe {
	const struct uc_strtab *tab;
	const char *s;
};

static bool same_string(const void *ctx, uint32_t i)
{
	const struct probe *p = ctx;

	return !strcmp(p->tab->str[i], p->s);
}

/* Makes the K-th recent string (or, K = 3, a new one) the most recent. */
static void remember(struct uc_strtab *tab, int k, uint32_t i, uint64_t hash)
{
	memmove(&tab->last[1], &tab->last[0], (size_t)k * sizeof(tab->last[0]));
	memmove(&tab->last_hash[1], &tab->last_hash[0],
		(size_t)k * sizeof(tab->last_hash[0]));
	tab->last[0] = i + 1;
	tab->last_hash[0] = hash;
}

uint64_t uc_strtab_hash(const char *s, size_t len)
{
	return uc_hash_bytes(s, len, 0);
}

uint32_t uc_strtab_intern(struct uc_strtab *tab, const char *s)
{
	return uc_strtab_intern_hashed(tab, s, uc_strtab_hash(s, strlen(s)));
}

uint32_t uc_strtab_intern_hashed(struct uc_strtab *tab, const char *s,
				 uint64_t key)
{
	struct probe probe = { tab, s };
	uint32_t i;

	/* Names come in runs (a handler's, its datapath's): the recent
	 * ones first, most recent in front, compared in full only when
	 * their hashes agree. */
	for (int k = 0; k < 4 && tab->last[k]; k++)
		if (tab->last_hash[k] == key &&
		    !strcmp(tab->str[tab->last[k] - 1], s)) {
			i = tab->last[k] - 1;
			remember(tab, k, i, key);
			return i;
		}
	i = uc_map64_find(&tab->index, key, same_string, &probe);
	if (i != UC_MAP64_NONE) {
		remember(tab, 3, i, key);
		return i;
	}
	if (tab->n == tab->cap) {
		size_t cap = tab->cap ? tab->cap * 2 : 16;
		char **p = realloc(tab->str, cap * sizeof(*p));

		if (!p)
			return UINT32_MAX;
		tab->str = p;
		tab->cap = cap;
	}
	tab->str[tab->n] = strdup(s);
	if (!tab->str[tab->n] || uc_map64_add(&tab->index, key, (uint32_t)tab->n)) {
		free(tab->str[tab->n]);
		return UINT32_MAX;
	}
	remember(tab, 3, (uint32_t)tab->n, key);
	return (uint32_t)tab->n++;
}
