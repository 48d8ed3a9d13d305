/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * svg_plot.c - the figures (see svg_plot.h).  Coordinates are in pixels,
 * y growing downwards; every panel maps its data through a struct axis.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "svg.h"
#include "svg_explain.h"
#include "svg_plot.h"

#define WIDTH 960.0
#define LEFT 84.0             /* room for the y tick labels */
#define RIGHT 24.0
#define BOX_PANEL_H 380.0
#define BATCH_PANEL_H 250.0
#define TIME_PANEL_H 280.0
#define LOG_RATIO 50.0        /* max/min beyond which the axis is log */


/* ================================================================ basics */

struct axis {
	double lo, hi;    /* data at the two ends (log: both > 0) */
	bool log;
	double step;      /* linear: between ticks */
	double p0, p1;    /* their pixels */
	double div;       /* tick labels are value / div; 0: a latency in
			   * microseconds, each tick in its own unit */
};

/* Latencies are microseconds; an axis reaching into thousands of them
 * is labelled in milliseconds, into millions in seconds. */
struct unit {
	const char *name;
	double div;
};

static struct unit latency_unit(const struct axis *a, double max_us)
{
	if (a->log)   /* decades apart: each tick says its unit */
		return (struct unit){ "", 0 };
	if (max_us >= 1e6)
		return (struct unit){ "seconds", 1e6 };
	if (max_us >= 1e3)
		return (struct unit){ "milliseconds", 1e3 };
	return (struct unit){ "microseconds", 1 };
}

static double axis_px(const struct axis *a, double v)
{
	double f;

	if (a->log)
		f = v > 0 ? (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo)) : 0;
	else
		f = (v - a->lo) / (a->hi - a->lo);
	f = f < 0 ? 0 : f > 1 ? 1 : f;
	return a->p0 + f * (a->p1 - a->p0);
}

/* 1, 2 or 5 times a power of ten, near RANGE / 5. */
static double nice_step(double range)
{
	double raw = range / 5, mag = pow(10, floor(log10(raw))), f = raw / mag;

	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

/* Chooses the scale: logarithmic when allowed and the samples span more
 * than LOG_RATIO (latencies: a few slow upcalls would otherwise squash
 * every box into a line), else linear on round numbers. */
static void axis_fit(struct axis *a, double min, double max, bool allow_log)
{
	a->div = 1;
	a->log = allow_log && min > 0 && max / min >= LOG_RATIO;
	if (a->log) {
		a->lo = pow(10, floor(log10(min)));
		a->hi = pow(10, ceil(log10(max)));
		if (a->hi <= a->lo)
			a->hi = a->lo * 10;
		return;
	}
	if (max <= min) {
		double pad = fabs(min) > 0 ? fabs(min) * 0.1 : 1;

		min -= pad;
		max += pad;
	}
	a->step = nice_step(max - min);
	a->lo = floor(min / a->step) * a->step;
	a->hi = ceil(max / a->step) * a->step;
}

/* A count axis: from 0, ticks on whole numbers only. */
static void axis_fit_count(struct axis *a, double max)
{
	axis_fit(a, 0, max > 1 ? max : 1, false);
	if (a->step < 1) {
		a->step = 1;
		a->hi = ceil(a->hi);
	}
}

/* "0.1", "250", "1000000": never the exponent form "1e+06". */
static void tick_label(char *buf, size_t size, double v)
{
	if (fabs(v) < 1e-9 * (fabs(v) + 1))
		v = 0;
	if (fabs(v) >= 1e5)
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "%g", fabs(v) < 1e-12 ? 0 : v);
}

/* "10 us", "1 ms", "2.5 s": a latency of V microseconds. */
static void latency_label(char *buf, size_t size, double v)
{
	if (v >= 1e6)
		snprintf(buf, size, "%g s", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, size, "%g ms", v / 1e3);
	else
		snprintf(buf, size, "%g us", v);
}

static void axis_label(char *buf, size_t size, const struct axis *a, double v)
{
	if (a->div)
		tick_label(buf, size, v / a->div);
	else
		latency_label(buf, size, v);
}

/* Horizontal grid lines and labels of Y across [X0, X1]. */
static void y_grid(FILE *o, const struct axis *y, double x0, double x1)
{
	char label[32];

	if (y->log) {
		for (double d = y->lo; d <= y->hi * 1.0001; d *= 10) {
			for (int k = 2; k < 10 && d * k < y->hi; k++)
				uc_svg_line(o, x0, axis_px(y, d * k), x1, axis_px(y, d * k),
				     "#eeeeee", 1);
			uc_svg_line(o, x0, axis_px(y, d), x1, axis_px(y, d), "#cccccc", 1);
			axis_label(label, sizeof(label), y, d);
			uc_svg_text(o, x0 - 6, axis_px(y, d) + 4, "end", 11, NULL, label);
		}
		return;
	}
	for (int i = 0; y->lo + i * y->step <= y->hi + y->step * 1e-6; i++) {
		double v = y->lo + i * y->step;

		uc_svg_line(o, x0, axis_px(y, v), x1, axis_px(y, v), "#cccccc", 1);
		axis_label(label, sizeof(label), y, v);
		uc_svg_text(o, x0 - 6, axis_px(y, v) + 4, "end", 11, NULL, label);
	}
}

/* ================================================================ boxplots */

struct box {
	double q1, median, q3, mean;
	double wlo, whi;      /* whisker ends: samples */
	size_t lo, hi;        /* samples [lo, hi) are within the whiskers */
};

/* Tukey's box: whiskers reach the farthest samples within 1.5 IQR. */
static void box_of(const double *s, size_t n, double mean, struct box *b)
{
	double iqr, lim;

	b->q1 = uc_percentile(s, n, 250000);
	b->median = uc_percentile(s, n, UC_PPM_P50);
	b->q3 = uc_percentile(s, n, 750000);
	b->mean = mean;
	iqr = b->q3 - b->q1;
	lim = b->q1 - 1.5 * iqr;
	for (b->lo = 0; b->lo < n && s[b->lo] < lim; b->lo++)
		;
	lim = b->q3 + 1.5 * iqr;
	for (b->hi = n; b->hi > b->lo && s[b->hi - 1] > lim; b->hi--)
		;
	b->wlo = s[b->lo];
	b->whi = s[b->hi - 1];
}

/* Every sample outside the whiskers, but one dot per half pixel: the
 * samples are sorted, so a dot that would cover the last one is skipped
 * (this bounds the file size whatever the number of samples). */
static void outlier_dots(FILE *o, const struct axis *y, double cx,
			 const double *s, size_t from, size_t to,
			 const char *color)
{
	double last = -1e9;

	for (size_t i = from; i < to; i++) {
		double py = axis_px(y, s[i]);

		if (fabs(py - last) < 0.5)
			continue;
		fprintf(o, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\" "
			"fill-opacity=\"0.5\"/>\n", cx, py, color);
		last = py;
	}
}

static void draw_box(FILE *o, const struct axis *y, double cx, double bw,
		     const struct uc_metric_summary *ms, const char *color)
{
	const double *s = ms->sorted;
	size_t n = ms->st.n;
	struct box b;
	double top, bottom, my;

	box_of(s, n, ms->st.mean, &b);
	top = axis_px(y, b.q3);
	bottom = axis_px(y, b.q1);
	uc_svg_line(o, cx, axis_px(y, b.whi), cx, top, "#333333", 1);
	uc_svg_line(o, cx, bottom, cx, axis_px(y, b.wlo), "#333333", 1);
	uc_svg_line(o, cx - bw / 4, axis_px(y, b.whi), cx + bw / 4, axis_px(y, b.whi),
	     "#333333", 1);
	uc_svg_line(o, cx - bw / 4, axis_px(y, b.wlo), cx + bw / 4, axis_px(y, b.wlo),
	     "#333333", 1);
	fprintf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		"fill=\"%s\" fill-opacity=\"0.45\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
		cx - bw / 2, top, bw, bottom - top > 1 ? bottom - top : 1, color, color);
	uc_svg_line(o, cx - bw / 2, axis_px(y, b.median), cx + bw / 2,
	     axis_px(y, b.median), "#111111", 2.5);
	my = axis_px(y, b.mean);
	fprintf(o, "<path d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\" fill=\"#d62728\" "
		"stroke=\"white\" stroke-width=\"1\"/>\n", cx, my - 5);
	outlier_dots(o, y, cx, s, 0, b.lo, color);
	outlier_dots(o, y, cx, s, b.hi, n, color);
}

/* The samples of every run, for one shared axis. */
struct sample_range {
	double min, max;       /* of all samples */
	double min_pos;        /* of the positive ones (0: none) */
	size_t n, nonpos;      /* samples, and those <= 0 */
};

static void sample_range(const struct uc_ext *runs, size_t n,
			 struct sample_range *r)
{
	memset(r, 0, sizeof(*r));
	for (size_t k = 0; k < n; k++)
		for (int id = 0; id < UC_M_COUNT; id++) {
			const struct uc_metric_summary *ms = &runs[k].metric[id];
			size_t first_pos = 0;

			if (!ms->st.n)
				continue;
			r->min = !r->n || ms->st.min < r->min ? ms->st.min : r->min;
			r->max = !r->n || ms->st.max > r->max ? ms->st.max : r->max;
			while (first_pos < ms->st.n && ms->sorted[first_pos] <= 0)
				first_pos++;
			if (first_pos < ms->st.n && (!r->min_pos ||
						     ms->sorted[first_pos] < r->min_pos))
				r->min_pos = ms->sorted[first_pos];
			r->nonpos += first_pos;
			r->n += ms->st.n;
		}
}

/*
 * A log axis when the positive samples span a wide range, even if a few
 * are <= 0 (clock skew between CPUs can make a segment slightly negative):
 * up to 1% of them are drawn on the bottom edge rather than lose the log
 * scale, and the title says so.
 */
static void box_axis(struct axis *y, const struct sample_range *r)
{
	if (r->min_pos > 0 && r->nonpos * 100 <= r->n &&
	    r->max / r->min_pos >= LOG_RATIO)
		axis_fit(y, r->min_pos, r->max, true);
	else
		axis_fit(y, r->min, r->max, false);
}

static void box_legend(FILE *o, double x, double y)
{
	fprintf(o, "<path d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\" fill=\"#d62728\"/>\n",
		x + 5, y - 9);
	uc_svg_text(o, x + 14, y, "start", 11, NULL,
	     "mean;  box: p25 to p75 with the median;  whiskers: farthest "
	     "sample within 1.5 IQR;  dots: samples beyond");
}

static void box_panel(FILE *o, const struct uc_ext *runs, size_t n,
		      double top, double width)
{
	double x0 = LEFT, x1 = width - RIGHT, y0 = top + 30;
	double y1 = top + BOX_PANEL_H - 62, cat_w = (x1 - x0) / UC_M_COUNT;
	double slot = cat_w * 0.8 / (double)n;
	struct axis y = { .p0 = y1, .p1 = y0 };
	struct sample_range range;
	struct unit unit;
	char title[200], label[64];

	sample_range(runs, n, &range);
	if (!range.n) {
		uc_svg_text(o, width / 2, top + BOX_PANEL_H / 2, "middle", 14, NULL,
		     "no latency samples");
		return;
	}
	box_axis(&y, &range);
	unit = latency_unit(&y, y.hi);
	y.div = unit.div;
	if (y.log && range.nonpos)
		snprintf(title, sizeof(title), "Latency per segment (logarithmic "
			 "scale; %zu samples <= 0 on the bottom edge)", range.nonpos);
	else if (y.log)
		snprintf(title, sizeof(title), "Latency per segment (logarithmic scale)");
	else
		snprintf(title, sizeof(title), "Latency per segment (%s)", unit.name);
	uc_svg_text(o, x0, top + 18, "start", 15, "font-weight=\"bold\"", title);
	y_grid(o, &y, x0, x1);
	for (int i = 0; i < UC_M_COUNT; i++) {
		enum uc_metric_id id = uc_ext_metric_order[i];
		double cx0 = x0 + cat_w * i + cat_w * 0.1;

		for (size_t r = 0; r < n; r++) {
			const struct uc_metric_summary *ms = &runs[r].metric[id];
			double cx = cx0 + slot * ((double)r + 0.5);

			if (ms->st.n)
				draw_box(o, &y, cx, slot * 0.7, ms, uc_svg_palette[r % UC_SVG_N_COLORS]);
		}
		uc_svg_text(o, x0 + cat_w * (i + 0.5), y1 + 18, "middle", 12, NULL,
		     uc_metric_name(id));
		if (n == 1) {
			snprintf(label, sizeof(label), "n = %zu", runs[0].metric[id].st.n);
			uc_svg_text(o, x0 + cat_w * (i + 0.5), y1 + 33, "middle", 11,
			     "fill=\"#555555\"", label);
		}
	}
	uc_svg_frame(o, x0, y0, x1, y1);
	box_legend(o, x0, top + BOX_PANEL_H - 12);
}

/* ================================================================ batches */

static void batch_panel(FILE *o, const struct uc_ext *x, double top)
{
	double x0 = LEFT, x1 = WIDTH - RIGHT, y0 = top + 30;
	double y1 = top + BATCH_PANEL_H - 40, max_count = 0, bar;
	struct axis y = { .p0 = y1, .p1 = y0 };
	int64_t max_size = 64, step;
	char title[160], label[32];

	for (size_t k = 0; k < x->batch_sizes.n; k++) {
		const struct uc_group *g = &x->batch_sizes.g[k];

		max_size = g->key > max_size ? g->key : max_size;
		max_count = (double)g->batches > max_count ? (double)g->batches : max_count;
	}
	snprintf(title, sizeof(title), "Upcalls per batch (%llu %s)",
		 (unsigned long long)x->n_batches, x->n_batches == 1 ? "batch" : "batches");
	uc_svg_text(o, x0, top + 18, "start", 15, "font-weight=\"bold\"", title);
	if (!x->n_batches) {
		uc_svg_frame(o, x0, y0, x1, y1);
		uc_svg_text(o, (x0 + x1) / 2, (y0 + y1) / 2, "middle", 14, NULL,
		     "no samples: no vswitchd batch was traced");
		return;
	}
	axis_fit_count(&y, max_count);
	y_grid(o, &y, x0, x1);
	bar = (x1 - x0) / (double)max_size;
	for (size_t k = 0; k < x->batch_sizes.n; k++) {
		const struct uc_group *g = &x->batch_sizes.g[k];
		double py = axis_px(&y, (double)g->batches);

		fprintf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			"fill=\"%s\"/>\n", x0 + bar * ((double)g->key - 1) + bar * 0.1,
			py, bar * 0.8, y1 - py, uc_svg_palette[0]);
	}
	step = max_size <= 64 ? 8 : (int64_t)nice_step((double)max_size);
	for (int64_t s = 1; s <= max_size; s = s == 1 ? step : s + step) {
		snprintf(label, sizeof(label), "%lld", (long long)s);
		uc_svg_text(o, x0 + bar * ((double)s - 0.5), y1 + 16, "middle", 11, NULL, label);
	}
	uc_svg_text(o, (x0 + x1) / 2, y1 + 32, "middle", 12, NULL,
	     "upcalls in the batch (number of batches of each size)");
	uc_svg_frame(o, x0, y0, x1, y1);
}

/* ================================================================ time */

struct series {
	const char *name, *color, *dash;
	double (*get)(const struct uc_stats *st);
};

static double get_p50(const struct uc_stats *st) { return st->p50; }
static double get_p99(const struct uc_stats *st) { return st->p99; }
static double get_max(const struct uc_stats *st) { return st->max; }

static const struct series time_series[] = {
	{ "max", "#999999", "4 3", get_max },
	{ "p99", "#f28e2b", NULL, get_p99 },
	{ "p50", "#4e79a7", NULL, get_p50 },
};

static void polyline_start(FILE *o, const struct series *s)
{
	fprintf(o, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"",
		s->color);
	if (s->dash)
		fprintf(o, " stroke-dasharray=\"%s\"", s->dash);
	fputs(" points=\"", o);
}

/* One series as polylines broken where a bin has no sample, and a dot on
 * each point when there are few (a lone point has no line). */
static void draw_series(FILE *o, const struct uc_ext *x, const struct series *s,
			const struct axis *xa, const struct axis *ya)
{
	const struct uc_groups *tl = &x->timeline;
	double bin = (double)x->timeline_ns / 1e9;
	bool open = false;

	for (size_t k = 0; k < tl->n; k++) {
		const struct uc_stats *st = &tl->g[k].st;

		if (!st->n) {
			if (open)
				fputs("\"/>\n", o);
			open = false;
			continue;
		}
		if (!open)
			polyline_start(o, s);
		fprintf(o, "%s%.1f,%.1f", open ? " " : "",
			axis_px(xa, ((double)k + 0.5) * bin), axis_px(ya, s->get(st)));
		open = true;
	}
	if (open)
		fputs("\"/>\n", o);
	for (size_t k = 0; tl->n <= 60 && k < tl->n; k++)
		if (tl->g[k].st.n)
			fprintf(o, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
				"fill=\"%s\"/>\n", axis_px(xa, ((double)k + 0.5) * bin),
				axis_px(ya, s->get(&tl->g[k].st)), s->color);
}

static bool time_range(const struct uc_groups *tl, double *min, double *max)
{
	bool any = false;

	for (size_t k = 0; k < tl->n; k++) {
		const struct uc_stats *st = &tl->g[k].st;

		if (!st->n)
			continue;
		*min = !any || st->p50 < *min ? st->p50 : *min;
		*max = !any || st->max > *max ? st->max : *max;
		any = true;
	}
	return any;
}

static void time_x_axis(FILE *o, const struct axis *xa, double y1)
{
	double step = nice_step(xa->hi - xa->lo);
	char label[32];

	for (int i = 0; i * step <= xa->hi + step * 1e-6; i++) {
		double v = i * step;

		uc_svg_line(o, axis_px(xa, v), y1, axis_px(xa, v), y1 + 4, "#666666", 1);
		tick_label(label, sizeof(label), v);
		uc_svg_text(o, axis_px(xa, v), y1 + 16, "middle", 11, NULL, label);
	}
}

static void time_panel(FILE *o, const struct uc_ext *x, double top)
{
	double x0 = LEFT, x1 = WIDTH - RIGHT, y0 = top + 30;
	double y1 = top + TIME_PANEL_H - 40, min = 0, max = 0;
	struct axis ya = { .p0 = y1, .p1 = y0 }, xa = { .p0 = x0, .p1 = x1 };
	char title[200], caption[160], wall[48];
	struct unit unit;

	if (!time_range(&x->timeline, &min, &max)) {
		snprintf(title, sizeof(title), "%s latency over time",
			 uc_metric_name(x->primary));
		uc_svg_text(o, x0, top + 18, "start", 15, "font-weight=\"bold\"", title);
		uc_svg_frame(o, x0, y0, x1, y1);
		uc_svg_text(o, (x0 + x1) / 2, (y0 + y1) / 2, "middle", 14, NULL,
		     "no samples");
		return;
	}
	axis_fit(&ya, min, max, true);
	unit = latency_unit(&ya, ya.hi);
	ya.div = unit.div;
	xa.lo = 0;
	xa.hi = (double)x->timeline.n * (double)x->timeline_ns / 1e9;
	snprintf(title, sizeof(title), "%s latency over time (%s%sper %g s)",
		 uc_metric_name(x->primary), ya.log ? "logarithmic scale" : unit.name,
		 "; ", (double)x->timeline_ns / 1e9);
	uc_svg_text(o, x0, top + 18, "start", 15, "font-weight=\"bold\"", title);
	y_grid(o, &ya, x0, x1);
	for (size_t i = 0; i < sizeof(time_series) / sizeof(time_series[0]); i++) {
		const struct series *s = &time_series[i];
		double lx = x1 - 190 + 65 * (double)i;

		draw_series(o, x, s, &xa, &ya);
		uc_svg_line(o, lx, top + 14, lx + 20, top + 14, s->color, 2);
		uc_svg_text(o, lx + 24, top + 18, "start", 11, NULL, s->name);
	}
	time_x_axis(o, &xa, y1);
	if (x->have_wall)
		snprintf(caption, sizeof(caption), "seconds since the first event, "
			 "at %s", uc_ext_format_wall(uc_ext_wall_ns(x->t0_ns,
								    x->wall_offset_ns), wall,
						     sizeof(wall)));
	else
		snprintf(caption, sizeof(caption), "seconds since the first event");
	uc_svg_text(o, (x0 + x1) / 2, y1 + 32, "middle", 12, NULL, caption);
	uc_svg_frame(o, x0, y0, x1, y1);
}

/* ================================================================ pages */

static void begin(FILE *o, double w, double h)
{
	fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
		"font-family=\"%s\">\n"
		"<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n",
		w, h, w, h, UC_SVG_FONT, w, h);
}

static void single(FILE *o, const struct uc_ext *x)
{
	double time_h = x->timeline.n ? TIME_PANEL_H : 0;
	double h = 60 + BOX_PANEL_H + BATCH_PANEL_H + time_h + uc_svg_explain_height(x);
	char sub[200];

	begin(o, WIDTH, h);
	uc_svg_text(o, LEFT, 26, "start", 18, "font-weight=\"bold\"", x->source);
	snprintf(sub, sizeof(sub), "upcall_cost: %llu upcalls matched of %llu "
		 "kernel upcalls, %.3f s of capture",
		 (unsigned long long)x->acct.sets,
		 (unsigned long long)x->acct.dp_usable,
		 (double)(x->t1_ns - x->t0_ns) / 1e9);
	uc_svg_text(o, LEFT, 46, "start", 12, "fill=\"#555555\"", sub);
	box_panel(o, x, 1, 60, WIDTH);
	batch_panel(o, x, 60 + BOX_PANEL_H);
	if (x->timeline.n)
		time_panel(o, x, 60 + BOX_PANEL_H + BATCH_PANEL_H);
	uc_svg_explain_panel(o, x, 60 + BOX_PANEL_H + BATCH_PANEL_H + time_h, WIDTH);
	fputs("</svg>\n", o);
}

static void compare(FILE *o, const struct uc_ext *runs, size_t n)
{
	double w = WIDTH + (n > 4 ? (double)(n - 4) * 6 * 24 : 0);
	double rows = (double)((n + 2) / 3), legend_h = rows * 18 + 10;
	char title[64];

	begin(o, w, 50 + legend_h + BOX_PANEL_H);
	snprintf(title, sizeof(title), "upcall_cost: %zu runs compared", n);
	uc_svg_text(o, LEFT, 26, "start", 18, "font-weight=\"bold\"", title);
	for (size_t r = 0; r < n; r++) {
		double lx = LEFT + (double)(r % 3) * 290;
		double ly = 50 + (double)(r / 3) * 18;
		char name[48];

		snprintf(name, sizeof(name), "%s", runs[r].label);
		fprintf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" "
			"fill=\"%s\" fill-opacity=\"0.6\" stroke=\"%s\"/>\n", lx,
			ly - 10, uc_svg_palette[r % UC_SVG_N_COLORS], uc_svg_palette[r % UC_SVG_N_COLORS]);
		uc_svg_text(o, lx + 18, ly, "start", 12, NULL, name);
	}
	box_panel(o, runs, n, 50 + legend_h, w);
	fputs("</svg>\n", o);
}

int uc_svg_plot_stream(FILE *out, const struct uc_ext *runs, size_t n)
{
	if (n == 1)
		single(out, runs);
	else
		compare(out, runs, n);
	return ferror(out) ? -1 : 0;
}

int uc_svg_plot_write(const char *path, const struct uc_ext *runs, size_t n,
		      struct uc_error *err)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return uc_error_set(err, "cannot write %s: %s", path, strerror(errno));
	errno = 0;
	ret = uc_svg_plot_stream(f, runs, n);
	if (fclose(f) || ret)
		return uc_error_set(err, "cannot write %s: %s", path,
				    errno ? strerror(errno) : "write failed");
	return 0;
}
