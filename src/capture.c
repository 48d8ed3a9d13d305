/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture.c - uc_capture_run(): check, load, attach, stream, stop.
 *
 * Lifecycle as in libbpf-tools: open the skeleton, set the rodata (-P/-f)
 * and the ring-buffer size, choose with set_autoload which programs load
 * (--probes, fentry or kprobe), load, attach.  Then one epoll loop waits on
 * the ring buffer and on a signalfd for SIGINT/SIGTERM: no signal handler
 * and no global flag, all state lives in struct cap on our stack.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "capture.h"
#include "capture_int.h"
#include "trace.h"
#include "upcall_cost.skel.h"

/* Longest a record waits in the ring before we read it. */
#define POLL_MS 100

/* Returned by the ring-buffer callback to make libbpf stop consuming. */
#define HALT (-ECANCELED)

enum exec_hook { HOOK_NONE, HOOK_FENTRY, HOOK_KPROBE };

/* Everything one capture needs; the callbacks get a pointer to it. */
struct cap {
	const struct uc_options *opt;
	const struct uc_event_sink *sink;
	struct uc_capture_stats *stats;
	struct uc_error *err;
	const struct uc_cap_target *target;
	const sigset_t *child_mask;   /* for ovs-appctl: the caller's mask */
	struct uc_port_map map;
	uint64_t map_time;            /* CLOCK_MONOTONIC ns of the last dpctl/show */
	bool stop;                    /* -s reached or the sink said stop */
	bool failed;                  /* ERR is set */
};

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* libbpf's messages (verifier logs included) only with -v. */
__attribute__((format(printf, 2, 0)))
static int libbpf_print_all(enum libbpf_print_level level, const char *fmt,
			    va_list ap)
{
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

static int libbpf_print_none(enum libbpf_print_level level, const char *fmt,
			     va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

/* Turns a sink's return value into the capture's state; false = stop. */
static bool sink_ok(struct cap *c, int rc, const char *what)
{
	if (rc < 0) {
		uc_error_set(c->err, "%s: %s", what, strerror(-rc));
		c->failed = true;
	} else if (rc == UC_SINK_STOP) {
		c->stop = true;
	}
	return rc == 0;
}

/* Runs dpctl/show and hands the map to the sink (even an invalid one). */
static bool refresh_map(struct cap *c)
{
	struct uc_port_map map;
	char warn[PATH_MAX + 128];
	int rc = uc_cap_dpctl(c->target, c->child_mask, &map, warn, sizeof(warn));
	bool first = !c->map_time;

	c->map_time = now_ns(CLOCK_MONOTONIC);
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
	return !c->sink->on_port_map ||
	       sink_ok(c, c->sink->on_port_map(c->sink->ctx, &c->map), "port map");
}

static void copy_name(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size);

	memcpy(dst, src, n);
	memset(dst + n, 0, size + 1 - n);
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct cap *c = ctx;
	const struct uc_bpf_event *b = data;
	struct uc_raw_event ev;
	int64_t port;

	if (size < sizeof(*b) || sizeof(*b) + b->pkt_cap + b->key_cap > size) {
		uc_error_set(c->err, "corrupt ring-buffer record (%zu bytes)", size);
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
	    now_ns(CLOCK_MONOTONIC) - c->map_time >= 1000000000u &&
	    !refresh_map(c))
		return HALT;

	c->stats->events_received++;
	if (c->sink->on_event && !sink_ok(c, c->sink->on_event(c->sink->ctx, &ev), "event sink"))
		return HALT;
	if (c->stats->events_received == c->opt->stop) {
		c->stop = true;
		return HALT;
	}
	return 0;
}

/* Opens, configures, loads and attaches; the skeleton is left in *OUT
 * (even on failure, for the caller to destroy). */
static int load_attach(struct upcall_cost_bpf **out, const struct uc_options *opt,
		       const struct uc_cap_target *t, bool kernel, bool user,
		       enum exec_hook hook, struct uc_error *err)
{
	struct upcall_cost_bpf *s = upcall_cost_bpf__open();
	long page = sysconf(_SC_PAGESIZE);
	int rc;

	*out = s;
	if (!s)
		return uc_error_set(err, "cannot open the eBPF object: %s", strerror(errno));
	s->rodata->packet_size = opt->packet_size;
	s->rodata->flow_key_size = opt->flow_key_size;
	if (!opt->buffer_page_count || opt->buffer_page_count > (1u << 30) / page)
		return uc_error_set(err, "--buffer-page-count %u is out of range",
				    opt->buffer_page_count);
	bpf_map__set_max_entries(s->maps.events, opt->buffer_page_count * page);
	s->rodata->wakeup_bytes = opt->buffer_page_count * page / 8;

	bpf_program__set_autoload(s->progs.uc_dp_upcall, kernel);
	bpf_program__set_autoload(s->progs.uc_pkt_exec_fentry, hook == HOOK_FENTRY);
	bpf_program__set_autoload(s->progs.uc_pkt_exec_kprobe, hook == HOOK_KPROBE);
	bpf_program__set_autoload(s->progs.uc_recv_upcall, user);
	bpf_program__set_autoload(s->progs.uc_op_flow_put, user);
	bpf_program__set_autoload(s->progs.uc_op_flow_execute, user);

	rc = upcall_cost_bpf__load(s);
	if (rc) {
		/* The one feature a modern-enough kernel may still lack. */
		if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE,
					    BPF_FUNC_ringbuf_reserve_dynptr, NULL) <= 0)
			return uc_error_set(err, "cannot load the eBPF programs: the kernel "
					    "lacks ring-buffer dynptrs (Linux 5.19 or later is needed)");
		return uc_error_set(err, "cannot load the eBPF programs%s: %s (-v shows why)",
				    hook == HOOK_FENTRY ? " (fentry)" : "", strerror(-rc));
	}

	if (kernel) {
		struct bpf_program *exec = hook == HOOK_FENTRY ?
			s->progs.uc_pkt_exec_fentry : s->progs.uc_pkt_exec_kprobe;
		struct bpf_link **exec_link = hook == HOOK_FENTRY ?
			&s->links.uc_pkt_exec_fentry : &s->links.uc_pkt_exec_kprobe;

		s->links.uc_dp_upcall = bpf_program__attach(s->progs.uc_dp_upcall);
		if (!s->links.uc_dp_upcall)
			return uc_error_set(err, "cannot attach to tracepoint openvswitch:ovs_dp_upcall: %s",
					    strerror(errno));
		*exec_link = bpf_program__attach(exec);
		if (!*exec_link)
			return uc_error_set(err, "cannot attach %s to ovs_packet_cmd_execute: %s",
					    hook == HOOK_FENTRY ? "fentry" : "kprobe",
					    strerror(errno));
	}
	if (user) {
		struct bpf_program *progs[UC_N_USDT] = {
			s->progs.uc_recv_upcall, s->progs.uc_op_flow_put,
			s->progs.uc_op_flow_execute,
		};
		struct bpf_link **links[UC_N_USDT] = {
			&s->links.uc_recv_upcall, &s->links.uc_op_flow_put,
			&s->links.uc_op_flow_execute,
		};

		for (int i = 0; i < UC_N_USDT; i++) {
			*links[i] = bpf_program__attach_usdt(progs[i], (pid_t)t->pid,
							     t->usdt_path,
							     uc_usdt_probes[i].provider,
							     uc_usdt_probes[i].name, NULL);
			if (!*links[i])
				return uc_error_set(err, "cannot attach USDT %s:%s in %s: %s",
						    uc_usdt_probes[i].provider,
						    uc_usdt_probes[i].name, t->usdt_path,
						    strerror(errno));
		}
	}
	return 0;
}

/* Sums the per-CPU counters of records the ring buffer refused. */
static int read_missed(struct upcall_cost_bpf *s, uint64_t missed[UC_EV_MAX],
		       struct uc_error *err)
{
	int ncpu = libbpf_num_possible_cpus();

	if (ncpu <= 0)
		return uc_error_set(err, "cannot count CPUs: %s", strerror(-ncpu));
	uint64_t vals[ncpu];

	for (uint32_t type = 0; type < UC_EV_MAX; type++) {
		missed[type] = 0;
		if (bpf_map__lookup_elem(s->maps.missed, &type, sizeof(type), vals,
					 sizeof(vals), 0))
			return uc_error_set(err, "cannot read the missed-event counters: %s",
					    strerror(errno));
		for (int i = 0; i < ncpu; i++)
			missed[type] += vals[i];
	}
	return 0;
}

/*
 * Waits for records until a stop; returns true on a signal or when the
 * traced process exits (PIDFD, -1 if none: its probes can fire no more,
 * and a restarted ovs-vswitchd is a new process we are not attached to).
 */
static bool run_loop(struct cap *c, struct ring_buffer *rb, int sfd, int pidfd)
{
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN };
	bool signalled = false;

	if (epfd < 0) {
		uc_error_set(c->err, "epoll_create1: %s", strerror(errno));
		c->failed = true;
		return false;
	}
	/* The ring buffer's own epoll fd nests in ours. */
	ev.data.fd = ring_buffer__epoll_fd(rb);
	epoll_ctl(epfd, EPOLL_CTL_ADD, ev.data.fd, &ev);
	ev.data.fd = sfd;
	epoll_ctl(epfd, EPOLL_CTL_ADD, sfd, &ev);
	if (pidfd >= 0) {
		ev.data.fd = pidfd;
		epoll_ctl(epfd, EPOLL_CTL_ADD, pidfd, &ev);
	}

	while (!signalled && !c->stop && !c->failed) {
		struct epoll_event got[3];
		/* The BPF side wakes us only for a batch (wakeup_bytes):
		 * a short timeout delivers the rest. */
		int n = epoll_wait(epfd, got, 3, POLL_MS);

		if (n < 0 && errno != EINTR) {
			uc_error_set(c->err, "epoll_wait: %s", strerror(errno));
			c->failed = true;
			break;
		}
		for (int i = 0; i < n; i++) {
			if (got[i].data.fd == pidfd)
				fprintf(stderr, "WARNING: the traced process (PID %lld) exited\n",
					(long long)c->target->pid);
			if (got[i].data.fd == sfd || got[i].data.fd == pidfd)
				signalled = true;
		}
		/* Records first: those before the signal are part of the run. */
		int rc = ring_buffer__consume(rb);

		if (rc < 0 && rc != HALT) {
			uc_error_set(c->err, "reading the ring buffer: %s", strerror(-rc));
			c->failed = true;
		}
	}
	close(epfd);
	return signalled;
}

int uc_capture_run(const struct uc_options *opt,
		   const struct uc_event_sink *sink,
		   struct uc_capture_stats *stats, struct uc_error *err)
{
	bool kernel = opt->probes != UC_PROBES_USER;
	bool user = opt->probes != UC_PROBES_KERNEL;
	bool fentry_ok = false, kprobe_ok = false;
	struct uc_cap_target target;
	struct uc_capture_info info;
	struct cap c = {
		.opt = opt, .sink = sink, .stats = stats, .err = err,
		.target = &target,
	};
	struct upcall_cost_bpf *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct sigaction old_int, old_term, dfl = { .sa_handler = SIG_DFL };
	sigset_t stop_set, old_mask;
	enum exec_hook hook = HOOK_NONE;
	libbpf_print_fn_t old_print;
	int sfd = -1, pidfd = -1;
	char fentry_err[sizeof(err->msg)] = "";

	memset(stats, 0, sizeof(*stats));
	stats->pid = -1;
	uc_port_map_init(&c.map);

	if (uc_cap_check_btf(err) || uc_cap_check_privileges(err) ||
	    (kernel && uc_cap_check_kernel(&fentry_ok, &kprobe_ok, err)) ||
	    uc_cap_find_target(opt->pid, user, &target, err) ||
	    (user && uc_cap_find_usdt(&target, err)))
		return -1;
	stats->pid = target.pid;
	/* Until the skeleton is destroyed: libbpf's own messages (verifier
	 * logs included) only with -v; our errors say what failed. */
	old_print = libbpf_set_print(opt->verbose ? libbpf_print_all : libbpf_print_none);
	/* Opened now, so an exit while we load is noticed too.  pidfd_open(2)
	 * is Linux 5.3+; without it an exit just goes unnoticed. */
	if (user)
		pidfd = (int)syscall(SYS_pidfd_open, (pid_t)target.pid, 0);

	/* SIGINT/SIGTERM are read from a signalfd, so they must be blocked,
	 * and not ignored (a shell starts background jobs with SIGINT
	 * ignored, and then `kill -INT` would never reach us). */
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGINT);
	sigaddset(&stop_set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_set, &old_mask);
	c.child_mask = &old_mask;
	sigaction(SIGINT, NULL, &old_int);
	sigaction(SIGTERM, NULL, &old_term);
	if (old_int.sa_handler == SIG_IGN)
		sigaction(SIGINT, &dfl, NULL);
	if (old_term.sa_handler == SIG_IGN)
		sigaction(SIGTERM, &dfl, NULL);
	sfd = signalfd(-1, &stop_set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		uc_error_set(err, "signalfd: %s", strerror(errno));
		c.failed = true;
		goto out;
	}

	/* The original prints "- Compiling eBPF programs..." here; we load a
	 * precompiled object. */
	printf("- Loading eBPF programs...\n");
	fflush(stdout);
	if (kernel)
		hook = fentry_ok ? HOOK_FENTRY : HOOK_KPROBE;
	for (;;) {
		int rc = load_attach(&skel, opt, &target, kernel, user, hook, err);

		if (!rc)
			break;
		upcall_cost_bpf__destroy(skel);
		skel = NULL;
		/* fentry did not work out: kprobes are the fallback. */
		if (hook == HOOK_FENTRY && kprobe_ok) {
			snprintf(fentry_err, sizeof(fentry_err), "%s", err->msg);
			hook = HOOK_KPROBE;
			continue;
		}
		if (fentry_err[0]) {
			struct uc_error both;

			uc_error_set(&both, "%.240s; after fentry failed: %.240s",
				     err->msg, fentry_err);
			*err = both;
		}
		c.failed = true;
		break;
	}
	if (c.failed)
		goto out;
	stats->kernel_fentry = hook == HOOK_FENTRY;

	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, &c, NULL);
	if (!rb) {
		uc_error_set(err, "cannot set up the ring buffer: %s", strerror(errno));
		c.failed = true;
		goto out;
	}
	if (opt->verbose && target.pid >= 0)
		printf("- Tracing PID %lld (%s)\n", (long long)target.pid,
		       user ? target.usdt_path : target.exe);
	if (opt->verbose && kernel)
		printf("- ovs_packet_cmd_execute hooked with %s\n",
		       hook == HOOK_FENTRY ? "fentry" : "a kprobe");
	printf("- Capturing events [Press ^C to stop]...\n");
	/* Then, as the original, the live column header unless -q. */
	if (!opt->quiet) {
		putchar('\n');
		uc_live_print_header(stdout);
	}
	fflush(stdout);

	/* Probes are live from here on; what they record waits in the ring
	 * until the sink has the capture's description (the moment a -w
	 * file is created) and the port map. */
	uc_cap_info(opt, &info);
	if ((sink->on_info &&
	     !sink_ok(&c, sink->on_info(sink->ctx, &info), "capture info")) ||
	    !refresh_map(&c))
		goto stop;

	if (run_loop(&c, rb, sfd, pidfd) && !c.failed && !c.stop) {
		/* Stopped by a signal (or the process exited): detach, then
		 * hand over everything the probes recorded until then. */
		upcall_cost_bpf__detach(skel);
		int rc = ring_buffer__consume(rb);

		if (rc < 0 && rc != HALT && !c.failed) {
			uc_error_set(err, "reading the ring buffer: %s", strerror(-rc));
			c.failed = true;
		}
	}
stop:
	upcall_cost_bpf__detach(skel);
	if (read_missed(skel, stats->missed, c.failed ? &(struct uc_error){0} : err)) {
		c.failed = true;
	} else if (!c.failed && sink->on_missed) {
		for (uint32_t type = 0; type < UC_EV_MAX; type++) {
			int rc = stats->missed[type] ?
				sink->on_missed(sink->ctx, type, stats->missed[type]) : 0;

			if (rc < 0) {
				sink_ok(&c, rc, "event sink");
				break;
			}
		}
	}
out:
	ring_buffer__free(rb);
	upcall_cost_bpf__destroy(skel);
	uc_port_map_free(&c.map);
	if (pidfd >= 0)
		close(pidfd);
	if (sfd >= 0) {
		struct signalfd_siginfo si;

		/* Consume what we were sent, so unblocking does not kill us. */
		while (read(sfd, &si, sizeof(si)) == sizeof(si))
			;
		close(sfd);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	libbpf_set_print(old_print);
	return c.failed ? -1 : 0;
}
