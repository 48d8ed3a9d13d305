/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_http_none.c - monitor_http.h for the static binary, which has no
 * HTTP endpoint: Debian's libmicrohttpd.a needs GnuTLS, and GnuTLS needs
 * p11-kit and libunistring, of which Debian ships no static archive.
 * Everything else of monitor mode works; --metrics is refused at once, in
 * one line, before anything is loaded.
 */
#include "monitor_http.h"

static int no_http(struct uc_error *err)
{
	return uc_error_set(err, "--metrics: this binary is built without an "
			    "HTTP server (the static build has no "
			    "libmicrohttpd): use the packaged or the "
			    "dynamically linked upcall_cost, or --json-lines");
}

int uc_mon_http_parse_addr(const char *spec, struct uc_error *err)
{
	(void)spec;
	return no_http(err);
}

int uc_mon_http_start(struct uc_mon_http **out, const char *spec,
		      uc_mon_http_render_fn render, void *ctx, struct uc_error *err)
{
	(void)spec;
	(void)render;
	(void)ctx;
	*out = NULL;
	return no_http(err);
}

int uc_mon_http_fd(const struct uc_mon_http *h)
{
	(void)h;
	return -1;
}

int uc_mon_http_timeout_ms(const struct uc_mon_http *h)
{
	(void)h;
	return -1;
}

void uc_mon_http_run(struct uc_mon_http *h)
{
	(void)h;
}

void uc_mon_http_stop(struct uc_mon_http *h)
{
	(void)h;
}
