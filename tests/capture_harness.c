/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_harness - test driver for the live-capture objects, independent
 * of upcall_cost's main() and analysis (tests/capture.sh builds it).
 *
 *   capture_harness verify [BTF]
 *       Loads every program of upcall_cost.bpf.o this kernel can take, in
 *       both ring-buffer variants (dynptr where the kernel has it, fixed)
 *       and at -P/-f 64 and 2048, and prints per program "loaded" with the
 *       verifier's instruction count, or why it cannot load here.  BTF (an
 *       ELF file with .BTF) replaces the kernel's BTF for CO-RE, as --btf
 *       does; the kprobe on ovs_dp_upcall loads only with it (or module
 *       BTF).
 *   capture_harness live -o OUT [-p PID] [-k kernel|user|all] [-P N] [-f N]
 *                        [-s N] [-b PAGES] [-v]
 *       Runs uc_capture_run() with a sink that writes one line per event
 *       to OUT (format of usdt_fire's truth file) and checks the fields
 *       no truth line covers; prints a summary line at the end.
 *   capture_harness session -o OUT -p PID -n EVENTS [-T SECONDS] [-F] [-S]
 *       Drives the session API itself (uc_capture_open, _fd, _poll,
 *       _stop_and_drain, _close) until EVENTS events came (at most SECONDS,
 *       default 20),
 *       checking the order of the sink callbacks: on_info once and first,
 *       then the port map, then events, on_missed last.  -S: the sink says
 *       stop at the EVENTS-th event (no event may follow).  -F: fixed-size
 *       ring-buffer records even where the kernel has dynptrs.
 *   capture_harness record -o FILE -p PID [-k user] [-x]
 *       uc_capture_run() into a native event file (-x: --explain's
 *       records too, whatever half is traced: tests/explain.sh follows a
 *       handler of tests/explain_fire without OVS), until the traced
 *       process exits; prints what the session followed.
 *   capture_harness read FILE -o OUT
 *       The same dump from a file, through uc_trace_read().
 *   capture_harness tpformat FILE
 *       Parses FILE as tracefs's ovs_dp_upcall format: prints the offsets
 *       of the fields read, or the error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "capture.h"
#include "capture_int.h"
#include "port_map.h"
#include "trace_file.h"
#include "harness_verify.h"
#include "upcall_cost.skel.h"

struct dump {
	FILE *out;
	uint64_t events, maps, infos, anomalies, missed[UC_EV_MAX], missed_calls;
	uint64_t stop_at;       /* session -S: say stop at this event */
	uint32_t last_tid;
	uint64_t last_ts;
	long ncpu;
};

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static void anomaly(struct dump *d, const char *what)
{
	fprintf(stderr, "ANOMALY: %s\n", what);
	d->anomalies++;
}

static int on_info(void *ctx, const struct uc_capture_info *info)
{
	struct dump *d = ctx;

	if (d->infos++ || d->maps || d->events || d->missed_calls)
		anomaly(d, "capture info not first, or not once");
	if (!info->start_realtime_ns || !info->tool_version[0])
		anomaly(d, "capture info incomplete");
	return 0;
}

static int on_port_map(void *ctx, const struct uc_port_map *map)
{
	struct dump *d = ctx;

	(void)map;
	if (!d->infos || d->missed_calls)
		anomaly(d, "port map before the capture info or after the missed counts");
	d->maps++;
	return 0;
}

static int on_event(void *ctx, const struct uc_raw_event *ev)
{
	struct dump *d = ctx;

	if (!d->maps)
		anomaly(d, "event before the port map");
	if (d->missed_calls)
		anomaly(d, "event after the missed counts");
	if (d->stop_at && d->events >= d->stop_at)
		anomaly(d, "event after the sink said stop");
	if (ev->cpu >= (uint32_t)d->ncpu)
		anomaly(d, "cpu out of range");
	if (ev->upcall_type || ev->pkt_frag_size || ev->dev_name[0])
		anomaly(d, "field that must be zero is not");
	if (ev->event != UC_EV_RECV_UPCALL && (ev->key_size || ev->key_cap || ev->dpif_name[0]))
		anomaly(d, "key or dpif_name on a non-RECV event");
	if (ev->pid == d->last_tid && ev->ts < d->last_ts)
		anomaly(d, "time going backwards within a thread");
	d->last_tid = ev->pid;
	d->last_ts = ev->ts;
	fprintf(d->out, "%u %u %s %u %llu %u %u %016llx %016llx %s\n",
		ev->event, ev->pid, ev->comm, ev->pkt_size,
		(unsigned long long)ev->key_size, ev->pkt_cap, ev->key_cap,
		(unsigned long long)fnv1a(ev->pkt, ev->pkt_cap),
		(unsigned long long)fnv1a(ev->key, ev->key_cap),
		ev->dpif_name[0] ? ev->dpif_name : "-");
	d->events++;
	return d->stop_at && d->events == d->stop_at ? UC_SINK_STOP : 0;
}

static int on_missed(void *ctx, uint32_t type, uint64_t count)
{
	struct dump *d = ctx;

	d->missed_calls++;
	if (type < UC_EV_MAX)
		d->missed[type] += count;
	return 0;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

/*
 * Loads what can load here in one ring-buffer variant at one capture
 * size; 0 when all did.  With BTF, CO-RE relocates against that file
 * instead of the kernel's.
 */
/* The syscall hooks (uc_sc_*) load where fentry on the kernel's own
 * functions does; CTX is the probed struct uc_cap_kernel. */
static const char *syscall_why(const char *name, const void *ctx)
{
	const struct uc_cap_kernel *k = ctx;

	return strncmp(name, "uc_sc_", 6) ? NULL : k->fentry_why;
}

static int verify(uint32_t size, bool dynptr, const char *btf)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf);
	struct upcall_cost_bpf *s = upcall_cost_bpf__open_opts(&opts);
	bool mod_btf = !access("/sys/kernel/btf/openvswitch", F_OK);
	struct bpf_program *prog;
	char settings[64];
	const char *ring = dynptr ? "dynptr" : "fixed";
	int rc;

	if (!s)
		return fprintf(stderr, "open: %s\n", strerror(errno)), 1;
	s->rodata->packet_size = size;
	s->rodata->flow_key_size = size;
	s->rodata->ringbuf_dynptr = dynptr;
	/* fentry and fexit need their target's BTF at load time (and, on the
	 * kernel's functions, a kernel that takes them: probed), the kprobe
	 * on ovs_dp_upcall the module's types; everything else loads without
	 * the openvswitch module (attaching is another matter). */
	struct uc_cap_kernel k = { .btf_vmlinux = !access("/sys/kernel/btf/vmlinux", F_OK) };
	const char *module_fentry[] = { "uc_pkt_exec_fentry", "uc_dp_result_fexit",
					"uc_flush_fentry" };

	uc_cap_probe_explain(&k);
	bpf_object__for_each_program(prog, s->obj) {
		const char *name = bpf_program__name(prog);
		bool sc = !strncmp(name, "uc_sc_", 6);

		for (size_t i = 0; i < sizeof(module_fentry) / sizeof(module_fentry[0]); i++)
			if (!strcmp(name, module_fentry[i]))
				bpf_program__set_autoload(prog, mod_btf && !btf);
		if (sc)
			bpf_program__set_autoload(prog, k.fentry_vmlinux);
	}
	bpf_program__set_autoload(s->progs.uc_dp_upcall_kprobe, mod_btf || btf);
	rc = upcall_cost_bpf__load(s);
	if (rc) {
		fprintf(stderr, "load (%s ring) at -P/-f %u failed: %s\n", ring, size,
			strerror(-rc));
		upcall_cost_bpf__destroy(s);
		return 1;
	}
	snprintf(settings, sizeof(settings), "%-6s -P/-f %-4u", ring, size);
	harness_report_programs(s->obj, 20, settings, btf, syscall_why, &k);
	upcall_cost_bpf__destroy(s);
	return 0;
}

static int verify_all(const char *btf)
{
	bool dynptr = libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE,
					      BPF_FUNC_ringbuf_reserve_dynptr, NULL) > 0;
	int rc = 0;

	libbpf_set_print(libbpf_quiet);
	for (int ring = dynptr ? 0 : 1; ring < 2; ring++)
		rc |= verify(64, ring == 0, btf) | verify(2048, ring == 0, btf);
	return rc;
}

static int tpformat(const char *file)
{
	static char text[65536];
	struct uc_tp_layout l;
	char why[160];
	int fd = open(file, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);

	if (fd >= 0)
		close(fd);
	if (n < 0)
		return fprintf(stderr, "%s: %s\n", file, strerror(errno)), 2;
	text[n] = '\0';
	if (uc_tp_parse_format(text, &l, why, sizeof(why)))
		return printf("error: %s\n", why), 1;
	printf("dp_name=%u dev_name=%u skbaddr=%u len=%u upcall_cmd=%u",
	       l.dp_name, l.dev_name, l.skbaddr, l.len, l.upcall_cmd);
	if (l.has_keyaddr)
		printf(" keyaddr=%u", l.keyaddr);
	putchar('\n');
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The session API, as another driver (a flight recorder) would use it. */
static int session(const struct uc_capture_config *cfg, const struct uc_event_sink *sink,
		   struct dump *d, uint64_t want, double seconds, struct uc_error *err)
{
	struct uc_capture *c = uc_capture_open(cfg, sink, err);
	double end = now_s() + seconds;
	int rc = 0;

	if (!c)
		return -1;
	if (d->infos != 1 || d->maps != 1)
		anomaly(d, "uc_capture_open did not hand over info and port map");
	printf("- Capturing events\n");
	fflush(stdout);
	while (rc == 0 && d->events < want && now_s() < end) {
		/* The caller's own poll on the session's descriptor... */
		struct pollfd p = { .fd = uc_capture_fd(c), .events = POLLIN };

		if (poll(&p, 1, UC_CAPTURE_POLL_MS) < 0 && errno != EINTR)
			break;
		/* ...then the records, at least every UC_CAPTURE_POLL_MS. */
		rc = uc_capture_poll(c, 0, err);
	}
	if (rc >= 0 && (uc_capture_poll(c, 0, err) < 0 ||
			uc_capture_stop_and_drain(c, err)))
		rc = -1;
	if (rc >= 0 && uc_capture_poll(c, 10, err) != (d->stop_at ? UC_CAPTURE_STOPPED : 0))
		anomaly(d, "uc_capture_poll after the drain");
	if (uc_capture_stats(c)->events_received != d->events)
		anomaly(d, "stats/sink mismatch");
	uc_capture_close(c);
	return rc < 0 ? -1 : 0;
}

/* A capture into a native file, with --explain's records (record mode). */
static int record(struct uc_options *opt, bool explain, const char *path)
{
	struct uc_error err = { "" }, werr = { "" };
	struct uc_capture_stats stats;
	struct uc_trace_writer *w = uc_trace_writer_open(path, UC_FORMAT_NATIVE,
							 UC_WRITER_COMMIT_ON_INFO, &err);
	struct uc_event_sink sink;
	int rc;

	if (!w)
		return fprintf(stderr, "%s\n", err.msg), 1;
	opt->explain = explain;
	opt->quiet = true;
	sink = uc_trace_writer_sink(w);
	rc = uc_capture_run(opt, &sink, &stats, &err);
	if (uc_trace_writer_close(w, &werr))
		fprintf(stderr, "%s\n", werr.msg), rc = -1;
	if (rc && err.msg[0])
		fprintf(stderr, "%s\n", err.msg);
	printf("recorded: %llu events, features %#llx, %llu handlers followed\n",
	       (unsigned long long)stats.events_received, (unsigned long long)stats.features,
	       (unsigned long long)stats.handlers);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct uc_options opt;
	struct uc_capture_config cfg;
	struct uc_capture_stats stats;
	struct uc_error err = { "" };
	struct dump d = { .ncpu = sysconf(_SC_NPROCESSORS_CONF) };
	struct uc_event_sink sink = {
		.ctx = &d, .on_info = on_info, .on_port_map = on_port_map,
		.on_event = on_event, .on_missed = on_missed,
	};
	const char *mode = argc > 1 ? argv[1] : "", *out = NULL, *file = NULL;
	uint64_t want = 0;
	double seconds = 20;
	bool fixed = false, say_stop = false, explain = false;
	int c, rc;

	if (!strcmp(mode, "verify"))
		return verify_all(argc > 2 ? argv[2] : NULL);
	if (!strcmp(mode, "tpformat") && argc == 3)
		return tpformat(argv[2]);
	uc_options_init(&opt);
	if (!strcmp(mode, "read") && argc > 2)
		file = argv[2];
	optind = file ? 3 : 2;
	while ((c = getopt(argc, argv, "o:p:k:P:f:s:b:vn:T:FSx")) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'p': opt.pid = atoll(optarg); break;
		case 'k':
			opt.probes = !strcmp(optarg, "kernel") ? UC_PROBES_KERNEL :
				     !strcmp(optarg, "user") ? UC_PROBES_USER : UC_PROBES_ALL;
			break;
		case 'P': opt.packet_size = (uint32_t)atoi(optarg); break;
		case 'f': opt.flow_key_size = (uint32_t)atoi(optarg); break;
		case 's': opt.stop = strtoull(optarg, NULL, 0); break;
		case 'b': opt.buffer_page_count = (uint32_t)atoi(optarg); break;
		case 'v': opt.verbose = true; break;
		case 'n': want = strtoull(optarg, NULL, 0); break;
		case 'T': seconds = atof(optarg); break;
		case 'F': fixed = true; break;
		case 'S': say_stop = true; break;
		case 'x': explain = true; break;
		default: return 2;
		}
	}
	if (!strcmp(mode, "record") && out)
		return record(&opt, explain, out);
	if ((strcmp(mode, "live") && strcmp(mode, "session") && !file) || !out) {
		fprintf(stderr, "usage: see the comment at the top of capture_harness.c\n");
		return 2;
	}
	d.out = fopen(out, "w");
	if (!d.out)
		return fprintf(stderr, "%s: %s\n", out, strerror(errno)), 1;
	uc_capture_config_init(&cfg, &opt);
	cfg.ring_fixed = fixed;
	if (file) {
		rc = uc_trace_read(file, &sink, &err);
	} else if (!strcmp(mode, "session")) {
		d.stop_at = say_stop ? want : 0;
		rc = session(&cfg, &sink, &d, want, seconds, &err);
	} else {
		rc = uc_capture_run(&opt, &sink, &stats, &err);
		if (!rc && stats.events_received != d.events)
			anomaly(&d, "stats/sink mismatch");
	}
	fclose(d.out);
	if (rc) {
		fprintf(stderr, "ERROR: %s\n", err.msg);
		return 1;
	}
	printf("events=%llu maps=%llu anomalies=%llu missed=%llu,%llu,%llu,%llu,%llu\n",
	       (unsigned long long)d.events, (unsigned long long)d.maps,
	       (unsigned long long)d.anomalies,
	       (unsigned long long)d.missed[0], (unsigned long long)d.missed[1],
	       (unsigned long long)d.missed[2], (unsigned long long)d.missed[3],
	       (unsigned long long)d.missed[4]);
	return d.anomalies ? 1 : 0;
}
