/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pyrepr.h - Python's repr() of the few value kinds upcall_cost.py writes:
 * str, bytes and float.  Used to write its event files and the --sets
 * sample lists exactly as it does.
 */
#ifndef UC_PYREPR_H
#define UC_PYREPR_H

#include <stddef.h>
#include <stdio.h>

/* 'text' (or "text" when it holds ' and no "), with Python's escapes. */
void uc_py_write_str(FILE *out, const char *s, size_t len);
/* b'...' likewise, \xhh for bytes < 0x20 or >= 0x7f. */
void uc_py_write_bytes(FILE *out, const unsigned char *b, size_t len);
/*
 * repr(float): the shortest string that reads back as the same double,
 * in Python's layout ("20.0", "1e-05", "1.5e+16", "inf", "nan").
 * BUF must hold at least 32 bytes.  Returns BUF.
 */
char *uc_py_float_repr(double v, char *buf);

#endif /* UC_PYREPR_H */
