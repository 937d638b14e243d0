/*
 * Group vfsrace: concurrent changes to directories, checked for the
 * invariants the kernel's directory locking must keep (each directory's
 * i_rwsem, the rename mutex and lock_rename()'s order; fs/namei_ops.c).
 * Runs on -smp 4 under the lock validator (scripts/testsuite/smp.py) and
 * in the soak; passes on Linux as well.
 *
 *  - rename over an existing name is atomic: the name never disappears,
 *    whether the new file comes from the same directory or another one;
 *  - a file moved back and forth between two directories is, whenever no
 *    rename is in flight, in exactly one of them;
 *  - files created and removed by some threads never disturb names that
 *    stay: no ENOENT for them, and readdir returns each of them (and "."
 *    and "..") exactly once;
 *  - of four threads creating one name with O_CREAT|O_EXCL, one wins;
 *  - directories renamed across two parents in opposite directions and
 *    into and out of a subdirectory (ancestor first) do not deadlock.
 *
 * EXOTEST_STORM_ITERS scales the rounds (the soak sets it).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define THREADS		4
#define DEFAULT_ITERS	400

static int iters(void)
{
	const char *s = getenv("EXOTEST_STORM_ITERS");
	int n = s ? atoi(s) : DEFAULT_ITERS;

	return n > 0 ? n : DEFAULT_ITERS;
}

static char base[64];

static void path_of(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", base, rel);
}

static void make_base(void)
{
	char p[128];

	snprintf(base, sizeof(base), "/tmp/vfsrace.%d", (int)getpid());
	ASSERT_EQ(mkdir(base, 0755), 0);
	path_of(p, sizeof(p), "a");
	ASSERT_EQ(mkdir(p, 0755), 0);
	path_of(p, sizeof(p), "b");
	ASSERT_EQ(mkdir(p, 0755), 0);
}

static void touch(const char *rel)
{
	char p[128];
	int fd;

	path_of(p, sizeof(p), rel);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	ASSERT_GE(fd, 0);
	close(fd);
}

/* rm -r of base, which the tests leave holding only files and empty dirs. */
static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (unlink(p))
			remove_tree(p);	/* a directory (EISDIR on Linux, EPERM by POSIX) */
	}
	closedir(d);
	rmdir(dir);
}

static void wait_start(int *start)
{
	__atomic_add_fetch(start, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(start, __ATOMIC_ACQUIRE) < THREADS)
		;
}

/* ---- rename over an existing name ------------------------------------------- */

struct over_arg {
	int id, n;
	int *start, *stop;
	int errors;	/* failed syscalls of the renamer */
	int missing;	/* ENOENT seen for the stable name */
};

/* Threads 0, 1: make a fresh file (in a/ or b/) and rename it over a/stable. */
static void *over_renamer(void *p)
{
	struct over_arg *a = p;
	char tmp[128], tmprel[64], stable[128];

	path_of(stable, sizeof(stable), "a/stable");
	snprintf(tmprel, sizeof(tmprel), "%s/tmp%d", a->id ? "b" : "a", a->id);
	path_of(tmp, sizeof(tmp), tmprel);
	wait_start(a->start);
	for (int i = 0; i < a->n; i++) {
		int fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY, 0644);

		if (fd < 0) {
			a->errors++;
			continue;
		}
		close(fd);
		if (rename(tmp, stable))
			a->errors++;
	}
	__atomic_add_fetch(a->stop, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Threads 2, 3: stat and open a/stable until the renamers are done. */
static void *over_checker(void *p)
{
	struct over_arg *a = p;
	char stable[128];
	struct stat st;

	path_of(stable, sizeof(stable), "a/stable");
	wait_start(a->start);
	while (__atomic_load_n(a->stop, __ATOMIC_ACQUIRE) < 2) {
		int fd;

		if (stat(stable, &st) && errno == ENOENT)
			a->missing++;
		fd = open(stable, O_RDONLY);
		if (fd < 0 && errno == ENOENT)
			a->missing++;
		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

TEST_TIMEOUT(vfsrace, rename_over_a_name_never_hides_it, 120)
{
	struct over_arg a[THREADS];
	pthread_t th[THREADS];
	int start = 0, stop = 0;

	make_base();
	touch("a/stable");
	for (int i = 0; i < THREADS; i++) {
		a[i] = (struct over_arg){ .id = i, .n = iters(), .start = &start, .stop = &stop };
		ASSERT_EQ(pthread_create(&th[i], NULL, i < 2 ? over_renamer : over_checker, &a[i]),
			  0);
	}
	for (int i = 0; i < THREADS; i++) {
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
		EXPECT_EQ(a[i].errors, 0);
		EXPECT_EQ(a[i].missing, 0);
	}
	remove_tree(base);
}

/* ---- a file moved between two directories ----------------------------------- */

#define MOVERS	2

struct move_arg {
	int id, n;
	int *start;
	unsigned long seq;	/* odd while this mover's rename is in flight */
	int errors;
	int seen_none, seen_both, checks;
	struct move_arg *movers;
};

static void *mover(void *p)
{
	struct move_arg *a = p;
	char pa[128], pb[128], rel[32];

	snprintf(rel, sizeof(rel), "a/m%d", a->id);
	path_of(pa, sizeof(pa), rel);
	snprintf(rel, sizeof(rel), "b/m%d", a->id);
	path_of(pb, sizeof(pb), rel);
	wait_start(a->start);
	for (int i = 0; i < a->n; i++) {
		__atomic_add_fetch(&a->seq, 1, __ATOMIC_SEQ_CST);
		if (rename(i % 2 ? pb : pa, i % 2 ? pa : pb))
			a->errors++;
		__atomic_add_fetch(&a->seq, 1, __ATOMIC_SEQ_CST);
		/* A quiet moment now and then, so that the checkers get verdicts. */
		if (i % 16 == 15)
			usleep(500);
	}
	__atomic_add_fetch(&a->seq, 1000000001, __ATOMIC_SEQ_CST);	/* odd for ever: done */
	return NULL;
}

/* Looks for each mover's file in both directories while its seq stands still. */
static void *move_checker(void *p)
{
	struct move_arg *a = p;
	struct stat st;
	char pa[128], pb[128], rel[32];

	wait_start(a->start);
	for (;;) {
		int done = 0;

		for (int m = 0; m < MOVERS; m++) {
			struct move_arg *mv = &a->movers[m];
			unsigned long s1 = __atomic_load_n(&mv->seq, __ATOMIC_SEQ_CST), s2;
			bool in_a, in_b;

			if (s1 >= 1000000000) {
				done++;
				continue;
			}
			snprintf(rel, sizeof(rel), "a/m%d", m);
			path_of(pa, sizeof(pa), rel);
			snprintf(rel, sizeof(rel), "b/m%d", m);
			path_of(pb, sizeof(pb), rel);
			in_a = !stat(pa, &st);
			in_b = !stat(pb, &st);
			s2 = __atomic_load_n(&mv->seq, __ATOMIC_SEQ_CST);
			if (s1 != s2 || (s1 & 1))
				continue;	/* a rename overlapped: no verdict */
			a->checks++;
			if (!in_a && !in_b)
				a->seen_none++;
			if (in_a && in_b)
				a->seen_both++;
		}
		if (done == MOVERS)
			return NULL;
	}
}

TEST_TIMEOUT(vfsrace, moved_file_is_in_exactly_one_directory, 120)
{
	struct move_arg a[THREADS];
	pthread_t th[THREADS];
	int start = 0, checks = 0;

	make_base();
	touch("a/m0");
	touch("a/m1");
	for (int i = 0; i < THREADS; i++)
		a[i] = (struct move_arg){ .id = i, .n = iters() * 2, .start = &start, .movers = a };
	for (int i = 0; i < THREADS; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, i < MOVERS ? mover : move_checker, &a[i]), 0);
	for (int i = 0; i < THREADS; i++) {
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
		EXPECT_EQ(a[i].errors, 0);
		EXPECT_EQ(a[i].seen_none, 0);
		EXPECT_EQ(a[i].seen_both, 0);
		checks += a[i].checks;
	}
	/* Both files end where an even number of moves leaves them: a/. */
	for (int m = 0; m < MOVERS; m++) {
		struct stat st;
		char rel[32], p[128];

		snprintf(rel, sizeof(rel), "a/m%d", m);
		path_of(p, sizeof(p), rel);
		EXPECT_EQ(stat(p, &st), 0);
		snprintf(rel, sizeof(rel), "b/m%d", m);
		path_of(p, sizeof(p), rel);
		EXPECT_NE(stat(p, &st), 0);
	}
	EXPECT_GT(checks, 0);
	remove_tree(base);
}

/* ---- create/unlink storm next to names that stay ---------------------------- */

#define KEEP	16

struct churn_arg {
	int id, n;
	int *start, *stop;
	int errors, missing, dups, short_list, reads;
};

static void *churner(void *p)
{
	struct churn_arg *a = p;
	char path[128], rel[32];

	wait_start(a->start);
	for (int i = 0; i < a->n; i++) {
		int fd;

		snprintf(rel, sizeof(rel), "a/c%d_%d", a->id, i % 8);
		path_of(path, sizeof(path), rel);
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0) {
			a->errors++;
			continue;
		}
		close(fd);
		if (unlink(path))
			a->errors++;
	}
	__atomic_add_fetch(a->stop, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* stat of every kept name; readdir of a/ with no name twice and every kept name there. */
static void *churn_checker(void *p)
{
	struct churn_arg *a = p;
	char path[128], rel[32], dir[128];
	struct stat st;

	path_of(dir, sizeof(dir), "a");
	wait_start(a->start);
	while (__atomic_load_n(a->stop, __ATOMIC_ACQUIRE) < 2) {
		int count[KEEP + 2] = { 0 }, kept = 0;
		DIR *d;
		struct dirent *e;

		for (int k = 0; k < KEEP; k++) {
			snprintf(rel, sizeof(rel), "a/keep%d", k);
			path_of(path, sizeof(path), rel);
			if (stat(path, &st))
				a->missing++;
		}
		d = opendir(dir);
		if (!d) {
			a->errors++;
			continue;
		}
		/*
		 * A churned name removed and made again while the listing runs
		 * is a new file and may be listed twice (POSIX leaves it open);
		 * a name that stays, and "." and "..", appear exactly once.
		 */
		while ((e = readdir(d))) {
			if (!strncmp(e->d_name, "keep", 4))
				count[atoi(e->d_name + 4) % KEEP]++;
			else if (!strcmp(e->d_name, "."))
				count[KEEP]++;
			else if (!strcmp(e->d_name, ".."))
				count[KEEP + 1]++;
		}
		closedir(d);
		for (int k = 0; k < KEEP + 2; k++) {
			if (count[k] > 1)
				a->dups++;
			if (count[k] >= 1)
				kept++;
		}
		if (kept != KEEP + 2)
			a->short_list++;
		a->reads++;
	}
	return NULL;
}

TEST_TIMEOUT(vfsrace, create_unlink_storm_leaves_other_names_alone, 120)
{
	struct churn_arg a[THREADS];
	pthread_t th[THREADS];
	int start = 0, stop = 0;
	char rel[32];

	make_base();
	for (int k = 0; k < KEEP; k++) {
		snprintf(rel, sizeof(rel), "a/keep%d", k);
		touch(rel);
	}
	for (int i = 0; i < THREADS; i++) {
		a[i] = (struct churn_arg){ .id = i, .n = iters() * 2, .start = &start, .stop = &stop };
		ASSERT_EQ(pthread_create(&th[i], NULL, i < 2 ? churner : churn_checker, &a[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
		EXPECT_EQ(a[i].errors, 0);
		EXPECT_EQ(a[i].missing, 0);
		EXPECT_EQ(a[i].dups, 0);
		EXPECT_EQ(a[i].short_list, 0);
	}
	remove_tree(base);
}

/* ---- one name, four O_CREAT|O_EXCL creators -------------------------------------- */

struct excl_arg {
	int *start;
	const char *path;
	int fd, err;
};

static void *excl_creator(void *p)
{
	struct excl_arg *a = p;

	wait_start(a->start);
	a->fd = open(a->path, O_CREAT | O_EXCL | O_RDWR, 0600);
	a->err = a->fd < 0 ? errno : 0;
	return NULL;
}

TEST_TIMEOUT(vfsrace, exclusive_create_has_one_winner, 120)
{
	char path[128], rel[32];
	int rounds = iters() / 4;

	make_base();
	for (int r = 0; r < rounds; r++) {
		struct excl_arg a[THREADS];
		pthread_t th[THREADS];
		int start = 0, winners = 0;

		snprintf(rel, sizeof(rel), "a/x%d", r);
		path_of(path, sizeof(path), rel);
		for (int i = 0; i < THREADS; i++) {
			a[i] = (struct excl_arg){ .start = &start, .path = path };
			ASSERT_EQ(pthread_create(&th[i], NULL, excl_creator, &a[i]), 0);
		}
		for (int i = 0; i < THREADS; i++) {
			ASSERT_EQ(pthread_join(th[i], NULL), 0);
			if (a[i].fd >= 0) {
				winners++;
				close(a[i].fd);
			} else {
				EXPECT_EQ(a[i].err, EEXIST);
			}
		}
		EXPECT_EQ(winners, 1);
		EXPECT_EQ(unlink(path), 0);
	}
	remove_tree(base);
}

/* ---- directories renamed every which way ----------------------------------------- */

struct dir_arg {
	int id, n;
	int *start;
	int errors;
};

/*
 * Thread 0 moves a/d0 to b/d0 and back, thread 1 b/d1 to a/d1 and back
 * (the two parents locked in opposite argument orders), thread 2 moves
 * a/d2 into a/sub and back out (ancestor and descendant), thread 3 stats
 * and lists everything.
 */
static void *dir_mover(void *p)
{
	struct dir_arg *a = p;
	static const char *const from[] = { "a/d0", "b/d1", "a/d2" };
	static const char *const to[] = { "b/d0", "a/d1", "a/sub/d2" };
	char x[128], y[128];

	path_of(x, sizeof(x), from[a->id]);
	path_of(y, sizeof(y), to[a->id]);
	wait_start(a->start);
	for (int i = 0; i < a->n; i++)
		if (rename(i % 2 ? y : x, i % 2 ? x : y))
			a->errors++;
	return NULL;
}

static void *dir_watcher(void *p)
{
	struct dir_arg *a = p;
	static const char *const dirs[] = { "a", "b", "a/sub" };
	char path[128];

	wait_start(a->start);
	for (int i = 0; i < a->n; i++) {
		DIR *d;

		path_of(path, sizeof(path), dirs[i % 3]);
		d = opendir(path);
		if (!d) {
			a->errors++;
			continue;
		}
		while (readdir(d))
			;
		closedir(d);
	}
	return NULL;
}

TEST_TIMEOUT(vfsrace, directory_renames_across_parents_do_not_deadlock, 120)
{
	struct dir_arg a[THREADS];
	pthread_t th[THREADS];
	int start = 0;
	char p[128];

	make_base();
	path_of(p, sizeof(p), "a/sub");
	ASSERT_EQ(mkdir(p, 0755), 0);
	path_of(p, sizeof(p), "a/d0");
	ASSERT_EQ(mkdir(p, 0755), 0);
	path_of(p, sizeof(p), "b/d1");
	ASSERT_EQ(mkdir(p, 0755), 0);
	path_of(p, sizeof(p), "a/d2");
	ASSERT_EQ(mkdir(p, 0755), 0);
	for (int i = 0; i < THREADS; i++) {
		a[i] = (struct dir_arg){ .id = i, .n = iters() * 2, .start = &start };
		ASSERT_EQ(pthread_create(&th[i], NULL, i < 3 ? dir_mover : dir_watcher, &a[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
		EXPECT_EQ(a[i].errors, 0);
	}
	/* An even number of moves: each is home again. */
	path_of(p, sizeof(p), "a/d0");
	EXPECT_EQ(rmdir(p), 0);
	path_of(p, sizeof(p), "b/d1");
	EXPECT_EQ(rmdir(p), 0);
	path_of(p, sizeof(p), "a/d2");
	EXPECT_EQ(rmdir(p), 0);
	remove_tree(base);
}

/* ---- lookups through directories that move and vanish ----------------------- */

/*
 * Lockless path walks (fs/namei.c path_lookup_lockless) race renames,
 * unlinks and rmdirs of the directories they pass through. Linux
 * guarantees each lookup either finds the file its name had at some
 * moment or fails with ENOENT or ENOTDIR; never another file.
 *  - dK/s/f (K < STABLE_DIRS) always names the same file when it resolves:
 *    dK moves to xK and back, dK/s to dK/t and back;
 *  - tN/s/f is built, torn down (unlink, rmdir, rmdir) and tN replaced
 *    by a plain file over and over: when it resolves it is a regular file
 *    that is none of the stable ones.
 */
#define STABLE_DIRS	2

/* path_of() of @fmt with its %d filled by @k. */
static void path_ofk(char *buf, size_t size, const char *fmt, int k)
{
	char rel[32];

	snprintf(rel, sizeof(rel), fmt, k);
	path_of(buf, size, rel);
}

struct walk_arg {
	int id, n;
	int *start, *stop;
	ino_t stable_ino[STABLE_DIRS];
	int errors;		/* failed syscalls of a mutator */
	int wrong;		/* a name resolved to a file it never named */
	int bad_errno;		/* a lookup failed with neither ENOENT nor ENOTDIR */
	int found;
};

static void *walk_mutator(void *p)
{
	struct walk_arg *a = p;
	char d[128], x[128], s[128], t[128], tn[128], tns[128], tnf[128];
	int k = a->id;

	path_ofk(d, sizeof(d), "d%d", k);
	path_ofk(x, sizeof(x), "x%d", k);
	path_ofk(s, sizeof(s), "d%d/s", k);
	path_ofk(t, sizeof(t), "d%d/t", k);
	path_ofk(tn, sizeof(tn), "t%d", k);
	path_ofk(tns, sizeof(tns), "t%d/s", k);
	path_ofk(tnf, sizeof(tnf), "t%d/s/f", k);
	wait_start(a->start);
	for (int i = 0; i < a->n; i++) {
		int fd;

		a->errors += rename(d, x) != 0;
		a->errors += rename(x, d) != 0;
		a->errors += rename(s, t) != 0;
		a->errors += rename(t, s) != 0;
		a->errors += mkdir(tn, 0755) != 0;
		a->errors += mkdir(tns, 0755) != 0;
		fd = open(tnf, O_CREAT | O_EXCL | O_WRONLY, 0644);
		a->errors += fd < 0;
		if (fd >= 0)
			close(fd);
		a->errors += unlink(tnf) != 0;
		a->errors += rmdir(tns) != 0;
		a->errors += rmdir(tn) != 0;
		fd = open(tn, O_CREAT | O_EXCL | O_WRONLY, 0644);	/* tN/s/f: ENOTDIR now */
		a->errors += fd < 0;
		if (fd >= 0)
			close(fd);
		a->errors += unlink(tn) != 0;
	}
	__atomic_add_fetch(a->stop, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void walk_check(struct walk_arg *a, const char *path, int stable)
{
	struct stat st, fst;
	int fd;

	if (stat(path, &st) == 0) {
		a->found++;
		if (stable >= 0 ? st.st_ino != a->stable_ino[stable] : !S_ISREG(st.st_mode))
			a->wrong++;
		for (int k = 0; stable < 0 && k < STABLE_DIRS; k++)
			a->wrong += st.st_ino == a->stable_ino[k];
	} else if (errno != ENOENT && errno != ENOTDIR) {
		a->bad_errno++;
	}
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		if (fstat(fd, &fst) || (stable >= 0 && fst.st_ino != a->stable_ino[stable]))
			a->wrong++;
		for (int k = 0; stable < 0 && k < STABLE_DIRS; k++)
			a->wrong += fst.st_ino == a->stable_ino[k];
		close(fd);
	} else if (errno != ENOENT && errno != ENOTDIR) {
		a->bad_errno++;
	}
}

static void *walk_checker(void *p)
{
	struct walk_arg *a = p;
	char stable[STABLE_DIRS][128], temp[STABLE_DIRS][128];

	for (int k = 0; k < STABLE_DIRS; k++) {
		path_ofk(stable[k], sizeof(stable[k]), "d%d/s/f", k);
		path_ofk(temp[k], sizeof(temp[k]), "t%d/s/f", k);
	}
	wait_start(a->start);
	while (__atomic_load_n(a->stop, __ATOMIC_ACQUIRE) < STABLE_DIRS) {
		for (int k = 0; k < STABLE_DIRS; k++) {
			walk_check(a, stable[k], k);
			walk_check(a, temp[k], -1);
		}
	}
	return NULL;
}

TEST_TIMEOUT(vfsrace, lookups_through_moving_dirs_find_the_right_file, 120)
{
	struct walk_arg a[THREADS];
	pthread_t th[THREADS];
	int start = 0, stop = 0, found = 0;
	ino_t ino[STABLE_DIRS];
	char p[128], rel[32];
	struct stat st;

	make_base();
	for (int k = 0; k < STABLE_DIRS; k++) {
		path_ofk(p, sizeof(p), "d%d", k);
		ASSERT_EQ(mkdir(p, 0755), 0);
		path_ofk(p, sizeof(p), "d%d/s", k);
		ASSERT_EQ(mkdir(p, 0755), 0);
		snprintf(rel, sizeof(rel), "d%d/s/f", k);
		touch(rel);
		path_of(p, sizeof(p), rel);
		ASSERT_EQ(stat(p, &st), 0);
		ino[k] = st.st_ino;
	}
	for (int i = 0; i < THREADS; i++) {
		a[i] = (struct walk_arg){ .id = i, .n = iters(), .start = &start, .stop = &stop };
		memcpy(a[i].stable_ino, ino, sizeof(ino));
		ASSERT_EQ(pthread_create(&th[i], NULL,
					 i < STABLE_DIRS ? walk_mutator : walk_checker, &a[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
		EXPECT_EQ(a[i].errors, 0);
		EXPECT_EQ(a[i].wrong, 0);
		EXPECT_EQ(a[i].bad_errno, 0);
		found += a[i].found;
	}
	EXPECT_GT(found, 0);
	remove_tree(base);
}
