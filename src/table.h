/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * table.h - text tables whose columns fit their contents.
 *
 * The extended report's tables hold latencies from nanoseconds to minutes,
 * counters of any size and thread names up to 25 characters: instead of
 * fixed printf widths that a long value pushes out of line, each cell is
 * formatted first and every column is as wide as its widest cell.
 */
#ifndef UC_TABLE_H
#define UC_TABLE_H

#include <stddef.h>
#include <stdio.h>

#define UC_TABLE_MAX_COLS 12
#define UC_TABLE_CELL 72

struct uc_table {
	int n_cols;
	const char *head[UC_TABLE_MAX_COLS];
	char align[UC_TABLE_MAX_COLS];     /* 'l' or 'r' */
	char (*cells)[UC_TABLE_CELL];      /* n_rows * n_cols */
	size_t n_rows, cap_rows;
	int err;                           /* -ENOMEM after a failed row */
};

/* ALIGN: one 'l' or 'r' per column; HEAD: the column titles. */
void uc_table_init(struct uc_table *t, const char *align,
		   const char *const *head);
void uc_table_free(struct uc_table *t);
/* Appends a row of empty cells; returns its index (or the last row's
 * when out of memory: the table then prints what it has). */
size_t uc_table_row(struct uc_table *t);
/* Sets a cell, printf-style; control characters come out escaped. */
__attribute__((format(printf, 4, 5)))
void uc_table_set(struct uc_table *t, size_t row, int col, const char *fmt, ...);
/* Prints the header and the rows, each line indented by INDENT spaces,
 * columns two spaces apart. */
void uc_table_print(FILE *out, const struct uc_table *t, int indent);

#endif /* UC_TABLE_H */
