/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * upcall.h - one upcall as the analysis settled it, handed to whoever
 * writes upcalls out as they settle (--pcap: pcap_out.h).  A finished
 * result: its consumer computes nothing, the analysis knows nothing of
 * its consumer.
 *
 * An upcall settles when its batch ends (matched sets and receives that
 * took no kernel upcall), when the kernel says it failed (lost), or at
 * the end of the run (kernel upcalls no receive took).
 */
#ifndef UC_UPCALL_H
#define UC_UPCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "explain.h"
#include "forensics.h"
#include "strtab.h"
#include "upcall_cost.h"

enum uc_upcall_kind {
	UC_UPCALL_SET,           /* a kernel upcall and its receive */
	UC_UPCALL_LONE,          /* a receive that took no kernel upcall */
	UC_UPCALL_LOST,          /* the kernel failed to deliver it */
	UC_UPCALL_UNRECEIVED,    /* delivered, never received (the run ended) */
};

struct uc_upcall {
	uint8_t kind;            /* enum uc_upcall_kind */
	uint64_t id;             /* the kernel upcall's number + 1, or 0 */
	uint64_t ts[UC_EV_MAX];  /* its events' times; 0: absent */
	uint64_t when;           /* its time: the kernel upcall's, else the
				  * receive's, else the failure's */
	bool have_wall;
	int64_t wall_offset_ns;  /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint32_t cpu;            /* of the kernel upcall */
	const char *dp, *port_name;  /* "" when unknown */
	int32_t port;            /* datapath port, or UC_DP_NO_PORT */
	const char *handler;     /* thread name, "" if none */
	uint32_t tid;
	uint32_t batch_pos, batch_size;   /* batch_size 0: no batch */
	const uint8_t *pkt;      /* the packet: the receive's copy, else the
				  * kernel's */
	uint32_t pkt_cap, pkt_len;
	bool kernel_bytes;       /* the kernel's copy: the L4 checksum may
				  * not be filled in yet (offload) */
	bool suspect;            /* its batch was rebuilt out of step */
	int32_t err;             /* LOST: the negative errno */
	uint8_t cmd;             /* LOST: the upcall command */
	const struct uc_miss *miss;          /* NULL: not classified */
	const char *miss_by;     /* who deleted its flow, "" */
	const struct uc_explanation *expl;   /* NULL: not explained */
	const struct uc_strtab *expl_names;  /* its who names */
};

struct uc_upcall_sink {
	void *ctx;
	int (*on_upcall)(void *ctx, const struct uc_upcall *u);
};

#endif /* UC_UPCALL_H */
