/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * explain_fire - a thread named "handler1" through phases whose schedule
 * is known, so that --explain's records can be checked against the truth
 * (tests/explain.sh, tests/explain_check.c).
 *
 *   explain_fire -g GOFILE -o TRUTH
 *
 * Waits for GOFILE (the tracer is attached), then runs, timing each phase
 * itself with CLOCK_MONOTONIC (the clock of bpf_ktime_get_ns):
 *   spin      30 ms on the CPU
 *   poll      asleep in poll() on a pipe, until another thread (H) writes
 *             to it 40 ms later
 *   futex     asleep on a mutex H holds for 25 ms
 *   preempt   a 60 ms spin, 20 ms of it with a SCHED_FIFO thread (the
 *             hog) busy on the same CPU
 *   stopped   a 60 ms spin during which a child stops the whole process
 *             (SIGSTOP) for 50 ms and continues it (SIGCONT); the child
 *             writes the times it did so
 *   recvmsg   asleep in recvmsg() on a socket until H sends 15 ms later
 *   sendmsg   3000 UDP datagrams to itself (sendmsg)
 * TRUTH gets one line per phase: "NAME START END TID OTHER", OTHER the TID
 * of whoever should be named (H, the hog, the stopper's PID) or 0; and
 * "stop PID START CONT CONTRET": the stopper's PID, the times just before
 * it stopped and continued the process, and the time its kill(SIGCONT)
 * returned (the wakeup happens inside that call); "hog TID".  The recv_upcall USDT probe fires
 * once first, as a handler's does.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/sdt.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

static volatile int never;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void spin_ns(uint64_t ns)
{
	uint64_t end = now_ns() + ns;

	while (now_ns() < end)
		;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* What the helper thread H does, step by step, told by W. */
enum job { JOB_NONE, JOB_WRITE_PIPE, JOB_HOLD_MUTEX, JOB_SEND, JOB_QUIT };

struct shared {
	pthread_mutex_t lock;            /* the one W waits on in "futex" */
	pthread_mutex_t m;               /* guards job */
	pthread_cond_t cv;
	enum job job;
	uint64_t delay_ns;
	int pipe_w;
	int sock_h;                      /* H's end of the socketpair */
	pid_t h_tid;
	volatile int held;               /* H holds lock */
	volatile int hog_go, hog_tid;
	int cpu;
};

static void give(struct shared *s, enum job job, uint64_t delay)
{
	pthread_mutex_lock(&s->m);
	s->job = job;
	s->delay_ns = delay;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->m);
}

static void *helper(void *arg)
{
	struct shared *s = arg;

	prctl(PR_SET_NAME, "explain-helper");
	s->h_tid = gettid_();
	for (;;) {
		enum job job;
		uint64_t delay;

		pthread_mutex_lock(&s->m);
		while (s->job == JOB_NONE)
			pthread_cond_wait(&s->cv, &s->m);
		job = s->job;
		delay = s->delay_ns;
		s->job = JOB_NONE;
		pthread_mutex_unlock(&s->m);
		switch (job) {
		case JOB_WRITE_PIPE:
			sleep_ns(delay);
			if (write(s->pipe_w, "x", 1) != 1)
				return NULL;
			break;
		case JOB_HOLD_MUTEX:
			pthread_mutex_lock(&s->lock);
			s->held = 1;
			sleep_ns(delay);
			pthread_mutex_unlock(&s->lock);
			break;
		case JOB_SEND:
			sleep_ns(delay);
			if (send(s->sock_h, "y", 1, 0) != 1)
				return NULL;
			break;
		case JOB_QUIT:
			return NULL;
		default:
			break;
		}
	}
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* The hog: SCHED_FIFO on W's CPU, busy 20 ms when told. */
static void *hog(void *arg)
{
	struct shared *s = arg;
	struct sched_param sp = { .sched_priority = 50 };

	prctl(PR_SET_NAME, "explain-hog");
	pin(s->cpu);
	s->hog_tid = gettid_();
	if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp))
		s->hog_tid = -1;
	while (!s->hog_go)
		sleep_ns(1000000);
	spin_ns(20000000);
	return NULL;
}

static void phase(FILE *t, const char *name, uint64_t a, uint64_t b, pid_t other)
{
	fprintf(t, "%s %llu %llu %d %d\n", name, (unsigned long long)a,
		(unsigned long long)b, (int)gettid_(), (int)other);
}

/* A child that stops the process for 50 ms, 5 ms from now. */
static pid_t stopper(FILE *t)
{
	pid_t parent = getpid(), child;
	int fds[2];

	if (pipe(fds))
		return -1;
	child = fork();
	if (child == 0) {
		uint64_t a, b, c;

		close(fds[0]);
		sleep_ns(5000000);
		a = now_ns();
		kill(parent, SIGSTOP);
		sleep_ns(50000000);
		b = now_ns();
		kill(parent, SIGCONT);
		c = now_ns();
		dprintf(fds[1], "%d %llu %llu %llu\n", (int)getpid(), (unsigned long long)a,
			(unsigned long long)b, (unsigned long long)c);
		_exit(0);
	}
	close(fds[1]);
	(void)t;
	return child < 0 ? -1 : fds[0];
}

static void udp_burst(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char payload[64] = { 0 };
	struct iovec iov = { payload, sizeof(payload) };
	struct msghdr msg = { .msg_name = &to, .msg_namelen = sizeof(to),
			      .msg_iov = &iov, .msg_iovlen = 1 };

	for (int i = 0; s >= 0 && i < 3000; i++)
		sendmsg(s, &msg, MSG_DONTWAIT);
	if (s >= 0)
		close(s);
}

int main(int argc, char **argv)
{
	static struct shared s = {
		.lock = PTHREAD_MUTEX_INITIALIZER, .m = PTHREAD_MUTEX_INITIALIZER,
		.cv = PTHREAD_COND_INITIALIZER,
	};
	const char *go = NULL, *truth = NULL;
	pthread_t h, hg;
	int fds[2], sv[2], c, stop_fd;
	uint64_t a, b;
	char stop_line[64], buf[8];
	FILE *t;

	while ((c = getopt(argc, argv, "g:o:")) != -1) {
		if (c == 'g')
			go = optarg;
		else if (c == 'o')
			truth = optarg;
		else
			return 2;
	}
	if (!go || !truth || pipe(fds) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 2;
	t = fopen(truth, "w");
	if (!t)
		return 1;
	/* W is the main thread, named as OVS names its handlers, on one CPU. */
	prctl(PR_SET_NAME, "handler1");
	s.cpu = sched_getcpu();
	pin(s.cpu);
	s.pipe_w = fds[1];
	s.sock_h = sv[1];
	pthread_create(&h, NULL, helper, &s);
	pthread_create(&hg, NULL, hog, &s);
	while (access(go, F_OK))
		sleep_ns(10000000);
	DTRACE_PROBE6(dpif_recv, recv_upcall, "system@ovs-system", 1, buf, 0, buf, 0);
	/* The other two probes a tracer of OVS needs, present, not fired. */
	if (never) {
		DTRACE_PROBE4(dpif_netlink_operate__, op_flow_put, buf, buf, buf, buf);
		DTRACE_PROBE5(dpif_netlink_operate__, op_flow_execute, buf, buf, buf, 0, buf);
	}
	sleep_ns(20000000);

	a = now_ns();
	spin_ns(30000000);
	phase(t, "spin", a, now_ns(), 0);

	a = now_ns();
	give(&s, JOB_WRITE_PIPE, 40000000);
	{
		struct pollfd p = { fds[0], POLLIN, 0 };

		poll(&p, 1, -1);
	}
	b = now_ns();
	phase(t, "poll", a, b, s.h_tid);
	if (read(fds[0], buf, 1) != 1)
		return 1;

	give(&s, JOB_HOLD_MUTEX, 25000000);
	while (!s.held)                       /* H holds the lock... */
		sleep_ns(1000000);
	a = now_ns();
	pthread_mutex_lock(&s.lock);          /* ...W sleeps until H unlocks */
	b = now_ns();
	pthread_mutex_unlock(&s.lock);
	phase(t, "futex", a, b, s.h_tid);

	a = now_ns();
	spin_ns(20000000);
	s.hog_go = 1;
	spin_ns(40000000);
	phase(t, "preempt", a, now_ns(), s.hog_tid);

	stop_fd = stopper(t);
	a = now_ns();
	spin_ns(60000000);
	b = now_ns();
	phase(t, "stopped", a, b, 0);
	if (stop_fd >= 0) {
		ssize_t n = read(stop_fd, stop_line, sizeof(stop_line) - 1);

		stop_line[n > 0 ? n : 0] = '\0';
		fprintf(t, "stop %s", stop_line);
		wait(NULL);
	}

	a = now_ns();
	give(&s, JOB_SEND, 15000000);
	{
		struct iovec iov = { buf, 1 };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

		recvmsg(sv[0], &msg, 0);
	}
	phase(t, "recvmsg", a, now_ns(), s.h_tid);

	a = now_ns();
	udp_burst();
	phase(t, "sendmsg", a, now_ns(), 0);

	give(&s, JOB_QUIT, 0);
	pthread_join(h, NULL);
	pthread_join(hg, NULL);
	fprintf(t, "hog %d\n", s.hog_tid);
	fclose(t);
	sleep_ns(200000000);     /* the last records reach the tracer */
	return 0;
}
