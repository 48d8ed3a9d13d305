/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * forensics.h - why an upcall happened at all: each one classified as it
 * settles, from what happened to its flow before.
 *
 *   recirculation  a recirculation hop (its key's recirc_id is not 0): the
 *                  pipeline's second pass, not a table miss
 *   in flight      an earlier upcall of the same flow was still being
 *                  handled (queued, looked up, installed) when it missed
 *   after delete   its flow had been installed, then deleted: why (the
 *                  revalidator's reason, a flush, a request) and by whom
 *   not installed  an earlier upcall of its flow was executed without a
 *                  flow put (ovs-vswitchd kept a stale ukey, or hit its
 *                  flow limit): every packet of the flow misses
 *   unexplained    installed, and no deletion was seen (its probe missing,
 *                  or a deletion this capture cannot see)
 *   first          the first miss of its flow in the capture
 *
 * A flow here is a microflow: the datapath, the port and the packet's
 * headers (L2 addresses, VLAN, L3 addresses, protocol, L4 ports), which
 * are what the kernel's exact key is made of for such packets; the
 * datapath flow an upcall installs is named by the UFID of its put
 * request, which deletions name too.  Flush times come from
 * ovs_flow_tbl_flush(), deletion reasons from revalidate:flow_result and
 * revalidator_sweep__:flow_sweep_result, joined to the op_flow_del of
 * the same thread and UFID that follows them.
 *
 * Pure; memory is bounded (UC_FORENSICS_MAX_FLOWS flows, deletions): past
 * it the oldest state is forgotten, and its flows read as first misses.
 */
#ifndef UC_FORENSICS_H
#define UC_FORENSICS_H

#include <stdbool.h>
#include <stdint.h>

#include "ovs_netlink.h"
#include "strtab.h"
#include "xevent.h"

#define UC_FORENSICS_MAX_FLOWS (1u << 20)

enum uc_miss_class {
	UC_MISS_NONE = 0,        /* not classified */
	UC_MISS_FIRST,
	UC_MISS_RECIRC,
	UC_MISS_IN_FLIGHT,
	UC_MISS_AFTER_DELETE,
	UC_MISS_NOT_INSTALLED,
	UC_MISS_UNEXPLAINED,
	UC_MISS_CLASS_COUNT,
};

/* Why its flow was deleted (UC_MISS_AFTER_DELETE). */
enum uc_miss_reason {
	UC_MR_NONE = 0,
	UC_MR_IDLE,              /* idle longer than max-idle */
	UC_MR_FLOW_LIMIT,        /* over the flow limit: all flows killed */
	UC_MR_TOO_EXPENSIVE,     /* too expensive to revalidate */
	UC_MR_PURGE,             /* revalidator/purge */
	UC_MR_REVALIDATED,       /* revalidation: translation changed, ... */
	UC_MR_REVALIDATOR,       /* by a revalidator, reason not traced */
	UC_MR_REQUESTED,         /* by another thread (a dpctl request) */
	UC_MR_FLUSH,             /* the datapath's flows flushed */
	UC_MR_COUNT,
};

/* uc_miss.flags */
#define UC_MISSF_NO_PUT    0x1   /* this upcall installed no flow */
#define UC_MISSF_AVOIDABLE 0x2

struct uc_miss {
	uint8_t cls;             /* enum uc_miss_class */
	uint8_t reason;          /* enum uc_miss_reason */
	uint8_t flags;
	uint8_t fdr;             /* OVS's flow_del_reason, when traced */
	uint32_t by;             /* who deleted or flushed (names), UC_NONE */
	uint64_t ago_ns;         /* how long before the miss that was, or
				  * (in flight) the earlier upcall's miss */
};

/* One settled upcall, as forensics needs it. */
struct uc_miss_in {
	uint64_t flow_id;
	uint64_t dp_ts;
	uint64_t tk;             /* its kernel execute, 0 if none */
	bool has_put, has_exec;
	bool has_ufid;           /* its put request named a UFID */
	struct uc_ufid ufid;
	bool recirc;             /* its key's recirc_id is not 0 */
};

struct uc_forensics;

struct uc_forensics *uc_forensics_new(void);
void uc_forensics_free(struct uc_forensics *f);

/* The microflow of a packet (see above), kernel or vswitchd copy alike. */
uint64_t uc_flow_identity(const uint8_t *pkt, uint32_t cap, uint32_t dp_name,
			  int32_t port);

/* A kernel upcall of FLOW_ID at DP_TS: in flight until settled or gone. */
int uc_forensics_dp(struct uc_forensics *f, uint64_t flow_id, uint64_t dp_ts);
/* It will never settle (the kernel failed to deliver it). */
void uc_forensics_dp_gone(struct uc_forensics *f, uint64_t flow_id, uint64_t dp_ts);
/* The flow records: FLOW_DEL, FLOW_RESULT, DP_FLUSH.  0 or -ENOMEM. */
int uc_forensics_xevent(struct uc_forensics *f, const struct uc_xevent *xe);
/*
 * An upcall in flight whose batch looks complete (its kernel execute came)
 * before its set settles: a later miss of its flow sees it done at its
 * kernel execute, not in flight (batcher.h: on_complete).
 */
void uc_forensics_complete(struct uc_forensics *f, const struct uc_miss_in *in);
/* Classifies a settled upcall, and remembers it.  0 or -ENOMEM. */
int uc_forensics_classify(struct uc_forensics *f, const struct uc_miss_in *in,
			  struct uc_miss *out);

/* Counters of what was seen. */
struct uc_forensics_stats {
	uint64_t deletions, flushes, results, joined;
	uint64_t deletions_no_ufid;  /* deletions naming no UFID */
	uint64_t forgotten;          /* states dropped at the memory bound */
};
void uc_forensics_stats(const struct uc_forensics *f, struct uc_forensics_stats *s);
/* Who deleted or flushed: the name table of uc_miss.by. */
const struct uc_strtab *uc_forensics_names(const struct uc_forensics *f);
/* Moves the name table out (the forensics can only be freed then). */
void uc_forensics_take_names(struct uc_forensics *f, struct uc_strtab *out);

const char *uc_miss_class_name(uint8_t cls);      /* "after_delete" */
const char *uc_miss_class_text(uint8_t cls);      /* "re-miss after deletion" */
const char *uc_miss_reason_name(uint8_t reason);  /* "idle" */
/* Could the upcall have been avoided (a cache that kept its flow)? */
bool uc_miss_avoidable(uint8_t cls, uint8_t reason);
/* OVS's enum flow_del_reason, by name ("idle", ...); "reason N" beyond. */
const char *uc_flow_del_reason_name(uint32_t fdr, char *buf, size_t size);

#endif /* UC_FORENSICS_H */
