/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_native - the native event file reader on arbitrary bytes. */
#include <stdint.h>
#include <stdio.h>

#include "fuzz_util.h"
#include "native_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_counts c = { 0 };
	struct uc_event_sink sink = fuzz_sink(&c);
	struct uc_error err = { "" };
	FILE *in;
	int rc;

	if (!size)      /* fmemopen() refuses an empty buffer */
		return 0;
	in = fmemopen((void *)data, size, "rb");
	if (!in)
		return 0;
	rc = uc_native_read_stream_warn(in, "fuzz", &sink, NULL, &err);
	fclose(in);
	fuzz_check_error(rc, err.msg);
	return 0;
}
