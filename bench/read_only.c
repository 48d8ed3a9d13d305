/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * read_only - reads an event file (either format) into a sink that only
 * counts, and prints how long that took.  bench/run.sh sets this against
 * `upcall_cost -q -r` on the same file to separate parsing from analysis.
 *
 *   usage: read_only FILE
 *   output: events=N bytes=B seconds=S
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "trace_file.h"

struct counts {
	uint64_t events, maps, missed;
	uint64_t touch;    /* folds every captured byte in, so none is skipped */
};

static int count_map(void *ctx, const struct uc_port_map *map)
{
	(void)map;
	((struct counts *)ctx)->maps++;
	return 0;
}

static int count_event(void *ctx, const struct uc_raw_event *ev)
{
	struct counts *c = ctx;

	c->events++;
	c->touch += ev->ts + ev->pkt_cap + ev->key_cap;
	if (ev->pkt_cap)
		c->touch += ev->pkt[ev->pkt_cap - 1];
	return 0;
}

static int count_missed(void *ctx, uint32_t type, uint64_t n)
{
	(void)type;
	((struct counts *)ctx)->missed += n;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct counts c = { 0 };
	struct uc_event_sink sink = {
		.ctx = &c, .on_port_map = count_map, .on_event = count_event,
		.on_missed = count_missed,
	};
	struct uc_error err = { "" };
	struct stat st;
	double t0, t1;

	if (argc != 2) {
		fprintf(stderr, "usage: read_only FILE\n");
		return 2;
	}
	if (stat(argv[1], &st)) {
		perror(argv[1]);
		return 1;
	}
	t0 = now();
	if (uc_trace_read(argv[1], &sink, &err)) {
		fprintf(stderr, "ERROR: %s\n", err.msg);
		return 1;
	}
	t1 = now();
	printf("events=%llu bytes=%lld seconds=%.6f touch=%llu\n",
	       (unsigned long long)c.events, (long long)st.st_size, t1 - t0,
	       (unsigned long long)(c.touch & 0xff));
	return 0;
}
