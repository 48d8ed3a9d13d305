/* SPDX-License-Identifier: BSD-2-Clause */
/* ovs_netlink.c - OVS flow requests and keys (ovs_netlink.h). */
#include <stdio.h>
#include <string.h>

#include "hash.h"
#include "ovs_netlink.h"

#define NLMSG_HDR_LEN 16
#define GENL_HDR_LEN 4
#define OVS_HDR_LEN 4
#define NLA_HDR_LEN 4
#define NLA_TYPE_MASK 0x3fff    /* without NLA_F_NESTED, NLA_F_NET_BYTEORDER */

static uint32_t align4(uint32_t n)
{
	return (n + 3u) & ~3u;
}

/*
 * Walks the attributes of BUF: calls FN with each whole one (type, payload,
 * length) until it returns true.  Sets *CUT when the bytes end inside an
 * attribute.  Returns what FN returned last.
 */
static bool walk(const uint8_t *buf, size_t len, bool *cut,
		 bool (*fn)(void *ctx, uint16_t type, const uint8_t *p, uint32_t n),
		 void *ctx)
{
	size_t off = 0;

	*cut = false;
	while (len - off >= NLA_HDR_LEN) {
		uint16_t nla_len, nla_type;

		memcpy(&nla_len, buf + off, 2);
		memcpy(&nla_type, buf + off + 2, 2);
		if (nla_len < NLA_HDR_LEN)
			return false;           /* malformed: stop */
		if (nla_len > len - off) {
			*cut = true;
			return false;
		}
		if (fn(ctx, nla_type & NLA_TYPE_MASK, buf + off + NLA_HDR_LEN,
		       nla_len - NLA_HDR_LEN))
			return true;
		off += align4(nla_len);
		if (off > len)
			break;
	}
	*cut |= off < len;
	return false;
}

struct find {
	uint16_t type;
	const uint8_t *p;
	uint32_t n;
};

static bool find_one(void *ctx, uint16_t type, const uint8_t *p, uint32_t n)
{
	struct find *f = ctx;

	if (type != f->type)
		return false;
	f->p = p;
	f->n = n;
	return true;
}

const uint8_t *uc_nl_find_attr(const uint8_t *buf, size_t len, uint16_t type,
			       uint32_t *plen)
{
	struct find f = { type, NULL, 0 };
	bool cut;

	if (!walk(buf, len, &cut, find_one, &f))
		return NULL;
	*plen = f.n;
	return f.p;
}

static bool flow_attr(void *ctx, uint16_t type, const uint8_t *p, uint32_t n)
{
	struct uc_flow_request *r = ctx;

	switch (type) {
	case UC_OVS_FLOW_ATTR_UFID:
		if (n >= sizeof(r->ufid.b) && !r->has_ufid) {
			memcpy(r->ufid.b, p, sizeof(r->ufid.b));
			r->has_ufid = true;
		}
		break;
	case UC_OVS_FLOW_ATTR_KEY:
		if (!r->key) {
			r->key = p;
			r->key_len = n;
		}
		break;
	case UC_OVS_FLOW_ATTR_MASK:
		if (!r->mask) {
			r->mask = p;
			r->mask_len = n;
		}
		break;
	default:
		break;
	}
	return false;
}

int uc_ovs_parse_flow_request(const uint8_t *buf, size_t len,
			      struct uc_flow_request *r)
{
	const size_t head = NLMSG_HDR_LEN + GENL_HDR_LEN + OVS_HDR_LEN;
	uint32_t msg_len;

	memset(r, 0, sizeof(*r));
	if (!buf || len < head)
		return -1;
	memcpy(&msg_len, buf, 4);
	if (msg_len < head)
		return -1;
	r->cmd = buf[NLMSG_HDR_LEN];
	/* The message may say it is longer than what was captured. */
	if (msg_len < len)
		len = msg_len;
	walk(buf + head, len - head, &r->cut, flow_attr, r);
	r->cut |= msg_len > len;
	return 0;
}

bool uc_ovs_key_recirc_id(const uint8_t *key, size_t len, uint32_t *id)
{
	uint32_t n;
	const uint8_t *p = uc_nl_find_attr(key, len, UC_OVS_KEY_ATTR_RECIRC_ID, &n);

	if (!p || n < 4)
		return false;
	memcpy(id, p, 4);
	return true;
}

uint64_t uc_ufid_hash(const struct uc_ufid *u)
{
	uint64_t lo, hi;

	memcpy(&lo, u->b, 8);
	memcpy(&hi, u->b + 8, 8);
	return uc_hash_mix(lo ^ uc_hash_mix(hi));
}

char *uc_ufid_format(const struct uc_ufid *u, char *buf, size_t size)
{
	uint32_t w[4];

	memcpy(w, u->b, sizeof(w));
	snprintf(buf, size, "ufid:%08x-%04x-%04x-%04x-%04x%08x", w[0], w[1] >> 16,
		 w[1] & 0xffff, w[2] >> 16, w[2] & 0xffff, w[3]);
	return buf;
}
