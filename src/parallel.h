/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * parallel.h - independent pieces of work on two threads (the machines
 * this runs on have a few cores, and the report's sorts are independent).
 */
#ifndef UC_PARALLEL_H
#define UC_PARALLEL_H

/*
 * Runs FN(ARG, i) for every i in [0, N), on this thread and one more,
 * each taking the next piece when it is done with one.  Returns 0, or the
 * first non-zero result of FN (the other pieces still run).  Without a
 * second thread, everything runs here.
 */
int uc_parallel_for(int n, int (*fn)(void *arg, int i), void *arg);

#endif /* UC_PARALLEL_H */
