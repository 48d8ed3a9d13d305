/* SPDX-License-Identifier: BSD-2-Clause */
/* report_render.c - the renderers of a run, in order (report_render.h). */
#include "report.h"
#include "report_json.h"
#include "report_render.h"
#include "report_text.h"
#include "svg_plot.h"

void uc_render_compat(FILE *out, const struct uc_report *r,
		      const struct uc_render_config *cfg)
{
	struct uc_report_opts opts = {
		.buckets = cfg->buckets,
		.sets = cfg->sets,
		.debug = cfg->debug,
	};

	uc_report_events(out, r);
	uc_report_matching(out, r);
	uc_report_sets(out, r, &opts);
}

int uc_render_extended(FILE *out, const struct uc_report *r,
		       const struct uc_render_config *cfg, struct uc_error *err)
{
	if (out && !cfg->compat)
		uc_ext_print(out, &r->ext);
	if (cfg->json_out && uc_report_json_stream(cfg->json_out, &r->ext, 1, false))
		return uc_error_set(err, "writing the JSON document failed");
	if (cfg->plot_out && uc_svg_plot_stream(cfg->plot_out, &r->ext, 1))
		return uc_error_set(err, "writing the plot failed");
	return 0;
}
