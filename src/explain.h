/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * explain.h - where one upcall's time went: its latency, from the kernel
 * upcall (t0, DP_UPCALL) to the kernel executing its packet (tk,
 * OVS_PKT_EXEC), cut into parts that add up to tk - t0 exactly, in
 * integer nanoseconds.
 *
 * The handler's syscalls (from its timeline) and its USDT probes cut
 * [t0, tk) into five windows:
 *   W1 [t0, R)    waiting to be received  (R: the recvmsg that read it)
 *   W2 [R, RECV)  the receive
 *   W3 [RECV, L)  the lookup: translation in the OpenFlow tables, until
 *                 the next read (L: the next recvmsg, poll or sendmsg)
 *   W4 [L, E)     the rest of its batch (E: the end of the read that
 *                 found the socket empty)
 *   W5 [E, tk)    flow installs and executes: ukey install and netlink
 *                 encoding, then the sendmsg in which the kernel runs them
 * and each piece of the handler's timeline inside a window (timeline.h)
 * is one part: window x state.  Time the timeline cannot account for is
 * `unknown`, always shown, never hidden.  Without syscall records the
 * USDT times stand in for R, L and E.
 *
 * Pure: the caller hands in the times and the handler's timeline.
 */
#ifndef UC_EXPLAIN_H
#define UC_EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "timeline.h"

enum uc_part {
	UC_PART_QUEUED_BEFORE,   /* W1 on-CPU, before its batch's first read:
				  * the handler busy with its previous batch */
	UC_PART_QUEUED_BATCH,    /* W1 on-CPU, after it: earlier upcalls of
				  * its own batch being read and looked up */
	UC_PART_ASLEEP,          /* W1 asleep in poll/epoll_wait */
	UC_PART_STOPPED,         /* stopped (SIGSTOP, a debugger) */
	UC_PART_RUNNABLE,        /* runnable, not running: run-queue delay */
	UC_PART_HARDIRQ,         /* IRQ handlers on its CPU, while it ran */
	UC_PART_SOFTIRQ,
	UC_PART_RECEIVE,         /* W2 on-CPU */
	UC_PART_LOOKUP_ONCPU,    /* W3 on-CPU */
	UC_PART_LOOKUP_OFFCPU,   /* W3 asleep (a futex: a lock another held) */
	UC_PART_BATCH_AFTER,     /* W4 on-CPU: later upcalls of its batch */
	UC_PART_OPS_USER,        /* W5 on-CPU outside syscalls */
	UC_PART_OPS_SYSCALL,     /* W5 on-CPU in sendmsg/recvmsg: the kernel
				  * installing flows, executing packets */
	UC_PART_BLOCKED,         /* asleep anywhere else */
	UC_PART_UNKNOWN,         /* what the timeline cannot tell */
	UC_PART_COUNT,
};

/* The parts that name someone, and their slot in uc_explanation.who. */
enum uc_part_who {
	UC_WHO_ASLEEP,           /* who woke it ("its own upcall", a thread) */
	UC_WHO_STOPPED,          /* who continued it */
	UC_WHO_RUNNABLE,         /* what ran instead (most of the time) */
	UC_WHO_LOOKUP_OFFCPU,    /* who woke it: the lock's holder */
	UC_WHO_BLOCKED,
	UC_WHO_COUNT,
};

/* uc_explanation.flags */
#define UC_EXPL_USDT_BOUNDS  0x1   /* no syscall records: USDT times */
#define UC_EXPL_CLAMPED      0x2   /* boundaries out of order, clamped */
#define UC_EXPL_OWN_WAKE     0x4   /* woken by its own kernel upcall */
#define UC_EXPL_NOT_TRACED   0x8   /* no record of its handler at all */

struct uc_explanation {
	uint64_t part[UC_PART_COUNT];    /* ns; they add up to tk - t0 */
	uint32_t who[UC_WHO_COUNT];      /* name (timelines' names), or
					  * UC_TL_NOBODY */
	uint8_t flags;
	uint8_t unknown_why;             /* enum uc_tl_unknown, the largest */
};

/* What one upcall hands in. */
struct uc_explain_in {
	uint64_t t0;             /* its kernel upcall */
	uint64_t recv;           /* its receive (USDT) */
	uint64_t tk;             /* its kernel execute */
	uint64_t batch_first_recv;   /* its batch's first receive */
	uint64_t next_recv;      /* the next receive of its batch, or 0 */
	uint64_t first_op;       /* its batch's first put or execute, or 0 */
};

/*
 * Explains IN from thread T's timeline (NULL: no record of the thread).
 * False when there is nothing to explain (tk before t0).
 */
bool uc_explain(const struct uc_tl_thread *t, const struct uc_explain_in *in,
		struct uc_explanation *out);

/* Nanoseconds as the microseconds every report shows. */
static inline double uc_us(uint64_t ns)
{
	return (double)ns / 1000.0;
}

/* "queued_batch", ... (JSON, the text report). */
const char *uc_part_name(enum uc_part part);
/* The part a who slot belongs to. */
enum uc_part uc_part_of_who(enum uc_part_who w);

#endif /* UC_EXPLAIN_H */
