/* SPDX-License-Identifier: BSD-2-Clause */
/* pcap_out.c - upcalls as commented pcapng packets (pcap_out.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "grow.h"
#include "hash.h"
#include "lost.h"
#include "map64.h"
#include "pcap_out.h"
#include "pcapng.h"
#include "trace.h"

/* Comments longer than this are cut (pcapng allows 64 KiB). */
#define COMMENT_MAX 4096

struct iface {
	char *dp, *port;         /* owned */
	int32_t number;
	uint32_t id;
};

struct uc_pcap_out {
	struct uc_pcapng w;
	struct uc_wbuf *out;
	struct uc_pcap_out_config cfg;   /* its strings are ours (owned) */
	char *owned[3];
	bool started;
	int err;
	struct iface *ifaces;
	size_t n_ifaces, cap_ifaces;
	struct uc_map64 by_port;
};

struct uc_pcap_out *uc_pcap_out_new(struct uc_wbuf *out,
				    const struct uc_pcap_out_config *cfg)
{
	struct uc_pcap_out *p = calloc(1, sizeof(*p));

	const char *src[3] = { cfg->os, cfg->app, cfg->comment };

	if (!p)
		return NULL;
	/* The caller's strings may not outlive this call: copies. */
	for (int i = 0; i < 3; i++)
		if (src[i] && !(p->owned[i] = strdup(src[i]))) {
			uc_pcap_out_free(p);
			return NULL;
		}
	p->out = out;
	p->cfg = *cfg;
	p->cfg.os = p->owned[0];
	p->cfg.app = p->owned[1];
	p->cfg.comment = p->owned[2];
	uc_map64_init(&p->by_port);
	return p;
}

void uc_pcap_out_free(struct uc_pcap_out *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_ifaces; i++) {
		free(p->ifaces[i].dp);
		free(p->ifaces[i].port);
	}
	free(p->ifaces);
	for (int i = 0; i < 3; i++)
		free(p->owned[i]);
	uc_map64_free(&p->by_port);
	free(p);
}

/* ---------------------------------------------------------------- comment */

struct text {
	char *buf;
	size_t size, len;
};

__attribute__((format(printf, 2, 3)))
static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len + 1 >= t->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n < t->size - t->len ? (size_t)n : t->size - t->len - 1;
}

static void verdict_line(struct text *t, const struct uc_upcall *u)
{
	char tmp[16], ebuf[16];

	add(t, "upcall %llu %s port %s (%s:%d) cpu %u verdict ",
	    (unsigned long long)u->id,
	    uc_upcall_cmd_name(u->kind == UC_UPCALL_LOST ? u->cmd : 1, tmp, sizeof(tmp)),
	    *u->port_name ? u->port_name : "?", *u->dp ? u->dp : "?",
	    u->port == UC_DP_NO_PORT ? -1 : u->port, u->cpu);
	switch (u->kind) {
	case UC_UPCALL_LOST:
		add(t, "lost -%s (%s)", uc_errno_name(u->err, ebuf, sizeof(ebuf)),
		    *uc_lost_errno_cause(u->err) ? uc_lost_errno_cause(u->err) :
						   "ovs_dp_upcall failed");
		break;
	case UC_UPCALL_UNRECEIVED:
		add(t, "delivered, never received (the capture ended, or the "
		    "receive was not seen)");
		break;
	case UC_UPCALL_LONE:
		add(t, "unknown (no kernel upcall record)");
		break;
	default:
		add(t, "ok");
		break;
	}
}

/* "k->v 1292.059 lookup 61.200 put->exec 0.900 v->k 54.500" */
static void latency_line(struct text *t, const struct uc_upcall *u)
{
	const uint64_t *ts = u->ts;

	if (!ts[UC_EV_RECV_UPCALL])
		return;
	add(t, "\n");
	if (ts[UC_EV_DP_UPCALL] && ts[UC_EV_OVS_PKT_EXEC])
		add(t, "total %.3f us:", uc_us(ts[UC_EV_OVS_PKT_EXEC] - ts[UC_EV_DP_UPCALL]));
	else
		add(t, "latency (us):");
	if (ts[UC_EV_DP_UPCALL])
		add(t, " k->v %.3f", (double)((int64_t)(ts[UC_EV_RECV_UPCALL] -
							ts[UC_EV_DP_UPCALL])) / 1000.0);
	if (ts[UC_EV_OP_FLOW_PUT])
		add(t, " lookup %.3f", uc_us(ts[UC_EV_OP_FLOW_PUT] - ts[UC_EV_RECV_UPCALL]));
	if (ts[UC_EV_OP_FLOW_PUT] && ts[UC_EV_OP_FLOW_EXECUTE])
		add(t, " put->exec %.3f", uc_us(ts[UC_EV_OP_FLOW_EXECUTE] - ts[UC_EV_OP_FLOW_PUT]));
	if (ts[UC_EV_OP_FLOW_EXECUTE] && ts[UC_EV_OVS_PKT_EXEC])
		add(t, " v->k %.3f", uc_us(ts[UC_EV_OVS_PKT_EXEC] - ts[UC_EV_OP_FLOW_EXECUTE]));
}

static void handler_line(struct text *t, const struct uc_upcall *u)
{
	if (!u->batch_size)
		return;
	add(t, "\nhandler %s tid %u batch %u/%u%s", *u->handler ? u->handler : "?",
	    u->tid, u->batch_pos + 1, u->batch_size,
	    u->suspect ? " (batch rebuilt out of step: events lost)" : "");
}

static void class_line(struct text *t, const struct uc_upcall *u)
{
	const struct uc_miss *m = u->miss;
	char fdr[24];

	if (!m)
		return;
	add(t, "\nclass %s", uc_miss_class_text(m->cls));
	if (m->reason)
		add(t, ": %s", uc_miss_reason_name(m->reason));
	if (m->reason == UC_MR_REVALIDATED && m->fdr != UINT8_MAX)
		add(t, " (%s)", uc_flow_del_reason_name(m->fdr, fdr, sizeof(fdr)));
	if (m->ago_ns)
		add(t, " (%s%s%.6f s before)", *u->miss_by ? u->miss_by : "",
		    *u->miss_by ? ", " : "", (double)m->ago_ns / 1e9);
	if (m->flags & UC_MISSF_AVOIDABLE)
		add(t, " [avoidable]");
	if (m->flags & UC_MISSF_NO_PUT)
		add(t, " [no flow put]");
}

static void time_line(struct text *t, const struct uc_upcall *u)
{
	const struct uc_explanation *x = u->expl;

	if (!x)
		return;
	add(t, "\ntime (us)");
	for (int p = 0; p < UC_PART_COUNT; p++) {
		if (!x->part[p] && p != UC_PART_UNKNOWN)
			continue;
		add(t, " %s %.3f", uc_part_name((enum uc_part)p), uc_us(x->part[p]));
		for (int w = 0; w < UC_WHO_COUNT; w++)
			if ((int)uc_part_of_who((enum uc_part_who)w) == p &&
			    x->who[w] != UC_TL_NOBODY && u->expl_names)
				add(t, " (%s)", uc_strtab_get(u->expl_names, x->who[w]));
		if (p == UC_PART_UNKNOWN && x->part[p] && x->unknown_why)
			add(t, " (%s)", uc_tl_unknown_name(x->unknown_why));
	}
	if (x->flags & UC_EXPL_OWN_WAKE)
		add(t, "; woken by its own upcall");
	if (x->flags & UC_EXPL_USDT_BOUNDS)
		add(t, "; windows from USDT times (no syscall records)");
}

size_t uc_pcap_out_comment(const struct uc_upcall *u, char *buf, size_t size)
{
	struct text t = { buf, size, 0 };

	if (!size)
		return 0;
	buf[0] = '\0';
	verdict_line(&t, u);
	latency_line(&t, u);
	handler_line(&t, u);
	class_line(&t, u);
	time_line(&t, u);
	return t.len;
}

/* ---------------------------------------------------------------- packets */

static uint64_t port_key(const char *dp, const char *port, int32_t number)
{
	uint64_t h = uc_hash_bytes_masked(dp, strlen(dp), SIZE_MAX - 8, 0, 1);

	h = uc_hash_bytes_masked(port, strlen(port), SIZE_MAX - 8, 0, h);
	return uc_hash_mix(h ^ (uint32_t)number);
}

struct iface_probe {
	const struct uc_pcap_out *p;
	const char *dp, *port;
	int32_t number;
};

static bool same_iface(const void *ctx, uint32_t i)
{
	const struct iface_probe *q = ctx;
	const struct iface *f = &q->p->ifaces[i];

	return f->number == q->number && !strcmp(f->dp, q->dp) && !strcmp(f->port, q->port);
}

/* The interface of U's port, described when first used. */
static int iface_of(struct uc_pcap_out *p, const struct uc_upcall *u, uint32_t *id)
{
	struct iface_probe q = { p, u->dp, u->port_name, u->port };
	uint64_t key = port_key(u->dp, u->port_name, u->port);
	uint32_t i = uc_map64_find(&p->by_port, key, same_iface, &q);
	char descr[160];
	struct iface *f;
	int rc;

	if (i != UC_MAP64_NONE) {
		*id = p->ifaces[i].id;
		return 0;
	}
	if (u->port == UC_DP_NO_PORT)
		snprintf(descr, sizeof(descr), "upcalls whose datapath port is unknown");
	else
		snprintf(descr, sizeof(descr), "datapath %s port %d", *u->dp ? u->dp : "?",
			 u->port);
	rc = uc_pcapng_add_iface(&p->w, UC_PCAPNG_LINKTYPE_ETHERNET, p->cfg.snaplen,
				 *u->port_name ? u->port_name : "unknown", descr);
	if (rc < 0)
		return rc;
	if (uc_grow((void **)&p->ifaces, &p->cap_ifaces, p->n_ifaces + 1,
		    sizeof(*p->ifaces)))
		return -ENOMEM;
	f = &p->ifaces[p->n_ifaces];
	*f = (struct iface){ strdup(u->dp), strdup(u->port_name), u->port, (uint32_t)rc };
	if (!f->dp || !f->port ||
	    uc_map64_add(&p->by_port, key, (uint32_t)p->n_ifaces)) {
		free(f->dp);
		free(f->port);
		return -ENOMEM;
	}
	p->n_ifaces++;
	*id = (uint32_t)rc;
	return 0;
}

/* The section header, before the first block (or at the end). */
static int start(struct uc_pcap_out *p)
{
	if (p->started)
		return 0;
	p->started = true;
	return uc_pcapng_begin(&p->w, p->out, p->cfg.os, p->cfg.app, p->cfg.comment);
}

int uc_pcap_out_finish(struct uc_pcap_out *p)
{
	if (!p->err)
		p->err = start(p);
	return p->err;
}

static int on_upcall(void *ctx, const struct uc_upcall *u)
{
	struct uc_pcap_out *p = ctx;
	char comment[COMMENT_MAX];
	uint64_t ts = u->when;
	uint32_t id, flags = UC_PCAPNG_EPB_INBOUND;
	int rc;

	if (p->err)
		return p->err;
	rc = start(p);
	if (rc)
		return p->err = rc;
	rc = iface_of(p, u, &id);
	if (rc)
		return p->err = rc;
	if (u->have_wall)
		ts += (uint64_t)u->wall_offset_ns;   /* wrapping: never an overflow */
	/* The kernel's copy may lack its L4 checksum (checksum offload):
	 * said in the comment, which every reader shows. */
	uc_pcap_out_comment(u, comment, sizeof(comment));
	if (u->kernel_bytes)
		strncat(comment, "\nbytes: the kernel's copy (L4 checksum may be "
			"unfilled)", sizeof(comment) - strlen(comment) - 1);
	rc = uc_pcapng_packet(&p->w, id, ts, u->pkt, u->pkt_cap,
			      u->pkt_len > u->pkt_cap ? u->pkt_len : u->pkt_cap,
			      flags, u->id, comment);
	if (rc)
		return p->err = rc;
	return 0;
}

struct uc_upcall_sink uc_pcap_out_sink(struct uc_pcap_out *p)
{
	return (struct uc_upcall_sink){ p, on_upcall };
}
