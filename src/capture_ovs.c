/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_ovs.c - the ovs-vswitchd side of a capture: which process, which
 * ELF file carries its USDT probes, and its datapath port map.
 *
 * A vswitchd may run in a container (another mount and PID namespace):
 * its files are then reached through /proc/PID/root, and its unixctl
 * socket is named after its PID in its own namespace (NSpid).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <signal.h>
#include <libelf.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture_int.h"

/*
 * The core three first.  revalidator_sweep__'s result probe is documented
 * as flow_result but named flow_sweep_result in the source (and so in the
 * ELF note): either is taken.
 */
const struct uc_usdt_probe uc_usdt_probes[UC_N_USDT] = {
	{ "dpif_recv", "recv_upcall", UC_USDT_CORE },
	{ "dpif_netlink_operate__", "op_flow_put", UC_USDT_CORE },
	{ "dpif_netlink_operate__", "op_flow_execute", UC_USDT_CORE },
	{ "dpif_netlink_operate__", "op_flow_del", UC_USDT_FORENSICS },
	{ "revalidate", "flow_result", UC_USDT_REASONS },
	{ "revalidator_sweep__", "flow_sweep_result", UC_USDT_REASONS },
	{ "revalidator_sweep__", "flow_result", UC_USDT_REASONS },
};

#define CORE_MASK ((1u << UC_N_USDT_CORE) - 1)

/* Reads a small /proc file into BUF (NUL-terminated); -1 on failure. */
static int read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static bool is_vswitchd(long pid)
{
	char path[64], comm[32];

	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	return !read_small(path, comm, sizeof(comm)) &&
	       !strcmp(comm, "ovs-vswitchd\n");
}

/* The only ovs-vswitchd in /proc, or an error naming what was found. */
static int scan_proc(int64_t *pid, struct uc_error *err)
{
	char list[256] = "";
	size_t len = 0;
	int n = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return uc_error_set(err, "cannot read /proc: %s", strerror(errno));
	while ((de = readdir(d))) {
		char *end;
		long p = strtol(de->d_name, &end, 10);

		if (*end || p <= 0 || !is_vswitchd(p))
			continue;
		if (n++ == 0)
			*pid = p;
		if (len < sizeof(list))
			len += snprintf(list + len, sizeof(list) - len, "%s%ld",
					n > 1 ? ", " : "", p);
	}
	closedir(d);
	if (n == 0)
		return uc_error_set(err, "no ovs-vswitchd running (use -p PID)");
	if (n > 1)
		return uc_error_set(err, "%d ovs-vswitchd processes running (PIDs %s); "
				    "choose one with -p PID", n, list);
	return 0;
}

/* The process's PID in its own PID namespace (last NSpid field). */
static long ns_pid(int64_t pid)
{
	char path[64], buf[4096], *line;
	long last = pid;

	snprintf(path, sizeof(path), "/proc/%lld/status", (long long)pid);
	if (read_small(path, buf, sizeof(buf)))
		return pid;
	line = strstr(buf, "\nNSpid:");
	if (!line)
		return pid;
	for (char *p = line + 7, *end; ; p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		last = v;
	}
	return last;
}

/* True when the process sees the same root directory as we do. */
static bool same_root(int64_t pid)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof(path), "/proc/%lld/root", (long long)pid);
	return !stat(path, &a) && !stat("/", &b) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * Our path to the process's file PATH: PATH itself when we share its root
 * (libbpf then matches it against /proc/PID/maps when it must), else
 * /proc/PID/root/PATH.
 */
static bool host_path(int64_t pid, const char *path, char *out, size_t size)
{
	int n = same_root(pid) ? snprintf(out, size, "%s", path) :
		snprintf(out, size, "/proc/%lld/root%s", (long long)pid, path);

	return n >= 0 && (size_t)n < size;
}

/* True when PATH is the binary process PID runs. */
static bool same_file(const char *path, int64_t pid)
{
	char exe[64];
	struct stat a, b;

	snprintf(exe, sizeof(exe), "/proc/%lld/exe", (long long)pid);
	return !stat(path, &a) && !stat(exe, &b) && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* The unixctl socket under the usual run directories, if there is one. */
static void find_ctl(struct uc_cap_target *t)
{
	const char *dirs[] = {
		getenv("OVS_RUNDIR"), "/var/run/openvswitch", "/run/openvswitch",
		"/usr/local/var/run/openvswitch",
	};
	long nspid = ns_pid(t->pid);
	char name[PATH_MAX];

	t->ctl[0] = '\0';
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (!dirs[i] || !*dirs[i])
			continue;
		snprintf(name, sizeof(name), "%s/ovs-vswitchd.%ld.ctl", dirs[i], nspid);
		if (host_path(t->pid, name, t->ctl, sizeof(t->ctl)) &&
		    !access(t->ctl, F_OK))
			return;
	}
	t->ctl[0] = '\0';
}

int uc_cap_find_target(int64_t want_pid, bool need, struct uc_cap_target *t,
		       struct uc_error *err)
{
	char path[64];
	ssize_t n;

	memset(t, 0, sizeof(*t));
	t->pid = want_pid;
	if (want_pid < 0) {
		struct uc_error ignored;

		/* Kernel probes alone need no process: try, don't insist. */
		if (scan_proc(&t->pid, need ? err : &ignored)) {
			t->pid = -1;
			return need ? -1 : 0;
		}
	}
	snprintf(path, sizeof(path), "/proc/%lld", (long long)t->pid);
	if (access(path, F_OK))
		return uc_error_set(err, "no process with PID %lld", (long long)t->pid);
	if (need && uc_cap_check_ptrace(t->pid, err))
		return -1;
	snprintf(path, sizeof(path), "/proc/%lld/exe", (long long)t->pid);
	n = readlink(path, t->exe, sizeof(t->exe) - 1);
	if (n < 0 && need)
		return uc_error_set(err, "cannot resolve %s: %s", path, strerror(errno));
	t->exe[n < 0 ? 0 : n] = '\0';
	find_ctl(t);
	return 0;
}

/*
 * Sets bit i of *found for each uc_usdt_probes[i] among the stapsdt notes
 * of ELF file PATH.  A note's descriptor is three addresses (pc, base,
 * semaphore) then "provider\0name\0args\0".
 */
static int scan_notes(const char *path, unsigned *found, struct uc_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (fd < 0)
		return uc_error_set(err, "cannot open %s: %s", path, strerror(errno));
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx)) {
		if (elf)
			elf_end(elf);
		close(fd);
		return uc_error_set(err, "%s is not an ELF file", path);
	}
	size_t addr_size = gelf_getclass(elf) == ELFCLASS32 ? 4 : 8;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		GElf_Nhdr nh;
		size_t off = 0, name_off, desc_off;
		const char *sname;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		sname = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!sname || strcmp(sname, ".note.stapsdt"))
			continue;
		data = elf_getdata(scn, NULL);
		while (data && (off = gelf_getnote(data, off, &nh, &name_off, &desc_off))) {
			const char *desc = (const char *)data->d_buf + desc_off;
			const char *end = desc + nh.n_descsz;
			const char *prov = desc + 3 * addr_size, *name;

			if (nh.n_type != 3 || nh.n_namesz != 8 ||
			    memcmp((char *)data->d_buf + name_off, "stapsdt", 8) ||
			    prov >= end)
				continue;
			name = memchr(prov, '\0', end - prov);
			if (!name || ++name >= end || !memchr(name, '\0', end - name))
				continue;
			for (int i = 0; i < UC_N_USDT; i++)
				if (!strcmp(prov, uc_usdt_probes[i].provider) &&
				    !strcmp(name, uc_usdt_probes[i].name))
					*found |= 1u << i;
		}
	}
	elf_end(elf);
	close(fd);
	return 0;
}

/*
 * The OVS library mapped by the process, for builds that link
 * libopenvswitch shared (the probes then live there, not in the binary).
 */
static bool find_ovs_lib(int64_t pid, char *out, size_t size)
{
	char path[64], line[PATH_MAX + 256];
	bool ok = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%lld/maps", (long long)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!ok && fgets(line, sizeof(line), f)) {
		char *file = strchr(line, '/'), *base;
		unsigned maj, min;
		unsigned long long ino;
		struct stat st;

		/* "start-end perms offset MAJ:MIN INODE PATH" */
		if (!file || sscanf(line, "%*s %*s %*s %x:%x %llu", &maj, &min, &ino) != 3)
			continue;
		file[strcspn(file, "\n")] = '\0';
		base = strrchr(file, '/') + 1;
		/* The path as we see it must lead to the very file mapped. */
		if (!strncmp(base, "libopenvswitch", 14))
			ok = host_path(pid, file, out, size) && !stat(out, &st) &&
			     st.st_ino == ino && major(st.st_dev) == maj &&
			     minor(st.st_dev) == min;
	}
	fclose(f);
	return ok;
}

int uc_cap_find_usdt(struct uc_cap_target *t, struct uc_error *err)
{
	unsigned found = 0;
	static const char deleted[] = " (deleted)";
	size_t n = strlen(t->exe);

	/* A binary replaced since the process started (package upgrade)
	 * is still reachable through the exe link. */
	if (n > sizeof(deleted) - 1 && !strcmp(t->exe + n - (sizeof(deleted) - 1), deleted))
		snprintf(t->usdt_path, sizeof(t->usdt_path), "/proc/%lld/exe",
			 (long long)t->pid);
	else if (!host_path(t->pid, t->exe, t->usdt_path, sizeof(t->usdt_path)))
		return uc_error_set(err, "path of %s too long", t->exe);
	else if (!same_file(t->usdt_path, t->pid))
		/* The name does not lead to the binary from here (a container
		 * whose root is not ours but shares our root directory, as a
		 * chroot does): the exe link always does. */
		snprintf(t->usdt_path, sizeof(t->usdt_path), "/proc/%lld/exe",
			 (long long)t->pid);
	if (scan_notes(t->usdt_path, &found, err))
		return -1;
	t->usdt_found = found;
	if ((found & CORE_MASK) != CORE_MASK) {
		char lib[PATH_MAX];
		unsigned lib_found = 0;

		if (find_ovs_lib(t->pid, lib, sizeof(lib)) &&
		    !scan_notes(lib, &lib_found, err) &&
		    (lib_found & CORE_MASK) == CORE_MASK) {
			snprintf(t->usdt_path, sizeof(t->usdt_path), "%s", lib);
			t->usdt_in_lib = true;
			t->usdt_found = lib_found;
			return 0;
		}
		for (int i = 0; i < UC_N_USDT_CORE; i++)
			if (!(found & (1u << i)))
				return uc_error_set(err, "%s (PID %lld) has no USDT probe %s:%s: "
						    "Open vSwitch must be built with ./configure --enable-usdt-probes",
						    t->exe, (long long)t->pid,
						    uc_usdt_probes[i].provider,
						    uc_usdt_probes[i].name);
	}
	return 0;
}

int uc_cap_dpctl(const struct uc_cap_target *t, struct uc_port_map *map,
		 char *warn, size_t warn_len)
{
	char *argv[] = { "ovs-appctl", "--timeout=5", "-t", (char *)t->ctl,
			 "dpctl/show", NULL };
	char *argv_default[] = { "ovs-appctl", "--timeout=5", "dpctl/show", NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	int pfd[2], status = 0, rc;
	char *text = NULL;
	size_t len = 0, cap = 0;
	pid_t child;

	uc_port_map_init(map);
	if (pipe2(pfd, O_CLOEXEC)) {
		snprintf(warn, warn_len, "cannot run ovs-appctl: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawnattr_init(&attr);
	/* Whoever drives the capture may block or ignore signals (a signalfd
	 * needs them blocked): the child starts with the defaults. */
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawnp(&child, "ovs-appctl", &fa, &attr,
			  t->ctl[0] ? argv : argv_default, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(pfd[1]);
	if (rc) {
		close(pfd[0]);
		snprintf(warn, warn_len, "cannot run ovs-appctl: %s", strerror(rc));
		return -1;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 4096) {
			char *p = realloc(text, cap += 65536);

			if (!p) {
				free(text);
				close(pfd[0]);
				waitpid(child, &status, 0);
				return -ENOMEM;
			}
			text = p;
		}
		n = read(pfd[0], text + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	text[len] = '\0';
	close(pfd[0]);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		free(text);
		snprintf(warn, warn_len, "ovs-appctl%s%s dpctl/show failed (%s %d)",
			 t->ctl[0] ? " -t " : "", t->ctl,
			 WIFEXITED(status) ? "exit status" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return -1;
	}
	rc = uc_port_map_parse_dpctl(map, text);
	free(text);
	if (rc)
		return rc;
	map->valid = true;
	return 0;
}
