/* SPDX-License-Identifier: BSD-2-Clause */
/* input.c - buffered, seek-free input over a file descriptor or memory. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"

/*
 * Large enough that read() calls and the memmove() before each are rare
 * (a pipe gives at most 64 KiB a call anyway), small enough to stay in
 * the caches while a line or record is parsed.
 */
#define INPUT_BUF_SIZE (256u * 1024)

int uc_input_init_fd(struct uc_input *in, int fd, const char *name,
		     struct uc_error *err)
{
	memset(in, 0, sizeof(*in));
	in->name = name;
	in->fd = fd;
	in->cap = INPUT_BUF_SIZE;
	in->buf = malloc(in->cap);
	if (!in->buf)
		return uc_error_set(err, "%s: out of memory", name);
	/* Read-ahead for a regular file; pipes say ESPIPE, which is fine. */
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return 0;
}

int uc_input_open(struct uc_input *in, const char *path,
		  struct uc_error *err)
{
	int fd;

	if (!strcmp(path, "-"))
		return uc_input_init_fd(in, STDIN_FILENO, "<stdin>", err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return uc_error_set(err,
				    "Can't open file \"%s\" for reading: %s",
				    path, strerror(errno));
	if (uc_input_init_fd(in, fd, path, err)) {
		close(fd);
		return -1;
	}
	in->own_fd = true;
	return 0;
}

void uc_input_init_mem(struct uc_input *in, const void *data, size_t size,
		       const char *name)
{
	memset(in, 0, sizeof(*in));
	in->name = name;
	in->fd = -1;
	/* Never written: eof is set.  Never NULL, even when empty. */
	in->buf = (unsigned char *)(data ? data : "");
	in->cap = in->end = size;
	in->eof = true;
}

void uc_input_close(struct uc_input *in)
{
	if (in->fd >= 0) {
		free(in->buf);
		if (in->own_fd)
			close(in->fd);
	}
	memset(in, 0, sizeof(*in));
	in->fd = -1;
}

/* Moves the unread bytes to the front, making room at the end. */
static void compact(struct uc_input *in)
{
	if (in->pos == 0)
		return;
	memmove(in->buf, in->buf + in->pos, in->end - in->pos);
	in->base += in->pos;
	in->end -= in->pos;
	in->pos = 0;
}

static int grow(struct uc_input *in, size_t need)
{
	size_t cap = in->cap * 2;
	unsigned char *p;

	if (cap < in->cap)
		return -ENOMEM;
	if (need > in->cap && cap > need)
		cap = need;   /* a record: only what it needs */
	p = realloc(in->buf, cap);
	if (!p)
		return -ENOMEM;
	in->buf = p;
	in->cap = cap;
	return 0;
}

/* One read() into the free end of the buffer: bytes read, 0, -errno. */
static long read_once(struct uc_input *in)
{
	ssize_t n;

	do
		n = read(in->fd, in->buf + in->end, in->cap - in->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		in->eof = true;
	in->end += (size_t)n;
	return (long)n;
}

/*
 * Room at the end of the buffer for at least one byte, and for N unread
 * bytes in all: moves the unread bytes to the front only when the end is
 * reached (so a long line read in small pieces is not moved again and
 * again), and grows the buffer only when it is full of unread bytes.
 */
static int make_room(struct uc_input *in, size_t n)
{
	if (in->end < in->cap && in->pos + n <= in->cap)
		return 0;
	compact(in);
	if (in->end == in->cap)
		return grow(in, n);
	return 0;
}

long uc_input_more(struct uc_input *in)
{
	int rc;

	if (in->eof)
		return 0;
	rc = make_room(in, 0);
	if (rc)
		return rc;
	return read_once(in);
}

int uc_input_fill_more(struct uc_input *in, size_t n)
{
	while (uc_input_avail(in) < n) {
		long got;
		int rc;

		if (in->eof)
			return 0;
		rc = make_room(in, n);
		if (rc)
			return rc;
		got = read_once(in);
		if (got < 0)
			return (int)got;
	}
	return 1;
}
