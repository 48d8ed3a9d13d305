/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * input.h - the buffered input both event file readers read through.
 *
 * A source is a file descriptor (a regular file, a pipe, a FIFO, a
 * terminal, /dev/fd/N from a shell's <(...), "-" for standard input) or a
 * memory buffer.  It is read front to back in large read()s into one
 * buffer, which holds at least what the reader is looking at: readers
 * peek at the next bytes (format detection, a record header, a line) and
 * then consume them.  Nothing ever seeks, so every source that can be
 * read once works.
 */
#ifndef UC_INPUT_H
#define UC_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct uc_input {
	const char *name;         /* for messages */
	int fd;                   /* -1: a memory buffer */
	bool own_fd;              /* close it in uc_input_close() */
	unsigned char *buf;       /* fd: ours; memory: the caller's (read only) */
	size_t cap;
	size_t pos;               /* first unread byte */
	size_t end;               /* one past the last byte read */
	uint64_t base;            /* offset in the input of buf[0] */
	bool eof;
};

/*
 * Opens PATH ("-": standard input).  Returns 0, or -1 with ERR set to
 * "Can't open file "PATH" for reading: <reason>".
 */
int uc_input_open(struct uc_input *in, const char *path,
		  struct uc_error *err);
/* Reads from FD, which stays the caller's.  NAME is used in messages. */
int uc_input_init_fd(struct uc_input *in, int fd, const char *name,
		     struct uc_error *err);
/* Reads SIZE bytes at DATA (not copied; they must outlive IN). */
void uc_input_init_mem(struct uc_input *in, const void *data, size_t size,
		       const char *name);
void uc_input_close(struct uc_input *in);

/*
 * Makes N unread bytes available at uc_input_data().  Returns 1 when they
 * are, 0 when the input ends first (uc_input_avail() says how many there
 * are), or -errno on a read error or when memory runs out.  The buffer
 * grows only when it is full of unread data, so a length field that lies
 * cannot make it larger than twice what the input holds.
 */
int uc_input_fill_more(struct uc_input *in, size_t n);
static inline int uc_input_fill(struct uc_input *in, size_t n)
{
	/* The common case, inline: the bytes are already there. */
	return in->end - in->pos >= n ? 1 : uc_input_fill_more(in, n);
}
/*
 * Reads more, after what is available: at least one byte more, or the
 * end.  Returns the bytes added, 0 at the end, or -errno.  Pointers from
 * uc_input_data() are invalid after it (the data may move).
 */
long uc_input_more(struct uc_input *in);

static inline const unsigned char *uc_input_data(const struct uc_input *in)
{
	return in->buf + in->pos;
}

static inline size_t uc_input_avail(const struct uc_input *in)
{
	return in->end - in->pos;
}

static inline void uc_input_consume(struct uc_input *in, size_t n)
{
	in->pos += n;
}

/* True when nothing is left to read: what is available is all there is. */
static inline bool uc_input_eof(const struct uc_input *in)
{
	return in->eof;
}

/* Offset in the input of the first unread byte. */
static inline uint64_t uc_input_offset(const struct uc_input *in)
{
	return in->base + in->pos;
}

#endif /* UC_INPUT_H */
