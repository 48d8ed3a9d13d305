/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_openmetrics.c - monitor mode's Prometheus metrics (see
 * monitor_openmetrics.h).
 *
 * The two formats differ only in details: OpenMetrics names a counter
 * family without its _total suffix and ends with "# EOF".
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "monitor_openmetrics.h"
#include "xevent.h"

/* ---------------------------------------------------------- bounds */

void uc_mon_metrics_default_le(struct uc_mon_metrics_config *cfg)
{
	static const double steps[3] = { 1, 2, 5 };

	cfg->n_le = 0;
	for (double decade = 1e-5; decade < 10; decade *= 10)
		for (int i = 0; i < 3; i++)
			cfg->le_s[cfg->n_le++] = steps[i] * decade;
	cfg->le_s[cfg->n_le++] = 10;
	/* Exact decimal values, not the product's rounding. */
	for (size_t i = 0; i < cfg->n_le; i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%.3g", cfg->le_s[i]);
		cfg->le_s[i] = strtod(buf, NULL);
	}
}

int uc_mon_parse_duration(const char *s, size_t len, double *seconds)
{
	/* Divisors, not factors: 10 / 1e6 rounds to the double nearest 1e-5,
	 * 10 * 1e-6 does not. */
	static const struct { const char *unit; double divisor; } units[] = {
		{ "ns", 1e9 }, { "us", 1e6 }, { "ms", 1e3 }, { "s", 1 },
	};
	char buf[64], *end;
	double v, divisor = 1;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (end == buf || errno || !isfinite(v))
		return -1;
	if (*end) {
		size_t u = 0;

		while (u < sizeof(units) / sizeof(units[0]) && strcmp(end, units[u].unit))
			u++;
		if (u == sizeof(units) / sizeof(units[0]))
			return -1;
		divisor = units[u].divisor;
	}
	*seconds = v / divisor;
	return 0;
}

int uc_mon_metrics_parse_le(const char *list, struct uc_mon_metrics_config *cfg,
			    struct uc_error *err)
{
	size_t n = 0;

	for (const char *p = list; ; ) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		double v;

		if (n == UC_MON_MAX_LE)
			return uc_error_set(err, "argument --metrics-buckets: at most %d bounds",
					    UC_MON_MAX_LE);
		if (uc_mon_parse_duration(p, len, &v) || v <= 0)
			return uc_error_set(err, "argument --metrics-buckets: invalid duration '%.*s'",
					    (int)len, p);
		if (n && v <= cfg->le_s[n - 1])
			return uc_error_set(err, "argument --metrics-buckets: bounds must ascend ('%.*s')",
					    (int)len, p);
		cfg->le_s[n++] = v;
		if (!comma)
			break;
		p = comma + 1;
	}
	cfg->n_le = n;
	return 0;
}

/* ---------------------------------------------------------- writing */

struct om {
	FILE *out;
	bool openmetrics;
};

/* A label value, escaped as the format requires. */
static void put_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out), fputc(*s, out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

/*
 * # HELP and # TYPE of a family.  NAME is the sample name without type
 * suffixes, but with _total for counters, which OpenMetrics drops from
 * the family name.
 */
static void family(struct om *o, const char *name, const char *type,
		   const char *help)
{
	size_t len = strlen(name);

	if (o->openmetrics && !strcmp(type, "counter") && len > 6 &&
	    !strcmp(name + len - 6, "_total"))
		len -= 6;
	fprintf(o->out, "# HELP %.*s %s\n# TYPE %.*s %s\n", (int)len, name, help,
		(int)len, name, type);
}

/* LABELS: NULL-terminated name, value pairs. */
static void labels(struct om *o, const char *const *l)
{
	if (!l || !l[0])
		return;
	fputc('{', o->out);
	for (int i = 0; l[i]; i += 2) {
		fprintf(o->out, "%s%s=\"", i ? "," : "", l[i]);
		put_escaped(o->out, l[i + 1]);
		fputc('"', o->out);
	}
	fputc('}', o->out);
}

static void sample_u(struct om *o, const char *name, const char *const *l,
		     uint64_t v)
{
	fputs(name, o->out);
	labels(o, l);
	fprintf(o->out, " %" PRIu64 "\n", v);
}

static void sample_d(struct om *o, const char *name, const char *const *l,
		     double v)
{
	fputs(name, o->out);
	labels(o, l);
	fprintf(o->out, " %.17g\n", v);
}

static void counter(struct om *o, const char *name, const char *help, uint64_t v)
{
	family(o, name, "counter", help);
	sample_u(o, name, NULL, v);
}

static void gauge(struct om *o, const char *name, const char *help, double v)
{
	family(o, name, "gauge", help);
	sample_d(o, name, NULL, v);
}

static void format_le(double le, char *buf, size_t size)
{
	snprintf(buf, size, "%.9g", le);
}

/*
 * One histogram series: BASE_bucket{LABELS,le} ..., _sum, _count.
 * LABELS has room for the le pair at its end (2 slots, NULL-terminated).
 */
static void histogram(struct om *o, const char *base, const char **l, size_t n_l,
		      const struct uc_mon_seg *seg,
		      const struct uc_mon_metrics_config *cfg)
{
	char name[128], le[32];

	snprintf(name, sizeof(name), "%s_bucket", base);
	l[n_l] = "le";
	l[n_l + 2] = NULL;
	for (size_t i = 0; i < cfg->n_le; i++) {
		format_le(cfg->le_s[i], le, sizeof(le));
		l[n_l + 1] = le;
		sample_u(o, name, l, uc_mon_seg_count_le(seg, cfg->le_s[i] * 1e9));
	}
	l[n_l + 1] = "+Inf";
	sample_u(o, name, l, seg->count);
	l[n_l] = NULL;
	snprintf(name, sizeof(name), "%s_sum", base);
	sample_d(o, name, l, (double)seg->sum_ns / 1e9);
	snprintf(name, sizeof(name), "%s_count", base);
	sample_u(o, name, l, seg->count);
}

static void latency(struct om *o, const struct uc_mon_snapshot *s,
		    const struct uc_mon_metrics_config *cfg)
{
	static const struct {
		enum uc_mon_label_kind kind;
		const char *name, *label, *help;
	} per_label[2] = {
		{ UC_MON_LABEL_PORT, "upcall_cost_port_latency_seconds", "port",
		  "Upcall latency (segments total and lookup) per datapath input port (\"other\" past the label cap)." },
		{ UC_MON_LABEL_HANDLER, "upcall_cost_handler_latency_seconds", "handler",
		  "Upcall latency (segments total and lookup) per handler thread (\"other\" past the label cap)." },
	};
	const char *l[8];

	family(o, "upcall_cost_latency_seconds", "histogram",
	       "Upcall latency per segment (kernel_to_vswitchd, lookup, put_to_execute, "
	       "vswitchd_to_kernel, overhead, total), from in-kernel histograms.");
	for (int i = 0; i < UC_M_COUNT; i++) {
		if (!uc_mon_segment_measured(s, (enum uc_metric_id)i))
			continue;
		l[0] = "segment";
		l[1] = uc_metric_name((enum uc_metric_id)i);
		histogram(o, "upcall_cost_latency_seconds", l, 2, &s->seg[i], cfg);
	}
	/* Per label only the headline segments, to keep a scrape small (the
	 * JSON lines have them all). */
	for (int k = 0; k < 2; k++) {
		family(o, per_label[k].name, "histogram", per_label[k].help);
		for (size_t n = 0; n < s->n_labels; n++) {
			const struct uc_mon_label *lab = &s->labels[n];

			if (lab->kind != per_label[k].kind || !lab->name[0] || !lab->receives)
				continue;
			for (int i = 0; i < UC_M_COUNT; i++) {
				if ((i != UC_M_TOTAL && i != UC_M_LOOKUP) ||
				    !uc_mon_segment_measured(s, (enum uc_metric_id)i))
					continue;
				l[0] = "segment";
				l[1] = uc_metric_name((enum uc_metric_id)i);
				l[2] = per_label[k].label;
				l[3] = lab->name;
				histogram(o, per_label[k].name, l, 4, &lab->seg[i], cfg);
			}
		}
	}
}

static void reasons(struct om *o, const char *name, const char *help,
		    const char *label, const char *const *values,
		    const uint64_t *counts, int n)
{
	family(o, name, "counter", help);
	for (int i = 0; i < n; i++) {
		const char *l[3] = { label, values[i], NULL };

		sample_u(o, name, l, counts[i]);
	}
}

static void kernel_metrics(struct om *o, const struct uc_mon_snapshot *s)
{
	static const char *const why[] = {
		"lost", "untracked", "port_unknown", "inflight_map_full",
		"inflight_slots_full", "expired",
	};
	const uint64_t n[] = {
		s->c[UC_MC_UPCALL_LOST], s->c[UC_MC_UPCALL_UNTRACKED],
		s->c[UC_MC_UPCALL_NO_PORT], s->c[UC_MC_INFLIGHT_MAP_FULL],
		s->c[UC_MC_INFLIGHT_FULL], s->u[UC_MU_EXPIRED],
	};
	const char *name = "upcall_cost_upcalls_lost_total";

	counter(o, "upcall_cost_upcalls_total",
		"Kernel MISS upcalls (openvswitch:ovs_dp_upcall).", s->c[UC_MC_UPCALLS]);
	family(o, name, "counter",
	       "Upcalls the kernel failed to queue to ovs-vswitchd (ovs_dp_upcall's error), by errno.");
	/* ENOBUFS (a full handler socket) always, so alerts see a series. */
	for (uint32_t e = 0; e < UC_MON_ERRNO_MAX; e++) {
		const char *en = uc_errno_symbol((int32_t)e);
		char buf[16];

		if (!s->errnos[e] && e != ENOBUFS)
			continue;
		if (!en) {
			snprintf(buf, sizeof(buf), "%u", e);
			en = buf;
		}
		sample_u(o, name, (const char *const[]){ "errno", en, NULL }, s->errnos[e]);
	}
	reasons(o, "upcall_cost_unmatched_upcalls_total",
		"Kernel upcalls no receive was matched to, by reason.", "reason",
		why, n, 6);
	counter(o, "upcall_cost_kernel_executes_total",
		"Packets executed for ovs-vswitchd (ovs_packet_cmd_execute).",
		s->c[UC_MC_KERNEL_EXECUTES]);
	counter(o, "upcall_cost_identical_in_flight_total",
		"Kernel upcalls of a packet identical to one still in flight (paired first in, first out).",
		s->c[UC_MC_INFLIGHT_IDENTICAL]);
	counter(o, "upcall_cost_hash_collisions_total",
		"Kernel upcalls whose key hash equalled another packet's in flight (told apart).",
		s->c[UC_MC_INFLIGHT_COLLISION]);
	gauge(o, "upcall_cost_inflight_upcalls",
	      "Kernel upcalls waiting for their receive now.", (double)s->inflight);
	gauge(o, "upcall_cost_inflight_capacity",
	      "Size of the in-flight map (upcalls that can wait at once).",
	      (double)s->inflight_capacity);
}

static void user_metrics(struct om *o, const struct uc_mon_snapshot *s)
{
	static const char *const missing[] = { "flow_put", "execute", "kernel_execute" };
	static const char *const ops[] = { "flow_put", "execute", "kernel_execute" };
	static const char *const why[] = { "no_kernel_upcall", "hash_collision" };
	const uint64_t inc[] = {
		s->c[UC_MC_SET_NO_PUT], s->c[UC_MC_SET_NO_EXECUTE], s->c[UC_MC_SET_NO_KEXEC],
	};
	const uint64_t unassigned[] = {
		s->c[UC_MC_PUTS_DROPPED], s->c[UC_MC_EXECUTES_DROPPED],
		s->c[UC_MC_KEXEC_UNPAIRED],
	};
	const uint64_t unmatched[] = {
		s->c[UC_MC_RECV_NOT_FOUND], s->c[UC_MC_RECV_COLLISION],
	};
	struct uc_mon_metrics_config sizes = { .n_le = 0 };

	counter(o, "upcall_cost_receives_total",
		"MISS upcalls received by ovs-vswitchd (dpif_recv:recv_upcall).",
		s->c[UC_MC_RECEIVES]);
	if (s->kernel) {
		counter(o, "upcall_cost_matched_total",
			"Receives matched to their kernel upcall.", s->c[UC_MC_MATCHED]);
		reasons(o, "upcall_cost_unmatched_receives_total",
			"Receives no kernel upcall was found for, by reason.", "reason",
			why, unmatched, 2);
	}
	counter(o, "upcall_cost_flow_puts_total",
		"Flow puts (dpif_netlink_operate__:op_flow_put).", s->c[UC_MC_PUTS]);
	counter(o, "upcall_cost_executes_total",
		"Executes (dpif_netlink_operate__:op_flow_execute).", s->c[UC_MC_EXECUTES]);
	reasons(o, "upcall_cost_incomplete_upcalls_total",
		"Upcalls whose batch closed without this operation.", "missing",
		missing, inc, s->kernel ? 3 : 2);
	reasons(o, "upcall_cost_unassigned_operations_total",
		"Operations no upcall of their handler's batch could take.", "operation",
		ops, unassigned, s->kernel ? 3 : 2);
	if (s->kernel)
		counter(o, "upcall_cost_kernel_execute_mismatches_total",
			"Kernel executes paired with an execute of another packet (not recorded).",
			s->c[UC_MC_KEXEC_MISMATCH]);
	family(o, "upcall_cost_receives_by_port_total", "counter",
	       "Receives per datapath port (\"other\" past the label cap).");
	for (size_t n = 0; n < s->n_labels; n++)
		if (s->labels[n].kind == UC_MON_LABEL_PORT && s->labels[n].name[0])
			sample_u(o, "upcall_cost_receives_by_port_total",
				 (const char *const[]){ "port", s->labels[n].name, NULL },
				 s->labels[n].receives);
	family(o, "upcall_cost_receives_by_handler_total", "counter",
	       "Receives per handler thread (\"other\" past the label cap).");
	for (size_t n = 0; n < s->n_labels; n++)
		if (s->labels[n].kind == UC_MON_LABEL_HANDLER && s->labels[n].name[0])
			sample_u(o, "upcall_cost_receives_by_handler_total",
				 (const char *const[]){ "handler", s->labels[n].name, NULL },
				 s->labels[n].receives);
	gauge(o, "upcall_cost_handler_threads",
	      "Handler threads with a batch followed now.", (double)s->threads);

	/* Batch sizes as a histogram of upcalls per batch. */
	for (int b = 1; b <= UC_MON_MAX_BATCH; b *= 2)
		sizes.le_s[sizes.n_le++] = b;
	family(o, "upcall_cost_batch_size_upcalls", "histogram",
	       "Upcalls per handler batch (received back to back).");
	{
		const char *l[4];
		char name[64], le[16];
		uint64_t cum = 0, sum = 0, count = 0;
		size_t next = 0;

		for (int n = 1; n <= UC_MON_MAX_BATCH; n++) {
			count += s->batch[n];
			sum += (uint64_t)n * s->batch[n];
		}
		snprintf(name, sizeof(name), "upcall_cost_batch_size_upcalls_bucket");
		l[0] = "le";
		l[2] = NULL;
		for (int n = 1; n <= UC_MON_MAX_BATCH; n++) {
			cum += s->batch[n];
			if (next < sizes.n_le && n == (int)sizes.le_s[next]) {
				format_le(sizes.le_s[next++], le, sizeof(le));
				l[1] = le;
				sample_u(o, name, l, cum);
			}
		}
		l[1] = "+Inf";
		sample_u(o, name, l, count);
		sample_u(o, "upcall_cost_batch_size_upcalls_sum", NULL, sum);
		sample_u(o, "upcall_cost_batch_size_upcalls_count", NULL, count);
	}
}

int uc_mon_metrics_write(FILE *out, const struct uc_mon_snapshot *s,
			 const struct uc_mon_metrics_config *cfg)
{
	struct om o = { out, cfg->openmetrics };
	const char *probes = s->kernel && s->user ? "all" : s->kernel ? "kernel" : "user";
	char pid[24];
	uint64_t skipped = s->c[UC_MC_SCRATCH_BUSY] + s->c[UC_MC_THREADS_FULL] +
			   s->c[UC_MC_BATCH_OVERFLOW];

	snprintf(pid, sizeof(pid), "%lld", (long long)s->pid);
	family(&o, "upcall_cost_monitor_probes", "gauge",
	       "Always 1; the labels say what upcall_cost monitors.");
	sample_u(&o, "upcall_cost_monitor_probes",
		 (const char *const[]){ "version", UC_VERSION, "probes", probes,
					"pid", pid, NULL }, 1);
	gauge(&o, "upcall_cost_monitor_start_time_seconds",
	      "When monitoring started (Unix time).", (double)s->start_real_ns / 1e9);
	counter(&o, "upcall_cost_monitor_skipped_events_total",
		"Events the monitor could not follow (scratch buffer busy, no room for a thread, batch cut).",
		skipped);
	counter(&o, "upcall_cost_negative_latencies_total",
		"Latencies below zero (clock trouble), recorded as 0.", s->c[UC_MC_NEGATIVE]);
	counter(&o, "upcall_cost_recordings_total",
		"Flight recordings started (--trigger).", s->u[UC_MU_RECORDINGS]);
	if (s->kernel)
		kernel_metrics(&o, s);
	if (s->user) {
		user_metrics(&o, s);
		latency(&o, s, cfg);
	}
	if (o.openmetrics)
		fputs("# EOF\n", out);
	return ferror(out) ? -1 : 0;
}
