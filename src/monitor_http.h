/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_http.h - the /metrics endpoint of --metrics, served by
 * libmicrohttpd in the caller's own event loop (no thread): the caller
 * watches uc_mon_http_fd() and calls uc_mon_http_run() when it is ready,
 * and each scrape asks the caller's render callback for a fresh body.
 */
#ifndef UC_MONITOR_HTTP_H
#define UC_MONITOR_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/*
 * Writes the metrics into a malloc'ed *BODY of *LEN bytes (OpenMetrics
 * when OPENMETRICS, else the text format); returns 0, or -1 (the scrape
 * gets a 500).
 */
typedef int (*uc_mon_http_render_fn)(void *ctx, bool openmetrics, char **body,
				     size_t *len);

struct uc_mon_http;

/*
 * Parses "[ADDR:]PORT" (ADDR an IPv4 address, or an IPv6 one in
 * brackets; without it every address, IPv6 and IPv4).  0, or -1 with ERR.
 */
int uc_mon_http_parse_addr(const char *spec, struct uc_error *err);
/* Listens on SPEC; 0, or -1 with ERR set (address in use, bad address). */
int uc_mon_http_start(struct uc_mon_http **out, const char *spec,
		      uc_mon_http_render_fn render, void *ctx, struct uc_error *err);
/* The file descriptor to wait on (readable: call uc_mon_http_run). */
int uc_mon_http_fd(const struct uc_mon_http *h);
/* Longest the caller may wait before calling uc_mon_http_run (ms, -1
 * for no limit): libmicrohttpd's own timeouts. */
int uc_mon_http_timeout_ms(const struct uc_mon_http *h);
/* Serves what is ready, without blocking. */
void uc_mon_http_run(struct uc_mon_http *h);
void uc_mon_http_stop(struct uc_mon_http *h);

#endif /* UC_MONITOR_HTTP_H */
