/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_timeline.c - handler timelines (timeline.c) from synthetic record
 * streams: every transition of the state machine, IRQs carved out of
 * on-CPU time (nested too), syscalls naming the time inside them, lost
 * records and lost wakes, records slightly out of order, trimming; and
 * for every window, pieces that add up to it exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "timeline.h"

#define TID 100

struct stream {
	struct uc_timelines tl;
	uint32_t seq;
};

static void rec(struct stream *s, uint32_t kind, uint64_t ts, uint64_t a, uint64_t b,
		uint32_t other, const char *comm)
{
	struct uc_xevent xe = {
		.kind = kind, .tid = TID, .ts = ts, .a = a, .b = b, .other = other,
	};

	if (kind != UC_X_WAKING)
		xe.seq = s->seq++;
	snprintf(xe.comm, sizeof(xe.comm), "%s", comm ? comm : "");
	assert_int_equal(uc_tl_add(&s->tl, &xe), 0);
}

static void out(struct stream *s, uint64_t ts, uint64_t state, uint32_t next, const char *c)
{
	rec(s, UC_X_SWITCH_OUT, ts, state, 0, next, c);
}

static void in(struct stream *s, uint64_t ts, uint32_t prev, const char *c)
{
	rec(s, UC_X_SWITCH_IN, ts, 0, 0, prev, c);
}

static void wake(struct stream *s, uint64_t ts, uint32_t waker, const char *c)
{
	rec(s, UC_X_WAKING, ts, 0, 0, waker, c);
}

static void sc(struct stream *s, uint32_t kind, uint64_t entry, uint64_t exit_)
{
	rec(s, UC_X_SYSCALL, entry, exit_, 0, kind, NULL);
}

/* What a window came to, by state (and syscall, IRQ, who). */
struct sum {
	uint64_t total, oncpu_user, irq_hard, irq_soft, runnable, stopped, unknown;
	uint64_t oncpu_sc[UC_SC_MAX], asleep[UC_SC_MAX];
	uint8_t why;
	char who[64];
	const struct uc_timelines *tl;
	uint64_t last_b;
	bool ordered;
};

static void add(void *ctx, const struct uc_tl_piece *p)
{
	struct sum *s = ctx;
	uint64_t ns = p->b - p->a;

	assert_true(p->b > p->a);
	s->ordered &= !s->last_b || p->a == s->last_b;
	s->last_b = p->b;
	s->total += ns;
	if (p->who != UC_TL_NOBODY)
		snprintf(s->who, sizeof(s->who), "%s", uc_strtab_get(&s->tl->names, p->who));
	switch (p->state) {
	case UC_TL_ONCPU:
		if (p->irq == 1)
			s->irq_hard += ns;
		else if (p->irq == 2)
			s->irq_soft += ns;
		else if (p->syscall)
			s->oncpu_sc[p->syscall] += ns;
		else
			s->oncpu_user += ns;
		break;
	case UC_TL_RUNNABLE: s->runnable += ns; break;
	case UC_TL_SLEEP: case UC_TL_UNINT: s->asleep[p->syscall] += ns; break;
	case UC_TL_STOPPED: s->stopped += ns; break;
	default: s->unknown += ns; s->why = p->why; break;
	}
}

static struct sum walk(const struct stream *s, uint64_t a, uint64_t b)
{
	struct sum r = { .tl = &s->tl, .ordered = true };

	uc_tl_walk(uc_tl_thread(&s->tl, TID), a, b, add, &r);
	assert_int_equal(r.total, b > a ? b - a : 0);
	assert_true(r.ordered);
	return r;
}

static void test_preempted(void **state)
{
	struct stream s = { 0 };
	struct sum r;

	(void)state;
	uc_tl_init(&s.tl);
	in(&s, 1000, 0, "swapper/1");
	out(&s, 1010, 0, 9, "hog");              /* still running: preempted */
	in(&s, 1025, 9, "hog");
	r = walk(&s, 1000, 1030);
	assert_int_equal(r.oncpu_user, 15);
	assert_int_equal(r.runnable, 15);
	assert_string_equal(r.who, "hog (9)");
	uc_tl_free(&s.tl);
}

static void test_sleep_in_poll_woken(void **state)
{
	struct stream s = { 0 };
	struct sum r;

	(void)state;
	uc_tl_init(&s.tl);
	in(&s, 0, 0, "");
	out(&s, 10, 1, 0, "swapper/0");          /* TASK_INTERRUPTIBLE */
	wake(&s, 30, 7, "helper");
	in(&s, 32, 0, "swapper/0");
	sc(&s, UC_SC_POLL, 8, 40);               /* written at its exit */
	r = walk(&s, 5, 45);
	assert_int_equal(r.oncpu_user, 3 + 5);   /* [5, 8) and [40, 45) */
	assert_int_equal(r.oncpu_sc[UC_SC_POLL], 2 + 8);
	assert_int_equal(r.asleep[UC_SC_POLL], 20);
	assert_int_equal(r.runnable, 2);
	r = walk(&s, 10, 30);
	assert_string_equal(r.who, "helper (7)");
	uc_tl_free(&s.tl);
}

static void test_stopped_uninterruptible(void **state)
{
	struct stream s = { 0 };
	struct sum r;

	(void)state;
	uc_tl_init(&s.tl);
	in(&s, 0, 0, "");
	out(&s, 10, 0x4, 0, "");                 /* __TASK_STOPPED */
	wake(&s, 60, 55, "kill");
	in(&s, 61, 0, "");
	out(&s, 70, 0x2, 0, "");                 /* TASK_UNINTERRUPTIBLE: D */
	wake(&s, 80, 3, "kworker");
	in(&s, 80, 0, "");
	out(&s, 90, 0x402, 0, "");               /* TASK_IDLE: D | NOLOAD = asleep */
	wake(&s, 95, 3, "kworker");
	in(&s, 96, 0, "");
	r = walk(&s, 0, 100);
	assert_int_equal(r.stopped, 50);
	assert_int_equal(r.asleep[0], 10 + 5);
	assert_int_equal(r.runnable, 1 + 1);
	assert_int_equal(r.oncpu_user, 10 + 9 + 10 + 4);
	r = walk(&s, 10, 60);
	assert_string_equal(r.who, "kill (55)");
	uc_tl_free(&s.tl);
}

/* A softirq with a hardirq nested in it, both inside a syscall. */
static void test_nested_irqs(void **state)
{
	struct stream s = { 0 };
	struct sum r;

	(void)state;
	uc_tl_init(&s.tl);
	in(&s, 0, 0, "");
	rec(&s, UC_X_HARDIRQ, 14, 15, 1, 33, NULL);   /* exits first */
	rec(&s, UC_X_SOFTIRQ, 12, 20, 7, 3, NULL);
	sc(&s, UC_SC_SENDMSG, 11, 25);
	r = walk(&s, 10, 30);
	assert_int_equal(r.irq_hard, 1);
	assert_int_equal(r.irq_soft, 7);
	assert_int_equal(r.oncpu_sc[UC_SC_SENDMSG], 1 + 5);
	assert_int_equal(r.oncpu_user, 1 + 5);
	uc_tl_free(&s.tl);
}

static void test_lost_records(void **state)
{
	struct stream s = { 0 };
	struct sum r;

	(void)state;
	uc_tl_init(&s.tl);
	in(&s, 0, 0, "");
	sc(&s, UC_SC_RECVMSG, 5, 8);
	s.seq += 2;                               /* two records refused */
	sc(&s, UC_SC_RECVMSG, 20, 22);           /* next trusted: emitted at 22 */
	out(&s, 30, 1, 0, "");                   /* a switch: known again */
	wake(&s, 40, 7, "x");
	in(&s, 41, 0, "");
	assert_int_equal(uc_tl_thread(&s.tl, TID)->lost, 2);
	r = walk(&s, 0, 50);
	/* unknown from the last trusted record (emitted at 8) to the switch */
	assert_int_equal(r.unknown, 22);
	assert_int_equal(r.why, UC_TLU_LOST);
	assert_int_equal(r.oncpu_user + r.oncpu_sc[UC_SC_RECVMSG], 8 + 9);
	uc_tl_free(&s.tl);
}

static void test_wake_not_seen(void **state)
{
	struct stream s = { 0 };
	struct sum r;

	(void)state;
	uc_tl_init(&s.tl);
	in(&s, 0, 0, "");
	out(&s, 10, 1, 0, "");
	in(&s, 30, 0, "");                       /* no waking before it */
	r = walk(&s, 0, 40);
	assert_int_equal(r.unknown, 20);
	assert_int_equal(r.why, UC_TLU_NO_WAKE);
	uc_tl_free(&s.tl);
}

/* A thread waking itself, a wake while it runs: nothing changes. */
static void test_ignored_wakes(void **state)
{
	struct stream s = { 0 };
	struct sum r;

	(void)state;
	uc_tl_init(&s.tl);
	in(&s, 0, 0, "");
	wake(&s, 5, 9, "other");                 /* running: ignored */
	out(&s, 10, 1, 0, "");
	wake(&s, 12, TID, "self");               /* itself: ignored */
	wake(&s, 20, 9, "other");
	in(&s, 22, 0, "");
	r = walk(&s, 0, 30);
	assert_int_equal(r.asleep[0], 10);
	assert_int_equal(r.runnable, 2);
	assert_int_equal(r.oncpu_user, 18);
	uc_tl_free(&s.tl);
}

/* Records of several CPUs a little out of order: never a negative piece. */
static void test_out_of_order(void **state)
{
	struct stream s = { 0 };
	struct sum r;

	(void)state;
	uc_tl_init(&s.tl);
	in(&s, 100, 0, "");
	out(&s, 110, 1, 0, "");
	wake(&s, 105, 8, "early");               /* ts before the switch out */
	in(&s, 120, 0, "");
	r = walk(&s, 100, 130);
	assert_int_equal(r.runnable, 10);        /* from 110, not 105 */
	assert_int_equal(r.oncpu_user, 20);
	uc_tl_free(&s.tl);
}

static void test_untraced_before_first_trimmed(void **state)
{
	struct stream s = { 0 };
	struct sum r;

	(void)state;
	uc_tl_init(&s.tl);
	r = walk(&s, 0, 10);
	assert_int_equal(r.unknown, 10);
	assert_int_equal(r.why, UC_TLU_NOT_TRACED);
	in(&s, 50, 0, "");
	r = walk(&s, 0, 60);
	assert_int_equal(r.unknown, 50);
	assert_int_equal(r.why, UC_TLU_BEFORE_FIRST);
	out(&s, 70, 1, 0, "");
	wake(&s, 80, 1, "w");
	in(&s, 90, 0, "");
	uc_tl_trim(&s.tl, 85);                   /* everything that ended before */
	r = walk(&s, 40, 100);
	assert_int_equal(r.unknown, 40);         /* [40, 80): trimmed */
	assert_int_equal(r.why, UC_TLU_TRIMMED);
	assert_int_equal(r.runnable, 10);
	assert_int_equal(r.oncpu_user, 10);
	uc_tl_free(&s.tl);
}

static void test_syscall_search(void **state)
{
	struct stream s = { 0 };
	const struct uc_tl_thread *t;
	unsigned recv = 1u << UC_SC_RECVMSG, send = 1u << UC_SC_SENDMSG;

	(void)state;
	uc_tl_init(&s.tl);
	in(&s, 0, 0, "");
	sc(&s, UC_SC_RECVMSG, 10, 12);
	sc(&s, UC_SC_RECVMSG, 20, 22);
	sc(&s, UC_SC_SENDMSG, 30, 35);
	t = uc_tl_thread(&s.tl, TID);
	assert_int_equal(uc_tl_syscall_before(t, 21, recv)->a, 20);
	assert_int_equal(uc_tl_syscall_before(t, 20, recv)->a, 10);   /* strictly */
	assert_null(uc_tl_syscall_before(t, 10, recv));
	assert_int_equal(uc_tl_syscall_after(t, 12, recv | send)->a, 20);
	assert_int_equal(uc_tl_syscall_after(t, 22, recv | send)->a, 30);
	assert_null(uc_tl_syscall_after(t, 30, recv));
	assert_null(uc_tl_syscall_after(NULL, 0, recv));
	uc_tl_free(&s.tl);
}

/* Random streams (every kind, gaps, disorder): any window adds up. */
static void test_random_windows_add_up(void **state)
{
	uint64_t rng = 42;

	(void)state;
	for (int round = 0; round < 200; round++) {
		struct stream s = { 0 };
		uint64_t ts = 1000;

		uc_tl_init(&s.tl);
		for (int i = 0; i < 200; i++) {
			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			uint32_t r = (uint32_t)(rng >> 33);
			uint32_t kind = UC_X_SWITCH_OUT + r % 6;

			ts += r % 50;
			if (r % 17 == 0)
				s.seq++;                 /* a lost record */
			if (kind == UC_X_HARDIRQ || kind == UC_X_SOFTIRQ || kind == UC_X_SYSCALL)
				rec(&s, kind, ts > 30 ? ts - r % 30 : ts, ts, 1,
				    kind == UC_X_SYSCALL ? 1 + r % 5 : 3, NULL);
			else
				rec(&s, kind, ts - (r % 7 == 0 ? 3 : 0), (r >> 8) % 3, 0,
				    r % 5, "x");
		}
		for (int w = 0; w < 20; w++) {
			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			uint64_t a = 900 + (rng >> 40) % (ts - 800), b = a + (rng >> 20) % 3000;

			walk(&s, a, b);
		}
		uc_tl_free(&s.tl);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preempted),
		cmocka_unit_test(test_sleep_in_poll_woken),
		cmocka_unit_test(test_stopped_uninterruptible),
		cmocka_unit_test(test_nested_irqs),
		cmocka_unit_test(test_lost_records),
		cmocka_unit_test(test_wake_not_seen),
		cmocka_unit_test(test_ignored_wakes),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_untraced_before_first_trimmed),
		cmocka_unit_test(test_syscall_search),
		cmocka_unit_test(test_random_windows_add_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
