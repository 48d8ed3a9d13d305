/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_sys.c - what the kernel and our credentials must offer before
 * anything is loaded, each failure one actionable sentence (the libbpf
 * error for the same cause would be an errno from deep inside a load).
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "capture_int.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

void uc_cap_info(const struct uc_options *opt, struct uc_capture_info *info)
{
	struct utsname u;
	struct timespec rt, mono;

	memset(info, 0, sizeof(*info));
	info->packet_size = opt->packet_size;
	info->flow_key_size = opt->flow_key_size;
	info->buffer_page_count = opt->buffer_page_count;
	snprintf(info->tool_version, sizeof(info->tool_version), "%.31s", UC_VERSION);
	if (!uname(&u)) {
		snprintf(info->host, sizeof(info->host), "%.63s", u.nodename);
		snprintf(info->kernel, sizeof(info->kernel), "%.63s", u.release);
	}
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	info->start_realtime_ns = (uint64_t)rt.tv_sec * 1000000000u + (uint64_t)rt.tv_nsec;
	info->start_monotonic_ns = (uint64_t)mono.tv_sec * 1000000000u +
				   (uint64_t)mono.tv_nsec;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

int uc_cap_check_btf(struct uc_error *err)
{
	if (!exists("/sys/kernel/btf/vmlinux"))
		return uc_error_set(err, "the kernel has no BTF (/sys/kernel/btf/vmlinux is missing): "
				    "a kernel built with CONFIG_DEBUG_INFO_BTF=y is needed");
	return 0;
}

static bool has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

int uc_cap_check_privileges(struct uc_error *err)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	/* Raw syscall: libcap is not worth a dependency for one call. */
	if (syscall(SYS_capget, &hdr, data))
		return uc_error_set(err, "cannot read our capabilities: %s",
				    strerror(errno));
	if ((has_cap(data, CAP_BPF) && has_cap(data, CAP_PERFMON)) ||
	    has_cap(data, CAP_SYS_ADMIN))
		return 0;
	return uc_error_set(err, "missing privileges: live capture needs CAP_BPF and CAP_PERFMON "
			    "(or CAP_SYS_ADMIN); run it as root");
}

int uc_cap_check_kernel(bool *fentry_ok, bool *kprobe_ok, struct uc_error *err)
{
	static const char *const tracefs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	bool mounted = false, tp = false, kprobe_events = false;
	char path[128];

	if (!exists("/sys/module/openvswitch"))
		return uc_error_set(err, "the openvswitch kernel module is not loaded "
				    "(no tracepoint openvswitch:ovs_dp_upcall); "
				    "load it, or use --probes user");
	/* libbpf finds tracepoint ids in tracefs, so it must be mounted. */
	for (size_t i = 0; i < sizeof(tracefs) / sizeof(tracefs[0]); i++) {
		snprintf(path, sizeof(path), "%s/events", tracefs[i]);
		if (!exists(path))
			continue;
		mounted = true;
		snprintf(path, sizeof(path), "%s/events/openvswitch/ovs_dp_upcall",
			 tracefs[i]);
		tp |= exists(path);
		snprintf(path, sizeof(path), "%s/kprobe_events", tracefs[i]);
		kprobe_events |= exists(path);
	}
	if (!mounted)
		return uc_error_set(err, "tracefs is not mounted (needed to attach tracepoints): "
				    "mount -t tracefs nodev /sys/kernel/tracing");
	if (!tp)
		return uc_error_set(err, "no tracepoint openvswitch:ovs_dp_upcall "
				    "(the openvswitch module of Linux 5.14 or later is needed)");
	/* fentry resolves its target in the module's BTF. */
	*fentry_ok = exists("/sys/kernel/btf/openvswitch");
	/* The kprobe PMU (4.17+), or the legacy tracefs interface. */
	*kprobe_ok = exists("/sys/bus/event_source/devices/kprobe/type") ||
		     kprobe_events;
	if (!*fentry_ok && !*kprobe_ok)
		return uc_error_set(err, "cannot hook ovs_packet_cmd_execute: no fentry "
				    "(no BTF for the openvswitch module) and no kprobes "
				    "(kernel without CONFIG_KPROBES)");
	return 0;
}
