/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_harness - test driver for the live-capture objects, independent
 * of upcall_cost's main() and analysis (tests/capture.sh builds it).
 *
 *   capture_harness verify [BTF]
 *       Loads every program of upcall_cost.bpf.o this kernel can take
 *       (at -P/-f 64 and 2048) and prints, per program, "loaded" with
 *       the verifier's instruction count, or why it cannot load here.
 *       BTF (an ELF file with .BTF) replaces the kernel's BTF for CO-RE.
 *   capture_harness live -o OUT [-p PID] [-k kernel|user|all] [-P N] [-f N]
 *                        [-s N] [-b PAGES] [-v]
 *       Runs uc_capture_run() with a sink that writes one line per event
 *       to OUT (format of usdt_fire's truth file) and checks the fields
 *       no truth line covers; prints a summary line at the end.
 *   capture_harness read FILE -o OUT
 *       The same dump from a file, through uc_trace_read().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "capture.h"
#include "port_map.h"
#include "trace_file.h"
#include "upcall_cost.skel.h"

struct dump {
	FILE *out;
	uint64_t events, maps, anomalies, missed[UC_EV_MAX];
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

static void anomaly(struct dump *d, const struct uc_raw_event *ev, const char *what)
{
	fprintf(stderr, "ANOMALY: %s (event %u tid %u)\n", what, ev->event, ev->pid);
	d->anomalies++;
}

static int on_port_map(void *ctx, const struct uc_port_map *map)
{
	struct dump *d = ctx;

	(void)map;
	d->maps++;
	return 0;
}

static int on_event(void *ctx, const struct uc_raw_event *ev)
{
	struct dump *d = ctx;

	if (!d->maps)
		anomaly(d, ev, "event before the port map");
	if (ev->cpu >= (uint32_t)d->ncpu)
		anomaly(d, ev, "cpu out of range");
	if (ev->upcall_type || ev->pkt_frag_size || ev->dev_name[0])
		anomaly(d, ev, "field that must be zero is not");
	if (ev->event != UC_EV_RECV_UPCALL && (ev->key_size || ev->key_cap || ev->dpif_name[0]))
		anomaly(d, ev, "key or dpif_name on a non-RECV event");
	if (ev->pid == d->last_tid && ev->ts < d->last_ts)
		anomaly(d, ev, "time going backwards within a thread");
	d->last_tid = ev->pid;
	d->last_ts = ev->ts;
	fprintf(d->out, "%u %u %s %u %llu %u %u %016llx %016llx %s\n",
		ev->event, ev->pid, ev->comm, ev->pkt_size,
		(unsigned long long)ev->key_size, ev->pkt_cap, ev->key_cap,
		(unsigned long long)fnv1a(ev->pkt, ev->pkt_cap),
		(unsigned long long)fnv1a(ev->key, ev->key_cap),
		ev->dpif_name[0] ? ev->dpif_name : "-");
	d->events++;
	return 0;
}

static int on_missed(void *ctx, uint32_t type, uint64_t count)
{
	struct dump *d = ctx;

	if (type < UC_EV_MAX)
		d->missed[type] += count;
	return 0;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

/*
 * Loads what can load here at the given capture sizes; 0 when all did.
 * With BTF, CO-RE relocates against that file instead of the kernel's.
 */
static int verify(uint32_t size, const char *btf)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf);
	struct upcall_cost_bpf *s = upcall_cost_bpf__open_opts(&opts);
	bool mod_btf = !btf && !access("/sys/kernel/btf/openvswitch", F_OK);
	struct bpf_program *prog;
	int rc;

	if (!s)
		return fprintf(stderr, "open: %s\n", strerror(errno)), 1;
	s->rodata->packet_size = size;
	s->rodata->flow_key_size = size;
	/* fentry needs its target's BTF at load time; everything else loads
	 * without the openvswitch module (attaching is another matter). */
	bpf_program__set_autoload(s->progs.uc_pkt_exec_fentry, mod_btf);
	rc = upcall_cost_bpf__load(s);
	if (rc) {
		fprintf(stderr, "load at -P/-f %u failed: %s\n", size, strerror(-rc));
		upcall_cost_bpf__destroy(s);
		return 1;
	}
	bpf_object__for_each_program(prog, s->obj) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (!bpf_program__autoload(prog)) {
			printf("  %-20s -P/-f %-4u not loadable here: needs the openvswitch module's BTF\n",
			       bpf_program__name(prog), size);
			continue;
		}
		bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len);
		printf("  %-20s -P/-f %-4u loaded: verifier ok, %u insns verified%s\n",
		       bpf_program__name(prog), size, info.verified_insns,
		       btf ? " (CO-RE against the stand-in BTF)" : "");
	}
	upcall_cost_bpf__destroy(s);
	return 0;
}

int main(int argc, char **argv)
{
	struct uc_options opt;
	struct uc_capture_stats stats;
	struct uc_error err = { "" };
	struct dump d = { .ncpu = sysconf(_SC_NPROCESSORS_CONF) };
	struct uc_event_sink sink = {
		.ctx = &d, .on_port_map = on_port_map,
		.on_event = on_event, .on_missed = on_missed,
	};
	const char *mode = argc > 1 ? argv[1] : "", *out = NULL, *file = NULL;
	int c, rc;

	if (!strcmp(mode, "verify")) {
		libbpf_set_print(libbpf_quiet);
		return verify(64, argc > 2 ? argv[2] : NULL) |
		       verify(2048, argc > 2 ? argv[2] : NULL);
	}
	memset(&opt, 0, sizeof(opt));
	opt.pid = -1;
	opt.packet_size = UC_DEFAULT_PACKET_SIZE;
	opt.flow_key_size = UC_DEFAULT_FLOW_KEY_SIZE;
	opt.buffer_page_count = UC_DEFAULT_BUFFER_PAGES;
	opt.probes = UC_PROBES_ALL;
	if (!strcmp(mode, "read") && argc > 2)
		file = argv[2];
	optind = file ? 3 : 2;
	while ((c = getopt(argc, argv, "o:p:k:P:f:s:b:v")) != -1) {
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
		default: return 2;
		}
	}
	if ((strcmp(mode, "live") && !file) || !out) {
		fprintf(stderr, "usage: see the comment at the top of capture_harness.c\n");
		return 2;
	}
	d.out = fopen(out, "w");
	if (!d.out)
		return fprintf(stderr, "%s: %s\n", out, strerror(errno)), 1;
	if (file) {
		rc = uc_trace_read(file, &sink, &err);
	} else {
		rc = uc_capture_run(&opt, &sink, &stats, &err);
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
	if (!file && stats.events_received != d.events)
		return fprintf(stderr, "ERROR: stats/info mismatch\n"), 1;
	return d.anomalies ? 1 : 0;
}
