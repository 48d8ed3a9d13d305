/* SPDX-License-Identifier: BSD-2-Clause */
#include <string.h>

#include "flow_key.h"

enum uc_key_port uc_flow_key_port(const uint8_t *key, size_t len,
				  uint32_t *port)
{
	bool in_port = false, in_port_ok = false, tunnel = false;
	size_t left = len;

	while (left >= 4) {
		uint16_t nla_len, nla_type;
		size_t next;

		memcpy(&nla_len, key, 2);
		memcpy(&nla_type, key + 2, 2);
		if (nla_len < 4)
			break;
		if (nla_len > left) {
			if (nla_type == UC_OVS_KEY_ATTR_TUNNEL)
				tunnel = true;
			break;
		}
		if (nla_type == UC_OVS_KEY_ATTR_IN_PORT) {
			/* A repeated attribute replaces the earlier one. */
			in_port = true;
			in_port_ok = nla_len == 8;
			if (in_port_ok)
				memcpy(port, key + 4, 4);
		} else if (nla_type == UC_OVS_KEY_ATTR_TUNNEL) {
			tunnel = true;
		}
		next = ((size_t)nla_len + 3) & ~(size_t)3;
		if (next >= left)
			break;
		key += next;
		left -= next;
	}
	if (in_port)
		return in_port_ok ? UC_KEY_PORT_IN_PORT : UC_KEY_PORT_BAD;
	return tunnel ? UC_KEY_PORT_TUNNEL : UC_KEY_PORT_NONE;
}
