/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_analysis - a recording (either format) on arbitrary bytes, through
 * the whole analysis and every renderer of the why: its xevents feed the
 * handlers' timelines, the explanations, the forensics and the lost
 * upcalls (whatever order, gaps and values they come in), each upcall is
 * written as pcapng as it settles, and the report model is computed and
 * rendered (text, JSON, plot) to nowhere.  Every explanation must add up
 * to its upcall's latency.  The same recording with each event's digest
 * worked out ahead (as a file reader's thread does, event_digest.h) must
 * give the same JSON report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "event_digest.h"
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

/* Everything on to the analysis, each event with its digest worked out. */
static int digest_ahead(void *ctx, const struct uc_raw_event *ev)
{
	const struct uc_event_sink *next = ctx;
	struct uc_raw_event copy = *ev;

	uc_event_digest_fill(&copy);
	return next->on_event(next->ctx, &copy);
}

static int pass_info(void *ctx, const struct uc_capture_info *info)
{
	const struct uc_event_sink *next = ctx;

	return next->on_info(next->ctx, info);
}

static int pass_map(void *ctx, const struct uc_port_map *map)
{
	const struct uc_event_sink *next = ctx;

	return next->on_port_map(next->ctx, map);
}

static int pass_missed(void *ctx, uint32_t type, uint64_t count)
{
	const struct uc_event_sink *next = ctx;

	return next->on_missed(next->ctx, type, count);
}

static int pass_xevent(void *ctx, const struct uc_xevent *xe)
{
	const struct uc_event_sink *next = ctx;

	return next->on_xevent(next->ctx, xe);
}

/* The whole analysis of DATA; its JSON report into *JSON (NULL when
 * the recording was refused). */
static void analyse(const uint8_t *data, size_t size, bool ahead, char **json)
{
	struct uc_analysis a;
	struct uc_event_sink sink, shim;
	struct uc_error err = { "" };
	struct uc_report_config cfg = { .top = 5, .timeline = true };
	struct uc_report r;
	struct uc_wbuf buf;
	struct uc_pcap_out_config pcfg = { .snaplen = 0, .app = "fuzz" };
	struct uc_pcap_out *pcap;
	struct check c;
	FILE *null = fopen("/dev/null", "w");
	size_t len;

	*json = NULL;
	if (!null || uc_analysis_init(&a, NULL) || uc_wbuf_init(&buf, fileno(null), 4096))
		abort();
	pcap = uc_pcap_out_new(&buf, &pcfg);
	if (!pcap)
		abort();
	c.pcap = uc_pcap_out_sink(pcap);
	uc_analysis_on_upcall(&a, (struct uc_upcall_sink){ &c, on_upcall });
	sink = uc_analysis_sink(&a);
	shim = sink;
	if (ahead)
		shim = (struct uc_event_sink){
			.ctx = &sink, .on_info = pass_info, .on_port_map = pass_map,
			.on_event = digest_ahead, .on_missed = pass_missed,
			.on_xevent = pass_xevent,
		};
	if (!uc_trace_read_buffer(data, size, "fuzz", &shim, &err) &&
	    !uc_analysis_finish(&a) && !uc_report_compute(&r, &a, &cfg, &err)) {
		FILE *out = open_memstream(json, &len);

		if (!out)
			abort();
		uc_ext_print(null, &r.ext);
		uc_report_json_stream(out, &r.ext, 1, false);
		uc_svg_plot_stream(null, &r.ext, 1);
		fclose(out);
		uc_report_free(&r);
	}
	uc_pcap_out_finish(pcap);
	uc_pcap_out_free(pcap);
	uc_wbuf_free(&buf);
	uc_analysis_free(&a);
	fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *as_they_come, *digested;

	analyse(data, size, false, &as_they_come);
	analyse(data, size, true, &digested);
	if (!as_they_come != !digested ||
	    (as_they_come && strcmp(as_they_come, digested)))
		abort();
	free(as_they_come);
	free(digested);
	return 0;
}
