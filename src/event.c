/* SPDX-License-Identifier: BSD-2-Clause */
#include "event.h"

static const char *const type_names[UC_EV_MAX] = {
	[UC_EV_RECV_UPCALL] = "dpif_recv__recv_upcall",
	[UC_EV_DP_UPCALL] = "openvswitch__dp_upcall",
	[UC_EV_OP_FLOW_PUT] = "dpif_netlink_operate__op_flow_put",
	[UC_EV_OP_FLOW_EXECUTE] = "dpif_netlink_operate__op_flow_execute",
	[UC_EV_OVS_PKT_EXEC] = "ktrace__ovs_packet_cmd_execute",
};

/* upcall_cost.py's short_name(): the name if shorter than 22, else ".." and
 * its last 20 characters. */
static const char *const short_names[UC_EV_MAX] = {
	[UC_EV_RECV_UPCALL] = "dpif_recv__recv_upcall",
	[UC_EV_DP_UPCALL] = "openvswitch__dp_upcall",
	[UC_EV_OP_FLOW_PUT] = "..operate__op_flow_put",
	[UC_EV_OP_FLOW_EXECUTE] = "..ate__op_flow_execute",
	[UC_EV_OVS_PKT_EXEC] = "..s_packet_cmd_execute",
};

const char *uc_event_type_name(uint32_t type)
{
	return type < UC_EV_MAX ? type_names[type] : "";
}

const char *uc_event_type_short_name(uint32_t type)
{
	return type < UC_EV_MAX ? short_names[type] : "";
}
