/* SPDX-License-Identifier: BSD-2-Clause */
/* timeline.c - handler threads' timelines (timeline.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "timeline.h"

#define END_OF_TIME UINT64_MAX

/* ---------------------------------------------------------------- vectors */

#define VEC_LEN(vec) ((vec).n - (vec).head)
#define VEC_AT(vec, i) ((vec).v[(vec).head + (i)])
#define VEC_LAST(vec) ((vec).v[(vec).n - 1])
/* The first live item, NULL when empty (no arithmetic on a NULL v). */
#define VEC_BASE(vec) (VEC_LEN(vec) ? (const void *)&VEC_AT(vec, 0) : NULL)

/* Appends *ITEM (ELEM bytes) to a vector's storage. */
static int vec_push(void **v, size_t *n, size_t *cap, const void *item, size_t elem)
{
	if (uc_grow(v, cap, *n + 1, elem))
		return -ENOMEM;
	memcpy((char *)*v + *n * elem, item, elem);
	(*n)++;
	return 0;
}
#define PUSH(vec, item) vec_push((void **)&(vec).v, &(vec).n, &(vec).cap, (item), sizeof(*(vec).v))

/* Drops the first K items; moves the rest down once half is dead. */
static void vec_drop(void *v, size_t *head, size_t *n, size_t k, size_t elem)
{
	*head += k;
	if (*head > 1024 && *head * 2 > *n) {
		memmove(v, (char *)v + *head * elem, (*n - *head) * elem);
		*n -= *head;
		*head = 0;
	}
}
#define DROP(vec, k) vec_drop((vec).v, &(vec).head, &(vec).n, (k), sizeof(*(vec).v))
/* Drops the items of VEC (in time order) that ended by BEFORE. */
#define DROP_ENDED(vec, before)							\
	do {									\
		size_t k_ = 0;							\
		while (k_ < VEC_LEN(vec) && VEC_AT(vec, k_).b <= (before))	\
			k_++;							\
		DROP(vec, k_);							\
	} while (0)

/* ---------------------------------------------------------------- names */

const char *uc_tl_unknown_name(uint8_t why)
{
	static const char *const names[UC_TLU_COUNT] = {
		[UC_TLU_NONE] = "", [UC_TLU_NOT_TRACED] = "thread not traced",
		[UC_TLU_BEFORE_FIRST] = "before the thread's first record",
		[UC_TLU_LOST] = "records lost", [UC_TLU_NO_WAKE] = "wake not seen",
		[UC_TLU_TRIMMED] = "older than the history kept",
	};

	return why < UC_TLU_COUNT ? names[why] : "?";
}

/* "comm (tid)": a name for the report. */
static uint32_t name_of(struct uc_timelines *tl, const char *comm, uint32_t tid)
{
	char buf[UC_TASK_COMM_LEN + 16];

	if (!tid)
		return uc_strtab_intern(&tl->names, comm[0] ? comm : "idle");
	snprintf(buf, sizeof(buf), "%s (%u)", comm, tid);
	return uc_strtab_intern(&tl->names, buf);
}

/* ---------------------------------------------------------------- threads */

void uc_tl_init(struct uc_timelines *tl)
{
	memset(tl, 0, sizeof(*tl));
	uc_map64_init(&tl->by_tid);
	uc_strtab_init(&tl->names);
}

void uc_tl_free(struct uc_timelines *tl)
{
	for (size_t i = 0; i < tl->n; i++) {
		free(tl->t[i].iv.v);
		free(tl->t[i].sc.v);
		free(tl->t[i].hard.v);
		free(tl->t[i].soft.v);
	}
	free(tl->t);
	uc_map64_free(&tl->by_tid);
	uc_strtab_free(&tl->names);
	memset(tl, 0, sizeof(*tl));
}

bool uc_tl_is_record(uint32_t kind)
{
	return kind >= UC_X_SWITCH_OUT && kind <= UC_X_SYSCALL;
}

const struct uc_tl_thread *uc_tl_thread(const struct uc_timelines *tl,
					uint32_t tid)
{
	uint32_t i = uc_map64_get(&tl->by_tid, tid);

	return i == UC_MAP64_NONE ? NULL : &tl->t[i];
}

static struct uc_tl_thread *thread_of(struct uc_timelines *tl, uint32_t tid)
{
	uint32_t i = uc_map64_get(&tl->by_tid, tid);
	struct uc_tl_thread *t;

	if (i != UC_MAP64_NONE)
		return &tl->t[i];
	if (uc_grow((void **)&tl->t, &tl->cap, tl->n + 1, sizeof(*tl->t)) ||
	    uc_map64_add(&tl->by_tid, tid, (uint32_t)tl->n))
		return NULL;
	t = &tl->t[tl->n++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	/* Nothing is known of the thread before its first record. */
	t->cur = (struct uc_tl_interval){
		.a = 0, .state = UC_TL_UNKNOWN, .why = UC_TLU_BEFORE_FIRST,
		.who = UC_TL_NOBODY,
	};
	return t;
}

/* ---------------------------------------------------------------- states */

/* Closes the open interval at TS and opens one in STATE. */
static int enter(struct uc_tl_thread *t, uint64_t ts, uint8_t state, uint8_t why)
{
	/* Records of several CPUs may arrive a little out of order: a
	 * transition never goes before the one that opened the interval. */
	if (ts < t->cur.a)
		ts = t->cur.a;
	if (ts > t->cur.a) {
		struct uc_tl_interval closed = t->cur;

		closed.b = ts;
		if (PUSH(t->iv, &closed))
			return -ENOMEM;
	}
	t->cur = (struct uc_tl_interval){
		.a = ts, .state = state, .why = why, .who = UC_TL_NOBODY,
	};
	return 0;
}

/* The state a thread left the CPU in (prev->__state). */
static uint8_t off_state(uint64_t s)
{
	if (s == 0)
		return UC_TL_RUNNABLE;                 /* preempted */
	if (s & (0x4 | 0x8))
		return UC_TL_STOPPED;                  /* __TASK_STOPPED, __TASK_TRACED */
	if ((s & 0x2) && !(s & 0x400))
		return UC_TL_UNINT;                    /* D, but not TASK_NOLOAD (idle) */
	return UC_TL_SLEEP;
}

static int switch_out(struct uc_timelines *tl, struct uc_tl_thread *t,
		      const struct uc_xevent *xe)
{
	uint8_t state = off_state(xe->a);

	if (enter(t, xe->ts, state, UC_TLU_NONE))
		return -ENOMEM;
	if (state == UC_TL_RUNNABLE &&
	    (t->cur.who = name_of(tl, xe->comm, xe->other)) == UINT32_MAX)
		return -ENOMEM;
	return 0;
}

static int switch_in(struct uc_timelines *tl, struct uc_tl_thread *t,
		     const struct uc_xevent *xe)
{
	if (t->cur.state == UC_TL_RUNNABLE && t->cur.who == UC_TL_NOBODY &&
	    (t->cur.who = name_of(tl, xe->comm, xe->other)) == UINT32_MAX)
		return -ENOMEM;
	/* Asleep, then running, with no wake between: the wake was lost;
	 * when it came is not known. */
	if (t->cur.state == UC_TL_SLEEP || t->cur.state == UC_TL_UNINT ||
	    t->cur.state == UC_TL_STOPPED) {
		t->cur.state = UC_TL_UNKNOWN;
		t->cur.why = UC_TLU_NO_WAKE;
	}
	return enter(t, xe->ts, UC_TL_ONCPU, UC_TLU_NONE);
}

static int waking(struct uc_timelines *tl, struct uc_tl_thread *t,
		  const struct uc_xevent *xe)
{
	uint8_t st = t->cur.state;

	/* A thread waking itself (try_to_wake_up's p == current path), or
	 * one not asleep: nothing changes. */
	if (xe->other == t->tid || st == UC_TL_ONCPU || st == UC_TL_RUNNABLE)
		return 0;
	if ((t->cur.who = name_of(tl, xe->comm, xe->other)) == UINT32_MAX)
		return -ENOMEM;
	t->cur.wake_dp_ts = xe->a;
	if (enter(t, xe->ts, UC_TL_RUNNABLE, UC_TLU_NONE))
		return -ENOMEM;
	return 0;
}

/* Kept only in time order: an item out of order (a damaged file) would
 * break the binary searches, and is dropped. */
static int add_irq(struct uc_tl_thread *t, const struct uc_xevent *xe)
{
	struct uc_tl_irq irq = { xe->ts, xe->a, xe->other };
	__typeof__(t->hard) *v = xe->kind == UC_X_HARDIRQ ? &t->hard : &t->soft;

	if (irq.b < irq.a || (VEC_LEN(*v) && irq.a < VEC_LAST(*v).b))
		return 0;
	return PUSH(*v, &irq);
}

static int add_syscall(struct uc_tl_thread *t, const struct uc_xevent *xe)
{
	struct uc_tl_syscall sc = { xe->ts, xe->a, (uint8_t)xe->other };

	if (sc.b < sc.a || xe->other >= UC_SC_MAX ||
	    (VEC_LEN(t->sc) && sc.a < VEC_LAST(t->sc).b))
		return 0;
	return PUSH(t->sc, &sc);
}

/* When a record was written: IRQ and syscall records at their exit. */
static uint64_t emitted(const struct uc_xevent *xe)
{
	return xe->kind == UC_X_HARDIRQ || xe->kind == UC_X_SOFTIRQ ||
	       xe->kind == UC_X_SYSCALL ? xe->a : xe->ts;
}

/* A record of the thread's own context: checks its sequence number. */
static int own_record(struct uc_timelines *tl, struct uc_tl_thread *t,
		      const struct uc_xevent *xe)
{
	int32_t gap = (int32_t)(xe->seq - t->next_seq);

	if (t->have_seq && gap > 0) {
		t->lost += (uint32_t)gap;
		tl->lost += (uint32_t)gap;
		if (enter(t, t->last_emit > t->cur.a ? t->last_emit : t->cur.a,
			  UC_TL_UNKNOWN, UC_TLU_LOST))
			return -ENOMEM;
	}
	t->have_seq = true;
	t->next_seq = xe->seq + 1;
	t->last_emit = emitted(xe);
	return 0;
}

int uc_tl_add(struct uc_timelines *tl, const struct uc_xevent *xe)
{
	struct uc_tl_thread *t;

	if (!uc_tl_is_record(xe->kind))
		return 0;
	t = thread_of(tl, xe->tid);
	if (!t)
		return -ENOMEM;
	tl->records++;
	if (emitted(xe) > tl->newest)
		tl->newest = emitted(xe);
	if (xe->kind != UC_X_WAKING && own_record(tl, t, xe))
		return -ENOMEM;
	switch (xe->kind) {
	case UC_X_SWITCH_OUT:
		return switch_out(tl, t, xe);
	case UC_X_SWITCH_IN:
		return switch_in(tl, t, xe);
	case UC_X_WAKING:
		return waking(tl, t, xe);
	case UC_X_HARDIRQ:
	case UC_X_SOFTIRQ:
		return add_irq(t, xe);
	case UC_X_SYSCALL:
		return add_syscall(t, xe);
	}
	return 0;
}

/* ---------------------------------------------------------------- trimming */

void uc_tl_trim(struct uc_timelines *tl, uint64_t before)
{
	for (size_t i = 0; i < tl->n; i++) {
		struct uc_tl_thread *t = &tl->t[i];

		DROP_ENDED(t->iv, before);
		DROP_ENDED(t->sc, before);
		DROP_ENDED(t->hard, before);
		DROP_ENDED(t->soft, before);
	}
}

/* ---------------------------------------------------------------- searching */

/* The index of the last item whose start is <= TS, or -1 (items of SIZE
 * bytes, the first field a uint64_t start, in time order). */
static long last_starting_by(const void *v, size_t n, size_t size, uint64_t ts)
{
	long lo = 0, hi = (long)n - 1, found = -1;

	while (v && lo <= hi) {
		long mid = lo + (hi - lo) / 2;
		uint64_t a;

		memcpy(&a, (const char *)v + (size_t)mid * size, sizeof(a));
		if (a <= ts) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found;
}

/* An item [a, b) list: what covers TS (true, *END its end) or when the
 * next one starts (*END). */
#define COVER(vec, ts, end, item)                                              \
	({                                                                     \
		long i_ = last_starting_by(VEC_BASE(vec), VEC_LEN(vec),        \
					   sizeof(*(vec).v), (ts));            \
		bool in_ = i_ >= 0 && VEC_AT(vec, i_).b > (ts);                \
		*(item) = in_ ? &VEC_AT(vec, i_) : NULL;                       \
		*(end) = in_ ? VEC_AT(vec, i_).b :                             \
			 (size_t)(i_ + 1) < VEC_LEN(vec) ?                     \
				VEC_AT(vec, i_ + 1).a : END_OF_TIME;           \
		in_;                                                           \
	})

const struct uc_tl_syscall *uc_tl_syscall_before(const struct uc_tl_thread *t,
						 uint64_t ts, unsigned kinds)
{
	long i;

	if (!t || !VEC_LEN(t->sc))
		return NULL;
	/* started strictly before TS */
	i = last_starting_by(VEC_BASE(t->sc), VEC_LEN(t->sc), sizeof(*t->sc.v),
			     ts ? ts - 1 : 0);
	for (; i >= 0; i--)
		if (kinds & (1u << VEC_AT(t->sc, i).kind))
			return &VEC_AT(t->sc, i);
	return NULL;
}

const struct uc_tl_syscall *uc_tl_syscall_after(const struct uc_tl_thread *t,
						uint64_t ts, unsigned kinds)
{
	long i;

	if (!t || !VEC_LEN(t->sc))
		return NULL;
	i = last_starting_by(VEC_BASE(t->sc), VEC_LEN(t->sc), sizeof(*t->sc.v), ts);
	for (size_t k = (size_t)(i + 1); k < VEC_LEN(t->sc); k++)
		if (kinds & (1u << VEC_AT(t->sc, k).kind))
			return &VEC_AT(t->sc, k);
	return NULL;
}

/* ---------------------------------------------------------------- walking */

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * [LO, HI) of interval IV: cut where an IRQ or a syscall begins or ends,
 * so that each piece is wholly in or out of each (hardirq wins over
 * softirq, which wins over the syscall it interrupts).
 */
static void carve(const struct uc_tl_thread *t, const struct uc_tl_interval *iv,
		  uint64_t lo, uint64_t hi,
		  void (*fn)(void *ctx, const struct uc_tl_piece *p), void *ctx)
{
	bool oncpu = iv->state == UC_TL_ONCPU;

	for (uint64_t x = lo; x < hi;) {
		const struct uc_tl_irq *hard = NULL, *soft = NULL;
		const struct uc_tl_syscall *sc = NULL;
		uint64_t end_h = END_OF_TIME, end_s = END_OF_TIME, end_c, y;
		struct uc_tl_piece p = {
			.a = x, .state = iv->state, .why = iv->why, .who = iv->who,
			.wake_dp_ts = iv->wake_dp_ts,
		};

		if (oncpu) {
			COVER(t->hard, x, &end_h, &hard);
			COVER(t->soft, x, &end_s, &soft);
		}
		COVER(t->sc, x, &end_c, &sc);
		y = min64(hi, min64(end_h, min64(end_s, end_c)));
		if (y <= x)              /* damaged data: never stall */
			y = hi;
		p.b = y;
		p.irq = hard ? 1 : soft ? 2 : 0;
		if (sc)
			p.syscall = sc->kind;
		fn(ctx, &p);
		x = y;
	}
}

static void unknown(uint64_t a, uint64_t b, uint8_t why,
		    void (*fn)(void *ctx, const struct uc_tl_piece *p), void *ctx)
{
	struct uc_tl_piece p = {
		.a = a, .b = b, .state = UC_TL_UNKNOWN, .why = why,
		.who = UC_TL_NOBODY,
	};

	if (b > a)
		fn(ctx, &p);
}

void uc_tl_walk(const struct uc_tl_thread *t, uint64_t a, uint64_t b,
		void (*fn)(void *ctx, const struct uc_tl_piece *p), void *ctx)
{
	uint64_t x = a, first;
	long i;

	if (b <= a)
		return;
	if (!t) {
		unknown(a, b, UC_TLU_NOT_TRACED, fn, ctx);
		return;
	}
	first = VEC_LEN(t->iv) ? VEC_AT(t->iv, 0).a : t->cur.a;
	if (x < first) {
		unknown(x, min64(b, first), UC_TLU_TRIMMED, fn, ctx);
		x = min64(b, first);
	}
	i = last_starting_by(VEC_BASE(t->iv), VEC_LEN(t->iv), sizeof(*t->iv.v), x);
	for (size_t k = i < 0 ? 0 : (size_t)i; k < VEC_LEN(t->iv) && x < b; k++) {
		const struct uc_tl_interval *iv = &VEC_AT(t->iv, k);
		uint64_t hi = min64(iv->b, b);

		if (iv->b <= x)
			continue;
		if (iv->a > x) {         /* a hole (cannot happen): unknown */
			unknown(x, min64(iv->a, b), UC_TLU_LOST, fn, ctx);
			x = min64(iv->a, b);
			if (x >= b)
				break;
		}
		carve(t, iv, x, hi, fn, ctx);
		x = hi;
	}
	if (x < b) {
		if (t->cur.a > x) {
			unknown(x, min64(t->cur.a, b), UC_TLU_LOST, fn, ctx);
			x = min64(t->cur.a, b);
		}
		if (x < b)
			carve(t, &t->cur, x, b, fn, ctx);
	}
}
