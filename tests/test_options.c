/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_options.c - the command line: upcall_cost.py's names, defaults and
 * ranges, argparse's forms, and a one-line error for every bad value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "options.h"
#include "test_util.h"

static int parse(struct uc_options *opt, struct uc_error *err, ...)
{
	char *argv[32] = { "upcall_cost" };
	int argc = 1;
	va_list ap;
	char *a;

	va_start(ap, err);
	while ((a = va_arg(ap, char *)) && argc < 31)
		argv[argc++] = a;
	va_end(ap);
	uc_options_init(opt);
	err->msg[0] = '\0';
	return uc_options_parse(opt, argc, argv, err);
}

static void test_defaults(void **state)
{
	struct uc_options o;
	struct uc_error err;

	(void)state;
	assert_int_equal(parse(&o, &err, NULL), 0);
	assert_int_equal(o.histogram_buckets, 20);
	assert_int_equal(o.buffer_page_count, 1024);
	assert_int_equal(o.packet_size, 256);
	assert_int_equal(o.flow_key_size, 64);
	assert_int_equal(o.pid, -1);
	assert_int_equal(o.stop, 0);
	assert_int_equal(o.debug, 0);
	assert_int_equal(o.top, 10);
	assert_int_equal(o.write_format, UC_FORMAT_NATIVE);
	assert_int_equal(o.probes, UC_PROBES_ALL);
	assert_false(o.quiet || o.sets || o.compat);
}

static void test_forms(void **state)
{
	struct uc_options o;
	struct uc_error err;

	(void)state;
	assert_int_equal(parse(&o, &err, "-P", "128", "-f2048", "--histogram-buckets=5",
			       "--buffer-page-count", "1000", "-qv", "--sets", "-s", "7",
			       "-r", "x.dat", "--handler-filter", "handler1,handler2",
			       "--packet", "130", NULL), 0);
	assert_int_equal(o.packet_size, 130);   /* a unique prefix, last wins */
	assert_int_equal(o.flow_key_size, 2048);
	assert_int_equal(o.histogram_buckets, 5);
	assert_int_equal(o.buffer_page_count, 1024);  /* next power of two */
	assert_true(o.quiet && o.verbose && o.sets);
	assert_int_equal(o.stop, 7);
	assert_string_equal(o.read_events, "x.dat");
	assert_string_equal(o.handler_filter, "handler1,handler2");

	/* -D: bare means 0x3f; a following int (any base) is its value */
	assert_int_equal(parse(&o, &err, "-D", NULL), 0);
	assert_int_equal(o.debug, 0x3f);
	assert_int_equal(parse(&o, &err, "-D", "0x1000000", "-q", NULL), 0);
	assert_int_equal(o.debug, 0x1000000);
	assert_true(o.quiet);

	assert_int_equal(parse(&o, &err, "-w", "f", "--write-format", "py",
			       "--probes", "user", "-p", "42", NULL), 0);
	assert_int_equal(o.write_format, UC_FORMAT_PY);
	assert_int_equal(o.probes, UC_PROBES_USER);
	assert_int_equal(o.pid, 42);

	assert_int_equal(parse(&o, &err, "--compare", "a", "b", "c", "-q", NULL), 0);
	assert_int_equal(o.n_compare, 3);
	assert_string_equal(o.compare[2], "c");
}

static void test_errors(void **state)
{
	static const struct {
		const char *args[4];
		const char *message;
	} cases[] = {
		{ { "-P", "63" }, "argument -P/--packet-size: value not in range 64-2048" },
		{ { "-f", "4096" }, "argument -f/--flow-key-size: value not in range 64-2048" },
		{ { "-P", "12x" }, "argument -P/--packet-size: invalid int value: '12x'" },
		{ { "-b", "-1" }, "argument -b/--histogram-buckets: value not in range 0-10000" },
		{ { "--buffer-page-count", "0" }, "value not in range 1-262144" },
		{ { "-s", "" }, "invalid int value: ''" },
		{ { "-p", "0" }, "argument -p/--pid: value not in range" },
		{ { "-p" }, "argument -p/--pid: expected one argument" },
		{ { "-s", "99999999999999999999" }, "invalid int value" },
		{ { "--probes", "both" }, "argument --probes: invalid choice: 'both'" },
		{ { "--write-format", "json" }, "invalid choice: 'json'" },
		{ { "--bogus" }, "unrecognized arguments: --bogus" },
		{ { "-x" }, "unrecognized arguments: -x" },
		{ { "extra" }, "unrecognized arguments: extra" },
		{ { "--s" }, "ambiguous option: --s" },
		{ { "--json", "x", "--plot", "x" }, "--json and --plot both name \"x\"" },
		{ { "-wx", "--json", "x" }, "--json and -w both name \"x\"" },
		{ { "--plot", "x", "--pcap", "x" }, "--plot and --pcap both name \"x\"" },
		{ { "--h" }, "ambiguous option: --h could match --histogram-buckets, --handler-filter, --help" },
		{ { "-D", "abc" }, "argument -D/--debug: invalid int value: 'abc'" },
		{ { "-r", "a", "--since", "yesterday" }, "argument --since: invalid time: 'yesterday'" },
		{ { "--port", "eth0" }, "The --port option is only valid with the --read-events option!" },
		{ { "--handler-filter", "h1" }, "only valid with the --read-events option" },
		{ { "--compare", "a" }, "expected at least two files" },
		{ { "--quiet=yes" }, "ignored explicit argument 'yes'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct uc_options o;
		struct uc_error err;

		assert_int_equal(parse(&o, &err, cases[i].args[0], cases[i].args[1],
				       cases[i].args[2], cases[i].args[3], NULL), -1);
		if (!strstr(err.msg, cases[i].message))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].message);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
