/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_pcapng.c - the pcapng writer (pcapng.c) against blocks laid out
 * here byte by byte from draft-ietf-opsawg-pcapng (SHB, IDB, EPB and their
 * options, 32-bit padding, the trailing total length); long comments cut
 * at a UTF-8 boundary; a packet on an unknown interface refused; and the
 * --pcap comment of an upcall (pcap_out.c).  tests/pcap.sh reads whole
 * files back with Debian's tshark.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcap_out.h"
#include "pcapng.h"

/* The expected bytes, built independently of the writer. */
struct bytes {
	uint8_t b[4096];
	size_t n;
};

static void u32(struct bytes *x, uint32_t v)
{
	memcpy(x->b + x->n, &v, 4);
	x->n += 4;
}

static void u16(struct bytes *x, uint16_t v)
{
	memcpy(x->b + x->n, &v, 2);
	x->n += 2;
}

static void raw(struct bytes *x, const void *p, size_t n)
{
	memcpy(x->b + x->n, p, n);
	x->n += n;
	while (x->n % 4)
		x->b[x->n++] = 0;
}

/* What the writer wrote, read back from its file. */
static size_t written(struct uc_wbuf *w, int fd, uint8_t *out, size_t size)
{
	assert_int_equal(uc_wbuf_flush(w), 0);
	lseek(fd, 0, SEEK_SET);
	return (size_t)read(fd, out, size);
}

static void test_blocks_byte_for_byte(void **state)
{
	char path[] = "/tmp/uc-pcapng-XXXXXX";
	int fd = mkstemp(path);
	struct uc_wbuf w;
	struct uc_pcapng p;
	struct bytes e = { .n = 0 };
	uint8_t got[4096], pkt[3] = { 0xaa, 0xbb, 0xcc }, one = 9;
	uint64_t id = 7, section = UINT64_MAX;

	(void)state;
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(uc_wbuf_init(&w, fd, 256), 0);
	assert_int_equal(uc_pcapng_begin(&p, &w, NULL, "a", NULL), 0);
	assert_int_equal(uc_pcapng_add_iface(&p, 1, 256, "p1", NULL), 0);
	assert_int_equal(uc_pcapng_packet(&p, 0, 0x0000000100000002ull, pkt, 3, 60,
					  UC_PCAPNG_EPB_INBOUND, id, "\xc3\xa9"), 0);
	/* SHB: type, length, byte-order magic, 1.0, section length -1,
	 * shb_userappl "a", opt_endofopt, length */
	u32(&e, 0x0A0D0D0A), u32(&e, 40), u32(&e, 0x1A2B3C4D), u16(&e, 1), u16(&e, 0);
	raw(&e, &section, 8);
	u16(&e, 4), u16(&e, 1), raw(&e, "a", 1);
	u32(&e, 0), u32(&e, 40);
	/* IDB: linktype 1, reserved, snaplen, if_name "p1", if_tsresol 9 */
	u32(&e, 1), u32(&e, 40), u16(&e, 1), u16(&e, 0), u32(&e, 256);
	u16(&e, 2), u16(&e, 2), raw(&e, "p1", 2);
	u16(&e, 9), u16(&e, 1), raw(&e, &one, 1);
	e.b[e.n - 4] = 9;
	u32(&e, 0), u32(&e, 40);
	/* EPB: iface 0, ts high and low, caplen 3, origlen 60, data padded,
	 * opt_comment, epb_flags, epb_packetid, opt_endofopt */
	u32(&e, 6), u32(&e, 68), u32(&e, 0), u32(&e, 1), u32(&e, 2), u32(&e, 3), u32(&e, 60);
	raw(&e, pkt, 3);
	u16(&e, 1), u16(&e, 2), raw(&e, "\xc3\xa9", 2);
	u16(&e, 2), u16(&e, 4), u32(&e, 1);
	u16(&e, 5), u16(&e, 8), raw(&e, &id, 8);
	u32(&e, 0), u32(&e, 68);
	assert_int_equal(written(&w, fd, got, sizeof(got)), e.n);
	assert_memory_equal(got, e.b, e.n);
	/* a packet on an interface never described */
	assert_int_equal(uc_pcapng_packet(&p, 1, 0, pkt, 3, 3, 0, 0, NULL), -EINVAL);
	uc_wbuf_free(&w);
	close(fd);
}

/* A comment over the 16-bit option limit is cut, never inside a UTF-8
 * character. */
static void test_long_comment_cut(void **state)
{
	static char comment[70002];
	char path[] = "/tmp/uc-pcapng-XXXXXX";
	int fd = mkstemp(path);
	static uint8_t got[80000];
	struct uc_wbuf w;
	struct uc_pcapng p;
	uint16_t code, len;
	size_t n, at;

	(void)state;
	unlink(path);
	for (size_t i = 0; i + 1 < sizeof(comment); i += 2)
		memcpy(comment + i, "\xc3\xa9", 2);
	comment[sizeof(comment) - 1] = '\0';
	assert_int_equal(uc_wbuf_init(&w, fd, 1024), 0);
	assert_int_equal(uc_pcapng_begin(&p, &w, NULL, NULL, NULL), 0);
	assert_int_equal(uc_pcapng_add_iface(&p, 1, 0, "x", "y"), 0);
	assert_int_equal(uc_pcapng_packet(&p, 0, 1, "z", 1, 1, 0, 0, comment), 0);
	n = written(&w, fd, got, sizeof(got));
	/* SHB 32 bytes, IDB 48 (if_name, if_description, if_tsresol), the
	 * EPB's fixed 28 bytes and its 1-byte packet padded to 4 */
	at = 32 + 48 + 28 + 4;
	memcpy(&code, got + at, 2);
	memcpy(&len, got + at + 2, 2);
	assert_int_equal(code, 1);
	assert_true(len <= UC_PCAPNG_OPT_MAX && len >= UC_PCAPNG_OPT_MAX - 3);
	assert_int_equal(len % 2, 0);                      /* whole characters */
	assert_true(n > at + len);
	uc_wbuf_free(&w);
	close(fd);
}

static void test_upcall_comment(void **state)
{
	struct uc_miss miss = { .cls = UC_MISS_AFTER_DELETE, .reason = UC_MR_FLUSH,
				.flags = UC_MISSF_NO_PUT, .by = 0, .ago_ns = 2500000000ull,
				.fdr = UINT8_MAX };
	struct uc_explanation x = { .who = { UC_TL_NOBODY, UC_TL_NOBODY, 0, UC_TL_NOBODY,
					     UC_TL_NOBODY } };
	struct uc_strtab names;
	struct uc_upcall u = {
		.kind = UC_UPCALL_SET, .id = 12, .cpu = 1, .dp = "ovs-system",
		.port_name = "veth1", .port = 2, .handler = "handler1", .tid = 4001,
		.batch_pos = 19, .batch_size = 41, .miss = &miss, .miss_by = "ovs-vswitchd (55)",
		.expl = &x, .expl_names = &names,
		.ts = { [UC_EV_DP_UPCALL] = 1000000, [UC_EV_RECV_UPCALL] = 1300000,
			[UC_EV_OP_FLOW_PUT] = 1350000, [UC_EV_OP_FLOW_EXECUTE] = 1351000,
			[UC_EV_OVS_PKT_EXEC] = 1400000 },
	};
	char buf[1024];

	(void)state;
	uc_strtab_init(&names);
	uc_strtab_intern(&names, "stress-ng (77)");
	x.part[UC_PART_RUNNABLE] = 300000;
	x.part[UC_PART_LOOKUP_ONCPU] = 100000;
	uc_pcap_out_comment(&u, buf, sizeof(buf));
	assert_string_equal(buf,
		"upcall 12 MISS port veth1 (ovs-system:2) cpu 1 verdict ok\n"
		"total 400.000 us: k->v 300.000 lookup 50.000 put->exec 1.000 v->k 49.000\n"
		"handler handler1 tid 4001 batch 20/41\n"
		"class re-miss after its flow was deleted: flush (ovs-vswitchd (55), "
		"2.500000 s before) [no flow put]\n"
		"time (us) runnable 300.000 (stress-ng (77)) lookup_oncpu 100.000 unknown 0.000");
	u.kind = UC_UPCALL_LOST;
	u.err = -11;
	u.cmd = 1;
	u.miss = NULL;
	u.expl = NULL;
	u.batch_size = 0;
	memset(u.ts, 0, sizeof(u.ts));
	uc_pcap_out_comment(&u, buf, sizeof(buf));
	assert_string_equal(buf, "upcall 12 MISS port veth1 (ovs-system:2) cpu 1 verdict "
			    "lost -EAGAIN (handler socket receive queue full)");
	uc_strtab_free(&names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_byte_for_byte),
		cmocka_unit_test(test_long_comment_cut),
		cmocka_unit_test(test_upcall_comment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
