/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pyrepr.h - Python's repr() of str and float, to write upcall_cost.py's
 * port maps and --sets sample lists exactly as it does (py_write.c writes
 * the bytes values, in bulk).
 */
#ifndef UC_PYREPR_H
#define UC_PYREPR_H

#include <stddef.h>
#include <stdio.h>

/* The quote Python's repr() picks: ' unless S holds ' and no ". */
char uc_py_pick_quote(const void *s, size_t len);
/* 'text' (or "text" when it holds ' and no "), with Python's escapes. */
void uc_py_write_str(FILE *out, const char *s, size_t len);
/*
 * repr(float): the shortest string that reads back as the same double,
 * in Python's layout ("20.0", "1e-05", "1.5e+16", "inf", "nan").
 * BUF must hold at least 32 bytes.  Returns BUF.
 */
char *uc_py_float_repr(double v, char *buf);

#endif /* UC_PYREPR_H */
