/*
 * exofuzz [-s SEED] [-S WORKER_SEED] [-w WORKERS] [-n CALLS] [-v] [-r]
 *
 * Runs WORKERS processes (default 4) that make CALLS random system calls
 * between them (default 20000) as uid 65534 in a scratch directory, and
 * restarts a worker whenever a call kills it. The kernel must stay up (a
 * panic is the harness's to see in the log) and every worker must die when
 * killed: one that SIGKILL cannot end within WEDGED_SECS is a kernel hang,
 * reported with the call it is stuck in, and exofuzz exits 1.
 *
 * Needs root (to drop to 65534, so that a random kill or unlink reaches
 * only the workers' own things). Meant for a throwaway machine: a guest.
 * -r keeps the workers root, to reach the privileged paths too; they skip
 * the calls that would reach other processes, mounts, the clock or the
 * machine, and name only paths of their own, but may still damage the
 * system's files: only in a guest booted for it.
 * -v makes each worker print every call before making it. Every report
 * names the worker's own seed: -S that seed -w 1 -v replays its sequence.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define STALL_SECS 2	/* no call completed: the worker is blocked or spinning; kill it */
#define WEDGED_SECS 10	/* killed but not gone: the kernel is stuck */
#define PROGRESS_SECS 5

struct worker {
	pid_t pid;
	unsigned generation;
	uint64_t seen_calls;
	double seen_at, killed_at;
	int finished;
};

static struct worker workers[MAX_WORKERS];
static struct worker_slot *slots;
static uint64_t base_seed = 1, first_worker_seed;
static struct fuzz_options opt;	/* what every worker is started with */
static unsigned long deaths_by_signal[65], stalls;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t worker_seed(int k, unsigned generation)
{
	if (first_worker_seed && k == 0 && generation == 0)
		return first_worker_seed;
	return base_seed * 0x9e3779b97f4a7c15ULL + (uint64_t)k * 1000003 + generation;
}

static void start_worker(int k)
{
	struct worker *w = &workers[k];
	uint64_t seed = worker_seed(k, w->generation);
	pid_t pid;

	slots[k].seed = seed;
	slots[k].nr = -1;
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "exofuzz: fork: %s; free some memory or run fewer workers (-w)\n",
			strerror(errno));
		exit(2);
	}
	if (pid == 0)
		worker_main(&slots[k], seed, &opt);
	w->pid = pid;
	w->seen_calls = slots[k].calls;
	w->seen_at = now();
	w->killed_at = 0;
}

/* A worker ended: done, or restart it with the next seed. */
static void worker_ended(int k, int status)
{
	struct worker *w = &workers[k];

	w->pid = 0;
	if (slots[k].calls >= slots[k].budget) {
		w->finished = 1;
		return;
	}
	if (WIFSIGNALED(status) && !w->killed_at)
		deaths_by_signal[WTERMSIG(status) & 63]++;
	if (opt.verbose || (WIFEXITED(status) && WEXITSTATUS(status) > 2))
		fprintf(stderr, "exofuzz: worker %d (seed %#llx) %s %d in call %ld\n", k,
			(unsigned long long)slots[k].seed,
			WIFSIGNALED(status) ? "killed by signal" : "exited with", WIFSIGNALED(status) ?
			WTERMSIG(status) : WEXITSTATUS(status), (long)slots[k].nr);
	w->generation++;
	start_worker(k);
}

static void reap(int nworkers)
{
	int status, k;
	pid_t pid;

	/* Orphans of the workers come here (we are their subreaper): they are only reaped. */
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (k = 0; k < nworkers; k++)
			if (workers[k].pid == pid)
				worker_ended(k, status);
}

static void report_wedged(int k)
{
	volatile struct worker_slot *s = &slots[k];
	char path[64], buf[512];
	ssize_t n;
	int fd;

	fprintf(stderr, "exofuzz: FAIL: worker %d (pid %d, seed %#llx) did not die %d s after "
		"SIGKILL; it is in call %ld (%#llx, %#llx, %#llx, %#llx, %#llx, %#llx)\n", k,
		workers[k].pid, (unsigned long long)s->seed, WEDGED_SECS, (long)s->nr,
		(unsigned long long)s->args[0], (unsigned long long)s->args[1],
		(unsigned long long)s->args[2], (unsigned long long)s->args[3],
		(unsigned long long)s->args[4], (unsigned long long)s->args[5]);
	snprintf(path, sizeof(path), "/proc/%d/status", workers[k].pid);
	fd = open(path, O_RDONLY);
	if (fd >= 0 && (n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = 0;
		fprintf(stderr, "%s", buf);
	}
	fprintf(stderr, "exofuzz: replay that worker's calls with: exofuzz -S %#llx -w 1 -v\n",
		(unsigned long long)s->seed);
}

/* Kills workers that stopped making calls; returns -1 when one will not die. */
static int watchdog(int nworkers)
{
	double t = now();
	int k;

	for (k = 0; k < nworkers; k++) {
		struct worker *w = &workers[k];

		if (!w->pid)
			continue;
		if (w->killed_at) {
			if (t - w->killed_at > WEDGED_SECS) {
				report_wedged(k);
				return -1;
			}
			continue;
		}
		if (slots[k].calls != w->seen_calls) {
			w->seen_calls = slots[k].calls;
			w->seen_at = t;
		} else if (t - w->seen_at > STALL_SECS) {
			stalls++;
			w->killed_at = t;
			kill(-w->pid, SIGKILL);
			kill(w->pid, SIGKILL);
		}
	}
	return 0;
}

static void remove_tree(int dirfd, const char *name)
{
	DIR *d;
	struct dirent *e;
	int fd;

	if (unlinkat(dirfd, name, 0) == 0)
		return;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd >= 0 && (d = fdopendir(fd))) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				remove_tree(fd, e->d_name);
		closedir(d);
	} else if (fd >= 0) {
		close(fd);
	}
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

/* Sends SIGKILL to every process whose parent we are (found in /proc); returns how many. */
static int kill_children(void)
{
	char path[64], buf[256];
	struct dirent *e;
	int n = 0, fd;
	DIR *d = opendir("/proc");

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char *close_paren;
		ssize_t len;
		int ppid;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.16s/stat", e->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = 0;
		/* "pid (comm) state ppid ...": comm may hold spaces, so go by the last ')'. */
		close_paren = strrchr(buf, ')');
		if (close_paren && sscanf(close_paren + 1, " %*c %d", &ppid) == 1 && ppid == getpid()) {
			kill(atoi(e->d_name), SIGKILL);
			n++;
		}
	}
	closedir(d);
	return n;
}

/*
 * The workers' orphans are ours (subreaper). Most end at once, but one may
 * be stopped (a worker's kill(0, SIGSTOP)) with nobody to continue it: after
 * a grace period they are killed. One that SIGKILL cannot end is a kernel
 * hang: reported, and exofuzz fails.
 */
static int reap_orphans(void)
{
	double deadline = now() + 2;
	int killed = 0;

	for (;;) {
		struct timespec tick = { 0, 20 * 1000 * 1000 };

		while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
			;
		if (waitpid(-1, NULL, WNOHANG | __WALL) < 0 && errno == ECHILD)
			return 0;
		if (now() > deadline) {
			if (killed) {
				fprintf(stderr, "exofuzz: FAIL: %d orphaned children did not die %d s "
					"after SIGKILL\n", kill_children(), WEDGED_SECS);
				return -1;
			}
			killed = kill_children();
			deadline = now() + WEDGED_SECS;
		}
		nanosleep(&tick, NULL);
	}
}

static uint64_t total_calls(int nworkers)
{
	uint64_t sum = 0;
	int k;

	for (k = 0; k < nworkers; k++)
		sum += slots[k].calls;
	return sum;
}

static void usage(void)
{
	fprintf(stderr, "usage: exofuzz [-s SEED] [-S WORKER_SEED] [-w WORKERS (1-%d)] [-n CALLS] [-v] [-r]\n",
		MAX_WORKERS);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long calls = 20000, restarts = 0;
	int nworkers = 4, c, k, all_done;
	char dir[64];
	double start, last_progress;

	while ((c = getopt(argc, argv, "s:S:w:n:vr")) != -1) {
		switch (c) {
		case 's': base_seed = strtoull(optarg, NULL, 0); break;
		case 'S': first_worker_seed = strtoull(optarg, NULL, 0); break;
		case 'w': nworkers = atoi(optarg); break;
		case 'n': calls = strtoul(optarg, NULL, 0); break;
		case 'v': opt.verbose = 1; break;
		case 'r': opt.as_root = 1; break;
		default: usage();
		}
	}
	if (nworkers < 1 || nworkers > MAX_WORKERS || calls < (unsigned long)nworkers)
		usage();
	if (getuid() != 0) {
		fprintf(stderr, "exofuzz: run me as root: the workers drop to uid 65534, so that "
			"their random kills and unlinks reach only their own things\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* The workers' orphans come to us, not to init, and leave no zombie behind. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1)) {
		perror("exofuzz: prctl(PR_SET_CHILD_SUBREAPER)");
		return 2;
	}
	slots = mmap(NULL, sizeof(*slots) * MAX_WORKERS, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (slots == MAP_FAILED) {
		perror("exofuzz: mmap of the shared worker slots");
		return 2;
	}
	snprintf(dir, sizeof(dir), "/tmp/exofuzz.%d", getpid());
	if (mkdir(dir, 0755) || chown(dir, 65534, 65534) || chdir(dir)) {
		fprintf(stderr, "exofuzz: cannot set up the scratch directory %s: %s; /tmp must be "
			"writable\n", dir, strerror(errno));
		return 2;
	}
	printf("exofuzz: seed %llu, %d workers, %lu calls\n", (unsigned long long)base_seed,
	       nworkers, calls);
	start = last_progress = now();
	for (k = 0; k < nworkers; k++) {
		slots[k].budget = calls / nworkers + (k < (int)(calls % nworkers));
		start_worker(k);
	}
	do {
		struct timespec tick = { 0, 20 * 1000 * 1000 };

		nanosleep(&tick, NULL);
		reap(nworkers);
		if (watchdog(nworkers))
			return 1;
		all_done = 1;
		for (k = 0; k < nworkers; k++)
			all_done &= workers[k].finished;
		if (now() - last_progress >= PROGRESS_SECS) {
			last_progress = now();
			printf("exofuzz: %llu/%lu calls\n", (unsigned long long)total_calls(nworkers),
			       calls);
		}
	} while (!all_done);

	if (reap_orphans())
		return 1;
	for (k = 0; k < nworkers; k++)
		restarts += workers[k].generation;
	printf("exofuzz: %llu calls in %.0f s, %lu worker restarts (%lu stalled and killed;",
	       (unsigned long long)total_calls(nworkers), now() - start, restarts, stalls);
	for (k = 1; k < 65; k++)
		if (deaths_by_signal[k])
			printf(" signal %d: %lu", k, deaths_by_signal[k]);
	printf(")\n");
	if (chdir("/") == 0)
		remove_tree(AT_FDCWD, dir);
	printf("exofuzz: done\n");
	return 0;
}
