/* SPDX-License-Identifier: BSD-2-Clause */
/* forensics.c - why each upcall happened (forensics.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forensics.h"
#include "grow.h"
#include "hash.h"
#include "map64.h"
#include "packet.h"

#define NO_INDEX UINT32_MAX

/* OVS's enum reval_result and enum flow_del_reason
 * (ofproto/ofproto-dpif-upcall.c). */
#define UKEY_DELETE 1
enum {
	FDR_NONE, FDR_AVOID_CACHING, FDR_BAD_ODP_FIT, FDR_FLOW_IDLE,
	FDR_FLOW_LIMIT, FDR_FLOW_WILDCARDED, FDR_NO_OFPROTO, FDR_PURGE,
	FDR_TOO_EXPENSIVE, FDR_UPDATE_FAIL, FDR_XLATION_ERROR,
	FDR_FLOW_MISSING_DP, FDR_COUNT,
};

/* An earlier upcall of a flow: settled, or in flight (done once its
 * batch looked complete, before it settled). */
struct settled {
	uint64_t dp_ts, tk;
	bool put, exec, has_ufid, done;
	struct uc_ufid ufid;
};

#define MAX_OUT 4

struct flow {
	uint64_t id;
	struct settled out[MAX_OUT];  /* kernel upcalls in flight */
	uint8_t n_out;           /* (beyond MAX_OUT, not kept) */
	struct settled last[2];  /* the latest two settled, by miss time */
	uint8_t n_last;
};

struct deletion {
	struct uc_ufid ufid;
	uint64_t ts;
	uint8_t reason, fdr;
	uint32_t by;
};

/* A DELETE result waiting for the deletion it decided. */
struct pending {
	uint32_t tid;
	struct uc_ufid ufid;
	uint8_t fdr;
	uint32_t next_free;      /* NO_INDEX while in use */
};

struct flush {
	uint64_t ts;
	uint32_t by;
};

struct uc_forensics {
	struct flow *flows;
	size_t n_flows, cap_flows;
	struct uc_map64 by_flow;
	struct deletion *dels;
	size_t n_dels, cap_dels;
	struct uc_map64 by_ufid;
	struct pending *pend;
	size_t n_pend, cap_pend;
	uint32_t free_pend;
	struct uc_map64 by_pend;
	struct flush *flushes;
	size_t n_flushes, cap_flushes;
	struct uc_strtab names;
	struct uc_forensics_stats st;
};

struct uc_forensics *uc_forensics_new(void)
{
	struct uc_forensics *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	uc_map64_init(&f->by_flow);
	uc_map64_init(&f->by_ufid);
	uc_map64_init(&f->by_pend);
	uc_strtab_init(&f->names);
	f->free_pend = NO_INDEX;
	return f;
}

void uc_forensics_free(struct uc_forensics *f)
{
	if (!f)
		return;
	free(f->flows);
	free(f->dels);
	free(f->pend);
	free(f->flushes);
	uc_map64_free(&f->by_flow);
	uc_map64_free(&f->by_ufid);
	uc_map64_free(&f->by_pend);
	uc_strtab_free(&f->names);
	free(f);
}

/* ---------------------------------------------------------------- names */

static const char *const class_names[UC_MISS_CLASS_COUNT] = {
	[UC_MISS_NONE] = "none", [UC_MISS_FIRST] = "first",
	[UC_MISS_RECIRC] = "recirculation", [UC_MISS_IN_FLIGHT] = "in_flight",
	[UC_MISS_AFTER_DELETE] = "after_delete",
	[UC_MISS_NOT_INSTALLED] = "not_installed",
	[UC_MISS_UNEXPLAINED] = "unexplained",
};

static const char *const class_texts[UC_MISS_CLASS_COUNT] = {
	[UC_MISS_NONE] = "not classified",
	[UC_MISS_FIRST] = "first miss of its flow",
	[UC_MISS_RECIRC] = "recirculation hop",
	[UC_MISS_IN_FLIGHT] = "second miss while the first was being handled",
	[UC_MISS_AFTER_DELETE] = "re-miss after its flow was deleted",
	[UC_MISS_NOT_INSTALLED] = "re-miss: an earlier upcall installed no flow",
	[UC_MISS_UNEXPLAINED] = "re-miss, no deletion seen",
};

static const char *const reason_names[UC_MR_COUNT] = {
	[UC_MR_NONE] = "", [UC_MR_IDLE] = "idle", [UC_MR_FLOW_LIMIT] = "flow_limit",
	[UC_MR_TOO_EXPENSIVE] = "too_expensive", [UC_MR_PURGE] = "purge",
	[UC_MR_REVALIDATED] = "revalidation",
	[UC_MR_REVALIDATOR] = "revalidator_reason_not_traced",
	[UC_MR_REQUESTED] = "requested", [UC_MR_FLUSH] = "flush",
};

const char *uc_miss_class_name(uint8_t cls)
{
	return cls < UC_MISS_CLASS_COUNT ? class_names[cls] : "?";
}

const char *uc_miss_class_text(uint8_t cls)
{
	return cls < UC_MISS_CLASS_COUNT ? class_texts[cls] : "?";
}

const char *uc_miss_reason_name(uint8_t reason)
{
	return reason < UC_MR_COUNT ? reason_names[reason] : "?";
}

bool uc_miss_avoidable(uint8_t cls, uint8_t reason)
{
	switch (cls) {
	case UC_MISS_IN_FLIGHT:
	case UC_MISS_NOT_INSTALLED:
		return true;
	case UC_MISS_AFTER_DELETE:
		/* the cache dropped a flow that was still wanted */
		return reason == UC_MR_IDLE || reason == UC_MR_FLOW_LIMIT ||
		       reason == UC_MR_TOO_EXPENSIVE;
	default:
		return false;
	}
}

const char *uc_flow_del_reason_name(uint32_t fdr, char *buf, size_t size)
{
	static const char *const names[FDR_COUNT] = {
		"none", "avoid_caching", "bad_odp_fit", "idle", "flow_limit",
		"wildcarded", "no_ofproto", "purge", "too_expensive",
		"update_fail", "xlation_error", "flow_missing_dp",
	};

	if (fdr < FDR_COUNT)
		return names[fdr];
	snprintf(buf, size, "reason %u", fdr);
	return buf;
}

static uint8_t reason_of_fdr(uint8_t fdr)
{
	switch (fdr) {
	case FDR_FLOW_IDLE: return UC_MR_IDLE;
	case FDR_FLOW_LIMIT: return UC_MR_FLOW_LIMIT;
	case FDR_TOO_EXPENSIVE: return UC_MR_TOO_EXPENSIVE;
	case FDR_PURGE: return UC_MR_PURGE;
	default: return UC_MR_REVALIDATED;
	}
}

static uint32_t name_of(struct uc_forensics *f, const struct uc_xevent *xe)
{
	char buf[UC_TASK_COMM_LEN + 16];

	snprintf(buf, sizeof(buf), "%s (%u)", xe->comm, xe->tid);
	return uc_strtab_intern(&f->names, buf);
}

/* ---------------------------------------------------------------- identity */

uint64_t uc_flow_identity(const uint8_t *pkt, uint32_t cap, uint32_t dp_name,
			  int32_t port)
{
	struct uc_packet_info in;
	uint8_t macs[12] = { 0 };
	uint64_t h;

	uc_packet_parse(pkt, cap, &in);
	memcpy(macs, pkt, cap < 12 ? cap : 12);
	h = uc_hash_mix(((uint64_t)dp_name << 32) ^ (uint32_t)port);
	h = uc_hash_bytes(macs, sizeof(macs), h);
	h = uc_hash_mix(h ^ ((uint64_t)in.vlan << 48 | (uint64_t)in.eth_type << 32 |
			     (uint64_t)in.ip_version << 24 | (uint64_t)in.ip_proto << 16 |
			     in.fragment));
	h = uc_hash_bytes(in.src, sizeof(in.src), h);
	h = uc_hash_bytes(in.dst, sizeof(in.dst), h);
	return uc_hash_mix(h ^ ((uint64_t)in.sport << 16 | in.dport));
}

/* ---------------------------------------------------------------- flows */

struct flow_probe {
	const struct uc_forensics *f;
	uint64_t id;
};

static bool same_flow(const void *ctx, uint32_t i)
{
	const struct flow_probe *p = ctx;

	return p->f->flows[i].id == p->id;
}

/* Forgets everything of a kind (its count and index) when its bound is
 * reached. */
static void forget(struct uc_forensics *f, size_t *n, struct uc_map64 *index)
{
	f->st.forgotten += *n;
	*n = 0;
	uc_map64_free(index);
	uc_map64_init(index);
}

static struct flow *flow_of(struct uc_forensics *f, uint64_t id, bool add)
{
	struct flow_probe probe = { f, id };
	uint32_t i = uc_map64_find(&f->by_flow, uc_hash_mix(id), same_flow, &probe);
	if (i != UC_MAP64_NONE)
		return &f->flows[i];
	if (!add)
		return NULL;
	if (f->n_flows >= UC_FORENSICS_MAX_FLOWS)
		forget(f, &f->n_flows, &f->by_flow);
	if (uc_grow((void **)&f->flows, &f->cap_flows, f->n_flows + 1, sizeof(*f->flows)) ||
	    uc_map64_add(&f->by_flow, uc_hash_mix(id), (uint32_t)f->n_flows))
		return NULL;
	memset(&f->flows[f->n_flows], 0, sizeof(*f->flows));
	f->flows[f->n_flows].id = id;
	return &f->flows[f->n_flows++];
}

int uc_forensics_dp(struct uc_forensics *f, uint64_t flow_id, uint64_t dp_ts)
{
	struct flow *fl = flow_of(f, flow_id, true);

	if (!fl)
		return -ENOMEM;
	if (fl->n_out < MAX_OUT)
		fl->out[fl->n_out++] = (struct settled){ .dp_ts = dp_ts };
	return 0;
}

/* FL's kernel upcall at DP_TS is no longer in flight. */
static void drop_out(struct flow *fl, uint64_t dp_ts)
{
	for (int i = 0; i < fl->n_out; i++)
		if (fl->out[i].dp_ts == dp_ts) {
			fl->out[i] = fl->out[--fl->n_out];
			return;
		}
}

void uc_forensics_dp_gone(struct uc_forensics *f, uint64_t flow_id, uint64_t dp_ts)
{
	struct flow *fl = flow_of(f, flow_id, false);

	if (fl)
		drop_out(fl, dp_ts);
}

static struct settled settled_of(const struct uc_miss_in *in)
{
	return (struct settled){
		.dp_ts = in->dp_ts, .tk = in->tk, .put = in->has_put,
		.exec = in->has_exec, .has_ufid = in->has_ufid, .ufid = in->ufid,
		.done = true,
	};
}

void uc_forensics_complete(struct uc_forensics *f, const struct uc_miss_in *in)
{
	struct flow *fl = flow_of(f, in->flow_id, false);

	for (int i = 0; fl && i < fl->n_out; i++)
		if (fl->out[i].dp_ts == in->dp_ts) {
			fl->out[i] = settled_of(in);
			return;
		}
}

/* ---------------------------------------------------------------- deletions */

static bool same_ufid(const void *ctx, uint32_t i)
{
	const struct uc_forensics *f = ((const void *const *)ctx)[0];
	const struct uc_ufid *u = ((const void *const *)ctx)[1];

	return uc_ufid_eq(&f->dels[i].ufid, u);
}

static const struct deletion *deletion_of(const struct uc_forensics *f,
					  const struct uc_ufid *u)
{
	const void *ctx[2] = { f, u };
	uint32_t i = uc_map64_find(&f->by_ufid, uc_ufid_hash(u), same_ufid, ctx);

	return i == UC_MAP64_NONE ? NULL : &f->dels[i];
}

static int add_deletion(struct uc_forensics *f, const struct deletion *d)
{
	const void *ctx[2] = { f, &d->ufid };
	uint32_t i = uc_map64_find(&f->by_ufid, uc_ufid_hash(&d->ufid), same_ufid, ctx);

	if (i != UC_MAP64_NONE) {
		f->dels[i] = *d;
		return 0;
	}
	if (f->n_dels >= UC_FORENSICS_MAX_FLOWS)
		forget(f, &f->n_dels, &f->by_ufid);
	if (uc_grow((void **)&f->dels, &f->cap_dels, f->n_dels + 1, sizeof(*f->dels)) ||
	    uc_map64_add(&f->by_ufid, uc_ufid_hash(&d->ufid), (uint32_t)f->n_dels))
		return -ENOMEM;
	f->dels[f->n_dels++] = *d;
	return 0;
}

static uint64_t pend_key(uint32_t tid, const struct uc_ufid *u)
{
	return uc_hash_mix(uc_ufid_hash(u) ^ tid);
}

static bool same_pend(const void *ctx, uint32_t i)
{
	const struct uc_forensics *f = ((const void *const *)ctx)[0];
	const struct pending *p = ((const void *const *)ctx)[1];

	return f->pend[i].tid == p->tid && uc_ufid_eq(&f->pend[i].ufid, &p->ufid);
}

/* A revalidator decided to delete a flow: kept until its deletion. */
static int add_result(struct uc_forensics *f, const struct uc_xevent *xe)
{
	struct pending p = { .tid = xe->tid, .fdr = (uint8_t)xe->other,
			     .next_free = NO_INDEX };
	const void *ctx[2] = { f, &p };
	uint32_t i;

	f->st.results++;
	if (xe->ret != UKEY_DELETE || xe->data_len < sizeof(p.ufid.b))
		return 0;
	memcpy(p.ufid.b, xe->data, sizeof(p.ufid.b));
	if (xe->other > UINT8_MAX)
		p.fdr = UINT8_MAX;
	i = uc_map64_find(&f->by_pend, pend_key(p.tid, &p.ufid), same_pend, ctx);
	if (i != UC_MAP64_NONE) {
		f->pend[i] = p;
		return 0;
	}
	if (f->free_pend != NO_INDEX) {
		i = f->free_pend;
		f->free_pend = f->pend[i].next_free;
	} else {
		/* results never followed by a deletion: start over */
		if (f->n_pend >= UC_FORENSICS_MAX_FLOWS)
			forget(f, &f->n_pend, &f->by_pend);
		if (uc_grow((void **)&f->pend, &f->cap_pend, f->n_pend + 1, sizeof(*f->pend)))
			return -ENOMEM;
		i = (uint32_t)f->n_pend++;
	}
	f->pend[i] = p;
	return uc_map64_add(&f->by_pend, pend_key(p.tid, &p.ufid), i);
}

/* The reason a result gave for this thread's deletion of UFID, taken. */
static bool take_result(struct uc_forensics *f, uint32_t tid,
			const struct uc_ufid *u, uint8_t *fdr)
{
	struct pending p = { .tid = tid, .ufid = *u };
	const void *ctx[2] = { f, &p };
	uint64_t key = pend_key(tid, u);
	uint32_t i = uc_map64_find(&f->by_pend, key, same_pend, ctx);

	if (i == UC_MAP64_NONE)
		return false;
	*fdr = f->pend[i].fdr;
	uc_map64_remove(&f->by_pend, key, i);
	f->pend[i].next_free = f->free_pend;
	f->free_pend = i;
	return true;
}

static int add_flow_del(struct uc_forensics *f, const struct uc_xevent *xe)
{
	struct uc_flow_request req;
	struct deletion d = { .ts = xe->ts };

	f->st.deletions++;
	if (uc_ovs_parse_flow_request(xe->data, xe->data_len, &req) || !req.has_ufid) {
		f->st.deletions_no_ufid++;
		return 0;
	}
	d.ufid = req.ufid;
	d.by = name_of(f, xe);
	if (d.by == UINT32_MAX)
		return -ENOMEM;
	if (take_result(f, xe->tid, &d.ufid, &d.fdr)) {
		f->st.joined++;
		d.reason = reason_of_fdr(d.fdr);
	} else {
		d.fdr = UINT8_MAX;
		d.reason = !strncmp(xe->comm, "revalidator", 11) ? UC_MR_REVALIDATOR :
			   UC_MR_REQUESTED;
	}
	return add_deletion(f, &d);
}

static int add_flush(struct uc_forensics *f, const struct uc_xevent *xe)
{
	struct flush fl = { xe->ts, name_of(f, xe) };

	if (fl.by == UINT32_MAX ||
	    uc_grow((void **)&f->flushes, &f->cap_flushes, f->n_flushes + 1,
		    sizeof(*f->flushes)))
		return -ENOMEM;
	f->st.flushes++;
	f->flushes[f->n_flushes++] = fl;
	return 0;
}

int uc_forensics_xevent(struct uc_forensics *f, const struct uc_xevent *xe)
{
	switch (xe->kind) {
	case UC_X_FLOW_DEL:
		return add_flow_del(f, xe);
	case UC_X_FLOW_RESULT:
		return add_result(f, xe);
	case UC_X_DP_FLUSH:
		return add_flush(f, xe);
	default:
		return 0;
	}
}

/* The first flush in (LO, HI), or NULL (flushes come in time order). */
static const struct flush *flush_between(const struct uc_forensics *f,
					 uint64_t lo, uint64_t hi)
{
	size_t a = 0, b = f->n_flushes;

	while (a < b) {
		size_t m = a + (b - a) / 2;

		if (f->flushes[m].ts <= lo)
			a = m + 1;
		else
			b = m;
	}
	return a < f->n_flushes && f->flushes[a].ts < hi ? &f->flushes[a] : NULL;
}

/* ---------------------------------------------------------------- classes */

/* The latest upcall of FL that missed before TS and is settled or done
 * (in flight, its batch complete), or NULL. */
static const struct settled *previous(const struct flow *fl, uint64_t ts)
{
	const struct settled *best = NULL;

	for (int i = 0; i < fl->n_last; i++)
		if (fl->last[i].dp_ts < ts && (!best || fl->last[i].dp_ts > best->dp_ts))
			best = &fl->last[i];
	for (int i = 0; i < fl->n_out; i++)
		if (fl->out[i].done && fl->out[i].dp_ts < ts &&
		    (!best || fl->out[i].dp_ts > best->dp_ts))
			best = &fl->out[i];
	return best;
}

/* Its flow was installed by PREV: deleted since, and why? */
static void after_install(const struct uc_forensics *f, const struct settled *prev,
			  uint64_t ts, struct uc_miss *out)
{
	const struct deletion *d = prev->has_ufid ? deletion_of(f, &prev->ufid) : NULL;
	const struct flush *fl;

	if (d && d->ts >= prev->tk && d->ts < ts) {
		out->cls = UC_MISS_AFTER_DELETE;
		out->reason = d->reason;
		out->fdr = d->fdr;
		out->by = d->by;
		out->ago_ns = ts - d->ts;
		return;
	}
	fl = flush_between(f, prev->tk ? prev->tk - 1 : 0, ts);
	if (fl) {
		out->cls = UC_MISS_AFTER_DELETE;
		out->reason = UC_MR_FLUSH;
		out->by = fl->by;
		out->ago_ns = ts - fl->ts;
		return;
	}
	out->cls = UC_MISS_UNEXPLAINED;
	out->ago_ns = ts - prev->tk;
}

static void remember(struct flow *fl, const struct uc_miss_in *in)
{
	struct settled s = settled_of(in);

	if (fl->n_last < 2) {
		fl->last[fl->n_last++] = s;
		return;
	}
	/* Keep the two latest misses. */
	if (fl->last[0].dp_ts < fl->last[1].dp_ts) {
		if (s.dp_ts > fl->last[0].dp_ts)
			fl->last[0] = s;
	} else if (s.dp_ts > fl->last[1].dp_ts) {
		fl->last[1] = s;
	}
}

int uc_forensics_classify(struct uc_forensics *f, const struct uc_miss_in *in,
			  struct uc_miss *out)
{
	struct flow *fl = flow_of(f, in->flow_id, true);
	const struct settled *prev;
	bool in_flight = false;

	memset(out, 0, sizeof(*out));
	out->by = UINT32_MAX;
	out->fdr = UINT8_MAX;
	if (!fl)
		return -ENOMEM;
	drop_out(fl, in->dp_ts);
	if (!in->has_put)
		out->flags |= UC_MISSF_NO_PUT;
	prev = previous(fl, in->dp_ts);
	/* In flight: an earlier upcall not done before this one missed. */
	for (int i = 0; i < fl->n_out; i++)
		if (fl->out[i].dp_ts < in->dp_ts &&
		    (!fl->out[i].done || fl->out[i].tk > in->dp_ts)) {
			in_flight = true;
			out->ago_ns = in->dp_ts - fl->out[i].dp_ts;
		}
	if (!in_flight && prev && prev->tk > in->dp_ts) {
		in_flight = true;
		out->ago_ns = in->dp_ts - prev->dp_ts;
	}
	if (in->recirc)
		out->cls = UC_MISS_RECIRC;
	else if (in_flight)
		out->cls = UC_MISS_IN_FLIGHT;
	else if (prev && prev->put)
		after_install(f, prev, in->dp_ts, out);
	else if (prev && prev->exec) {
		out->cls = UC_MISS_NOT_INSTALLED;
		out->ago_ns = in->dp_ts - prev->dp_ts;
	} else if (prev)
		out->cls = UC_MISS_UNEXPLAINED;
	else
		out->cls = UC_MISS_FIRST;
	if (out->cls != UC_MISS_IN_FLIGHT && out->cls != UC_MISS_NOT_INSTALLED &&
	    out->cls != UC_MISS_AFTER_DELETE && out->cls != UC_MISS_UNEXPLAINED)
		out->ago_ns = 0;
	if (uc_miss_avoidable(out->cls, out->reason))
		out->flags |= UC_MISSF_AVOIDABLE;
	remember(fl, in);
	return 0;
}

void uc_forensics_stats(const struct uc_forensics *f, struct uc_forensics_stats *s)
{
	*s = f->st;
}

const struct uc_strtab *uc_forensics_names(const struct uc_forensics *f)
{
	return &f->names;
}

void uc_forensics_take_names(struct uc_forensics *f, struct uc_strtab *out)
{
	*out = f->names;
	uc_strtab_init(&f->names);
}
