/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "strtab.h"

void uc_strtab_init(struct uc_strtab *tab)
{
	memset(tab, 0, sizeof(*tab));
}

void uc_strtab_free(struct uc_strtab *tab)
{
	for (size_t i = 0; i < tab->n; i++)
		free(tab->str[i]);
	free(tab->str);
	free(tab->slots);
	uc_strtab_init(tab);
}

static int grow_slots(struct uc_strtab *tab)
{
	size_t n_slots = tab->n_slots ? tab->n_slots * 2 : 64;
	uint32_t *slots = calloc(n_slots, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t i = 0; i < tab->n; i++) {
		size_t h = uc_hash_bytes(tab->str[i], strlen(tab->str[i]), 0) &
			   (n_slots - 1);

		while (slots[h])
			h = (h + 1) & (n_slots - 1);
		slots[h] = (uint32_t)i + 1;
	}
	free(tab->slots);
	tab->slots = slots;
	tab->n_slots = n_slots;
	return 0;
}

uint32_t uc_strtab_intern(struct uc_strtab *tab, const char *s)
{
	size_t len, h;

	/* Names come in runs (one handler's events): try the last first. */
	if (tab->last && !strcmp(tab->str[tab->last - 1], s))
		return tab->last - 1;
	len = strlen(s);
	if ((tab->n + 1) * 2 > tab->n_slots && grow_slots(tab))
		return UINT32_MAX;
	h = uc_hash_bytes(s, len, 0) & (tab->n_slots - 1);
	for (; tab->slots[h]; h = (h + 1) & (tab->n_slots - 1))
		if (!strcmp(tab->str[tab->slots[h] - 1], s)) {
			tab->last = tab->slots[h];
			return tab->slots[h] - 1;
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
	if (!tab->str[tab->n])
		return UINT32_MAX;
	tab->slots[h] = (uint32_t)tab->n + 1;
	tab->last = tab->slots[h];
	return (uint32_t)tab->n++;
}
