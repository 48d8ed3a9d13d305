/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * svg.h - the few SVG elements the figures are drawn with (svg_plot.c,
 * svg_explain.c): text (escaped for XML), lines, frames, and the palette.
 * Coordinates are pixels, y growing downwards.
 */
#ifndef UC_SVG_H
#define UC_SVG_H

#include <stddef.h>
#include <stdio.h>

#define UC_SVG_FONT "DejaVu Sans, Helvetica, Arial, sans-serif"

/* Tableau 10: distinct, and readable by the colour-blind. */
extern const char *const uc_svg_palette[];
#define UC_SVG_N_COLORS 10

/* TEXT at (X, Y), anchored ("start", "middle", "end"); EXTRA attributes
 * (or NULL) are written as they are. */
void uc_svg_text(FILE *o, double x, double y, const char *anchor, double size,
		 const char *extra, const char *text);
void uc_svg_line(FILE *o, double x1, double y1, double x2, double y2,
		 const char *stroke, double width);
/* A rectangle's outline. */
void uc_svg_frame(FILE *o, double x0, double y0, double x1, double y1);

#endif /* UC_SVG_H */
