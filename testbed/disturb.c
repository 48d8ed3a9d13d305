// SPDX-License-Identifier: BSD-2-Clause
/*
 * testbed/disturb.c - the causes the testbed injects on purpose, each
 * writing down when it acted (CLOCK_MONOTONIC, the clock of the
 * capture's timestamps), so that the explanation of every upcall can be
 * checked against it.
 *
 *   disturb hog -c CPU -b BUSY_MS -p PERIOD_MS -T SECONDS -o FILE
 *       A SCHED_FIFO (priority 50) thread pinned on CPU, busy BUSY_MS in
 *       every PERIOD_MS for SECONDS: FILE gets "busy START END" per busy
 *       stretch, and "hog TID".
 *   disturb stop -t PID -m MS -o FILE
 *       SIGSTOP to PID, MS milliseconds, SIGCONT: FILE gets
 *       "stop STOPPER_PID START END".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_until(uint64_t t)
{
	struct timespec ts = { (time_t)(t / 1000000000ull), (long)(t % 1000000000ull) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int hog(int cpu, uint64_t busy, uint64_t period, uint64_t total, FILE *o)
{
	struct sched_param sp = { .sched_priority = 50 };
	cpu_set_t set;
	uint64_t start = now_ns(), t;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) ||
	    sched_setscheduler(0, SCHED_FIFO, &sp)) {
		fprintf(stderr, "disturb: cannot pin or raise the hog: %s\n", strerror(errno));
		return 1;
	}
	fprintf(o, "hog %ld\n", (long)syscall(SYS_gettid));
	for (t = start; t + period <= start + total; t += period) {
		uint64_t a, b;

		sleep_until(t);
		a = now_ns();
		while (now_ns() < a + busy)
			;
		b = now_ns();
		fprintf(o, "busy %llu %llu\n", (unsigned long long)a, (unsigned long long)b);
	}
	return 0;
}

static int stop(long pid, uint64_t ms, FILE *o)
{
	uint64_t a, b;

	a = now_ns();
	if (kill((pid_t)pid, SIGSTOP))
		return fprintf(stderr, "disturb: SIGSTOP: %s\n", strerror(errno)), 1;
	sleep_until(a + ms * 1000000ull);
	b = now_ns();
	kill((pid_t)pid, SIGCONT);
	fprintf(o, "stop %ld %llu %llu\n", (long)getpid(), (unsigned long long)a,
		(unsigned long long)b);
	return 0;
}

int main(int argc, char **argv)
{
	long cpu = 1, busy = 10, period = 20, pid = 0, ms = 200;
	double seconds = 10;
	const char *out = NULL;
	FILE *o;
	int c, rc;

	if (argc < 2)
		return 2;
	optind = 2;
	while ((c = getopt(argc, argv, "c:b:p:t:T:o:m:")) != -1) {
		switch (c) {
		case 'c': cpu = atol(optarg); break;
		case 'b': busy = atol(optarg); break;
		case 'p': period = atol(optarg); break;
		case 't': pid = atol(optarg); break;
		case 'T': seconds = atof(optarg); break;
		case 'm': ms = atol(optarg); break;
		case 'o': out = optarg; break;
		default: return 2;
		}
	}
	o = out ? fopen(out, "w") : stdout;
	if (!o)
		return 1;
	if (!strcmp(argv[1], "hog"))
		rc = hog((int)cpu, (uint64_t)busy * 1000000ull, (uint64_t)period * 1000000ull,
			 (uint64_t)(seconds * 1e9), o);
	else if (!strcmp(argv[1], "stop"))
		rc = stop(pid, (uint64_t)ms, o);
	else
		rc = 2;
	fclose(o);
	return rc;
}
