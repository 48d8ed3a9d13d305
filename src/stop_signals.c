/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stop_signals.c - SIGINT/SIGTERM through a signalfd (see stop_signals.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "stop_signals.h"

int uc_stop_signals_catch(struct uc_stop_signals *s, struct uc_error *err)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t stop;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &s->old_mask);
	sigaction(SIGINT, NULL, &s->old_int);
	sigaction(SIGTERM, NULL, &s->old_term);
	if (s->old_int.sa_handler == SIG_IGN)
		sigaction(SIGINT, &dfl, NULL);
	if (s->old_term.sa_handler == SIG_IGN)
		sigaction(SIGTERM, &dfl, NULL);
	s->fd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s->fd < 0)
		return uc_error_set(err, "signalfd: %s", strerror(errno));
	return 0;
}

void uc_stop_signals_restore(struct uc_stop_signals *s)
{
	if (s->fd >= 0) {
		struct signalfd_siginfo si;

		/* Consume what we were sent, so unblocking does not kill us. */
		while (read(s->fd, &si, sizeof(si)) == sizeof(si))
			;
		close(s->fd);
		s->fd = -1;
	}
	sigaction(SIGINT, &s->old_int, NULL);
	sigaction(SIGTERM, &s->old_term, NULL);
	pthread_sigmask(SIG_SETMASK, &s->old_mask, NULL);
}
