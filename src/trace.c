/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * trace.c - decodes raw events into usable ones: upcall_cost.py's
 * receive_event() and the handle_event() rules of its event classes.
 *
 * Which events are usable (everything else is only counted):
 *  - RECV_UPCALL: pkt_size > 0, key_size > 0, upcall type DPIF_UC_MISS and
 *    a datapath port: OVS_KEY_ATTR_IN_PORT, else "tunnel" when the key has
 *    OVS_KEY_ATTR_TUNNEL, else the port named "ovs-system" in the map;
 *  - DP_UPCALL: some packet bytes and a (datapath, device) found in the
 *    port map;
 *  - OP_FLOW_EXECUTE: some packet bytes;
 *  - OP_FLOW_PUT, OVS_PKT_EXEC: always.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event_digest.h"
#include "flow_key.h"
#include "trace.h"

void uc_trace_init(struct uc_trace *t, const struct uc_trace_config *cfg,
		   struct uc_usable_sink next)
{
	memset(t, 0, sizeof(*t));
	if (cfg)
		t->cfg = *cfg;
	t->next = next;
	uc_strtab_init(&t->names);
	uc_port_map_init(&t->map);
}

void uc_trace_free(struct uc_trace *t)
{
	uc_strtab_free(&t->names);
	uc_port_map_free(&t->map);
	memset(t, 0, sizeof(*t));
}

/* ---------------------------------------------------------------- ports */

static bool dp_upcall_port(const struct uc_trace *t,
			   const struct uc_raw_event *ev,
			   const struct uc_event_digest *d, int64_t *port)
{
	return t->map.valid &&
	       uc_port_map_lookup_hashed(&t->map, ev->dpif_name, d->dp_len,
					 ev->dev_name, d->dev_len, d->port_hash,
					 port);
}

/* The datapath's name as the map knows it: vswitchd's "system@NAME"
 * without its prefix (the digest says where NAME starts). */
static const char *dp_name_of(const struct uc_raw_event *ev,
			      const struct uc_event_digest *d)
{
	return ev->dpif_name + d->dp_off;
}

static bool recv_upcall_port(const struct uc_trace *t,
			     const struct uc_raw_event *ev,
			     const struct uc_event_digest *d, int64_t *port)
{
	switch (d->key_port) {
	case UC_KEY_PORT_IN_PORT:
		*port = d->in_port;
		return true;
	case UC_KEY_PORT_TUNNEL:
		*port = UC_DP_TUNNEL_PORT;
		return true;
	case UC_KEY_PORT_NONE:
		return t->map.valid &&
		       uc_port_map_lookup(&t->map, dp_name_of(ev, d), "ovs-system",
					  port);
	default:
		return false;
	}
}

/* ---------------------------------------------------------------- usable */

enum verdict { USABLE, NOT_USABLE, NO_PORT };

static enum verdict usable(const struct uc_trace *t,
			   const struct uc_raw_event *ev,
			   const struct uc_event_digest *d, int64_t *port)
{
	switch (ev->event) {
	case UC_EV_RECV_UPCALL:
		if (!(ev->pkt_size > 0 && ev->key_size > 0 &&
		      ev->upcall_type == UC_DPIF_UC_MISS))
			return NOT_USABLE;
		if (recv_upcall_port(t, ev, d, port))
			return USABLE;
		/* No port in the key and no map naming the datapath's. */
		return d->key_port == UC_KEY_PORT_NONE ? NO_PORT : NOT_USABLE;
	case UC_EV_DP_UPCALL:
		if (!(ev->pkt_cap > 0 && ev->pkt_size != 0))
			return NOT_USABLE;
		return dp_upcall_port(t, ev, d, port) ? USABLE : NO_PORT;
	case UC_EV_OP_FLOW_EXECUTE:
		return ev->pkt_cap > 0 && ev->pkt_size != 0 ? USABLE : NOT_USABLE;
	default:
		return USABLE;
	}
}

/* The compared part of a packet (its hash and checksum offset from the
 * event's digest). */
static void decode_packet(const struct uc_raw_event *ev,
			  const struct uc_event_digest *d, int64_t port,
			  uint32_t dp_name, struct uc_packet *p)
{
	memset(p, 0, sizeof(*p));
	p->bytes = ev->pkt;
	p->len = ev->pkt_size;
	p->cap = ev->pkt_cap;
	p->frag_len = ev->event == UC_EV_DP_UPCALL ? ev->pkt_frag_size : 0;
	p->dp_port = (int32_t)port;
	p->dp_name = dp_name;
	p->csum_off = d->csum_off;
	p->hash = d->pkt_hash;
}

/* Hands a usable event (or a receive a filter hides or sets apart) to
 * the next stage; HIDDEN is the filter's mark. */
static int pass_on(struct uc_trace *t, const struct uc_raw_event *ev,
		   const struct uc_event_digest *d, int64_t port, uint32_t hidden)
{
	bool filtered = hidden & UC_HIDDEN_HANDLER;
	struct uc_usable u = {
		.seq = filtered ? UC_NONE : (uint32_t)t->n_usable,
		.type = (uint8_t)ev->event,
		.filtered = filtered,
		.other_port = hidden & UC_OTHER_PORT,
		.ts = ev->ts,
		.tid = ev->pid,
		.cpu = ev->cpu,
		.comm = UC_NONE,
	};
	struct uc_packet pkt;

	if (ev->event == UC_EV_DP_UPCALL || ev->event == UC_EV_RECV_UPCALL) {
		uint32_t dp_name = uc_strtab_intern_hashed(&t->names,
							   dp_name_of(ev, d), d->dp_hash);

		if (dp_name == UINT32_MAX)
			return -ENOMEM;
		decode_packet(ev, d, port, dp_name, &pkt);
		u.pkt = &pkt;
	}
	/* A handler is known by the name of its first received upcall. */
	if (ev->event == UC_EV_RECV_UPCALL &&
	    (u.comm = uc_strtab_intern_hashed(&t->names, ev->comm,
					      d->comm_hash)) == UINT32_MAX)
		return -ENOMEM;
	if (ev->event == UC_EV_RECV_UPCALL)
		u.recirc_id = d->recirc_id;
	if (ev->event == UC_EV_OP_FLOW_EXECUTE) {
		u.exec_pkt = ev->pkt;
		u.exec_cap = ev->pkt_cap;
		u.exec_len = ev->pkt_size;
	}
	if (!filtered)
		t->n_usable++;
	return t->next.on_usable ? t->next.on_usable(t->next.ctx, &u) : 0;
}

/* ---------------------------------------------------------------- live */

void uc_live_print_header(FILE *out)
{
	fprintf(out, "%-24s %-16s %8s  %-3s  %-18s  %s\n", "EVENT", "COMM",
		"PID", "CPU", "TIME",
		"EVENT DATA[dpif_name/dp_port/pkt_len/pkt_frag_len]");
}

/* upcall_cost.py's Event.__str__() and its subclasses'. */
static void live_print(FILE *out, const struct uc_raw_event *ev,
		       const struct uc_event_digest *d, int64_t port)
{
	const char *name = ev->event == UC_EV_DP_UPCALL ||
					   ev->event == UC_EV_RECV_UPCALL ?
				   uc_event_type_name(ev->event) :
				   uc_event_type_short_name(ev->event);

	fprintf(out, "[%-22s] %-16s %8u [%03u] %18.9f", name, ev->comm,
		ev->pid, ev->cpu, (double)((long double)ev->ts / 1e9L));
	switch (ev->event) {
	case UC_EV_DP_UPCALL:
		fprintf(out, ": %-17s %4lld %4u %4u", ev->dpif_name,
			(long long)port, ev->pkt_size, ev->pkt_frag_size);
		break;
	case UC_EV_RECV_UPCALL:
		fprintf(out, ": %-17s %4lld %4u", dp_name_of(ev, d),
			(long long)port, ev->pkt_size);
		break;
	case UC_EV_OP_FLOW_EXECUTE:
		fprintf(out, ": %-17s %4s %4u", "", "", ev->pkt_size);
		break;
	default:
		break;
	}
	fputc('\n', out);
}

/* ---------------------------------------------------------------- sink */

/*
 * What a filter hides (filter.h) is not counted, as in upcall_cost.py for
 * --handler-filter; a receive of a hidden thread that would have been
 * usable is still passed on, marked, so its kernel upcall is accounted
 * for; one of another --port is passed on for its batch's sake.
 */
static int hidden_event(struct uc_trace *t, const struct uc_raw_event *ev,
			const struct uc_event_digest *d)
{
	int64_t port = 0;

	if (ev->hidden & UC_HIDDEN_PORT) {
		t->hidden_port++;
		return 0;
	}
	if (ev->hidden & UC_HIDDEN_HANDLER)
		t->filtered_out++;
	else
		t->other_port++;
	if (ev->event == UC_EV_RECV_UPCALL && usable(t, ev, d, &port) == USABLE)
		return pass_on(t, ev, d, port, ev->hidden);
	return 0;
}

static void note_time(struct uc_trace *t, uint64_t ts)
{
	if (!t->events_received || ts < t->first_ts)
		t->first_ts = ts;
	if (ts > t->last_ts)
		t->last_ts = ts;
}

static int on_event(void *ctx, const struct uc_raw_event *ev)
{
	struct uc_trace *t = ctx;
	struct uc_event_digest scratch;
	const struct uc_event_digest *d;
	int64_t port = 0;
	int ret = 0;

	if (ev->event >= UC_EV_MAX)
		return 0;
	d = uc_event_digest_of(ev, &scratch);
	if (ev->hidden)
		return hidden_event(t, ev, d);
	note_time(t, ev->ts);
	t->events_received++;
	t->total[ev->event]++;
	t->listed[ev->event] = true;
	switch (usable(t, ev, d, &port)) {
	case USABLE:
		t->usable[ev->event]++;
		ret = pass_on(t, ev, d, port, 0);
		if (!ret && t->cfg.live_out)
			live_print(t->cfg.live_out, ev, d, port);
		break;
	case NO_PORT:
		if (ev->event == UC_EV_DP_UPCALL)
			t->dp_no_port++;
		else
			t->recv_no_port++;
		break;
	case NOT_USABLE:
		break;
	}
	if (!ret && t->cfg.stop && t->events_received >= t->cfg.stop)
		ret = UC_SINK_STOP;
	return ret;
}

static int on_port_map(void *ctx, const struct uc_port_map *map)
{
	struct uc_trace *t = ctx;
	struct uc_port_map copy;

	if (uc_port_map_copy(&copy, map))
		return -ENOMEM;
	uc_port_map_free(&t->map);
	t->map = copy;
	t->had_map |= copy.valid;
	return 0;
}

static int on_missed(void *ctx, uint32_t type, uint64_t count)
{
	struct uc_trace *t = ctx;

	if (type >= UC_X_BASE && type < UC_X_MAX) {
		t->xmissed[type - UC_X_BASE] += count;
		return 0;
	}
	if (type >= UC_EV_MAX || !count)
		return 0;
	t->missed[type] = count;
	t->listed[type] = true;
	return 0;
}

/*
 * An xevent: counted, and handed on (a failed upcall with its device's
 * port, as the map names it now).  The capture's feature record is kept
 * here: the report says what was traced, so that "nothing seen" reads as
 * "not traced" where it was not.
 */
static int on_xevent(void *ctx, const struct uc_xevent *xe)
{
	struct uc_trace *t = ctx;
	struct uc_usable_x x = {
		.xe = xe, .port = UC_DP_NO_PORT, .dp_name = UC_NONE,
		.dev_name = UC_NONE,
	};

	if (xe->kind < UC_X_BASE || xe->kind >= UC_X_MAX)
		return 0;
	t->xtotal[xe->kind - UC_X_BASE]++;
	if (xe->kind == UC_X_FEATURES) {
		t->have_features = true;
		t->features = xe->a;
		t->features_how = xe->b;
	}
	if (xe->kind == UC_X_DP_RESULT) {
		const struct uc_port_entry *e = t->map.valid ?
			uc_port_map_find_device(&t->map, xe->comm) : NULL;

		x.dev_name = uc_strtab_intern(&t->names, xe->comm);
		if (x.dev_name == UINT32_MAX)
			return -ENOMEM;
		if (e) {
			x.port = (int32_t)e->number;
			x.dp_name = uc_strtab_intern(&t->names, e->dp);
			if (x.dp_name == UINT32_MAX)
				return -ENOMEM;
		}
	}
	return t->next.on_xevent ? t->next.on_xevent(t->next.ctx, &x) : 0;
}

static int on_info(void *ctx, const struct uc_capture_info *info)
{
	struct uc_trace *t = ctx;

	t->info = *info;
	t->have_info = true;
	return 0;
}

struct uc_event_sink uc_trace_sink(struct uc_trace *t)
{
	return (struct uc_event_sink){
		.ctx = t,
		.on_info = on_info,
		.on_port_map = on_port_map,
		.on_event = on_event,
		.on_missed = on_missed,
		.on_xevent = on_xevent,
	};
}
