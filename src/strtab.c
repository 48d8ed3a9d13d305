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

static void remember(struct uc_strtab *tab, uint32_t i)
{
	memmove(&tab->last[1], &tab->last[0], 3 * sizeof(tab->last[0]));
	tab->last[0] = i + 1;
}

uint32_t uc_strtab_intern(struct uc_strtab *tab, const char *s)
{
	struct probe probe = { tab, s };
	uint64_t key;
	uint32_t i;

	/* Names come in runs (a handler's, its datapath's): the recent
	 * ones first, most recent in front. */
	for (int k = 0; k < 4 && tab->last[k]; k++)
		if (!strcmp(tab->str[tab->last[k] - 1], s)) {
			uint32_t hit = tab->last[k];

			memmove(&tab->last[1], &tab->last[0], (size_t)k * sizeof(hit));
			tab->last[0] = hit;
			return hit - 1;
		}
	key = uc_hash_bytes(s, strlen(s), 0);
	i = uc_map64_find(&tab->index, key, same_string, &probe);
	if (i != UC_MAP64_NONE) {
		remember(tab, i);
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
	remember(tab, (uint32_t)tab->n);
	return (uint32_t)tab->n++;
}
