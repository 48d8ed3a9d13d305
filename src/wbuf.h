/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * wbuf.h - the output buffer both event file encoders (native_write.c,
 * py_write.c) append to.  It reaches its file descriptor in large
 * write()s.  The first error is kept (as an errno) and returned by every
 * later call, so a caller can check once and report one error.
 *
 * The encoders know only this buffer, never the writer that drives them
 * (trace_write.c), so the dependency goes one way.
 */
#ifndef UC_WBUF_H
#define UC_WBUF_H

#include <stddef.h>

struct uc_wbuf {
	int fd;
	unsigned char *data;
	size_t len, cap;
	int err;                /* first error, a positive errno; 0: none */
};

/* A buffer of CAP bytes for FD (which it does not own).  0 or -ENOMEM. */
int uc_wbuf_init(struct uc_wbuf *b, int fd, size_t cap);
void uc_wbuf_free(struct uc_wbuf *b);
/*
 * Room for N more bytes at data + len, flushing or growing first when
 * needed; NULL on error (b->err says which).  The caller writes at most N
 * bytes there and then calls uc_wbuf_advance() with what it wrote.
 */
unsigned char *uc_wbuf_reserve(struct uc_wbuf *b, size_t n);
static inline void uc_wbuf_advance(struct uc_wbuf *b, size_t n)
{
	b->len += n;
}
/* Appends LEN bytes.  Returns 0 or -errno. */
int uc_wbuf_append(struct uc_wbuf *b, const void *data, size_t len);
/* Writes the buffered bytes to the file.  Returns 0 or -errno. */
int uc_wbuf_flush(struct uc_wbuf *b);
/* -errno of the first error, or 0. */
static inline int uc_wbuf_error(const struct uc_wbuf *b)
{
	return b->err ? -b->err : 0;
}

#endif /* UC_WBUF_H */
