/*
 * Group procrace: concurrent lookups of the same procfs names.
 *
 * procfs makes its dentries on demand, in ->lookup, and frees them on the
 * last dput(), so every walk of /proc/PID/... by a thread that finds the
 * name missing from the dcache creates it. Two walkers that miss the same
 * name at once must not both add a dentry for it: the kernel's lookup of a
 * missing name is serialized (fs/namei.c, lookup_slow()), and with
 * CONFIG_DEBUG d_add() warns about a second dentry for one name, which the
 * QEMU runner counts as a failure (scripts/testsuite/smp.py runs this group
 * on -smp 4). Here, each round forks a fresh child (a pid no dentry exists
 * for yet) and four threads released at once stat the same names of it,
 * over and over; every stat must succeed. Passes on Linux as well.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define THREADS	4
#define ROUNDS	20
#define LOOPS	10

static const char *const names[] = { "", "/status", "/stat", "/fd", "/fd/0", "/task", "/cwd" };

struct racer {
	pid_t pid;
	int failures;
	int *start;		/* released when it reaches THREADS */
};

static void *race(void *arg)
{
	struct racer *r = arg;
	char path[64];
	struct stat st;

	__atomic_add_fetch(r->start, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(r->start, __ATOMIC_ACQUIRE) < THREADS)
		;
	for (int i = 0; i < LOOPS; i++) {
		for (unsigned int n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
			snprintf(path, sizeof(path), "/proc/%d%s", (int)r->pid, names[n]);
			if (lstat(path, &st))
				r->failures++;
		}
	}
	return NULL;
}

TEST_TIMEOUT(procrace, same_names_from_four_threads, 120)
{
	for (int round = 0; round < ROUNDS; round++) {
		struct racer r[THREADS];
		pthread_t th[THREADS];
		int start = 0, status;
		pid_t child = fork();

		ASSERT_GE(child, 0);
		if (child == 0) {
			pause();
			_exit(0);
		}
		for (int i = 0; i < THREADS; i++) {
			r[i] = (struct racer){ .pid = child, .start = &start };
			ASSERT_EQ(pthread_create(&th[i], NULL, race, &r[i]), 0);
		}
		for (int i = 0; i < THREADS; i++) {
			ASSERT_EQ(pthread_join(th[i], NULL), 0);
			EXPECT_EQ(r[i].failures, 0);
		}
		ASSERT_EQ(kill(child, SIGKILL), 0);
		ASSERT_EQ(waitpid(child, &status, 0), child);
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
}
