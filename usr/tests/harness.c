/*
 * The in-guest test runner: runs each registered test in a forked child
 * inside its own scratch directory, under a timeout, and prints one line per
 * test and the final "N passed, N failed" line the QEMU driver reads.
 *
 *   exotest                 run everything
 *   exotest GROUP ...       run one group (or GROUP.NAME for one test)
 *   exotest -l              list the tests
 *   exotest __exotest_helper__ MODE ...
 *                           helper mode, used by tests that execve this binary
 *
 * A test child reports each failure as one line written in a single write()
 * to a pipe the runner reads after the child is gone, so failures seen in
 * grandchildren are reported too. The child is made a process group leader
 * so that on timeout the runner can kill everything it started.
 *
 * Nothing here relies on /proc: Exo-OS may run this before procfs exists.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* Only so many failure lines per process: the report pipe must never fill. */
#define MAX_REPORTS 4
#define REPORT_LEN 512

static struct test *tests_head, **tests_tail = &tests_head;
static int report_fd = -1;
static int reports_sent;
static char self_path[PATH_MAX];
const char *harness_self = self_path;

void harness_register(struct test *t)
{
	*tests_tail = t;
	tests_tail = &t->next;
}

void harness_fail(const char *file, int line, int fatal, const char *fmt, ...)
{
	char msg[REPORT_LEN];
	int saved = errno;
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n - 1, fmt, ap);
	va_end(ap);
	n = strlen(msg);
	msg[n++] = '\n';
	if (report_fd >= 0 && reports_sent < MAX_REPORTS) {
		reports_sent++;
		if (write(report_fd, msg, n) != n)
			_exit(2);
	} else if (report_fd < 0) {
		fwrite(msg, 1, n, stderr);
	}
	errno = saved;
	if (fatal)
		_exit(1);
}

int harness_errno_ok(long ret, int err, int want)
{
	if (ret == -1 && err != 0)
		return err == want;
	/* A raw call reports -errno itself and leaves errno alone. */
	return ret == -want;
}

size_t harness_memdiff(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	size_t i;

	for (i = 0; i < n; i++)
		if (x[i] != y[i])
			return i;
	return (size_t)-1;
}

#define E(x) [x] = #x
static const char *const errnames[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR),
	E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY), E(ETXTBSY),
	E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE),
	E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOSYS),
	E(ENOTEMPTY), E(ELOOP), E(EOVERFLOW), E(EOPNOTSUPP), E(ETIMEDOUT),
};
#undef E

const char *harness_errname(int err)
{
	static char buf[16];

	if (err == 0)
		return "0";
	if (err > 0 && err < (int)(sizeof(errnames) / sizeof(errnames[0])) && errnames[err])
		return errnames[err];
	snprintf(buf, sizeof(buf), "%d", err);
	return buf;
}

/* ---- helpers for the tests ------------------------------------------------ */

int run_child(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = ASSERT_OK(fork());

	if (pid == 0) {
		fn(arg);
		_exit(reports_sent ? 1 : 0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	return status;
}

static int fault_fd = -1;

static void fault_handler(int sig, siginfo_t *si, void *uc)
{
	int code = si->si_code;

	(void)sig;
	(void)uc;
	if (write(fault_fd, &code, sizeof(code)) != sizeof(code))
		_exit(3);
	_exit(0);
}

int child_fault_code(int sig, void (*fn)(void *), void *arg)
{
	struct sigaction sa = { .sa_sigaction = fault_handler, .sa_flags = SA_SIGINFO };
	int p[2], code = -1, status;
	pid_t pid;

	ASSERT_OK(pipe(p));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		close(p[0]);
		fault_fd = p[1];
		sigaction(sig, &sa, NULL);
		fn(arg);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &code, sizeof(code)) != sizeof(code))
		code = -1;
	close(p[0]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	return code;
}

pid_t fork_pause(void)
{
	pid_t pid = ASSERT_OK(fork());

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

void touch_read(void *addr)
{
	(void)*(volatile char *)addr;
}

void touch_write(void *addr)
{
	*(volatile char *)addr = 1;
}

int run_capture(const char *path, char *const argv[], char *const envp[],
		char *buf, size_t size)
{
	size_t len = 0;
	int p[2], status;
	ssize_t n;
	pid_t pid;

	ASSERT_OK(pipe(p));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execve(path, argv, envp);
		_exit(127);
	}
	close(p[1]);
	while (len + 1 < size && (n = read(p[0], buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(p[0]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	return status;
}

void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = ASSERT_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, mode));

	ASSERT_EQ(write(fd, data, len), (ssize_t)len);
	/* fchmod so the mode is exact whatever the umask. */
	ASSERT_OK(fchmod(fd, mode));
	close(fd);
}

int have_cap(int cap)
{
	struct { unsigned int version; int pid; } hdr = { 0x20080522, 0 };
	struct { unsigned int effective, permitted, inheritable; } data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return geteuid() == 0;
	return (data[cap / 32].effective >> (cap % 32)) & 1;
}

const char *fd_link(int fd)
{
	static char target[256];
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	target[n < 0 ? 0 : n] = 0;
	return target;
}

long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void *unmapped_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	munmap(p, 4096);
	return p;
}

/* ---- helper mode ---------------------------------------------------------- */

/*
 * exit N     exit with status N
 * execfn     print getauxval(AT_EXECFN)
 * fds FD...  print "open" or "closed" for each fd
 * sigs       print the dispositions of SIGUSR1 and SIGUSR2
 * procfile P print file P with each NUL shown as '|' (/proc/self/cmdline)
 * timer ID   exit 0 when POSIX timer ID does not exist (timer_gettime EINVAL), else 1
 * sleepms N  sleep N milliseconds, exit 0
 * syscall-errno NR  exit with the errno system call NR (no arguments) fails with, 0 if it succeeds
 * wait       print "ready", then sleep until killed
 * reapchild FD  count SIGUSR1, write a byte to FD (the child waits for it),
 *            reap any child (__WALL), print "usr1=N status=S"
 * anything else (also a script path, when run as a #! interpreter):
 *            print "argv[i]=..." and "env=..." lines and exit 0
 */
static const char *disposition(int sig)
{
	struct sigaction sa;

	sigaction(sig, NULL, &sa);
	if (sa.sa_handler == SIG_DFL)
		return "default";
	return sa.sa_handler == SIG_IGN ? "ignored" : "caught";
}

static volatile sig_atomic_t helper_usr1;

static void helper_count_usr1(int sig)
{
	(void)sig;
	helper_usr1++;
}

static int helper_main(int argc, char **argv, char **envp)
{
	const char *mode = argc > 2 ? argv[2] : "";
	int i;

	if (!strcmp(mode, "exit"))
		_exit(argc > 3 ? atoi(argv[3]) : 0);
	if (!strcmp(mode, "failnth")) {
		/* faultinject's execve: 0 when the fail-nth counter was not reached, else 2. */
		char buf[16] = "";
		int fd = open("/proc/thread-self/fail-nth", O_RDWR);

		if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
			_exit(2);
		if (write(fd, "0", 1) != 1)
			_exit(2);
		_exit(atoi(buf) > 0 ? 0 : 2);
	}
	if (!strcmp(mode, "timer") && argc > 3) {
		struct timespec cur[2];

		_exit(syscall(SYS_timer_gettime, atoi(argv[3]), cur) == -1 && errno == EINVAL ? 0 : 1);
	}
	if (!strcmp(mode, "syscall-errno") && argc > 3) {
		errno = 0;
		_exit(syscall(atol(argv[3])) == -1 ? errno : 0);
	}
	if (!strcmp(mode, "sleepms") && argc > 3) {
		usleep((useconds_t)atoi(argv[3]) * 1000);
		_exit(0);
	}
	if (!strcmp(mode, "execfn")) {
		printf("%s\n", (const char *)getauxval(AT_EXECFN));
		return 0;
	}
	if (!strcmp(mode, "fds")) {
		for (i = 3; i < argc; i++)
			printf("%s\n", fcntl(atoi(argv[i]), F_GETFD) < 0 ? "closed" : "open");
		return 0;
	}
	if (!strcmp(mode, "procfile") && argc > 3) {
		char buf[4096];
		ssize_t n;
		int fd = open(argv[3], O_RDONLY);

		if (fd < 0)
			return 1;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			for (ssize_t k = 0; k < n; k++)
				putchar(buf[k] ? buf[k] : '|');
		close(fd);
		return 0;
	}
	if (!strcmp(mode, "reapchild") && argc > 3) {
		struct sigaction sa = { .sa_handler = helper_count_usr1 };
		pid_t r;
		int st = 0;

		sigaction(SIGUSR1, &sa, NULL);
		if (write(atoi(argv[3]), "x", 1) != 1)
			return 1;
		while ((r = waitpid(-1, &st, __WALL)) < 0 && errno == EINTR)
			;
		printf("usr1=%d status=%d\n", (int)helper_usr1,
		       r > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return 0;
	}
	if (!strcmp(mode, "wait")) {
		printf("ready\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	if (!strcmp(mode, "sigs")) {
		printf("usr1=%s usr2=%s\n", disposition(SIGUSR1), disposition(SIGUSR2));
		return 0;
	}
	for (i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	for (i = 0; envp[i]; i++)
		printf("env=%s\n", envp[i]);
	return 0;
}

/* ---- the runner ----------------------------------------------------------- */

static int find_self(const char *argv0)
{
	const char *path, *end;
	char cwd[PATH_MAX];

	if (argv0[0] == '/')
		return snprintf(self_path, sizeof(self_path), "%s", argv0) < (int)sizeof(self_path);
	if (strchr(argv0, '/')) {
		if (!getcwd(cwd, sizeof(cwd)))
			return 0;
		return snprintf(self_path, sizeof(self_path), "%s/%s", cwd, argv0) <
		       (int)sizeof(self_path);
	}
	/* Found through PATH, as a shell would have. */
	path = getenv("PATH");
	for (; path && *path; path = *end ? end + 1 : end) {
		end = strchrnul(path, ':');
		snprintf(self_path, sizeof(self_path), "%.*s/%s", (int)(end - path), path, argv0);
		if (self_path[0] == '/' && access(self_path, X_OK) == 0)
			return 1;
	}
	return 0;
}

static void remove_tree(const char *path)
{
	struct dirent *de;
	char sub[PATH_MAX];
	struct stat st;
	DIR *d;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	/* Tests may leave a directory unreadable; the owner can always chmod. */
	chmod(path, 0700);
	d = opendir(path);
	if (d) {
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			remove_tree(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static void describe_status(char *buf, size_t size, int status)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
}

/* Returns 1 when the test passed. */

/*
 * Before a timed-out test is killed: each process of its process group,
 * with its state, thread count and pending and blocked signals, so a hang
 * in a log says where it was.
 */
bool running_on_exo(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.release, "exo");
}

static void report_stuck_group(pid_t pgrp)
{
	DIR *procdir = opendir("/proc");
	struct dirent *p;

	/*
	 * On Exo-OS, every task's kernel stack too (SysRq-T to the console), so
	 * a hang shows where each thread sleeps; not on the host, whose log it
	 * would fill.
	 */
	if (running_on_exo()) {
		int fd = open("/proc/sysrq-trigger", O_WRONLY);

		if (fd >= 0) {
			if (write(fd, "t", 1) != 1)
				perror("harness: /proc/sysrq-trigger");
			close(fd);
		}
	}
	if (!procdir)
		return;
	while ((p = readdir(procdir))) {
		char path[64], line[512], comm[64] = "?", state = '?';
		int pid = atoi(p->d_name), group = 0;
		FILE *f;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f)) {
			char *close = strrchr(line, ')');

			if (close && sscanf(close + 2, "%c %*d %d", &state, &group) == 2)
				snprintf(comm, sizeof(comm), "%.*s", (int)(close - strchr(line, '(') - 1),
					 strchr(line, '(') + 1);
		}
		fclose(f);
		if (group != pgrp)
			continue;
		printf("  stuck: pid %d (%s) state %c", pid, comm, state);
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "SigPnd:", 7) || !strncmp(line, "ShdPnd:", 7) ||
			    !strncmp(line, "SigBlk:", 7) || !strncmp(line, "Threads:", 8)) {
				line[strcspn(line, "\n")] = '\0';
				printf(", %s", line);
			}
		if (f)
			fclose(f);
		printf("\n");
	}
	closedir(procdir);
	fflush(stdout);
}

static int run_one(struct test *t, int seq)
{
	char scratch[64], reports[MAX_REPORTS * REPORT_LEN + 1], why[128];
	struct sigaction sa = { .sa_handler = on_alarm };
	ssize_t len = 0, n;
	int p[2], status = 0, nlines = 0;
	char *nl;
	pid_t pid;

	snprintf(scratch, sizeof(scratch), "/tmp/exotest.%d.%d", (int)getpid(), seq);
	if (mkdir(scratch, 0700) < 0 || pipe2(p, O_CLOEXEC) < 0) {
		printf("FAIL %s.%s: harness: cannot set up: %s\n", t->group, t->name,
		       strerror(errno));
		return 0;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGALRM, SIG_DFL);
		close(p[0]);
		report_fd = p[1];
		if (chdir(scratch) < 0)
			harness_fail(__FILE__, __LINE__, 1, "chdir %s", scratch);
		t->fn();
		_exit(reports_sent ? 1 : 0);
	}
	close(p[1]);
	if (pid < 0) {
		printf("FAIL %s.%s: harness: fork: %s\n", t->group, t->name, strerror(errno));
		close(p[0]);
		return 0;
	}
	setpgid(pid, pid);

	timed_out = 0;
	sigaction(SIGALRM, &sa, NULL);
	alarm(t->timeout);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno == EINTR && timed_out) {
			report_stuck_group(pid);
			kill(-pid, SIGKILL);
		}
		else if (errno != EINTR)
			break;
	}
	alarm(0);
	/* Whatever the test left running in its group goes with it. */
	kill(-pid, SIGKILL);

	fcntl(p[0], F_SETFL, O_NONBLOCK);
	while (len < (ssize_t)sizeof(reports) - 1 &&
	       (n = read(p[0], reports + len, sizeof(reports) - 1 - len)) > 0)
		len += n;
	reports[len] = '\0';
	close(p[0]);
	remove_tree(scratch);

	for (nl = reports; (nl = strchr(nl, '\n')); nl++)
		nlines++;
	if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0 && nlines == 0) {
		printf("PASS %s.%s\n", t->group, t->name);
		return 1;
	}
	if (nlines)
		*strchr(reports, '\n') = '\0';
	if (timed_out)
		snprintf(why, sizeof(why), "timed out after %u s", t->timeout);
	else
		describe_status(why, sizeof(why), status);
	if (!nlines)
		printf("FAIL %s.%s: %s\n", t->group, t->name, why);
	else if (WIFEXITED(status) && !timed_out)
		printf("FAIL %s.%s: %s%s\n", t->group, t->name, reports,
		       nlines > 1 ? " (and more)" : "");
	else
		printf("FAIL %s.%s: %s; %s\n", t->group, t->name, why, reports);
	return 0;
}

/*
 * EXOTEST_FAULT=P (Exo-OS, CONFIG_FAULT_INJECTION): P% of the suite's
 * allocations fail (failslab and fail_page_alloc), from after start-up to
 * before the summary, which must get out (scripts/testsuite/stress.py).
 */
static void fault_probability(const char *percent)
{
	static const char *const knobs[] = { "/proc/sys/debug/failslab/probability",
					     "/proc/sys/debug/fail_page_alloc/probability" };

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		int fd = -1, tries = 0;

		/* Turning injection off must not fail of it: open()'s allocations may. */
		do
			fd = open(knobs[i], O_WRONLY);
		while (fd < 0 && (errno == ENOMEM || errno == EAGAIN) && ++tries < 1000);
		if (fd < 0 || write(fd, percent, strlen(percent)) < 0)
			fprintf(stderr, "exotest: cannot set %s: %s\n", knobs[i], strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

static int selected(const struct test *t, int nfilters, char **filters)
{
	size_t glen = strlen(t->group);
	int i;

	if (nfilters == 0)
		return 1;
	for (i = 0; i < nfilters; i++) {
		if (strncmp(filters[i], t->group, glen))
			continue;
		if (filters[i][glen] == '\0')
			return 1;
		if (filters[i][glen] == '.' && !strcmp(filters[i] + glen + 1, t->name))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	int passed = 0, failed = 0, seq = 0, list = 0, first = 1;
	struct test *t;

	if (argc > 1 && !strcmp(argv[1], HELPER_ARG))
		return helper_main(argc, argv, envp);
	if (argc > 1 && !strcmp(argv[1], "-l")) {
		list = 1;
		first = 2;
	}
	if (!find_self(argv[0])) {
		fprintf(stderr, "exotest: cannot find my own path from argv[0] \"%s\"\n", argv[0]);
		return 2;
	}
	/* Tests see a fixed environment for signals whatever started us. */
	signal(SIGPIPE, SIG_DFL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (getenv("EXOTEST_FAULT") && !list)
		fault_probability(getenv("EXOTEST_FAULT"));
	for (t = tests_head; t; t = t->next) {
		if (!selected(t, argc - first, argv + first))
			continue;
		seq++;
		if (list)
			printf("%s.%s\n", t->group, t->name);
		else if (run_one(t, seq))
			passed++;
		else
			failed++;
	}
	if (seq == 0) {
		fprintf(stderr, "exotest: no test matches\n");
		return 2;
	}
	if (getenv("EXOTEST_FAULT") && !list)
		fault_probability("0");
	if (!list)
		printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

int maps_line_for(unsigned long addr, char *line, size_t size)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char buf[512];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(buf, sizeof(buf), f)) {
		unsigned long lo, hi;

		if (sscanf(buf, "%lx-%lx", &lo, &hi) == 2 && lo <= addr && addr < hi) {
			buf[strcspn(buf, "\n")] = '\0';
			snprintf(line, size, "%s", buf);
			found = 1;
		}
	}
	fclose(f);
	return found;
}

bool wait_until_sleeping(pid_t pid)
{
	char path[64], buf[256], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 500; i++) {
		FILE *fh = fopen(path, "r");
		size_t n = fh ? fread(buf, 1, sizeof(buf) - 1, fh) : 0;

		if (fh)
			fclose(fh);
		buf[n] = 0;
		p = strrchr(buf, ')');
		if (p && p[1] == ' ' && p[2] == 'S')
			return true;
		usleep(10000);
	}
	return false;
}
