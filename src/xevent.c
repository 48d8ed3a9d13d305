/* SPDX-License-Identifier: BSD-2-Clause */
/* xevent.c - names of xevent kinds, syscalls and errnos (xevent.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xevent.h"

static const char *const kind_names[UC_X_MAX - UC_X_BASE] = {
	[UC_X_DP_RESULT - UC_X_BASE] = "dp_result",
	[UC_X_SWITCH_OUT - UC_X_BASE] = "switch_out",
	[UC_X_SWITCH_IN - UC_X_BASE] = "switch_in",
	[UC_X_WAKING - UC_X_BASE] = "waking",
	[UC_X_HARDIRQ - UC_X_BASE] = "hardirq",
	[UC_X_SOFTIRQ - UC_X_BASE] = "softirq",
	[UC_X_SYSCALL - UC_X_BASE] = "syscall",
	[UC_X_FLOW_PUT_REQ - UC_X_BASE] = "flow_put_request",
	[UC_X_FLOW_DEL - UC_X_BASE] = "flow_del",
	[UC_X_FLOW_RESULT - UC_X_BASE] = "flow_result",
	[UC_X_DP_FLUSH - UC_X_BASE] = "dp_flush",
	[UC_X_FEATURES - UC_X_BASE] = "features",
	[UC_X_DP_RESULTS - UC_X_BASE] = "dp_results",
};

const char *uc_xevent_kind_name(uint32_t kind)
{
	if (kind < UC_X_BASE || kind >= UC_X_MAX)
		return "";
	return kind_names[kind - UC_X_BASE];
}

const char *uc_errno_symbol(int32_t err)
{
	/* The errnos ovs_dp_upcall() returns (net/openvswitch/datapath.c,
	 * genlmsg_unicast), and a few more. */
	static const struct { int e; const char *name; } names[] = {
		{ EAGAIN, "EAGAIN" }, { ENOBUFS, "ENOBUFS" },
		{ ENOTCONN, "ENOTCONN" }, { ECONNREFUSED, "ECONNREFUSED" },
		{ ENODEV, "ENODEV" }, { ENOMEM, "ENOMEM" }, { EFBIG, "EFBIG" },
		{ EMSGSIZE, "EMSGSIZE" }, { EINVAL, "EINVAL" },
		{ EPROTO, "EPROTO" }, { ENOSPC, "ENOSPC" }, { EPERM, "EPERM" },
		{ ENOENT, "ENOENT" },
	};
	int e = err < 0 ? -err : err;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	return NULL;
}

const char *uc_errno_name(int32_t err, char *buf, size_t size)
{
	const char *name = uc_errno_symbol(err);

	if (name)
		return name;
	snprintf(buf, size, "E%d", err < 0 ? -err : err);
	return buf;
}
