// SPDX-License-Identifier: BSD-2-Clause
/*
 * testbed/why_check.c - the checks of the testbed's "why" scenarios, on
 * a native recording of the guest (make e2e builds it on the host and
 * runs it on each scenario's trace.ucap):
 *
 *   why_check SCENARIO TRACE RESULTS_DIR
 *
 * Every scenario: each explained upcall's parts add up to its latency
 * (kernel upcall to kernel execute) exactly: they partition that
 * interval in integer nanoseconds, so the tolerance is 0 ns; and where
 * the capture followed the handlers (--explain) and the ring refused no
 * record, "unknown" is at most 1 % of all their time, and at most 1 % of
 * an upcall for at least 97 % of them (not counting the time before a
 * handler's first switch record).  Why 97 and not 99: even when the ring
 * refuses nothing, the timeline sees a gap in a thread's records or a
 * wake it was not told of in about 0.3 to 1.5 % of the upcalls (two
 * runs of hog and sigstop on 6.1); it shows that time as unknown, with
 * its cause, rather than guess.  (Likely: a hook the kernel skipped
 * because another BPF program was running on that CPU.)
 *
 *   lost      the kernel's totals of failed upcalls = dpctl/show's lost
 *             delta (summary.txt: dp_lost) exactly; every failure record
 *             read, plus those the ring refused, = that number; every lost
 *             upcall carries its errno; no verdict came after its upcall
 *             was matched (each flow is new: nothing identical to match).
 *   delflows  N new flows (delflows.txt: flows=N), dpctl/del-flows, the
 *             same N again: N first misses, then N re-misses after
 *             deletion, reason: the flush, every one after every first.
 *   hog       for the upcalls whose [upcall, execute] overlaps a busy
 *             stretch of the SCHED_FIFO hog (hog.txt) by >= 5 ms:
 *             run-queue delay is the largest part of >= 90 % of them, and
 *             the hog is named as what ran instead in >= 75 % of them (a
 *             handler woken while the hog runs gets the CPU after it and
 *             after whatever else was queued: ksoftirqd, rcu, the captures
 *             themselves; "ran instead" names the preemptor, else the task
 *             that ran last before the handler, so some of them name
 *             another task).
 *   sigstop   for the upcalls made while ovs-vswitchd was stopped
 *             (stop.txt): stopped + asleep + queued + runnable >= 80 % of
 *             the time from the upcall to SIGCONT, lookup <= 10 % of its
 *             latency; the largest "stopped" is the stop's length +- 20 ms.
 *
 * Prints PASS/FAIL lines, facts on "     " lines (among them "settled=N
 * lost=L": the upcalls a --pcap of the same run holds), and "N passed, M
 * failed".
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "../tests/lib/check.h"
#include "report_model.h"
#include "trace_file.h"
#include "upcall.h"


#define MAX_BUSY 4096

/* What the injected cause left in the results directory. */
struct truth {
	int64_t dp_lost;                 /* dpctl/show's lost delta, or -1 */
	long flows;                      /* delflows: flows per round */
	int hog_tid;
	uint64_t busy[MAX_BUSY][2];      /* hog: busy stretches */
	size_t n_busy;
	uint64_t stop_a, stop_b;         /* sigstop: SIGSTOP .. SIGCONT */
};

struct tally {
	const char *scen;
	const struct truth *t;
	/* every scenario */
	uint64_t settled, sets, explained, sum_bad, unknown_bad, unknown_checked;
	uint64_t all_ns, unknown_ns;        /* explained upcalls' time */
	uint64_t lost_upcalls, lost_no_errno;
	/* delflows */
	uint64_t first, after_flush, after_other, other_cls;
	uint64_t last_first, first_after;   /* times */
	/* hog */
	uint64_t affected, runnable_largest, hog_named;
	/* sigstop */
	uint64_t in_stop, waited_ok, lookup_ok, max_stopped;
};

static double ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

static uint64_t overlap(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	uint64_t lo = a > c ? a : c, hi = b < d ? b : d;

	return hi > lo ? hi - lo : 0;
}

static void check_parts(struct tally *t, const struct uc_upcall *u, uint64_t total)
{
	const struct uc_explanation *e = u->expl;
	uint64_t sum = 0;

	t->explained++;
	t->all_ns += total;
	t->unknown_ns += e->part[UC_PART_UNKNOWN];
	for (int p = 0; p < UC_PART_COUNT; p++)
		sum += e->part[p];
	if (sum != total)
		t->sum_bad++;
	if (!(e->flags & UC_EXPL_USDT_BOUNDS) && e->unknown_why != UC_TLU_BEFORE_FIRST) {
		t->unknown_checked++;
		if (e->part[UC_PART_UNKNOWN] * 100 > total) {
			t->unknown_bad++;
			if (getenv("WHY_DEBUG"))
				printf("     unknown %.3f of %.3f ms: %s\n",
				       ms(e->part[UC_PART_UNKNOWN]), ms(total),
				       uc_tl_unknown_name(e->unknown_why));
		}
	}
}

static void hog_upcall(struct tally *t, const struct uc_upcall *u, uint64_t t0, uint64_t tk)
{
	const struct uc_explanation *e = u->expl;
	uint64_t ov = 0;
	bool largest = true;
	char want[24];

	for (size_t i = 0; i < t->t->n_busy; i++)
		ov += overlap(t0, tk, t->t->busy[i][0], t->t->busy[i][1]);
	if (ov < 5000000)
		return;
	t->affected++;
	for (int p = 0; p < UC_PART_COUNT; p++)
		if (p != UC_PART_RUNNABLE && e->part[p] > e->part[UC_PART_RUNNABLE])
			largest = false;
	t->runnable_largest += largest;
	snprintf(want, sizeof(want), "(%d)", t->t->hog_tid);
	if (e->who[UC_WHO_RUNNABLE] != UC_TL_NOBODY &&
	    strstr(uc_strtab_get(u->expl_names, e->who[UC_WHO_RUNNABLE]), want))
		t->hog_named++;
	else if (getenv("WHY_DEBUG"))
		printf("     not the hog: %s, runnable %.3f of %.3f ms\n",
		       e->who[UC_WHO_RUNNABLE] == UC_TL_NOBODY ? "nobody" :
		       uc_strtab_get(u->expl_names, e->who[UC_WHO_RUNNABLE]),
		       ms(e->part[UC_PART_RUNNABLE]), ms(tk - t0));
}

static void stop_upcall(struct tally *t, const struct uc_upcall *u, uint64_t t0, uint64_t tk)
{
	const uint64_t *p = u->expl->part;
	uint64_t waited = p[UC_PART_STOPPED] + p[UC_PART_ASLEEP] + p[UC_PART_QUEUED_BEFORE] +
			  p[UC_PART_QUEUED_BATCH] + p[UC_PART_RUNNABLE];
	uint64_t lookup = p[UC_PART_LOOKUP_ONCPU] + p[UC_PART_LOOKUP_OFFCPU];

	if (p[UC_PART_STOPPED] > t->max_stopped)
		t->max_stopped = p[UC_PART_STOPPED];
	if (t0 < t->t->stop_a || t0 >= t->t->stop_b)
		return;
	t->in_stop++;
	if (waited * 10 >= (t->t->stop_b - t0) * 8)
		t->waited_ok++;
	if (lookup * 10 <= tk - t0)
		t->lookup_ok++;
}

static int on_upcall(void *ctx, const struct uc_upcall *u)
{
	struct tally *t = ctx;
	uint64_t t0 = u->ts[UC_EV_DP_UPCALL], tk = u->ts[UC_EV_OVS_PKT_EXEC];

	t->settled++;
	if (u->kind == UC_UPCALL_LOST) {
		t->lost_upcalls++;
		t->lost_no_errno += u->err >= 0;
		return 0;
	}
	if (u->kind != UC_UPCALL_SET)
		return 0;
	t->sets++;
	if (u->miss) {
		if (u->miss->cls == UC_MISS_FIRST) {
			t->first++;
			if (u->when > t->last_first)
				t->last_first = u->when;
		} else if (u->miss->cls == UC_MISS_AFTER_DELETE) {
			if (u->miss->reason == UC_MR_FLUSH)
				t->after_flush++;
			else
				t->after_other++;
			if (!t->first_after || u->when < t->first_after)
				t->first_after = u->when;
		} else {
			t->other_cls++;
		}
	}
	if (!u->expl || !t0 || !tk || tk < t0)
		return 0;
	check_parts(t, u, tk - t0);
	if (!strcmp(t->scen, "hog"))
		hog_upcall(t, u, t0, tk);
	else if (!strcmp(t->scen, "sigstop"))
		stop_upcall(t, u, t0, tk);
	return 0;
}

static void read_truth(const char *dir, struct truth *t)
{
	char path[4096], line[256];
	unsigned long long a, b;
	long long v;
	FILE *f;

	t->dp_lost = -1;
	snprintf(path, sizeof(path), "%s/summary.txt", dir);
	if ((f = fopen(path, "r"))) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "dp_lost=%lld", &v) == 1)
				t->dp_lost = v;
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/delflows.txt", dir);
	if ((f = fopen(path, "r"))) {
		while (fgets(line, sizeof(line), f))
			sscanf(line, "flows=%ld", &t->flows);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/hog.txt", dir);
	if ((f = fopen(path, "r"))) {
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "busy %llu %llu", &a, &b) == 2 && t->n_busy < MAX_BUSY) {
				t->busy[t->n_busy][0] = a;
				t->busy[t->n_busy++][1] = b;
			} else {
				sscanf(line, "hog %d", &t->hog_tid);
			}
		}
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/stop.txt", dir);
	if ((f = fopen(path, "r"))) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "stop %*d %llu %llu", &a, &b) == 2) {
				t->stop_a = a;
				t->stop_b = b;
			}
		fclose(f);
	}
}

static void check_lost(const struct tally *t, const struct uc_lost_summary *l)
{
	printf("     lost: traced %d, totals %d, upcalls %" PRIu64 ", failed %" PRIu64
	       ", records %" PRIu64 " (+%" PRIu64 " refused), lost upcalls %" PRIu64
	       ", verdicts after a match %" PRIu64 "; dpctl lost %" PRId64 "\n",
	       l->traced, l->have_totals, l->upcalls, l->failed, l->records,
	       l->records_missed, t->lost_upcalls, l->verdict_after_match, t->t->dp_lost);
	for (size_t i = 0; i < l->by_errno.n; i++)
		printf("     errno %s: %" PRIu64 "\n", l->by_errno.r[i].label, l->by_errno.r[i].count);
	CHECK(l->traced && l->have_totals, "lost: the kernel's verdicts were traced, with totals");
	CHECK(t->t->dp_lost > 0 && l->failed == (uint64_t)t->t->dp_lost,
	      "lost: failed upcalls by the kernel's totals (%" PRIu64 ") = dpctl/show lost (%" PRId64 ")",
	      l->failed, t->t->dp_lost);
	CHECK(l->records + l->records_missed == l->failed,
	      "lost: failure records %" PRIu64 " + refused %" PRIu64 " = failed %" PRIu64,
	      l->records, l->records_missed, l->failed);
	CHECK(t->lost_upcalls == l->records && !t->lost_no_errno,
	      "lost: every failure record is a lost upcall (%" PRIu64 " of %" PRIu64
	      ") with its errno (%" PRIu64 " without)", t->lost_upcalls, l->records,
	      t->lost_no_errno);
	CHECK(!l->verdict_after_match, "lost: no failed upcall was matched to a receive (%" PRIu64 ")",
	      l->verdict_after_match);
}

int main(int argc, char **argv)
{
	static struct truth truth;
	struct tally t = { 0 };
	struct uc_analysis a;
	struct uc_event_sink sink;
	struct uc_report_config cfg = { .top = 10 };
	struct uc_report r;
	struct uc_error err = { "" };
	bool explain;

	if (argc != 4) {
		fprintf(stderr, "usage: why_check SCENARIO TRACE RESULTS_DIR\n");
		return 2;
	}
	t.scen = argv[1];
	t.t = &truth;
	read_truth(argv[3], &truth);
	if (uc_analysis_init(&a, NULL))
		return 1;
	uc_analysis_on_upcall(&a, (struct uc_upcall_sink){ &t, on_upcall });
	sink = uc_analysis_sink(&a);
	if (uc_trace_read(argv[2], &sink, &err) || uc_analysis_finish(&a) ||
	    uc_report_compute(&r, &a, &cfg, &err)) {
		printf("FAIL: %s: %s read and analysed: %s\n0 passed, 1 failed\n", t.scen,
		       argv[2], err.msg);
		return 1;
	}
	explain = r.ext.sources.features & UC_FEAT_SCHED;
	printf("     %s: %" PRIu64 " sets, %" PRIu64 " explained, %" PRIu64
	       " lost upcalls; timeline records refused by the ring: %s\n", t.scen, t.sets,
	       t.explained, t.lost_upcalls,
	       r.ext.sources.xmissed[UC_X_SWITCH_OUT - UC_X_BASE] ? "some" : "none");
	if (t.explained)
		CHECK(!t.sum_bad, "%s: the parts add up to the latency exactly, for every one of "
		      "%" PRIu64 " explained upcalls (%" PRIu64 " do not)", t.scen, t.explained,
		      t.sum_bad);
	if (explain) {
		uint64_t refused = 0;

		for (int k = UC_X_SWITCH_OUT; k <= UC_X_SYSCALL; k++)
			refused += r.ext.sources.xmissed[k - UC_X_BASE];
		CHECK(t.explained == t.sets && t.sets > 0,
		      "%s: --explain explained every set (%" PRIu64 " of %" PRIu64 ")", t.scen,
		      t.explained, t.sets);
		if (!refused)
		{
			CHECK(t.unknown_ns * 100 <= t.all_ns,
			      "%s: unknown <= 1 %% of all explained upcall time (%.3f of %.3f ms)",
			      t.scen, ms(t.unknown_ns), ms(t.all_ns));
			CHECK(t.unknown_bad * 100 <= t.unknown_checked * 3,
			      "%s: unknown <= 1 %% of the latency for >= 97 %% of upcalls "
			      "(%" PRIu64 " of %" PRIu64 " above)", t.scen, t.unknown_bad,
			      t.unknown_checked);
		}
	}
	if (!strcmp(t.scen, "lost")) {
		check_lost(&t, &r.ext.lost);
	} else if (!strcmp(t.scen, "delflows")) {
		printf("     classes: first %" PRIu64 ", re-miss after the flush %" PRIu64
		       ", after another deletion %" PRIu64 ", other %" PRIu64 "\n", t.first,
		       t.after_flush, t.after_other, t.other_cls);
		CHECK(truth.flows > 0 && t.first == (uint64_t)truth.flows,
		      "delflows: the first round's %ld upcalls are first misses (%" PRIu64 ")",
		      truth.flows, t.first);
		CHECK(truth.flows > 0 && t.after_flush == (uint64_t)truth.flows && !t.after_other,
		      "delflows: the second round's %ld upcalls are re-misses after the "
		      "deletion, by the flush (%" PRIu64 ", other reasons %" PRIu64 ")",
		      truth.flows, t.after_flush, t.after_other);
		CHECK(t.first_after > t.last_first,
		      "delflows: every re-miss comes after every first miss");
	} else if (!strcmp(t.scen, "hog")) {
		printf("     hog %d, %zu busy stretches; %" PRIu64 " upcalls overlap them by >= 5 ms: "
		       "run-queue delay largest in %" PRIu64 ", the hog named in %" PRIu64 "\n",
		       truth.hog_tid, truth.n_busy, t.affected, t.runnable_largest, t.hog_named);
		CHECK(t.affected >= 10 && t.runnable_largest * 10 >= t.affected * 9,
		      "hog: run-queue delay is the largest part of >= 90 %% of the %" PRIu64
		      " affected upcalls (%" PRIu64 ")", t.affected, t.runnable_largest);
		CHECK(t.affected >= 10 && t.hog_named * 4 >= t.affected * 3,
		      "hog: the SCHED_FIFO hog (%d) is named as what ran instead in >= 75 %% of "
		      "them (%" PRIu64 "; the others name the task that ran last before the "
		      "handler got its CPU)", truth.hog_tid, t.hog_named);
	} else if (!strcmp(t.scen, "sigstop")) {
		uint64_t len = truth.stop_b - truth.stop_a;

		printf("     stop %.3f ms; %" PRIu64 " upcalls made then: waited >= 80 %% in %" PRIu64
		       ", lookup <= 10 %% in %" PRIu64 "; largest stopped %.3f ms\n", ms(len),
		       t.in_stop, t.waited_ok, t.lookup_ok, ms(t.max_stopped));
		CHECK(t.in_stop > 0 && t.waited_ok == t.in_stop,
		      "sigstop: the %" PRIu64 " upcalls made during the stop spent >= 80 %% of "
		      "the time to SIGCONT stopped, asleep, queued or runnable (%" PRIu64 ")",
		      t.in_stop, t.waited_ok);
		CHECK(t.in_stop > 0 && t.lookup_ok == t.in_stop,
		      "sigstop: ... and <= 10 %% of their latency in the lookup (%" PRIu64 ")",
		      t.lookup_ok);
		CHECK(len && t.max_stopped + 20000000 >= len && t.max_stopped <= len + 20000000,
		      "sigstop: the largest stopped part %.3f ms = the stop's %.3f ms +- 20 ms",
		      ms(t.max_stopped), ms(len));
	}
	/* for the --pcap check of make e2e */
	printf("     settled=%" PRIu64 " lost=%" PRIu64 "\n", t.settled, t.lost_upcalls);
	uc_report_free(&r);
	uc_analysis_free(&a);
	return check_finish();
}
