/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_run.c - uc_monitor_run(): monitor mode's driver (see
 * monitor_run.h).
 *
 * One thread and one epoll loop: the interval timer, a signalfd for
 * SIGINT/SIGTERM, the traced process's pidfd, and libmicrohttpd's epoll
 * descriptor.  All state lives in struct run on our stack.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "capture_int.h"
#include "monitor_bpf.h"
#include "monitor_http.h"
#include "monitor_json.h"
#include "monitor_openmetrics.h"
#include "monitor_record.h"
#include "monitor_run.h"
#include "monitor_text.h"
#include "monitor_trigger.h"
#include "stop_signals.h"

struct run {
	const struct uc_options *opt;
	struct uc_error *err;
	struct uc_mon_bpf_config bcfg;
	struct uc_mon_bpf *bpf;
	struct uc_cap_setup setup;    /* kernel, variant, target */
	struct uc_port_map map;
	uint64_t map_time;            /* CLOCK_MONOTONIC ns of the last dpctl/show */
	struct uc_mon_metrics_config mcfg;
	struct uc_mon_http *http;
	struct uc_mon_trigger triggers[UC_MAX_TRIGGERS];
	int n_triggers;
	struct uc_mon_recorder *rec;  /* the flight recorder, with --trigger */
	int epfd;                     /* the event loop's */
	struct uc_mon_snapshot cur, prev, delta, scrape;
	uint64_t start_mono, start_real;
	uint64_t intervals;
	FILE *status;                 /* "- ..." lines: stderr with --json-lines */
	FILE *audit;                  /* tests: UC_MONITOR_AUDIT=FILE */
};

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ----------------------------------------------------------- settings */

/* Everything the options decide, checked before anything is loaded. */
static int configure(struct run *r)
{
	const struct uc_options *o = r->opt;

	r->bcfg = (struct uc_mon_bpf_config){
		.kernel = o->probes != UC_PROBES_USER,
		.user = o->probes != UC_PROBES_KERNEL,
		.hash_bytes = o->packet_size_given ? o->packet_size : UC_MON_DEFAULT_HASH_BYTES,
		.port_cap = o->max_ports,
		.handler_cap = o->max_handlers,
		.inflight = o->inflight,
		.key_hash_mask = ~0ULL,
	};
	/* For the tests: every latency recorded, to a file (docs/monitor.md). */
	if (getenv("UC_MONITOR_AUDIT")) {
		r->audit = fopen(getenv("UC_MONITOR_AUDIT"), "we");
		if (!r->audit)
			return uc_error_set(r->err, "UC_MONITOR_AUDIT: %s: %s",
					    getenv("UC_MONITOR_AUDIT"), strerror(errno));
		r->bcfg.audit = true;
	}
	/* For the tests: a narrow key hash makes collisions happen. */
	if (getenv("UC_MONITOR_KEY_HASH_BITS")) {
		int bits = atoi(getenv("UC_MONITOR_KEY_HASH_BITS"));

		if (bits > 0 && bits < 64)
			r->bcfg.key_hash_mask = (1ULL << bits) - 1;
	}
	uc_mon_metrics_default_le(&r->mcfg);
	if (o->metrics_buckets && uc_mon_metrics_parse_le(o->metrics_buckets, &r->mcfg, r->err))
		return -1;
	if (o->metrics && uc_mon_http_parse_addr(o->metrics, r->err))
		return -1;
	for (int i = 0; i < o->n_triggers; i++) {
		if (uc_mon_trigger_parse(o->triggers[i], &r->triggers[i], r->err) ||
		    uc_mon_trigger_check(&r->triggers[i], r->bcfg.kernel, r->bcfg.user, r->err))
			return -1;
		r->n_triggers++;
	}
	if (r->n_triggers) {
		/* Each recording is a full trace of the monitored process,
		 * with the full trace's settings (-P, -f, ring pages). */
		struct uc_mon_recorder_config rc = {
			.dir = o->record_dir, .seconds = o->record, .keep = o->record_keep,
			.status = stderr,
		};

		uc_capture_config_init(&rc.capture, o);
		r->rec = uc_mon_recorder_new(&rc, r->err);
		if (!r->rec)
			return -1;
	}
	return 0;
}

/* ----------------------------------------------------------- ports */

/* Runs dpctl/show again; keeps the old map when that fails. */
static void refresh_ports(struct run *r)
{
	struct uc_port_map map;
	char warn[PATH_MAX + 128];
	bool first = !r->map_time;
	int rc = uc_cap_dpctl(&r->setup.target, &map, warn, sizeof(warn));

	r->map_time = now_ns(CLOCK_MONOTONIC);
	if (rc) {
		if (first)
			fprintf(stderr, "WARNING: %s; ports are shown by number%s\n", warn,
				r->bcfg.kernel ? " (and, without the openvswitch module's BTF, "
				"kernel upcalls cannot be matched)" : "");
		uc_port_map_free(&map);
		return;
	}
	uc_port_map_free(&r->map);
	r->map = map;
	if (uc_mon_bpf_set_ports(r->bpf, &r->map, r->err))
		fprintf(stderr, "WARNING: %s\n", r->err->msg);
}

static const char *port_name(const struct uc_port_map *map, int64_t number)
{
	for (size_t i = 0; map->valid && i < map->n; i++)
		if (map->entries[i].number == number)
			return map->entries[i].port;
	return NULL;
}

/* Port labels get their names from dpctl/show, refreshed (at most once a
 * second) when a port is new. */
static void name_ports(struct run *r, struct uc_mon_snapshot *s)
{
	for (int pass = 0; pass < 2; pass++) {
		bool unknown = false;

		for (size_t i = 0; i < s->n_labels; i++) {
			struct uc_mon_label *l = &s->labels[i];
			const char *name;

			if (l->kind != UC_MON_LABEL_PORT || l->other)
				continue;
			if (!l->receives && !l->seg[UC_M_LOOKUP].count &&
			    !l->seg[UC_M_KERNEL_TO_VSWITCHD].count) {
				l->name[0] = '\0';   /* a slot not handed out */
				continue;
			}
			if (l->port < 0) {
				snprintf(l->name, sizeof(l->name), "none");
				continue;
			}
			name = port_name(&r->map, l->port);
			unknown |= !name;
			if (name)
				snprintf(l->name, sizeof(l->name), "%s", name);
			else
				snprintf(l->name, sizeof(l->name), "port%lld",
					 (long long)l->port);
		}
		if (!unknown || pass ||
		    now_ns(CLOCK_MONOTONIC) - r->map_time < 1000000000u)
			return;
		refresh_ports(r);
	}
}

/* ----------------------------------------------------------- reading */

static int read_now(struct run *r, struct uc_mon_snapshot *s)
{
	if (uc_mon_bpf_read(r->bpf, s, r->err))
		return -1;
	s->pid = r->setup.target.pid;
	s->start_mono_ns = r->start_mono;
	s->since_mono_ns = r->start_mono;
	s->start_real_ns = r->start_real;
	s->hash_bytes = r->bcfg.hash_bytes;
	s->u[UC_MU_RECORDINGS] = uc_mon_recorder_count(r->rec);
	name_ports(r, s);
	return 0;
}

/* libmicrohttpd asks for /metrics: a fresh reading, rendered. */
static int render_metrics(void *ctx, bool openmetrics, char **body, size_t *len)
{
	struct run *r = ctx;
	struct uc_mon_metrics_config cfg = r->mcfg;
	struct uc_error err;
	FILE *f;
	int rc;

	cfg.openmetrics = openmetrics;
	*body = NULL;
	*len = 0;
	{
		struct uc_error *saved = r->err;

		r->err = &err;
		rc = read_now(r, &r->scrape);
		r->err = saved;
	}
	if (rc) {
		fprintf(stderr, "WARNING: scrape: %s\n", err.msg);
		return -1;
	}
	f = open_memstream(body, len);
	if (!f)
		return -1;
	rc = uc_mon_metrics_write(f, &r->scrape, &cfg);
	if (fclose(f) || rc) {
		free(*body);
		*body = NULL;
		return -1;
	}
	return 0;
}

static int add_fd(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return fd < 0 ? 0 : epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

/* The first trigger that fires starts a recording (unless one is under
 * way, or the monitor is ending: FINAL); each one that fires is said. */
static void run_triggers(struct run *r, const struct uc_mon_snapshot *d, bool final)
{
	bool started = false;

	for (int i = 0; i < r->n_triggers; i++) {
		struct uc_error err;
		char why[128];
		int rc;

		if (!uc_mon_trigger_fires(&r->triggers[i], d, why, sizeof(why)))
			continue;
		fprintf(stderr, "TRIGGER: %s%s\n", why,
			final ? " (the monitor is ending: no recording)" :
			started || uc_mon_recorder_active(r->rec) ? " (recording under way)" : "");
		fflush(stderr);
		if (final || started || uc_mon_recorder_active(r->rec))
			continue;
		rc = uc_mon_recorder_start(r->rec, now_ns(CLOCK_MONOTONIC), why, &err);
		if (rc < 0) {
			fprintf(stderr, "WARNING: flight recorder: %s\n", err.msg);
		} else if (add_fd(r->epfd, uc_mon_recorder_fd(r->rec))) {
			fprintf(stderr, "WARNING: flight recorder: epoll_ctl: %s\n",
				strerror(errno));
			uc_mon_recorder_stop(r->rec, &err);
		}
		started = true;
	}
}

/* The recording under way: its records to its file, its end. */
static void run_recorder(struct run *r)
{
	struct uc_error err;

	if (uc_mon_recorder_active(r->rec) &&
	    uc_mon_recorder_poll(r->rec, now_ns(CLOCK_MONOTONIC), &err))
		fprintf(stderr, "WARNING: flight recorder: %s\n", err.msg);
}

/* An interval is over: read, print, check the triggers. */
static int interval(struct run *r, bool last)
{
	const struct uc_options *o = r->opt;

	uc_mon_bpf_audit_drain(r->bpf, r->audit);
	if (uc_mon_bpf_sweep(r->bpf, (uint64_t)(o->inflight_timeout * 1e9),
			     r->setup.target.pid, r->err) ||
	    read_now(r, &r->cur))
		return -1;
	if (uc_mon_snapshot_diff(&r->delta, &r->cur, &r->prev))
		return uc_error_set(r->err, "out of memory");
	r->intervals++;
	/* A last partial interval shorter than a tenth of one is noise. */
	if (!last || (double)(r->delta.mono_ns - r->delta.since_mono_ns) >= o->interval * 1e8) {
		if (o->json_lines) {
			if (uc_mon_json_line(stdout, &r->delta, &r->cur, false))
				return uc_error_set(r->err, "writing the JSON lines: %s",
						    strerror(errno));
		} else if (!o->quiet) {
			uc_mon_text_line(stdout, &r->delta);
		}
		fflush(stdout);
		run_triggers(r, &r->delta,
			     last || (o->count && r->intervals >= o->count));
	}
	return uc_mon_snapshot_copy(&r->prev, &r->cur) ?
		uc_error_set(r->err, "out of memory") : 0;
}

/* ----------------------------------------------------------- loop */

/* How long epoll may wait: libmicrohttpd's timeout, and a recording's
 * records must not wait longer than UC_CAPTURE_POLL_MS. */
static int wait_ms(const struct run *r)
{
	int ms = r->http ? uc_mon_http_timeout_ms(r->http) : -1;

	if (uc_mon_recorder_active(r->rec) && (ms < 0 || ms > UC_CAPTURE_POLL_MS))
		ms = UC_CAPTURE_POLL_MS;
	return ms;
}

/* Runs until a stop; returns 0 or -1 (ERR set). */
static int loop(struct run *r, int sfd, int pidfd)
{
	int epfd = r->epfd = epoll_create1(EPOLL_CLOEXEC);
	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	int hfd = r->http ? uc_mon_http_fd(r->http) : -1;
	int afd = uc_mon_bpf_audit_fd(r->bpf);
	uint64_t ns = (uint64_t)(r->opt->interval * 1e9);
	struct itimerspec its = {
		.it_interval = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) },
		.it_value = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) },
	};
	bool stop = false;
	int rc = 0;

	if (epfd < 0 || tfd < 0 || timerfd_settime(tfd, 0, &its, NULL) ||
	    add_fd(epfd, sfd) || add_fd(epfd, tfd) || add_fd(epfd, hfd) ||
	    add_fd(epfd, pidfd) || add_fd(epfd, afd)) {
		rc = uc_error_set(r->err, "setting up the event loop: %s", strerror(errno));
		goto out;
	}
	while (!stop) {
		struct epoll_event got[8];
		int n = epoll_wait(epfd, got, 8, wait_ms(r));

		if (n < 0 && errno != EINTR) {
			rc = uc_error_set(r->err, "epoll_wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n; i++) {
			int fd = got[i].data.fd;
			uint64_t ticks;

			if (fd == afd) {
				uc_mon_bpf_audit_drain(r->bpf, r->audit);
			} else if (fd == sfd) {
				stop = true;
			} else if (fd == pidfd) {
				fprintf(stderr, "WARNING: the traced process (PID %lld) exited\n",
					(long long)r->setup.target.pid);
				stop = true;
			} else if (fd == tfd && read(tfd, &ticks, sizeof(ticks)) > 0) {
				if (interval(r, false)) {
					rc = -1;
					stop = true;
				} else if (r->opt->count && r->intervals >= r->opt->count) {
					stop = true;
				}
			}
		}
		/* Scrapes (and libmicrohttpd's timeouts), and the recording's
		 * records, in any case. */
		if (r->http)
			uc_mon_http_run(r->http);
		run_recorder(r);
	}
	/* What the last, partial interval saw. */
	if (!rc && !(r->opt->count && r->intervals >= r->opt->count) && interval(r, true))
		rc = -1;
out:
	if (tfd >= 0)
		close(tfd);
	if (epfd >= 0)
		close(epfd);
	return rc;
}

/* ----------------------------------------------------------- start, stop */

static void print_start(struct run *r)
{
	FILE *s = r->status;

	if (r->opt->verbose) {
		if (r->setup.target.pid >= 0)
			fprintf(s, "- Monitoring PID %lld (%s)\n", (long long)r->setup.target.pid,
				r->setup.target.exe);
		uc_variant_describe(&r->setup.variant, &r->setup.kernel, &r->setup.target, s);
	}
	if (r->http)
		fprintf(s, "- Serving metrics at http://%s/metrics\n", r->opt->metrics);
	fprintf(s, "- Monitoring upcalls every %g s [Press ^C to stop]...\n",
		r->opt->interval);
	if (!r->opt->json_lines && !r->opt->quiet) {
		putchar('\n');
		uc_mon_text_header(stdout, &r->cur);
	}
	fflush(s);
	fflush(stdout);
}

static int print_end(struct run *r)
{
	if (r->opt->json_lines) {
		if (uc_mon_json_line(stdout, &r->cur, &r->cur, true))
			return uc_error_set(r->err, "writing the JSON lines: %s", strerror(errno));
	} else {
		uc_mon_text_summary(stdout, &r->cur);
	}
	fflush(stdout);
	return 0;
}

/* Checks, then loads and attaches; ERR set on failure. */
static int start(struct run *r)
{
	struct uc_cap_wants w = {
		.family = &uc_monitor_family, .probes = r->opt->probes,
		.pid = r->opt->pid, .btf_path = r->opt->btf_path,
	};

	libbpf_print_fn_t old;
	int rc;

	if (configure(r))
		return -1;
	w.map_bytes = uc_mon_bpf_map_bytes(&r->bcfg);
	old = uc_cap_libbpf_messages(r->opt->verbose);
	rc = uc_cap_setup(&r->setup, &w, r->err);
	if (!rc) {
		/* Recordings trace the process the monitor found. */
		uc_mon_recorder_target(r->rec, r->setup.target.pid);
		fprintf(r->status, "- Loading eBPF programs...\n");
		fflush(r->status);
		rc = uc_mon_bpf_open(&r->bpf, &r->bcfg, &r->setup, r->err);
	}
	libbpf_set_print(old);
	if (rc)
		return -1;
	r->start_mono = now_ns(CLOCK_MONOTONIC);
	r->start_real = now_ns(CLOCK_REALTIME);
	refresh_ports(r);
	if (read_now(r, &r->cur))
		return -1;
	if (uc_mon_snapshot_copy(&r->prev, &r->cur))
		return uc_error_set(r->err, "out of memory");
	if (r->opt->metrics &&
	    uc_mon_http_start(&r->http, r->opt->metrics, render_metrics, r, r->err))
		return -1;
	return 0;
}

int uc_monitor_run(const struct uc_options *opt, struct uc_error *err)
{
	struct run r = {
		.opt = opt, .err = err,
		.status = opt->json_lines ? stderr : stdout,
	};
	struct uc_stop_signals sig = { .fd = -1 };
	int pidfd = -1, rc = -1;

	err->msg[0] = '\0';
	uc_port_map_init(&r.map);
	uc_mon_snapshot_init(&r.cur);
	uc_mon_snapshot_init(&r.prev);
	uc_mon_snapshot_init(&r.delta);
	uc_mon_snapshot_init(&r.scrape);
	r.setup.target.pid = -1;
	if (uc_stop_signals_catch(&sig, err))
		goto out;
	if (start(&r))
		goto out;
	/* Its probes can fire no more once the process is gone. */
	if (r.bcfg.user)
		pidfd = (int)syscall(SYS_pidfd_open, (pid_t)r.setup.target.pid, 0);
	print_start(&r);
	rc = loop(&r, sig.fd, pidfd);
	if (!rc)
		rc = print_end(&r);
out:
	/* A recording under way ends with the monitor, its file complete. */
	uc_mon_recorder_free(r.rec);
	uc_mon_http_stop(r.http);
	if (r.bpf && r.audit)
		uc_mon_bpf_audit_drain(r.bpf, r.audit);
	uc_mon_bpf_close(r.bpf);
	if (r.audit && fclose(r.audit) && !rc)
		rc = uc_error_set(err, "UC_MONITOR_AUDIT: %s", strerror(errno));
	uc_port_map_free(&r.map);
	uc_mon_snapshot_free(&r.cur);
	uc_mon_snapshot_free(&r.prev);
	uc_mon_snapshot_free(&r.delta);
	uc_mon_snapshot_free(&r.scrape);
	if (pidfd >= 0)
		close(pidfd);
	uc_stop_signals_restore(&sig);
	return rc;
}
