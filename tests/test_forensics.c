/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_forensics.c - why upcalls happened (forensics.c) and the netlink
 * they are read from (ovs_netlink.c): OVS flow requests built here as
 * dpif_netlink_flow_to_ofpbuf() builds them (cut short too), every class
 * and deletion reason, the join of a revalidator's result to the
 * deletion that follows it, and the avoidable flag.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "forensics.h"
#include "ovs_netlink.h"

/* A flow request: nlmsghdr, genlmsghdr, ovs_header, then attributes. */
struct req {
	uint8_t b[512];
	size_t len;
};

static void req_init(struct req *r, uint8_t cmd)
{
	memset(r, 0, sizeof(*r));
	r->len = 24;
	r->b[16] = cmd;
}

static void req_attr(struct req *r, uint16_t type, const void *data, uint16_t n)
{
	uint16_t len = 4 + n;

	memcpy(r->b + r->len, &len, 2);
	memcpy(r->b + r->len + 2, &type, 2);
	memcpy(r->b + r->len + 4, data, n);
	r->len += (len + 3u) & ~3u;
	uint32_t total = (uint32_t)r->len;

	memcpy(r->b, &total, 4);
}

static struct uc_ufid ufid_of(uint8_t v)
{
	struct uc_ufid u;

	memset(u.b, v, sizeof(u.b));
	return u;
}

static void test_parse_request(void **state)
{
	struct uc_ufid u = ufid_of(0xab);
	uint8_t key[8] = { 8, 0, 20, 0, 7, 0, 0, 0 };     /* RECIRC_ID = 7 */
	uint8_t mask[8] = { 8, 0, 20, 0, 0xff, 0xff, 0xff, 0xff };
	struct uc_flow_request fr;
	struct req r;
	uint32_t id;
	char buf[64];

	(void)state;
	req_init(&r, UC_OVS_FLOW_CMD_NEW);
	req_attr(&r, UC_OVS_FLOW_ATTR_UFID, u.b, 16);
	req_attr(&r, UC_OVS_FLOW_ATTR_KEY, key, sizeof(key));
	req_attr(&r, UC_OVS_FLOW_ATTR_MASK, mask, sizeof(mask));
	assert_int_equal(uc_ovs_parse_flow_request(r.b, r.len, &fr), 0);
	assert_int_equal(fr.cmd, UC_OVS_FLOW_CMD_NEW);
	assert_true(fr.has_ufid);
	assert_true(uc_ufid_eq(&fr.ufid, &u));
	assert_int_equal(fr.key_len, 8);
	assert_int_equal(fr.mask_len, 8);
	assert_false(fr.cut);
	assert_true(uc_ovs_key_recirc_id(fr.key, fr.key_len, &id));
	assert_int_equal(id, 7);
	/* cut inside the mask: UFID and key still read */
	assert_int_equal(uc_ovs_parse_flow_request(r.b, r.len - 6, &fr), 0);
	assert_true(fr.has_ufid && fr.key && !fr.mask && fr.cut);
	/* too short for the headers, or a length below them */
	assert_int_equal(uc_ovs_parse_flow_request(r.b, 20, &fr), -1);
	r.b[0] = 4, r.b[1] = r.b[2] = r.b[3] = 0;
	assert_int_equal(uc_ovs_parse_flow_request(r.b, r.len, &fr), -1);
	/* a terse deletion: UFID only */
	req_init(&r, UC_OVS_FLOW_CMD_DEL);
	req_attr(&r, UC_OVS_FLOW_ATTR_UFID, u.b, 16);
	assert_int_equal(uc_ovs_parse_flow_request(r.b, r.len, &fr), 0);
	assert_true(fr.has_ufid && !fr.key && !fr.cut);
	uint32_t w[4] = { 0x12345678, 0x9abcdef0, 0x01020304, 0x05060708 };

	memcpy(u.b, w, 16);
	assert_string_equal(uc_ufid_format(&u, buf, sizeof(buf)),
			    "ufid:12345678-9abc-def0-0102-030405060708");
	assert_false(uc_ovs_key_recirc_id(mask, 3, &id));
}

/* Events of one flow, in time order. */
static struct uc_miss classify(struct uc_forensics *f, uint64_t flow, uint64_t dp_ts,
			       uint64_t tk, bool put, uint8_t ufid, bool recirc)
{
	struct uc_miss m;
	struct uc_miss_in in = {
		.flow_id = flow, .dp_ts = dp_ts, .tk = tk, .has_put = put,
		.has_exec = true, .has_ufid = put && ufid, .ufid = ufid_of(ufid),
		.recirc = recirc,
	};

	assert_int_equal(uc_forensics_dp(f, flow, dp_ts), 0);
	assert_int_equal(uc_forensics_classify(f, &in, &m), 0);
	return m;
}

static void flow_xevent(struct uc_forensics *f, uint32_t kind, uint64_t ts, uint32_t tid,
			const char *comm, uint8_t ufid, int ret, uint32_t reason)
{
	struct req r;
	struct uc_ufid u = ufid_of(ufid);
	struct uc_xevent xe = { .kind = kind, .ts = ts, .tid = tid, .ret = ret,
				.other = reason };

	snprintf(xe.comm, sizeof(xe.comm), "%s", comm);
	if (kind == UC_X_FLOW_DEL) {
		req_init(&r, UC_OVS_FLOW_CMD_DEL);
		req_attr(&r, UC_OVS_FLOW_ATTR_UFID, u.b, 16);
		xe.data = r.b;
		xe.data_len = (uint32_t)r.len;
	} else if (kind == UC_X_FLOW_RESULT) {
		xe.data = u.b;
		xe.data_len = 16;
	}
	assert_int_equal(uc_forensics_xevent(f, &xe), 0);
}

static const char *by(const struct uc_forensics *f, const struct uc_miss *m)
{
	return m->by == UINT32_MAX ? "" : uc_strtab_get(uc_forensics_names(f), m->by);
}

static void test_classes(void **state)
{
	struct uc_forensics *f = uc_forensics_new();
	struct uc_miss m;

	(void)state;
	assert_non_null(f);
	m = classify(f, 1, 100, 200, true, 1, false);
	assert_int_equal(m.cls, UC_MISS_FIRST);
	assert_false(m.flags & UC_MISSF_AVOIDABLE);
	/* recirculation comes first, whatever came before */
	m = classify(f, 1, 300, 400, true, 1, true);
	assert_int_equal(m.cls, UC_MISS_RECIRC);
	/* installed, then deleted by a revalidator that said why (idle) */
	flow_xevent(f, UC_X_FLOW_RESULT, 500, 12, "revalidator12", 1, 1, 3);
	flow_xevent(f, UC_X_FLOW_DEL, 510, 12, "revalidator12", 1, 0, 0);
	m = classify(f, 1, 600, 700, true, 1, false);
	assert_int_equal(m.cls, UC_MISS_AFTER_DELETE);
	assert_int_equal(m.reason, UC_MR_IDLE);
	assert_int_equal(m.fdr, 3);
	assert_int_equal(m.ago_ns, 90);
	assert_string_equal(by(f, &m), "revalidator12 (12)");
	assert_true(m.flags & UC_MISSF_AVOIDABLE);
	/* deleted without a result: a revalidator's, reason not traced */
	flow_xevent(f, UC_X_FLOW_DEL, 800, 13, "revalidator13", 1, 0, 0);
	m = classify(f, 1, 900, 1000, true, 1, false);
	assert_int_equal(m.reason, UC_MR_REVALIDATOR);
	assert_false(m.flags & UC_MISSF_AVOIDABLE);
	/* the whole datapath flushed; this time no flow put (stale ukey) */
	flow_xevent(f, UC_X_DP_FLUSH, 1100, 1, "ovs-vswitchd", 0, 0, 0);
	m = classify(f, 1, 1200, 1300, false, 0, false);
	assert_int_equal(m.cls, UC_MISS_AFTER_DELETE);
	assert_int_equal(m.reason, UC_MR_FLUSH);
	assert_true(m.flags & UC_MISSF_NO_PUT);
	assert_string_equal(by(f, &m), "ovs-vswitchd (1)");
	/* the last upcall installed nothing: every packet misses */
	m = classify(f, 1, 1400, 1500, false, 0, false);
	assert_int_equal(m.cls, UC_MISS_NOT_INSTALLED);
	assert_true(m.flags & UC_MISSF_AVOIDABLE);
	/* installed, and no deletion seen */
	(void)classify(f, 1, 1600, 1700, true, 2, false);
	m = classify(f, 1, 1800, 1900, true, 2, false);
	assert_int_equal(m.cls, UC_MISS_UNEXPLAINED);
	uc_forensics_free(f);
}

/* A second miss while the first is queued, or being installed. */
static void test_in_flight(void **state)
{
	struct uc_forensics *f = uc_forensics_new();
	struct uc_miss m;
	struct uc_miss_in in = { .flow_id = 5, .dp_ts = 110, .tk = 300, .has_put = true,
				 .has_exec = true };

	(void)state;
	assert_int_equal(uc_forensics_dp(f, 5, 100), 0);     /* the first, queued */
	assert_int_equal(uc_forensics_dp(f, 5, 110), 0);
	assert_int_equal(uc_forensics_classify(f, &in, &m), 0);
	assert_int_equal(m.cls, UC_MISS_IN_FLIGHT);
	assert_int_equal(m.ago_ns, 10);
	assert_true(m.flags & UC_MISSF_AVOIDABLE);
	/* the first settles after; then a third that missed before it was
	 * installed (tk 250 > 200) */
	in.dp_ts = 100, in.tk = 250;
	assert_int_equal(uc_forensics_classify(f, &in, &m), 0);
	assert_int_equal(m.cls, UC_MISS_FIRST);
	assert_int_equal(uc_forensics_dp(f, 5, 200), 0);
	in.dp_ts = 200, in.tk = 400;
	assert_int_equal(uc_forensics_classify(f, &in, &m), 0);
	assert_int_equal(m.cls, UC_MISS_IN_FLIGHT);
	/* one that failed in the kernel is in flight no more */
	assert_int_equal(uc_forensics_dp(f, 6, 500), 0);
	uc_forensics_dp_gone(f, 6, 500);
	assert_int_equal(uc_forensics_dp(f, 6, 510), 0);
	in = (struct uc_miss_in){ .flow_id = 6, .dp_ts = 510, .tk = 600, .has_put = true,
				  .has_exec = true };
	assert_int_equal(uc_forensics_classify(f, &in, &m), 0);
	assert_int_equal(m.cls, UC_MISS_FIRST);
	uc_forensics_free(f);
}

/* Results are joined to their thread's deletion of the same UFID only. */
static void test_result_join(void **state)
{
	struct uc_forensics *f = uc_forensics_new();
	struct uc_forensics_stats st;
	struct uc_miss m;

	(void)state;
	m = classify(f, 9, 10, 20, true, 9, false);
	assert_int_equal(m.cls, UC_MISS_FIRST);
	flow_xevent(f, UC_X_FLOW_RESULT, 30, 12, "revalidator12", 9, 1, 4);   /* flow limit */
	flow_xevent(f, UC_X_FLOW_RESULT, 31, 12, "revalidator12", 8, 0, 0);   /* KEEP */
	flow_xevent(f, UC_X_FLOW_DEL, 40, 14, "revalidator14", 9, 0, 0);      /* another thread */
	m = classify(f, 9, 50, 60, true, 9, false);
	assert_int_equal(m.reason, UC_MR_REVALIDATOR);
	flow_xevent(f, UC_X_FLOW_DEL, 70, 12, "revalidator12", 9, 0, 0);
	m = classify(f, 9, 80, 90, true, 9, false);
	assert_int_equal(m.reason, UC_MR_FLOW_LIMIT);
	uc_forensics_stats(f, &st);
	assert_int_equal(st.deletions, 2);
	assert_int_equal(st.joined, 1);
	assert_int_equal(st.results, 2);
	/* a deletion request that names no UFID */
	struct uc_xevent xe = { .kind = UC_X_FLOW_DEL, .ts = 100, .data = (const uint8_t *)"x",
				.data_len = 1 };

	assert_int_equal(uc_forensics_xevent(f, &xe), 0);
	uc_forensics_stats(f, &st);
	assert_int_equal(st.deletions_no_ufid, 1);
	uc_forensics_free(f);
}

static void test_identity(void **state)
{
	uint8_t a[64] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00, 0x45, 0, 0, 50,
			  0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 1, 2, 0x13, 0x88,
			  0x00, 0x50 };
	uint8_t b[64];

	(void)state;
	memcpy(b, a, sizeof(b));
	b[50] = 0x77;                          /* payload: same flow */
	assert_true(uc_flow_identity(a, 64, 1, 3) == uc_flow_identity(b, 64, 1, 3));
	assert_true(uc_flow_identity(a, 64, 1, 3) != uc_flow_identity(a, 64, 1, 4));
	b[37] = 0x51;                          /* another port */
	assert_true(uc_flow_identity(a, 64, 1, 3) != uc_flow_identity(b, 64, 1, 3));
	memcpy(b, a, sizeof(b));
	b[11] = 9;                             /* another source MAC */
	assert_true(uc_flow_identity(a, 64, 1, 3) != uc_flow_identity(b, 64, 1, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_request),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_in_flight),
		cmocka_unit_test(test_result_join),
		cmocka_unit_test(test_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
