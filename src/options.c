/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * options.c - the command line.  Accepted forms, as with Python's argparse:
 * "-P 128", "-P128", "--packet-size 128", "--packet-size=128", and any
 * unambiguous prefix of a long option ("--packet").  Every number is
 * checked with an end pointer and a range; every error is one line.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

enum opt_id {
	O_BUCKETS, O_PAGES, O_DEBUG, O_KEY_SIZE, O_HANDLER_FILTER, O_PKT_SIZE,
	O_PID, O_QUIET, O_READ, O_SETS, O_STOP, O_WRITE, O_WRITE_FORMAT,
	O_PROBES, O_VERBOSE, O_COMPAT, O_TOP, O_JSON, O_PLOT, O_COMPARE,
	O_SINCE, O_UNTIL, O_PORT, O_HELP, O_VERSION, O_BTF, O_CHECK,
	O_EXPLAIN, O_MISS_REASONS, O_PCAP,
	O_MONITOR, O_INTERVAL, O_COUNT, O_JSON_LINES, O_METRICS,
	O_METRICS_BUCKETS, O_MAX_PORTS, O_MAX_HANDLERS, O_INFLIGHT,
	O_INFLIGHT_TIMEOUT, O_TRIGGER, O_RECORD, O_RECORD_KEEP, O_RECORD_DIR,
};

enum arg_kind { NO_ARG, REQ_ARG, OPT_INT_ARG, LIST_ARG };

static const struct opt_def {
	enum opt_id id;
	char short_name;
	const char *long_name;
	enum arg_kind arg;
} defs[] = {
	{ O_BUCKETS, 'b', "histogram-buckets", REQ_ARG },
	{ O_PAGES, 0, "buffer-page-count", REQ_ARG },
	{ O_DEBUG, 'D', "debug", OPT_INT_ARG },
	{ O_KEY_SIZE, 'f', "flow-key-size", REQ_ARG },
	{ O_HANDLER_FILTER, 0, "handler-filter", REQ_ARG },
	{ O_PKT_SIZE, 'P', "packet-size", REQ_ARG },
	{ O_PID, 'p', "pid", REQ_ARG },
	{ O_QUIET, 'q', "quiet", NO_ARG },
	{ O_READ, 'r', "read-events", REQ_ARG },
	{ O_SETS, 0, "sets", NO_ARG },
	{ O_STOP, 's', "stop", REQ_ARG },
	{ O_WRITE, 'w', "write-events", REQ_ARG },
	{ O_WRITE_FORMAT, 0, "write-format", REQ_ARG },
	{ O_PROBES, 0, "probes", REQ_ARG },
	{ O_VERBOSE, 'v', "verbose", NO_ARG },
	{ O_COMPAT, 0, "compat", NO_ARG },
	{ O_TOP, 0, "top", REQ_ARG },
	{ O_JSON, 0, "json", REQ_ARG },
	{ O_PLOT, 0, "plot", REQ_ARG },
	{ O_COMPARE, 0, "compare", LIST_ARG },
	{ O_SINCE, 0, "since", REQ_ARG },
	{ O_UNTIL, 0, "until", REQ_ARG },
	{ O_PORT, 0, "port", REQ_ARG },
	{ O_HELP, 'h', "help", NO_ARG },
	{ O_VERSION, 0, "version", NO_ARG },
	{ O_CHECK, 0, "check", NO_ARG },
	{ O_BTF, 0, "btf", REQ_ARG },
	{ O_EXPLAIN, 0, "explain", NO_ARG },
	{ O_MISS_REASONS, 0, "miss-reasons", NO_ARG },
	{ O_PCAP, 0, "pcap", REQ_ARG },
	{ O_MONITOR, 0, "monitor", NO_ARG },
	{ O_INTERVAL, 0, "interval", REQ_ARG },
	{ O_COUNT, 0, "count", REQ_ARG },
	{ O_JSON_LINES, 0, "json-lines", NO_ARG },
	{ O_METRICS, 0, "metrics", REQ_ARG },
	{ O_METRICS_BUCKETS, 0, "metrics-buckets", REQ_ARG },
	{ O_MAX_PORTS, 0, "max-ports", REQ_ARG },
	{ O_MAX_HANDLERS, 0, "max-handlers", REQ_ARG },
	{ O_INFLIGHT, 0, "inflight", REQ_ARG },
	{ O_INFLIGHT_TIMEOUT, 0, "inflight-timeout", REQ_ARG },
	{ O_TRIGGER, 0, "trigger", REQ_ARG },
	{ O_RECORD, 0, "record", REQ_ARG },
	{ O_RECORD_KEEP, 0, "record-keep", REQ_ARG },
	{ O_RECORD_DIR, 0, "record-dir", REQ_ARG },
};

#define N_DEFS (sizeof(defs) / sizeof(defs[0]))

static const char usage[] =
	"usage: upcall_cost [-h] [-b BUCKETS] [--buffer-page-count NUMBER]\n"
	"                   [-D [DEBUG]] [-f [64-2048]] [--handler-filter HANDLERS]\n"
	"                   [-P [64-2048]] [-p VSWITCHD_PID] [-q] [-r FILE] [--sets]\n"
	"                   [-s EVENTS] [-w FILE] [--write-format native|py]\n"
	"                   [--probes kernel|user|all] [--btf FILE] [-v] [--compat]\n"
	"                   [--top N] [--json FILE] [--plot FILE.svg]\n"
	"                   [--compare A B ...] [--since TIME] [--until TIME]\n"
	"                   [--port PORT] [--explain] [--miss-reasons] [--pcap FILE]\n"
	"                   [--check] [--version]\n"
	"       upcall_cost --monitor [--interval S] [--count N] [--json-lines]\n"
	"                   [--metrics [ADDR:]PORT] [--metrics-buckets LIST]\n"
	"                   [--max-ports N] [--max-handlers N] [--inflight N]\n"
	"                   [--inflight-timeout S] [--trigger EXPR ...] [--record S]\n"
	"                   [--record-keep N] [--record-dir DIR] [-p PID] [-P N]\n"
	"                   [--probes kernel|user|all] [--btf FILE] [-q] [-v]\n"
	"\n"
	"Measure the cost of Open vSwitch kernel-datapath upcalls.\n"
	"\n"
	"options:\n"
	"  -h, --help            show this help message and exit\n"
	"  -b BUCKETS, --histogram-buckets BUCKETS\n"
	"                        Number of buckets per histogram, default 20\n"
	"  --buffer-page-count NUMBER\n"
	"                        Number of BPF ring buffer pages, default 1024\n"
	"  -D [DEBUG], --debug [DEBUG]\n"
	"                        Debug flags (0x1000000: list each event set)\n"
	"  -f [64-2048], --flow-key-size [64-2048]\n"
	"                        Set maximum flow key size to capture, default 64\n"
	"  --handler-filter HANDLERS\n"
	"                        Post processing handler thread filter\n"
	"  -P [64-2048], --packet-size [64-2048]\n"
	"                        Set maximum packet size to capture, default 256\n"
	"  -p VSWITCHD_PID, --pid VSWITCHD_PID\n"
	"                        ovs-vswitch's PID\n"
	"  -q, --quiet           Do not show individual events\n"
	"  -r FILE, --read-events FILE\n"
	"                        Read events from FILE instead of installing\n"
	"                        tracepoints (either file format; - for standard\n"
	"                        input)\n"
	"  --sets                Dump content of data sets\n"
	"  -s EVENTS, --stop EVENTS\n"
	"                        Stop after receiving EVENTS number of trace events\n"
	"  -w FILE, --write-events FILE\n"
	"                        Write events to FILE (with -r: convert)\n"
	"  --write-format native|py\n"
	"                        Format of -w: native (default) or upcall_cost.py's\n"
	"  --probes kernel|user|all\n"
	"                        Probes to attach, default all\n"
	"  --btf FILE            Types of the openvswitch module, for kernels whose\n"
	"                        modules have no BTF (Linux 5.10): see the README\n"
	"  -v, --verbose         Show the BPF variant chosen, and libbpf's messages\n"
	"  --compat              Print only what upcall_cost.py prints\n"
	"  --top N               List the N slowest upcalls, default 10\n"
	"  --json FILE           Write the whole report as JSON to FILE (- for\n"
	"                        standard output, instead of the text report)\n"
	"  --plot FILE.svg       Draw the latency and batch figures to FILE\n"
	"  --compare A B ...     Compare the event files A, B, ... side by side\n"
	"  --since TIME          With -r: only events from TIME on (seconds after\n"
	"                        the first event, or YYYY-MM-DDTHH:MM:SS[.f][Z])\n"
	"  --until TIME          With -r: only events before TIME\n"
	"  --port PORT           With -r: only kernel upcalls of this datapath port\n"
	"                        (name or number; comma separated)\n"
	"  --explain             Also trace the handlers' scheduling, IRQs and\n"
	"                        syscalls: where each upcall's time went\n"
	"  --miss-reasons        Also trace the revalidators' flow results (OVS 3.4+):\n"
	"                        why each deleted flow was deleted\n"
	"  --pcap FILE           Write every upcalled packet to FILE (pcapng), with\n"
	"                        its latencies, verdict and class as a comment\n"
	"  --check               Tell what this host offers a capture (BTF, module,\n"
	"                        tracepoint, hooks, ovs-vswitchd, USDT probes,\n"
	"                        privileges, the variant) without capturing\n"
	"  --version             Print the version and exit\n"
	"\n"
	"monitor mode (the correlation runs in BPF; only histograms and counters\n"
	"leave the kernel):\n"
	"  --monitor             Monitor continuously instead of tracing every event\n"
	"  --interval S          Print a line (or a JSON line) every S seconds, default 1\n"
	"  --count N             Stop after N intervals, default: until stopped\n"
	"  --json-lines          Print JSON lines instead of the terminal lines\n"
	"  --metrics [ADDR:]PORT Serve Prometheus/OpenMetrics metrics at\n"
	"                        http://ADDR:PORT/metrics (all addresses without ADDR)\n"
	"  --metrics-buckets LIST\n"
	"                        Histogram bounds exported, e.g. 10us,1ms,1s; default\n"
	"                        1-2-5 from 10us to 10s\n"
	"  --max-ports N         Datapath ports broken down before \"other\", default 16\n"
	"  --max-handlers N      Handler threads broken down before \"other\", default 16\n"
	"  --inflight N          Kernel upcalls that can wait for vswitchd, default 16384\n"
	"  --inflight-timeout S  An upcall not received in S seconds expires, default 30\n"
	"  -P N                  (monitor) packet bytes hashed to match upcalls, default 64\n"
	"  -q                    (monitor) no interval lines, only --metrics\n"
	"  --trigger EXPR        Flight recorder: when EXPR holds for an interval,\n"
	"                        record every event to a file in --record-dir for\n"
	"                        --record seconds, beside the monitor.\n"
	"                        EXPR: p50|p90|p99|p99.9|max|mean[:SEGMENT]>DURATION\n"
	"                        (SEGMENT default total), or lost|unmatched|upcalls|\n"
	"                        receives>N (per interval); >= as well as >;\n"
	"                        e.g. p99>5ms, max:lookup>=200ms, lost>0\n"
	"  --record S            Length of a recording, default 10\n"
	"  --record-keep N       Recordings kept in --record-dir (the oldest are\n"
	"                        removed), default 10\n"
	"  --record-dir DIR      Where recordings go, default the current directory\n";

const char *uc_options_usage(void)
{
	return usage;
}

void uc_options_init(struct uc_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->histogram_buckets = 20;
	opt->buffer_page_count = UC_DEFAULT_BUFFER_PAGES;
	opt->flow_key_size = UC_DEFAULT_FLOW_KEY_SIZE;
	opt->packet_size = UC_DEFAULT_PACKET_SIZE;
	opt->pid = -1;
	opt->write_format = UC_FORMAT_NATIVE;
	opt->probes = UC_PROBES_ALL;
	opt->top = 10;
	opt->interval = 1;
	opt->max_ports = 16;
	opt->max_handlers = 16;
	opt->inflight = 16384;
	opt->inflight_timeout = 30;
	opt->record = 10;
	opt->record_keep = 10;
	opt->record_dir = ".";
}

/* "-P/--packet-size" for messages, as argparse names options. */
static const char *opt_label(const struct opt_def *d, char *buf, size_t size)
{
	if (d->short_name)
		snprintf(buf, size, "-%c/--%s", d->short_name, d->long_name);
	else
		snprintf(buf, size, "--%s", d->long_name);
	return buf;
}

static int parse_number(const struct opt_def *d, const char *s, int base,
			long long min, long long max, long long *out,
			struct uc_error *err)
{
	char label[64], *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, base);
	if (!*s || *end || errno == ERANGE)
		return uc_error_set(err, "argument %s: invalid int value: '%s'",
				    opt_label(d, label, sizeof(label)), s);
	if (v < min || v > max)
		return uc_error_set(err, "argument %s: value not in range %lld-%lld",
				    opt_label(d, label, sizeof(label)), min, max);
	*out = v;
	return 0;
}

/* A positive number of seconds (decimals allowed) up to MAX. */
static int parse_seconds(const struct opt_def *d, const char *s, double max,
			 double *out, struct uc_error *err)
{
	char label[64], *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !(v > 0))
		return uc_error_set(err, "argument %s: invalid number of seconds: '%s'",
				    opt_label(d, label, sizeof(label)), s);
	if (v > max)
		return uc_error_set(err, "argument %s: value not in range 0-%g",
				    opt_label(d, label, sizeof(label)), max);
	*out = v;
	return 0;
}

static uint32_t next_power_of_two(uint32_t v)
{
	uint32_t p = 1;

	while (p < v)
		p *= 2;
	return p;
}

static int choose(const struct opt_def *d, const char *s,
		  const char *const *names, int n, int *out,
		  struct uc_error *err)
{
	char label[64];

	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i])) {
			*out = i;
			return 0;
		}
	return uc_error_set(err, "argument %s: invalid choice: '%s'",
			    opt_label(d, label, sizeof(label)), s);
}

static int apply(struct uc_options *opt, const struct opt_def *d,
		 const char *arg, struct uc_error *err)
{
	static const char *const formats[] = { "native", "py" };
	static const char *const probes[] = { "all", "kernel", "user" };
	char label[64];
	long long v;
	int choice = 0;

	switch (d->id) {
	case O_BUCKETS:
		if (parse_number(d, arg, 10, 0, 10000, &v, err))
			return -1;
		opt->histogram_buckets = (int)v;
		return 0;
	case O_PAGES:
		if (parse_number(d, arg, 10, 1, 1 << 18, &v, err))
			return -1;
		opt->buffer_page_count = next_power_of_two((uint32_t)v);
		return 0;
	case O_DEBUG:
		if (!arg) {
			opt->debug = 0x3f;
			return 0;
		}
		if (parse_number(d, arg, 0, 0, INT64_MAX, &v, err))
			return -1;
		opt->debug = (uint64_t)v;
		return 0;
	case O_KEY_SIZE:
	case O_PKT_SIZE:
		if (parse_number(d, arg, 10, UC_CAPTURE_MIN, UC_CAPTURE_MAX, &v, err))
			return -1;
		*(d->id == O_KEY_SIZE ? &opt->flow_key_size : &opt->packet_size) =
			(uint32_t)v;
		opt->packet_size_given |= d->id == O_PKT_SIZE;
		return 0;
	case O_PID:
		if (parse_number(d, arg, 10, 1, INT32_MAX, &v, err))
			return -1;
		opt->pid = v;
		return 0;
	case O_STOP:
		if (parse_number(d, arg, 10, 0, INT64_MAX, &v, err))
			return -1;
		opt->stop = (uint64_t)v;
		return 0;
	case O_TOP:
		if (parse_number(d, arg, 10, 0, 1000000, &v, err))
			return -1;
		opt->top = (int)v;
		return 0;
	case O_WRITE_FORMAT:
		if (choose(d, arg, formats, 2, &choice, err))
			return -1;
		opt->write_format = choice ? UC_FORMAT_PY : UC_FORMAT_NATIVE;
		return 0;
	case O_PROBES:
		if (choose(d, arg, probes, 3, &choice, err))
			return -1;
		opt->probes = (enum uc_probe_set)choice;
		return 0;
	case O_SINCE:
	case O_UNTIL:
		if (uc_time_spec_parse(arg, d->id == O_SINCE ? &opt->since : &opt->until))
			return uc_error_set(err, "argument %s: invalid time: '%s' "
					    "(seconds after the first event, or "
					    "YYYY-MM-DDTHH:MM:SS[.frac][Z|+HH:MM])",
					    opt_label(d, label, sizeof(label)), arg);
		return 0;
	case O_PORT: opt->port = arg; return 0;
	case O_HANDLER_FILTER: opt->handler_filter = arg; return 0;
	case O_READ: opt->read_events = arg; return 0;
	case O_WRITE: opt->write_events = arg; return 0;
	case O_JSON: opt->json_path = arg; return 0;
	case O_PLOT: opt->plot_path = arg; return 0;
	case O_BTF: opt->btf_path = arg; return 0;
	case O_PCAP: opt->pcap_path = arg; return 0;
	case O_EXPLAIN: opt->explain = true; return 0;
	case O_MISS_REASONS: opt->miss_reasons = true; return 0;
	case O_QUIET: opt->quiet = true; return 0;
	case O_SETS: opt->sets = true; return 0;
	case O_VERBOSE: opt->verbose = true; return 0;
	case O_COMPAT: opt->compat = true; return 0;
	case O_HELP: opt->help = true; return 0;
	case O_VERSION: opt->version = true; return 0;
	case O_CHECK: opt->check = true; return 0;
	case O_COMPARE: return 0;  /* handled by the caller */
	case O_MONITOR: opt->monitor = true; return 0;
	case O_JSON_LINES: opt->json_lines = true; return 0;
	case O_METRICS: opt->metrics = arg; return 0;
	case O_METRICS_BUCKETS: opt->metrics_buckets = arg; return 0;
	case O_RECORD_DIR: opt->record_dir = arg; return 0;
	case O_INTERVAL:
		return parse_seconds(d, arg, 86400, &opt->interval, err);
	case O_INFLIGHT_TIMEOUT:
		return parse_seconds(d, arg, 86400, &opt->inflight_timeout, err);
	case O_RECORD:
		return parse_seconds(d, arg, 86400, &opt->record, err);
	case O_COUNT:
		if (parse_number(d, arg, 10, 1, INT64_MAX, &v, err))
			return -1;
		opt->count = (uint64_t)v;
		return 0;
	case O_MAX_PORTS:
	case O_MAX_HANDLERS:
		if (parse_number(d, arg, 10, 1, UC_MON_MAX_LABEL_CAP, &v, err))
			return -1;
		*(d->id == O_MAX_PORTS ? &opt->max_ports : &opt->max_handlers) = (uint32_t)v;
		return 0;
	case O_INFLIGHT:
		if (parse_number(d, arg, 10, 64, 1 << 22, &v, err))
			return -1;
		opt->inflight = (uint32_t)v;
		return 0;
	case O_RECORD_KEEP:
		if (parse_number(d, arg, 10, 1, 100000, &v, err))
			return -1;
		opt->record_keep = (uint32_t)v;
		return 0;
	case O_TRIGGER:
		if (opt->n_triggers == UC_MAX_TRIGGERS)
			return uc_error_set(err, "argument --trigger: at most %d triggers",
					    UC_MAX_TRIGGERS);
		opt->triggers[opt->n_triggers++] = arg;
		return 0;
	}
	return 0;
}

/* The long option NAME (length LEN) or a unique prefix of one. */
/* "ambiguous option: --h could match --histogram-buckets, --help", as
 * argparse says it. */
static void ambiguous(const char *name, size_t len, struct uc_error *err)
{
	char list[sizeof(err->msg)];
	size_t at = 0;

	list[0] = '\0';
	for (size_t i = 0; i < N_DEFS && at < sizeof(list); i++)
		if (!strncmp(defs[i].long_name, name, len))
			at += (size_t)snprintf(list + at, sizeof(list) - at, "%s--%s",
					       at ? ", " : "", defs[i].long_name);
	uc_error_set(err, "ambiguous option: --%.*s could match %s", (int)len,
		     name, list);
}

static const struct opt_def *find_long(const char *name, size_t len,
				       struct uc_error *err)
{
	const struct opt_def *found = NULL;

	for (size_t i = 0; i < N_DEFS; i++) {
		if (strncmp(defs[i].long_name, name, len))
			continue;
		if (strlen(defs[i].long_name) == len)
			return &defs[i];
		if (found) {
			ambiguous(name, len, err);
			return NULL;
		}
		found = &defs[i];
	}
	if (!found)
		uc_error_set(err, "unrecognized arguments: --%.*s", (int)len, name);
	return found;
}

static const struct opt_def *find_short(char c, struct uc_error *err)
{
	for (size_t i = 0; i < N_DEFS; i++)
		if (defs[i].short_name == c)
			return &defs[i];
	uc_error_set(err, "unrecognized arguments: -%c", c);
	return NULL;
}

static bool looks_like_int(const char *s)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	(void)strtoll(s, &end, 0);
	return !*end;
}

static bool is_option(const char *s)
{
	return s[0] == '-' && s[1] && !looks_like_int(s);
}

/* Takes the argument of D: attached (ATTACHED != NULL) or the next word. */
static int take_arg(struct uc_options *opt, const struct opt_def *d,
		    const char *attached, int argc, char **argv, int *i,
		    struct uc_error *err)
{
	char label[64];

	switch (d->arg) {
	case NO_ARG:
		if (attached)
			return uc_error_set(err, "argument %s: ignored explicit argument '%s'",
					    opt_label(d, label, sizeof(label)), attached);
		return apply(opt, d, NULL, err);
	case OPT_INT_ARG:
		/* As argparse's nargs='?': the next word is the value unless it
		 * is an option ("-D abc" is an invalid int, not a stray word). */
		if (!attached && *i + 1 < argc && !is_option(argv[*i + 1]))
			attached = argv[++*i];
		return apply(opt, d, attached, err);
	case REQ_ARG:
		if (!attached) {
			if (*i + 1 >= argc || is_option(argv[*i + 1]))
				return uc_error_set(err, "argument %s: expected one argument",
						    opt_label(d, label, sizeof(label)));
			attached = argv[++*i];
		}
		return apply(opt, d, attached, err);
	case LIST_ARG:
		if (attached && opt->n_compare < UC_MAX_COMPARE_FILES)
			opt->compare[opt->n_compare++] = attached;
		while (*i + 1 < argc && !is_option(argv[*i + 1])) {
			if (opt->n_compare == UC_MAX_COMPARE_FILES)
				return uc_error_set(err, "argument --compare: at most %d files",
						    UC_MAX_COMPARE_FILES);
			opt->compare[opt->n_compare++] = argv[++*i];
		}
		if (opt->n_compare < 2)
			return uc_error_set(err, "argument --compare: expected at least two files");
		return 0;
	}
	return 0;
}

/* Filters of a recording: with -r or --compare only. */
static int check_filters(const struct uc_options *opt, struct uc_error *err)
{
	static const struct { size_t off; const char *name; } filters[] = {
		{ offsetof(struct uc_options, handler_filter), "--handler-filter" },
		{ offsetof(struct uc_options, port), "--port" },
	};
	bool recording = opt->read_events || opt->n_compare;

	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		if (*(const char *const *)((const char *)opt + filters[i].off) &&
		    !recording)
			return uc_error_set(err, "The %s option is only valid with "
					    "the --read-events option!", filters[i].name);
	if ((opt->since.set || opt->until.set) && !recording)
		return uc_error_set(err, "The --%s option is only valid with the "
				    "--read-events option!",
				    opt->since.set ? "since" : "until");
	if (opt->port && !*opt->port)
		return uc_error_set(err, "argument --port: expected a port name or number");
	return 0;
}

/* The options of the why: what they need. */
static int check_why(const struct uc_options *opt, struct uc_error *err)
{
	if ((opt->explain || opt->miss_reasons) && (opt->read_events || opt->n_compare))
		return uc_error_set(err, "--%s is for a live capture: a recording is "
				    "analysed with whatever records it holds",
				    opt->explain ? "explain" : "miss-reasons");
	if (opt->explain && opt->probes != UC_PROBES_ALL)
		return uc_error_set(err, "--explain needs both halves of the capture "
				    "(not --probes %s): an upcall's time runs from "
				    "the kernel to ovs-vswitchd and back",
				    opt->probes == UC_PROBES_KERNEL ? "kernel" : "user");
	if (opt->miss_reasons && opt->probes == UC_PROBES_KERNEL)
		return uc_error_set(err, "--miss-reasons reads USDT probes of "
				    "ovs-vswitchd: not with --probes kernel");
	if (opt->pcap_path && opt->n_compare)
		return uc_error_set(err, "--pcap writes the upcalls of one run: not "
				    "with --compare");
	return 0;
}

/* Each output names a file of its own. */
static int check_outputs(const struct uc_options *opt, struct uc_error *err)
{
	const char *out[] = { opt->json_path, opt->plot_path, opt->write_events,
			      opt->pcap_path };
	const char *names[] = { "--json", "--plot", "-w", "--pcap" };

	for (int i = 0; i < 4; i++)
		for (int k = i + 1; out[i] && k < 4; k++)
			if (out[k] && !strcmp(out[i], out[k]))
				return uc_error_set(err, "%s and %s both name \"%s\": give "
						    "each its own file", names[i], names[k],
						    out[i]);
	return 0;
}

/* Monitor mode's options need it, and it excludes the file options. */
static int check_monitor(const struct uc_options *opt, struct uc_error *err)
{
	struct uc_options def;
	const char *alone = NULL;

	uc_options_init(&def);
	if (opt->monitor) {
		if (opt->read_events || opt->write_events || opt->n_compare)
			return uc_error_set(err, "--monitor traces live: use it without -r, -w and --compare");
		if (opt->json_path || opt->plot_path || opt->stop)
			return uc_error_set(err, "--monitor prints intervals: --json, --plot and -s "
					    "apply to a full trace");
		if (opt->explain || opt->miss_reasons || opt->pcap_path)
			return uc_error_set(err, "--monitor counts in the kernel: --explain, "
					    "--miss-reasons and --pcap apply to a full trace");
		if ((opt->record != def.record || opt->record_keep != def.record_keep ||
		     strcmp(opt->record_dir, def.record_dir)) && !opt->n_triggers)
			return uc_error_set(err, "--record, --record-keep and --record-dir need --trigger");
		return 0;
	}
	if (opt->interval != def.interval)
		alone = "--interval";
	else if (opt->count)
		alone = "--count";
	else if (opt->json_lines)
		alone = "--json-lines";
	else if (opt->metrics)
		alone = "--metrics";
	else if (opt->metrics_buckets)
		alone = "--metrics-buckets";
	else if (opt->max_ports != def.max_ports || opt->max_handlers != def.max_handlers)
		alone = "--max-ports/--max-handlers";
	else if (opt->inflight != def.inflight || opt->inflight_timeout != def.inflight_timeout)
		alone = "--inflight/--inflight-timeout";
	else if (opt->n_triggers)
		alone = "--trigger";
	else if (opt->record != def.record || opt->record_keep != def.record_keep ||
		 strcmp(opt->record_dir, def.record_dir))
		alone = "--record";
	if (alone)
		return uc_error_set(err, "%s needs --monitor", alone);
	return 0;
}

/* Combinations upcall_cost.py refuses, and ours. */
static int check(const struct uc_options *opt, struct uc_error *err)
{
	if (check_filters(opt, err))
		return -1;
	if (opt->n_compare && (opt->read_events || opt->write_events))
		return uc_error_set(err, "--compare reads its own files: use it without -r and -w");
	if (opt->handler_filter && !*opt->handler_filter)
		return uc_error_set(err, "argument --handler-filter: expected thread names");
	if (check_outputs(opt, err) || check_why(opt, err))
		return -1;
	return check_monitor(opt, err);
}

int uc_options_parse(struct uc_options *opt, int argc, char **argv,
		     struct uc_error *err)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct opt_def *d;

		if (!strcmp(a, "--"))
			return uc_error_set(err, "unrecognized arguments: --");
		if (a[0] == '-' && a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

			d = find_long(a + 2, len, err);
			if (!d || take_arg(opt, d, eq ? eq + 1 : NULL, argc, argv, &i, err))
				return -1;
		} else if (a[0] == '-' && a[1]) {
			/* -q, -P128, or flags run together: -qv */
			for (const char *c = a + 1; *c; c++) {
				d = find_short(*c, err);
				if (!d)
					return -1;
				if (d->arg != NO_ARG) {
					if (take_arg(opt, d, c[1] ? c + 1 : NULL, argc,
						     argv, &i, err))
						return -1;
					break;
				}
				if (apply(opt, d, NULL, err))
					return -1;
			}
		} else {
			return uc_error_set(err, "unrecognized arguments: %s", a);
		}
	}
	return opt->help || opt->version ? 0 : check(opt, err);
}
