/* SPDX-License-Identifier: BSD-2-Clause */
/* svg.c - SVG elements (svg.h). */
#include "svg.h"
#include "text.h"

const char *const uc_svg_palette[UC_SVG_N_COLORS] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
};

static void xml_text(FILE *o, const char *raw)
{
	char s[512];

	/* Control characters are not allowed in XML 1.0: \xHH instead. */
	uc_text_escape(raw, s, sizeof(s));
	for (const char *c = s; *c; c++) {
		switch (*c) {
		case '&': fputs("&amp;", o); break;
		case '<': fputs("&lt;", o); break;
		case '>': fputs("&gt;", o); break;
		case '"': fputs("&quot;", o); break;
		default: fputc(*c, o);
		}
	}
}

void uc_svg_text(FILE *o, double x, double y, const char *anchor, double size,
		 const char *extra, const char *s)
{
	fprintf(o, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" "
		"text-anchor=\"%s\"%s%s>", x, y, size, anchor, extra ? " " : "",
		extra ? extra : "");
	xml_text(o, s);
	fputs("</text>\n", o);
}

void uc_svg_line(FILE *o, double x1, double y1, double x2, double y2,
		 const char *stroke, double width)
{
	fprintf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"%s\" stroke-width=\"%.1f\"/>\n", x1, y1, x2, y2, stroke,
		width);
}

void uc_svg_frame(FILE *o, double x0, double y0, double x1, double y1)
{
	fprintf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		"fill=\"none\" stroke=\"#666666\"/>\n", x0, y0, x1 - x0, y1 - y0);
}
