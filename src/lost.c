/* SPDX-License-Identifier: BSD-2-Clause */
/* lost.c - failed kernel upcalls and their breakdowns (lost.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "lost.h"
#include "map64.h"
#include "strtab.h"
#include "trace.h"
#include "xevent.h"

void uc_lost_init(struct uc_lost_log *l)
{
	memset(l, 0, sizeof(*l));
}

void uc_lost_free(struct uc_lost_log *l)
{
	free(l->v);
	free(l->totals);
	memset(l, 0, sizeof(*l));
}

int uc_lost_add(struct uc_lost_log *l, const struct uc_lost_upcall *u)
{
	if (uc_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)))
		return -ENOMEM;
	l->v[l->n++] = *u;
	return 0;
}

int uc_lost_add_total(struct uc_lost_log *l, const struct uc_dp_result_total *t)
{
	if (uc_grow((void **)&l->totals, &l->cap_totals, l->n_totals + 1,
		    sizeof(*l->totals)))
		return -ENOMEM;
	l->totals[l->n_totals++] = *t;
	return 0;
}

const char *uc_lost_errno_cause(int32_t err)
{
	/* net/openvswitch/datapath.c: ovs_dp_upcall(), queue_userspace_packet()
	 * and genlmsg_unicast() -> netlink_unicast() */
	switch (err < 0 ? -err : err) {
	case EAGAIN: return "handler socket receive queue full";
	case ENOTCONN: return "no handler socket (portid 0)";
	case ECONNREFUSED: return "no socket has the handler's portid";
	case ENODEV: return "datapath interface gone";
	case ENOMEM: return "out of memory in the kernel";
	case EFBIG: return "netlink attribute over 64 KiB";
	case EMSGSIZE: case ENOBUFS: return "upcall message too big for its buffer";
	default: return "";
	}
}

const char *uc_upcall_cmd_name(uint8_t cmd, char *buf, size_t size)
{
	switch (cmd) {
	case 1: return "MISS";
	case 2: return "ACTION";
	default:
		snprintf(buf, size, "%u", cmd);
		return buf;
	}
}

/* ------------------------------------------------------------ rows */

/* A growing list of rows with a label each, found by key (a distinct
 * key per row: an overload can make many flows' rows). */
struct rows {
	struct uc_lost_row *r;
	size_t n, cap;
	struct uc_map64 index;   /* key -> row */
};

static struct uc_lost_row *row(struct rows *rs, int64_t key, bool *fresh)
{
	uint32_t i = uc_map64_get(&rs->index, (uint64_t)key);

	*fresh = false;
	if (i != UC_MAP64_NONE)
		return &rs->r[i];
	if (uc_grow((void **)&rs->r, &rs->cap, rs->n + 1, sizeof(*rs->r)) ||
	    uc_map64_add(&rs->index, (uint64_t)key, (uint32_t)rs->n))
		return NULL;
	*fresh = true;
	rs->r[rs->n] = (struct uc_lost_row){ .key = key };
	return &rs->r[rs->n++];
}

static int count_in(struct rows *rs, int64_t key, uint64_t n, const char *label)
{
	bool fresh;
	struct uc_lost_row *r = row(rs, key, &fresh);

	if (!r)
		return -ENOMEM;
	if (fresh)
		snprintf(r->label, sizeof(r->label), "%s", label);
	r->count += n;
	return 0;
}

/* Most first; equal counts by key. */
static int by_count(const void *a, const void *b)
{
	const struct uc_lost_row *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return (x->key > y->key) - (x->key < y->key);
}

static void finish_rows(struct rows *rs, struct uc_lost_rows *out, size_t keep)
{
	uc_map64_free(&rs->index);
	if (rs->n)
		qsort(rs->r, rs->n, sizeof(*rs->r), by_count);
	out->r = rs->r;
	out->n = keep && rs->n > keep ? keep : rs->n;
}

static void errno_label(int32_t err, char *buf, size_t size)
{
	char tmp[16];
	const char *cause = uc_lost_errno_cause(err);

	if (!err) {
		snprintf(buf, size, "delivered");
		return;
	}
	snprintf(buf, size, "%s%s%s%s", uc_errno_name(err, tmp, sizeof(tmp)),
		 *cause ? " (" : "", cause, *cause ? ")" : "");
}

/* ------------------------------------------------------------ summary */

static int add_total(struct uc_lost_summary *s, struct rows *errnos,
		     struct rows *cmds, struct rows *cpus,
		     const struct uc_dp_result_total *t)
{
	char label[96], tmp[16];

	s->upcalls += t->count;
	if (!t->ret)
		return 0;
	s->failed += t->count;
	errno_label(t->ret, label, sizeof(label));
	if (count_in(errnos, -(int64_t)t->ret, t->count, label))
		return -ENOMEM;
	if (count_in(cmds, t->cmd, t->count, uc_upcall_cmd_name(t->cmd, tmp, sizeof(tmp))))
		return -ENOMEM;
	snprintf(label, sizeof(label), "%u", t->cpu);
	return count_in(cpus, t->cpu, t->count, label);
}

static int add_record(struct uc_lost_summary *s, const struct uc_strtab *names,
		      struct rows *errnos, struct rows *cmds, struct rows *cpus,
		      struct rows *ports, struct rows *flows, struct uc_strtab *flow_labels,
		      const struct uc_lost_upcall *u)
{
	uint32_t flow_id;
	char label[96], tmp[16], flow[128];

	if (!s->have_totals) {
		s->failed++;
		errno_label(u->err, label, sizeof(label));
		if (count_in(errnos, -(int64_t)u->err, 1, label) ||
		    count_in(cmds, u->cmd, 1, uc_upcall_cmd_name(u->cmd, tmp, sizeof(tmp))))
			return -ENOMEM;
		snprintf(label, sizeof(label), "%u", u->cpu);
		if (count_in(cpus, u->cpu, 1, label))
			return -ENOMEM;
	}
	if (u->port == UC_DP_NO_PORT)
		snprintf(label, sizeof(label), "%s (no port map names it)",
			 u->dev_name == UC_NONE ? "?" : uc_strtab_get(names, u->dev_name));
	else
		snprintf(label, sizeof(label), "%s (%s:%d)",
			 uc_strtab_get(names, u->dev_name),
			 u->dp_name == UC_NONE ? "?" : uc_strtab_get(names, u->dp_name),
			 u->port);
	if (count_in(ports, u->port == UC_DP_NO_PORT ? -1 - (int64_t)u->dev_name : u->port,
		     1, label))
		return -ENOMEM;
	/* A flow's row: its 5-tuple as it is shown. */
	uc_packet_describe(&u->pkt, flow, sizeof(flow));
	snprintf(label, sizeof(label), "%.95s", flow);
	flow_id = uc_strtab_intern(flow_labels, label);
	if (flow_id == UINT32_MAX)
		return -ENOMEM;
	return count_in(flows, flow_id, 1, label);
}

int uc_lost_summarize(const struct uc_lost_log *l, const struct uc_strtab *names,
		      bool traced, uint64_t records_missed, size_t top,
		      struct uc_lost_summary *s)
{
	struct rows errnos = { 0 }, cmds = { 0 }, cpus = { 0 }, ports = { 0 },
		    flows = { 0 };
	struct uc_strtab flow_labels;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->traced = traced || l->n || l->n_totals;
	s->have_totals = l->n_totals > 0;
	s->records = l->n;
	s->records_missed = records_missed;
	s->with_dp = l->with_dp;
	s->verdict_after_match = l->verdict_after_match;
	for (size_t i = 0; i < l->n_totals && !rc; i++)
		rc = add_total(s, &errnos, &cmds, &cpus, &l->totals[i]);
	uc_strtab_init(&flow_labels);
	for (size_t i = 0; i < l->n && !rc; i++)
		rc = add_record(s, names, &errnos, &cmds, &cpus, &ports, &flows, &flow_labels,
				&l->v[i]);
	uc_strtab_free(&flow_labels);
	if (!s->have_totals)
		s->failed += records_missed;
	finish_rows(&errnos, &s->by_errno, 0);
	finish_rows(&cmds, &s->by_cmd, 0);
	finish_rows(&cpus, &s->by_cpu, 0);
	finish_rows(&ports, &s->by_port, 0);
	finish_rows(&flows, &s->top_flows, top);
	if (rc)
		uc_lost_summary_free(s);
	return rc;
}

void uc_lost_summary_free(struct uc_lost_summary *s)
{
	free(s->by_errno.r);
	free(s->by_cmd.r);
	free(s->by_cpu.r);
	free(s->by_port.r);
	free(s->top_flows.r);
	memset(s, 0, sizeof(*s));
}
