/* SPDX-License-Identifier: BSD-2-Clause */
/* svg_explain.c - the stacked bars of where the time went (svg_explain.h). */
#include <stdio.h>

#include "svg.h"
#include "svg_explain.h"

#define LEFT 150.0            /* room for the bars' labels */
#define RIGHT 24.0
#define BAR_H 16.0
#define BAR_GAP 6.0
#define HEAD 40.0             /* title */
#define LEGEND_ROW 18.0
#define LEGEND_COLS 5

/* A colour per part: the palette, then greys; unknown is hatched. */
static const char *part_color(int p)
{
	static const char *const more[] = {
		"#1f3b57", "#8c4a13", "#5b6e2a", "#4b4b4b", "#a0a0a0",
	};

	if (p < UC_SVG_N_COLORS)
		return uc_svg_palette[p];
	return more[(p - UC_SVG_N_COLORS) % 5];
}

static int n_bars(const struct uc_ext *x)
{
	int n = 1;   /* all */

	for (size_t k = 0; k < x->n_top; k++)
		n += x->top[k].explained;
	return n;
}

static int legend_rows(void)
{
	return (UC_PART_COUNT + LEGEND_COLS - 1) / LEGEND_COLS;
}

double uc_svg_explain_height(const struct uc_ext *x)
{
	if (!x->explain.present || !x->explain.explained)
		return 0;
	return HEAD + n_bars(x) * (BAR_H + BAR_GAP) + 20 + legend_rows() * LEGEND_ROW + 20;
}

static void hatch_pattern(FILE *o)
{
	fputs("<defs><pattern id=\"uc-unknown\" width=\"6\" height=\"6\" "
	      "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	      "<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>"
	      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#777777\" "
	      "stroke-width=\"2\"/></pattern></defs>\n", o);
}

static void segment(FILE *o, int p, double x, double y, double w)
{
	if (w <= 0)
		return;
	fprintf(o, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" "
		"fill=\"%s\"/>\n", x, y, w, BAR_H,
		p == UC_PART_UNKNOWN ? "url(#uc-unknown)" : part_color(p));
}

/* One bar of PART[] ns (adding up to TOTAL), from X0 over SPAN pixels. */
static void bar(FILE *o, const double *part, double total, double x0, double span,
		double y, const char *label, const char *value)
{
	double x = x0;

	uc_svg_text(o, x0 - 8, y + BAR_H - 4, "end", 11, NULL, label);
	for (int p = 0; p < UC_PART_COUNT && total > 0; p++) {
		double w = span * part[p] / total;

		segment(o, p, x, y, w);
		x += w;
	}
	uc_svg_frame(o, x0, y, x0 + span, y + BAR_H);
	uc_svg_text(o, x0 + span + 4, y + BAR_H - 4, "start", 10, NULL, value);
}

void uc_svg_explain_panel(FILE *o, const struct uc_ext *x, double top, double width)
{
	const struct uc_explain_summary *e = &x->explain;
	double x0 = LEFT, span = width - LEFT - RIGHT - 80, y = top + HEAD, part[UC_PART_COUNT];
	char label[64], value[48];
	int rank = 0;

	if (!uc_svg_explain_height(x))
		return;
	hatch_pattern(o);
	snprintf(label, sizeof(label), "Where the time went (%llu upcalls explained)",
		 (unsigned long long)e->explained);
	uc_svg_text(o, 24, top + 22, "start", 15, "font-weight=\"bold\"", label);
	for (int p = 0; p < UC_PART_COUNT; p++)
		part[p] = (double)e->part[p].sum_ns;
	snprintf(value, sizeof(value), "%.0f%%", 100.0);
	bar(o, part, (double)e->total_ns, x0, span, y, "all upcalls", value);
	y += BAR_H + BAR_GAP;
	for (size_t k = 0; k < x->n_top; k++) {
		const struct uc_outlier *u = &x->top[k];
		double total = 0;

		if (!u->explained)
			continue;
		rank++;
		for (int p = 0; p < UC_PART_COUNT; p++) {
			part[p] = (double)u->expl.part[p];
			total += part[p];
		}
		snprintf(label, sizeof(label), "#%d slowest", rank);
		snprintf(value, sizeof(value), "%.1f us", total / 1000.0);
		bar(o, part, total, x0, span, y, label, value);
		y += BAR_H + BAR_GAP;
	}
	y += 12;
	for (int p = 0; p < UC_PART_COUNT; p++) {
		double lx = x0 + (double)(p % LEGEND_COLS) * (span / LEGEND_COLS);
		double ly = y + (double)(p / LEGEND_COLS) * LEGEND_ROW;

		fprintf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\" "
			"stroke=\"#666666\" stroke-width=\"0.5\"/>\n", lx, ly,
			p == UC_PART_UNKNOWN ? "url(#uc-unknown)" : part_color(p));
		uc_svg_text(o, lx + 16, ly + 10, "start", 11, NULL,
			    uc_part_name((enum uc_part)p));
	}
}
