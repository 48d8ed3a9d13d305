/* SPDX-License-Identifier: BSD-2-Clause */
/* table.c - text tables whose columns fit their contents (table.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "text.h"

void uc_table_init(struct uc_table *t, const char *align,
		   const char *const *head)
{
	memset(t, 0, sizeof(*t));
	t->n_cols = (int)strlen(align);
	if (t->n_cols > UC_TABLE_MAX_COLS)
		t->n_cols = UC_TABLE_MAX_COLS;
	for (int c = 0; c < t->n_cols; c++) {
		t->align[c] = align[c];
		t->head[c] = head[c];
	}
}

void uc_table_free(struct uc_table *t)
{
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

static char *cell(const struct uc_table *t, size_t row, int col)
{
	return t->cells[row * (size_t)t->n_cols + (size_t)col];
}

size_t uc_table_row(struct uc_table *t)
{
	if (t->n_rows == t->cap_rows) {
		size_t cap = t->cap_rows ? 2 * t->cap_rows : 16;
		void *p = realloc(t->cells, cap * (size_t)t->n_cols *
						    sizeof(*t->cells));

		if (!p) {
			t->err = -ENOMEM;
			return t->n_rows ? t->n_rows - 1 : 0;
		}
		t->cells = p;
		t->cap_rows = cap;
	}
	memset(cell(t, t->n_rows, 0), 0, (size_t)t->n_cols * sizeof(*t->cells));
	return t->n_rows++;
}

void uc_table_set(struct uc_table *t, size_t row, int col, const char *fmt, ...)
{
	char raw[UC_TABLE_CELL];
	va_list ap;

	if (row >= t->n_rows || col < 0 || col >= t->n_cols)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	uc_text_escape(raw, cell(t, row, col), UC_TABLE_CELL);
}

static void print_cell(FILE *out, const char *s, size_t width, char align,
		       bool last)
{
	size_t len = strlen(s);

	if (align == 'r')
		fprintf(out, "%*s%s", (int)(width - len), "", s);
	else if (last)
		fputs(s, out);   /* no trailing blanks */
	else
		fprintf(out, "%s%*s", s, (int)(width - len), "");
}

void uc_table_print(FILE *out, const struct uc_table *t, int indent)
{
	size_t width[UC_TABLE_MAX_COLS];

	for (int c = 0; c < t->n_cols; c++) {
		width[c] = strlen(t->head[c]);
		for (size_t r = 0; r < t->n_rows; r++)
			if (strlen(cell(t, r, c)) > width[c])
				width[c] = strlen(cell(t, r, c));
	}
	for (size_t r = 0; r <= t->n_rows; r++) {
		fprintf(out, "%*s", indent, "");
		for (int c = 0; c < t->n_cols; c++) {
			const char *s = r ? cell(t, r - 1, c) : t->head[c];

			if (c)
				fputs("  ", out);
			print_cell(out, s, width[c], t->align[c], c == t->n_cols - 1);
		}
		fputc('\n', out);
	}
}
