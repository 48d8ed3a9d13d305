/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * harness_verify.h - the test harnesses' verifier report (capture_harness
 * and monitor_harness, `verify`): after a load, one line per program of
 * OBJ, "NAME SETTINGS loaded: verifier ok, N insns verified", or why it
 * was not loadable here.  The tests grep these lines.
 */
#ifndef UC_HARNESS_VERIFY_H
#define UC_HARNESS_VERIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* Why a program did not load: the caller's WHY_NOT(NAME, CTX), or NULL
 * for the module's BTF. */
typedef const char *(*harness_why_not)(const char *name, const void *ctx);

/* NAME_WIDTH pads the program names; SETTINGS says what was loaded how;
 * BTF: loaded against a stand-in BTF file. */
static inline void harness_report_programs(struct bpf_object *obj, int name_width,
					   const char *settings, bool btf,
					   harness_why_not why_not, const void *ctx)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (!bpf_program__autoload(prog)) {
			const char *why = why_not ? why_not(bpf_program__name(prog), ctx) : NULL;

			printf("  %-*s %s not loadable here: %s\n", name_width,
			       bpf_program__name(prog), settings,
			       why ? why : "needs the openvswitch module's BTF");
			continue;
		}
		bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len);
		printf("  %-*s %s loaded: verifier ok, %u insns verified%s\n", name_width,
		       bpf_program__name(prog), settings, info.verified_insns,
		       btf ? " (CO-RE against the stand-in BTF)" : "");
	}
}

#endif /* UC_HARNESS_VERIFY_H */
