/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcap_out.h - --pcap FILE: every upcall, as it settles, as a pcapng
 * packet on the interface of its datapath port, with a comment that
 * says what happened to it: its latencies, handler and batch position,
 * the kernel's verdict, why it missed and where its time went.
 *
 * A writer fed finished results (upcall.h): it formats, computes nothing.
 */
#ifndef UC_PCAP_OUT_H
#define UC_PCAP_OUT_H

#include <stdint.h>

#include "upcall.h"
#include "wbuf.h"

struct uc_pcap_out;

struct uc_pcap_out_config {
	uint32_t snaplen;        /* the capture's -P */
	const char *os;          /* the kernel, or NULL */
	const char *app;         /* "upcall_cost VERSION" */
	const char *comment;     /* the section's, or NULL */
};

/* A writer into OUT (which stays the caller's; CFG's strings are
 * copied); NULL: out of memory. */
struct uc_pcap_out *uc_pcap_out_new(struct uc_wbuf *out,
				    const struct uc_pcap_out_config *cfg);
void uc_pcap_out_free(struct uc_pcap_out *p);
/* The sink the analysis hands settled upcalls to. */
struct uc_upcall_sink uc_pcap_out_sink(struct uc_pcap_out *p);
/* The end: a file with no upcall still gets its section header.
 * Returns 0 or the first error (-errno) of the writer. */
int uc_pcap_out_finish(struct uc_pcap_out *p);

/* The comment of upcall U (for tests), into BUF; returns its length. */
size_t uc_pcap_out_comment(const struct uc_upcall *u, char *buf, size_t size);

#endif /* UC_PCAP_OUT_H */
