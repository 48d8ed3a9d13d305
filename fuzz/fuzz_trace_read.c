/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_trace_read - what `upcall_cost -r` does with a file: format
 * detection, then the upcall_cost.py text reader (its Python literals) or
 * the native reader.
 */
#include <stdint.h>

#include "fuzz_util.h"
#include "trace_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_counts c = { 0 };
	struct uc_event_sink sink = fuzz_sink(&c);
	struct uc_error err = { "" };
	int rc = uc_trace_read_buffer(data, size, "fuzz", &sink, &err);

	fuzz_check_error(rc, err.msg);
	return 0;
}
