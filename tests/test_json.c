/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_json.c - the streaming JSON writer: exact output (compact and
 * pretty), string escaping and UTF-8 repair, numbers, and misuse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "json_writer.h"
#include "test_util.h"

/* A writer into memory; take() ends it and returns the text. */
struct buf {
	char *text;
	size_t len;
	FILE *f;
	struct uc_json j;
};

static void open_buf(struct buf *b, bool pretty)
{
	b->text = NULL;
	b->f = open_memstream(&b->text, &b->len);
	assert_non_null(b->f);
	uc_json_init(&b->j, b->f, pretty);
}

/* Returns uc_json_finish()'s verdict; B->text holds the output. */
static int take(struct buf *b)
{
	int ret = uc_json_finish(&b->j);

	assert_int_equal(fclose(b->f), 0);
	return ret;
}

static void expect(struct buf *b, const char *want)
{
	assert_int_equal(take(b), 0);
	assert_string_equal(b->text, want);
	free(b->text);
}

static void test_compact_document(void **state)
{
	struct buf b;

	(void)state;
	open_buf(&b, false);
	uc_json_start_object(&b.j);
	uc_json_uint_field(&b.j, "n", 3);
	uc_json_name(&b.j, "list");
	uc_json_start_array(&b.j);
	uc_json_int(&b.j, -1);
	uc_json_bool(&b.j, true);
	uc_json_null(&b.j);
	uc_json_start_object(&b.j);
	uc_json_end_object(&b.j);
	uc_json_start_array(&b.j);
	uc_json_end_array(&b.j);
	uc_json_end_array(&b.j);
	uc_json_string_field(&b.j, "s", "x");
	uc_json_bool_field(&b.j, "f", false);
	uc_json_null_field(&b.j, "z");
	uc_json_end_object(&b.j);
	expect(&b, "{\"n\":3,\"list\":[-1,true,null,{},[]],\"s\":\"x\","
		   "\"f\":false,\"z\":null}");
}

static void test_pretty_document(void **state)
{
	struct buf b;

	(void)state;
	open_buf(&b, true);
	uc_json_start_object(&b.j);
	uc_json_name(&b.j, "a");
	uc_json_start_array(&b.j);
	uc_json_uint(&b.j, 1);
	uc_json_uint(&b.j, 2);
	uc_json_end_array(&b.j);
	uc_json_name(&b.j, "e");
	uc_json_start_object(&b.j);
	uc_json_end_object(&b.j);
	uc_json_double_field(&b.j, "d", 0.5);
	uc_json_end_object(&b.j);
	expect(&b, "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"e\": {},\n"
		   "  \"d\": 0.5\n}\n");
}

static void test_top_level_scalars(void **state)
{
	struct buf b;

	(void)state;
	open_buf(&b, false);
	uc_json_string(&b.j, "only");
	expect(&b, "\"only\"");
	open_buf(&b, false);
	uc_json_start_array(&b.j);
	uc_json_end_array(&b.j);
	expect(&b, "[]");
}

static void test_string_escapes(void **state)
{
	struct buf b;

	(void)state;
	open_buf(&b, false);
	uc_json_string(&b.j, "q\" b\\ n\n r\r t\t b\b f\f \x01 \x1f / \x7f");
	expect(&b, "\"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f \\u0001 \\u001f / \x7f\"");
	open_buf(&b, false);
	uc_json_string(&b.j, NULL);
	expect(&b, "\"\"");
}

/* Valid UTF-8 passes through; anything else becomes U+FFFD, byte by byte
 * (thread names are raw bytes from the kernel). */
static void test_utf8(void **state)
{
	struct buf b;

	(void)state;
	open_buf(&b, false);
	uc_json_string(&b.j, "\xc2\xb5s \xe2\x88\x8e \xf0\x9f\x98\x80");  /* µs ∎ 😀 */
	expect(&b, "\"\xc2\xb5s \xe2\x88\x8e \xf0\x9f\x98\x80\"");
	open_buf(&b, false);
	uc_json_string(&b.j, "a\xff" "b\xc0\x80" "c\xed\xa0\x80" "d\xf4\x90\x80\x80"
			     "e\xe2\x88");
	expect(&b, "\"a\\ufffdb\\ufffd\\ufffdc\\ufffd\\ufffd\\ufffdd\\ufffd\\ufffd"
		   "\\ufffd\\ufffde\\ufffd\\ufffd\"");
}

static void test_numbers(void **state)
{
	struct buf b;

	(void)state;
	open_buf(&b, false);
	uc_json_start_array(&b.j);
	uc_json_double(&b.j, 0.1);
	uc_json_double(&b.j, 12.5);
	uc_json_double(&b.j, 10146.8815);
	uc_json_double(&b.j, 1.0 / 3);
	uc_json_double(&b.j, 1e21);
	uc_json_double(&b.j, -0.0);
	uc_json_double(&b.j, 3);
	uc_json_double(&b.j, NAN);
	uc_json_double(&b.j, INFINITY);
	uc_json_uint(&b.j, UINT64_MAX);
	uc_json_int(&b.j, INT64_MIN);
	uc_json_end_array(&b.j);
	expect(&b, "[0.1,12.5,10146.8815,0.3333333333333333,1e+21,-0,3,null,"
		   "null,18446744073709551615,-9223372036854775808]");
}

/* Every double written reads back as itself. */
static void test_double_round_trip(void **state)
{
	uint64_t s = 12345;

	(void)state;
	for (int i = 0; i < 10000; i++) {
		struct buf b;
		double v, back;

		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		memcpy(&v, &s, sizeof(v));
		if (!isfinite(v))
			continue;
		open_buf(&b, false);
		uc_json_double(&b.j, v);
		assert_int_equal(take(&b), 0);
		back = strtod(b.text, NULL);
		assert_memory_equal(&back, &v, sizeof(v));
		free(b.text);
	}
}

/* Misuse is reported, never a crash. */
static void test_misuse(void **state)
{
	struct buf b;

	(void)state;
	open_buf(&b, false);                /* a value with no name */
	uc_json_start_object(&b.j);
	uc_json_uint(&b.j, 1);
	uc_json_end_object(&b.j);
	assert_int_equal(take(&b), -1);
	free(b.text);

	open_buf(&b, false);                /* a name in an array */
	uc_json_start_array(&b.j);
	uc_json_name(&b.j, "x");
	assert_int_equal(take(&b), -1);
	free(b.text);

	open_buf(&b, false);                /* unbalanced */
	uc_json_start_object(&b.j);
	uc_json_end_array(&b.j);
	assert_int_equal(take(&b), -1);
	free(b.text);

	open_buf(&b, false);                /* not closed */
	uc_json_start_array(&b.j);
	assert_int_equal(take(&b), -1);
	free(b.text);

	open_buf(&b, false);                /* two documents */
	uc_json_uint(&b.j, 1);
	uc_json_uint(&b.j, 2);
	assert_int_equal(take(&b), -1);
	free(b.text);

	open_buf(&b, false);                /* a name with no value */
	uc_json_start_object(&b.j);
	uc_json_name(&b.j, "x");
	uc_json_end_object(&b.j);
	assert_int_equal(take(&b), -1);
	free(b.text);

	open_buf(&b, false);                /* nothing at all */
	assert_int_equal(take(&b), -1);
	free(b.text);
}

static void test_depth_limit(void **state)
{
	struct buf b;

	(void)state;
	open_buf(&b, false);
	for (int i = 0; i < UC_JSON_MAX_DEPTH; i++)
		uc_json_start_array(&b.j);
	for (int i = 0; i < UC_JSON_MAX_DEPTH; i++)
		uc_json_end_array(&b.j);
	assert_int_equal(take(&b), 0);
	free(b.text);

	open_buf(&b, false);
	for (int i = 0; i <= UC_JSON_MAX_DEPTH; i++)
		uc_json_start_array(&b.j);
	assert_int_equal(take(&b), -1);
	free(b.text);
}

/* A failing stream is reported by finish. */
static void test_write_error(void **state)
{
	struct uc_json j;
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f)
		skip();
	setvbuf(f, NULL, _IONBF, 0);
	uc_json_init(&j, f, false);
	uc_json_string(&j, "lost");
	assert_int_equal(uc_json_finish(&j), -1);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact_document),
		cmocka_unit_test(test_pretty_document),
		cmocka_unit_test(test_top_level_scalars),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_double_round_trip),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
