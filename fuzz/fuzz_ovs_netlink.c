/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_ovs_netlink - OVS's netlink on arbitrary bytes: a flow request as
 * op_flow_put and op_flow_del hand it over (ovs_netlink.c), the flow
 * key's recirculation id, a packet's microflow, and the same bytes as the
 * deletion records and revalidator results miss forensics reads
 * (forensics.c), whose state must stay whole.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forensics.h"
#include "ovs_netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where the reads' sum goes, so that they are not optimised out. */
static volatile unsigned sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uc_flow_request r;
	struct uc_forensics *f;
	unsigned sum = 0;
	uint32_t id, n;
	const uint8_t *p;

	if (!uc_ovs_parse_flow_request(data, size, &r)) {
		/* what it points at lies inside the input */
		if ((r.key && (r.key < data || r.key + r.key_len > data + size)) ||
		    (r.mask && (r.mask < data || r.mask + r.mask_len > data + size)))
			abort();
		for (uint32_t i = 0; r.key && i < r.key_len; i++)
			sum += r.key[i];
		if (r.key)
			uc_ovs_key_recirc_id(r.key, r.key_len, &id);
	}
	uc_ovs_key_recirc_id(data, size, &id);
	/* the same bytes as a packet: its microflow, both copies alike */
	sum += (unsigned)uc_flow_identity(data, (uint32_t)size, 1, 2);
	p = uc_nl_find_attr(data, size, (uint16_t)(size & 0x3fff), &n);
	if (p && (p < data || p + n > data + size))
		abort();
	/* The bytes as flow records, then upcalls of flows they name. */
	f = uc_forensics_new();
	if (!f)
		return 0;
	for (uint32_t k = UC_X_FLOW_DEL; k <= UC_X_DP_FLUSH; k++) {
		struct uc_xevent xe = {
			.kind = k, .ts = size, .tid = size % 7, .ret = size % 3,
			.other = size % 13, .data = data,
			.data_len = size > UC_X_DATA_MAX ? UC_X_DATA_MAX : (uint32_t)size,
		};

		memcpy(xe.comm, "revalidator1", 13);
		uc_forensics_xevent(f, &xe);
	}
	for (size_t i = 0; i + 17 <= size && i < 2048; i += 17) {
		struct uc_miss m;
		struct uc_miss_in in = {
			.flow_id = data[i] % 4, .dp_ts = i, .tk = data[i] & 1 ? i + data[i] : 0,
			.has_put = data[i] & 2, .has_exec = data[i] & 4,
			.has_ufid = data[i] & 8, .recirc = data[i] & 16,
		};

		memcpy(in.ufid.b, data + i + 1, 16);
		uc_forensics_dp(f, in.flow_id, in.dp_ts);
		uc_forensics_classify(f, &in, &m);
		sum += m.cls;
	}
	uc_forensics_free(f);
	sink = sum;
	return 0;
}
