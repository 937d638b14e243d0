/*
 * System V IPC tests: shared memory (keys, attach at an address,
 * SHM_RDONLY, nattch across fork, exec and exit, IPC_RMID of an attached
 * segment), semaphores (atomic multi-op semop, blocking and wake-up across
 * processes, EIDRM, EINTR, semtimedop timeouts, SEM_UNDO at exit), message
 * queues (types, MSG_EXCEPT, MSG_NOERROR, MSG_COPY, blocking send and
 * receive), the *_INFO and *_STAT commands, permissions, bad pointers,
 * /proc/sys/kernel limits and /proc/sysvipc. The ctl commands go through
 * syscall() with the kernel's x86_64 structures, so the ABI itself is
 * what is checked.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MS 1000000LL
#define PAGE 4096UL

/* The kernel's x86_64 structures (uapi/linux/{ipc,shm,sem,msg}.h). */
struct k_perm {
	int key;
	unsigned int uid, gid, cuid, cgid, mode;
	unsigned short seq, pad;
	unsigned long unused1, unused2;
};

struct k_shmid_ds {
	struct k_perm perm;
	size_t segsz;
	long atime, dtime, ctime;
	int cpid, lpid;
	unsigned long nattch, unused4, unused5;
};

struct k_semid_ds {
	struct k_perm perm;
	long otime;
	unsigned long unused1;
	long ctime;
	unsigned long unused2, nsems, unused3, unused4;
};

struct k_msqid_ds {
	struct k_perm perm;
	long stime, rtime, ctime;
	unsigned long cbytes, qnum, qbytes;
	int lspid, lrpid;
	unsigned long unused4, unused5;
};

struct k_shminfo {
	unsigned long shmmax, shmmin, shmmni, shmseg, shmall, unused[4];
};

struct k_shm_info {
	int used_ids;
	unsigned long shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes;
};

struct k_seminfo {
	int semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem;
};

struct k_msginfo {
	int msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
	unsigned short msgseg;
};

#define K_SHM_STAT 13
#define K_SHM_INFO 14
#define K_SHM_STAT_ANY 15
#define K_SEM_STAT 18
#define K_SEM_INFO 19
#define K_SEM_STAT_ANY 20
#define K_MSG_STAT 11
#define K_MSG_INFO 12
#define K_MSG_STAT_ANY 13
#define K_MSG_COPY 040000
#define K_SHM_DEST 01000
#define K_SHM_LOCKED 02000

static long k_shmctl(int id, int cmd, void *buf)
{
	return syscall(SYS_shmctl, id, cmd, buf);
}

static long k_semctl(int id, int num, int cmd, unsigned long arg)
{
	return syscall(SYS_semctl, id, num, cmd, arg);
}

static long k_msgctl(int id, int cmd, void *buf)
{
	return syscall(SYS_msgctl, id, cmd, buf);
}

static long k_semop(int id, short num, short op, short flg)
{
	struct sembuf sb = { .sem_num = (unsigned short)num, .sem_op = op, .sem_flg = flg };

	return syscall(SYS_semop, id, &sb, 1);
}

/* A key no other test (or a concurrent run) uses. */
static key_t test_key(int n)
{
	/* The test's process group: its children make the same keys. */
	return (key_t)(0x5e000000 | ((getpgrp() & 0xffff) << 8) | n);
}

static unsigned long shm_nattch(int id)
{
	struct k_shmid_ds ds;

	if (k_shmctl(id, IPC_STAT, &ds))
		return (unsigned long)-1;
	return ds.nattch;
}

/* Waits (up to 2 s) until @semnum of @id has @n sleepers for an increase (or zero with @zero). */
static int wait_sleepers(int id, int semnum, bool zero, int n)
{
	for (int i = 0; i < 2000; i++) {
		if (k_semctl(id, semnum, zero ? GETZCNT : GETNCNT, 0) == n)
			return 0;
		usleep(1000);
	}
	return -1;
}

static void drop_to_user(void)
{
	if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		_exit(3);
}

static int child_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* ---- shared memory ------------------------------------------------------ */

TEST(sysvipc, shm_private_create_and_stat)
{
	struct k_shmid_ds ds;
	long before = time(NULL);
	int id = ASSERT_OK(shmget(IPC_PRIVATE, 5000, 0640));

	EXPECT_GE(id, 0);
	ASSERT_OK(k_shmctl(id, IPC_STAT, &ds));
	EXPECT_EQ(ds.perm.key, IPC_PRIVATE);
	EXPECT_EQ(ds.perm.mode, 0640);
	EXPECT_EQ(ds.perm.uid, geteuid());
	EXPECT_EQ(ds.perm.cuid, geteuid());
	EXPECT_EQ(ds.perm.gid, getegid());
	EXPECT_EQ(ds.perm.seq, id / 32768);
	EXPECT_EQ(ds.segsz, 5000);
	EXPECT_EQ(ds.cpid, getpid());
	EXPECT_EQ(ds.lpid, 0);
	EXPECT_EQ(ds.nattch, 0);
	EXPECT_EQ(ds.atime, 0);
	EXPECT_GE(ds.ctime, before);
	/* Two private segments are two segments. */
	int id2 = ASSERT_OK(shmget(IPC_PRIVATE, 5000, 0640));
	EXPECT_NE(id, id2);
	EXPECT_OK(k_shmctl(id, IPC_RMID, NULL));
	EXPECT_OK(k_shmctl(id2, IPC_RMID, NULL));
	EXPECT_ERRNO(k_shmctl(id, IPC_STAT, &ds), EINVAL);
}

TEST(sysvipc, shm_keys_and_limits)
{
	key_t key = test_key(1);
	int id = ASSERT_OK(shmget(key, 3 * PAGE, IPC_CREAT | IPC_EXCL | 0600));

	EXPECT_EQ(shmget(key, 3 * PAGE, 0), id);
	EXPECT_EQ(shmget(key, 0, IPC_CREAT), id);
	EXPECT_EQ(shmget(key, 100, 0600), id);
	EXPECT_ERRNO(shmget(key, 3 * PAGE, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
	EXPECT_ERRNO(shmget(key, 4 * PAGE, 0600), EINVAL);
	EXPECT_ERRNO(shmget(test_key(2), PAGE, 0600), ENOENT);
	EXPECT_ERRNO(shmget(IPC_PRIVATE, 0, 0600), EINVAL);
	EXPECT_ERRNO(shmget(IPC_PRIVATE, (size_t)-1, 0600), EINVAL);
	EXPECT_OK(k_shmctl(id, IPC_RMID, NULL));
	/* The key is free again. */
	EXPECT_ERRNO(shmget(key, PAGE, 0600), ENOENT);
}

TEST(sysvipc, shm_attach_fork_exit_nattch)
{
	int id = ASSERT_OK(shmget(IPC_PRIVATE, 10000, 0600));
	char *p = shmat(id, NULL, 0);
	struct k_shmid_ds ds;
	int sync[2];
	pid_t pid;

	ASSERT_TRUE(p != (void *)-1);
	EXPECT_EQ((unsigned long)p % PAGE, 0);
	EXPECT_EQ(p[0], 0);
	EXPECT_EQ(p[9999], 0);
	strcpy(p, "parent");
	ASSERT_OK(k_shmctl(id, IPC_STAT, &ds));
	EXPECT_EQ(ds.nattch, 1);
	EXPECT_EQ(ds.lpid, getpid());
	EXPECT_GE(ds.atime, ds.ctime);
	ASSERT_OK(pipe(sync));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		char c;

		close(sync[1]);
		/* Inherited: the same pages, one more attachment. */
		if (strcmp(p, "parent") || shm_nattch(id) != 2)
			_exit(1);
		strcpy(p + 5000, "child");
		/* Until the parent has looked (EOF). */
		if (read(sync[0], &c, 1) != 0)
			_exit(2);
		_exit(0);
	}
	close(sync[0]);
	for (int i = 0; i < 1000 && strcmp(p + 5000, "child"); i++)
		usleep(1000);
	EXPECT_STREQ(p + 5000, "child");
	EXPECT_EQ(shm_nattch(id), 2);
	close(sync[1]);
	EXPECT_EQ(child_status(pid), 0);
	/* The child's exit detached it. */
	EXPECT_EQ(shm_nattch(id), 1);
	EXPECT_OK(shmdt(p));
	ASSERT_OK(k_shmctl(id, IPC_STAT, &ds));
	EXPECT_EQ(ds.nattch, 0);
	EXPECT_EQ(ds.lpid, getpid());
	EXPECT_GE(ds.dtime, ds.atime);
	EXPECT_ERRNO(shmdt(p), EINVAL);
	/* The pages outlive the attachments until IPC_RMID. */
	p = shmat(id, NULL, SHM_RDONLY);
	ASSERT_TRUE(p != (void *)-1);
	EXPECT_STREQ(p + 5000, "child");
	EXPECT_OK(shmdt(p));
	EXPECT_OK(k_shmctl(id, IPC_RMID, NULL));
}

TEST(sysvipc, shm_exec_detaches)
{
	int id = ASSERT_OK(shmget(IPC_PRIVATE, PAGE, 0600));
	char *p = shmat(id, NULL, 0);
	char out[8192], idstr[16], *line;
	char *argv[] = { (char *)harness_self, HELPER_ARG, "procfile", "/proc/sysvipc/shm", NULL };
	char *envp[] = { NULL };
	int key, sid, perms, cpid, lpid;
	unsigned long size, nattch = 99;

	ASSERT_TRUE(p != (void *)-1);
	/* The forked child is attached until its exec; the helper it becomes sees only ours. */
	EXPECT_EQ(run_capture(harness_self, argv, envp, out, sizeof(out)), 0);
	snprintf(idstr, sizeof(idstr), " %d ", id);
	line = strstr(out, idstr);
	ASSERT_TRUE(line != NULL);
	while (line > out && line[-1] != '\n')
		line--;
	EXPECT_EQ(sscanf(line, "%d %d %o %lu %d %d %lu", &key, &sid, &perms, &size, &cpid, &lpid,
			 &nattch), 7);
	EXPECT_EQ(sid, id);
	EXPECT_EQ(nattch, 1);
	EXPECT_OK(shmdt(p));
	EXPECT_OK(k_shmctl(id, IPC_RMID, NULL));
}

TEST(sysvipc, shm_rmid_while_attached)
{
	key_t key = test_key(3);
	int id = ASSERT_OK(shmget(key, PAGE, IPC_CREAT | 0600));
	char *p = shmat(id, NULL, 0), *q;
	struct k_shmid_ds ds;

	ASSERT_TRUE(p != (void *)-1);
	strcpy(p, "alive");
	EXPECT_OK(k_shmctl(id, IPC_RMID, NULL));
	/* Still there, but private and marked for destruction. */
	ASSERT_OK(k_shmctl(id, IPC_STAT, &ds));
	EXPECT_EQ(ds.perm.key, IPC_PRIVATE);
	EXPECT_EQ(ds.perm.mode, 0600 | K_SHM_DEST);
	EXPECT_EQ(ds.nattch, 1);
	EXPECT_STREQ(p, "alive");
	EXPECT_ERRNO(shmget(key, PAGE, 0600), ENOENT);
	/* Linux lets a SHM_DEST segment be attached again by id. */
	q = shmat(id, NULL, 0);
	ASSERT_TRUE(q != (void *)-1);
	EXPECT_STREQ(q, "alive");
	EXPECT_EQ(shm_nattch(id), 2);
	EXPECT_OK(shmdt(q));
	EXPECT_OK(shmdt(p));
	/* The last detach destroyed it. */
	EXPECT_ERRNO(k_shmctl(id, IPC_STAT, &ds), EINVAL);
	EXPECT_ERRNO(shmat(id, NULL, 0), EINVAL);
}

static void write_byte(void *p)
{
	*(volatile char *)p = 1;
}

TEST(sysvipc, shm_rdonly)
{
	int id = ASSERT_OK(shmget(IPC_PRIVATE, PAGE, 0600));
	char *p = shmat(id, NULL, SHM_RDONLY);

	ASSERT_TRUE(p != (void *)-1);
	EXPECT_EQ(p[0], 0);
	EXPECT_EQ(child_fault_code(SIGSEGV, write_byte, p), SEGV_ACCERR);
	/* The mapping was made from a read-only attachment: write cannot be added. */
	EXPECT_ERRNO(mprotect(p, PAGE, PROT_READ | PROT_WRITE), EACCES);
	EXPECT_OK(shmdt(p));
	EXPECT_OK(k_shmctl(id, IPC_RMID, NULL));
}

TEST(sysvipc, shm_attach_at_address)
{
	int id = ASSERT_OK(shmget(IPC_PRIVATE, 2 * PAGE, 0600));
	char *area = mmap(NULL, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p;

	ASSERT_TRUE(area != MAP_FAILED);
	/* A mapping is in the way: EINVAL unless SHM_REMAP. */
	EXPECT_ERRNO(shmat(id, area + PAGE, 0), EINVAL);
	p = shmat(id, area + PAGE, SHM_REMAP);
	EXPECT_TRUE(p == area + PAGE);
	p[0] = 'x';
	EXPECT_OK(shmdt(p));
	/* Unaligned: EINVAL, or rounded down with SHM_RND. */
	EXPECT_ERRNO(shmat(id, area + PAGE + 10, SHM_REMAP), EINVAL);
	p = shmat(id, area + 2 * PAGE + 10, SHM_RND | SHM_REMAP);
	EXPECT_TRUE(p == area + 2 * PAGE);
	EXPECT_EQ(p[0], 'x');
	/* shmdt needs the start of an attachment. */
	EXPECT_ERRNO(shmdt(p + PAGE), EINVAL);
	EXPECT_ERRNO(shmdt(p + 1), EINVAL);
	EXPECT_ERRNO(shmdt(area), EINVAL);
	EXPECT_OK(shmdt(p));
	/* SHM_REMAP needs an address; a free address works without it. */
	EXPECT_ERRNO(shmat(id, NULL, SHM_REMAP), EINVAL);
	EXPECT_ERRNO(shmat(id, (void *)10, SHM_RND | SHM_REMAP), EINVAL);
	ASSERT_OK(munmap(area, 8 * PAGE));
	p = shmat(id, area + PAGE, 0);
	EXPECT_TRUE(p == area + PAGE);
	EXPECT_EQ(p[0], 'x');
	EXPECT_OK(shmdt(p));
	EXPECT_ERRNO(shmat(-1, NULL, 0), EINVAL);
	EXPECT_ERRNO(shmat(id + 1, NULL, 0), EINVAL);
	EXPECT_OK(k_shmctl(id, IPC_RMID, NULL));
}

TEST(sysvipc, shm_munmap_detaches)
{
	int id = ASSERT_OK(shmget(IPC_PRIVATE, 2 * PAGE, 0600));
	char *p = shmat(id, NULL, 0);

	ASSERT_TRUE(p != (void *)-1);
	EXPECT_EQ(shm_nattch(id), 1);
	ASSERT_OK(munmap(p, 2 * PAGE));
	EXPECT_EQ(shm_nattch(id), 0);
	EXPECT_OK(k_shmctl(id, IPC_RMID, NULL));
}

TEST(sysvipc, shm_ctl_commands)
{
	int id = ASSERT_OK(shmget(IPC_PRIVATE, 3 * PAGE + 1, 0600));
	struct k_shminfo info;
	struct k_shm_info si;
	struct k_shmid_ds ds;
	char buf[64];
	long idx;
	int fd;
	ssize_t n;

	idx = k_shmctl(0, IPC_INFO, &info);
	EXPECT_GE(idx, id % 32768);
	EXPECT_EQ(info.shmmin, 1);
	fd = ASSERT_OK(open("/proc/sys/kernel/shmmax", O_RDONLY));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_TRUE(n > 0);
	buf[n] = 0;
	EXPECT_EQ(info.shmmax, strtoul(buf, NULL, 10));
	EXPECT_EQ(k_shmctl(0, K_SHM_INFO, &si), idx);
	EXPECT_GE(si.used_ids, 1);
	EXPECT_GE(si.shm_tot, 4);
	/* SHM_STAT takes an index and returns the id. */
	EXPECT_EQ(k_shmctl(id % 32768, K_SHM_STAT, &ds), id);
	EXPECT_EQ(ds.segsz, 3 * PAGE + 1);
	EXPECT_EQ(k_shmctl(id % 32768, K_SHM_STAT_ANY, &ds), id);
	/* IPC_SET: owner ids and the permission bits only. */
	ds.perm.mode = 0644 | K_SHM_DEST;
	ds.perm.uid = 1234;
	EXPECT_OK(k_shmctl(id, IPC_SET, &ds));
	ASSERT_OK(k_shmctl(id, IPC_STAT, &ds));
	EXPECT_EQ(ds.perm.mode, 0644);
	EXPECT_EQ(ds.perm.uid, 1234);
	EXPECT_EQ(ds.perm.cuid, geteuid());
	EXPECT_OK(k_shmctl(id, SHM_LOCK, NULL));
	ASSERT_OK(k_shmctl(id, IPC_STAT, &ds));
	EXPECT_EQ(ds.perm.mode, 0644 | K_SHM_LOCKED);
	EXPECT_OK(k_shmctl(id, SHM_UNLOCK, NULL));
	ASSERT_OK(k_shmctl(id, IPC_STAT, &ds));
	EXPECT_EQ(ds.perm.mode, 0644);
	/* Bad input. */
	EXPECT_ERRNO(k_shmctl(id, 99, &ds), EINVAL);
	EXPECT_ERRNO(k_shmctl(id, IPC_STAT | 0x100, &ds), EINVAL);
	EXPECT_ERRNO(k_shmctl(-1, IPC_STAT, &ds), EINVAL);
	EXPECT_ERRNO(k_shmctl(id + 32768, IPC_STAT, &ds), EINVAL);
	EXPECT_ERRNO(k_shmctl(id, IPC_STAT, unmapped_page()), EFAULT);
	EXPECT_ERRNO(k_shmctl(id, IPC_SET, unmapped_page()), EFAULT);
	EXPECT_ERRNO(k_shmctl(0, IPC_INFO, unmapped_page()), EFAULT);
	EXPECT_OK(k_shmctl(id, IPC_RMID, NULL));
	EXPECT_ERRNO(k_shmctl(id, IPC_RMID, NULL), EINVAL);
}

static void shm_perm_child(void *arg)
{
	int id = *(int *)arg, ro = *((int *)arg + 1);
	struct k_shmid_ds ds;
	void *p;

	drop_to_user();
	EXPECT_ERRNO(shmat(id, NULL, 0), EACCES);
	EXPECT_ERRNO(k_shmctl(id, IPC_STAT, &ds), EACCES);
	EXPECT_ERRNO(k_shmctl(id, IPC_RMID, NULL), EPERM);
	EXPECT_ERRNO(k_shmctl(id, SHM_LOCK, NULL), EPERM);
	/* Asking for no access is always granted. */
	EXPECT_EQ(shmget(test_key(4), PAGE, 0), id);
	EXPECT_ERRNO(shmget(test_key(4), PAGE, 0600), EACCES);
	/* Others may read the 0604 one. */
	EXPECT_ERRNO(shmat(ro, NULL, 0), EACCES);
	p = shmat(ro, NULL, SHM_RDONLY);
	EXPECT_TRUE(p != (void *)-1);
	EXPECT_OK(k_shmctl(ro, IPC_STAT, &ds));
	EXPECT_EQ(shmget(test_key(5), PAGE, 0004), ro);
}

TEST(sysvipc, shm_permissions)
{
	int ids[2];

	if (geteuid() != 0)
		return;
	ids[0] = ASSERT_OK(shmget(test_key(4), PAGE, IPC_CREAT | 0600));
	ids[1] = ASSERT_OK(shmget(test_key(5), PAGE, IPC_CREAT | 0604));
	EXPECT_EQ(run_child(shm_perm_child, ids), 0);
	EXPECT_OK(k_shmctl(ids[0], IPC_RMID, NULL));
	EXPECT_OK(k_shmctl(ids[1], IPC_RMID, NULL));
}

/* ---- semaphores --------------------------------------------------------- */

TEST(sysvipc, sem_values_and_stat)
{
	int id = ASSERT_OK(semget(IPC_PRIVATE, 3, 0600));
	unsigned short vals[3] = { 4, 5, 6 }, got[3] = { 0 };
	struct k_semid_ds ds;
	struct sembuf ops[2] = { { 0, 2, 0 }, { 2, -6, 0 } };

	ASSERT_OK(k_semctl(id, 0, IPC_STAT, (unsigned long)&ds));
	EXPECT_EQ(ds.nsems, 3);
	EXPECT_EQ(ds.perm.mode, 0600);
	EXPECT_EQ(ds.otime, 0);
	EXPECT_EQ(k_semctl(id, 1, GETVAL, 0), 0);
	EXPECT_OK(k_semctl(id, 1, SETVAL, 7));
	EXPECT_EQ(k_semctl(id, 1, GETVAL, 0), 7);
	EXPECT_EQ(k_semctl(id, 1, GETPID, 0), getpid());
	EXPECT_OK(k_semctl(id, 0, SETALL, (unsigned long)vals));
	EXPECT_OK(k_semctl(id, 0, GETALL, (unsigned long)got));
	EXPECT_MEMEQ(got, vals, sizeof(vals));
	EXPECT_OK(semop(id, ops, 2));
	EXPECT_EQ(k_semctl(id, 0, GETVAL, 0), 6);
	EXPECT_EQ(k_semctl(id, 2, GETVAL, 0), 0);
	ASSERT_OK(k_semctl(id, 0, IPC_STAT, (unsigned long)&ds));
	EXPECT_GE(ds.otime, ds.ctime);
	EXPECT_EQ(k_semctl(id, 0, GETNCNT, 0), 0);
	EXPECT_EQ(k_semctl(id, 0, GETZCNT, 0), 0);
	/* A zero-wait on a zero semaphore succeeds at once. */
	EXPECT_OK(k_semop(id, 2, 0, 0));
	EXPECT_EQ(k_semctl(id % 32768, 0, K_SEM_STAT, (unsigned long)&ds), id);
	EXPECT_EQ(k_semctl(id % 32768, 0, K_SEM_STAT_ANY, (unsigned long)&ds), id);
	EXPECT_OK(k_semctl(id, 0, IPC_RMID, 0));
}

TEST(sysvipc, sem_errors)
{
	int id = ASSERT_OK(semget(IPC_PRIVATE, 2, 0600));
	key_t key = test_key(6);
	struct sembuf many[501];
	struct timespec bad = { 0, 1000000000L };
	struct sembuf sb = { 0, -1, 0 };

	memset(many, 0, sizeof(many));
	EXPECT_ERRNO(semget(IPC_PRIVATE, 0, 0600), EINVAL);
	EXPECT_ERRNO(semget(IPC_PRIVATE, -1, 0600), EINVAL);
	EXPECT_ERRNO(semget(IPC_PRIVATE, 32001, 0600), EINVAL);
	int kid = ASSERT_OK(semget(key, 2, IPC_CREAT | 0600));
	EXPECT_EQ(semget(key, 0, 0), kid);
	EXPECT_EQ(semget(key, 2, 0), kid);
	EXPECT_ERRNO(semget(key, 3, 0), EINVAL);
	EXPECT_ERRNO(semget(key, 2, IPC_CREAT | IPC_EXCL), EEXIST);
	EXPECT_OK(k_semctl(kid, 0, IPC_RMID, 0));

	EXPECT_ERRNO(syscall(SYS_semop, id, many, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_semop, id, many, 501), E2BIG);
	EXPECT_OK(syscall(SYS_semop, id, many, 500));
	EXPECT_ERRNO(k_semop(id, 2, 1, 0), EFBIG);
	EXPECT_ERRNO(k_semop(-1, 0, 1, 0), EINVAL);
	EXPECT_ERRNO(k_semop(id + 32768, 0, 1, 0), EINVAL);
	EXPECT_ERRNO(k_semop(id, 0, -1, IPC_NOWAIT), EAGAIN);
	EXPECT_ERRNO(syscall(SYS_semop, id, unmapped_page(), 1), EFAULT);
	EXPECT_ERRNO(syscall(SYS_semtimedop, id, &sb, 1, unmapped_page()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_semtimedop, id, &sb, 1, &bad), EINVAL);
	/* SEMVMX is 32767. */
	EXPECT_ERRNO(k_semctl(id, 0, SETVAL, 32768), ERANGE);
	EXPECT_ERRNO(k_semctl(id, 0, SETVAL, -1), ERANGE);
	EXPECT_OK(k_semctl(id, 0, SETVAL, 32767));
	EXPECT_ERRNO(k_semop(id, 0, 1, 0), ERANGE);
	EXPECT_EQ(k_semctl(id, 0, GETVAL, 0), 32767);
	EXPECT_ERRNO(k_semctl(id, 2, GETVAL, 0), EINVAL);
	EXPECT_ERRNO(k_semctl(id, -1, SETVAL, 1), EINVAL);
	EXPECT_ERRNO(k_semctl(id, 0, 99, 0), EINVAL);
	EXPECT_ERRNO(k_semctl(id, 0, GETALL, (unsigned long)unmapped_page()), EFAULT);
	EXPECT_ERRNO(k_semctl(id, 0, SETALL, (unsigned long)unmapped_page()), EFAULT);
	EXPECT_ERRNO(k_semctl(id, 0, IPC_STAT, (unsigned long)unmapped_page()), EFAULT);
	EXPECT_ERRNO(k_semctl(-1, 0, GETVAL, 0), EINVAL);
	EXPECT_OK(k_semctl(id, 0, IPC_RMID, 0));
	EXPECT_ERRNO(k_semctl(id, 0, GETVAL, 0), EINVAL);
}

TEST(sysvipc, sem_multi_op_is_atomic)
{
	int id = ASSERT_OK(semget(IPC_PRIVATE, 2, 0600));
	struct sembuf ops[2] = { { 0, -1, 0 }, { 1, -1, IPC_NOWAIT } };
	struct sembuf over[2] = { { 0, 5, 0 }, { 1, 32767, 0 } };

	EXPECT_OK(k_semctl(id, 0, SETVAL, 1));
	EXPECT_OK(k_semctl(id, 1, SETVAL, 0));
	/* The second cannot go: neither happens. */
	EXPECT_ERRNO(semop(id, ops, 2), EAGAIN);
	EXPECT_EQ(k_semctl(id, 0, GETVAL, 0), 1);
	EXPECT_OK(k_semctl(id, 1, SETVAL, 1));
	EXPECT_ERRNO(semop(id, over, 2), ERANGE);
	EXPECT_EQ(k_semctl(id, 0, GETVAL, 0), 1);
	EXPECT_OK(semop(id, ops, 2));
	EXPECT_EQ(k_semctl(id, 0, GETVAL, 0), 0);
	EXPECT_EQ(k_semctl(id, 1, GETVAL, 0), 0);
	EXPECT_OK(k_semctl(id, 0, IPC_RMID, 0));
}

TEST(sysvipc, sem_block_and_wakeup)
{
	int id = ASSERT_OK(semget(IPC_PRIVATE, 2, 0600));
	pid_t down, zero;

	down = ASSERT_OK(fork());
	if (down == 0)
		_exit(k_semop(id, 0, -2, 0) ? 1 : 0);
	EXPECT_OK(k_semctl(id, 1, SETVAL, 1));
	zero = ASSERT_OK(fork());
	if (zero == 0)
		_exit(k_semop(id, 1, 0, 0) ? 1 : 0);
	EXPECT_EQ(wait_sleepers(id, 0, false, 1), 0);
	EXPECT_EQ(wait_sleepers(id, 1, true, 1), 0);
	/* One unit is not enough for a -2. */
	EXPECT_OK(k_semop(id, 0, 1, 0));
	usleep(20000);
	EXPECT_EQ(k_semctl(id, 0, GETNCNT, 0), 1);
	EXPECT_OK(k_semop(id, 0, 1, 0));
	EXPECT_EQ(child_status(down), 0);
	EXPECT_EQ(k_semctl(id, 0, GETVAL, 0), 0);
	EXPECT_EQ(k_semctl(id, 0, GETPID, 0), down);
	EXPECT_OK(k_semop(id, 1, -1, 0));
	EXPECT_EQ(child_status(zero), 0);
	EXPECT_EQ(k_semctl(id, 1, GETZCNT, 0), 0);
	EXPECT_OK(k_semctl(id, 0, IPC_RMID, 0));
}

TEST(sysvipc, sem_eidrm_eintr_timeout)
{
	int id = ASSERT_OK(semget(IPC_PRIVATE, 1, 0600));
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	struct timespec ts = { 0, 100 * MS };
	struct sembuf sb = { 0, -1, 0 };
	long long t0;
	pid_t pid;

	/* EINTR even with SA_RESTART: semop is never restarted. */
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		sigaction(SIGUSR1, &sa, NULL);
		_exit(k_semop(id, 0, -1, 0) == -1 && errno == EINTR ? 0 : 1);
	}
	EXPECT_EQ(wait_sleepers(id, 0, false, 1), 0);
	kill(pid, SIGUSR1);
	EXPECT_EQ(child_status(pid), 0);
	EXPECT_EQ(k_semctl(id, 0, GETNCNT, 0), 0);

	t0 = now_ns();
	EXPECT_ERRNO(syscall(SYS_semtimedop, id, &sb, 1, &ts), EAGAIN);
	EXPECT_GE(now_ns() - t0, 90 * MS);

	pid = ASSERT_OK(fork());
	if (pid == 0)
		_exit(k_semop(id, 0, -1, 0) == -1 && errno == EIDRM ? 0 : 1);
	EXPECT_EQ(wait_sleepers(id, 0, false, 1), 0);
	EXPECT_OK(k_semctl(id, 0, IPC_RMID, 0));
	EXPECT_EQ(child_status(pid), 0);
}

TEST(sysvipc, sem_undo_at_exit)
{
	int id = ASSERT_OK(semget(IPC_PRIVATE, 2, 0600));
	int sync[2];
	pid_t pid;
	char c;

	EXPECT_OK(k_semctl(id, 1, SETVAL, 5));
	ASSERT_OK(pipe(sync));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		struct sembuf ops[3] = { { 0, 3, SEM_UNDO }, { 1, -2, SEM_UNDO }, { 0, -1, SEM_UNDO } };

		if (semop(id, ops, 3))
			_exit(1);
		if (write(sync[1], "x", 1) != 1)
			_exit(2);
		pause();
		_exit(0);
	}
	ASSERT_EQ(read(sync[0], &c, 1), 1);
	EXPECT_EQ(k_semctl(id, 0, GETVAL, 0), 2);
	EXPECT_EQ(k_semctl(id, 1, GETVAL, 0), 3);
	/* Killed by a signal: still undone. */
	kill(pid, SIGKILL);
	EXPECT_EQ(child_status(pid), 128 + SIGKILL);
	EXPECT_EQ(k_semctl(id, 0, GETVAL, 0), 0);
	EXPECT_EQ(k_semctl(id, 1, GETVAL, 0), 5);
	EXPECT_EQ(k_semctl(id, 0, GETPID, 0), pid);

	/* SETVAL forgets the adjustments of what it sets. */
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		if (k_semop(id, 0, 4, SEM_UNDO) || k_semop(id, 1, 1, SEM_UNDO))
			_exit(1);
		if (write(sync[1], "x", 1) != 1)
			_exit(2);
		pause();
		_exit(0);
	}
	ASSERT_EQ(read(sync[0], &c, 1), 1);
	EXPECT_OK(k_semctl(id, 0, SETVAL, 9));
	kill(pid, SIGKILL);
	EXPECT_EQ(child_status(pid), 128 + SIGKILL);
	EXPECT_EQ(k_semctl(id, 0, GETVAL, 0), 9);
	EXPECT_EQ(k_semctl(id, 1, GETVAL, 0), 5);
	/* Undo clamps at 0. */
	EXPECT_OK(k_semctl(id, 0, SETVAL, 0));
	pid = ASSERT_OK(fork());
	if (pid == 0)
		_exit(k_semop(id, 0, 3, SEM_UNDO) || k_semop(id, 0, -2, 0) ? 1 : 0);
	EXPECT_EQ(child_status(pid), 0);
	EXPECT_EQ(k_semctl(id, 0, GETVAL, 0), 0);
	/* SETALL forgets every adjustment of the set. */
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		unsigned short vals[2] = { 1, 5 };

		if (k_semop(id, 0, 3, SEM_UNDO) || k_semop(id, 1, -1, SEM_UNDO))
			_exit(1);
		_exit(k_semctl(id, 0, SETALL, (unsigned long)vals) ? 2 : 0);
	}
	EXPECT_EQ(child_status(pid), 0);
	EXPECT_EQ(k_semctl(id, 0, GETVAL, 0), 1);
	EXPECT_EQ(k_semctl(id, 1, GETVAL, 0), 5);
	EXPECT_OK(k_semctl(id, 0, IPC_RMID, 0));
	close(sync[0]);
	close(sync[1]);
}

TEST(sysvipc, sem_undo_survives_set_removal)
{
	int id = ASSERT_OK(semget(IPC_PRIVATE, 1, 0600)), id2, sync[2];
	pid_t pid;
	char c;

	ASSERT_OK(pipe(sync));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		if (k_semop(id, 0, 5, SEM_UNDO) || write(sync[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(read(sync[0], &c, 1), 1);
	EXPECT_OK(k_semctl(id, 0, IPC_RMID, 0));
	/* A new set (perhaps in the same slot): the exit must not touch it. */
	id2 = ASSERT_OK(semget(IPC_PRIVATE, 1, 0600));
	EXPECT_OK(k_semctl(id2, 0, SETVAL, 1));
	kill(pid, SIGKILL);
	EXPECT_EQ(child_status(pid), 128 + SIGKILL);
	EXPECT_EQ(k_semctl(id2, 0, GETVAL, 0), 1);
	EXPECT_OK(k_semctl(id2, 0, IPC_RMID, 0));
	close(sync[0]);
	close(sync[1]);
}

static void *undo_thread(void *arg)
{
	return (void *)k_semop(*(int *)arg, 0, 1, SEM_UNDO);
}

static void sem_thread_child(void *arg)
{
	int id = *(int *)arg;
	pthread_t t;
	void *ret;

	/* Threads share the undo list (CLONE_SYSVSEM): a thread's exit undoes nothing. */
	ASSERT_EQ(pthread_create(&t, NULL, undo_thread, &id), 0);
	ASSERT_EQ(pthread_join(t, &ret), 0);
	EXPECT_EQ((long)ret, 0);
	EXPECT_EQ(k_semctl(id, 0, GETVAL, 0), 1);
	EXPECT_OK(k_semop(id, 0, 1, SEM_UNDO));
}

TEST(sysvipc, sem_undo_shared_by_threads)
{
	int id = ASSERT_OK(semget(IPC_PRIVATE, 1, 0600));

	EXPECT_EQ(run_child(sem_thread_child, &id), 0);
	/* The process's exit undid both. */
	EXPECT_EQ(k_semctl(id, 0, GETVAL, 0), 0);
	EXPECT_OK(k_semctl(id, 0, IPC_RMID, 0));
}

static void sem_perm_child(void *arg)
{
	int id = *(int *)arg;
	struct k_semid_ds ds;

	drop_to_user();
	EXPECT_ERRNO(k_semop(id, 0, 1, 0), EACCES);
	EXPECT_ERRNO(k_semop(id, 0, 0, IPC_NOWAIT), EACCES);
	EXPECT_ERRNO(k_semctl(id, 0, GETVAL, 0), EACCES);
	EXPECT_ERRNO(k_semctl(id, 0, SETVAL, 1), EACCES);
	EXPECT_ERRNO(k_semctl(id, 0, IPC_RMID, 0), EPERM);
	memset(&ds, 0, sizeof(ds));
	EXPECT_ERRNO(k_semctl(id, 0, IPC_SET, (unsigned long)&ds), EPERM);
	EXPECT_ERRNO(k_semctl(id % 32768, 0, K_SEM_STAT, (unsigned long)&ds), EACCES);
	EXPECT_EQ(k_semctl(id % 32768, 0, K_SEM_STAT_ANY, (unsigned long)&ds), id);
}

TEST(sysvipc, sem_permissions)
{
	int id;

	if (geteuid() != 0)
		return;
	id = ASSERT_OK(semget(IPC_PRIVATE, 1, 0600));
	EXPECT_EQ(run_child(sem_perm_child, &id), 0);
	EXPECT_OK(k_semctl(id, 0, IPC_RMID, 0));
}

TEST(sysvipc, sem_info)
{
	int id = ASSERT_OK(semget(IPC_PRIVATE, 4, 0600));
	struct k_seminfo si;
	long idx;

	idx = k_semctl(0, 0, IPC_INFO, (unsigned long)&si);
	EXPECT_GE(idx, id % 32768);
	EXPECT_EQ(si.semvmx, 32767);
	EXPECT_EQ(si.semusz, 20);
	EXPECT_EQ(si.semaem, 32767);
	EXPECT_GE(si.semmsl, 4);
	EXPECT_EQ(k_semctl(0, 0, K_SEM_INFO, (unsigned long)&si), idx);
	EXPECT_GE(si.semusz, 1);
	EXPECT_GE(si.semaem, 4);
	EXPECT_ERRNO(k_semctl(0, 0, IPC_INFO, (unsigned long)unmapped_page()), EFAULT);
	EXPECT_OK(k_semctl(id, 0, IPC_RMID, 0));
}

/* ---- message queues ----------------------------------------------------- */

struct tmsg {
	long mtype;
	char mtext[64];
};

static long send_msg(int id, long type, const char *text, int flg)
{
	struct tmsg m = { .mtype = type };

	strcpy(m.mtext, text);
	return msgsnd(id, &m, strlen(text) + 1, flg);
}

/* Receives into @m; the text size, or -1. */
static long recv_msg(int id, struct tmsg *m, long type, int flg)
{
	memset(m, 0, sizeof(*m));
	return msgrcv(id, m, sizeof(m->mtext), type, flg);
}

TEST(sysvipc, msg_types)
{
	int id = ASSERT_OK(msgget(IPC_PRIVATE, 0600));
	struct k_msqid_ds ds;
	struct tmsg m;

	EXPECT_OK(send_msg(id, 3, "three", 0));
	EXPECT_OK(send_msg(id, 1, "one", 0));
	EXPECT_OK(send_msg(id, 2, "two", 0));
	EXPECT_OK(send_msg(id, 1, "uno", 0));
	ASSERT_OK(k_msgctl(id, IPC_STAT, &ds));
	EXPECT_EQ(ds.qnum, 4);
	EXPECT_EQ(ds.cbytes, 6 + 4 + 4 + 4);
	EXPECT_EQ(ds.lspid, getpid());
	EXPECT_EQ(ds.qbytes, 16384);
	/* 0: the oldest; >0: the oldest of that type; <0: the lowest type up to |t|. */
	EXPECT_EQ(recv_msg(id, &m, 2, 0), 4);
	EXPECT_STREQ(m.mtext, "two");
	EXPECT_EQ(m.mtype, 2);
	EXPECT_EQ(recv_msg(id, &m, -5, 0), 4);
	EXPECT_STREQ(m.mtext, "one");
	EXPECT_EQ(recv_msg(id, &m, 1, MSG_EXCEPT), 6);
	EXPECT_STREQ(m.mtext, "three");
	EXPECT_ERRNO(recv_msg(id, &m, 2, IPC_NOWAIT), ENOMSG);
	/* LONG_MIN asks for any type up to LONG_MAX. */
	EXPECT_EQ(recv_msg(id, &m, -0x7fffffffffffffffL - 1, 0), 4);
	EXPECT_STREQ(m.mtext, "uno");
	ASSERT_OK(k_msgctl(id, IPC_STAT, &ds));
	EXPECT_EQ(ds.qnum, 0);
	EXPECT_EQ(ds.cbytes, 0);
	EXPECT_EQ(ds.lrpid, getpid());
	EXPECT_GE(ds.rtime, ds.stime);
	EXPECT_ERRNO(recv_msg(id, &m, 0, IPC_NOWAIT), ENOMSG);
	EXPECT_OK(k_msgctl(id, IPC_RMID, NULL));
}

TEST(sysvipc, msg_sizes_and_errors)
{
	int id = ASSERT_OK(msgget(IPC_PRIVATE, 0600));
	key_t key = test_key(7);
	static char big[8193];
	struct tmsg m;
	struct { long mtype; char mtext[4]; } small;

	EXPECT_OK(send_msg(id, 1, "0123456789", 0));
	/* Too long for the buffer: E2BIG and the message stays, or cut with MSG_NOERROR. */
	EXPECT_ERRNO(msgrcv(id, &small, 4, 0, IPC_NOWAIT), E2BIG);
	EXPECT_EQ(msgrcv(id, &small, 4, 0, IPC_NOWAIT | MSG_NOERROR), 4);
	EXPECT_MEMEQ(small.mtext, "0123", 4);
	EXPECT_ERRNO(recv_msg(id, &m, 0, IPC_NOWAIT), ENOMSG);
	/* MSGMAX is 8192. */
	*(long *)big = 1;
	EXPECT_ERRNO(msgsnd(id, big, 8193, 0), EINVAL);
	EXPECT_ERRNO(send_msg(id, 0, "x", 0), EINVAL);
	EXPECT_ERRNO(send_msg(id, -1, "x", 0), EINVAL);
	EXPECT_ERRNO(msgsnd(id, unmapped_page(), 1, 0), EFAULT);
	EXPECT_ERRNO(send_msg(-1, 1, "x", 0), EINVAL);
	EXPECT_ERRNO(send_msg(id + 32768, 1, "x", 0), EINVAL);
	EXPECT_ERRNO(msgrcv(id, &m, (size_t)-1, 0, IPC_NOWAIT), EINVAL);
	EXPECT_OK(send_msg(id, 1, "lost", 0));
	EXPECT_ERRNO(msgrcv(id, unmapped_page(), 10, 0, IPC_NOWAIT), EFAULT);
	EXPECT_ERRNO(k_msgctl(id, 99, NULL), EINVAL);
	EXPECT_ERRNO(k_msgctl(id, IPC_STAT, unmapped_page()), EFAULT);
	EXPECT_ERRNO(k_msgctl(id, IPC_SET, unmapped_page()), EFAULT);
	int kid = ASSERT_OK(msgget(key, IPC_CREAT | IPC_EXCL | 0600));
	EXPECT_EQ(msgget(key, 0), kid);
	EXPECT_ERRNO(msgget(key, IPC_CREAT | IPC_EXCL), EEXIST);
	EXPECT_ERRNO(msgget(test_key(8), 0), ENOENT);
	EXPECT_OK(k_msgctl(kid, IPC_RMID, NULL));
	EXPECT_OK(k_msgctl(id, IPC_RMID, NULL));
	EXPECT_ERRNO(send_msg(id, 1, "x", 0), EINVAL);
}

TEST(sysvipc, msg_copy)
{
	int id = ASSERT_OK(msgget(IPC_PRIVATE, 0600));
	struct tmsg m;
	long r;

	EXPECT_OK(send_msg(id, 5, "first", 0));
	EXPECT_OK(send_msg(id, 6, "second", 0));
	r = recv_msg(id, &m, 1, K_MSG_COPY | IPC_NOWAIT);
	if (r == -1 && errno == ENOSYS) {
		/* A Linux without CONFIG_CHECKPOINT_RESTORE. */
		EXPECT_OK(k_msgctl(id, IPC_RMID, NULL));
		return;
	}
	EXPECT_EQ(r, 7);
	EXPECT_STREQ(m.mtext, "second");
	EXPECT_EQ(m.mtype, 6);
	EXPECT_ERRNO(recv_msg(id, &m, 2, K_MSG_COPY | IPC_NOWAIT), ENOMSG);
	EXPECT_ERRNO(recv_msg(id, &m, 0, K_MSG_COPY), EINVAL);
	EXPECT_ERRNO(recv_msg(id, &m, 0, K_MSG_COPY | IPC_NOWAIT | MSG_EXCEPT), EINVAL);
	/* Copies leave the queue as it was. */
	EXPECT_EQ(recv_msg(id, &m, 0, IPC_NOWAIT), 6);
	EXPECT_STREQ(m.mtext, "first");
	EXPECT_OK(k_msgctl(id, IPC_RMID, NULL));
}

TEST(sysvipc, msg_blocking_send_and_receive)
{
	int id = ASSERT_OK(msgget(IPC_PRIVATE, 0600));
	struct k_msqid_ds ds;
	struct tmsg m;
	pid_t pid;

	/* A receiver sleeps until its type arrives. */
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		struct tmsg r;

		_exit(recv_msg(id, &r, 7, 0) == 3 && !strcmp(r.mtext, "hi") ? 0 : 1);
	}
	usleep(50000);
	EXPECT_OK(send_msg(id, 8, "no", 0));
	EXPECT_OK(send_msg(id, 7, "hi", 0));
	EXPECT_EQ(child_status(pid), 0);
	EXPECT_EQ(recv_msg(id, &m, 0, IPC_NOWAIT), 3);

	/* A sender sleeps while the queue is full. */
	ASSERT_OK(k_msgctl(id, IPC_STAT, &ds));
	ds.qbytes = 8;
	EXPECT_OK(k_msgctl(id, IPC_SET, &ds));
	EXPECT_OK(send_msg(id, 1, "1234567", 0));
	EXPECT_ERRNO(send_msg(id, 1, "x", IPC_NOWAIT), EAGAIN);
	pid = ASSERT_OK(fork());
	if (pid == 0)
		_exit(send_msg(id, 2, "abc", 0) ? 1 : 0);
	usleep(50000);
	ASSERT_OK(k_msgctl(id, IPC_STAT, &ds));
	EXPECT_EQ(ds.qnum, 1);
	EXPECT_EQ(recv_msg(id, &m, 0, 0), 8);
	EXPECT_EQ(child_status(pid), 0);
	EXPECT_EQ(recv_msg(id, &m, 0, IPC_NOWAIT), 4);
	EXPECT_STREQ(m.mtext, "abc");
	EXPECT_OK(k_msgctl(id, IPC_RMID, NULL));
}

TEST(sysvipc, msg_eidrm_and_eintr)
{
	int id = ASSERT_OK(msgget(IPC_PRIVATE, 0600));
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	pid_t pid;

	pid = ASSERT_OK(fork());
	if (pid == 0) {
		struct tmsg r;

		sigaction(SIGUSR1, &sa, NULL);
		_exit(recv_msg(id, &r, 0, 0) == -1 && errno == EINTR ? 0 : 1);
	}
	/* Asleep in msgrcv, with its handler in place (not killed by SIGUSR1's default). */
	EXPECT_TRUE(wait_until_sleeping(pid));
	kill(pid, SIGUSR1);
	EXPECT_EQ(child_status(pid), 0);
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		struct tmsg r;

		_exit(recv_msg(id, &r, 0, 0) == -1 && errno == EIDRM ? 0 : 1);
	}
	EXPECT_TRUE(wait_until_sleeping(pid));
	EXPECT_OK(k_msgctl(id, IPC_RMID, NULL));
	EXPECT_EQ(child_status(pid), 0);
}

static void msg_qbytes_child(void *arg)
{
	int id = *(int *)arg;
	struct k_msqid_ds ds;
	struct tmsg m;

	drop_to_user();
	EXPECT_OK(k_msgctl(id, IPC_STAT, &ds));
	/* The owner may lower msg_qbytes, not raise it past msgmnb. */
	ds.qbytes = 100;
	EXPECT_OK(k_msgctl(id, IPC_SET, &ds));
	ds.qbytes = 16385;
	EXPECT_ERRNO(k_msgctl(id, IPC_SET, &ds), EPERM);
	ds.qbytes = 16384;
	EXPECT_OK(k_msgctl(id, IPC_SET, &ds));
	/* Mode 0400 now: no sending. */
	ds.perm.mode = 0400;
	EXPECT_OK(k_msgctl(id, IPC_SET, &ds));
	EXPECT_ERRNO(send_msg(id, 1, "x", 0), EACCES);
	EXPECT_ERRNO(recv_msg(id, &m, 0, IPC_NOWAIT), ENOMSG);
}

TEST(sysvipc, msg_set_and_permissions)
{
	int id = ASSERT_OK(msgget(IPC_PRIVATE, 0600));
	struct k_msqid_ds ds;

	if (geteuid() != 0) {
		EXPECT_OK(k_msgctl(id, IPC_RMID, NULL));
		return;
	}
	ASSERT_OK(k_msgctl(id, IPC_STAT, &ds));
	ds.perm.uid = 1000;
	EXPECT_OK(k_msgctl(id, IPC_SET, &ds));
	EXPECT_EQ(run_child(msg_qbytes_child, &id), 0);
	/* CAP_SYS_RESOURCE may raise it (a container's root may lack it). */
	ASSERT_OK(k_msgctl(id, IPC_STAT, &ds));
	EXPECT_EQ(ds.perm.mode, 0400);
	ds.qbytes = 100000;
	if (have_cap(CAP_SYS_RESOURCE)) {
		EXPECT_OK(k_msgctl(id, IPC_SET, &ds));
		ASSERT_OK(k_msgctl(id, IPC_STAT, &ds));
		EXPECT_EQ(ds.qbytes, 100000);
	} else {
		EXPECT_ERRNO(k_msgctl(id, IPC_SET, &ds), EPERM);
	}
	EXPECT_OK(k_msgctl(id, IPC_RMID, NULL));
}

TEST(sysvipc, msg_info)
{
	int id = ASSERT_OK(msgget(IPC_PRIVATE, 0600));
	struct k_msqid_ds ds;
	struct k_msginfo mi;
	long idx;

	EXPECT_OK(send_msg(id, 1, "abc", 0));
	idx = k_msgctl(0, IPC_INFO, &mi);
	EXPECT_GE(idx, id % 32768);
	EXPECT_EQ(mi.msgssz, 16);
	EXPECT_EQ(mi.msgseg, 0xffff);
	EXPECT_EQ(k_msgctl(0, K_MSG_INFO, &mi), idx);
	EXPECT_GE(mi.msgpool, 1);
	EXPECT_GE(mi.msgmap, 1);
	EXPECT_GE(mi.msgtql, 4);
	EXPECT_EQ(k_msgctl(id % 32768, K_MSG_STAT, &ds), id);
	EXPECT_EQ(ds.qnum, 1);
	EXPECT_EQ(k_msgctl(id % 32768, K_MSG_STAT_ANY, &ds), id);
	EXPECT_OK(k_msgctl(id, IPC_RMID, NULL));
	EXPECT_ERRNO(k_msgctl(id % 32768, K_MSG_STAT, &ds), EINVAL);
}

/* ---- /proc -------------------------------------------------------------- */

static ssize_t read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, len = 0;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return len;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

TEST(sysvipc, proc_sys_kernel_limits)
{
	static const char *const files[] = { "shmmax", "shmall", "shmmni", "sem", "msgmax",
					     "msgmnb", "msgmni" };
	char path[64], old[128], now[128];
	unsigned int a, b, c, d;
	struct k_msginfo mi;

	for (unsigned int i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "/proc/sys/kernel/%s", files[i]);
		EXPECT_GT(read_text(path, old, sizeof(old)), 1);
		EXPECT_TRUE(old[strlen(old) - 1] == '\n');
	}
	ASSERT_TRUE(read_text("/proc/sys/kernel/sem", old, sizeof(old)) > 0);
	EXPECT_EQ(sscanf(old, "%u\t%u\t%u\t%u\n", &a, &b, &c, &d), 4);
	EXPECT_TRUE(strchr(old, '\t') != NULL);
	if (geteuid() != 0)
		return;
	/* Root writes a limit and the kernel uses it; then it goes back. */
	ASSERT_TRUE(read_text("/proc/sys/kernel/msgmax", old, sizeof(old)) > 0);
	EXPECT_OK(write_text("/proc/sys/kernel/msgmax", "4000\n"));
	EXPECT_GT(read_text("/proc/sys/kernel/msgmax", now, sizeof(now)), 0);
	EXPECT_STREQ(now, "4000\n");
	EXPECT_GE(k_msgctl(0, IPC_INFO, &mi), 0);
	EXPECT_EQ(mi.msgmax, 4000);
	EXPECT_OK(write_text("/proc/sys/kernel/msgmax", old));
	ASSERT_TRUE(read_text("/proc/sys/kernel/sem", old, sizeof(old)) > 0);
	snprintf(now, sizeof(now), "%u %u %u %u", a, b, 7, d);
	EXPECT_OK(write_text("/proc/sys/kernel/sem", now));
	{
		struct sembuf many[8];
		int id = semget(IPC_PRIVATE, 1, 0600);

		memset(many, 0, sizeof(many));
		EXPECT_ERRNO(syscall(SYS_semop, id, many, 8), E2BIG);
		EXPECT_OK(syscall(SYS_semop, id, many, 7));
		k_semctl(id, 0, IPC_RMID, 0);
	}
	EXPECT_OK(write_text("/proc/sys/kernel/sem", old));
	EXPECT_GT(read_text("/proc/sys/kernel/sem", now, sizeof(now)), 0);
	EXPECT_STREQ(now, old);
	EXPECT_ERRNO(write_text("/proc/sys/kernel/shmmni", "abc"), EINVAL);
	EXPECT_ERRNO(write_text("/proc/sys/kernel/shmmni", "40000"), EINVAL);
}

static void proc_write_child(void *arg)
{
	(void)arg;
	drop_to_user();
	EXPECT_ERRNO(open("/proc/sys/kernel/msgmnb", O_WRONLY), EACCES);
}

TEST(sysvipc, proc_sys_kernel_root_only)
{
	if (geteuid() != 0)
		return;
	EXPECT_EQ(run_child(proc_write_child, NULL), 0);
}

/* The line of /proc/sysvipc/@kind whose second column is @id, in @line. */
static int sysvipc_line(const char *kind, int id, char *header, char *line, size_t size)
{
	static char text[65536];
	char path[64], *s, *nl;
	int key, got;

	snprintf(path, sizeof(path), "/proc/sysvipc/%s", kind);
	if (read_text(path, text, sizeof(text)) <= 0)
		return -1;
	nl = strchr(text, '\n');
	if (!nl)
		return -1;
	*nl = 0;
	strcpy(header, text);
	for (s = nl + 1; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			return -1;
		*nl = 0;
		if (sscanf(s, "%d %d", &key, &got) == 2 && got == id) {
			snprintf(line, size, "%s", s);
			return 0;
		}
	}
	return -1;
}

TEST(sysvipc, proc_sysvipc_lists)
{
	int shm = ASSERT_OK(shmget(test_key(9), 10000, IPC_CREAT | 0640));
	int sem = ASSERT_OK(semget(test_key(10), 3, IPC_CREAT | 0600));
	int msg = ASSERT_OK(msgget(test_key(11), IPC_CREAT | 0604));
	char header[256], line[256], want[256];
	struct k_shmid_ds sds;
	struct k_semid_ds mds;
	struct k_msqid_ds qds;
	void *p = shmat(shm, NULL, 0);

	ASSERT_TRUE(p != (void *)-1);
	memset(p, 1, 5000);
	EXPECT_OK(send_msg(msg, 1, "abcd", 0));
	ASSERT_OK(k_shmctl(shm, IPC_STAT, &sds));
	ASSERT_OK(k_semctl(sem, 0, IPC_STAT, (unsigned long)&mds));
	ASSERT_OK(k_msgctl(msg, IPC_STAT, &qds));

	ASSERT_EQ(sysvipc_line("shm", shm, header, line, sizeof(line)), 0);
	EXPECT_STREQ(header, "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap");
	snprintf(want, sizeof(want), "%10d %10d  %4o %21lu %5d %5d  %5lu %5u %5u %5u %5u %10ld %10ld %10ld %21lu %21lu",
		 test_key(9), shm, 0640, 10000UL, getpid(), getpid(), 1UL, geteuid(), getegid(),
		 geteuid(), getegid(), sds.atime, 0L, sds.ctime, 2 * PAGE, 0UL);
	EXPECT_STREQ(line, want);

	ASSERT_EQ(sysvipc_line("sem", sem, header, line, sizeof(line)), 0);
	EXPECT_STREQ(header, "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime");
	snprintf(want, sizeof(want), "%10d %10d  %4o %10u %5u %5u %5u %5u %10ld %10ld", test_key(10),
		 sem, 0600, 3, geteuid(), getegid(), geteuid(), getegid(), 0L, mds.ctime);
	EXPECT_STREQ(line, want);

	ASSERT_EQ(sysvipc_line("msg", msg, header, line, sizeof(line)), 0);
	EXPECT_STREQ(header, "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime");
	snprintf(want, sizeof(want), "%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10ld %10ld %10ld",
		 test_key(11), msg, 0604, 5UL, 1UL, getpid(), 0, geteuid(), getegid(), geteuid(),
		 getegid(), qds.stime, 0L, qds.ctime);
	EXPECT_STREQ(line, want);

	EXPECT_OK(shmdt(p));
	EXPECT_OK(k_shmctl(shm, IPC_RMID, NULL));
	EXPECT_OK(k_semctl(sem, 0, IPC_RMID, 0));
	EXPECT_OK(k_msgctl(msg, IPC_RMID, NULL));
	EXPECT_NE(sysvipc_line("shm", shm, header, line, sizeof(line)), 0);
	EXPECT_NE(sysvipc_line("sem", sem, header, line, sizeof(line)), 0);
	EXPECT_NE(sysvipc_line("msg", msg, header, line, sizeof(line)), 0);
}
