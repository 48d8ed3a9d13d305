// SPDX-License-Identifier: BSD-2-Clause
/*
 * ctxbench - what --explain's probes cost a thread (bench/explain.sh):
 * two threads, named "handler1" and "handler2" as OVS names its handler
 * threads, pass a byte through two pipes N times on one CPU: each round
 * trip is 2 context switches, 2 reads and 2 writes.  Prints the CPU time
 * (user + system, both threads: the BPF programs run in their context)
 * and the wall time per round trip.
 *
 *   ctxbench [-n ROUNDS] [-g GOFILE]
 *     -g: prints "ready PID", then waits until GOFILE exists (the capture
 *     is attached) before the timed rounds.
 *
 * The binary carries ovs-vswitchd's three upcall USDT probes in a
 * function that never runs, only so that a capture accepts it as its
 * target (it checks the probes are there): traced as a handler, it
 * measures what a traced handler pays per record.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sdt.h>
#include <time.h>
#include <unistd.h>

static int a[2], b[2];
static long rounds = 200000;

void ctxbench_never_called(char *p);
void ctxbench_never_called(char *p)
{
	DTRACE_PROBE6(dpif_recv, recv_upcall, p, 1, p, 0, p, 0);
	DTRACE_PROBE4(dpif_netlink_operate__, op_flow_put, p, p, p, p);
	DTRACE_PROBE5(dpif_netlink_operate__, op_flow_execute, p, p, p, 0, p);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *echo(void *arg)
{
	char c;

	(void)arg;
	prctl(PR_SET_NAME, "handler2");
	pin(0);
	for (long i = 0; i < rounds; i++)
		if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1)
			break;
	return NULL;
}

static double secs(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage r0, r1;
	const char *go = NULL;
	pthread_t th;
	char c = 'x';
	int opt;

	while ((opt = getopt(argc, argv, "n:g:")) != -1) {
		if (opt == 'n')
			rounds = atol(optarg);
		else if (opt == 'g')
			go = optarg;
		else
			return 2;
	}
	if (rounds <= 0 || pipe(a) || pipe(b))
		return 2;
	prctl(PR_SET_NAME, "handler1");
	pin(0);            /* one CPU: every pass is a real switch */
	/* (both threads exist before the capture attaches: it follows the
	 * handler threads it finds then) */
	if (pthread_create(&th, NULL, echo, NULL))
		return 1;
	if (go) {
		printf("ready %d\n", getpid());
		fflush(stdout);
		while (access(go, F_OK))
			usleep(10000);
	}
	getrusage(RUSAGE_SELF, &r0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < rounds; i++)
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			break;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(th, NULL);
	getrusage(RUSAGE_SELF, &r1);
	printf("rounds=%ld cpu_ns=%.1f wall_ns=%.1f\n", rounds,
	       (secs(&r1.ru_utime) + secs(&r1.ru_stime) - secs(&r0.ru_utime) -
		secs(&r0.ru_stime)) * 1e9 / (double)rounds,
	       ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) /
		       (double)rounds);
	return 0;
}
