/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_matcher.c - the online matching (matcher.c) against the original's
 * rule, written out here the way upcall_cost.py runs it: for each kernel
 * upcall in arrival order, the first later receive not taken yet with an
 * agreeing port, the same length and agreeing bytes, warnings set for
 * every pair it compares.  Random streams with few distinct packets (so
 * duplicates, checksum-only differences, other capture sizes, fragments
 * and tunnel receives all occur) must give the same pairs and warnings.
 * The same with each event's digest worked out ahead, as a file reader's
 * thread does (event_digest.h).  Also the hash table's removal, which the
 * matcher relies on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis.h"
#include "event_digest.h"
#include "flow_key.h"
#include "map64.h"
#include "packet.h"
#include "test_util.h"

#define MAX_EVENTS 400

/* One generated event, as the oracle sees it. */
struct gen {
	bool dp;
	uint8_t pkt[80];
	uint32_t len, cap, frag;
	int32_t port;           /* receives: UC_DP_TUNNEL_PORT for a tunnel */
	uint32_t seq;           /* usable-event position */
};

static uint64_t rng_state;
/* Each event's digest is worked out before it is fed, as sink_pipe's
 * prepare step does. */
static bool digest_ahead;
/* When non-zero: what a receive's digest says its port is. */
static uint32_t forced_in_port;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33) % n;
}

/* An Ethernet/IPv4/UDP frame whose payload byte, length and checksum
 * come from small sets. */
static void make_frame(struct gen *g, uint32_t odd)
{
	static const uint8_t hdr[] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 58, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x13, 0x88, 0x13, 0x89, 0, 38, 0, 0,
	};

	memcpy(g->pkt, hdr, sizeof(hdr));
	memset(g->pkt + sizeof(hdr), (int)rnd(3), sizeof(g->pkt) - sizeof(hdr));
	g->pkt[40] = (uint8_t)rnd(2);          /* checksum: 0 or 1 */
	g->pkt[60] = (uint8_t)rnd(2);          /* past a 60-byte capture */
	g->len = 70 + rnd(2);
	g->cap = rnd(odd) ? 70 : 60;           /* mostly full captures */
	g->frag = 0;
}

/* Streams differ in how often odd captures occur (1 in ODD), so that the
 * warnings come out both set and unset. */
static void generate(struct gen *ev, size_t n)
{
	uint32_t odd = 5 + 100 * rnd(4);

	for (size_t i = 0; i < n; i++) {
		struct gen *g = &ev[i];

		make_frame(g, odd);
		g->dp = rnd(2);
		g->seq = (uint32_t)i;
		if (g->dp) {
			g->port = 1 + (int32_t)rnd(2);
			if (!rnd(odd))
				g->frag = 30 + rnd(40);
		} else {
			g->port = rnd(6) ? 1 + (int32_t)rnd(2) : UC_DP_TUNNEL_PORT;
			if (g->cap > g->len)
				g->cap = g->len;
		}
		if (g->cap > g->len)
			g->cap = g->len;
	}
}

/* ------------------------------------------------------------ the oracle */

static bool oracle_agree(const struct gen *dp, const struct gen *rv, uint32_t n)
{
	uint16_t a = uc_packet_l4_csum_offset(dp->pkt, dp->cap);
	uint16_t b = uc_packet_l4_csum_offset(rv->pkt, rv->cap);

	for (uint32_t i = 0; i < n; i++) {
		bool in_csum = a != UC_NO_OFFSET && a == b && (i == a || i == a + 1u);

		if (dp->pkt[i] != rv->pkt[i] && !in_csum)
			return false;
	}
	return true;
}

static void oracle(const struct gen *ev, size_t n, int32_t *match_of_dp,
		   bool *warn_partial, bool *warn_frag)
{
	bool taken[MAX_EVENTS] = { false };

	*warn_partial = *warn_frag = false;
	for (size_t d = 0; d < n; d++) {
		match_of_dp[d] = -1;
		if (!ev[d].dp)
			continue;
		for (size_t r = d + 1; r < n; r++) {
			const struct gen *dp = &ev[d], *rv = &ev[r];
			uint32_t len;

			if (rv->dp || taken[r] || rv->len != dp->len ||
			    !(rv->port == dp->port || rv->port == UC_DP_TUNNEL_PORT))
				continue;
			len = dp->cap < rv->cap ? dp->cap : rv->cap;
			if (dp->cap != rv->cap && !dp->frag) {
				*warn_partial = true;
			} else if (dp->frag) {
				*warn_frag = true;
				if (dp->frag < len)
					len = dp->frag;
			}
			if (oracle_agree(dp, rv, len)) {
				taken[r] = true;
				match_of_dp[d] = (int32_t)r;
				break;
			}
		}
	}
}

/* ------------------------------------------------------------ the tool */

static void feed(struct uc_event_sink *sink, const struct gen *g)
{
	struct uc_raw_event ev = { 0 };
	uint8_t key[16];
	uint16_t hdr[2] = { 8, UC_OVS_KEY_ATTR_IN_PORT };
	uint32_t port = (uint32_t)g->port;

	ev.event = g->dp ? UC_EV_DP_UPCALL : UC_EV_RECV_UPCALL;
	ev.pid = g->dp ? 0 : 7;
	ev.ts = 1000 + g->seq;
	ev.pkt = g->pkt;
	ev.pkt_size = g->len;
	ev.pkt_cap = g->cap;
	ev.pkt_frag_size = g->frag;
	snprintf(ev.comm, sizeof(ev.comm), "handler1");
	if (g->dp) {
		snprintf(ev.dpif_name, sizeof(ev.dpif_name), "system");
		snprintf(ev.dev_name, sizeof(ev.dev_name), "eth%d", g->port);
		ev.upcall_type = 1;
	} else {
		snprintf(ev.dpif_name, sizeof(ev.dpif_name), "system@system");
		if (g->port == UC_DP_TUNNEL_PORT)
			hdr[1] = UC_OVS_KEY_ATTR_TUNNEL;
		memcpy(key, hdr, 4);
		memcpy(key + 4, &port, 4);
		memcpy(key + 8, hdr, 4);      /* padding attribute, ignored */
		memcpy(key + 12, &port, 4);
		ev.key = key;
		ev.key_size = ev.key_cap = 8;
	}
	if (digest_ahead)
		uc_event_digest_fill(&ev);
	if (forced_in_port && !g->dp)
		ev.digest.in_port = forced_in_port;
	assert_int_equal(sink->on_event(sink->ctx, &ev), 0);
}

static void run_tool(const struct gen *ev, size_t n, int32_t *match_of_dp,
		     bool *warn_partial, bool *warn_frag)
{
	struct uc_analysis a;
	struct uc_event_sink sink;
	struct uc_port_map map;

	assert_int_equal(uc_analysis_init(&a, NULL), 0);
	sink = uc_analysis_sink(&a);
	uc_port_map_init(&map);
	assert_int_equal(uc_port_map_set(&map, "system", 6, "eth1", 4, 1), 0);
	assert_int_equal(uc_port_map_set(&map, "system", 6, "eth2", 4, 2), 0);
	assert_int_equal(sink.on_port_map(sink.ctx, &map), 0);
	uc_port_map_free(&map);
	for (size_t i = 0; i < n; i++)
		feed(&sink, &ev[i]);
	assert_int_equal(uc_analysis_finish(&a), 0);
	for (size_t i = 0; i < n; i++)
		match_of_dp[i] = -1;
	for (size_t s = 0; s < a.result.n_sets; s++)
		match_of_dp[a.result.sets[s].ev[UC_EV_DP_UPCALL]] =
			(int32_t)a.result.sets[s].ev[UC_EV_RECV_UPCALL];
	*warn_partial = a.result.warn_partial;
	*warn_frag = a.result.warn_frag;
	uc_analysis_free(&a);
}

static void random_streams_match_the_original(bool ahead)
{
	static struct gen ev[MAX_EVENTS];
	int32_t want[MAX_EVENTS], got[MAX_EVENTS];
	unsigned warned_partial = 0, warned_frag = 0, matched = 0;

	digest_ahead = ahead;
	for (uint64_t seed = 1; seed <= 300; seed++) {
		size_t n = 20 + seed % (MAX_EVENTS - 20);
		bool wp, wf, gp, gf;

		rng_state = seed;
		generate(ev, n);
		oracle(ev, n, want, &wp, &wf);
		run_tool(ev, n, got, &gp, &gf);
		for (size_t i = 0; i < n; i++) {
			if (want[i] != got[i])
				fail_msg("seed %llu: DP %zu: want RECV %d, got %d",
					 (unsigned long long)seed, i, want[i], got[i]);
			matched += want[i] >= 0;
		}
		if (wp != gp || wf != gf)
			fail_msg("seed %llu: warnings partial %d/%d frag %d/%d",
				 (unsigned long long)seed, wp, gp, wf, gf);
		warned_partial += wp;
		warned_frag += wf;
	}
	/* The streams exercised what they are meant to. */
	assert_true(matched > 1000);
	print_message("%u matched, warnings: partial %u, frag %u of 300\n", matched,
		      warned_partial, warned_frag);
	assert_true(warned_partial > 10 && warned_partial < 300);
	assert_true(warned_frag > 10 && warned_frag < 300);
}

static void test_random_streams_match_the_original(void **state)
{
	(void)state;
	random_streams_match_the_original(false);
}

static void test_random_streams_with_digests_ahead(void **state)
{
	(void)state;
	random_streams_match_the_original(true);
}

/* A valid digest is what the analysis goes by: a receive whose key names
 * port 1 but whose digest says port 2 matches a kernel upcall on port 2
 * (so a reader's thread really spares the analysis that work). */
static void test_a_valid_digest_is_used(void **state)
{
	struct gen dp, rv;
	int32_t got[2];
	bool wp, wf;

	(void)state;
	rng_state = 1;
	make_frame(&dp, 1000);
	dp.dp = true;
	dp.port = 2;
	dp.seq = 0;
	rv = dp;
	rv.dp = false;
	rv.port = 1;
	rv.seq = 1;
	digest_ahead = false;
	run_tool((struct gen[]){ dp, rv }, 2, got, &wp, &wf);
	assert_int_equal(got[0], -1);           /* ports differ: no match */
	/* The same, with the receive's digest naming port 2. */
	digest_ahead = true;
	forced_in_port = 2;
	run_tool((struct gen[]){ dp, rv }, 2, got, &wp, &wf);
	forced_in_port = 0;
	digest_ahead = false;
	assert_int_equal(got[0], 1);
}

/* ------------------------------------------------------------ map64 */

static void test_map64_remove_keeps_probes(void **state)
{
	struct uc_map64 m;
	uint32_t next = 0;

	(void)state;
	uc_map64_init(&m);
	/* Many keys, so probe sequences overlap; remove half, the rest
	 * must still be found, the removed ones not. */
	for (uint64_t k = 0; k < 5000; k++)
		assert_int_equal(uc_map64_intern(&m, k * 7919, &next), (uint32_t)k);
	for (uint64_t k = 0; k < 5000; k += 2)
		uc_map64_remove(&m, k * 7919, (uint32_t)k);
	assert_int_equal(m.n, 2500);
	for (uint64_t k = 0; k < 5000; k++)
		assert_int_equal(uc_map64_get(&m, k * 7919),
				 k % 2 ? (uint32_t)k : UC_MAP64_NONE);
	/* Equal keys: removal takes the entry with the given value only. */
	assert_int_equal(uc_map64_add(&m, 42, 1), 0);
	assert_int_equal(uc_map64_add(&m, 42, 2), 0);
	uc_map64_remove(&m, 42, 1);
	assert_int_equal(uc_map64_get(&m, 42), 2);
	uc_map64_remove(&m, 42, 7);   /* not there: nothing happens */
	assert_int_equal(uc_map64_get(&m, 42), 2);
	uc_map64_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_streams_match_the_original),
		cmocka_unit_test(test_random_streams_with_digests_ahead),
		cmocka_unit_test(test_a_valid_digest_is_used),
		cmocka_unit_test(test_map64_remove_keeps_probes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
