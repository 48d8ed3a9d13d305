/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * upcall_cost - measures what an Open vSwitch upcall costs.
 *
 * main() wires the parts together: options, then either a live capture
 * (capture.c, the only BPF code) or a recorded file (trace_file.h), into a
 * trace (trace.c), which is correlated (correlate.c) and reported
 * (report.c, and the extended statistics unless --compat).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "compare.h"
#include "correlate.h"
#include "metrics.h"
#include "options.h"
#include "report.h"
#include "report_ext.h"
#include "sink_tee.h"
#include "trace.h"
#include "trace_file.h"

#define EXIT_ERROR 1

static int fail(const struct uc_error *err)
{
	fflush(stdout);
	fprintf(stderr, "ERROR: %s\n", err->msg);
	return EXIT_ERROR;
}

/* Correlates the trace and prints the report. */
static int analyze(struct uc_trace *t, const struct uc_options *opt)
{
	struct uc_report_opts ropts = {
		.buckets = opt->histogram_buckets,
		.sets = opt->sets,
		.debug = opt->debug,
	};
	struct uc_metric m[UC_M_COUNT];
	struct uc_correlation c;
	struct uc_error err;
	int ret;

	uc_report_events(stdout, t);
	if (uc_correlate(t, &c) || uc_metrics_compute(t, &c, m)) {
		uc_correlation_free(&c);
		uc_error_set(&err, "out of memory while correlating %zu events", t->n);
		return fail(&err);
	}
	uc_report_matching(stdout, &c);
	uc_report_sets(stdout, t, &c, m, &ropts);
	ret = uc_ext_report(stdout, t, &c, m, opt, &err);
	uc_metrics_free(m);
	uc_correlation_free(&c);
	return ret ? fail(&err) : 0;
}

static void trace_config(const struct uc_options *opt, bool replay,
			 struct uc_trace_config *cfg)
{
	cfg->handler_filter = opt->handler_filter;
	cfg->stop = replay ? opt->stop : 0;   /* live: capture stops itself */
	cfg->live_out = opt->quiet ? NULL : stdout;
}

static int replay(const struct uc_options *opt)
{
	struct uc_trace_config cfg;
	struct uc_event_sink sink;
	struct uc_trace t;
	struct uc_error err;
	int ret;

	trace_config(opt, true, &cfg);
	uc_trace_init(&t, &cfg);
	sink = uc_trace_sink(&t);
	if (!opt->quiet) {
		printf("- Reading events from \"%s\"...\n\n", opt->read_events);
		uc_live_print_header(stdout);
	}
	if (uc_trace_read(opt->read_events, &sink, &err)) {
		uc_trace_free(&t);
		return fail(&err);
	}
	if (opt->quiet)
		printf("- Reading events from \"%s\"...\n", opt->read_events);
	ret = analyze(&t, opt);
	uc_trace_free(&t);
	return ret;
}

/*
 * Live capture.  Whatever happens (Ctrl-C, -s, an error during capture),
 * what was received is in the trace and in the -w file, which is closed
 * with its trailer, and the report is printed.
 */
static int live(const struct uc_options *opt)
{
	struct uc_trace_config cfg;
	struct uc_trace_writer *w = NULL;
	struct uc_capture_stats stats = { 0 };
	struct uc_sink_tee tee = { 0 };
	struct uc_event_sink sink;
	struct uc_trace t;
	struct uc_error err, cap_err = { { 0 } };
	int cap_ret, ret = 0;

	if (opt->write_events) {
		/* The file is replaced only once every probe is attached. */
		w = uc_trace_writer_open(opt->write_events, opt->write_format,
					 UC_WRITER_COMMIT_ON_INFO, &err);
		if (!w)
			return fail(&err);
	}
	trace_config(opt, false, &cfg);
	uc_trace_init(&t, &cfg);
	tee.a = uc_trace_sink(&t);
	if (w)
		tee.b = uc_trace_writer_sink(w);
	sink = uc_sink_tee(&tee);
	cap_ret = uc_capture_run(opt, &sink, &stats, &cap_err);
	if (w && uc_trace_writer_close(w, &err) && !cap_ret) {
		uc_trace_free(&t);
		return fail(&err);
	}
	if (cap_ret && !stats.events_received) {
		uc_trace_free(&t);
		return fail(&cap_err);
	}
	putchar('\n');
	ret = analyze(&t, opt);
	uc_trace_free(&t);
	if (cap_ret)
		return fail(&cap_err);
	return ret;
}

int main(int argc, char **argv)
{
	struct uc_options opt;
	struct uc_error err;

	uc_options_init(&opt);
	if (uc_options_parse(&opt, argc, argv, &err))
		return fail(&err);
	if (opt.help) {
		fputs(uc_options_usage(), stdout);
		return 0;
	}
	if (opt.version) {
		printf("upcall_cost %s\n", UC_VERSION);
		return 0;
	}
	if (opt.n_compare)
		return uc_compare_run(stdout, &opt, &err) ? fail(&err) : 0;
	if (opt.read_events) {
		/* Large buffered writes: replayed live lines can be many. */
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
		return replay(&opt);
	}
	return live(&opt);
}
