/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_run.c - uc_capture_run(), the command line's driver of a capture
 * session: status lines, SIGINT/SIGTERM through a signalfd
 * (stop_signals.c), -s through a counting sink, the traced process's exit
 * through a pidfd, and one epoll loop over the three and the session's
 * ring buffer.  No signal handler
 * and no global flag: everything lives in struct driver on our stack.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "capture.h"
#include "stop_signals.h"
#include "trace.h"

/* -s: passes everything on, and says stop after the LIMIT-th event. */
struct stop_after {
	const struct uc_event_sink *inner;
	uint64_t limit, seen;
};

static int sa_info(void *ctx, const struct uc_capture_info *info)
{
	const struct uc_event_sink *in = ((struct stop_after *)ctx)->inner;

	return in->on_info ? in->on_info(in->ctx, info) : 0;
}

static int sa_port_map(void *ctx, const struct uc_port_map *map)
{
	const struct uc_event_sink *in = ((struct stop_after *)ctx)->inner;

	return in->on_port_map ? in->on_port_map(in->ctx, map) : 0;
}

static int sa_event(void *ctx, const struct uc_raw_event *ev)
{
	struct stop_after *s = ctx;
	int rc = s->inner->on_event ? s->inner->on_event(s->inner->ctx, ev) : 0;

	if (rc == 0 && s->limit && ++s->seen == s->limit)
		return UC_SINK_STOP;
	return rc;
}

static int sa_missed(void *ctx, uint32_t type, uint64_t count)
{
	const struct uc_event_sink *in = ((struct stop_after *)ctx)->inner;

	return in->on_missed ? in->on_missed(in->ctx, type, count) : 0;
}

/* xevents do not count: -s counts upcall_cost.py's events. */
static int sa_xevent(void *ctx, const struct uc_xevent *xe)
{
	const struct uc_event_sink *in = ((struct stop_after *)ctx)->inner;

	return in->on_xevent ? in->on_xevent(in->ctx, xe) : 0;
}

/* The status lines of upcall_cost.py, once the probes are attached (so
 * that a capture that cannot start prints its one-line error alone). */
static void print_started(const struct uc_options *opt, const struct uc_capture *c)
{
	/* The original prints "- Compiling eBPF programs..."; we load a
	 * precompiled object. */
	printf("- Loading eBPF programs...\n");
	if (opt->verbose)
		uc_capture_describe(c, stdout);
	printf("- Capturing events [Press ^C to stop]...\n");
	/* Then, as the original, the live column header unless -q. */
	if (!opt->quiet) {
		putchar('\n');
		uc_live_print_header(stdout);
	}
	fflush(stdout);
}

static int watch(int epfd, int fd, struct uc_error *err)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev))
		return uc_error_set(err, "epoll_ctl: %s", strerror(errno));
	return 0;
}

/*
 * Waits on the ring buffer, the signals and (PIDFD >= 0) the traced
 * process until one of them ends the capture.  Returns 0 (stopped by a
 * signal, the sink or the process's exit) or -1 with ERR set.
 */
static int loop(struct uc_capture *c, int sfd, int pidfd, int64_t pid,
		struct uc_error *err)
{
	int epfd = epoll_create1(EPOLL_CLOEXEC), rc = 0;
	bool end = false;

	if (epfd < 0)
		return uc_error_set(err, "epoll_create1: %s", strerror(errno));
	if (watch(epfd, uc_capture_fd(c), err) || watch(epfd, sfd, err) ||
	    (pidfd >= 0 && watch(epfd, pidfd, err))) {
		close(epfd);
		return -1;
	}
	while (!end && rc == 0) {
		struct epoll_event got[3];
		int n = epoll_wait(epfd, got, 3, UC_CAPTURE_POLL_MS);

		if (n < 0 && errno != EINTR) {
			rc = uc_error_set(err, "epoll_wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n; i++) {
			if (got[i].data.fd == pidfd)
				fprintf(stderr, "WARNING: the traced process (PID %lld) exited\n",
					(long long)pid);
			end |= got[i].data.fd == sfd || got[i].data.fd == pidfd;
		}
		/* Records first: those before the signal are part of the run. */
		rc = uc_capture_poll(c, 0, err);
	}
	close(epfd);
	return rc < 0 ? -1 : 0;
}

int uc_capture_run(const struct uc_options *opt,
		   const struct uc_event_sink *sink,
		   struct uc_capture_stats *stats, struct uc_error *err)
{
	struct stop_after sa = { .inner = sink, .limit = opt->stop };
	struct uc_event_sink counted = {
		.ctx = &sa, .on_info = sa_info, .on_port_map = sa_port_map,
		.on_event = sa_event, .on_missed = sa_missed, .on_xevent = sa_xevent,
	};
	struct uc_capture_config cfg;
	struct uc_stop_signals sig = { .fd = -1 };
	struct uc_capture *c = NULL;
	int pidfd = -1, rc = -1;
	bool gone = false;

	memset(stats, 0, sizeof(*stats));
	stats->pid = -1;
	uc_capture_config_init(&cfg, opt);
	if (uc_stop_signals_catch(&sig, err))
		goto out;
	c = uc_capture_open(&cfg, &counted, err);
	if (!c)
		goto out;
	/* Once the process is gone its probes fire no more, and a restarted
	 * ovs-vswitchd is a new process we are not attached to.  pidfd_open
	 * is Linux 5.3+; without it an exit goes unnoticed.  One that exited
	 * already ends the capture at once. */
	stats->pid = uc_capture_stats(c)->pid;
	if (cfg.probes != UC_PROBES_KERNEL) {
		pidfd = (int)syscall(SYS_pidfd_open, (pid_t)stats->pid, 0);
		gone = pidfd < 0 && errno == ESRCH;
	}
	print_started(opt, c);
	if (gone)
		fprintf(stderr, "WARNING: the traced process (PID %lld) exited\n",
			(long long)stats->pid);
	rc = gone ? uc_capture_poll(c, 0, err) : loop(c, sig.fd, pidfd, stats->pid, err);
	if (rc < 0) {
		struct uc_error ignored;

		uc_capture_stop_and_drain(c, &ignored);
	} else {
		rc = uc_capture_stop_and_drain(c, err);
	}
	*stats = *uc_capture_stats(c);
out:
	uc_capture_close(c);
	if (pidfd >= 0)
		close(pidfd);
	uc_stop_signals_restore(&sig);
	return rc < 0 ? -1 : 0;
}
