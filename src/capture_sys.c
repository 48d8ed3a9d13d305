/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_sys.c - what our credentials must allow before anything is
 * loaded, each missing capability named in one sentence (the libbpf error
 * for the same cause would be an EPERM from deep inside a load), and the
 * capture's description of itself.
 */
#include <errno.h>
#include <linux/capability.h>
#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "capture_int.h"

void uc_cap_info(const struct uc_capture_config *opt, struct uc_capture_info *info)
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

/* Our effective capabilities, CAP_* bit n at (n / 32, n % 32). */
static int effective_caps(struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3],
			  struct uc_error *err)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};

	memset(data, 0, sizeof(*data) * _LINUX_CAPABILITY_U32S_3);
	/* Raw syscall: libcap is not worth a dependency for one call. */
	if (syscall(SYS_capget, &hdr, data))
		return uc_error_set(err, "cannot read our capabilities: %s",
				    strerror(errno));
	return 0;
}

bool uc_cap_has(int cap)
{
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	struct uc_error ignored;

	return !effective_caps(d, &ignored) &&
	       (d[cap / 32].effective & (1u << (cap % 32)));
}

/* Reads a small decimal /proc/sys value, or returns DFLT. */
static long sysctl_long(const char *path, long dflt)
{
	FILE *f = fopen(path, "re");
	long v;

	if (!f)
		return dflt;
	if (fscanf(f, "%ld", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

int uc_cap_check_bpf_caps(struct uc_error *err)
{
	bool admin = uc_cap_has(CAP_SYS_ADMIN);

	/* CAP_SYS_ADMIN stands for both (and is the only way before 5.8). */
	if (!admin && !uc_cap_has(CAP_BPF))
		return uc_error_set(err, "missing capability CAP_BPF (or CAP_SYS_ADMIN): "
				    "loading the eBPF programs needs it, with CAP_PERFMON");
	if (!admin && !uc_cap_has(CAP_PERFMON))
		return uc_error_set(err, "missing capability CAP_PERFMON (or CAP_SYS_ADMIN): "
				    "tracing programs and their probes need it, with CAP_BPF");
	/* Debian and Ubuntu patch the kernel so that perf_event_paranoid 3
	 * (their default) closes perf events to all but CAP_SYS_ADMIN. */
	if (!admin && sysctl_long("/proc/sys/kernel/perf_event_paranoid", 2) > 2)
		return uc_error_set(err, "missing capability CAP_SYS_ADMIN: "
				    "kernel.perf_event_paranoid is %ld, which lets only CAP_SYS_ADMIN "
				    "attach probes; grant it, or set kernel.perf_event_paranoid=2",
				    sysctl_long("/proc/sys/kernel/perf_event_paranoid", 2));
	return 0;
}

int uc_cap_check_memlock(bool memcg, uint64_t map_bytes, struct uc_error *err)
{
	/* The large maps, and a margin for the others, programs and BTF. */
	uint64_t need = map_bytes + (8u << 20);
	struct rlimit rl;

	if (memcg || uc_cap_has(CAP_SYS_RESOURCE) || getrlimit(RLIMIT_MEMLOCK, &rl) ||
	    rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return 0;
	return uc_error_set(err, "missing capability CAP_SYS_RESOURCE: this kernel charges "
			    "BPF maps to RLIMIT_MEMLOCK (%llu KiB here, %llu KiB needed) "
			    "and only CAP_SYS_RESOURCE may raise it (or ulimit -l beforehand)",
			    (unsigned long long)rl.rlim_cur / 1024,
			    (unsigned long long)need / 1024);
}

int uc_cap_check_ptrace(int64_t pid, struct uc_error *err)
{
	char path[64], buf[PATH_MAX];

	int e;

	snprintf(path, sizeof(path), "/proc/%lld/exe", (long long)pid);
	if (readlink(path, buf, sizeof(buf)) >= 0 || (errno != EACCES && errno != EPERM))
		return 0;
	e = errno;
	if (!uc_cap_has(CAP_SYS_PTRACE))
		return uc_error_set(err, "missing capability CAP_SYS_PTRACE: the files of "
				    "ovs-vswitchd (PID %lld) under /proc, and attaching "
				    "probes to it, need it (the process has capabilities we lack)",
				    (long long)pid);
	return uc_error_set(err, "cannot read %s: %s", path, strerror(e));
}

int uc_cap_check_uprobes(struct uc_error *err)
{
	struct perf_event_attr attr;
	unsigned type;
	FILE *f;
	int fd;

	if (uc_cap_has(CAP_SYS_ADMIN))
		return 0;
	/* No uprobe PMU: libbpf uses tracefs's uprobe_events instead. */
	f = fopen("/sys/bus/event_source/devices/uprobe/type", "re");
	if (!f)
		return 0;
	if (fscanf(f, "%u", &type) != 1) {
		fclose(f);
		return 0;
	}
	fclose(f);
	/* The PMU checks the caller's capability before it looks at the
	 * path: with none given, it fails at once, EACCES saying that only
	 * CAP_SYS_ADMIN may (the 2025 fix "perf: require CAP_SYS_ADMIN for
	 * uprobes", in stable kernels too), anything else that we may. */
	memset(&attr, 0, sizeof(attr));
	attr.type = type;
	attr.size = sizeof(attr);
	fd = (int)syscall(SYS_perf_event_open, &attr, getpid(), -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno != EACCES)
		return 0;
	return uc_error_set(err, "missing capability CAP_SYS_ADMIN: this kernel lets only "
			    "CAP_SYS_ADMIN attach uprobes (the USDT probes); or trace the "
			    "kernel half alone (--probes kernel)");
}
