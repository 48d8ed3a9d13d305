/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcap_file.h - the --pcap FILE itself: a pcapng writer (pcap_out.h)
 * into an output file that appears whole or not at all (outfile.h),
 * through the shared output buffer (wbuf.h).  "-" is standard output.
 */
#ifndef UC_PCAP_FILE_H
#define UC_PCAP_FILE_H

#include "error.h"
#include "outfile.h"
#include "pcap_out.h"
#include "wbuf.h"

struct uc_pcap_file {
	struct uc_outfile out;
	struct uc_wbuf buf;
	struct uc_pcap_out *pcap;
};

/* Creates PATH (empty, so a bad path fails before any work).  0, or -1
 * with ERR set. */
int uc_pcap_file_open(struct uc_pcap_file *f, const char *path,
		      const struct uc_pcap_out_config *cfg, struct uc_error *err);
struct uc_upcall_sink uc_pcap_file_sink(struct uc_pcap_file *f);
/* Ends, writes and commits the file.  0, or -1 with ERR set (the file
 * is then removed). */
int uc_pcap_file_commit(struct uc_pcap_file *f, struct uc_error *err);
/* Gives up: the file is removed (a no-op on one never opened). */
void uc_pcap_file_abort(struct uc_pcap_file *f);

#endif /* UC_PCAP_FILE_H */
