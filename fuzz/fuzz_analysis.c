/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_analysis - a recording (either format) on arbitrary bytes, through
 * the whole analysis and every renderer of the why: its xevents feed the
 * handlers' timelines, the explanations, the forensics and the lost
 * upcalls (whatever order, gaps and values they come in), each upcall is
 * written as pcapng as it settles, and the report model is computed and
 * rendered (text, JSON, plot) to nowhere.  Every explanation must add up
 * to its upcall's latency.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis.h"
#include "explain.h"
#include "pcap_out.h"
#include "report_json.h"
#include "report_model.h"
#include "report_text.h"
#include "svg_plot.h"
#include "trace_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Each settled upcall: its parts add up; then into a pcapng writer. */
struct check {
	struct uc_upcall_sink pcap;
};

static int on_upcall(void *ctx, const struct uc_upcall *u)
{
	struct check *c = ctx;
	uint64_t sum = 0;

	if (u->expl) {
		for (int p = 0; p < UC_PART_COUNT; p++)
			sum += u->expl->part[p];
		if (sum != u->ts[UC_EV_OVS_PKT_EXEC] - u->ts[UC_EV_DP_UPCALL])
			abort();
	}
	return c->pcap.on_upcall(c->pcap.ctx, u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uc_analysis a;
	struct uc_event_sink sink;
	struct uc_error err = { "" };
	struct uc_report_config cfg = { .top = 5, .timeline = true };
	struct uc_report r;
	struct uc_wbuf buf;
	struct uc_pcap_out_config pcfg = { .snaplen = 0, .app = "fuzz" };
	struct uc_pcap_out *pcap;
	struct check c;
	FILE *null = fopen("/dev/null", "w");

	if (!null || uc_analysis_init(&a, NULL) || uc_wbuf_init(&buf, fileno(null), 4096))
		abort();
	pcap = uc_pcap_out_new(&buf, &pcfg);
	if (!pcap)
		abort();
	c.pcap = uc_pcap_out_sink(pcap);
	uc_analysis_on_upcall(&a, (struct uc_upcall_sink){ &c, on_upcall });
	sink = uc_analysis_sink(&a);
	if (!uc_trace_read_buffer(data, size, "fuzz", &sink, &err) &&
	    !uc_analysis_finish(&a) && !uc_report_compute(&r, &a, &cfg, &err)) {
		uc_ext_print(null, &r.ext);
		uc_report_json_stream(null, &r.ext, 1, false);
		uc_svg_plot_stream(null, &r.ext, 1);
		uc_report_free(&r);
	}
	uc_pcap_out_finish(pcap);
	uc_pcap_out_free(pcap);
	uc_wbuf_free(&buf);
	uc_analysis_free(&a);
	fclose(null);
	return 0;
}
