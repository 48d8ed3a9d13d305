/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * upcall_cost_explain.bpf.h - --explain: the handler threads of the
 * traced ovs-vswitchd, followed through the scheduler, IRQs and their
 * syscalls; one UC_X_* record per transition (timeline.h rebuilds them).
 *
 *   tp_btf/sched_switch, sched_waking      uc_sched_switch, uc_sched_waking
 *   tp_btf/irq_handler_entry/exit          uc_hardirq_entry, uc_hardirq_exit
 *   tp_btf/softirq_entry/exit              uc_softirq_entry, uc_softirq_exit
 *   syscalls, one of:
 *     fentry/fexit on __sys_recvmsg, __sys_sendmsg, do_sys_poll,
 *       do_epoll_wait, futex_wait          uc_sc_*_in, uc_sc_*_out
 *     tp_btf/sys_enter, sys_exit           uc_sys_enter, uc_sys_exit
 *                                          (every syscall pays a compare)
 *
 * Filter: the thread group first (one compare, everything else stops
 * there), then the handlers map: seeded by user space with the threads
 * named handler*, and joined by any thread that fires recv_upcall.
 * sched_waking runs in the waker's context (try_to_wake_up), so current
 * is the waker; sched_wakeup may run on the target's CPU after an IPI.
 * A thread's own records (switches, IRQs, syscalls) never run at once, so
 * its sequence number is a plain increment.
 */
#ifndef UPCALL_COST_EXPLAIN_BPF_H
#define UPCALL_COST_EXPLAIN_BPF_H

/* The traced ovs-vswitchd's thread group, as the kernel sees it. */
const volatile __u32 targ_tgid = 0;
/* Register threads that fire recv_upcall (handlers created later). */
const volatile bool explain = false;

struct handler_state {
	__u32 seq;            /* the thread's next record number */
	__u32 sc_kind;        /* syscall in progress (UC_SC_*), 0 if none */
	__u64 sc_ts;          /* its entry */
	__u64 sc_arg;         /* its first argument */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, UC_MAX_HANDLERS);
	__type(key, __u32);
	__type(value, struct handler_state);
} handlers SEC(".maps");

/* Per CPU: the IRQ in progress, and the traced thread it interrupted. */
struct irq_state {
	__u64 hard_ts, soft_ts, soft_nested;
	__u32 hard_irq, soft_vec;
	__u32 hard_tid, soft_tid;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct irq_state);
} irqs SEC(".maps");

static __always_inline struct irq_state *irq_state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&irqs, &zero);
}

/* recv_upcall's thread is a handler: followed from now on. */
static __always_inline void handler_register(void)
{
	struct handler_state zero = { 0 };
	__u32 tid;

	if (!explain)
		return;
	tid = (__u32)bpf_get_current_pid_tgid();
	/* Known after its first upcall: a lookup, not a failing update
	 * (which takes the bucket's lock) per upcall. */
	if (!bpf_map_lookup_elem(&handlers, &tid))
		bpf_map_update_elem(&handlers, &tid, &zero, BPF_NOEXIST);
}

/*
 * The current thread's state when it is a traced handler, else NULL; its
 * TID in *TID.  (The pointer itself is what callers test: older
 * verifiers, 6.1's, lose a NULL check made through another value.)
 */
static __always_inline struct handler_state *traced_current(__u32 *tid)
{
	__u64 id = bpf_get_current_pid_tgid();

	*tid = (__u32)id;
	if ((id >> 32) != targ_tgid)
		return NULL;
	return bpf_map_lookup_elem(&handlers, tid);
}

/* The current thread's TID when it is a traced handler, else 0. */
static __always_inline __u32 traced_current_tid(void)
{
	__u32 tid;

	return traced_current(&tid) ? tid : 0;
}

/* Read through BPF_CORE_READ, not directly: with --btf FILE the
 * relocations come from that file, whose task_struct the verifier would
 * not take a direct access through. */
static __always_inline struct handler_state *traced_task(struct task_struct *t, __u32 *tid)
{
	if (BPF_CORE_READ(t, tgid) != (int)targ_tgid)
		return NULL;
	*tid = BPF_CORE_READ(t, pid);
	return bpf_map_lookup_elem(&handlers, tid);
}

static __always_inline __u64 task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ((struct task_struct___o *)t, state);
}

/* A record of a traced thread's own context: numbered, refused or not. */
static __always_inline struct uc_bpf_xrec *own_record(struct handler_state *st,
						      __u32 kind, __u32 tid)
{
	struct uc_bpf_xrec *x = xrec_reserve(kind, 0);
	__u32 seq = st->seq++;

	if (x) {
		x->tid = tid;
		x->seq = seq;
	}
	return x;
}

/* ---------------------------------------------------------------- scheduler */

/* Linux 5.18 added prev_state as a 4th argument: the first three are the
 * same everywhere, and the state is read from the task. */
SEC("tp_btf/sched_switch")
int BPF_PROG(uc_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	struct handler_state *st;
	struct uc_bpf_xrec *x;
	__u64 now = 0;
	__u32 tid;

	st = traced_task(prev, &tid);
	if (st && (x = own_record(st, UC_X_SWITCH_OUT, tid))) {
		now = bpf_ktime_get_ns();
		x->ts = now;
		x->a = task_state(prev);
		x->other = BPF_CORE_READ(next, pid);
		x->ret = BPF_CORE_READ(next, prio);
		x->flags = preempt;
		BPF_CORE_READ_STR_INTO(&x->comm, next, comm);
		xrec_submit(x);
	}
	st = traced_task(next, &tid);
	if (st && (x = own_record(st, UC_X_SWITCH_IN, tid))) {
		x->ts = now ? now : bpf_ktime_get_ns();
		x->other = BPF_CORE_READ(prev, pid);
		x->ret = BPF_CORE_READ(prev, prio);
		BPF_CORE_READ_STR_INTO(&x->comm, prev, comm);
		xrec_submit(x);
	}
	return 0;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(uc_sched_waking, struct task_struct *p)
{
	struct irq_state *is;
	struct uc_bpf_xrec *x;
	__u32 tid;

	if (!traced_task(p, &tid))
		return 0;
	x = xrec_reserve(UC_X_WAKING, 0);
	if (!x)
		return 0;
	x->ts = bpf_ktime_get_ns();
	x->tid = tid;
	x->other = (__u32)bpf_get_current_pid_tgid();
	x->ret = BPF_CORE_READ(p, wake_cpu);
	x->a = slot_dp_ts();
	is = irq_state();
	if (is)
		x->flags = (is->hard_ts ? UC_XWAKE_HARDIRQ : 0) |
			   (is->soft_ts ? UC_XWAKE_SOFTIRQ : 0);
	bpf_get_current_comm(&x->comm, sizeof(x->comm));
	xrec_submit(x);
	return 0;
}

/* ---------------------------------------------------------------- IRQs */

static __always_inline void irq_record(__u32 kind, __u32 tid, __u64 entry,
				       __u64 now, __u64 net, __u32 nr)
{
	struct handler_state *st;
	struct uc_bpf_xrec *x;
	__u32 cur;

	/* Still the thread interrupted (IRQs run on top of it). */
	st = traced_current(&cur);
	if (!tid || !st || cur != tid)
		return;
	x = own_record(st, kind, tid);
	if (!x)
		return;
	x->ts = entry;
	x->a = now;
	x->b = net;
	x->other = nr;
	xrec_submit(x);
}

SEC("tp_btf/irq_handler_entry")
int BPF_PROG(uc_hardirq_entry, int irq)
{
	struct irq_state *is = irq_state();

	if (!is)
		return 0;
	is->hard_ts = bpf_ktime_get_ns();
	is->hard_irq = irq;
	is->hard_tid = traced_current_tid();
	return 0;
}

SEC("tp_btf/irq_handler_exit")
int BPF_PROG(uc_hardirq_exit, int irq)
{
	struct irq_state *is = irq_state();
	__u64 now, dur;

	if (!is || !is->hard_ts)
		return 0;
	now = bpf_ktime_get_ns();
	dur = now - is->hard_ts;
	if (is->soft_ts)          /* nested in a softirq: not its time */
		is->soft_nested += dur;
	irq_record(UC_X_HARDIRQ, is->hard_tid, is->hard_ts, now, dur, is->hard_irq);
	is->hard_ts = 0;
	return 0;
}

SEC("tp_btf/softirq_entry")
int BPF_PROG(uc_softirq_entry, unsigned int vec)
{
	struct irq_state *is = irq_state();

	if (!is)
		return 0;
	is->soft_ts = bpf_ktime_get_ns();
	is->soft_vec = vec;
	is->soft_nested = 0;
	is->soft_tid = traced_current_tid();
	return 0;
}

SEC("tp_btf/softirq_exit")
int BPF_PROG(uc_softirq_exit, unsigned int vec)
{
	struct irq_state *is = irq_state();
	__u64 now;

	if (!is || !is->soft_ts)
		return 0;
	now = bpf_ktime_get_ns();
	irq_record(UC_X_SOFTIRQ, is->soft_tid, is->soft_ts, now,
		   now - is->soft_ts - is->soft_nested, is->soft_vec);
	is->soft_ts = 0;
	return 0;
}

/* ---------------------------------------------------------------- syscalls */

static __always_inline int sc_enter(__u32 kind, __u64 arg)
{
	__u32 tid;
	struct handler_state *st = traced_current(&tid);

	if (!st)
		return 0;
	st->sc_kind = kind;
	st->sc_arg = arg;
	st->sc_ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int sc_exit(__u32 kind, long ret)
{
	struct uc_bpf_xrec *x;
	__u32 tid;
	struct handler_state *st = traced_current(&tid);

	/* Not one whose entry we saw (it began before the capture). */
	if (!st || st->sc_kind != kind || !st->sc_ts)
		return 0;
	x = own_record(st, UC_X_SYSCALL, tid);
	if (x) {
		x->ts = st->sc_ts;
		x->a = bpf_ktime_get_ns();
		x->b = st->sc_arg;
		x->other = kind;
		x->ret = (__s32)ret;
		xrec_submit(x);
	}
	st->sc_kind = 0;
	st->sc_ts = 0;
	return 0;
}

/* fentry/fexit: only these functions pay (Linux 5.5+, vmlinux BTF). */
SEC("fentry/__sys_recvmsg")
int BPF_PROG(uc_sc_recvmsg_in, int fd)
{
	return sc_enter(UC_SC_RECVMSG, (__u64)fd);
}

SEC("fexit/__sys_recvmsg")
int BPF_PROG(uc_sc_recvmsg_out, int fd, void *msg, unsigned int flags,
	     bool forbid_cmsg_compat, long ret)
{
	return sc_exit(UC_SC_RECVMSG, ret);
}

SEC("fentry/__sys_sendmsg")
int BPF_PROG(uc_sc_sendmsg_in, int fd)
{
	return sc_enter(UC_SC_SENDMSG, (__u64)fd);
}

SEC("fexit/__sys_sendmsg")
int BPF_PROG(uc_sc_sendmsg_out, int fd, void *msg, unsigned int flags,
	     bool forbid_cmsg_compat, long ret)
{
	return sc_exit(UC_SC_SENDMSG, ret);
}

SEC("fentry/do_sys_poll")
int BPF_PROG(uc_sc_poll_in)
{
	return sc_enter(UC_SC_POLL, 0);
}

SEC("fexit/do_sys_poll")
int BPF_PROG(uc_sc_poll_out, void *ufds, unsigned int nfds, void *end_time, int ret)
{
	return sc_exit(UC_SC_POLL, ret);
}

SEC("fentry/do_epoll_wait")
int BPF_PROG(uc_sc_epoll_in, int epfd)
{
	return sc_enter(UC_SC_EPOLL_WAIT, (__u64)epfd);
}

/* The 4th argument is an int before Linux 5.11, a pointer since: only
 * its first 64 bits matter to the calling convention. */
SEC("fexit/do_epoll_wait")
int BPF_PROG(uc_sc_epoll_out, int epfd, void *events, int maxevents, __u64 to, int ret)
{
	return sc_exit(UC_SC_EPOLL_WAIT, ret);
}

/* futex_wait: the sleeping half of FUTEX_WAIT(_BITSET), which pthread
 * mutexes and rwlocks end in (do_futex has 7 arguments, more than fentry
 * takes before Linux 6.6). */
SEC("fentry/futex_wait")
int BPF_PROG(uc_sc_futex_in, __u32 *uaddr)
{
	return sc_enter(UC_SC_FUTEX, (__u64)uaddr);
}

SEC("fexit/futex_wait")
int BPF_PROG(uc_sc_futex_out, __u32 *uaddr, unsigned int flags, __u32 val,
	     void *abs_time, __u32 bitset, int ret)
{
	return sc_exit(UC_SC_FUTEX, ret);
}

/* The fallback, where fentry cannot attach: the raw syscall tracepoints,
 * the syscalls chosen by number. */
#if defined(__TARGET_ARCH_x86)
#define NR_POLL 7
#define NR_SENDMSG 46
#define NR_RECVMSG 47
#define NR_FUTEX 202
#define NR_EPOLL_WAIT 232
#define NR_PPOLL 271
#define NR_EPOLL_PWAIT 281
#elif defined(__TARGET_ARCH_arm64)
#define NR_POLL (-1)           /* none: ppoll only */
#define NR_SENDMSG 211
#define NR_RECVMSG 212
#define NR_FUTEX 98
#define NR_EPOLL_WAIT (-1)     /* none: epoll_pwait only */
#define NR_PPOLL 73
#define NR_EPOLL_PWAIT 22
#endif
#define NR_EPOLL_PWAIT2 441
#define FUTEX_CMD_MASK 0x7f    /* ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME) */

#ifdef NR_FUTEX
static __always_inline __u32 syscall_kind(long id, struct pt_regs *regs, __u64 *arg)
{
	unsigned long a0 = 0, a1 = 0;

	if (id == NR_FUTEX) {
		bpf_probe_read_kernel(&a1, sizeof(a1), &PT_REGS_PARM2(regs));
		a1 &= FUTEX_CMD_MASK;
		/* WAIT, LOCK_PI, WAIT_BITSET, WAIT_REQUEUE_PI: waiting for
		 * someone else's lock */
		if (a1 != 0 && a1 != 6 && a1 != 9 && a1 != 11)
			return 0;
		bpf_probe_read_kernel(&a0, sizeof(a0), &PT_REGS_PARM1(regs));
		*arg = a0;
		return UC_SC_FUTEX;
	}
	if (id == NR_RECVMSG || id == NR_SENDMSG) {
		bpf_probe_read_kernel(&a0, sizeof(a0), &PT_REGS_PARM1(regs));
		*arg = a0;
		return id == NR_RECVMSG ? UC_SC_RECVMSG : UC_SC_SENDMSG;
	}
	if (id == NR_POLL || id == NR_PPOLL)
		return UC_SC_POLL;
	if (id == NR_EPOLL_WAIT || id == NR_EPOLL_PWAIT || id == NR_EPOLL_PWAIT2)
		return UC_SC_EPOLL_WAIT;
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(uc_sys_enter, struct pt_regs *regs, long id)
{
	__u64 arg = 0;
	__u32 kind;

	if ((bpf_get_current_pid_tgid() >> 32) != targ_tgid)
		return 0;
	kind = syscall_kind(id, regs, &arg);
	return kind ? sc_enter(kind, arg) : 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(uc_sys_exit, struct pt_regs *regs, long ret)
{
	__u32 tid;
	struct handler_state *st = traced_current(&tid);

	if (!st || !st->sc_kind)
		return 0;
	return sc_exit(st->sc_kind, ret);
}
#endif

#endif /* UPCALL_COST_EXPLAIN_BPF_H */
