/* SPDX-License-Identifier: BSD-2-Clause */
/* parallel.c - two threads over independent pieces (parallel.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "parallel.h"

struct work {
	int n;
	int (*fn)(void *arg, int i);
	void *arg;
	atomic_int next;       /* the next piece to take */
	atomic_int result;     /* the first non-zero result */
};

static void *worker(void *p)
{
	struct work *w = p;
	int i;

	while ((i = atomic_fetch_add(&w->next, 1)) < w->n) {
		int rc = w->fn(w->arg, i), zero = 0;

		if (rc)
			atomic_compare_exchange_strong(&w->result, &zero, rc);
	}
	return NULL;
}

int uc_parallel_for(int n, int (*fn)(void *arg, int i), void *arg)
{
	struct work w = { .n = n, .fn = fn, .arg = arg };
	pthread_t thread;
	bool spawned;

	atomic_init(&w.next, 0);
	atomic_init(&w.result, 0);
	spawned = n > 1 && !pthread_create(&thread, NULL, worker, &w);
	worker(&w);
	if (spawned)
		pthread_join(thread, NULL);
	return atomic_load(&w.result);
}
