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
	if (!cfg->compat)
		uc_ext_print(out, &r->ext);
	if (cfg->json_path &&
	    uc_report_json_write(cfg->json_path, &r->ext, 1, false, err))
		return -1;
	if (cfg->plot_path &&
	    uc_svg_plot_write(cfg->plot_path, &r->ext, 1, err))
		return -1;
	return 0;
}
