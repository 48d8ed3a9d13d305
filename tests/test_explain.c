/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_explain.c - one upcall's latency in parts (explain.c): the windows
 * from the handler's syscalls and from its USDT times alone, each part
 * where it belongs, who is named, clamped boundaries; and for random
 * timelines and random upcalls, parts that add up to tk - t0 exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "explain.h"

#define TID 4001

struct stream {
	struct uc_timelines tl;
	uint32_t seq;
};

static void rec(struct stream *s, uint32_t kind, uint64_t ts, uint64_t a,
		uint32_t other, const char *comm)
{
	struct uc_xevent xe = { .kind = kind, .tid = TID, .ts = ts, .a = a, .other = other };

	if (kind != UC_X_WAKING)
		xe.seq = s->seq++;
	snprintf(xe.comm, sizeof(xe.comm), "%s", comm ? comm : "");
	assert_int_equal(uc_tl_add(&s->tl, &xe), 0);
}

static uint64_t sum(const struct uc_explanation *x)
{
	uint64_t n = 0;

	for (int p = 0; p < UC_PART_COUNT; p++)
		n += x->part[p];
	return n;
}

static const char *who(const struct stream *s, const struct uc_explanation *x,
		       enum uc_part_who w)
{
	return x->who[w] == UC_TL_NOBODY ? "" : uc_strtab_get(&s->tl.names, x->who[w]);
}

/*
 * A handler asleep in poll is woken by a kernel upcall (t0 = 1000) on
 * another CPU, reads two upcalls (recvmsg at 1100 and 1300; the third
 * read at 1500 finds the socket empty), looks each up, then installs and
 * executes both in one sendmsg (1600..1800; the second's kernel execute
 * at 1750).  The second upcall (t0 = 1050) was queued behind the first.
 */
static void batch_of_two(struct stream *s)
{
	uc_tl_init(&s->tl);
	rec(s, UC_X_SWITCH_IN, 0, 0, 0, "");
	rec(s, UC_X_SWITCH_OUT, 500, 1, 0, "swapper/1");         /* asleep */
	rec(s, UC_X_WAKING, 1020, 1000, 77, "traffic");          /* a: its upcall */
	rec(s, UC_X_SWITCH_IN, 1040, 0, 0, "swapper/1");         /* runnable 20 */
	rec(s, UC_X_SYSCALL, 400, 1090, UC_SC_POLL, NULL);
	rec(s, UC_X_SYSCALL, 1100, 1150, UC_SC_RECVMSG, NULL);
	rec(s, UC_X_SYSCALL, 1300, 1340, UC_SC_RECVMSG, NULL);
	rec(s, UC_X_SYSCALL, 1500, 1510, UC_SC_RECVMSG, NULL);   /* EAGAIN */
	rec(s, UC_X_SYSCALL, 1600, 1800, UC_SC_SENDMSG, NULL);
}

static void test_first_of_batch(void **state)
{
	struct stream s = { 0 };
	struct uc_explanation x;
	struct uc_explain_in in = {
		.t0 = 1000, .recv = 1160, .tk = 1700, .batch_first_recv = 1160,
		.next_recv = 1350, .first_op = 1550,
	};

	(void)state;
	batch_of_two(&s);
	assert_true(uc_explain(uc_tl_thread(&s.tl, TID), &in, &x));
	assert_int_equal(sum(&x), 700);
	assert_int_equal(x.part[UC_PART_ASLEEP], 20);          /* [1000, 1020) */
	assert_int_equal(x.part[UC_PART_RUNNABLE], 20);        /* [1020, 1040) */
	assert_int_equal(x.part[UC_PART_QUEUED_BEFORE], 60);   /* poll's end .. read */
	assert_int_equal(x.part[UC_PART_RECEIVE], 60);         /* [1100, 1160) */
	assert_int_equal(x.part[UC_PART_LOOKUP_ONCPU], 140);   /* [1160, 1300) */
	assert_int_equal(x.part[UC_PART_BATCH_AFTER], 210);    /* [1300, 1510) */
	assert_int_equal(x.part[UC_PART_OPS_USER], 90);        /* [1510, 1600) */
	assert_int_equal(x.part[UC_PART_OPS_SYSCALL], 100);    /* [1600, 1700) */
	assert_int_equal(x.part[UC_PART_UNKNOWN], 0);
	assert_true(x.flags & UC_EXPL_OWN_WAKE);
	assert_false(x.flags & UC_EXPL_USDT_BOUNDS);
	assert_string_equal(who(&s, &x, UC_WHO_ASLEEP), "traffic (77)");
	assert_string_equal(who(&s, &x, UC_WHO_RUNNABLE), "swapper/1");
	uc_tl_free(&s.tl);
}

static void test_queued_in_batch(void **state)
{
	struct stream s = { 0 };
	struct uc_explanation x;
	struct uc_explain_in in = {
		.t0 = 1050, .recv = 1345, .tk = 1750, .batch_first_recv = 1160,
		.next_recv = 0, .first_op = 1550,
	};

	(void)state;
	batch_of_two(&s);
	assert_true(uc_explain(uc_tl_thread(&s.tl, TID), &in, &x));
	assert_int_equal(sum(&x), 700);
	assert_int_equal(x.part[UC_PART_QUEUED_BEFORE], 50);   /* [1050, 1100) */
	assert_int_equal(x.part[UC_PART_QUEUED_BATCH], 200);   /* [1100, 1300) */
	assert_int_equal(x.part[UC_PART_RECEIVE], 45);
	assert_int_equal(x.part[UC_PART_LOOKUP_ONCPU], 155);   /* [1345, 1500) */
	assert_int_equal(x.part[UC_PART_BATCH_AFTER], 10);
	assert_int_equal(x.part[UC_PART_OPS_USER], 90);
	assert_int_equal(x.part[UC_PART_OPS_SYSCALL], 150);
	assert_false(x.flags & UC_EXPL_OWN_WAKE);
	uc_tl_free(&s.tl);
}

/* Without syscall records the USDT times cut the windows. */
static void test_usdt_bounds(void **state)
{
	struct stream s = { 0 };
	struct uc_explanation x;
	struct uc_explain_in in = {
		.t0 = 1000, .recv = 1160, .tk = 1700, .batch_first_recv = 1160,
		.next_recv = 1350, .first_op = 1550,
	};

	(void)state;
	uc_tl_init(&s.tl);
	rec(&s, UC_X_SWITCH_IN, 900, 0, 0, "");
	assert_true(uc_explain(uc_tl_thread(&s.tl, TID), &in, &x));
	assert_true(x.flags & UC_EXPL_USDT_BOUNDS);
	assert_int_equal(sum(&x), 700);
	assert_int_equal(x.part[UC_PART_QUEUED_BEFORE], 160);  /* [1000, 1160) */
	assert_int_equal(x.part[UC_PART_LOOKUP_ONCPU], 190);   /* [1160, 1350) */
	assert_int_equal(x.part[UC_PART_BATCH_AFTER], 200);    /* [1350, 1550) */
	assert_int_equal(x.part[UC_PART_OPS_USER], 150);
	uc_tl_free(&s.tl);
}

/* A lookup asleep on a lock: off-CPU in the lookup, the holder named. */
static void test_lookup_offcpu(void **state)
{
	struct stream s = { 0 };
	struct uc_explanation x;
	struct uc_explain_in in = {
		.t0 = 90, .recv = 160, .tk = 600, .batch_first_recv = 160, .first_op = 450,
	};

	(void)state;
	uc_tl_init(&s.tl);
	rec(&s, UC_X_SWITCH_IN, 0, 0, 0, "");
	rec(&s, UC_X_SYSCALL, 100, 150, UC_SC_RECVMSG, NULL);
	rec(&s, UC_X_SWITCH_OUT, 200, 1, 0, "");
	rec(&s, UC_X_WAKING, 300, 0, 55, "revalidator12");
	rec(&s, UC_X_SWITCH_IN, 300, 0, 0, "");
	rec(&s, UC_X_SYSCALL, 190, 301, UC_SC_FUTEX, NULL);
	rec(&s, UC_X_SYSCALL, 400, 410, UC_SC_RECVMSG, NULL);
	rec(&s, UC_X_SYSCALL, 500, 650, UC_SC_SENDMSG, NULL);
	assert_true(uc_explain(uc_tl_thread(&s.tl, TID), &in, &x));
	assert_int_equal(sum(&x), 510);
	assert_int_equal(x.part[UC_PART_LOOKUP_OFFCPU], 100);
	assert_int_equal(x.part[UC_PART_LOOKUP_ONCPU], 140);
	assert_string_equal(who(&s, &x, UC_WHO_LOOKUP_OFFCPU), "revalidator12 (55)");
	uc_tl_free(&s.tl);
}

/* A handler with no record at all: all unknown, still adding up. */
static void test_not_traced(void **state)
{
	struct uc_explanation x;
	struct uc_explain_in in = { .t0 = 10, .recv = 20, .tk = 40 };

	(void)state;
	assert_true(uc_explain(NULL, &in, &x));
	assert_int_equal(x.part[UC_PART_UNKNOWN], 30);
	assert_int_equal(x.unknown_why, UC_TLU_NOT_TRACED);
	assert_true(x.flags & UC_EXPL_NOT_TRACED);
	in.tk = 5;                                    /* before t0: nothing */
	assert_false(uc_explain(NULL, &in, &x));
}

/* Receive before the upcall, a read after the execute: clamped. */
static void test_clamped(void **state)
{
	struct stream s = { 0 };
	struct uc_explanation x;
	struct uc_explain_in in = { .t0 = 500, .recv = 450, .tk = 700, .first_op = 800 };

	(void)state;
	uc_tl_init(&s.tl);
	rec(&s, UC_X_SWITCH_IN, 0, 0, 0, "");
	assert_true(uc_explain(uc_tl_thread(&s.tl, TID), &in, &x));
	assert_true(x.flags & UC_EXPL_CLAMPED);
	assert_int_equal(sum(&x), 200);
	uc_tl_free(&s.tl);
}

static void test_random_upcalls_add_up(void **state)
{
	uint64_t rng = 7;

	(void)state;
	for (int round = 0; round < 100; round++) {
		struct stream s = { 0 };
		uint64_t ts = 100;

		uc_tl_init(&s.tl);
		for (int i = 0; i < 300; i++) {
			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			uint32_t r = (uint32_t)(rng >> 33);
			uint32_t kind = UC_X_SWITCH_OUT + r % 6;

			ts += r % 40;
			if (kind == UC_X_HARDIRQ || kind == UC_X_SOFTIRQ || kind == UC_X_SYSCALL)
				rec(&s, kind, ts - r % 20, ts, 1 + (r >> 4) % 5, NULL);
			else
				rec(&s, kind, ts, (r >> 8) % 5, (r >> 12) % 9, "w");
		}
		for (int u = 0; u < 50; u++) {
			struct uc_explanation x;
			struct uc_explain_in in;

			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			in.t0 = (rng >> 40) % ts;
			in.batch_first_recv = in.t0 + (rng >> 30) % 500;
			in.recv = in.batch_first_recv + (rng >> 20) % 300;
			in.next_recv = (rng & 1) ? in.recv + (rng >> 10) % 200 : 0;
			in.first_op = (rng & 2) ? in.recv + (rng >> 5) % 900 : 0;
			in.tk = in.t0 + (rng >> 3) % 3000;
			if (uc_explain(uc_tl_thread(&s.tl, TID), &in, &x))
				assert_int_equal(sum(&x), in.tk - in.t0);
		}
		uc_tl_free(&s.tl);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_of_batch),
		cmocka_unit_test(test_queued_in_batch),
		cmocka_unit_test(test_usdt_bounds),
		cmocka_unit_test(test_lookup_offcpu),
		cmocka_unit_test(test_not_traced),
		cmocka_unit_test(test_clamped),
		cmocka_unit_test(test_random_upcalls_add_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
