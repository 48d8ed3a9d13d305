/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * flow_key.h - the datapath port of a vswitchd upcall, from its flow key.
 *
 * The key is the kernel's OVS_KEY_ATTR_* netlink attributes.  Decoding
 * follows upcall_cost.py's decode_nlm(): nla_len/nla_type in host order,
 * 4-byte alignment, stop at a short header or nla_len < 4; an attribute
 * longer than what is left ends decoding and is dropped, except a
 * truncated OVS_KEY_ATTR_TUNNEL, which still counts as present.
 */
#ifndef UC_FLOW_KEY_H
#define UC_FLOW_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UC_OVS_KEY_ATTR_IN_PORT 3
#define UC_OVS_KEY_ATTR_TUNNEL 16

/* dp_port value of tunnel upcalls: their real port is unknown, so they
 * may match a kernel upcall from any port (upcall_cost.py's rule). */
#define UC_DP_TUNNEL_PORT (-1)

enum uc_key_port {
	UC_KEY_PORT_NONE = 0,   /* neither IN_PORT nor TUNNEL */
	UC_KEY_PORT_IN_PORT,    /* *port set from OVS_KEY_ATTR_IN_PORT */
	UC_KEY_PORT_TUNNEL,     /* tunnel packet: port unknown */
	UC_KEY_PORT_BAD,        /* IN_PORT present but not 4 bytes long */
};

enum uc_key_port uc_flow_key_port(const uint8_t *key, size_t len,
				  uint32_t *port);

#endif /* UC_FLOW_KEY_H */
