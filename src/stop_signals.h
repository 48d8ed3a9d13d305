/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stop_signals.h - SIGINT and SIGTERM as a file descriptor for an event
 * loop: blocked and read from a signalfd, so there is no signal handler
 * and no global flag.  They are also un-ignored: a shell starts background
 * jobs with SIGINT ignored, and `kill -INT` must still reach us.
 * Everything is put back as it was by uc_stop_signals_restore().
 */
#ifndef UC_STOP_SIGNALS_H
#define UC_STOP_SIGNALS_H

#include <signal.h>

#include "error.h"

struct uc_stop_signals {
	int fd;                      /* readable once a stop signal came */
	sigset_t old_mask;           /* for children: what they should get */
	struct sigaction old_int, old_term;
};

/* 0, or -1 with ERR set (S is restorable either way). */
int uc_stop_signals_catch(struct uc_stop_signals *s, struct uc_error *err);
/* Consumes what was sent, then restores the mask and the actions. */
void uc_stop_signals_restore(struct uc_stop_signals *s);

#endif /* UC_STOP_SIGNALS_H */
