/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * record_check.c - the one place where the limits of event file records
 * are decided (record_check.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "native_format.h"
#include "record_check.h"

_Static_assert(UC_INFO_TOOL_VERSION_MAX + 1 ==
		       sizeof(((struct uc_capture_info *)0)->tool_version),
	       "tool_version limit");
_Static_assert(UC_INFO_HOST_MAX + 1 ==
		       sizeof(((struct uc_capture_info *)0)->host),
	       "host limit");
_Static_assert(UC_INFO_KERNEL_MAX + 1 ==
		       sizeof(((struct uc_capture_info *)0)->kernel),
	       "kernel limit");
_Static_assert(UC_PORT_MAP_BYTES_MAX == UC_NATIVE_PORT_MAP_MAX,
	       "port map limit");

__attribute__((format(printf, 2, 3)))
static const char *reason(char why[UC_CHECK_WHY_SIZE], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, UC_CHECK_WHY_SIZE, fmt, ap);
	va_end(ap);
	return why;
}

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

const char *uc_check_info_string(const char *field, size_t len,
				 char why[UC_CHECK_WHY_SIZE])
{
	size_t max = !strcmp(field, "tool_version") ? UC_INFO_TOOL_VERSION_MAX :
		     !strcmp(field, "host")	    ? UC_INFO_HOST_MAX :
						      UC_INFO_KERNEL_MAX;

	if (len > max)
		return reason(why, "%s of %zu bytes: expected at most %zu",
			      field, len, max);
	return NULL;
}

const char *uc_check_info(const struct uc_capture_info *info,
			  char why[UC_CHECK_WHY_SIZE])
{
	if (info->packet_size > UC_CAPTURE_MAX)
		return reason(why, "packet_size %u: expected at most %d",
			      info->packet_size, UC_CAPTURE_MAX);
	if (info->flow_key_size > UC_CAPTURE_MAX)
		return reason(why, "flow_key_size %u: expected at most %d",
			      info->flow_key_size, UC_CAPTURE_MAX);
	if (!terminated(info->tool_version, sizeof(info->tool_version)))
		return uc_check_info_string("tool_version",
					    sizeof(info->tool_version), why);
	if (!terminated(info->host, sizeof(info->host)))
		return uc_check_info_string("host", sizeof(info->host), why);
	if (!terminated(info->kernel, sizeof(info->kernel)))
		return uc_check_info_string("kernel", sizeof(info->kernel),
					    why);
	return NULL;
}

const char *uc_check_missed(uint32_t type, char why[UC_CHECK_WHY_SIZE])
{
	if (type >= UC_EV_MAX)
		return reason(why, "event type %u: expected 0 to %d", type,
			      UC_EV_MAX - 1);
	return NULL;
}

const char *uc_check_xmissed(uint32_t kind, char why[UC_CHECK_WHY_SIZE])
{
	if (kind < UC_X_BASE || kind >= UC_X_MAX)
		return reason(why, "xevent kind %u: expected %d to %d", kind,
			      UC_X_BASE, UC_X_MAX - 1);
	return NULL;
}

const char *uc_check_xevent(const struct uc_xevent *xe,
			    char why[UC_CHECK_WHY_SIZE])
{
	if (uc_check_xmissed(xe->kind, why))
		return why;
	if (xe->data_len > UC_X_DATA_MAX)
		return reason(why, "%u bytes of xevent data: expected at most %d",
			      xe->data_len, UC_X_DATA_MAX);
	if (xe->data_len && !xe->data)
		return reason(why, "xevent data missing");
	if (!terminated(xe->comm, sizeof(xe->comm)))
		return reason(why, "xevent comm not terminated");
	return NULL;
}

const char *uc_check_event_why(const struct uc_raw_event *ev,
			       char why[UC_CHECK_WHY_SIZE])
{
	if (ev->event >= UC_EV_MAX)
		return reason(why, "event type %u: expected 0 to %d",
			      ev->event, UC_EV_MAX - 1);
	if (ev->pkt_cap > UC_CAPTURE_MAX)
		return reason(why, "%u captured packet bytes: expected at "
			      "most %d", ev->pkt_cap, UC_CAPTURE_MAX);
	if (ev->key_cap > UC_CAPTURE_MAX)
		return reason(why, "%u captured flow key bytes: expected at "
			      "most %d", ev->key_cap, UC_CAPTURE_MAX);
	if ((ev->pkt_cap && !ev->pkt) || (ev->key_cap && !ev->key))
		return reason(why, "captured bytes missing");
	/* The names fit their fields by construction (event.h: each is
	 * NUL-terminated); the readers check their lengths as they copy. */
	return NULL;
}

uint64_t uc_port_map_record_size(const struct uc_port_map *map)
{
	uint64_t size = UC_NATIVE_REC_HDR_SIZE + UC_NATIVE_PORT_MAP_SIZE;

	for (size_t i = 0; i < map->n; i++)
		size += UC_NATIVE_PORT_ENTRY_SIZE +
			strlen(map->entries[i].dp) +
			strlen(map->entries[i].port);
	return size;
}

const char *uc_check_port_map(const struct uc_port_map *map,
			      char why[UC_CHECK_WHY_SIZE])
{
	uint64_t size;

	for (size_t i = 0; i < map->n; i++) {
		const struct uc_port_entry *e = &map->entries[i];
		size_t dp = strlen(e->dp), port = strlen(e->port);

		if (dp > UC_PORT_NAME_MAX || port > UC_PORT_NAME_MAX)
			return reason(why, "a port name of %zu bytes: "
				      "expected at most %u",
				      dp > port ? dp : port, UC_PORT_NAME_MAX);
	}
	size = uc_port_map_record_size(map);
	if (size > UC_PORT_MAP_BYTES_MAX)
		return reason(why, "%zu ports take %llu bytes: "
			      "expected at most %u", map->n,
			      (unsigned long long)size, UC_PORT_MAP_BYTES_MAX);
	return NULL;
}
