/*
 * memhog [ROUNDS [HOGS]]: runs the machine out of memory and checks that it
 * comes back. Each round HOGS children (default 4) at once map and touch
 * anonymous memory, 16 MiB at a time, until the kernel kills them (SIGKILL,
 * as Linux's OOM killer would) or mmap fails; then a tmpfs file is filled
 * until write() fails, which must be ENOSPC with statfs reporting no blocks
 * free (tmpfs holds half of RAM at most, as on Linux), and removed. After every round free memory must be back
 * within 1% of where it started and fork+exec must still work.
 * Meant for a guest: on a host it would wake the OOM killer.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHUNK (16UL << 20)

static volatile unsigned long *progress_mb;	/* [atomic] shared with the children */

static unsigned long free_kb(void)
{
	struct sysinfo si;

	if (sysinfo(&si))
		return 0;
	return si.freeram * si.mem_unit / 1024;
}

static void hog_anonymous(void)
{
	for (;;) {
		char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(3);
		for (unsigned long off = 0; off < CHUNK; off += 4096)
			p[off] = 1;
		__atomic_add_fetch(progress_mb, CHUNK >> 20, __ATOMIC_RELAXED);
	}
}

/* Returns the errno of the write that failed, or -1 if statfs did not show the file system full. */
static int hog_tmpfs(const char *path)
{
	struct statfs st;

	static char buf[1 << 16];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		return -errno;
	memset(buf, 0x5a, sizeof(buf));
	for (;;) {
		ssize_t n = write(fd, buf, sizeof(buf));

		if (n < 0) {
			int err = errno;

			if (fstatfs(fd, &st) || st.f_bfree != 0)
				err = -1;
			close(fd);
			return err;
		}
	}
}

/* The kernel's own holdings, for a leak to be placed: Slab, PageTables, KernelStack, VmallocUsed. */
static void print_kernel_kb(int round)
{
	static const char *const names[] = { "Slab:", "PageTables:", "KernelStack:", "VmallocUsed:" };
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return;
	printf("memhog: round %d:", round);
	while (fgets(line, sizeof(line), f))
		for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strncmp(line, names[i], strlen(names[i])))
				printf(" %s %ld kB", names[i], strtol(line + strlen(names[i]), NULL, 10));
	printf("\n");
	fclose(f);
}

static int run_hello(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		execl("/usr/bin/hello", "hello", "after-oom", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3, hogs = argc > 2 ? atoi(argv[2]) : 4;
	unsigned long before = free_kb(), after;

	setvbuf(stdout, NULL, _IOLBF, 0);
	progress_mb = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (progress_mb == MAP_FAILED) {
		perror("memhog: mmap");
		return 2;
	}
	printf("memhog: %lu kB free at the start\n", before);
	for (int r = 1; r <= rounds; r++) {
		int st, err, killed = 0, failed_mmap = 0;

		*progress_mb = 0;
		for (int h = 0; h < hogs; h++) {
			pid_t pid = fork();

			if (pid == 0)
				hog_anonymous();
			if (pid < 0) {
				printf("memhog: FAIL: fork: %s\n", strerror(errno));
				return 1;
			}
		}
		while (wait(&st) > 0) {
			killed += WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
			failed_mmap += WIFEXITED(st) && WEXITSTATUS(st) == 3;
		}
		printf("memhog: round %d: %d hogs took %lu MiB; %d killed, %d saw mmap fail\n", r,
		       hogs, *progress_mb, killed, failed_mmap);
		if (killed + failed_mmap != hogs) {
			printf("memhog: FAIL: a hog ended some other way\n");
			return 1;
		}
		err = hog_tmpfs("/tmp/memhog.fill");
		printf("memhog: round %d: tmpfs write failed with %s\n", r,
		       err < 0 ? "statfs not showing it full" : strerror(err));
		unlink("/tmp/memhog.fill");
		if (err != ENOSPC) {
			printf("memhog: FAIL: a full tmpfs must give ENOSPC\n");
			return 1;
		}
		after = free_kb();
		printf("memhog: round %d: %lu kB free\n", r, after);
		print_kernel_kb(r);
		/* More free than before is fine (reclaim dropped caches): only a loss fails, unsigned. */
		if (after < before && (before - after) * 100 > before) {
			printf("memhog: FAIL: free memory did not come back (%lu -> %lu kB)\n",
			       before, after);
			return 1;
		}
		if (run_hello()) {
			printf("memhog: FAIL: fork+exec of /usr/bin/hello after the hog failed\n");
			return 1;
		}
	}
	printf("memhog: ok\n");
	return 0;
}
