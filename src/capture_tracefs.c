/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_tracefs.c - the layout of the openvswitch:ovs_dp_upcall
 * tracepoint record, from tracefs's events/openvswitch/ovs_dp_upcall/format:
 *
 *     field:void * skbaddr;	offset:24;	size:8;	signed:0;
 *
 * The record is the kernel's and changes when fields are added
 * (TRACE_EVENT in net/openvswitch/openvswitch_trace.h); reading the
 * offsets here instead of compiling them in, or reading them from the
 * module's BTF, lets the program run on any kernel that has the
 * tracepoint, with or without module BTF.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"

/* The fields read, the size the programs read each with, whether it is a
 * __data_loc string (whose 4 bytes hold its length and offset), and
 * where its presence is noted if it is optional. */
#define REQUIRED ((size_t)-1)
static const struct tp_field {
	const char *name;
	uint32_t size;
	bool data_loc;
	size_t offset_in_layout;
	size_t present;
} fields[] = {
	{ "dp_name", 4, true, offsetof(struct uc_tp_layout, dp_name), REQUIRED },
	{ "dev_name", 4, true, offsetof(struct uc_tp_layout, dev_name), REQUIRED },
	{ "skbaddr", sizeof(uint64_t), false, offsetof(struct uc_tp_layout, skbaddr), REQUIRED },
	{ "len", 4, false, offsetof(struct uc_tp_layout, len), REQUIRED },
	{ "upcall_cmd", 1, false, offsetof(struct uc_tp_layout, upcall_cmd), REQUIRED },
	{ "keyaddr", sizeof(uint64_t), false, offsetof(struct uc_tp_layout, keyaddr),
	  offsetof(struct uc_tp_layout, has_keyaddr) },
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

/* Largest record offset we accept: tracepoint records are small. */
#define MAX_OFFSET 4096

/*
 * Parses one "field:DECL NAME;<tab>offset:N;<tab>size:N;..." line
 * (LINE..END, no newline).  Returns false if it is not one.
 */
static bool parse_field(const char *line, const char *end, char *name,
			size_t name_size, bool *data_loc, unsigned long *off,
			unsigned long *size)
{
	const char *p = line, *semi, *n0, *n1, *o, *s;
	char *num_end;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(end - p) < 6 || strncmp(p, "field:", 6))
		return false;
	p += 6;
	semi = memchr(p, ';', end - p);
	if (!semi)
		return false;
	/* The name is the declaration's last word, less any "[...]". */
	n1 = semi;
	while (n1 > p && n1[-1] == ']') {
		while (n1 > p && n1[-1] != '[')
			n1--;
		if (n1 > p)
			n1--;
	}
	n0 = n1;
	while (n0 > p && n0[-1] != ' ' && n0[-1] != '\t' && n0[-1] != '*')
		n0--;
	if (n0 == n1 || (size_t)(n1 - n0) >= name_size)
		return false;
	memcpy(name, n0, n1 - n0);
	name[n1 - n0] = '\0';
	*data_loc = false;
	for (const char *q = p; q + 10 <= n0; q++)
		if (!strncmp(q, "__data_loc", 10))
			*data_loc = true;
	/* offset:N; and size:N; follow, in that order. */
	o = memmem(semi, end - semi, "offset:", 7);
	s = memmem(semi, end - semi, "size:", 5);
	if (!o || !s || s < o)
		return false;
	*off = strtoul(o + 7, &num_end, 10);
	if (num_end == o + 7 || *num_end != ';')
		return false;
	*size = strtoul(s + 5, &num_end, 10);
	return num_end != s + 5 && *num_end == ';';
}

int uc_tp_parse_format(const char *text, struct uc_tp_layout *l,
		       char *why, size_t why_len)
{
	bool seen[N_FIELDS] = { false };

	memset(l, 0, sizeof(*l));
	for (const char *line = text; *line; ) {
		const char *end = line + strcspn(line, "\n");
		char name[64];
		bool data_loc;
		unsigned long off, size;

		if (parse_field(line, end, name, sizeof(name), &data_loc, &off, &size)) {
			for (size_t i = 0; i < N_FIELDS; i++) {
				const struct tp_field *f = &fields[i];

				if (strcmp(name, f->name) || seen[i])
					continue;
				if (size != f->size || data_loc != f->data_loc ||
				    off > MAX_OFFSET) {
					snprintf(why, why_len, "its field %s is %s%lu bytes at offset %lu, "
						 "not the %s%u bytes this program reads",
						 name, data_loc ? "a __data_loc of " : "", size, off,
						 f->data_loc ? "__data_loc of " : "", f->size);
					return -1;
				}
				*(uint32_t *)((char *)l + f->offset_in_layout) = (uint32_t)off;
				if (f->present != REQUIRED)
					*(bool *)((char *)l + f->present) = true;
				seen[i] = true;
			}
		}
		line = *end ? end + 1 : end;
	}
	for (size_t i = 0; i < N_FIELDS; i++)
		if (!seen[i] && fields[i].present == REQUIRED) {
			snprintf(why, why_len, "its record has no field %s", fields[i].name);
			return -1;
		}
	return 0;
}
