/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_record.c - the flight recorder's recordings (see
 * monitor_record.h): a capture session whose sink is a native writer.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "monitor_record.h"
#include "trace_file.h"

#define PREFIX "upcall_cost-"
#define SUFFIX "Z.ucap"
/* PREFIX YYYYMMDD T HHMMSS . mmm SUFFIX */
#define STAMP "YYYYMMDDTHHMMSS.mmm"

struct uc_mon_recorder {
	struct uc_mon_recorder_config cfg;
	struct uc_capture *cap;          /* the recording under way, or NULL */
	struct uc_trace_writer *w;
	char path[4096];
	uint64_t end_ns;                 /* CLOCK_MONOTONIC */
	uint64_t count;
};

/* Is NAME (a file name, no directory) one of the recorder's? */
static bool is_recording_name(const char *name)
{
	size_t lp = strlen(PREFIX), ls = strlen(STAMP);

	if (strlen(name) != lp + ls + strlen(SUFFIX) || strncmp(name, PREFIX, lp) ||
	    strcmp(name + lp + ls, SUFFIX))
		return false;
	for (size_t i = 0; i < ls; i++) {
		char c = name[lp + i], want = STAMP[i];

		if (want == 'T' || want == '.' ? c != want : !isdigit((unsigned char)c))
			return false;
	}
	return true;
}

struct uc_mon_recorder *uc_mon_recorder_new(const struct uc_mon_recorder_config *cfg,
					    struct uc_error *err)
{
	struct uc_mon_recorder *r;
	struct stat st;

	if (stat(cfg->dir, &st)) {
		uc_error_set(err, "--record-dir %s: %s", cfg->dir, strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		uc_error_set(err, "--record-dir %s: not a directory", cfg->dir);
		return NULL;
	}
	if (access(cfg->dir, W_OK | X_OK)) {
		uc_error_set(err, "--record-dir %s: %s", cfg->dir, strerror(errno));
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		uc_error_set(err, "out of memory");
		return NULL;
	}
	r->cfg = *cfg;
	return r;
}

void uc_mon_recorder_target(struct uc_mon_recorder *r, int64_t pid)
{
	if (r)
		r->cfg.capture.pid = pid;
}

/* DIR/PREFIX<UTC time of now>SUFFIX, or -1 when one exists already (a
 * second recording in the same millisecond). */
static int name_now(struct uc_mon_recorder *r, struct uc_error *err)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	if ((size_t)snprintf(r->path, sizeof(r->path),
			     "%s/" PREFIX "%04d%02d%02dT%02d%02d%02d.%03ld" SUFFIX,
			     r->cfg.dir, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			     tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000) >=
	    sizeof(r->path))
		return uc_error_set(err, "--record-dir %s: path too long", r->cfg.dir);
	if (!access(r->path, F_OK))
		return uc_error_set(err, "%s exists already", r->path);
	return 0;
}

int uc_mon_recorder_start(struct uc_mon_recorder *r, uint64_t now_ns,
			  const char *why, struct uc_error *err)
{
	struct uc_event_sink sink;

	if (r->cap)
		return 1;
	if (name_now(r, err))
		return -1;
	/* The file appears once every probe is attached (on_info). */
	r->w = uc_trace_writer_open(r->path, UC_FORMAT_NATIVE, UC_WRITER_COMMIT_ON_INFO, err);
	if (!r->w)
		return -1;
	sink = uc_trace_writer_sink(r->w);
	r->cap = uc_capture_open(&r->cfg.capture, &sink, err);
	if (!r->cap) {
		uc_trace_writer_abort(r->w);
		r->w = NULL;
		return -1;
	}
	r->end_ns = now_ns + (uint64_t)(r->cfg.seconds * 1e9);
	r->count++;
	fprintf(r->cfg.status, "- Recording every event to %s for %g s (%s)\n", r->path,
		r->cfg.seconds, why);
	fflush(r->cfg.status);
	return 0;
}

bool uc_mon_recorder_active(const struct uc_mon_recorder *r)
{
	return r && r->cap;
}

int uc_mon_recorder_fd(const struct uc_mon_recorder *r)
{
	return uc_mon_recorder_active(r) ? uc_capture_fd(r->cap) : -1;
}

/* Removes the oldest recordings in DIR beyond the newest KEEP. */
static void prune(struct uc_mon_recorder *r)
{
	struct dirent **names;
	int n = scandir(r->cfg.dir, &names, NULL, alphasort), kept = 0;

	if (n < 0) {
		fprintf(r->cfg.status, "WARNING: --record-dir %s: %s\n", r->cfg.dir,
			strerror(errno));
		return;
	}
	/* Newest first: the names sort by time. */
	for (int i = n - 1; i >= 0; i--) {
		char path[sizeof(r->path)];

		if (is_recording_name(names[i]->d_name) && ++kept > (int)r->cfg.keep) {
			snprintf(path, sizeof(path), "%s/%s", r->cfg.dir, names[i]->d_name);
			if (unlink(path) && errno != ENOENT)
				fprintf(r->cfg.status, "WARNING: cannot remove %s: %s\n", path,
					strerror(errno));
			else
				fprintf(r->cfg.status, "- Removed %s (--record-keep %u)\n", path,
					r->cfg.keep);
		}
		free(names[i]);
	}
	free(names);
}

/* Stops and drains the capture, closes the file (its trailer), prunes. */
static int finish(struct uc_mon_recorder *r, struct uc_error *err)
{
	struct uc_error cap_err, w_err;
	const struct uc_capture_stats *st;
	uint64_t missed = 0;
	int cap_rc, w_rc;

	cap_rc = uc_capture_stop_and_drain(r->cap, &cap_err);
	st = uc_capture_stats(r->cap);
	for (int i = 0; i < UC_EV_MAX; i++)
		missed += st->missed[i];
	fprintf(r->cfg.status, "- Recorded %s: %llu events, %llu missed by the ring buffer\n",
		r->path, (unsigned long long)st->events_received, (unsigned long long)missed);
	uc_capture_close(r->cap);
	r->cap = NULL;
	w_rc = uc_trace_writer_close(r->w, &w_err);
	r->w = NULL;
	prune(r);
	fflush(r->cfg.status);
	if (cap_rc) {
		*err = cap_err;
		return -1;
	}
	if (w_rc) {
		*err = w_err;
		return -1;
	}
	return 0;
}

int uc_mon_recorder_poll(struct uc_mon_recorder *r, uint64_t now_ns,
			 struct uc_error *err)
{
	int rc;

	if (!r->cap)
		return 0;
	rc = uc_capture_poll(r->cap, 0, err);
	if (rc >= 0 && uc_trace_writer_flush(r->w, err))
		rc = -1;
	if (rc < 0) {
		struct uc_error ignored;

		finish(r, &ignored);
		return -1;
	}
	/* The writer said stop (it failed): the file keeps what it has. */
	if (rc == UC_CAPTURE_STOPPED || now_ns >= r->end_ns)
		return finish(r, err);
	return 0;
}

int uc_mon_recorder_stop(struct uc_mon_recorder *r, struct uc_error *err)
{
	return r && r->cap ? finish(r, err) : 0;
}

void uc_mon_recorder_free(struct uc_mon_recorder *r)
{
	struct uc_error ignored;

	if (!r)
		return;
	if (r->cap && finish(r, &ignored))
		fprintf(r->cfg.status, "WARNING: recording %s: %s\n", r->path, ignored.msg);
	free(r);
}

uint64_t uc_mon_recorder_count(const struct uc_mon_recorder *r)
{
	return r ? r->count : 0;
}
