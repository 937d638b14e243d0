/*
 * procfs tests: /proc/self and /proc/PID files (stat, status, cmdline,
 * environ, comm, maps, fd/, exe, cwd), the system files (meminfo, cpuinfo,
 * stat, uptime, loadavg, mounts, filesystems, version, sys/kernel),
 * sysfs's /sys/devices/system/cpu, reads at odd offsets and sizes. Each expectation is checked against a syscall
 * that reports the same fact (getpid, uname, sysinfo, readlink, ...), so
 * the same tests pass on Linux and on Exo-OS.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define BIG 65536

/* Reads the whole of @path into a static-size buffer; returns the length, -1 on error. */
static ssize_t read_all(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

static char *slurp(const char *path)
{
	char *buf = malloc(BIG);

	if (!buf)
		return NULL;
	if (read_all(path, buf, BIG) < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The value after "Key:" in a status-style text, or NULL. */
static const char *field(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			p += klen + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			return p;
		}
	}
	return NULL;
}

static long field_long(const char *text, const char *key)
{
	const char *v = field(text, key);

	return v ? strtol(v, NULL, 10) : -1;
}

/* Splits /proc/PID/stat: comm into @comm, the fields after it into @f (f[0] = state). */
static int parse_stat(const char *text, char *comm, size_t commsz, char f[64][32])
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')');
	int n = 0;

	if (!open || !close || close < open)
		return -1;
	snprintf(comm, commsz, "%.*s", (int)(close - open - 1), open + 1);
	for (const char *p = close + 1; *p && n < 64;) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		size_t len = strcspn(p, " \n");

		snprintf(f[n++], 32, "%.*s", (int)len, p);
		p += len;
	}
	return n + 2;	/* pid and comm */
}

static void self_stat(char *comm, size_t commsz, char f[64][32], int *nfields)
{
	char buf[4096];

	ASSERT_GE(read_all("/proc/self/stat", buf, sizeof(buf)), 1);
	*nfields = parse_stat(buf, comm, commsz, f);
	EXPECT_EQ(atoi(buf), getpid());
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static const char *my_comm(void)
{
	static char comm[32];
	const char *base = strrchr(harness_self, '/');

	snprintf(comm, sizeof(comm), "%.15s", base ? base + 1 : harness_self);
	return comm;
}

TEST(procfs, self_is_link_to_pid)
{
	char target[64], want[64];
	ssize_t n = readlink("/proc/self", target, sizeof(target) - 1);
	struct stat st;

	ASSERT_GE(n, 1);
	target[n] = '\0';
	snprintf(want, sizeof(want), "%d", getpid());
	EXPECT_STREQ(target, want);
	EXPECT_OK(lstat("/proc/self", &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	EXPECT_OK(stat("/proc/self", &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
}

TEST(procfs, stat_pid_comm_state_ppid)
{
	char comm[64], f[64][32];
	int n;

	self_stat(comm, sizeof(comm), f, &n);
	EXPECT_STREQ(comm, my_comm());
	EXPECT_STREQ(f[0], "R");
	EXPECT_EQ(atoi(f[1]), getppid());
	EXPECT_EQ(atoi(f[2]), getpgrp());
	EXPECT_EQ(atoi(f[3]), getsid(0));
}

TEST(procfs, stat_has_52_fields)
{
	char comm[64], f[64][32];
	int n;

	self_stat(comm, sizeof(comm), f, &n);
	EXPECT_EQ(n, 52);
	/* num_threads (20), vsize (23) and rss (24), counted from 1. */
	EXPECT_EQ(atoi(f[20 - 3]), 1);
	EXPECT_GT(strtoull(f[23 - 3], NULL, 10), 0);
	EXPECT_GT(strtoull(f[24 - 3], NULL, 10), 0);
}

TEST(procfs, stat_arg_range_is_argv)
{
	char comm[64], f[64][32];
	unsigned long arg_start, arg_end;
	extern char **environ;
	int n;

	self_stat(comm, sizeof(comm), f, &n);
	ASSERT_EQ(n, 52);
	/* arg_start (48) and env_start (50) are where exec put the strings. */
	arg_start = strtoul(f[48 - 3], NULL, 10);
	arg_end = strtoul(f[49 - 3], NULL, 10);
	EXPECT_GT(arg_end, arg_start);
	EXPECT_EQ(strtoul(f[50 - 3], NULL, 10), arg_end);
	EXPECT_TRUE(environ != NULL);
}

TEST(procfs, status_name_pids_uids)
{
	char *s = slurp("/proc/self/status");
	char want[64];

	ASSERT_TRUE(s != NULL);
	snprintf(want, sizeof(want), "%s\n", my_comm());
	EXPECT_TRUE(field(s, "Name") && !strncmp(field(s, "Name"), want, strlen(want)));
	EXPECT_EQ(field_long(s, "Pid"), getpid());
	EXPECT_EQ(field_long(s, "Tgid"), getpid());
	EXPECT_EQ(field_long(s, "PPid"), getppid());
	EXPECT_EQ(field_long(s, "TracerPid"), 0);
	EXPECT_EQ(field_long(s, "Threads"), 1);
	snprintf(want, sizeof(want), "%u\t%u\t%u\t%u\n", getuid(), geteuid(), geteuid(), geteuid());
	EXPECT_TRUE(field(s, "Uid") && !strncmp(field(s, "Uid"), want, strlen(want)));
	snprintf(want, sizeof(want), "%u\t%u\t%u\t%u\n", getgid(), getegid(), getegid(), getegid());
	EXPECT_TRUE(field(s, "Gid") && !strncmp(field(s, "Gid"), want, strlen(want)));
	free(s);
}

TEST(procfs, status_state_umask_sigmasks)
{
	char *s = slurp("/proc/self/status");
	const char *keys[] = { "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt" };

	ASSERT_TRUE(s != NULL);
	EXPECT_TRUE(field(s, "State") && !strncmp(field(s, "State"), "R (running)\n", 12));
	umask(027);
	free(s);
	s = slurp("/proc/self/status");
	ASSERT_TRUE(s != NULL);
	EXPECT_TRUE(field(s, "Umask") && !strncmp(field(s, "Umask"), "0027\n", 5));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = field(s, keys[i]);
		size_t hex = v ? strspn(v, "0123456789abcdef") : 0;

		EXPECT_EQ(hex, 16);
	}
	free(s);
}

static long vm_pte_kb(void)
{
	char *s = slurp("/proc/self/status");
	long kb = s ? field_long(s, "VmPTE") : -1;

	free(s);
	return kb;
}

/*
 * VmPTE counts page-table pages: touching memory in an empty 512 GiB
 * region adds tables, and munmap gives them back, but only once no
 * mapping shares them (the second mapping keeps the 2 MiB table alive).
 */
TEST(procfs, status_vmpte_follows_page_tables)
{
	char *region = (char *)0x400000000000UL;	/* 64 TiB: nothing else in its PML4 slot */
	long base = vm_pte_kb();
	char *a, *b;

	ASSERT_TRUE(base >= 0);
	a = mmap(region, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	b = mmap(region + 8192, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ASSERT_TRUE(a == region && b == region + 8192);
	a[0] = b[0] = 1;
	EXPECT_GE(vm_pte_kb(), base + 12);
	ASSERT_OK(munmap(a, 4096));
	EXPECT_GE(vm_pte_kb(), base + 12);
	ASSERT_OK(munmap(b, 4096));
	EXPECT_EQ(vm_pte_kb(), base);
}

struct parked_thread {
	int tid;
	int release[2];		/* the thread exits when this pipe is closed */
	int ready[2];
};

static void *park(void *arg)
{
	struct parked_thread *pt = arg;
	char c;

	pt->tid = (int)syscall(SYS_gettid);
	(void)!write(pt->ready[1], "r", 1);
	(void)!read(pt->release[0], &c, 1);
	return NULL;
}

static bool dir_has(const char *path, int n)
{
	char want[16];
	struct dirent *e;
	DIR *d = opendir(path);
	bool found = false;

	if (!d)
		return false;
	snprintf(want, sizeof(want), "%d", n);
	while ((e = readdir(d)))
		found |= !strcmp(e->d_name, want);
	closedir(d);
	return found;
}

/* /proc/PID/task lists every thread; /proc/TID resolves but /proc lists only processes. */
TEST(procfs, task_dir_and_thread_ids)
{
	struct parked_thread pt;
	char path[64], link[64], want[64];
	pthread_t th;
	char c, *s;
	ssize_t n;

	ASSERT_OK(pipe(pt.release));
	ASSERT_OK(pipe(pt.ready));
	ASSERT_EQ(pthread_create(&th, NULL, park, &pt), 0);
	ASSERT_EQ(read(pt.ready[0], &c, 1), 1);
	EXPECT_TRUE(dir_has("/proc/self/task", getpid()));
	EXPECT_TRUE(dir_has("/proc/self/task", pt.tid));
	EXPECT_TRUE(!dir_has("/proc", pt.tid));
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", pt.tid);
	s = slurp(path);
	ASSERT_TRUE(s != NULL);
	EXPECT_EQ(field_long(s, "Pid"), pt.tid);
	EXPECT_EQ(field_long(s, "Tgid"), getpid());
	free(s);
	snprintf(path, sizeof(path), "/proc/%d/status", pt.tid);
	s = slurp(path);
	ASSERT_TRUE(s != NULL);
	EXPECT_EQ(field_long(s, "Pid"), pt.tid);
	free(s);
	n = readlink("/proc/thread-self", link, sizeof(link) - 1);
	ASSERT_TRUE(n > 0);
	link[n] = '\0';
	snprintf(want, sizeof(want), "%d/task/%d", getpid(), getpid());
	EXPECT_STREQ(link, want);
	close(pt.release[1]);
	ASSERT_EQ(pthread_join(th, NULL), 0);
	snprintf(path, sizeof(path), "/proc/self/task/%d", pt.tid);
	EXPECT_ERRNO(access(path, F_OK), ENOENT);
	EXPECT_TRUE(!dir_has("/proc/self/task", pt.tid));
}

static int open_fd_link(int fd, int flags)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, flags);
}

/* fd links are magic: they reach pipes, deleted and renamed files, not their names. */
TEST(procfs, fd_links_open_the_file_itself)
{
	struct stat a, b;
	char buf[8] = { 0 };
	int p[2], s[2], fd, again;

	ASSERT_OK(pipe(p));
	fd = ASSERT_OK(open_fd_link(p[1], O_WRONLY));
	ASSERT_EQ(write(fd, "hi", 2), 2);
	close(fd);
	fd = ASSERT_OK(open_fd_link(p[0], O_RDONLY));
	ASSERT_OK(fstat(fd, &a));
	EXPECT_TRUE(S_ISFIFO(a.st_mode));
	EXPECT_EQ(read(fd, buf, sizeof(buf)), 2);
	EXPECT_STREQ(buf, "hi");
	close(fd);

	write_file("f", "data", 4, 0644);
	fd = ASSERT_OK(open("f", O_RDONLY));
	ASSERT_OK(rename("f", "g"));
	again = ASSERT_OK(open_fd_link(fd, O_RDONLY));
	ASSERT_OK(fstat(fd, &a));
	ASSERT_OK(fstat(again, &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	close(again);
	ASSERT_OK(unlink("g"));
	again = ASSERT_OK(open_fd_link(fd, O_RDONLY));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(read(again, buf, sizeof(buf)), 4);
	EXPECT_STREQ(buf, "data");
	close(again);

	/* An anonymous pipe never waits for its other end, as a FIFO would. */
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	fd = ASSERT_OK(open_fd_link(p[1], O_WRONLY | O_NONBLOCK));
	EXPECT_ERRNO(write(fd, "x", 1), EPIPE);
	close(fd);

	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_ERRNO(open_fd_link(s[0], O_RDWR), ENXIO);
	/* Past a link to a pipe, the walk needs a directory. */
	{
		char path[48];

		snprintf(path, sizeof(path), "/proc/self/fd/%d/x", p[1]);
		EXPECT_ERRNO(access(path, F_OK), ENOTDIR);
	}
}

static void read_dev_stdin(void *arg)
{
	char buf[8] = { 0 };
	int fd = ASSERT_OK(open("/dev/stdin", O_RDONLY));

	(void)arg;
	EXPECT_EQ(read(fd, buf, sizeof(buf)), 3);
	EXPECT_STREQ(buf, "abc");
}

TEST(procfs, dev_stdin_reaches_a_pipe)
{
	int p[2], saved = ASSERT_OK(dup(0)), st;

	ASSERT_OK(pipe(p));
	ASSERT_EQ(write(p[1], "abc", 3), 3);
	close(p[1]);
	ASSERT_OK(dup2(p[0], 0));
	st = run_child(read_dev_stdin, NULL);
	ASSERT_OK(dup2(saved, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* cwd is magic too: it follows the directory through a rename. */
TEST(procfs, cwd_link_follows_a_renamed_directory)
{
	char here[PATH_MAX];
	struct stat st;

	ASSERT_TRUE(getcwd(here, sizeof(here)) != NULL);
	ASSERT_OK(mkdir("d", 0755));
	ASSERT_OK(chdir("d"));
	ASSERT_OK(rename("../d", "../e"));
	close(ASSERT_OK(open("/proc/self/cwd/x", O_CREAT | O_WRONLY, 0644)));
	ASSERT_OK(chdir(here));
	EXPECT_OK(stat("e/x", &st));
}

TEST(procfs, status_vm_sizes)
{
	char *s = slurp("/proc/self/status");
	long size, rss, peak;

	ASSERT_TRUE(s != NULL);
	size = field_long(s, "VmSize");
	rss = field_long(s, "VmRSS");
	peak = field_long(s, "VmPeak");
	EXPECT_GT(size, 0);
	EXPECT_GT(rss, 0);
	EXPECT_LE(rss, size);
	EXPECT_GE(peak, size);
	EXPECT_TRUE(strstr(field(s, "VmSize"), " kB\n") != NULL);
	EXPECT_GT(field_long(s, "FDSize"), 0);
	free(s);
}

TEST(procfs, cmdline_is_argv)
{
	char *argv[] = { "first", HELPER_ARG, "procfile", "/proc/self/cmdline", "", "x y", NULL };
	char *envp[] = { NULL };
	char out[512];

	EXPECT_EQ(run_capture(harness_self, argv, envp, out, sizeof(out)), 0);
	EXPECT_STREQ(out, "first|" HELPER_ARG "|procfile|/proc/self/cmdline||x y|");
}

TEST(procfs, environ_has_exec_variables)
{
	char *argv[] = { "x", HELPER_ARG, "procfile", "/proc/self/environ", NULL };
	char *envp[] = { "PROCFS_TEST=42", "EMPTY=", NULL };
	char out[512];

	EXPECT_EQ(run_capture(harness_self, argv, envp, out, sizeof(out)), 0);
	EXPECT_STREQ(out, "PROCFS_TEST=42|EMPTY=|");
}

TEST(procfs, comm_is_name)
{
	char buf[64], want[64];

	ASSERT_GE(read_all("/proc/self/comm", buf, sizeof(buf)), 1);
	snprintf(want, sizeof(want), "%s\n", my_comm());
	EXPECT_STREQ(buf, want);
}

TEST(procfs, maps_stack_and_heap)
{
	unsigned long cur = (unsigned long)syscall(SYS_brk, 0), now;
	char line[512];
	int on_stack;

	now = (unsigned long)syscall(SYS_brk, cur + 4 * 4096);
	ASSERT_EQ(now, cur + 4 * 4096);
	((volatile char *)cur)[0] = 1;
	ASSERT_TRUE(maps_line_for(cur, line, sizeof(line)));
	EXPECT_TRUE(strstr(line, "[heap]") != NULL);
	EXPECT_TRUE(strstr(line, " rw-p ") != NULL);
	ASSERT_TRUE(maps_line_for((unsigned long)&on_stack, line, sizeof(line)));
	EXPECT_TRUE(strstr(line, "[stack]") != NULL);
	syscall(SYS_brk, cur);
}

TEST(procfs, maps_format_and_code)
{
	char line[512], perms[8], dev[16], path[512];
	unsigned long lo, hi, off, ino;
	char self[PATH_MAX];

	ASSERT_TRUE(maps_line_for((unsigned long)&maps_line_for, line, sizeof(line)));
	ASSERT_EQ(sscanf(line, "%lx-%lx %7s %lx %15s %lu %511s", &lo, &hi, perms, &off, dev, &ino,
			 path), 7);
	EXPECT_EQ(strlen(perms), 4);
	EXPECT_EQ(perms[0], 'r');
	EXPECT_EQ(perms[2], 'x');
	EXPECT_EQ(perms[3], 'p');
	EXPECT_EQ(lo % 4096, 0);
	EXPECT_GT(ino, 0);
	ASSERT_TRUE(realpath(harness_self, self) != NULL);
	EXPECT_STREQ(path, self);
	/* The path starts in column 73, as Linux pads it. */
	EXPECT_EQ(strchr(line, '/') - line, 73);
}

TEST(procfs, maps_file_mapping)
{
	char line[512], cwd[PATH_MAX], want[PATH_MAX + 16];
	char buf[3 * 4096];
	int fd;
	char *p;

	memset(buf, 'm', sizeof(buf));
	write_file("mapped", buf, sizeof(buf), 0644);
	fd = ASSERT_OK(open("mapped", O_RDONLY));
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 8192);
	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_TRUE(maps_line_for((unsigned long)p, line, sizeof(line)));
	ASSERT_TRUE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(want, sizeof(want), "%s/mapped", cwd);
	EXPECT_TRUE(strstr(line, " r--s 00002000 ") != NULL);
	EXPECT_STREQ(strrchr(line, ' ') + 1, want);
	munmap(p, 4096);
	close(fd);
}

static int fd_listed(int fd)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int found = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (isdigit((unsigned char)e->d_name[0]) && atoi(e->d_name) == fd)
			found = 1;
	closedir(d);
	return found;
}

TEST(procfs, fd_dir_lists_open_files)
{
	char link[64], target[PATH_MAX], cwd[PATH_MAX], want[PATH_MAX + 16];
	int fd;
	ssize_t n;

	write_file("afile", "x", 1, 0644);
	/* A high fd: opendir() would take a low one just closed. */
	fd = ASSERT_OK(dup2(ASSERT_OK(open("afile", O_RDONLY)), 40));
	EXPECT_EQ(fd_listed(fd), 1);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	ASSERT_GE(n, 1);
	target[n] = '\0';
	ASSERT_TRUE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(want, sizeof(want), "%s/afile", cwd);
	EXPECT_STREQ(target, want);
	close(fd);
	EXPECT_EQ(fd_listed(fd), 0);
	EXPECT_ERRNO(readlink(link, target, sizeof(target)), ENOENT);
}

TEST(procfs, fd_link_dev_null_and_open_through_it)
{
	char target[64], buf[8];
	int fd = ASSERT_OK(open("/dev/null", O_WRONLY)), fd2;
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	ASSERT_GE(n, 1);
	target[n] = '\0';
	EXPECT_STREQ(target, "/dev/null");
	fd2 = ASSERT_OK(open(link, O_RDONLY));
	EXPECT_EQ(read(fd2, buf, sizeof(buf)), 0);
	close(fd2);
	close(fd);
}

TEST(procfs, exe_is_this_binary)
{
	char target[PATH_MAX], self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", target, sizeof(target) - 1);

	ASSERT_GE(n, 1);
	target[n] = '\0';
	ASSERT_TRUE(realpath(harness_self, self) != NULL);
	EXPECT_STREQ(target, self);
}

TEST(procfs, cwd_follows_chdir)
{
	char target[PATH_MAX], cwd[PATH_MAX];
	ssize_t n;

	ASSERT_OK(mkdir("sub", 0755));
	ASSERT_OK(chdir("sub"));
	ASSERT_TRUE(getcwd(cwd, sizeof(cwd)) != NULL);
	n = readlink("/proc/self/cwd", target, sizeof(target) - 1);
	ASSERT_GE(n, 1);
	target[n] = '\0';
	EXPECT_STREQ(target, cwd);
	ASSERT_OK(chdir("/"));
	n = readlink("/proc/self/cwd", target, sizeof(target) - 1);
	ASSERT_GE(n, 1);
	target[n] = '\0';
	EXPECT_STREQ(target, "/");
}

TEST(procfs, meminfo_matches_sysinfo)
{
	char *m = slurp("/proc/meminfo");
	struct sysinfo si;
	long total, free_kb, avail;

	ASSERT_TRUE(m != NULL);
	ASSERT_OK(sysinfo(&si));
	total = field_long(m, "MemTotal");
	free_kb = field_long(m, "MemFree");
	avail = field_long(m, "MemAvailable");
	EXPECT_EQ((unsigned long long)total * 1024,
		  (unsigned long long)si.totalram * si.mem_unit);
	EXPECT_GT(free_kb, 0);
	EXPECT_LE(free_kb, total);
	EXPECT_LE(avail, total);
	EXPECT_TRUE(!strncmp(m, "MemTotal:", 9));
	free(m);
}

TEST(procfs, meminfo_linux_fields_in_order)
{
	static const char *const names[] = {
		"MemTotal:", "MemFree:", "MemAvailable:", "Buffers:", "Cached:", "SwapCached:",
		"Active:", "Inactive:", "SwapTotal:", "SwapFree:", "Dirty:", "AnonPages:",
		"Mapped:", "Shmem:", "Slab:",
	};
	char *m = slurp("/proc/meminfo");
	const char *at;

	ASSERT_TRUE(m != NULL);
	at = m;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char key[32];
		const char *p;

		snprintf(key, sizeof(key), "\n%s", names[i]);
		p = i ? strstr(at, key) : (strncmp(m, names[0], strlen(names[0])) ? NULL : m);
		EXPECT_TRUE(p != NULL);
		if (p)
			at = p + 1;
	}
	free(m);
}

static long meminfo_kb(const char *name)
{
	char *m = slurp("/proc/meminfo");
	long v;

	ASSERT_TRUE(m != NULL);
	v = field_long(m, name);
	free(m);
	return v;
}

static void *park_thread(void *arg)
{
	volatile int *go = arg;

	while (!*go)
		usleep(1000);
	return NULL;
}

/*
 * Slab, KernelStack and PageTables count what the kernel holds: 16 threads
 * add their kernel stacks, and touching one page in each of 64 2 MiB regions
 * adds 64 page tables. Bounds are half the expected growth, so that other
 * activity on a Linux host does not matter.
 */
TEST(procfs, meminfo_counts_stacks_page_tables_and_slab)
{
	const size_t region = 2UL << 20, nregions = 64;
	long stacks0 = meminfo_kb("KernelStack"), tables0 = meminfo_kb("PageTables");
	static volatile int go;
	pthread_t t[16];
	char *map;

	EXPECT_GT(meminfo_kb("Slab"), 0);
	EXPECT_GT(meminfo_kb("VmallocUsed"), 0);
	go = 0;
	for (int i = 0; i < 16; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, park_thread, (void *)&go), 0);
	EXPECT_GE(meminfo_kb("KernelStack") - stacks0, 16 * 16 / 2);
	go = 1;
	for (int i = 0; i < 16; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);

	map = mmap(NULL, region * nregions, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_TRUE(map != MAP_FAILED);
	/* A huge page would need no page table: ask for small ones (Linux with THP). */
	ASSERT_OK(madvise(map, region * nregions, MADV_NOHUGEPAGE));
	for (size_t i = 0; i < nregions; i++)
		map[i * region] = 1;
	EXPECT_GE(meminfo_kb("PageTables") - tables0, (long)nregions * 4 / 2);
	ASSERT_OK(munmap(map, region * nregions));
}

TEST(procfs, cpuinfo_one_block_per_cpu)
{
	char *c = slurp("/proc/cpuinfo");
	long procs = 0;

	ASSERT_TRUE(c != NULL);
	for (const char *p = c; (p = strstr(p, "processor\t: ")); p++)
		if (p == c || p[-1] == '\n')
			procs++;
	EXPECT_EQ(procs, sysconf(_SC_NPROCESSORS_ONLN));
	EXPECT_TRUE(strstr(c, "\nvendor_id\t: ") != NULL);
	EXPECT_TRUE(strstr(c, "\nmodel name\t: ") != NULL);
	EXPECT_TRUE(strstr(c, "\ncpu MHz\t\t: ") != NULL);
	EXPECT_TRUE(strstr(c, "\nflags\t\t: ") != NULL);
	EXPECT_TRUE(strstr(c, " fpu ") != NULL);
	EXPECT_TRUE(strstr(c, "\naddress sizes\t: ") != NULL);
	free(c);
}

TEST(procfs, stat_cpu_lines_and_btime)
{
	char *s = slurp("/proc/stat");
	long cpus = 0, btime;
	unsigned long long v[4];
	struct sysinfo si;

	ASSERT_TRUE(s != NULL);
	EXPECT_EQ(sscanf(s, "cpu  %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3]), 4);
	for (const char *p = s; (p = strstr(p, "\ncpu")); p++)
		if (isdigit((unsigned char)p[4]))
			cpus++;
	EXPECT_EQ(cpus, sysconf(_SC_NPROCESSORS_ONLN));
	ASSERT_TRUE(strstr(s, "\nbtime ") != NULL);
	btime = atol(strstr(s, "\nbtime ") + 7);
	ASSERT_OK(sysinfo(&si));
	EXPECT_LE(labs(btime + (long)si.uptime - (long)time(NULL)), 2);
	EXPECT_TRUE(strstr(s, "\nctxt ") != NULL);
	EXPECT_TRUE(strstr(s, "\nprocesses ") != NULL);
	EXPECT_TRUE(strstr(s, "\nprocs_running ") != NULL);
	EXPECT_GE(atol(strstr(s, "\nprocs_running ") + 15), 1);
	EXPECT_TRUE(strstr(s, "\nintr ") != NULL);
	free(s);
}

static double uptime_now(void)
{
	char buf[128];
	double up = -1, idle = -1;

	if (read_all("/proc/uptime", buf, sizeof(buf)) <= 0)
		return -1;
	if (sscanf(buf, "%lf %lf", &up, &idle) != 2 || idle < 0)
		return -1;
	return up;
}

TEST(procfs, uptime_increases_and_matches_sysinfo)
{
	double a = uptime_now(), b;
	struct sysinfo si;

	ASSERT_GE(a, 0);
	sleep_ms(60);
	b = uptime_now();
	EXPECT_GT(b * 100, a * 100);
	ASSERT_OK(sysinfo(&si));
	EXPECT_LE(labs((long)b - (long)si.uptime), 1);
}

TEST(procfs, loadavg_parses)
{
	char buf[128];
	double l1, l5, l15;
	int running, total, last;

	ASSERT_GE(read_all("/proc/loadavg", buf, sizeof(buf)), 1);
	ASSERT_EQ(sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &total, &last), 6);
	EXPECT_GE(l1, 0);
	EXPECT_GE(l15, 0);
	EXPECT_GE(running, 1);
	EXPECT_GE(total, running);
	EXPECT_GT(last, 0);
	EXPECT_TRUE(strchr(buf, '\n') == buf + strlen(buf) - 1);
}

TEST(procfs, mounts_lists_root_and_proc)
{
	char *m = slurp("/proc/mounts"), *self;
	int root = 0, proc = 0;

	ASSERT_TRUE(m != NULL);
	for (char *line = m; *line;) {
		char dev[128], dir[256], type[64], opts[256];
		int a, b;
		char *nl = strchr(line, '\n');

		if (sscanf(line, "%127s %255s %63s %255s %d %d", dev, dir, type, opts, &a, &b) == 6) {
			root |= !strcmp(dir, "/");
			proc |= !strcmp(dir, "/proc") && !strcmp(type, "proc");
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	EXPECT_TRUE(root);
	EXPECT_TRUE(proc);
	self = slurp("/proc/self/mounts");
	ASSERT_TRUE(self != NULL);
	EXPECT_STREQ(self, m);
	free(self);
	free(m);
}

/*
 * /proc/self/mountinfo (what libmount and coreutils' df read; df failed on
 * Exo-OS without it): the mounts of /proc/self/mounts in the same order,
 * with the same mount points, types and sources, distinct mount ids, and
 * the st_dev of each mount point's root as major:minor.
 */
TEST(procfs, mountinfo_matches_mounts)
{
	char *info = slurp("/proc/self/mountinfo"), *mounts = slurp("/proc/self/mounts");
	char *il, *ml, *isave, *msave;
	dev_t root_dev = (dev_t)-1, proc_dev = (dev_t)-1;
	int ids[256], n = 0;
	struct stat st;

	ASSERT_TRUE(info != NULL);
	ASSERT_TRUE(mounts != NULL);
	for (il = strtok_r(info, "\n", &isave), ml = strtok_r(mounts, "\n", &msave); il && ml;
	     il = strtok_r(NULL, "\n", &isave), ml = strtok_r(NULL, "\n", &msave), n++) {
		char dir[256], mroot[256], opts[256], type[64], src[128];
		char mdir[256], mtype[64], msrc[128];
		unsigned int major, minor;
		int id, parent;
		char *dash = strstr(il, " - ");

		ASSERT_EQ(sscanf(il, "%d %d %u:%u %255s %255s %255s", &id, &parent, &major, &minor,
				 mroot, dir, opts), 7);
		ASSERT_TRUE(dash != NULL);
		ASSERT_EQ(sscanf(dash, " - %63s %127s", type, src), 2);
		ASSERT_EQ(sscanf(ml, "%127s %255s %63s", msrc, mdir, mtype), 3);
		EXPECT_STREQ(dir, mdir);
		EXPECT_STREQ(type, mtype);
		EXPECT_STREQ(src, msrc);
		EXPECT_TRUE(!strncmp(opts, "ro", 2) || !strncmp(opts, "rw", 2));
		for (int k = 0; k < n && k < 256; k++)
			EXPECT_NE(ids[k], id);
		if (n < 256)
			ids[n] = id;
		/* The last mount on / and on /proc is the one stat sees (mounts stack). */
		if (!strcmp(dir, "/"))
			root_dev = makedev(major, minor);
		if (!strcmp(dir, "/proc"))
			proc_dev = makedev(major, minor);
	}
	EXPECT_TRUE(il == NULL && ml == NULL);
	ASSERT_OK(stat("/", &st));
	EXPECT_EQ(root_dev, st.st_dev);
	ASSERT_OK(stat("/proc", &st));
	EXPECT_EQ(proc_dev, st.st_dev);
	free(info);
	free(mounts);
}

/*
 * A disk file system's st_dev is its disk's number, as Linux's block file
 * systems report (Exo-OS's ext4 gave an anonymous 0:N): for each ext2/3/4
 * mount of a block device node, mountinfo's major:minor is the node's
 * st_rdev and the mount point's st_dev (unless another mount hides it).
 */
TEST(procfs, ext4_st_dev_is_the_disk)
{
	char *info = slurp("/proc/self/mountinfo"), *line, *save;

	ASSERT_TRUE(info != NULL);
	for (line = strtok_r(info, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char dir[256], type[64], src[128];
		unsigned int major, minor;
		struct stat dev, mnt;
		char *dash = strstr(line, " - ");

		if (sscanf(line, "%*d %*d %u:%u %*s %255s", &major, &minor, dir) != 3 || !dash ||
		    sscanf(dash, " - %63s %127s", type, src) != 2 || strncmp(type, "ext", 3))
			continue;
		if (stat(src, &dev) || !S_ISBLK(dev.st_mode))
			continue;
		EXPECT_EQ(makedev(major, minor), dev.st_rdev);
		if (!stat(dir, &mnt) && mnt.st_dev == makedev(major, minor))
			EXPECT_EQ(mnt.st_dev, dev.st_rdev);
	}
	free(info);
}

/*
 * /proc/consoles (init systems find the tty behind /dev/console in it):
 * each line names a device whose /dev node has the major:minor printed,
 * in Linux's columns, and one of them is the console device (C).
 */
TEST(procfs, consoles_name_their_tty)
{
	char *text = slurp("/proc/consoles"), *line, *save;
	int consdev = 0;

	ASSERT_TRUE(text != NULL);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64], rwu[8], flags[16], path[80];
		unsigned int major, minor;
		struct stat st;

		ASSERT_EQ(sscanf(line, "%63s %7s (%15[^)]) %u:%u", name, rwu, flags, &major, &minor), 5);
		EXPECT_EQ(line[21 - 1], ' ');
		EXPECT_EQ(line[21], rwu[0]);
		EXPECT_EQ(strlen(rwu), 3u);
		EXPECT_EQ(rwu[1], 'W');
		consdev += strchr(flags, 'C') != NULL;
		snprintf(path, sizeof(path), "/dev/%s", name);
		if (stat(path, &st) == 0) {
			EXPECT_TRUE(S_ISCHR(st.st_mode));
			EXPECT_EQ(major(st.st_rdev), major);
			EXPECT_EQ(minor(st.st_rdev), minor);
		}
	}
	EXPECT_GE(consdev, 1);
	free(text);
}

/* The "dev" file (major:minor) under @dir, without its newline, into @buf; false if none. */
static bool read_devno(const char *dir, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/dev", dir);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}

/*
 * /sys/dev/block/MAJ:MIN (lsblk finds devices by number there; it failed
 * on Exo-OS without it): every disk of /sys/block and each of its
 * partitions has an entry named by its dev file, leading to a directory
 * with the same dev file.
 */
TEST(procfs, sys_dev_block_names_every_disk)
{
	DIR *disks = opendir("/sys/block");
	struct dirent *d, *p;
	int checked = 0;

	ASSERT_TRUE(disks != NULL);
	ASSERT_OK(access("/sys/dev/block", R_OK | X_OK));
	while ((d = readdir(disks)) != NULL) {
		char dir[PATH_MAX], devno[32], via[PATH_MAX], again[32];
		DIR *parts;

		if (d->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "/sys/block/%s", d->d_name);
		ASSERT_TRUE(read_devno(dir, devno, sizeof(devno)));
		snprintf(via, sizeof(via), "/sys/dev/block/%s", devno);
		EXPECT_TRUE(read_devno(via, again, sizeof(again)) && !strcmp(again, devno));
		checked++;
		parts = opendir(dir);
		ASSERT_TRUE(parts != NULL);
		while ((p = readdir(parts)) != NULL) {
			char part[PATH_MAX + 256];

			if (strncmp(p->d_name, d->d_name, strlen(d->d_name)) || !p->d_name[strlen(d->d_name)])
				continue;
			snprintf(part, sizeof(part), "%s/%s", dir, p->d_name);
			if (!read_devno(part, devno, sizeof(devno)))
				continue;
			snprintf(via, sizeof(via), "/sys/dev/block/%s", devno);
			EXPECT_TRUE(read_devno(via, again, sizeof(again)) && !strcmp(again, devno));
			checked++;
		}
		closedir(parts);
	}
	closedir(disks);
	(void)checked;	/* none when the machine has no disk */
}

TEST(procfs, filesystems_lists_proc)
{
	char buf[4096];

	ASSERT_GE(read_all("/proc/filesystems", buf, sizeof(buf)), 1);
	EXPECT_TRUE(strstr(buf, "nodev\tproc\n") != NULL);
	EXPECT_TRUE(strstr(buf, "\ttmpfs\n") != NULL);
}

TEST(procfs, version_and_sys_kernel_match_uname)
{
	char buf[512], want[512];
	struct utsname u;

	ASSERT_OK(uname(&u));
	ASSERT_GE(read_all("/proc/version", buf, sizeof(buf)), 1);
	snprintf(want, sizeof(want), "Linux version %s ", u.release);
	EXPECT_TRUE(!strncmp(buf, want, strlen(want)));
	ASSERT_GE(read_all("/proc/sys/kernel/hostname", buf, sizeof(buf)), 1);
	snprintf(want, sizeof(want), "%s\n", u.nodename);
	EXPECT_STREQ(buf, want);
	ASSERT_GE(read_all("/proc/sys/kernel/ostype", buf, sizeof(buf)), 1);
	snprintf(want, sizeof(want), "%s\n", u.sysname);
	EXPECT_STREQ(buf, want);
	ASSERT_GE(read_all("/proc/sys/kernel/osrelease", buf, sizeof(buf)), 1);
	snprintf(want, sizeof(want), "%s\n", u.release);
	EXPECT_STREQ(buf, want);
}

TEST(procfs, hostname_write_needs_root)
{
	if (geteuid() == 0)
		return;	/* root may write it: not tried, it is the host's name on Linux */
	EXPECT_ERRNO(open("/proc/sys/kernel/hostname", O_WRONLY), EACCES);
}

/* The state letter of /proc/@pid/stat, or 0 when it cannot be read. */
static char pid_state(pid_t pid, pid_t *ppid)
{
	char path[64], buf[1024], comm[64], f[64][32];

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_all(path, buf, sizeof(buf)) <= 0 || parse_stat(buf, comm, sizeof(comm), f) < 4)
		return 0;
	if (ppid)
		*ppid = atoi(f[1]);
	return f[0][0];
}

TEST(procfs, zombie_child_shows_z)
{
	pid_t pid = ASSERT_OK(fork()), ppid = 0;
	char state = 0;
	int status;

	if (pid == 0)
		_exit(3);
	for (int i = 0; i < 200 && state != 'Z'; i++) {
		state = pid_state(pid, &ppid);
		if (state != 'Z')
			sleep_ms(5);
	}
	EXPECT_EQ(state, 'Z');
	EXPECT_EQ(ppid, getpid());
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(pid_state(pid, NULL), 0);
}

TEST(procfs, sleeping_child_shows_s_and_dir_goes_with_it)
{
	pid_t pid = ASSERT_OK(fork());
	char state = 0, path[64];
	struct stat st;
	int status;

	if (pid == 0) {
		sleep_ms(300);
		_exit(0);
	}
	for (int i = 0; i < 100 && state != 'S'; i++) {
		state = pid_state(pid, NULL);
		if (state != 'S')
			sleep_ms(2);
	}
	EXPECT_EQ(state, 'S');
	snprintf(path, sizeof(path), "/proc/%d", pid);
	EXPECT_OK(stat(path, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ(st.st_uid, geteuid());
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_ERRNO(stat(path, &st), ENOENT);
}

TEST(procfs, readdir_lists_self_pid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int self = 0, meminfo = 0;

	ASSERT_TRUE(d != NULL);
	while ((e = readdir(d))) {
		if (atoi(e->d_name) == getpid()) {
			self = 1;
			EXPECT_EQ(e->d_type, DT_DIR);
		}
		meminfo |= !strcmp(e->d_name, "meminfo");
	}
	closedir(d);
	EXPECT_TRUE(self);
	EXPECT_TRUE(meminfo);
}

/* Reads @path one byte per read(); returns the length. */
static ssize_t read_bytewise(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;

	if (fd < 0)
		return -1;
	while (len < size - 1 && read(fd, buf + len, 1) == 1)
		len++;
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

TEST(procfs, bytewise_read_equals_full_read)
{
	static const char *const files[] = { "/proc/self/stat", "/proc/self/status",
					     "/proc/filesystems", "/proc/version" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		static char a[BIG], b[BIG];
		int same = 0;

		/* Counters may move between the two reads: a few tries. */
		for (int tries = 0; tries < 5 && !same; tries++) {
			ssize_t na = read_bytewise(files[i], a, sizeof(a));
			ssize_t nb = read_all(files[i], b, sizeof(b));

			same = na > 0 && na == nb && !memcmp(a, b, (size_t)na);
		}
		if (!same)
			harness_fail(__FILE__, __LINE__, 0, "%s read byte by byte differs", files[i]);
	}
}

TEST(procfs, pread_at_offsets)
{
	char full[512], part[64];
	int fd;
	ssize_t n = read_all("/proc/version", full, sizeof(full));

	ASSERT_GE(n, 20);
	fd = ASSERT_OK(open("/proc/version", O_RDONLY));
	EXPECT_EQ(pread(fd, part, 10, 6), 10);
	EXPECT_MEMEQ(part, full + 6, 10);
	EXPECT_EQ(pread(fd, part, sizeof(part), n), 0);
	EXPECT_EQ(lseek(fd, 3, SEEK_SET), 3);
	EXPECT_EQ(read(fd, part, 4), 4);
	EXPECT_MEMEQ(part, full + 3, 4);
	close(fd);
}

TEST(procfs, pid_dir_of_child_and_missing_pid)
{
	pid_t pid = ASSERT_OK(fork()), ppid = 0;
	char path[64], buf[64];
	int status;

	if (pid == 0) {
		sleep_ms(200);
		_exit(0);
	}
	EXPECT_NE(pid_state(pid, &ppid), 0);
	EXPECT_EQ(ppid, getpid());
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	EXPECT_GE(read_all(path, buf, sizeof(buf)), 1);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_ERRNO(open("/proc/999999999/stat", O_RDONLY), ENOENT);
	EXPECT_ERRNO(open("/proc/0123/stat", O_RDONLY), ENOENT);
}

/* Counts the CPUs in a Linux cpulist ("0-3,6\n"); -1 when malformed. */
static int cpulist_count(const char *s)
{
	int n = 0;

	while (*s && *s != '\n') {
		char *end;
		long a = strtol(s, &end, 10), b = a;

		if (end == s || a < 0)
			return -1;
		s = end;
		if (*s == '-') {
			b = strtol(s + 1, &end, 10);
			if (end == s + 1 || b < a)
				return -1;
			s = end;
		}
		n += (int)(b - a + 1);
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -1;
	}
	return n;
}

/* glibc's sysconf(_SC_NPROCESSORS_ONLN) reads this file; musl asks sched_getaffinity. */
TEST(procfs, sys_cpu_online_matches_affinity)
{
	char online[256], present[256];
	cpu_set_t set;

	ASSERT_TRUE(read_all("/sys/devices/system/cpu/online", online, sizeof(online)) > 0);
	ASSERT_TRUE(read_all("/sys/devices/system/cpu/present", present, sizeof(present)) > 0);
	ASSERT_OK(sched_getaffinity(0, sizeof(set), &set));
	EXPECT_EQ(cpulist_count(online), CPU_COUNT(&set));
	EXPECT_TRUE(cpulist_count(present) >= cpulist_count(online));
	EXPECT_TRUE(online[strlen(online) - 1] == '\n');
}

TEST(procfs, sys_is_sysfs)
{
	struct statfs sf;

	ASSERT_OK(statfs("/sys/devices/system/cpu", &sf));
	EXPECT_EQ((unsigned long)sf.f_type, 0x62656572UL);
}

/* Cpus_allowed_list follows sched_setaffinity. */
TEST(procfs, status_cpus_allowed_list_follows_affinity)
{
	pid_t pid = fork();

	ASSERT_OK(pid);
	if (pid == 0) {
		cpu_set_t one;
		char *s;

		CPU_ZERO(&one);
		CPU_SET(0, &one);
		if (sched_setaffinity(0, sizeof(one), &one))
			_exit(2);
		s = slurp("/proc/self/status");
		_exit(s && field(s, "Cpus_allowed_list") &&
			      !strncmp(field(s, "Cpus_allowed_list"), "0\n", 2) ? 0 : 1);
	}
	int st;

	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(st, 0);
}

/* Initialized (not bss) data of this program, for the start_data check. */
static int data_marker = 42;

/*
 * /proc/self/stat's startcode..endcode hold this program's code and
 * start_data..end_data its initialized data; VmExe is not 0 (they were all 0).
 */
TEST(procfs, stat_code_and_data_bounds)
{
	char *s = slurp("/proc/self/stat"), *p;
	unsigned long v[52] = { 0 };
	unsigned long code = (unsigned long)&field;
	unsigned long data = (unsigned long)&data_marker;
	int n = 1;

	ASSERT_TRUE(s && (p = strrchr(s, ')')));
	/* Field 3 (state) follows ") "; fields 4.. are numbers. */
	for (p += 4, n = 4; n <= 51 && *p; n++) {
		while (*p == ' ')
			p++;
		v[n] = strtoul(p, &p, 10);
	}
	EXPECT_TRUE(v[26] && v[26] <= code && code < v[27]);
	EXPECT_TRUE(v[45] && v[45] <= data && data < v[46]);
	s = slurp("/proc/self/status");
	ASSERT_TRUE(s && field(s, "VmExe"));
	EXPECT_TRUE(atol(field(s, "VmExe")) > 0);
	EXPECT_EQ(data_marker, 42);
}

/*
 * Cpus_allowed is "%*pb" over the possible CPUs: 32-bit hex groups, the first
 * only as wide as its bits need ("3" for all of two CPUs, not 64 bits of f).
 * Assumes the test runs with the default affinity (all CPUs).
 */
TEST(procfs, status_cpus_allowed_is_a_mask_of_possible_cpus)
{
	char *poss = slurp("/sys/devices/system/cpu/possible"), *s;
	unsigned int first = 0, last = 0;

	ASSERT_TRUE(poss);
	ASSERT_TRUE(sscanf(poss, "%u-%u", &first, &last) >= 1);
	if (!strchr(poss, '-'))
		last = first;
	unsigned int n = last + 1, top = (n - 1) % 32 + 1;
	char want[160];
	int len = snprintf(want, sizeof(want), "%0*x", (int)((top + 3) / 4),
			   top == 32 ? ~0U : (1U << top) - 1);

	for (unsigned int g = (n - 1) / 32; g > 0; g--)
		len += snprintf(want + len, sizeof(want) - len, ",ffffffff");
	strcat(want, "\n");
	s = slurp("/proc/self/status");
	ASSERT_TRUE(s && field(s, "Cpus_allowed"));
	EXPECT_EQ(strncmp(field(s, "Cpus_allowed"), want, strlen(want)), 0);
}

/* Writes that are not a number in range: Linux's EINVAL, nothing changed. */
static void expect_write_einval(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return;		/* not in this kernel (fail-nth needs CONFIG_FAULT_INJECTION) */
	errno = 0;
	EXPECT_EQ(write(fd, text, strlen(text)), -1);
	EXPECT_EQ(errno, EINVAL);
	close(fd);
}

TEST(procfs, vm_knobs_refuse_garbage)
{
	static const char *const bad[] = { "abc", "0", "-1", "3x" };

	if (!have_cap(CAP_DAC_OVERRIDE)) {
		EXPECT_ERRNO(open("/proc/sys/vm/drop_caches", O_WRONLY), EACCES);
		return;
	}
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_write_einval("/proc/sys/vm/drop_caches", bad[i]);
	expect_write_einval("/proc/sys/vm/dirty_writeback_centisecs", "abc");
	expect_write_einval("/proc/sys/vm/dirty_expire_centisecs", "12x");
	expect_write_einval("/proc/self/fail-nth", "abc");
}

/*
 * /proc/sysrq-trigger is write-only for root (the harness writes 't' to it
 * when a test hangs, for every task's kernel stack). A lone newline is a
 * write of one byte; an unprivileged user cannot open it.
 */
TEST(procfs, sysrq_trigger_root_only)
{
	pid_t pid;
	int fd, st;

	/* A Linux built without CONFIG_MAGIC_SYSRQ (this host's) has no such file. */
	if (access("/proc/sysrq-trigger", F_OK) && errno == ENOENT && !running_on_exo())
		return;
	if (!have_cap(CAP_DAC_OVERRIDE)) {
		EXPECT_ERRNO(open("/proc/sysrq-trigger", O_WRONLY), EACCES);
		return;
	}
	fd = open("/proc/sysrq-trigger", O_WRONLY);
	ASSERT_TRUE(fd >= 0);
	EXPECT_EQ(write(fd, "\n", 1), 1);
	close(fd);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		errno = 0;
		_exit(open("/proc/sysrq-trigger", O_WRONLY) == -1 && errno == EACCES ? 0 : 1);
	}
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
