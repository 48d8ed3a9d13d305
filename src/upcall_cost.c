/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * upcall_cost - measures what an Open vSwitch upcall costs.
 *
 * main() wires the parts together: options, then a source of events (a
 * live capture, capture.c, the only BPF code; or a recorded file,
 * trace_file.h) feeding the analysis (analysis.h) and, with -w, a file
 * writer; then the report model is computed once (report_model.h) and
 * handed to each renderer the options ask for.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "capture.h"
#include "compare.h"
#include "options.h"
#include "report_model.h"
#include "report_render.h"
#include "sink_tee.h"
#include "trace_file.h"

#define EXIT_ERROR 1

static int fail(const struct uc_error *err)
{
	fflush(stdout);
	fprintf(stderr, "ERROR: %s\n", err->msg);
	return EXIT_ERROR;
}

/* Was standard output a pipe whose reader went away (`| head`)?  Then
 * the run ends quietly, as for any filter. */
static bool stdout_gone(void)
{
	errno = 0;
	return (fflush(stdout) || ferror(stdout)) && errno == EPIPE;
}

/* Every report line must have reached standard output. */
static int finish_stdout(void)
{
	struct uc_error err;

	errno = 0;
	if (!fflush(stdout) && !ferror(stdout))
		return 0;
	if (errno == EPIPE)
		return 0;
	uc_error_set(&err, "writing the report to standard output: %s",
		     strerror(errno ? errno : EIO));
	fprintf(stderr, "ERROR: %s\n", err.msg);
	return EXIT_ERROR;
}

/* What the analysis set aside or doubts, said once on stderr. */
static void warn_about(const struct uc_report *r)
{
	const struct uc_accounting *a = &r->ext.acct;

	if (a->dp_no_port || a->recv_no_port)
		fprintf(stderr, "WARNING: %llu kernel %s and %llu %s set aside: "
			"no port map names their port%s\n",
			(unsigned long long)a->dp_no_port,
			a->dp_no_port == 1 ? "upcall" : "upcalls",
			(unsigned long long)a->recv_no_port,
			a->recv_no_port == 1 ? "receive" : "receives",
			r->had_map ? "" : " (the recording has no port map: "
					  "dpctl/show failed)");
	if (a->recv_before_dp)
		fprintf(stderr, "WARNING: %llu %s timestamped before %s kernel "
			"upcall (negative kernel_to_vswitchd latency)\n",
			(unsigned long long)a->recv_before_dp,
			a->recv_before_dp == 1 ? "receive is" : "receives are",
			a->recv_before_dp == 1 ? "its" : "their");
}

/* The renderers the options ask for, each reading the one model. */
static int render(const struct uc_report *r, const struct uc_options *opt,
		  struct uc_error *err)
{
	struct uc_render_config cfg = {
		.buckets = opt->histogram_buckets,
		.sets = opt->sets,
		.debug = opt->debug,
		.compat = opt->compat,
		.json_path = opt->json_path,
		.plot_path = opt->plot_path,
	};

	uc_render_compat(stdout, r, &cfg);
	if (uc_render_extended(stdout, r, &cfg, err))
		return -1;
	warn_about(r);
	return 0;
}

/* Settles the analysis, computes the report and renders it. */
static int report(struct uc_analysis *a, const struct uc_options *opt)
{
	struct uc_report_config cfg = {
		.source = opt->read_events,
		.top = opt->top,
		.timeline = opt->plot_path != NULL,
	};
	struct uc_report r;
	struct uc_error err;
	int ret;

	if (uc_analysis_finish(a)) {
		uc_error_set(&err, "out of memory while correlating %llu events",
			     (unsigned long long)a->trace.n_usable);
		return fail(&err);
	}
	if (uc_report_compute(&r, a, &cfg, &err))
		return fail(&err);
	ret = render(&r, opt, &err);
	uc_report_free(&r);
	if (ret)
		return fail(&err);
	return finish_stdout();
}

static void trace_config(const struct uc_options *opt, bool replay,
			 struct uc_trace_config *cfg)
{
	cfg->handler_filter = opt->handler_filter;
	cfg->stop = replay ? opt->stop : 0;   /* live: capture stops itself */
	cfg->live_out = opt->quiet ? NULL : stdout;
}

/* The analysis sink, teed into the -w writer when there is one. */
static struct uc_event_sink sources_sink(struct uc_analysis *a,
					 struct uc_trace_writer *w,
					 struct uc_sink_tee *tee)
{
	tee->a = uc_analysis_sink(a);
	tee->b = w ? uc_trace_writer_sink(w) : (struct uc_event_sink){ 0 };
	return uc_sink_tee(tee);
}

/* -r FILE, and with -w OUT a conversion: OUT is written as FILE is read. */
static int replay(const struct uc_options *opt)
{
	struct uc_trace_writer *w = NULL;
	struct uc_trace_config cfg;
	struct uc_event_sink sink;
	struct uc_sink_tee tee;
	struct uc_analysis a;
	struct uc_error err;
	int ret;

	trace_config(opt, true, &cfg);
	if (opt->write_events &&
	    !(w = uc_trace_writer_open(opt->write_events, opt->write_format, &err)))
		return fail(&err);
	if (uc_analysis_init(&a, &cfg)) {
		uc_trace_writer_close(w, &err);
		uc_error_set(&err, "out of memory");
		return fail(&err);
	}
	sink = sources_sink(&a, w, &tee);
	if (!opt->quiet) {
		printf("- Reading events from \"%s\"...\n\n", opt->read_events);
		uc_live_print_header(stdout);
	}
	ret = uc_trace_read(opt->read_events, &sink, &err);
	if (ret && stdout_gone()) {
		uc_trace_writer_close(w, &err);
		uc_analysis_free(&a);
		return 0;
	}
	if (w && uc_trace_writer_close(w, ret ? &(struct uc_error){ { 0 } } : &err))
		ret = -1;
	if (ret) {
		uc_analysis_free(&a);
		return fail(&err);
	}
	if (opt->quiet)
		printf("- Reading events from \"%s\"...\n", opt->read_events);
	ret = report(&a, opt);
	uc_analysis_free(&a);
	return ret;
}

/*
 * Live capture.  Whatever happens (Ctrl-C, -s, an error during capture),
 * what was received is in the analysis and in the -w file, which is
 * closed with its trailer, and the report is printed.
 */
static int live(const struct uc_options *opt)
{
	struct uc_trace_writer *w = NULL;
	struct uc_capture_stats stats = { 0 };
	struct uc_trace_config cfg;
	struct uc_sink_tee tee;
	struct uc_event_sink sink;
	struct uc_analysis a;
	struct uc_error err, cap_err = { { 0 } }, w_err = { { 0 } };
	int cap_ret, w_ret = 0, ret;

	if (opt->write_events &&
	    !(w = uc_trace_writer_open(opt->write_events, opt->write_format, &err)))
		return fail(&err);
	trace_config(opt, false, &cfg);
	if (uc_analysis_init(&a, &cfg)) {
		uc_trace_writer_close(w, &err);
		uc_error_set(&err, "out of memory");
		return fail(&err);
	}
	sink = sources_sink(&a, w, &tee);
	cap_ret = uc_capture_run(opt, &sink, &stats, &cap_err);
	if (w)
		w_ret = uc_trace_writer_close(w, &w_err);
	if (cap_ret && !stats.events_received) {
		uc_analysis_free(&a);
		if (w_ret)
			fprintf(stderr, "ERROR: %s\n", w_err.msg);
		return fail(&cap_err);
	}
	putchar('\n');
	ret = report(&a, opt);
	uc_analysis_free(&a);
	/* Both errors are said: the capture's and the file's. */
	if (w_ret)
		ret = fail(&w_err);
	if (cap_ret)
		ret = fail(&cap_err);
	return ret;
}

int main(int argc, char **argv)
{
	struct uc_options opt;
	struct uc_error err;

	/* A closed pipe is an EPIPE to handle (the capture still closes its
	 * -w file), not a signal that kills. */
	signal(SIGPIPE, SIG_IGN);
	uc_options_init(&opt);
	if (uc_options_parse(&opt, argc, argv, &err))
		return fail(&err);
	if (opt.help) {
		fputs(uc_options_usage(), stdout);
		return finish_stdout();
	}
	if (opt.version) {
		printf("upcall_cost %s\n", UC_VERSION);
		return finish_stdout();
	}
	if (opt.n_compare) {
		if (uc_compare_run(stdout, &opt, &err))
			return fail(&err);
		return finish_stdout();
	}
	if (opt.read_events) {
		/* Large buffered writes: replayed live lines can be many. */
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
		return replay(&opt);
	}
	return live(&opt);
}
