/*
 * Error paths under fault injection: /proc/thread-self/fail-nth fails the
 * N-th allocation of the calling thread (Linux's fail-nth, needs
 * CONFIG_FAULT_INJECTION). Each test runs one operation with N = 1, 2, ...
 * until it completes with nothing injected: every run whose allocation
 * failed must end in ENOMEM or EAGAIN (or succeed correctly, when the
 * kernel got around the failure), never in another error or a wrong result.
 *
 * Each loop also checks that the failed runs leaked nothing: the objects in
 * use of every slab cache (/proc/slabinfo's active_objs), the page-table
 * pages and the tmpfs pages (/proc/meminfo's PageTables, Shmem) must be back where they were, within
 * LEAK_SLACK; a leak of one object per failed call would be off by the
 * number of failures. Without a readable /proc/slabinfo (not root) the
 * loop notes it and checks the errors only.
 *
 * Without fail-nth (a kernel without CONFIG_FAULT_INJECTION, as most
 * distributions build) the tests print a note and pass: there is nothing
 * to inject with.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define MAX_NTH		4000	/* no operation here makes that many allocations */

static int nth_fd = -1;

/*
 * What an operation may legitimately leave allocated after the loop, per
 * cache: lazily made objects that live as long as the process. Linux's
 * SLUB counts the objects of each CPU's active slab as in use, so on a
 * Linux kernel with fail-nth the counts are noisier than on Exo-OS.
 */
#define LEAK_SLACK	2
#define LEAK_MAX_CACHES	96

struct mem_counts {
	int n;
	char name[LEAK_MAX_CACHES][64];
	long value[LEAK_MAX_CACHES];
};

/* Every cache's active_objs, then "PageTables" and "Shmem" (tmpfs) in pages; -1 if unreadable. */
static int mem_counts_read(struct mem_counts *c)
{
	char line[256], name[64];
	long active, kb;
	FILE *f = fopen("/proc/slabinfo", "re");

	c->n = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && c->n < LEAK_MAX_CACHES - 2) {
		if (sscanf(line, "%63s %ld", name, &active) != 2 || name[0] == '#')
			continue;
		snprintf(c->name[c->n], sizeof(c->name[0]), "%s", name);
		c->value[c->n++] = active;
	}
	fclose(f);
	f = fopen("/proc/meminfo", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "PageTables: %ld", &kb) == 1) {
			strcpy(c->name[c->n], "PageTables");
			c->value[c->n++] = kb / 4;
		} else if (sscanf(line, "Shmem: %ld", &kb) == 1) {
			strcpy(c->name[c->n], "Shmem");
			c->value[c->n++] = kb / 4;
		}
	}
	fclose(f);
	return c->n > 1 ? 0 : -1;
}

/* Fails the test for each count that grew by more than LEAK_SLACK since @before. */
static void mem_counts_check(const char *what, const struct mem_counts *before,
			     unsigned int injected)
{
	struct mem_counts after;

	if (mem_counts_read(&after))
		return;
	for (int i = 0; i < after.n; i++) {
		for (int j = 0; j < before->n; j++) {
			if (strcmp(after.name[i], before->name[j]))
				continue;
			if (after.value[i] > before->value[j] + LEAK_SLACK)
				harness_fail(__FILE__, __LINE__, 0,
					     "%s: %s grew from %ld to %ld over %u failed runs: a leak",
					     what, after.name[i], before->value[j], after.value[i],
					     injected);
			break;
		}
	}
}

static int fail_nth_set(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return write(fd, buf, len) == len ? 0 : -1;
}

/* What is left of the counter (0: the failure was injected); then disarms it. */
static long fail_nth_stop(void)
{
	char buf[16] = "";
	long left = -1;

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) > 0)
		left = strtol(buf, NULL, 10);
	fail_nth_set(nth_fd, 0);
	return left;
}

static int fail_nth_open(const char *what)
{
	int fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);

	if (fd < 0 && errno != ENOENT)
		harness_fail(__FILE__, __LINE__, 1, "open %s: %s", FAIL_NTH, harness_errname(errno));
	if (fd < 0)
		printf("  note: no %s (kernel without CONFIG_FAULT_INJECTION): %s not checked\n",
		       FAIL_NTH, what);
	return fd;
}

/*
 * One run of an operation with its nth allocation failing: it calls
 * fail_nth_stop() right after the system call under test and returns 0
 * (done correctly) or -errno, and *left what fail_nth_stop() said.
 */
typedef int (*fault_op)(void *arg, long *left);

static void fail_each_allocation(const char *what, fault_op op, void *arg)
{
	unsigned int n, injected = 0, survived = 0;
	struct mem_counts before;
	bool counted;

	nth_fd = fail_nth_open(what);
	if (nth_fd < 0)
		return;
	/* One run with nothing failing first: what the operation sets up once is not a leak. */
	op(arg, &(long){ 0 });
	counted = mem_counts_read(&before) == 0;
	if (!counted)
		printf("  note: /proc/slabinfo unreadable: %s not checked for leaks\n", what);
	for (n = 1; n < MAX_NTH; n++) {
		long left = -1;
		int r;

		ASSERT_EQ(fail_nth_set(nth_fd, n), 0);
		r = op(arg, &left);
		if (left > 0) {
			/* Nothing failed: the operation must simply work. */
			EXPECT_EQ(r, 0);
			break;
		}
		injected++;
		if (r == 0)
			survived++;
		else if (r != -ENOMEM && r != -EAGAIN)
			harness_fail(__FILE__, __LINE__, 0, "%s, allocation %u failed: got %s (%d)",
				     what, n, harness_errname(-r), r);
	}
	EXPECT_LT(n, MAX_NTH);
	EXPECT_GT(injected, 0);
	if (counted)
		mem_counts_check(what, &before, injected);
	printf("  %s: %u allocations failed in turn (%u survived)\n", what, injected, survived);
	close(nth_fd);
	nth_fd = -1;
}

/* fork: the child must run in the parent's cwd, not in a fallback fs (init's /). */
static int op_fork(void *arg, long *left)
{
	const char *cwd = arg;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		char buf[PATH_MAX];

		_exit(getcwd(buf, sizeof(buf)) && !strcmp(buf, cwd) ? 0 : 3);
	}
	*left = fail_nth_stop();
	if (pid < 0)
		return -errno;
	if (waitpid(pid, &status, 0) != pid)
		return -ECHILD;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		harness_fail(__FILE__, __LINE__, 0, "forked child: status %#x (3: wrong cwd)", status);
		return 0;
	}
	return 0;
}

TEST_TIMEOUT(faultinject, fork_fails_with_enomem_or_keeps_cwd, 60)
{
	char cwd[PATH_MAX];

	ASSERT_TRUE(getcwd(cwd, sizeof(cwd)) != NULL);
	/* The scratch directory: a child falling back to init's fs would see "/". */
	ASSERT_TRUE(strcmp(cwd, "/") != 0);
	fail_each_allocation("fork", op_fork, cwd);
}

static int op_open(void *arg __attribute__((unused)), long *left)
{
	int fd = open("newfile", O_RDWR | O_CREAT | O_EXCL, 0600);
	int err = errno;

	*left = fail_nth_stop();
	if (fd < 0) {
		/* A failed O_CREAT|O_EXCL must leave nothing behind. */
		if (access("newfile", F_OK) == 0) {
			harness_fail(__FILE__, __LINE__, 0, "open failed (%s) but created the file",
				     harness_errname(err));
			unlink("newfile");
		}
		return -err;
	}
	close(fd);
	EXPECT_OK(unlink("newfile"));
	return 0;
}

TEST_TIMEOUT(faultinject, open_creat, 60)
{
	fail_each_allocation("open(O_CREAT)", op_open, NULL);
}

static int op_pipe(void *arg __attribute__((unused)), long *left)
{
	int p[2], r = pipe(p), err = errno;
	char c = 'x';

	*left = fail_nth_stop();
	if (r < 0)
		return -err;
	EXPECT_EQ(write(p[1], &c, 1), 1);
	c = 0;
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(c, 'x');
	close(p[0]);
	close(p[1]);
	return 0;
}

TEST_TIMEOUT(faultinject, pipe, 60)
{
	fail_each_allocation("pipe", op_pipe, NULL);
}

static int op_mmap(void *arg __attribute__((unused)), long *left)
{
	char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int err = errno;

	*left = fail_nth_stop();
	if (p == MAP_FAILED)
		return -err;
	p[0] = 1;
	p[(1 << 20) - 1] = 2;
	EXPECT_EQ(p[0] + p[(1 << 20) - 1], 3);
	EXPECT_OK(munmap(p, 1 << 20));
	return 0;
}

TEST_TIMEOUT(faultinject, mmap_anon, 60)
{
	fail_each_allocation("mmap", op_mmap, NULL);
}

/* A page fault whose allocation fails is retried (Linux): the writer lives on. */
static int op_fault(void *arg, long *left)
{
	volatile char *p = arg;

	p[0] = 7;
	*left = fail_nth_stop();
	return p[0] == 7 ? 0 : -EIO;
}

TEST_TIMEOUT(faultinject, page_fault_is_retried, 60)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	/* Each run needs a fresh page: drop it so the write faults again. */
	nth_fd = fail_nth_open("page fault");
	if (nth_fd < 0)
		return;
	for (unsigned int n = 1; n < 8; n++) {
		long left;

		EXPECT_OK(madvise(p, 4096, MADV_DONTNEED));
		ASSERT_EQ(fail_nth_set(nth_fd, n), 0);
		EXPECT_EQ(op_fault(p, &left), 0);
		if (left > 0)
			break;
	}
	close(nth_fd);
	munmap(p, 4096);
}

static void *thread_fn(void *arg)
{
	return arg;
}

static int op_thread(void *arg, long *left)
{
	pthread_t th;
	void *ret = NULL;
	int r = pthread_create(&th, NULL, thread_fn, arg);

	*left = fail_nth_stop();
	if (r)
		return -r;
	EXPECT_EQ(pthread_join(th, &ret), 0);
	EXPECT_TRUE(ret == arg);
	return 0;
}

TEST_TIMEOUT(faultinject, thread_create, 60)
{
	static int token;

	fail_each_allocation("pthread_create", op_thread, &token);
}

/*
 * execve in a child that arms its own fail-nth. Exit codes: 0 the new image
 * ran with nothing injected, 2 it ran but something was injected on the way
 * (helper "failnth"), 10 execve failed with ENOMEM/EAGAIN, 11 with another
 * errno, 12 execve failed with nothing injected.
 */
static int op_execve(void *arg, long *left)
{
	unsigned int n = *(unsigned int *)arg;
	char *argv[] = { "exotest", HELPER_ARG, "failnth", NULL };
	char *envp[] = { NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
		long l;

		if (fd < 0 || fail_nth_set(fd, n))
			_exit(13);
		nth_fd = fd;
		execve(harness_self, argv, envp);
		l = fail_nth_stop();
		_exit(l != 0 ? 12 : (errno == ENOMEM || errno == EAGAIN) ? 10 : 11);
	}
	if (pid < 0)
		return -errno;
	if (waitpid(pid, &status, 0) != pid)
		return -ECHILD;
	*left = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 1 : 0;
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 2))
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 10)
		return -ENOMEM;
	/* Past the point of no return Linux kills the process: allowed. */
	if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGKILL || WTERMSIG(status) == SIGSEGV))
		return 0;
	harness_fail(__FILE__, __LINE__, 0, "execve with allocation %u failing: status %#x", n,
		     status);
	return 0;
}

TEST_TIMEOUT(faultinject, execve, 120)
{
	unsigned int n;
	int fd = fail_nth_open("execve");
	struct mem_counts before;
	bool counted;

	if (fd < 0)
		return;
	close(fd);
	n = 0;
	op_execve(&n, &(long){ 0 });
	counted = mem_counts_read(&before) == 0;
	for (n = 1; n < MAX_NTH; n++) {
		long left = 0;
		int r = op_execve(&n, &left);

		if (r != 0 && r != -ENOMEM)
			harness_fail(__FILE__, __LINE__, 0, "execve, allocation %u failed: %d", n, r);
		if (left > 0)
			break;
	}
	EXPECT_LT(n, MAX_NTH);
	if (counted)
		mem_counts_check("execve", &before, n - 1);
	printf("  execve: %u allocations failed in turn\n", n - 1);
}

/*
 * Not an error path, but found by the same counts: umount2() left the
 * tmpfs instance behind (super block, root, every file with its inode and
 * pages), 3 inodes, dentries and 2 kmalloc-96 per mount of files.c's mount
 * test. Mounting, filling and unmounting a tmpfs in a loop must leave every
 * count where it was: less than one object per cycle may remain.
 */
#define MOUNT_CYCLES 20

TEST_TIMEOUT(faultinject, tmpfs_umount_frees_everything, 60)
{
	static char data[8192];
	struct mem_counts before, after;
	char name[32];

	ASSERT_OK(mkdir("m", 0755));
	if (mount("tmpfs", "m", "tmpfs", 0, "size=1m") < 0) {
		printf("  note: mount: %s (not privileged): not checked\n", harness_errname(errno));
		return;
	}
	ASSERT_OK(umount2("m", 0));
	if (mem_counts_read(&before)) {
		printf("  note: /proc/slabinfo unreadable: not checked\n");
		return;
	}
	for (int i = 0; i < MOUNT_CYCLES; i++) {
		ASSERT_OK(mount("tmpfs", "m", "tmpfs", 0, "size=1m"));
		ASSERT_OK(mkdir("m/d", 0755));
		for (int j = 0; j < 4; j++) {
			int fd;

			snprintf(name, sizeof(name), "m/d/f%d", j);
			fd = open(name, O_WRONLY | O_CREAT, 0600);
			ASSERT_TRUE(fd >= 0);
			EXPECT_EQ(write(fd, data, sizeof(data)), (ssize_t)sizeof(data));
			close(fd);
		}
		ASSERT_OK(umount2("m", 0));
	}
	ASSERT_OK(mem_counts_read(&after));
	for (int i = 0; i < after.n; i++)
		for (int j = 0; j < before.n; j++)
			if (!strcmp(after.name[i], before.name[j]) &&
			    after.value[i] >= before.value[j] + MOUNT_CYCLES)
				harness_fail(__FILE__, __LINE__, 0,
					     "%s grew from %ld to %ld over %d tmpfs mounts: a leak",
					     after.name[i], before.value[j], after.value[i],
					     MOUNT_CYCLES);
	rmdir("m");
}
