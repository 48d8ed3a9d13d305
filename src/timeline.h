/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * timeline.h - each traced handler thread's life, rebuilt from its
 * scheduling, IRQ and syscall xevents as they arrive: intervals that
 * tile time, each in one state (on a CPU, runnable, asleep, in
 * uninterruptible sleep, stopped, or unknown), plus the IRQs that
 * interrupted it and the syscalls it made.  uc_tl_walk() then cuts any
 * window of a thread into pieces, each with one state and what explains
 * it, that add up to the window exactly (in integer nanoseconds).
 *
 * State machine (the task state values are the same in Linux 5.10 to
 * 6.12, include/linux/sched.h):
 *   SWITCH_OUT  state 0 (still TASK_RUNNING: preempted) -> RUNNABLE,
 *               __TASK_STOPPED|__TASK_TRACED -> STOPPED, TASK_UNINTERRUPTIBLE
 *               without TASK_NOLOAD -> UNINT, anything else -> SLEEP
 *   WAKING      SLEEP, UNINT, STOPPED or UNKNOWN -> RUNNABLE (the waker
 *               is remembered; a thread waking itself changes nothing)
 *   SWITCH_IN   -> ONCPU (what ran before it is remembered)
 * IRQ and syscall records are kept beside: an IRQ is carved out of the
 * on-CPU time it covers, a syscall names the time inside it.  A gap in a
 * thread's record numbers (a record the ring buffer refused) makes its
 * state UNKNOWN from its last trusted record to its next switch record.
 *
 * Pure: no BPF, no clock; records may come slightly out of time order
 * across CPUs (a transition is never moved before the previous one).
 * Memory: what is older than the horizon (uc_tl_trim) is dropped.
 */
#ifndef UC_TIMELINE_H
#define UC_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "map64.h"
#include "strtab.h"
#include "xevent.h"

enum uc_tl_state {
	UC_TL_UNKNOWN, UC_TL_ONCPU, UC_TL_RUNNABLE, UC_TL_SLEEP, UC_TL_UNINT,
	UC_TL_STOPPED,
};

/* Why a stretch of time is UC_TL_UNKNOWN. */
enum uc_tl_unknown {
	UC_TLU_NONE = 0,
	UC_TLU_NOT_TRACED,      /* no record of this thread at all */
	UC_TLU_BEFORE_FIRST,    /* before the thread's first switch record */
	UC_TLU_LOST,            /* records the ring buffer refused */
	UC_TLU_NO_WAKE,         /* asleep, then running, its wake not seen */
	UC_TLU_TRIMMED,         /* older than what is kept */
	UC_TLU_COUNT,
};

/* One stretch of a thread's time, [a, b). */
struct uc_tl_interval {
	uint64_t a, b;
	uint8_t state;           /* enum uc_tl_state */
	uint8_t why;             /* enum uc_tl_unknown for UNKNOWN */
	uint32_t who;            /* name (uc_timelines.names) or UC_TL_NOBODY:
				  * SLEEP/UNINT/STOPPED: who woke it;
				  * RUNNABLE: who preempted it, else what ran
				  * before it got the CPU */
	uint64_t wake_dp_ts;     /* SLEEP ended by a kernel upcall with this
				  * ts (0: by anything else) */
};
#define UC_TL_NOBODY UINT32_MAX

struct uc_tl_syscall {
	uint64_t a, b;           /* entry, exit */
	uint8_t kind;            /* enum uc_syscall_kind */
};

struct uc_tl_irq {
	uint64_t a, b;           /* entry, exit */
	uint32_t nr;             /* irq number or softirq vector */
};

/* A vector of T with a movable start (trimming drops from the front). */
#define UC_TL_VEC(T) struct { T *v; size_t head, n, cap; }

struct uc_tl_thread {
	uint32_t tid;
	UC_TL_VEC(struct uc_tl_interval) iv;   /* closed intervals, in time order */
	struct uc_tl_interval cur;             /* the open one: [cur.a, now) */
	UC_TL_VEC(struct uc_tl_syscall) sc;
	UC_TL_VEC(struct uc_tl_irq) hard, soft;
	bool have_seq;
	uint32_t next_seq;
	uint64_t last_emit;      /* emission time of the last trusted record */
	uint64_t lost;           /* records missing from its sequence */
};

struct uc_timelines {
	struct uc_tl_thread *t;
	size_t n, cap;
	struct uc_map64 by_tid;
	struct uc_strtab names;  /* "comm (tid)" of wakers and preemptors */
	uint64_t newest;         /* latest ts seen */
	uint64_t records;        /* xevents taken */
	uint64_t lost;           /* records missing, all threads */
};

void uc_tl_init(struct uc_timelines *tl);
void uc_tl_free(struct uc_timelines *tl);
/* Is XE a timeline record (switch, waking, IRQ, syscall)? */
bool uc_tl_is_record(uint32_t kind);
/* Takes one record.  Returns 0 or -ENOMEM. */
int uc_tl_add(struct uc_timelines *tl, const struct uc_xevent *xe);
/* The thread TID, or NULL if it has no record. */
const struct uc_tl_thread *uc_tl_thread(const struct uc_timelines *tl,
					uint32_t tid);
/* Drops everything of every thread that ended before BEFORE. */
void uc_tl_trim(struct uc_timelines *tl, uint64_t before);

/* A piece of a window: one state and what explains it. */
struct uc_tl_piece {
	uint64_t a, b;
	uint8_t state;           /* ONCPU pieces carved further: */
	uint8_t irq;             /* 0, 1 hardirq, 2 softirq (state ONCPU) */
	uint8_t syscall;         /* enum uc_syscall_kind the time is inside */
	uint8_t why;             /* UNKNOWN: enum uc_tl_unknown */
	uint32_t who;            /* the interval's who */
	uint64_t wake_dp_ts;
};

/*
 * Cuts [A, B) of thread T (NULL: not traced) into pieces and calls FN
 * with each, in time order; their lengths add up to B - A exactly.
 */
void uc_tl_walk(const struct uc_tl_thread *t, uint64_t a, uint64_t b,
		void (*fn)(void *ctx, const struct uc_tl_piece *p), void *ctx);

/* The last syscall of T of one of the KINDS (bit 1 << kind) that started
 * before TS, or NULL; the first that started after TS. */
const struct uc_tl_syscall *uc_tl_syscall_before(const struct uc_tl_thread *t,
						 uint64_t ts, unsigned kinds);
const struct uc_tl_syscall *uc_tl_syscall_after(const struct uc_tl_thread *t,
						uint64_t ts, unsigned kinds);

const char *uc_tl_unknown_name(uint8_t why);

#endif /* UC_TIMELINE_H */
