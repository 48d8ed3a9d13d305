/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "port_map.h"
#include "pyrepr.h"

void uc_port_map_init(struct uc_port_map *map)
{
	memset(map, 0, sizeof(*map));
	uc_map64_init(&map->by_name);
	uc_map64_init(&map->by_number);
}

void uc_port_map_free(struct uc_port_map *map)
{
	for (size_t i = 0; i < map->n; i++) {
		free(map->entries[i].dp);
		free(map->entries[i].port);
	}
	free(map->entries);
	uc_map64_free(&map->by_name);
	uc_map64_free(&map->by_number);
	uc_port_map_init(map);
}

uint64_t uc_port_map_name_hash(const char *dp, size_t dp_len, const char *port,
			       size_t port_len)
{
	return uc_hash_bytes(port, port_len, uc_hash_bytes(dp, dp_len, 0));
}

static uint64_t number_key(const char *dp, int64_t number)
{
	return uc_hash_bytes(dp, strlen(dp), (uint64_t)number);
}

/* What an index lookup compares an entry with. */
struct probe {
	const struct uc_port_map *map;
	const char *dp, *port;
	size_t dp_len, port_len;
	int64_t number;
};

static bool same_name(const void *ctx, uint32_t i)
{
	const struct probe *p = ctx;
	const struct uc_port_entry *e = &p->map->entries[i];

	return strlen(e->dp) == p->dp_len && !memcmp(e->dp, p->dp, p->dp_len) &&
	       strlen(e->port) == p->port_len &&
	       !memcmp(e->port, p->port, p->port_len);
}

static bool same_number(const void *ctx, uint32_t i)
{
	const struct probe *p = ctx;
	const struct uc_port_entry *e = &p->map->entries[i];

	return e->number == p->number && !strcmp(e->dp, p->dp);
}

/* The entry of DP/PORT, whose uc_port_map_name_hash() is HASH, or NULL. */
static struct uc_port_entry *find(const struct uc_port_map *map,
				  const char *dp, size_t dp_len,
				  const char *port, size_t port_len, uint64_t hash)
{
	struct probe p = { map, dp, port, dp_len, port_len, 0 };
	uint32_t i = uc_map64_find(&map->by_name, hash, same_name, &p);

	return i == UC_MAP64_NONE ? NULL : &map->entries[i];
}

int uc_port_map_set(struct uc_port_map *map, const char *dp, size_t dp_len,
		    const char *port, size_t port_len, int64_t number)
{
	struct uc_port_entry *e;
	uint64_t hash;

	/* An empty name may come without a buffer. */
	dp = dp_len ? dp : "";
	port = port_len ? port : "";
	hash = uc_port_map_name_hash(dp, dp_len, port, port_len);
	e = find(map, dp, dp_len, port, port_len, hash);

	map->valid = true;
	if (e) {
		uint32_t i = (uint32_t)(e - map->entries);

		if (e->number == number)
			return 0;
		uc_map64_remove(&map->by_number, number_key(e->dp, e->number), i);
		e->number = number;
		return uc_map64_add(&map->by_number, number_key(e->dp, number), i);
	}
	if (map->n == map->cap) {
		size_t cap = map->cap ? map->cap * 2 : 16;
		void *p = realloc(map->entries, cap * sizeof(*map->entries));

		if (!p)
			return -ENOMEM;
		map->entries = p;
		map->cap = cap;
	}
	e = &map->entries[map->n];
	e->dp = strndup(dp, dp_len);
	e->port = strndup(port, port_len);
	if (!e->dp || !e->port) {
		free(e->dp);
		free(e->port);
		return -ENOMEM;
	}
	e->number = number;
	if (uc_map64_add(&map->by_name, hash, (uint32_t)map->n) ||
	    uc_map64_add(&map->by_number, number_key(e->dp, number),
			 (uint32_t)map->n)) {
		free(e->dp);
		free(e->port);
		return -ENOMEM;
	}
	map->n++;
	return 0;
}

bool uc_port_map_lookup(const struct uc_port_map *map, const char *dp,
			const char *port, int64_t *number)
{
	size_t dp_len = strlen(dp), port_len = strlen(port);

	return uc_port_map_lookup_hashed(map, dp, dp_len, port, port_len,
					 uc_port_map_name_hash(dp, dp_len, port,
							       port_len),
					 number);
}

bool uc_port_map_lookup_hashed(const struct uc_port_map *map, const char *dp,
			       size_t dp_len, const char *port, size_t port_len,
			       uint64_t hash, int64_t *number)
{
	const struct uc_port_entry *e = find(map, dp, dp_len, port, port_len, hash);

	if (!e)
		return false;
	*number = e->number;
	return true;
}

const struct uc_port_entry *uc_port_map_find_device(const struct uc_port_map *map,
						    const char *dev)
{
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->entries[i].port, dev))
			return &map->entries[i];
	return NULL;
}

const char *uc_port_map_name(const struct uc_port_map *map, const char *dp,
			     int64_t number)
{
	struct probe p = { map, dp, NULL, 0, 0, number };
	uint32_t i = uc_map64_find(&map->by_number, number_key(dp, number),
				   same_number, &p);

	return i == UC_MAP64_NONE ? NULL : map->entries[i].port;
}

int uc_port_map_copy(struct uc_port_map *dst, const struct uc_port_map *src)
{
	uc_port_map_init(dst);
	for (size_t i = 0; i < src->n; i++) {
		const struct uc_port_entry *e = &src->entries[i];

		if (uc_port_map_set(dst, e->dp, strlen(e->dp), e->port,
				    strlen(e->port), e->number)) {
			uc_port_map_free(dst);
			return -ENOMEM;
		}
	}
	dst->valid = src->valid;
	return 0;
}

/* "system@NAME:" exactly (upcall_cost.py's ^system@(.*):$). */
static bool dpctl_datapath_line(const char *line, size_t len,
				const char **name, size_t *name_len)
{
	static const char prefix[] = "system@";

	if (len < sizeof(prefix) || memcmp(line, prefix, sizeof(prefix) - 1) ||
	    line[len - 1] != ':')
		return false;
	*name = line + sizeof(prefix) - 1;
	*name_len = len - sizeof(prefix);
	return true;
}

/* "  port N: NAME" (upcall_cost.py's ^  port ([0-9]+): ([^ /]*)). */
static bool dpctl_port_line(const char *line, size_t len, int64_t *number,
			    const char **name, size_t *name_len)
{
	static const char prefix[] = "  port ";
	size_t i = sizeof(prefix) - 1;
	int64_t n = 0;

	if (len < i || memcmp(line, prefix, i))
		return false;
	if (i >= len || line[i] < '0' || line[i] > '9')
		return false;
	for (; i < len && line[i] >= '0' && line[i] <= '9'; i++) {
		if (n > (INT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (line[i] - '0');
	}
	if (i + 2 > len || line[i] != ':' || line[i + 1] != ' ')
		return false;
	i += 2;
	*name = line + i;
	while (i < len && line[i] != ' ' && line[i] != '/')
		i++;
	*name_len = (size_t)(line + i - *name);
	*number = n;
	return true;
}

int uc_port_map_parse_dpctl(struct uc_port_map *map, const char *text)
{
	const char *dp = NULL;
	size_t dp_len = 0;

	map->valid = true;
	while (*text) {
		const char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);
		const char *name;
		size_t name_len;
		int64_t number;

		if (dpctl_datapath_line(text, len, &name, &name_len)) {
			dp = name;
			dp_len = name_len;
		} else if (dp && dpctl_port_line(text, len, &number, &name,
						 &name_len)) {
			if (uc_port_map_set(map, dp, dp_len, name, name_len,
					    number))
				return -ENOMEM;
		}
		text += len + (end ? 1 : 0);
	}
	return 0;
}

/* Python's dict repr: datapaths in first-seen order, ports in insertion
 * order within each. */
void uc_port_map_write_py(const struct uc_port_map *map, FILE *out)
{
	bool first_dp = true;

	if (!map->valid) {
		fputs("None", out);
		return;
	}
	fputc('{', out);
	for (size_t i = 0; i < map->n; i++) {
		const char *dp = map->entries[i].dp;
		bool seen = false, first_port = true;

		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(map->entries[j].dp, dp);
		if (seen)
			continue;
		fputs(first_dp ? "" : ", ", out);
		first_dp = false;
		uc_py_write_str(out, dp, strlen(dp));
		fputs(": {", out);
		for (size_t j = i; j < map->n; j++) {
			const struct uc_port_entry *e = &map->entries[j];

			if (strcmp(e->dp, dp))
				continue;
			fputs(first_port ? "" : ", ", out);
			first_port = false;
			uc_py_write_str(out, e->port, strlen(e->port));
			fprintf(out, ": %lld", (long long)e->number);
		}
		fputc('}', out);
	}
	fputc('}', out);
}
