/*
 * exobench: the runner. Runs each row in its own forked child under a
 * timeout and prints one machine-readable line per row (see exobench.h).
 *
 *   exobench [--quick] [--only NAME,NAME...] [--except NAME,...] [--poweroff]
 *                            (a NAME ending in '*' matches by prefix: --except 'blk_*')
 *   exobench --list          the row names, one a line
 *   exobench --exit          exit 0 at once (the program fork+execve runs)
 *   exobench --scale [--quick] [--only NAME,...]
 *                            throughput from 1 and from N processes at once, N = the
 *                            online CPUs (usr/bench/scale.c), instead of the cycle rows
 *   exobench --kallsyms      print /proc/kallsyms (mounting /proc if need be), for
 *                            scripts/bench_profile.py on kernels without a System.map
 *
 * Before any row it prints boot_to_init, the TSC at the top of main(): the
 * cycles since reset, i.e. the cost of booting to the first instruction of
 * init (musl's start-up code adds a few hundred), and mem_in_use_kib from
 * sysinfo (totalram - freeram). Both only mean something when exobench is
 * PID 1 in a fresh guest.
 *
 * As PID 1 it makes sure /dev is usable (mounting devtmpfs if /dev/null is
 * missing) and at the end exits 0, which ends QEMU on Exo-OS (debug_exit).
 * --poweroff (given on Linux's command line after "--") powers the machine
 * off instead, since Linux panics when PID 1 exits.
 *
 * The child's exit status tells the runner whether it printed its line: 0
 * means it did; anything else (a crash, a non-zero exit, a timeout) makes the
 * runner print FAIL for the row. If fork itself fails, each row is FAIL with
 * the reason and the next row tries again.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exobench.h"

int bench_quick;
int bench_reps = 5;
const char *bench_self = "/bin/exobench";
const char *bench_tmpfile = "/tmp/exobench.small";

static const char *row_name = "?";

struct row {
	const char *name;
	void (*fn)(void);
	int timeout;		/* seconds of guest time, full run */
};

static const struct row rows[] = {
	{ "null_syscall",	bench_null_syscall,	10 },
	{ "read_devzero",	bench_read_devzero,	10 },
	{ "write_devnull",	bench_write_devnull,	10 },
	{ "open_close",		bench_open_close,	10 },
	{ "stat",		bench_stat,		10 },
	{ "fstat",		bench_fstat,		10 },
	{ "pipe_rtt",		bench_pipe_rtt,		20 },
	{ "ctxsw_0k",		bench_ctxsw_0k,		20 },
	{ "ctxsw_16k",		bench_ctxsw_16k,	20 },
	{ "unix_rtt",		bench_unix_rtt,		20 },
	{ "sysv_sem_pingpong",	bench_sysv_sem_pingpong,	20 },
	{ "sysv_msg_pingpong",	bench_sysv_msg_pingpong,	20 },
	{ "mq_pingpong",	bench_mq_pingpong,	20 },
	{ "fork_exit",		bench_fork_exit,	30 },
	{ "fork_execve",	bench_fork_execve,	30 },
	{ "fork_sh",		bench_fork_sh,		30 },
	{ "page_fault",		bench_page_fault,	20 },
	{ "mmap_munmap_1m",	bench_mmap_munmap,	20 },
	{ "brk",		bench_brk,		10 },
	{ "sig_install",	bench_sig_install,	10 },
	{ "sig_deliver",	bench_sig_deliver,	10 },
	{ "prot_fault",		bench_prot_fault,	10 },
	{ "select_100",		bench_select_100,	10 },
	{ "pipe_bw_kib",	bench_pipe_bw,		20 },
	{ "file_read_bw_kib",	bench_file_read_bw,	20 },
	{ "thread_create",	bench_thread_create,	20 },
	{ "futex_pingpong",	bench_futex_pingpong,	20 },
	{ "sched_yield",	bench_sched_yield,	10 },
	/* Exo-OS: fusion rings; Linux: pipes for the same job (usr/bench/fusion.c). */
	{ "fusion_rtt",		bench_fusion_rtt,	20 },
	{ "fusion_msg56",	bench_fusion_msg56,	20 },
	{ "fusion_page_64k_kib",	bench_fusion_page_64k,	20 },
	{ "vmsplice_64k_kib",	bench_vmsplice_64k,	20 },
	{ "tcp_rtt",		bench_tcp_rtt,		20 },
	{ "udp_rtt",		bench_udp_rtt,		20 },
	{ "tcp_bw_kib",		bench_tcp_bw,		20 },
	{ "tcp_connect",	bench_tcp_connect,	20 },
	{ "blk_seq_read_4k_cold_kib",	bench_blk_seq_read_4k_cold,		120 },
	{ "blk_seq_read_1m_cold_kib",	bench_blk_seq_read_1m_cold,		120 },
	{ "blk_seq_read_4k_cached_kib",	bench_blk_seq_read_4k_cached,	120 },
	{ "blk_seq_read_1m_cached_kib",	bench_blk_seq_read_1m_cached,	120 },
	{ "blk_rand_read_4k_cold",	bench_blk_rand_read_4k_cold,		120 },
	{ "blk_rand_read_4k_cached",	bench_blk_rand_read_4k_cached,	120 },
	/* The same ext4 image on /dev/vdb, mounted read-only (usr/bench/ext4.c). */
	{ "ext4_stat_cold",		bench_ext4_stat_cold,		120 },
	{ "ext4_stat_warm",		bench_ext4_stat_warm,		120 },
	{ "ext4_walk_cold",		bench_ext4_walk_cold,		120 },
	{ "ext4_walk_warm",		bench_ext4_walk_warm,		120 },
	{ "ext4_read_64m_cold_kib",	bench_ext4_read_cold,		300 },
	{ "ext4_read_64m_warm_kib",	bench_ext4_read_warm,		300 },
};
#define NROWS ((int)(sizeof(rows) / sizeof(rows[0])))

long it(long full)
{
	if (!bench_quick)
		return full;
	return full / 10 > 2 ? full / 10 : 2;
}

/* One write() per line, so lines never interleave with the kernel's. */
static void emit(const char *name, const char *fmt, va_list ap)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "ROW %s ", name);

	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(1, buf, n) < 0)
		_exit(2);
}

static void emitf(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(name, fmt, ap);
	va_end(ap);
}

void row_report(uint64_t cycles)
{
	emitf(row_name, "%llu", (unsigned long long)cycles);
	_exit(0);
}

void row_skip(const char *fmt, ...)
{
	char reason[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	emitf(row_name, "SKIP %s", reason);
	_exit(0);
}

void row_fail(const char *fmt, ...)
{
	char reason[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	emitf(row_name, "FAIL %s", reason);
	_exit(0);
}

void check_cache_dropped(uint64_t cold, uint64_t cached, const char *what)
{
	if (!bench_quick && cached * 5 > cold * 4)
		row_fail("cold pass %llu cycles, cached %llu: %s dropped nothing?",
			 (unsigned long long)cold, (unsigned long long)cached, what);
}

static const char *errname(int err)
{
	switch (err) {
	case ENOSYS: return "ENOSYS";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case ENOMEM: return "ENOMEM";
	case EAGAIN: return "EAGAIN";
	case EPERM: return "EPERM";
	case EBADF: return "EBADF";
	case ENETUNREACH: return "ENETUNREACH";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case ECONNREFUSED: return "ECONNREFUSED";
	default: return strerror(err);
	}
}

void row_errno(const char *what)
{
	int err = errno;

	if (err == ENOSYS || err == EAFNOSUPPORT || err == EPROTONOSUPPORT ||
	    err == ESOCKTNOSUPPORT || err == EOPNOTSUPP)
		row_skip("%s: %s", what, errname(err));
	row_fail("%s: %s", what, errname(err));
}

long need(long ret, const char *what)
{
	if (ret < 0)
		row_errno(what);
	return ret;
}

uint64_t best_of(long n, void (*fn)(void *), void *arg)
{
	struct best b = BEST_INIT;

	for (int r = 0; r <= bench_reps; r++) {
		uint64_t t0 = rdtsc(), t1;

		for (long i = 0; i < n; i++)
			fn(arg);
		t1 = rdtsc();
		if (r > 0)
			best_add(&b, t0, t1, n);
	}
	return b.cycles;
}

void reap_ok(pid_t pid, const char *what)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		row_fail("waitpid(%s): %s", what, errname(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		row_fail("%s: child status %#x", what, status);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * Waits for the row's child, polling every 20 ms of guest time: cheap enough
 * (a few thousand instructions per poll) not to move the figures, and it
 * needs no signals, which Exo-OS may not have yet.
 */
static void run_row(const struct row *r)
{
	int timeout = bench_quick ? (r->timeout + 1) / 2 : r->timeout;
	struct timespec poll = { 0, 20 * 1000 * 1000 };
	uint64_t deadline;
	int status;
	pid_t pid, got;

	row_name = r->name;
	pid = fork();
	if (pid < 0) {
		emitf(r->name, "FAIL fork: %s", errname(errno));
		return;
	}
	if (pid == 0) {
		setpgid(0, 0);
		alarm(timeout + 1);	/* on kernels with signals, a second guard */
		r->fn();
		row_fail("row returned without a figure");
	}
	deadline = now_ns() + (uint64_t)timeout * 1000000000ull;
	for (;;) {
		got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			break;
		if (got < 0) {
			emitf(r->name, "FAIL waitpid: %s", errname(errno));
			return;
		}
		if (now_ns() > deadline) {
			if (kill(-pid, SIGKILL) < 0 && kill(pid, SIGKILL) < 0) {
				emitf(r->name, "FAIL timeout after %ds (kill: %s, child left running)",
				      timeout, errname(errno));
				return;
			}
			waitpid(pid, &status, 0);
			emitf(r->name, "FAIL timeout after %ds", timeout);
			return;
		}
		nanosleep(&poll, NULL);
	}
	if (WIFSIGNALED(status))
		emitf(r->name, "FAIL killed by signal %d", WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		emitf(r->name, "FAIL exit status %d", WEXITSTATUS(status));
	/* Orphans of the row (partners it did not reap) end up here as PID 1. */
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
}

/* Whether @name is in the comma-separated @list; "prefix*" matches by prefix. */
static int listed(const char *name, const char *list)
{
	size_t len = strlen(name);

	for (const char *p = list; *p;) {
		const char *end = strchrnul(p, ',');
		size_t n = end - p;

		if (n == len && !strncmp(p, name, len))
			return 1;
		if (n && p[n - 1] == '*' && n - 1 <= len && !strncmp(p, name, n - 1))
			return 1;
		p = *end ? end + 1 : end;
	}
	return 0;
}

int bench_selected(const char *name, const char *only, const char *except)
{
	if (except && listed(name, except))
		return 0;
	return !only || listed(name, only);
}

static void find_self(const char *argv0)
{
	static char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n > 0) {
		buf[n] = '\0';
		bench_self = buf;
	} else if (argv0 && strchr(argv0, '/')) {
		bench_self = argv0;
	}
}

/* As PID 1: a /dev to open, whichever kernel unpacked the initramfs. */
static void pid1_setup(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd >= 0) {
		close(fd);
		return;
	}
	mkdir("/dev", 0755);
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) < 0)
		fprintf(stderr, "exobench: /dev/null missing and devtmpfs: %s\n", strerror(errno));
}

/*
 * As PID 1: loads the kernel modules listed in MODULES_LIST, one path a
 * line, in order (scripts/bench.py gives Linux's initramfs virtio_blk and
 * what it depends on). Exo-OS's initramfs has no such list.
 */
#define MODULES_LIST "/etc/exobench.modules"

static void load_modules(void)
{
	char list[4096], *line, *save;
	int fd = open(MODULES_LIST, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return;
	n = read(fd, list, sizeof(list) - 1);
	close(fd);
	if (n <= 0)
		return;
	list[n] = '\0';
	for (line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int mfd = open(line, O_RDONLY | O_CLOEXEC);

		if (mfd < 0 || syscall(SYS_finit_module, mfd, "", 0) < 0)
			printf("INFO module %s: %s\n", line, strerror(errno));
		if (mfd >= 0)
			close(mfd);
	}
}

static void dump_kallsyms(void)
{
	static char buf[65536];
	int fd = open("/proc/kallsyms", O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
		fd = open("/proc/kallsyms", O_RDONLY);
	}
	if (fd < 0) {
		printf("INFO /proc/kallsyms: %s\n", strerror(errno));
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			break;
	close(fd);
}

static int make_tmpfile(void)
{
	static const char data[4096];
	int fd = open(bench_tmpfile, O_CREAT | O_TRUNC | O_WRONLY, 0644);

	if (fd < 0)
		return -1;
	if (write(fd, data, sizeof(data)) != sizeof(data)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

int main(int argc, char **argv)
{
	uint64_t boot_tsc = rdtsc();
	const char *only = NULL, *except = NULL;
	int poweroff = 0, scale = 0;
	struct sysinfo si;
	struct utsname u;

	if (argc > 1 && !strcmp(argv[1], "--exit"))
		_exit(0);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--list")) {
			for (int r = 0; r < NROWS; r++)
				printf("%s\n", rows[r].name);
			return 0;
		} else if (!strcmp(argv[i], "--quick")) {
			bench_quick = 1;
			bench_reps = 3;
		} else if (!strcmp(argv[i], "--scale")) {
			scale = 1;
		} else if (!strcmp(argv[i], "--poweroff")) {
			poweroff = 1;
		} else if (!strcmp(argv[i], "--kallsyms")) {
			dump_kallsyms();
			only = "";
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else if (!strcmp(argv[i], "--except") && i + 1 < argc) {
			except = argv[++i];
		} else {
			fprintf(stderr, "usage: exobench [--quick] [--only ROW,...] [--except ROW,...] [--poweroff] [--scale] | --list\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	find_self(argv[0]);
	if (getpid() == 1)
		pid1_setup();

	if (uname(&u) == 0)
		printf("INFO kernel %s %s\n", u.sysname, u.release);
	printf("INFO exobench %s reps=%d pid=%d\n", bench_quick ? "quick" : "full", bench_reps,
	       (int)getpid());
	emitf("boot_to_init", "%llu", (unsigned long long)boot_tsc);
	if (sysinfo(&si) == 0)
		emitf("mem_in_use_kib", "%llu",
		      (unsigned long long)(si.totalram - si.freeram) * si.mem_unit / 1024);
	else
		emitf("mem_in_use_kib", "%s %s", errno == ENOSYS ? "SKIP" : "FAIL",
		      "sysinfo: failed");
	if (getpid() == 1)
		load_modules();
	if (make_tmpfile() < 0)
		printf("INFO cannot create %s: %s\n", bench_tmpfile, strerror(errno));

	if (scale)
		scale_main(only, except);
	for (int r = 0; r < NROWS && !scale; r++)
		if (bench_selected(rows[r].name, only, except))
			run_row(&rows[r]);
	unlink(bench_tmpfile);
	printf("END exobench\n");
	if (poweroff && getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
		printf("INFO reboot(RB_POWER_OFF): %s; exiting\n", strerror(errno));
	}
	return 0;
}
