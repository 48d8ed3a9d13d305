/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_http.c - /metrics over libmicrohttpd (see monitor_http.h).
 *
 * MHD_USE_EPOLL without an internal thread: libmicrohttpd keeps its own
 * epoll set, whose descriptor the caller nests in its loop, so scrapes
 * are answered between intervals by the same thread that reads the BPF
 * maps, with no lock and no shared state.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "monitor_http.h"
#include "monitor_openmetrics.h"

struct uc_mon_http {
	struct MHD_Daemon *d;
	uc_mon_http_render_fn render;
	void *ctx;
};

struct addr {
	struct sockaddr_storage sa;
	bool any;     /* no address given: every one, IPv6 and IPv4 */
	uint16_t port;
};

static int parse(const char *spec, struct addr *a, struct uc_error *err)
{
	const char *colon = strrchr(spec, ':'), *port_s = colon ? colon + 1 : spec;
	char host[64], *end;
	long port;

	memset(a, 0, sizeof(*a));
	errno = 0;
	port = strtol(port_s, &end, 10);
	if (!*port_s || *end || errno || port < 1 || port > 65535)
		return uc_error_set(err, "argument --metrics: invalid port in '%s' "
				    "(expected [ADDR:]PORT)", spec);
	a->port = (uint16_t)port;
	if (!colon) {
		a->any = true;
		return 0;
	}
	if ((size_t)(colon - spec) >= sizeof(host))
		return uc_error_set(err, "argument --metrics: address too long in '%s'", spec);
	memcpy(host, spec, colon - spec);
	host[colon - spec] = '\0';
	if (host[0] == '[') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->sa;
		size_t n = strlen(host);

		if (n < 3 || host[n - 1] != ']')
			return uc_error_set(err, "argument --metrics: invalid address '%s'", host);
		host[n - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(a->port);
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
			return uc_error_set(err, "argument --metrics: invalid IPv6 address '%s'",
					    host + 1);
		return 0;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)&a->sa;

	s4->sin_family = AF_INET;
	s4->sin_port = htons(a->port);
	if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
		return uc_error_set(err, "argument --metrics: invalid IPv4 address '%s' "
				    "(IPv6 goes in brackets: [::1]:PORT)", host);
	return 0;
}

int uc_mon_http_parse_addr(const char *spec, struct uc_error *err)
{
	struct addr a;

	return parse(spec, &a, err);
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status,
			     const char *type, char *body, size_t len,
			     enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Does the scraper accept OpenMetrics (Prometheus asks for it first)? */
static bool wants_openmetrics(struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							  MHD_HTTP_HEADER_ACCEPT);

	return accept && strstr(accept, "application/openmetrics-text");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	static char not_found[] = "Not found: the metrics are at /metrics\n";
	static char bad_method[] = "Only GET and HEAD\n";
	static char failed[] = "Cannot read the metrics now\n";
	static char index_page[] = "upcall_cost monitor: metrics at /metrics\n";
	struct uc_mon_http *h = cls;
	bool om;
	char *body;
	size_t len;

	(void)version, (void)upload_data, (void)upload_data_size, (void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", bad_method,
			     sizeof(bad_method) - 1, MHD_RESPMEM_PERSISTENT);
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, "text/plain", index_page,
			     sizeof(index_page) - 1, MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", not_found,
			     sizeof(not_found) - 1, MHD_RESPMEM_PERSISTENT);
	om = wants_openmetrics(c);
	if (h->render(h->ctx, om, &body, &len))
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", failed,
			     sizeof(failed) - 1, MHD_RESPMEM_PERSISTENT);
	return reply(c, MHD_HTTP_OK,
		     om ? UC_MON_CONTENT_TYPE_OPENMETRICS : UC_MON_CONTENT_TYPE_TEXT,
		     body, len, MHD_RESPMEM_MUST_FREE);
}

int uc_mon_http_start(struct uc_mon_http **out, const char *spec,
		      uc_mon_http_render_fn render, void *ctx, struct uc_error *err)
{
	struct uc_mon_http *h;
	struct addr a;
	unsigned flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;

	*out = NULL;
	if (parse(spec, &a, err))
		return -1;
	h = calloc(1, sizeof(*h));
	if (!h)
		return uc_error_set(err, "out of memory");
	h->render = render;
	h->ctx = ctx;
	if (a.any)
		flags |= MHD_USE_DUAL_STACK;
	else if (a.sa.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* Errors come back as ours, not as libmicrohttpd's log lines. */
	flags &= ~MHD_USE_ERROR_LOG;
	errno = 0;
	h->d = a.any ?
		MHD_start_daemon(flags, a.port, NULL, NULL, on_request, h,
				 MHD_OPTION_CONNECTION_TIMEOUT, 10u,
				 MHD_OPTION_CONNECTION_LIMIT, 16u,
				 MHD_OPTION_END) :
		MHD_start_daemon(flags, a.port, NULL, NULL, on_request, h,
				 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a.sa,
				 MHD_OPTION_CONNECTION_TIMEOUT, 10u,
				 MHD_OPTION_CONNECTION_LIMIT, 16u,
				 MHD_OPTION_END);
	if (!h->d) {
		int e = errno;

		free(h);
		return uc_error_set(err, "cannot serve --metrics on %s: %s", spec,
				    e ? strerror(e) : "libmicrohttpd refused it");
	}
	*out = h;
	return 0;
}

int uc_mon_http_fd(const struct uc_mon_http *h)
{
	const union MHD_DaemonInfo *i =
		MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD);

	return i ? i->epoll_fd : -1;
}

int uc_mon_http_timeout_ms(const struct uc_mon_http *h)
{
	MHD_UNSIGNED_LONG_LONG t;

	if (MHD_get_timeout(h->d, &t) != MHD_YES)
		return -1;
	return t > 60000 ? 60000 : (int)t;
}

void uc_mon_http_run(struct uc_mon_http *h)
{
	MHD_run(h->d);
}

void uc_mon_http_stop(struct uc_mon_http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}
