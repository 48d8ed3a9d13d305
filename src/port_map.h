/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * port_map.h - datapath port names to numbers, per datapath.
 *
 * Kernel upcall events name the input device; vswitchd's events carry the
 * datapath port number in the flow key.  This map joins the two.  It is the
 * `dp_port_map = {...}` line of upcall_cost.py's files, the port-map record
 * of native files, and `ovs-appctl dpctl/show` when capturing.
 */
#ifndef UC_PORT_MAP_H
#define UC_PORT_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "map64.h"

struct uc_port_entry {
	char *dp;      /* datapath name, e.g. "ovs-system" */
	char *port;    /* port name, e.g. "eth0" */
	int64_t number;
};

struct uc_port_map {
	struct uc_port_entry *entries;
	size_t n, cap;
	bool valid;    /* false for "dp_port_map = None" or no map at all */
	/* Indexes into entries: a map may hold tens of thousands of ports. */
	struct uc_map64 by_name;     /* hash of (dp, port) */
	struct uc_map64 by_number;   /* hash of (dp, number) */
};

void uc_port_map_init(struct uc_port_map *map);
void uc_port_map_free(struct uc_port_map *map);
/* Adds or replaces dp/port.  Returns 0 or -ENOMEM. */
int uc_port_map_set(struct uc_port_map *map, const char *dp, size_t dp_len,
		    const char *port, size_t port_len, int64_t number);
/* Looks dp/port up; returns true and sets *number when found. */
bool uc_port_map_lookup(const struct uc_port_map *map, const char *dp,
			const char *port, int64_t *number);
/* The hash a map files DP/PORT (LEN bytes each) under, and the same
 * lookup when that hash is known: a reader's thread works it out ahead
 * (event_digest.h). */
uint64_t uc_port_map_name_hash(const char *dp, size_t dp_len, const char *port,
			       size_t port_len);
bool uc_port_map_lookup_hashed(const struct uc_port_map *map, const char *dp,
			       size_t dp_len, const char *port, size_t port_len,
			       uint64_t hash, int64_t *number);
/*
 * The entry of the port named DEV in any datapath (the first, in map
 * order), or NULL: for a kernel record that names its device but not its
 * datapath.  A linear search (rare records only).
 */
const struct uc_port_entry *uc_port_map_find_device(const struct uc_port_map *map,
						    const char *dev);
/* Name of the port with this number in dp, or NULL. */
const char *uc_port_map_name(const struct uc_port_map *map, const char *dp,
			     int64_t number);
/* Deep copy; returns 0 or -ENOMEM. */
int uc_port_map_copy(struct uc_port_map *dst, const struct uc_port_map *src);
/*
 * Parses `ovs-appctl dpctl/show` output as upcall_cost.py does: lines
 * "system@NAME:" start a datapath, "  port N: NAME..." add a port (the name
 * ends at a space or '/').  Returns 0 or -ENOMEM.
 */
int uc_port_map_parse_dpctl(struct uc_port_map *map, const char *text);
/* Writes the map as a Python dict repr, as upcall_cost.py does. */
void uc_port_map_write_py(const struct uc_port_map *map, FILE *out);

#endif /* UC_PORT_MAP_H */
