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
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "analysis.h"
#include "capture.h"
#include "compare.h"
#include "monitor_run.h"
#include "options.h"
#include "outfile.h"
#include "pcap_file.h"
#include "replay.h"
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

	if (a->dp_no_port)
		fprintf(stderr, "WARNING: %llu kernel %s set aside: no port map "
			"names %s port%s\n", (unsigned long long)a->dp_no_port,
			a->dp_no_port == 1 ? "upcall" : "upcalls",
			a->dp_no_port == 1 ? "its" : "their",
			r->had_map ? "" : " (the recording has no port map: "
					  "dpctl/show failed)");
	if (a->recv_no_port)
		fprintf(stderr, "WARNING: %llu %s set aside: no port in the flow "
			"key, and no port map names the datapath's\n",
			(unsigned long long)a->recv_no_port,
			a->recv_no_port == 1 ? "receive" : "receives");
	if (a->recv_before_dp)
		fprintf(stderr, "WARNING: %llu %s timestamped before %s kernel "
			"upcall (negative kernel_to_vswitchd latency)\n",
			(unsigned long long)a->recv_before_dp,
			a->recv_before_dp == 1 ? "receive is" : "receives are",
			a->recv_before_dp == 1 ? "its" : "their");
	if (a->suspect_sets)
		fprintf(stderr, "WARNING: %llu event %s in batches rebuilt out of "
			"step (lost events?): their put and execute are uncertain\n",
			(unsigned long long)a->suspect_sets,
			a->suspect_sets == 1 ? "set is" : "sets are");
	if (r->events_before_map)
		fprintf(stderr, "WARNING: %llu event %s before the first "
			"dp_port_map line %s ignored, as upcall_cost.py does\n",
			(unsigned long long)r->events_before_map,
			r->events_before_map == 1 ? "line" : "lines",
			r->events_before_map == 1 ? "was" : "were");
	if (r->handler_warning[0])
		fprintf(stderr, "WARNING: %s\n", r->handler_warning);
}

/* The files besides the report: created (empty) before any work, so a
 * bad path fails at once; they appear whole once committed. */
struct outputs {
	struct uc_outfile json, plot;
	struct uc_pcap_file pcap;/* --pcap, written as upcalls settle */
	bool have_pcap;
	FILE *text;              /* the text report: stdout, unless a file
				  * goes there */
};

static bool to_stdout(const char *path)
{
	return path && !strcmp(path, "-");
}

/* --pcap FILE: the section says what it holds; a live capture's also
 * the kernel it ran on, and its -P as the interfaces' snaplen. */
static int open_pcap(const struct uc_options *opt, struct outputs *o,
		     struct uc_error *err)
{
	char comment[PATH_MAX + 64];
	struct utsname u;
	bool live = !opt->read_events;
	struct uc_pcap_out_config cfg = {
		.snaplen = live ? opt->packet_size : 0,
		.os = live && !uname(&u) ? u.release : NULL,
		.app = "upcall_cost " UC_VERSION,
		.comment = comment,
	};

	snprintf(comment, sizeof(comment), "upcalls of %s", live ? "a live capture" :
		 opt->read_events);
	if (uc_pcap_file_open(&o->pcap, opt->pcap_path, &cfg, err))
		return -1;
	o->have_pcap = true;
	return 0;
}

static int open_outputs(const struct uc_options *opt, struct outputs *o,
			struct uc_error *err)
{
	memset(o, 0, sizeof(*o));
	o->text = to_stdout(opt->json_path) || to_stdout(opt->plot_path) ||
			  to_stdout(opt->write_events) || to_stdout(opt->pcap_path) ?
		  NULL : stdout;
	if (opt->json_path && uc_outfile_open(&o->json, opt->json_path, err))
		return -1;
	if (opt->plot_path && uc_outfile_open(&o->plot, opt->plot_path, err)) {
		uc_outfile_abort(&o->json);
		return -1;
	}
	if (opt->pcap_path && open_pcap(opt, o, err)) {
		uc_outfile_abort(&o->json);
		uc_outfile_abort(&o->plot);
		return -1;
	}
	return 0;
}

static struct uc_upcall_sink pcap_sink(struct outputs *o)
{
	return o->have_pcap ? uc_pcap_file_sink(&o->pcap) : (struct uc_upcall_sink){ 0 };
}

static int commit_outputs(struct outputs *o, struct uc_error *err)
{
	int ret = 0;

	if (o->json.f && uc_outfile_commit(&o->json, err))
		ret = -1;
	if (o->plot.f && uc_outfile_commit(&o->plot, ret ? &(struct uc_error){ { 0 } } : err))
		ret = -1;
	if (o->have_pcap) {
		o->have_pcap = false;
		if (uc_pcap_file_commit(&o->pcap, ret ? &(struct uc_error){ { 0 } } : err))
			ret = -1;
	}
	return ret;
}

static void abort_outputs(struct outputs *o)
{
	uc_outfile_abort(&o->json);
	uc_outfile_abort(&o->plot);
	if (o->have_pcap)
		uc_pcap_file_abort(&o->pcap);
	o->have_pcap = false;
}

/* The renderers the options ask for, each reading the one model, then
 * the files committed and standard output checked. */
static int render(const struct uc_report *r, const struct uc_options *opt,
		  struct outputs *o)
{
	struct uc_render_config cfg = {
		.buckets = opt->histogram_buckets,
		.sets = opt->sets,
		.debug = opt->debug,
		.compat = opt->compat,
		.json_out = o->json.f,
		.plot_out = o->plot.f,
	};
	struct uc_error err;

	if (o->text)
		uc_render_compat(o->text, r, &cfg);
	if (uc_render_extended(o->text, r, &cfg, &err)) {
		abort_outputs(o);
		return fail(&err);
	}
	warn_about(r);
	if (commit_outputs(o, &err))
		return fail(&err);
	return finish_stdout();
}

/* The filters of a recording, from the options. */
static void filter_config(const struct uc_options *opt, struct uc_filter_config *f)
{
	*f = (struct uc_filter_config){
		.since = opt->since, .until = opt->until, .port = opt->port,
		.handlers = opt->handler_filter,
	};
}

/* -r FILE, and with -w OUT a conversion: OUT is written as FILE is read. */
static int replay(const struct uc_options *opt)
{
	struct uc_trace_writer *w = NULL;
	struct uc_replay_config cfg = {
		.trace = {
			.handler_filter = opt->handler_filter,
			.stop = opt->stop,
		},
		.report = {
			.source = opt->read_events, .top = opt->top,
			.timeline = opt->plot_path != NULL,
		},
	};
	struct outputs o;
	struct uc_report r;
	struct uc_error err;
	int sink_rc, ret;

	if (open_outputs(opt, &o, &err))
		return fail(&err);
	cfg.trace.live_out = opt->quiet ? NULL : o.text;
	cfg.upcalls = pcap_sink(&o);
	filter_config(opt, &cfg.filter);
	if (opt->write_events) {
		/* OUT is replaced once FILE was read whole (at the close). */
		w = uc_trace_writer_open(opt->write_events, opt->write_format,
					 UC_WRITER_COMMIT_ON_CLOSE, &err);
		if (!w) {
			abort_outputs(&o);
			return fail(&err);
		}
		cfg.record = uc_trace_writer_sink(w);
	}
	if (!opt->quiet && o.text) {
		fprintf(o.text, "- Reading events from \"%s\"...\n\n", opt->read_events);
		uc_live_print_header(o.text);
	}
	ret = uc_replay(opt->read_events, &cfg, &r, &sink_rc, &err);
	/* A read that failed leaves OUT as it was. */
	if (w && ret)
		uc_trace_writer_abort(w);
	else if (w && uc_trace_writer_close(w, &err)) {
		uc_report_free(&r);
		ret = -1;
	}
	if (ret) {
		abort_outputs(&o);
		if (sink_rc == -EPIPE || stdout_gone())
			return 0;
		return fail(&err);
	}
	if (opt->quiet && o.text)
		fprintf(o.text, "- Reading events from \"%s\"...\n", opt->read_events);
	ret = render(&r, opt, &o);
	uc_report_free(&r);
	return ret;
}

/* Settles a live capture's analysis and computes its report. */
static int live_report(struct uc_analysis *a, const struct uc_options *opt,
		       struct outputs *o)
{
	struct uc_report_config cfg = {
		.top = opt->top,
		.timeline = opt->plot_path != NULL,
	};
	struct uc_report r;
	struct uc_error err;
	int ret;

	if (uc_analysis_finish(a)) {
		abort_outputs(o);
		uc_error_set(&err, "out of memory while correlating %llu events",
			     (unsigned long long)a->trace.n_usable);
		return fail(&err);
	}
	if (uc_report_compute(&r, a, &cfg, &err)) {
		abort_outputs(o);
		return fail(&err);
	}
	ret = render(&r, opt, o);
	uc_report_free(&r);
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
	struct uc_trace_config cfg = { 0 };
	struct uc_sink_tee tee = { 0 };
	struct uc_event_sink sink;
	struct uc_analysis a;
	struct outputs o;
	struct uc_error err, cap_err = { { 0 } }, w_err = { { 0 } };
	int cap_ret, w_ret = 0, ret;

	if (open_outputs(opt, &o, &err))
		return fail(&err);
	/* The file is replaced only once every probe is attached. */
	if (opt->write_events &&
	    !(w = uc_trace_writer_open(opt->write_events, opt->write_format,
				       UC_WRITER_COMMIT_ON_INFO, &err))) {
		abort_outputs(&o);
		return fail(&err);
	}
	cfg.live_out = opt->quiet ? NULL : o.text;
	if (uc_analysis_init(&a, &cfg)) {
		uc_trace_writer_abort(w);
		abort_outputs(&o);
		uc_error_set(&err, "out of memory");
		return fail(&err);
	}
	uc_analysis_on_upcall(&a, pcap_sink(&o));
	tee.a = uc_analysis_sink(&a);
	if (w)
		tee.b = uc_trace_writer_sink(w);
	sink = uc_sink_tee(&tee);
	cap_ret = uc_capture_run(opt, &sink, &stats, &cap_err);
	if (w)
		w_ret = uc_trace_writer_close(w, &w_err);
	if (cap_ret && !stats.events_received) {
		uc_analysis_free(&a);
		abort_outputs(&o);
		if (w_ret)
			fprintf(stderr, "ERROR: %s\n", w_err.msg);
		return fail(&cap_err);
	}
	if (o.text)
		putchar('\n');
	ret = live_report(&a, opt, &o);
	uc_analysis_free(&a);
	/* Both errors are said: the capture's and the file's. */
	if (w_ret)
		ret = fail(&w_err);
	if (cap_ret)
		ret = fail(&cap_err);
	return ret;
}

static int compare(const struct uc_options *opt)
{
	struct uc_compare_config cfg = {
		.paths = opt->compare,
		.n = (size_t)opt->n_compare,
		.replay = {
			.trace = { .handler_filter = opt->handler_filter,
				   .stop = opt->stop },
			.report = { .top = opt->top },
		},
	};
	struct outputs o;
	struct uc_error err;

	if (open_outputs(opt, &o, &err))
		return fail(&err);
	filter_config(opt, &cfg.replay.filter);
	cfg.json_out = o.json.f;
	cfg.plot_out = o.plot.f;
	if (uc_compare_run(o.text, &cfg, &err)) {
		abort_outputs(&o);
		return fail(&err);
	}
	if (commit_outputs(&o, &err))
		return fail(&err);
	return finish_stdout();
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
		printf("upcall_cost %s\nlibbpf %u.%u\n", UC_VERSION,
		       libbpf_major_version(), libbpf_minor_version());
		return finish_stdout();
	}
	if (opt.check) {
		struct uc_capture_config cfg;
		int rc;

		uc_capture_config_init(&cfg, &opt);
		rc = uc_capture_check(&cfg, stdout);
		return finish_stdout() ? EXIT_ERROR : rc;
	}
	if (opt.n_compare)
		return compare(&opt);
	if (opt.monitor)
		return uc_monitor_run(&opt, &err) ? fail(&err) : 0;
	if (opt.read_events) {
		/* Large buffered writes: replayed live lines can be many. */
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
		return replay(&opt);
	}
	return live(&opt);
}
