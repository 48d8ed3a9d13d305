/* SPDX-License-Identifier: BSD-2-Clause */
/* pcap_file.c - the --pcap output file (pcap_file.h). */
#include <stdio.h>
#include <string.h>

#include "pcap_file.h"

#define PCAP_BUF_SIZE (1u << 20)

int uc_pcap_file_open(struct uc_pcap_file *f, const char *path,
		      const struct uc_pcap_out_config *cfg, struct uc_error *err)
{
	memset(f, 0, sizeof(*f));
	if (uc_outfile_open(&f->out, path, err))
		return -1;
	if (uc_wbuf_init(&f->buf, fileno(f->out.f), PCAP_BUF_SIZE) ||
	    !(f->pcap = uc_pcap_out_new(&f->buf, cfg))) {
		uc_pcap_file_abort(f);
		return uc_error_set(err, "out of memory");
	}
	return 0;
}

struct uc_upcall_sink uc_pcap_file_sink(struct uc_pcap_file *f)
{
	return uc_pcap_out_sink(f->pcap);
}

int uc_pcap_file_commit(struct uc_pcap_file *f, struct uc_error *err)
{
	int rc = uc_pcap_out_finish(f->pcap);

	if (!rc)
		rc = uc_wbuf_flush(&f->buf);
	if (rc) {
		uc_error_set(err, "cannot write %s: %s",
			     f->out.path ? f->out.path : "standard output",
			     strerror(rc < 0 ? -rc : rc));
		uc_pcap_file_abort(f);
		return -1;
	}
	uc_pcap_out_free(f->pcap);
	uc_wbuf_free(&f->buf);
	f->pcap = NULL;
	return uc_outfile_commit(&f->out, err);
}

void uc_pcap_file_abort(struct uc_pcap_file *f)
{
	uc_pcap_out_free(f->pcap);
	uc_wbuf_free(&f->buf);
	uc_outfile_abort(&f->out);
	memset(f, 0, sizeof(*f));
}
