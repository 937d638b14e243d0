/*
 * Less common system calls, checked against Linux's behaviour on a machine
 * with one NUMA node: set_mempolicy/get_mempolicy/mbind/
 * set_mempolicy_home_node/migrate_pages/move_pages.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3
#define MPOL_LOCAL 4
#define MPOL_PREFERRED_MANY 5
#define MPOL_F_STATIC_NODES (1 << 15)
#define MPOL_F_RELATIVE_NODES (1 << 14)
#define MPOL_F_NODE 1
#define MPOL_F_ADDR 2
#define MPOL_F_MEMS_ALLOWED 4
#define MPOL_MF_STRICT 1
#define MPOL_MF_MOVE 2
#define MPOL_MF_MOVE_ALL 4
#define PG 4096UL
#ifndef SYS_set_mempolicy_home_node
#define SYS_set_mempolicy_home_node 450
#endif

static long set_mpol(int mode, unsigned long *mask, unsigned long maxnode)
{
	return syscall(SYS_set_mempolicy, mode, mask, maxnode);
}

static long get_mpol(int *mode, unsigned long *mask, unsigned long maxnode, void *addr,
		     unsigned long flags)
{
	return syscall(SYS_get_mempolicy, mode, mask, maxnode, addr, flags);
}

static long mbind_(void *addr, unsigned long len, int mode, unsigned long *mask,
		   unsigned long maxnode, unsigned int flags)
{
	return syscall(SYS_mbind, addr, len, mode, mask, maxnode, flags);
}

TEST(misc2, mempolicy_default_and_set)
{
	unsigned long m = ~0UL;
	int mode = -1;

	ASSERT_OK(get_mpol(&mode, &m, 64, NULL, 0));
	EXPECT_EQ(mode, MPOL_DEFAULT);
	EXPECT_EQ(m, 0UL);
	m = 1;
	ASSERT_OK(set_mpol(MPOL_BIND, &m, 64));
	m = 0;
	ASSERT_OK(get_mpol(&mode, &m, 64, NULL, 0));
	EXPECT_EQ(mode, MPOL_BIND);
	EXPECT_EQ(m, 1UL);
	m = 1;
	ASSERT_OK(set_mpol(MPOL_INTERLEAVE, &m, 64));
	ASSERT_OK(get_mpol(&mode, NULL, 0, NULL, MPOL_F_NODE));
	EXPECT_EQ(mode, 0);
	ASSERT_OK(set_mpol(MPOL_PREFERRED, NULL, 0));
	ASSERT_OK(get_mpol(&mode, &m, 64, NULL, 0));
	EXPECT_EQ(mode, MPOL_LOCAL);
	EXPECT_EQ(m, 0UL);
	m = 3;
	ASSERT_OK(set_mpol(MPOL_PREFERRED_MANY | MPOL_F_STATIC_NODES, &m, 64));
	m = 0;
	ASSERT_OK(get_mpol(&mode, &m, 64, NULL, 0));
	EXPECT_EQ(mode, MPOL_PREFERRED_MANY | MPOL_F_STATIC_NODES);
	EXPECT_EQ(m, 3UL);
	m = 2;
	ASSERT_OK(set_mpol(MPOL_BIND | MPOL_F_RELATIVE_NODES, &m, 64));
	ASSERT_OK(set_mpol(MPOL_DEFAULT, NULL, 0));
	ASSERT_OK(get_mpol(&mode, NULL, 0, NULL, 0));
	EXPECT_EQ(mode, MPOL_DEFAULT);
}

TEST(misc2, mempolicy_errors)
{
	unsigned long m = 2, big[32] = { 0 };
	int mode;

	EXPECT_ERRNO(set_mpol(MPOL_BIND, &m, 64), EINVAL);	/* node 1 does not exist */
	EXPECT_ERRNO(set_mpol(MPOL_BIND, NULL, 0), EINVAL);	/* empty mask */
	EXPECT_ERRNO(set_mpol(MPOL_INTERLEAVE, NULL, 0), EINVAL);
	m = 1;
	EXPECT_ERRNO(set_mpol(MPOL_DEFAULT, &m, 64), EINVAL);
	EXPECT_ERRNO(set_mpol(MPOL_LOCAL, &m, 64), EINVAL);
	EXPECT_ERRNO(set_mpol(7, &m, 64), EINVAL);
	EXPECT_ERRNO(set_mpol(MPOL_BIND | MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES, &m, 64),
		     EINVAL);
	EXPECT_ERRNO(set_mpol(MPOL_PREFERRED | MPOL_F_STATIC_NODES, NULL, 0), EINVAL);
	EXPECT_ERRNO(set_mpol(MPOL_BIND, (unsigned long *)8, 64), EFAULT);
	EXPECT_ERRNO(set_mpol(MPOL_BIND, &m, PG * 8 + 2), EINVAL);
	big[31] = 1;		/* node 1984: past MAX_NUMNODES */
	big[0] = 1;
	EXPECT_ERRNO(set_mpol(MPOL_BIND, big, 2048), EINVAL);
	/* Bits past maxnode - 1 are ignored: mask {1} with maxnode 2 reads node 0 only. */
	m = 2;
	EXPECT_ERRNO(set_mpol(MPOL_BIND, &m, 2), EINVAL);
	m = 3;
	EXPECT_OK(set_mpol(MPOL_BIND, &m, 2));
	EXPECT_ERRNO(get_mpol(&mode, &m, 0, NULL, 0), EINVAL);
	EXPECT_ERRNO(get_mpol(&mode, NULL, 0, NULL, 8), EINVAL);
	EXPECT_ERRNO(get_mpol(&mode, NULL, 0, &m, 0), EINVAL);
	EXPECT_ERRNO(get_mpol(&mode, NULL, 0, NULL, MPOL_F_MEMS_ALLOWED | MPOL_F_NODE), EINVAL);
	EXPECT_ERRNO(get_mpol(&mode, NULL, 0, NULL, MPOL_F_NODE), EINVAL);	/* not interleave */
	EXPECT_ERRNO(get_mpol((int *)8, NULL, 0, NULL, 0), EFAULT);
	EXPECT_ERRNO(get_mpol(&mode, (unsigned long *)8, 64, NULL, 0), EFAULT);
	EXPECT_ERRNO(get_mpol(&mode, NULL, 0, (void *)8, MPOL_F_ADDR), EFAULT);
}

TEST(misc2, mempolicy_mems_allowed_and_big_mask)
{
	unsigned long m[4] = { 0, ~0UL, ~0UL, ~0UL };
	int mode = -1;

	ASSERT_OK(get_mpol(&mode, m, 256, NULL, MPOL_F_MEMS_ALLOWED));
	EXPECT_EQ(mode, 0);
	EXPECT_EQ(m[0], 1UL);
	EXPECT_EQ(m[1], 0UL);	/* cleared up to maxnode */
	EXPECT_EQ(m[3], 0UL);
	m[0] = 5;
	ASSERT_OK(get_mpol(&mode, m, 1, NULL, 0));	/* maxnode 1: nothing copied */
	EXPECT_EQ(m[0], 5UL);
}

TEST(misc2, mempolicy_inherited_by_fork)
{
	unsigned long m = 1;
	int status;
	pid_t pid;

	ASSERT_OK(set_mpol(MPOL_INTERLEAVE, &m, 64));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int mode = -1;

		get_mpol(&mode, NULL, 0, NULL, 0);
		_exit(mode == MPOL_INTERLEAVE ? 0 : 1);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
}

TEST(misc2, mbind_vma_policy)
{
	unsigned long m = 1;
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int mode = -1;

	ASSERT_NE(p, MAP_FAILED);
	ASSERT_OK(mbind_(p + PG, PG, MPOL_BIND, &m, 64, MPOL_MF_STRICT | MPOL_MF_MOVE));
	ASSERT_OK(get_mpol(&mode, &m, 64, p + PG, MPOL_F_ADDR));
	EXPECT_EQ(mode, MPOL_BIND);
	EXPECT_EQ(m, 1UL);
	ASSERT_OK(get_mpol(&mode, &m, 64, p, MPOL_F_ADDR));
	EXPECT_EQ(mode, MPOL_DEFAULT);
	EXPECT_EQ(m, 0UL);
	ASSERT_OK(get_mpol(&mode, NULL, 0, p + 2 * PG, MPOL_F_ADDR | MPOL_F_NODE));
	EXPECT_EQ(mode, 0);
	ASSERT_OK(mbind_(p + PG, PG, MPOL_LOCAL, NULL, 0, 0));
	ASSERT_OK(get_mpol(&mode, NULL, 0, p + PG, MPOL_F_ADDR));
	EXPECT_EQ(mode, MPOL_LOCAL);
	/* home node: only for BIND and PREFERRED_MANY VMAs */
	EXPECT_ERRNO(syscall(SYS_set_mempolicy_home_node, p, 4 * PG, 0, 0), EOPNOTSUPP);
	ASSERT_OK(mbind_(p + PG, PG, MPOL_DEFAULT, NULL, 0, MPOL_MF_STRICT));
	/* No VMA with a policy in the range: ENOENT. */
	EXPECT_ERRNO(syscall(SYS_set_mempolicy_home_node, p, 4 * PG, 0, 0), ENOENT);
	m = 1;
	ASSERT_OK(mbind_(p, PG, MPOL_PREFERRED_MANY, &m, 64, 0));
	EXPECT_OK(syscall(SYS_set_mempolicy_home_node, p, 4 * PG, 0, 0));
	EXPECT_ERRNO(syscall(SYS_set_mempolicy_home_node, p, PG, 1, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_set_mempolicy_home_node, p, PG, 0, 1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_set_mempolicy_home_node, p + 1, PG, 0, 0), EINVAL);
	munmap(p, 4 * PG);
}

TEST(misc2, mbind_errors)
{
	unsigned long m = 1;
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(p, MAP_FAILED);
	ASSERT_OK(munmap(p + PG, PG));
	EXPECT_ERRNO(mbind_(p, 4 * PG, MPOL_BIND, &m, 64, 0), EFAULT);	/* hole */
	EXPECT_ERRNO(mbind_(p + 1, PG, MPOL_BIND, &m, 64, 0), EINVAL);
	EXPECT_ERRNO(mbind_(p, PG, MPOL_BIND, &m, 64, 8), EINVAL);
	EXPECT_ERRNO(mbind_(p, PG, MPOL_BIND, NULL, 0, 0), EINVAL);
	m = 2;
	EXPECT_ERRNO(mbind_(p, PG, MPOL_BIND, &m, 64, 0), EINVAL);
	EXPECT_ERRNO(mbind_(p, PG, 9, &m, 64, 0), EINVAL);
	EXPECT_ERRNO(mbind_(p, PG, MPOL_BIND, (unsigned long *)8, 64, 0), EFAULT);
	EXPECT_OK(mbind_(p, 0, MPOL_BIND, NULL, 0, 0));	/* empty range: nothing checked */
	munmap(p, 4 * PG);
}

TEST(misc2, move_pages_reports_nodes)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *pages[3];
	int status[3] = { 7, 7, 7 }, nodes[3] = { 0, 0, 0 };

	ASSERT_NE(p, MAP_FAILED);
	p[0] = 1;
	ASSERT_OK(munmap(p + 2 * PG, PG));
	pages[0] = p;
	pages[1] = p + PG;	/* never touched */
	pages[2] = p + 2 * PG;	/* unmapped */
	ASSERT_OK(syscall(SYS_move_pages, 0, 3, pages, NULL, status, 0));
	EXPECT_EQ(status[0], 0);
	EXPECT_EQ(status[1], -ENOENT);
	EXPECT_EQ(status[2], -EFAULT);
	EXPECT_EQ(syscall(SYS_move_pages, getpid(), 1, pages, nodes, status, MPOL_MF_MOVE), 0);
	EXPECT_EQ(status[0], 0);
	nodes[0] = 1;
	EXPECT_ERRNO(syscall(SYS_move_pages, 0, 1, pages, nodes, status, MPOL_MF_MOVE), ENODEV);
	EXPECT_ERRNO(syscall(SYS_move_pages, 0, 1, pages, NULL, status, 8), EINVAL);
	EXPECT_ERRNO(syscall(SYS_move_pages, 0, 1, pages, NULL, (int *)8, 0), EFAULT);
	EXPECT_ERRNO(syscall(SYS_move_pages, 0x7ffffff0, 1, pages, NULL, status, 0), ESRCH);
	munmap(p, 2 * PG);
}

TEST(misc2, migrate_pages_nothing_to_move)
{
	unsigned long old = 1, new = 1;

	EXPECT_EQ(syscall(SYS_migrate_pages, 0, 64, &old, &new), 0);
	EXPECT_EQ(syscall(SYS_migrate_pages, getpid(), 64, &old, &new), 0);
	EXPECT_ERRNO(syscall(SYS_migrate_pages, 0x7ffffff0, 64, &old, &new), ESRCH);
	EXPECT_ERRNO(syscall(SYS_migrate_pages, 0, 64, (unsigned long *)8, &new), EFAULT);
	EXPECT_ERRNO(syscall(SYS_migrate_pages, 0, PG * 8 + 2, &old, &new), EINVAL);
}

/* sysfs(2) walks the registered file system types in /proc/filesystems order. */
TEST(misc2, sysfs_lists_filesystems)
{
	char buf[4096], name[256], want[256];
	long n, i;
	FILE *f;

	n = syscall(SYS_sysfs, 3);
	ASSERT_GE(n, 1);
	f = fopen("/proc/filesystems", "r");
	ASSERT_TRUE(f != NULL);
	for (i = 0; fgets(buf, sizeof(buf), f); i++) {
		char *tab = strchr(buf, '\t');

		ASSERT_TRUE(tab != NULL);
		snprintf(want, sizeof(want), "%s", tab + 1);
		want[strcspn(want, "\n")] = 0;
		ASSERT_OK(syscall(SYS_sysfs, 2, i, name));
		EXPECT_STREQ(name, want);
		EXPECT_EQ(syscall(SYS_sysfs, 1, want), i);
	}
	fclose(f);
	EXPECT_EQ(i, n);
	EXPECT_ERRNO(syscall(SYS_sysfs, 2, n, name), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sysfs, 1, "nosuchfs"), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sysfs, 1, ""), ENOENT);
	EXPECT_ERRNO(syscall(SYS_sysfs, 1, (char *)8), EFAULT);
	EXPECT_ERRNO(syscall(SYS_sysfs, 2, 0, (char *)8), EFAULT);
	EXPECT_ERRNO(syscall(SYS_sysfs, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sysfs, 4), EINVAL);
}

struct ustat_ {
	int f_tfree;
	unsigned long f_tinode;
	char f_fname[6];
	char f_fpack[6];
};

TEST(misc2, ustat_of_mounted_fs)
{
	struct ustat_ u;
	struct stat st;

	ASSERT_OK(stat("/proc", &st));
	memset(&u, 0x55, sizeof(u));
	ASSERT_OK(syscall(SYS_ustat, (unsigned int)st.st_dev, &u));
	EXPECT_EQ(u.f_tfree, 0);	/* proc has no blocks */
	EXPECT_EQ(u.f_fname[0], 0);
	EXPECT_EQ(u.f_fpack[0], 0);
	EXPECT_ERRNO(syscall(SYS_ustat, (unsigned int)st.st_dev, (void *)8), EFAULT);
	EXPECT_ERRNO(syscall(SYS_ustat, 0xfff00fffU, &u), EINVAL);
}

#ifndef SYS_process_madvise
#define SYS_process_madvise 440
#endif
#ifndef SYS_process_mrelease
#define SYS_process_mrelease 448
#endif
#define MADV_COLD_ 20
#define MADV_PAGEOUT_ 21

static pid_t spawn_sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	return pid;
}

TEST(misc2, process_madvise_self_and_child)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec iov[2];
	int self, cfd, status;
	pid_t child;

	ASSERT_NE(p, MAP_FAILED);
	self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	ASSERT_GE(self, 0);
	iov[0].iov_base = p;
	iov[0].iov_len = PG;
	iov[1].iov_base = p + 2 * PG;
	iov[1].iov_len = PG;
	EXPECT_EQ(syscall(SYS_process_madvise, self, iov, 2, MADV_COLD_, 0), (long)(2 * PG));
	EXPECT_EQ(syscall(SYS_process_madvise, self, iov, 1, MADV_WILLNEED, 0), (long)PG);
	EXPECT_EQ(syscall(SYS_process_madvise, self, iov, 0, MADV_COLD_, 0), 0);
	/* On itself a process may give any advice. */
	p[0] = 7;
	EXPECT_EQ(syscall(SYS_process_madvise, self, iov, 1, MADV_DONTNEED, 0), (long)PG);
	EXPECT_EQ(p[0], 0);
	EXPECT_ERRNO(syscall(SYS_process_madvise, self, iov, 1, MADV_COLD_, 1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_process_madvise, self, (void *)8, 1, MADV_COLD_, 0), EFAULT);
	EXPECT_ERRNO(syscall(SYS_process_madvise, self, iov, 1025, MADV_COLD_, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_process_madvise, 0, iov, 1, MADV_COLD_, 0), EBADF);
	/* Partial: the second range is unmapped, so the first one's bytes are returned. */
	ASSERT_OK(munmap(p + 2 * PG, PG));
	EXPECT_EQ(syscall(SYS_process_madvise, self, iov, 2, MADV_PAGEOUT_, 0), (long)PG);
	EXPECT_ERRNO(syscall(SYS_process_madvise, self, iov + 1, 1, MADV_PAGEOUT_, 0), ENOMEM);

	child = spawn_sleeper();
	ASSERT_GE(child, 0);
	cfd = (int)syscall(SYS_pidfd_open, child, 0);
	ASSERT_GE(cfd, 0);
	EXPECT_EQ(syscall(SYS_process_madvise, cfd, iov, 1, MADV_COLD_, 0), (long)PG);
	EXPECT_ERRNO(syscall(SYS_process_madvise, cfd, iov, 1, MADV_DONTNEED, 0), EINVAL);
	/* process_mrelease: the child lives, so there is nothing to release. */
	EXPECT_ERRNO(syscall(SYS_process_mrelease, cfd, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_process_mrelease, cfd, 1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_process_mrelease, 0, 0), EBADF);
	kill(child, SIGKILL);
	/* A zombie has no memory left. */
	ASSERT_EQ(waitid(P_PID, child, NULL, WEXITED | WNOWAIT), 0);
	EXPECT_ERRNO(syscall(SYS_process_mrelease, cfd, 0), ESRCH);
	EXPECT_ERRNO(syscall(SYS_process_madvise, cfd, iov, 1, MADV_COLD_, 0), ESRCH);
	ASSERT_EQ(waitpid(child, &status, 0), child);
	close(cfd);
	close(self);
	munmap(p, PG);
}

TEST(misc2, process_madvise_needs_ptrace_access)
{
	struct iovec iov = { 0 };
	int cfd, status;
	pid_t child, tester;

	child = spawn_sleeper();
	ASSERT_GE(child, 0);
	cfd = (int)syscall(SYS_pidfd_open, child, 0);
	ASSERT_GE(cfd, 0);
	tester = fork();
	ASSERT_GE(tester, 0);
	if (tester == 0) {
		long r;

		if (setresuid(65534, 65534, 65534))
			_exit(2);
		r = syscall(SYS_process_madvise, cfd, &iov, 1, MADV_COLD_, 0);
		_exit(r == -1 && errno == EACCES ? 0 : 1);
	}
	ASSERT_EQ(waitpid(tester, &status, 0), tester);
	EXPECT_EQ(status, 0);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	close(cfd);
}

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
struct fwaitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t __reserved;
};
#define F2_U32 0x02
#define FUTEX_WAKE_PRIVATE_ 129
#define F2_PRIVATE 128

static uint32_t fw_words[3];

static long waitv(struct fwaitv *w, unsigned int n, unsigned int flags, struct timespec *ts, int clk)
{
	return syscall(SYS_futex_waitv, w, n, flags, ts, clk);
}

static void fw_fill(struct fwaitv *w, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		w[i].val = fw_words[i];
		w[i].uaddr = (uintptr_t)&fw_words[i];
		w[i].flags = F2_U32 | F2_PRIVATE;
		w[i].__reserved = 0;
	}
}

static struct timespec fw_deadline(int clk, long ms)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	ts.tv_nsec += ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	return ts;
}

static void *fw_waker(void *arg)
{
	(void)arg;
	usleep(50000);
	__atomic_store_n(&fw_words[1], 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &fw_words[1], FUTEX_WAKE_PRIVATE_, 1, NULL, NULL, 0);
	return NULL;
}

TEST(misc2, futex_waitv_wakes_and_times_out)
{
	struct fwaitv w[3];
	struct timespec ts;
	pthread_t th;

	fw_words[0] = fw_words[1] = fw_words[2] = 0;
	fw_fill(w, 3);
	ASSERT_EQ(pthread_create(&th, NULL, fw_waker, NULL), 0);
	ts = fw_deadline(CLOCK_MONOTONIC, 5000);
	EXPECT_EQ(waitv(w, 3, 0, &ts, CLOCK_MONOTONIC), 1);
	pthread_join(th, NULL);
	/* fw_words[1] is 1 now: its expected value 0 differs. */
	EXPECT_ERRNO(waitv(w, 3, 0, NULL, 0), EAGAIN);
	fw_fill(w, 3);
	ts = fw_deadline(CLOCK_MONOTONIC, 30);
	EXPECT_ERRNO(waitv(w, 3, 0, &ts, CLOCK_MONOTONIC), ETIMEDOUT);
	ts = fw_deadline(CLOCK_REALTIME, 30);
	EXPECT_ERRNO(waitv(w, 1, 0, &ts, CLOCK_REALTIME), ETIMEDOUT);
	ts.tv_sec = 0;
	ts.tv_nsec = 0;
	EXPECT_ERRNO(waitv(w, 1, 0, &ts, CLOCK_MONOTONIC), ETIMEDOUT);
}

TEST(misc2, futex_waitv_errors)
{
	static struct fwaitv many[129];
	struct fwaitv w[2];
	struct timespec ts = { 0, 0 };

	fw_words[0] = fw_words[1] = 0;
	fw_fill(w, 2);
	fw_fill(many, 1);
	EXPECT_ERRNO(waitv(w, 1, 1, &ts, CLOCK_MONOTONIC), EINVAL);
	EXPECT_ERRNO(waitv(w, 0, 0, &ts, CLOCK_MONOTONIC), EINVAL);
	EXPECT_ERRNO(waitv(many, 129, 0, &ts, CLOCK_MONOTONIC), EINVAL);
	EXPECT_ERRNO(waitv(NULL, 1, 0, &ts, CLOCK_MONOTONIC), EINVAL);
	EXPECT_ERRNO(waitv(w, 1, 0, &ts, CLOCK_BOOTTIME), EINVAL);
	EXPECT_ERRNO(waitv(w, 1, 0, (struct timespec *)8, CLOCK_MONOTONIC), EFAULT);
	ts.tv_nsec = 1000000000L;
	EXPECT_ERRNO(waitv(w, 1, 0, &ts, CLOCK_MONOTONIC), EINVAL);
	ts.tv_nsec = 0;
	EXPECT_ERRNO(waitv((struct fwaitv *)8, 1, 0, &ts, CLOCK_MONOTONIC), EFAULT);
	w[1].flags = 0x01 | F2_PRIVATE;	/* 16-bit futexes are not supported */
	EXPECT_ERRNO(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC), EINVAL);
	w[1].flags = F2_U32;
	w[1].__reserved = 1;
	EXPECT_ERRNO(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC), EINVAL);
	w[1].__reserved = 0;
	w[1].val = 1ULL << 32;
	EXPECT_ERRNO(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC), EINVAL);
	w[1].val = 0;
	w[1].uaddr = (uintptr_t)&fw_words[1] + 1;
	EXPECT_ERRNO(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC), EINVAL);
	w[1].uaddr = 8;
	EXPECT_ERRNO(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC), EFAULT);
	w[1].uaddr = (uintptr_t)&fw_words[1];
	EXPECT_ERRNO(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC), ETIMEDOUT);
}

/* remap_file_pages is emulated: the range shows another part of the file. */
TEST(misc2, remap_file_pages_emulation)
{
	char path[] = "/tmp/misc2-rfpXXXXXX";
	char *p, *priv, buf[4 * PG];
	int fd;

	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	unlink(path);
	for (int i = 0; i < 4; i++)
		memset(buf + i * PG, 'a' + i, PG);
	ASSERT_EQ(write(fd, buf, sizeof(buf)), (long)sizeof(buf));
	p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(p, MAP_FAILED);
	ASSERT_OK(syscall(SYS_remap_file_pages, p, PG, 0, 3, 0));
	EXPECT_EQ(p[0], 'd');
	EXPECT_EQ(p[PG], 'b');
	ASSERT_OK(syscall(SYS_remap_file_pages, p + PG + 5, 2 * PG + 7, 0, 0, 0));	/* truncated */
	EXPECT_EQ(p[PG], 'a');
	EXPECT_EQ(p[2 * PG], 'b');
	EXPECT_EQ(p[3 * PG], 'd');
	/* The range now spans VMAs of one file with the same flags: allowed. */
	EXPECT_OK(syscall(SYS_remap_file_pages, p, 4 * PG, 0, 0, 0));
	EXPECT_EQ(p[0], 'a');
	EXPECT_EQ(p[3 * PG], 'd');
	EXPECT_ERRNO(syscall(SYS_remap_file_pages, p, PG, PROT_READ, 0, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_remap_file_pages, p, 0, 0, 0, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_remap_file_pages, p, 5 * PG, 0, 0, 0), EINVAL);	/* past the end */
	EXPECT_ERRNO(syscall(SYS_remap_file_pages, p, PG, 0, ~0UL, 0), EINVAL);	/* pgoff wraps */
	priv = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT_NE(priv, MAP_FAILED);
	EXPECT_ERRNO(syscall(SYS_remap_file_pages, priv, PG, 0, 1, 0), EINVAL);	/* not shared */
	munmap(priv, PG);
	ASSERT_OK(munmap(p + PG, PG));
	EXPECT_OK(syscall(SYS_remap_file_pages, p, PG, 0, 0, 0));
	EXPECT_ERRNO(syscall(SYS_remap_file_pages, p + PG, PG, 0, 0, 0), EINVAL);	/* unmapped */
	EXPECT_ERRNO(syscall(SYS_remap_file_pages, p, 3 * PG, 0, 0, 0), EINVAL);	/* hole */
	munmap(p, 4 * PG);
	close(fd);
}
