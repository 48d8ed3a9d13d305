/* SPDX-License-Identifier: BSD-2-Clause */
/* explain.c - one upcall's latency, part by part (explain.h). */
#include <string.h>

#include "explain.h"

const char *uc_part_name(enum uc_part part)
{
	static const char *const names[UC_PART_COUNT] = {
		[UC_PART_QUEUED_BEFORE] = "queued_before",
		[UC_PART_QUEUED_BATCH] = "queued_batch",
		[UC_PART_ASLEEP] = "asleep",
		[UC_PART_STOPPED] = "stopped",
		[UC_PART_RUNNABLE] = "runnable",
		[UC_PART_HARDIRQ] = "hardirq",
		[UC_PART_SOFTIRQ] = "softirq",
		[UC_PART_RECEIVE] = "receive",
		[UC_PART_LOOKUP_ONCPU] = "lookup_oncpu",
		[UC_PART_LOOKUP_OFFCPU] = "lookup_offcpu",
		[UC_PART_BATCH_AFTER] = "batch_after",
		[UC_PART_OPS_USER] = "ops_user",
		[UC_PART_OPS_SYSCALL] = "ops_syscall",
		[UC_PART_BLOCKED] = "blocked",
		[UC_PART_UNKNOWN] = "unknown",
	};

	return (unsigned)part < UC_PART_COUNT ? names[part] : "";
}

enum uc_part uc_part_of_who(enum uc_part_who w)
{
	static const enum uc_part parts[UC_WHO_COUNT] = {
		[UC_WHO_ASLEEP] = UC_PART_ASLEEP,
		[UC_WHO_STOPPED] = UC_PART_STOPPED,
		[UC_WHO_RUNNABLE] = UC_PART_RUNNABLE,
		[UC_WHO_LOOKUP_OFFCPU] = UC_PART_LOOKUP_OFFCPU,
		[UC_WHO_BLOCKED] = UC_PART_BLOCKED,
	};

	return parts[w];
}

/* The windows, W1 split at its batch's first read. */
enum window { W1_BEFORE, W1_BATCH, W2, W3, W4, W5, N_WINDOWS };

#define MAX_CREDITS 8

/* Time credited to someone, per who slot: the one with most is named. */
struct credit {
	uint32_t who;
	uint64_t ns;
};

struct walk {
	struct uc_explanation *out;
	enum window w;
	uint64_t t0;
	struct credit credit[UC_WHO_COUNT][MAX_CREDITS];
	uint64_t unknown_by[UC_TLU_COUNT];
};

static void give(struct walk *k, enum uc_part_who slot, uint32_t who, uint64_t ns)
{
	struct credit *c = k->credit[slot];

	if (who == UC_TL_NOBODY)
		return;
	for (int i = 0; i < MAX_CREDITS; i++) {
		if (c[i].ns && c[i].who == who) {
			c[i].ns += ns;
			return;
		}
		if (!c[i].ns) {
			c[i] = (struct credit){ who, ns };
			return;
		}
	}
}

static enum uc_part oncpu_part(enum window w, const struct uc_tl_piece *p)
{
	switch (w) {
	case W1_BEFORE: return UC_PART_QUEUED_BEFORE;
	case W1_BATCH: return UC_PART_QUEUED_BATCH;
	case W2: return UC_PART_RECEIVE;
	case W3: return UC_PART_LOOKUP_ONCPU;
	case W4: return UC_PART_BATCH_AFTER;
	default:
		return p->syscall == UC_SC_SENDMSG || p->syscall == UC_SC_RECVMSG ?
		       UC_PART_OPS_SYSCALL : UC_PART_OPS_USER;
	}
}

/* Asleep: waiting for upcalls (W1, in poll), for a lock in the lookup
 * (W3), or blocked somewhere else. */
static enum uc_part sleep_part(struct walk *k, const struct uc_tl_piece *p,
			       uint64_t ns)
{
	bool polling = p->syscall == UC_SC_POLL || p->syscall == UC_SC_EPOLL_WAIT;

	if (k->w <= W1_BATCH && p->state == UC_TL_SLEEP && polling) {
		give(k, UC_WHO_ASLEEP, p->who, ns);
		if (p->wake_dp_ts && p->wake_dp_ts == k->t0)
			k->out->flags |= UC_EXPL_OWN_WAKE;
		return UC_PART_ASLEEP;
	}
	if (k->w == W3) {
		give(k, UC_WHO_LOOKUP_OFFCPU, p->who, ns);
		return UC_PART_LOOKUP_OFFCPU;
	}
	give(k, UC_WHO_BLOCKED, p->who, ns);
	return UC_PART_BLOCKED;
}

static void piece(void *ctx, const struct uc_tl_piece *p)
{
	struct walk *k = ctx;
	uint64_t ns = p->b - p->a;
	enum uc_part part;

	switch (p->state) {
	case UC_TL_ONCPU:
		part = p->irq == 1 ? UC_PART_HARDIRQ : p->irq == 2 ? UC_PART_SOFTIRQ :
		       oncpu_part(k->w, p);
		break;
	case UC_TL_RUNNABLE:
		give(k, UC_WHO_RUNNABLE, p->who, ns);
		part = UC_PART_RUNNABLE;
		break;
	case UC_TL_STOPPED:
		give(k, UC_WHO_STOPPED, p->who, ns);
		part = UC_PART_STOPPED;
		break;
	case UC_TL_SLEEP:
	case UC_TL_UNINT:
		part = sleep_part(k, p, ns);
		break;
	default:
		part = UC_PART_UNKNOWN;
		if (p->why < UC_TLU_COUNT)
			k->unknown_by[p->why] += ns;
		break;
	}
	k->out->part[part] += ns;
}

#define RECV_KINDS ((1u << UC_SC_RECVMSG) | (1u << UC_SC_EPOLL_WAIT))
#define READ_END_KINDS (RECV_KINDS | (1u << UC_SC_POLL) | (1u << UC_SC_SENDMSG))

/*
 * The boundaries from the handler's syscalls: R, the read that took it;
 * R0, the read that took its batch's first upcall; L, the next read (or
 * the poll, or the ops' sendmsg); E, the end of the last read before the
 * ops' sendmsg.  False when the syscalls are not there.
 */
static bool syscall_bounds(const struct uc_tl_thread *t, const struct uc_explain_in *in,
			   uint64_t *r0, uint64_t *r, uint64_t *l, uint64_t *e)
{
	const struct uc_tl_syscall *sr = uc_tl_syscall_before(t, in->recv, RECV_KINDS);
	const struct uc_tl_syscall *sl = uc_tl_syscall_after(t, in->recv, READ_END_KINDS);
	const struct uc_tl_syscall *s0, *send, *last;

	if (!sr || !sl || sl->a > in->tk)
		return false;
	*r = sr->a;
	*l = sl->a;
	s0 = uc_tl_syscall_before(t, in->batch_first_recv, RECV_KINDS);
	*r0 = s0 && s0->a <= *r ? s0->a : *r;
	send = uc_tl_syscall_after(t, in->recv, 1u << UC_SC_SENDMSG);
	last = send ? uc_tl_syscall_before(t, send->a, RECV_KINDS) : NULL;
	*e = last && last->a >= *l ? last->b : *l;
	return true;
}

static uint64_t clamp(uint64_t v, uint64_t lo, uint64_t hi, uint8_t *flags)
{
	uint64_t c = v < lo ? lo : v > hi ? hi : v;

	if (c != v)
		*flags |= UC_EXPL_CLAMPED;
	return c;
}

static uint32_t most(const struct credit *c)
{
	uint32_t who = UC_TL_NOBODY;
	uint64_t best = 0;

	for (int i = 0; i < MAX_CREDITS && c[i].ns; i++)
		if (c[i].ns > best) {
			best = c[i].ns;
			who = c[i].who;
		}
	return who;
}

bool uc_explain(const struct uc_tl_thread *t, const struct uc_explain_in *in,
		struct uc_explanation *out)
{
	struct walk k = { .out = out, .t0 = in->t0 };
	uint64_t bound[N_WINDOWS + 1], r0, r, l, e;
	uint64_t best = 0;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < UC_WHO_COUNT; i++)
		out->who[i] = UC_TL_NOBODY;
	if (in->tk < in->t0)
		return false;
	if (!t)
		out->flags |= UC_EXPL_NOT_TRACED;
	if (!syscall_bounds(t, in, &r0, &r, &l, &e)) {
		/* The USDT times: the read and the lookup end where the next
		 * upcall is received, the batch where its ops begin. */
		out->flags |= UC_EXPL_USDT_BOUNDS;
		r = in->recv;
		r0 = in->batch_first_recv ? in->batch_first_recv : r;
		l = in->next_recv ? in->next_recv : in->first_op ? in->first_op : in->tk;
		e = in->first_op ? in->first_op : l;
	}
	bound[W1_BEFORE] = in->t0;
	bound[W2] = clamp(r, in->t0, in->tk, &out->flags);
	bound[W1_BATCH] = clamp(r0, in->t0, bound[W2], &out->flags);
	bound[W3] = clamp(in->recv, bound[W2], in->tk, &out->flags);
	bound[W4] = clamp(l, bound[W3], in->tk, &out->flags);
	bound[W5] = clamp(e, bound[W4], in->tk, &out->flags);
	bound[N_WINDOWS] = in->tk;
	for (k.w = W1_BEFORE; k.w < N_WINDOWS; k.w++)
		uc_tl_walk(t, bound[k.w], bound[k.w + 1], piece, &k);
	for (int i = 0; i < UC_WHO_COUNT; i++)
		out->who[i] = most(k.credit[i]);
	for (int i = 0; i < UC_TLU_COUNT; i++)
		if (k.unknown_by[i] > best) {
			best = k.unknown_by[i];
			out->unknown_why = (uint8_t)i;
		}
	return true;
}
