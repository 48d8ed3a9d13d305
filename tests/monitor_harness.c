/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_harness - test driver for monitor mode (tests/monitor.sh builds
 * it).
 *
 *   monitor_harness verify [BTF]
 *       Loads every program of monitor.bpf.o this kernel can take (hash
 *       bytes 64 and 2048) and prints, per program, "loaded" with the
 *       verifier's instruction count, or why it cannot load here.  BTF
 *       (an ELF file with .BTF) replaces the kernel's BTF for CO-RE.
 *   monitor_harness expect FILE [UPCALLS]
 *       The latencies monitor mode must find in a recording of
 *       tests/usdt_fire's events (upcall_cost --probes user -w FILE),
 *       worked out independently of both correlators: per thread, a
 *       batch is a run of receives and the run of flow puts and executes
 *       after it, the i-th put and execute belonging to the i-th receive
 *       (usdt_fire's pattern).  Prints one JSON object: per segment the
 *       count and the exact quantiles (stats.h), microseconds.  UPCALLS
 *       gets one line per latency, as UC_MONITOR_AUDIT writes them:
 *       "SEGMENT TID RECV_TS VALUE_NS".
 *   monitor_harness reference FILE OUT
 *       The full trace's own latencies of a recording (any capture): the
 *       offline analysis (trace, correlate, metrics) as upcall_cost -r
 *       runs it, one line per latency in OUT as above (TID and RECV_TS
 *       of the set's receive).  Prints the counts: sets, and per segment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "analysis.h"
#include "correlate.h"
#include "metrics.h"
#include "monitor.skel.h"
#include "sort.h"
#include "stats.h"
#include "trace.h"
#include "trace_file.h"
#include "harness_verify.h"

/* ---------------------------------------------------------------- verify */

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static int verify(uint32_t bytes, bool atomics, const char *btf)
{
	const char *ato = atomics ? "atomics" : "no-atomics";
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf);
	struct monitor_bpf *s = monitor_bpf__open_opts(&opts);
	bool mod_btf = !btf && !access("/sys/kernel/btf/openvswitch", F_OK);
	char settings[64];
	int rc;

	if (!s)
		return fprintf(stderr, "open: %s\n", strerror(errno)), 1;
	s->data->hash_bytes = bytes;
	/* Without BPF_FETCH atomics (before Linux 5.12) slots are claimed
	 * with plain stores: that path must verify too. */
	s->rodata->has_atomics = atomics;
	/* The tracepoint's layout of Linux 6.1 (tests/fixtures/tracefs): the
	 * flow key's path is taken where its types are known. */
	s->rodata->tp_off_dev_name = 20;
	s->rodata->tp_off_skbaddr = 24;
	s->rodata->tp_off_len = 32;
	s->rodata->tp_off_upcall_cmd = 84;
	s->rodata->tp_off_keyaddr = 64;
	s->rodata->tp_has_keyaddr = true;
	/* fentry/fexit need their target's BTF at load time, the kprobe on
	 * ovs_dp_upcall the module's types; everything else loads without
	 * the openvswitch module (attaching is another matter). */
	bpf_program__set_autoload(s->progs.mon_pkt_exec_fentry, mod_btf);
	bpf_program__set_autoload(s->progs.mon_dp_upcall_fexit, mod_btf);
	bpf_program__set_autoload(s->progs.mon_dp_upcall_kprobe, mod_btf || btf);
	/* Only the audit needs the ring buffer. */
	bpf_map__set_autocreate(s->maps.audit_rb, false);
	rc = monitor_bpf__load(s);
	if (rc) {
		fprintf(stderr, "load at hash bytes %u (%s) failed: %s\n", bytes, ato,
			strerror(-rc));
		monitor_bpf__destroy(s);
		return 1;
	}
	snprintf(settings, sizeof(settings), "-P %-4u %-10s", bytes, ato);
	harness_report_programs(s->obj, 26, settings, btf, NULL, NULL);
	monitor_bpf__destroy(s);
	return 0;
}

/* ---------------------------------------------------------------- expect */

struct samples {
	double *v;
	size_t n, cap;
};

/* One handler thread's events in order: the batch being rebuilt. */
struct thread {
	uint32_t tid;
	uint64_t recv[64], put[64];
	size_t n_recv, n_put, n_exec;
	bool operating;
};

struct expect {
	FILE *upcalls;
	struct thread th[64];
	size_t n_th;
	struct samples lookup, put_exec;
	uint64_t receives, batches;
	bool bad;
};

static void push(struct samples *s, double v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			abort();
	}
	s->v[s->n++] = v;
}

static struct thread *thread_of(struct expect *e, uint32_t tid)
{
	for (size_t i = 0; i < e->n_th; i++)
		if (e->th[i].tid == tid)
			return &e->th[i];
	if (e->n_th == 64)
		abort();
	e->th[e->n_th] = (struct thread){ .tid = tid };
	return &e->th[e->n_th++];
}

static int on_event(void *ctx, const struct uc_raw_event *ev)
{
	struct expect *e = ctx;
	struct thread *t = thread_of(e, ev->pid);

	switch (ev->event) {
	case UC_EV_RECV_UPCALL:
		if (ev->upcall_type != UC_DPIF_UC_MISS)
			return 0;
		e->receives++;
		if (t->operating) {
			t->operating = false;
			t->n_recv = t->n_put = t->n_exec = 0;
			e->batches++;
		}
		if (t->n_recv == 64) {
			e->bad = true;
			return 0;
		}
		t->recv[t->n_recv++] = ev->ts;
		return 0;
	case UC_EV_OP_FLOW_PUT:
		t->operating = true;
		if (t->n_put >= t->n_recv) {
			e->bad = true;
			return 0;
		}
		t->put[t->n_put] = ev->ts;
		push(&e->lookup, (double)(int64_t)(ev->ts - t->recv[t->n_put]) / 1000.0);
		if (e->upcalls)
			fprintf(e->upcalls, "lookup %u %llu %lld\n", ev->pid,
				(unsigned long long)t->recv[t->n_put],
				(long long)(ev->ts - t->recv[t->n_put]));
		t->n_put++;
		return 0;
	case UC_EV_OP_FLOW_EXECUTE:
		t->operating = true;
		if (t->n_exec >= t->n_put) {
			e->bad = true;
			return 0;
		}
		push(&e->put_exec, (double)(int64_t)(ev->ts - t->put[t->n_exec]) / 1000.0);
		if (e->upcalls)
			fprintf(e->upcalls, "put_to_execute %u %llu %lld\n", ev->pid,
				(unsigned long long)t->recv[t->n_exec],
				(long long)(ev->ts - t->put[t->n_exec]));
		t->n_exec++;
		return 0;
	default:
		return 0;
	}
}

static void print_stats(const char *name, struct samples *s, bool comma)
{
	struct uc_stats st;

	if (uc_sort_samples(s->v, NULL, s->n))
		abort();
	uc_stats_compute(s->v, s->n, &st);
	printf("\"%s\":{\"count\":%zu,\"min\":%.3f,\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,"
	       "\"p99.9\":%.3f,\"max\":%.3f,\"mean\":%.3f}%s",
	       name, st.n, st.min, st.p50, st.p90, st.p99, st.p999, st.max, st.mean,
	       comma ? "," : "");
}

static int expect(const char *file, const char *upcalls)
{
	struct expect e;
	struct uc_event_sink sink = { .ctx = &e, .on_event = on_event };
	struct uc_error err;

	memset(&e, 0, sizeof(e));
	if (upcalls && !(e.upcalls = fopen(upcalls, "w")))
		return fprintf(stderr, "%s: %s\n", upcalls, strerror(errno)), 1;
	if (uc_trace_read(file, &sink, &err)) {
		fprintf(stderr, "ERROR: %s\n", err.msg);
		return 1;
	}
	if (e.bad) {
		fprintf(stderr, "ERROR: %s does not follow usdt_fire's pattern\n", file);
		return 1;
	}
	printf("{\"receives\":%llu,\"closed_batches\":%llu,", (unsigned long long)e.receives,
	       (unsigned long long)e.batches);
	print_stats("lookup", &e.lookup, true);
	print_stats("put_to_execute", &e.put_exec, false);
	printf("}\n");
	free(e.lookup.v);
	free(e.put_exec.v);
	return e.upcalls && fclose(e.upcalls) ? 1 : 0;
}

/* --------------------------------------------------------------- reference */

static int reference(const char *file, const char *out_path)
{
	struct uc_analysis a;
	struct uc_event_sink sink;
	struct uc_metric m[UC_M_COUNT];
	const struct uc_correlation *c = &a.result;
	struct uc_error err;
	FILE *out = fopen(out_path, "w");

	if (!out)
		return fprintf(stderr, "%s: %s\n", out_path, strerror(errno)), 1;
	if (uc_analysis_init(&a, NULL))
		return fprintf(stderr, "ERROR: out of memory\n"), 1;
	sink = uc_analysis_sink(&a);
	if (uc_trace_read(file, &sink, &err)) {
		fprintf(stderr, "ERROR: %s\n", err.msg);
		return 1;
	}
	if (uc_analysis_finish(&a) || uc_metrics_compute(c, m)) {
		fprintf(stderr, "ERROR: out of memory\n");
		return 1;
	}
	printf("sets=%zu", c->n_sets);
	for (int i = 0; i < UC_M_COUNT; i++)
		printf(" %s=%zu", uc_metric_name((enum uc_metric_id)i), m[i].n);
	printf("\n");
	/* Every sample, as metrics.c collects them: the sets', then the lone
	 * receives'. */
	for (size_t k = 0; k < c->n_sets + c->n_lone; k++) {
		const struct uc_set *s = k < c->n_sets ? &c->sets[k] : &c->lone[k - c->n_sets];

		for (int i = 0; i < UC_M_COUNT; i++) {
			double v;

			if (!uc_metric_sample(s, (enum uc_metric_id)i, &v))
				continue;
			/* the sample is (a - b) / 1000 of integer ns: exact */
			fprintf(out, "%s %u %llu %.0f\n", uc_metric_name((enum uc_metric_id)i),
				c->threads[s->thread].tid,
				(unsigned long long)s->ts[UC_EV_RECV_UPCALL], v * 1000);
		}
	}
	uc_metrics_free(m);
	uc_analysis_free(&a);
	return fclose(out) ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "verify")) {
		libbpf_set_print(libbpf_quiet);
		return verify(64, true, argc > 2 ? argv[2] : NULL) |
		       verify(2048, true, argc > 2 ? argv[2] : NULL) |
		       verify(64, false, argc > 2 ? argv[2] : NULL);
	}
	if (!strcmp(mode, "expect") && (argc == 3 || argc == 4))
		return expect(argv[2], argc == 4 ? argv[3] : NULL);
	if (!strcmp(mode, "reference") && argc == 4)
		return reference(argv[2], argv[3]);
	fprintf(stderr, "usage: see the comment at the top of monitor_harness.c\n");
	return 2;
}
