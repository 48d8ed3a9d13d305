/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_dpctl - the `ovs-appctl dpctl/show` parser, then the map's Python
 * repr (written to the file's first line) and its lookups.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void use_map(const struct uc_port_map *map)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (out) {
		uc_port_map_write_py(map, out);
		fclose(out);
		free(text);
	}
	for (size_t i = 0; i < map->n; i++) {
		const struct uc_port_entry *e = &map->entries[i];
		int64_t number;

		if (!uc_port_map_lookup(map, e->dp, e->port, &number) ||
		    !uc_port_map_name(map, e->dp, number))
			abort();   /* an entry it holds must be found */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct uc_port_map map, copy;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';          /* the parser takes a C string */
	uc_port_map_init(&map);
	if (uc_port_map_parse_dpctl(&map, text) == 0) {
		use_map(&map);
		if (uc_port_map_copy(&copy, &map) == 0) {
			if (copy.n != map.n)
				abort();
			uc_port_map_free(&copy);
		}
	}
	uc_port_map_free(&map);
	free(text);
	return 0;
}
