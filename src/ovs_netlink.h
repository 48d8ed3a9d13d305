/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ovs_netlink.h - the parts of Open vSwitch's netlink messages that miss
 * forensics reads: a flow request as dpif_netlink_operate__() encodes it
 * (its USDT probes op_flow_put and op_flow_del hand over the request
 * buffer), and the flow key's recirculation id.
 *
 * A request is struct nlmsghdr (16 bytes), struct genlmsghdr (4), struct
 * ovs_header (4), then OVS_FLOW_ATTR_* attributes (lib/dpif-netlink.c,
 * dpif_netlink_flow_to_ofpbuf()): UFID first when the datapath has
 * UFIDs, then KEY and MASK unless the request is terse.  Netlink is in
 * the host's byte order.  The bytes come from a capture of the request's
 * first bytes, so a request may end early: what is whole is read, the
 * rest is said to be cut.  Everything is untrusted input (fuzz_ovs_netlink).
 */
#ifndef UC_OVS_NETLINK_H
#define UC_OVS_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* include/linux/openvswitch.h */
#define UC_OVS_FLOW_CMD_NEW 1
#define UC_OVS_FLOW_CMD_DEL 2
#define UC_OVS_FLOW_ATTR_KEY 1
#define UC_OVS_FLOW_ATTR_MASK 7
#define UC_OVS_FLOW_ATTR_UFID 9
#define UC_OVS_KEY_ATTR_RECIRC_ID 20

/* A datapath flow's unique id: ovs_u128 as ovs-vswitchd keeps it. */
struct uc_ufid {
	uint8_t b[16];
};

struct uc_flow_request {
	uint8_t cmd;              /* genl command: UC_OVS_FLOW_CMD_* */
	bool has_ufid;
	struct uc_ufid ufid;
	const uint8_t *key;       /* OVS_FLOW_ATTR_KEY's payload, or NULL */
	uint32_t key_len;
	const uint8_t *mask;      /* OVS_FLOW_ATTR_MASK's payload, or NULL */
	uint32_t mask_len;
	bool cut;                 /* the captured bytes end inside an attribute */
};

/*
 * Parses the request in BUF (LEN captured bytes).  Returns 0, or -1 when
 * BUF cannot be a flow request (too short for its headers).  Pointers in
 * R point into BUF.
 */
int uc_ovs_parse_flow_request(const uint8_t *buf, size_t len,
			      struct uc_flow_request *r);

/*
 * The payload of the first attribute of TYPE among the attributes in BUF
 * (LEN bytes), or NULL; *PLEN its length.  Attributes that run past LEN
 * end the walk.
 */
const uint8_t *uc_nl_find_attr(const uint8_t *buf, size_t len, uint16_t type,
			       uint32_t *plen);

/* A flow key's OVS_KEY_ATTR_RECIRC_ID: true with *ID when present. */
bool uc_ovs_key_recirc_id(const uint8_t *key, size_t len, uint32_t *id);

uint64_t uc_ufid_hash(const struct uc_ufid *u);
static inline bool uc_ufid_eq(const struct uc_ufid *a, const struct uc_ufid *b)
{
	for (int i = 0; i < 16; i++)
		if (a->b[i] != b->b[i])
			return false;
	return true;
}
/* "ufid:12345678-1234-1234-1234-123456789abc", as ovs-appctl prints it
 * (the four 32-bit words in host order). */
char *uc_ufid_format(const struct uc_ufid *u, char *buf, size_t size);

#endif /* UC_OVS_NETLINK_H */
