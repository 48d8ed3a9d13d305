/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_int.h - helpers of capture.c that do not touch BPF: the checks
 * made before loading anything, and everything about the ovs-vswitchd
 * process (finding it, its binary's USDT notes, its datapath port map).
 * Internal to the capture objects.
 */
#ifndef UC_CAPTURE_INT_H
#define UC_CAPTURE_INT_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "event.h"
#include "options.h"
#include "port_map.h"

/* The ovs-vswitchd traced. */
struct uc_cap_target {
	int64_t pid;              /* host PID, -1 when none (kernel probes only) */
	char exe[PATH_MAX];       /* its binary, as that process sees it */
	char usdt_path[PATH_MAX]; /* the ELF file holding the USDT notes, as
				   * we see it (via /proc/PID/root when the
				   * process is in another mount namespace) */
	char ctl[PATH_MAX];       /* its unixctl socket, "" = ovs-appctl's default */
};

/* The USDT probes we attach, in the order of the BPF programs. */
struct uc_usdt_probe {
	const char *provider, *name;
};
#define UC_N_USDT 3
extern const struct uc_usdt_probe uc_usdt_probes[UC_N_USDT];

/* What a recording made now says about itself: the capture settings of
 * OPT, tool version, host, kernel, and the clocks at this moment. */
void uc_cap_info(const struct uc_options *opt, struct uc_capture_info *info);

/* Fails unless the kernel exposes its BTF (/sys/kernel/btf/vmlinux). */
int uc_cap_check_btf(struct uc_error *err);
/* Fails unless we have CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN. */
int uc_cap_check_privileges(struct uc_error *err);
/*
 * For the kernel probes: fails unless the openvswitch module and its
 * tracepoint are there; tells which ways to hook ovs_packet_cmd_execute
 * look usable, and fails when neither does.
 */
int uc_cap_check_kernel(bool *fentry_ok, bool *kprobe_ok, struct uc_error *err);

/*
 * Finds the ovs-vswitchd: WANT_PID if >= 0, else the only process named
 * ovs-vswitchd.  NEED (user probes requested) makes "none" and "several"
 * errors; otherwise T->pid is left -1 and ovs-appctl uses its default.
 */
int uc_cap_find_target(int64_t want_pid, bool need, struct uc_cap_target *t,
		       struct uc_error *err);
/* Sets T->usdt_path to the file with all UC_N_USDT probes, or fails. */
int uc_cap_find_usdt(struct uc_cap_target *t, struct uc_error *err);

/*
 * Runs `ovs-appctl [-t CTL] dpctl/show` (children get signal mask MASK)
 * and parses it into MAP (initialised here).  On failure MAP is empty and
 * invalid, WARN says why and -1 is returned; -ENOMEM is the only hard error.
 */
int uc_cap_dpctl(const struct uc_cap_target *t, const sigset_t *mask,
		 struct uc_port_map *map, char *warn, size_t warn_len);

#endif /* UC_CAPTURE_INT_H */
