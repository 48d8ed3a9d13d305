/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * outfile.h - an output file that appears whole or not at all.
 *
 * Opening creates a temporary file next to PATH (so a directory that
 * cannot be written fails at once, before any work is done), and the
 * commit renames it over PATH once everything was written: an error, a
 * crash or Ctrl-C half-way never leaves a truncated report nor destroys
 * the file that was there.  "-" is standard output.
 */
#ifndef UC_OUTFILE_H
#define UC_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"

struct uc_outfile {
	FILE *f;             /* write here */
	char *path;          /* as given */
	char *tmp;           /* the temporary file, NULL for stdout */
};

/* Returns 0, or -1 with ERR set ("cannot write PATH: ..."). */
int uc_outfile_open(struct uc_outfile *o, const char *path, struct uc_error *err);
/* Flushes, checks every write, renames into place.  0 or -1 with ERR. */
int uc_outfile_commit(struct uc_outfile *o, struct uc_error *err);
/* Gives up: the temporary file goes, PATH is as it was. */
void uc_outfile_abort(struct uc_outfile *o);

#endif /* UC_OUTFILE_H */
