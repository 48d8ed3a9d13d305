/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_native - the native event file reader on arbitrary bytes. */
#include <stdint.h>
#include <stdio.h>

#include "fuzz_util.h"
#include "input.h"
#include "native_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_counts c = { 0 };
	struct uc_event_sink sink = fuzz_sink(&c);
	struct uc_error err = { "" };
	struct uc_input in;
	int rc;

	uc_input_init_mem(&in, data, size, "fuzz");
	rc = uc_native_read(&in, &sink, NULL, NULL, &err);
	uc_input_close(&in);
	fuzz_check_error(rc, err.msg);
	return 0;
}
