/* SPDX-License-Identifier: BSD-2-Clause */
/* outfile.c - output files that appear whole or not at all (outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

/* The process's umask (read by setting it back at once: outputs are
 * opened before any thread starts). */
static mode_t umask_now(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

int uc_outfile_open(struct uc_outfile *o, const char *path, struct uc_error *err)
{
	int fd;

	memset(o, 0, sizeof(*o));
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	o->path = strdup(path);
	if (!o->path || asprintf(&o->tmp, "%s.tmp-XXXXXX", path) < 0) {
		free(o->path);
		o->tmp = NULL;
		return uc_error_set(err, "out of memory");
	}
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		int e = errno;

		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		uc_error_set(err, "cannot write %s: %s", path, strerror(e));
		uc_outfile_abort(o);
		return -1;
	}
	/* As a file created the usual way (mkostemp makes it 0600). */
	fchmod(fd, 0666 & ~umask_now());
	return 0;
}

int uc_outfile_commit(struct uc_outfile *o, struct uc_error *err)
{
	int ret = 0;

	errno = 0;
	if (fflush(o->f) || ferror(o->f))
		ret = uc_error_set(err, "cannot write %s: %s",
				   o->path ? o->path : "standard output",
				   strerror(errno ? errno : EIO));
	if (!o->tmp)
		return ret;     /* standard output stays open */
	if (fclose(o->f) && !ret)
		ret = uc_error_set(err, "cannot write %s: %s", o->path,
				   strerror(errno ? errno : EIO));
	o->f = NULL;
	if (!ret && rename(o->tmp, o->path))
		ret = uc_error_set(err, "cannot write %s: %s", o->path,
				   strerror(errno));
	if (ret)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
	return ret;
}

void uc_outfile_abort(struct uc_outfile *o)
{
	if (o->tmp) {
		if (o->f)
			fclose(o->f);
		unlink(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}
