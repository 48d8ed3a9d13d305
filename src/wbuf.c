/* SPDX-License-Identifier: BSD-2-Clause */
/* wbuf.c - the encoders' output buffer (wbuf.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wbuf.h"

int uc_wbuf_init(struct uc_wbuf *b, int fd, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->fd = fd;
	b->data = malloc(cap);
	if (!b->data)
		return -ENOMEM;
	b->cap = cap;
	return 0;
}

void uc_wbuf_free(struct uc_wbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static int fail(struct uc_wbuf *b, int err)
{
	if (!b->err)
		b->err = err;
	return -b->err;
}

int uc_wbuf_flush(struct uc_wbuf *b)
{
	size_t done = 0;

	if (b->err)
		return -b->err;
	/* write() may take part of it (a pipe, a signal): loop. */
	while (done < b->len) {
		ssize_t n = write(b->fd, b->data + done, b->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(b, errno);
		if (n == 0)
			return fail(b, EIO);
		done += (size_t)n;
	}
	b->len = 0;
	return 0;
}

unsigned char *uc_wbuf_reserve(struct uc_wbuf *b, size_t n)
{
	if (b->err)
		return NULL;
	if (b->cap - b->len >= n)
		return b->data + b->len;
	if (uc_wbuf_flush(b) < 0)
		return NULL;
	if (b->cap < n) {
		unsigned char *p = realloc(b->data, n);

		if (!p) {
			fail(b, ENOMEM);
			return NULL;
		}
		b->data = p;
		b->cap = n;
	}
	return b->data + b->len;
}

int uc_wbuf_append(struct uc_wbuf *b, const void *data, size_t len)
{
	unsigned char *p = uc_wbuf_reserve(b, len);

	if (!p)
		return -b->err;
	if (len)
		memcpy(p, data, len);
	uc_wbuf_advance(b, len);
	return 0;
}
