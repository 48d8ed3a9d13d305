/* SPDX-License-Identifier: BSD-2-Clause */
/* analysis.c - a trace feeding a correlator (analysis.h). */
#include <errno.h>
#include <string.h>

#include "analysis.h"

int uc_analysis_init(struct uc_analysis *a, const struct uc_trace_config *cfg)
{
	memset(a, 0, sizeof(*a));
	a->corr = uc_correlator_new(&a->trace);
	if (!a->corr)
		return -ENOMEM;
	uc_trace_init(&a->trace, cfg, uc_correlator_sink(a->corr));
	return 0;
}

void uc_analysis_on_upcall(struct uc_analysis *a, struct uc_upcall_sink sink)
{
	uc_correlator_on_upcall(a->corr, sink);
}

struct uc_event_sink uc_analysis_sink(struct uc_analysis *a)
{
	return uc_trace_sink(&a->trace);
}

int uc_analysis_finish(struct uc_analysis *a)
{
	return uc_correlator_finish(a->corr, &a->result);
}

void uc_analysis_free(struct uc_analysis *a)
{
	uc_correlator_free(a->corr);
	uc_correlation_free(&a->result);
	uc_trace_free(&a->trace);
	memset(a, 0, sizeof(*a));
}
