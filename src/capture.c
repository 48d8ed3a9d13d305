/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture.c - the capture session of capture.h: check, choose, load,
 * attach, describe; then stream ring-buffer records to the sink; stop,
 * drain, close.  No signals, no timers, no global state: all of it lives
 * in struct uc_capture, and the callbacks get a pointer to it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

#include <bpf/libbpf.h>

#include "capture.h"
#include "capture_int.h"
#include "upcall_cost.skel.h"
#include "xevent.h"

/* Returned by the ring-buffer callback to make libbpf stop consuming. */
#define HALT (-ECANCELED)

struct uc_capture {
	struct uc_capture_config cfg;
	struct uc_event_sink sink;
	struct uc_capture_stats stats;
	struct uc_cap_setup setup;   /* kernel, variant, target */
	struct uc_loaded bpf;
	struct ring_buffer *rb;
	struct uc_port_map map;
	uint64_t map_time;        /* CLOCK_MONOTONIC ns of the last dpctl/show */
	bool stopped;             /* the sink said stop */
	bool failed;              /* err is set */
	bool drained;             /* uc_capture_stop_and_drain ran */
	struct uc_error err;      /* an error raised inside a callback */
};

void uc_capture_config_init(struct uc_capture_config *cfg,
			    const struct uc_options *opt)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->packet_size = opt->packet_size;
	cfg->flow_key_size = opt->flow_key_size;
	cfg->buffer_page_count = opt->buffer_page_count;
	cfg->pid = opt->pid;
	cfg->probes = opt->probes;
	cfg->verbose = opt->verbose;
	cfg->btf_path = opt->btf_path;
	cfg->explain = opt->explain;
	cfg->miss_reasons = opt->miss_reasons;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* Turns a sink's return value into the session's state; false = stop. */
static bool sink_ok(struct uc_capture *c, int rc, const char *what)
{
	if (rc < 0) {
		uc_error_set(&c->err, "%s: %s", what, strerror(-rc));
		c->failed = true;
	} else if (rc == UC_SINK_STOP) {
		c->stopped = true;
	}
	return rc == 0;
}

/* Runs dpctl/show and hands the map to the sink (even an invalid one). */
static bool refresh_map(struct uc_capture *c)
{
	struct uc_port_map map;
	char warn[PATH_MAX + 128];
	int rc = uc_cap_dpctl(&c->setup.target, &map, warn, sizeof(warn));
	bool first = !c->map_time;

	c->map_time = now_ns();
	if (rc == -ENOMEM) {
		uc_port_map_free(&map);
		return sink_ok(c, rc, "datapath port map");
	}
	/* Warn at the start and when a working map is lost, not at every
	 * rate-limited retry. */
	if (rc && (first || c->map.valid))
		fprintf(stderr, "WARNING: %s; kernel events cannot be matched to ports\n",
			warn);
	uc_port_map_free(&c->map);
	c->map = map;
	return !c->sink.on_port_map ||
	       sink_ok(c, c->sink.on_port_map(c->sink.ctx, &c->map), "port map");
}

static void copy_name(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size);

	memcpy(dst, src, n);
	memset(dst + n, 0, size + 1 - n);
}

/* An xevent record: a struct uc_bpf_xrec and its data. */
static int on_xrec(struct uc_capture *c, const struct uc_bpf_xrec *x, size_t size)
{
	struct uc_xevent xe;

	if (size < sizeof(*x) || sizeof(*x) + x->data_len > size ||
	    x->data_len > UC_X_DATA_MAX) {
		uc_error_set(&c->err, "corrupt ring-buffer xevent (%zu bytes)", size);
		c->failed = true;
		return HALT;
	}
	xe = (struct uc_xevent){
		.kind = x->kind, .cpu = x->cpu, .tid = x->tid, .seq = x->seq,
		.ts = x->ts, .a = x->a, .b = x->b, .other = x->other, .ret = x->ret,
		.flags = x->flags, .data = (const uint8_t *)(x + 1),
		.data_len = x->data_len,
	};
	copy_name(xe.comm, x->comm, UC_TASK_COMM_LEN);
	if (c->sink.on_xevent &&
	    !sink_ok(c, c->sink.on_xevent(c->sink.ctx, &xe), "event sink"))
		return HALT;
	return 0;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct uc_capture *c = ctx;
	const struct uc_bpf_event *b = data;
	struct uc_raw_event ev;
	int64_t port;

	if (c->stopped || c->failed)
		return HALT;
	if (size >= sizeof(__u32) && b->event >= UC_X_BASE)
		return on_xrec(c, data, size);
	/* Fixed-size reservations are longer than what they carry. */
	if (size < sizeof(*b) || sizeof(*b) + b->pkt_cap + b->key_cap > size) {
		uc_error_set(&c->err, "corrupt ring-buffer record (%zu bytes)", size);
		c->failed = true;
		return HALT;
	}
	ev = (struct uc_raw_event){
		.event = b->event, .cpu = b->cpu, .pid = b->pid,
		.upcall_type = b->upcall_type, .ts = b->ts,
		.pkt_frag_size = b->pkt_frag_size, .pkt_size = b->pkt_size,
		.key_size = b->key_size,
		.pkt = (const uint8_t *)(b + 1), .pkt_cap = b->pkt_cap,
		.key = (const uint8_t *)(b + 1) + b->pkt_cap, .key_cap = b->key_cap,
	};
	copy_name(ev.comm, b->comm, UC_TASK_COMM_LEN);
	copy_name(ev.dpif_name, b->dpif_name, UC_DPIF_NAME_LEN);
	copy_name(ev.dev_name, b->dev_name, UC_DEV_NAME_LEN);

	/* A port added since the last dpctl/show: refresh first (at most
	 * once a second), so the sink can resolve this very event. */
	if (ev.event == UC_EV_DP_UPCALL &&
	    !uc_port_map_lookup(&c->map, ev.dpif_name, ev.dev_name, &port) &&
	    now_ns() - c->map_time >= 1000000000u && !refresh_map(c))
		return HALT;

	c->stats.events_received++;
	if (c->sink.on_event &&
	    !sink_ok(c, c->sink.on_event(c->sink.ctx, &ev), "event sink"))
		return HALT;
	return 0;
}

/* One attempt at the chosen variant: load and attach, or unload. */
static int try_load(void *ctx, const struct uc_variant *v, int *failed_point,
		    struct uc_error *err)
{
	struct uc_capture *c = ctx;

	if (!uc_load_attach(&c->bpf, &c->cfg, v, &c->setup.kernel.tp,
			    &c->setup.target, failed_point, err))
		return 0;
	uc_unload(&c->bpf);
	return -1;
}

/* Settles everything (capture_setup.c), then loads and attaches; a hook
 * that fails to load and has a fallback (fentry) is replaced. */
static int start(struct uc_capture *c, struct uc_error *err)
{
	struct uc_cap_wants w = {
		.family = &uc_capture_family, .probes = c->cfg.probes,
		.pid = c->cfg.pid, .btf_path = c->cfg.btf_path,
		.map_bytes = (uint64_t)c->cfg.buffer_page_count * sysconf(_SC_PAGESIZE),
		.ring_fixed = c->cfg.ring_fixed, .explain = c->cfg.explain,
		.miss_reasons = c->cfg.miss_reasons,
	};

	if (uc_cap_setup(&c->setup, &w, err))
		return -1;
	c->stats.pid = c->setup.target.pid;
	return uc_variant_load(&c->setup.kernel, &c->setup.variant, try_load, c, err);
}

/* What this capture traces, as the first xevent: "no record" then reads
 * as "not traced" where it was not. */
static bool send_features(struct uc_capture *c, const struct uc_capture_info *info)
{
	uint64_t how = 0;
	struct uc_xevent xe = {
		.kind = UC_X_FEATURES, .ts = info->start_monotonic_ns,
		.a = uc_variant_features(&c->setup.variant, &c->setup.target, &how),
		.other = c->setup.target.pid > 0 ? (uint32_t)c->setup.target.pid : 0,
	};

	xe.b = how;
	c->stats.features = xe.a;
	return !c->sink.on_xevent ||
	       sink_ok(c, c->sink.on_xevent(c->sink.ctx, &xe), "capture features");
}

struct uc_capture *uc_capture_open(const struct uc_capture_config *cfg,
				   const struct uc_event_sink *sink,
				   struct uc_error *err)
{
	struct uc_capture *c = calloc(1, sizeof(*c));
	libbpf_print_fn_t old_print;
	struct uc_capture_info info;
	int rc = -1;

	if (!c) {
		uc_error_set(err, "out of memory");
		return NULL;
	}
	c->cfg = *cfg;
	c->sink = *sink;
	c->stats.pid = -1;
	uc_port_map_init(&c->map);
	/* libbpf's own messages only with -v; our errors say what failed. */
	old_print = uc_cap_libbpf_messages(cfg->verbose);
	if (start(c, err))
		goto out;
	c->stats.kernel_fentry = c->setup.variant.kernel &&
		c->setup.variant.hook[UC_KP_PKT_EXEC]->kind == UC_HOOK_FENTRY;
	c->stats.handlers = c->bpf.handlers;
	c->rb = ring_buffer__new(bpf_map__fd(c->bpf.skel->maps.events), on_record, c, NULL);
	if (!c->rb) {
		uc_error_set(err, "cannot set up the ring buffer: %s", strerror(errno));
		goto out;
	}
	/* Probes are live from here on; what they record waits in the ring
	 * until the sink has the capture's description and the port map. */
	uc_cap_info(cfg, &info);
	if (c->sink.on_info &&
	    !sink_ok(c, c->sink.on_info(c->sink.ctx, &info), "capture info") &&
	    c->failed) {
		*err = c->err;
		goto out;
	}
	if (!c->stopped && !refresh_map(c) && c->failed) {
		*err = c->err;
		goto out;
	}
	/* After the map: upcall_cost.py's files begin with it. */
	if (!c->stopped && !send_features(c, &info) && c->failed) {
		*err = c->err;
		goto out;
	}
	rc = 0;
out:
	libbpf_set_print(old_print);
	if (rc) {
		uc_capture_close(c);
		return NULL;
	}
	return c;
}

int uc_capture_fd(const struct uc_capture *c)
{
	return ring_buffer__epoll_fd(c->rb);
}

/* Hands over what waits in the ring; false with c->err set on failure. */
static bool consume(struct uc_capture *c)
{
	int rc = ring_buffer__consume(c->rb);

	if (rc < 0 && rc != HALT && !c->failed) {
		uc_error_set(&c->err, "reading the ring buffer: %s", strerror(-rc));
		c->failed = true;
	}
	return !c->failed;
}

static int state(const struct uc_capture *c, struct uc_error *err)
{
	if (c->failed) {
		*err = c->err;
		return -1;
	}
	return c->stopped ? UC_CAPTURE_STOPPED : 0;
}

int uc_capture_poll(struct uc_capture *c, int timeout_ms, struct uc_error *err)
{
	if (c->failed || c->stopped || c->drained)
		return state(c, err);
	/* The BPF side wakes the epoll only for a batch (wakeup_bytes):
	 * consume after the wait whatever it says. */
	if (timeout_ms > 0) {
		int rc = ring_buffer__poll(c->rb, timeout_ms);

		if (rc < 0 && rc != HALT && rc != -EINTR && !c->failed) {
			uc_error_set(&c->err, "waiting for the ring buffer: %s", strerror(-rc));
			c->failed = true;
		}
	}
	if (!c->failed && !c->stopped)
		consume(c);
	return state(c, err);
}

/* Sums the per-CPU counters of records the ring buffer refused. */
static int read_missed(struct uc_capture *c, struct uc_error *err)
{
	int ncpu = libbpf_num_possible_cpus();

	if (ncpu <= 0)
		return uc_error_set(err, "cannot count CPUs: %s", strerror(-ncpu));
	uint64_t vals[ncpu];

	for (uint32_t type = 0; type < UC_EV_MAX; type++) {
		c->stats.missed[type] = 0;
		if (bpf_map__lookup_elem(c->bpf.skel->maps.missed, &type, sizeof(type),
					 vals, sizeof(vals), 0))
			return uc_error_set(err, "cannot read the missed-event counters: %s",
					    strerror(errno));
		for (int i = 0; i < ncpu; i++)
			c->stats.missed[type] += vals[i];
	}
	return 0;
}

/* The xevents the ring refused, per kind, into the stats. */
static int read_xmissed(struct uc_capture *c, int ncpu, struct uc_error *err)
{
	uint64_t vals[ncpu];

	for (uint32_t k = 0; k < UC_X_MAX - UC_X_BASE; k++) {
		c->stats.xmissed[k] = 0;
		if (bpf_map__lookup_elem(c->bpf.skel->maps.xmissed, &k, sizeof(k),
					 vals, sizeof(vals), 0))
			return uc_error_set(err, "cannot read the missed-xevent counters: %s",
					    strerror(errno));
		for (int i = 0; i < ncpu; i++)
			c->stats.xmissed[k] += vals[i];
	}
	return 0;
}

/* Hands the xevents' missed counts and the BPF totals of the upcalls'
 * results (one UC_X_DP_RESULTS per CPU, command and result) to the sink. */
static bool send_totals(struct uc_capture *c)
{
	int ncpu = libbpf_num_possible_cpus();

	if (ncpu <= 0)
		return true;
	uint64_t vals[ncpu];

	for (uint32_t k = 0; k < UC_X_MAX - UC_X_BASE; k++)
		if (c->stats.xmissed[k] && c->sink.on_missed &&
		    !sink_ok(c, c->sink.on_missed(c->sink.ctx, UC_X_BASE + k,
						  c->stats.xmissed[k]), "event sink"))
			return false;
	if (!c->setup.variant.hook[UC_KP_DP_RESULT] || !c->sink.on_xevent)
		return true;
	for (uint32_t idx = 0; idx < UC_RESULTS_SLOTS; idx++) {
		if (bpf_map__lookup_elem(c->bpf.skel->maps.upcall_results, &idx,
					 sizeof(idx), vals, sizeof(vals), 0))
			return sink_ok(c, -errno, "reading the upcall results");
		for (int cpu = 0; cpu < ncpu; cpu++) {
			struct uc_xevent xe = {
				.kind = UC_X_DP_RESULTS, .cpu = (uint32_t)cpu,
				.flags = (uint16_t)UC_RESULTS_CMD(idx),
				.ret = -(int32_t)UC_RESULTS_ERR(idx),
				.a = vals[cpu],
			};

			if (vals[cpu] &&
			    !sink_ok(c, c->sink.on_xevent(c->sink.ctx, &xe), "event sink"))
				return false;
		}
	}
	return true;
}

int uc_capture_stop_and_drain(struct uc_capture *c, struct uc_error *err)
{
	if (c->drained)
		return state(c, err) < 0 ? -1 : 0;
	c->drained = true;
	uc_detach(&c->bpf);
	/* Everything the probes recorded until now is part of the run. */
	if (!c->failed && !c->stopped)
		consume(c);
	if (read_missed(c, c->failed ? &(struct uc_error){ { 0 } } : &c->err) ||
	    read_xmissed(c, libbpf_num_possible_cpus(),
			 c->failed ? &(struct uc_error){ { 0 } } : &c->err)) {
		c->failed = true;
	} else if (!c->failed && c->sink.on_missed) {
		for (uint32_t type = 0; type < UC_EV_MAX; type++)
			if (c->stats.missed[type] &&
			    !sink_ok(c, c->sink.on_missed(c->sink.ctx, type,
							  c->stats.missed[type]),
				     "event sink") && c->failed)
				break;
	}
	if (!c->failed && !c->stopped)
		send_totals(c);
	return state(c, err) < 0 ? -1 : 0;
}

void uc_capture_close(struct uc_capture *c)
{
	if (!c)
		return;
	ring_buffer__free(c->rb);
	uc_unload(&c->bpf);
	uc_port_map_free(&c->map);
	free(c);
}

const struct uc_capture_stats *uc_capture_stats(const struct uc_capture *c)
{
	return &c->stats;
}

void uc_capture_describe(const struct uc_capture *c, FILE *out)
{
	uc_variant_describe(&c->setup.variant, &c->setup.kernel, &c->setup.target, out);
}
