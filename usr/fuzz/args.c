/*
 * Argument values for random system calls. Plain random numbers rarely get
 * past the first check of a call, so most values are ones kernels treat
 * specially: open descriptors of every kind, pointers into a mapped arena
 * (whose words are again such values, so a pointer to an iovec or msghdr
 * often leads somewhere real), pointers that straddle into an unmapped
 * page, kernel addresses, paths, and lengths and flags at their edges.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#define PAGE 4096UL

/*
 * The names a worker passes. As root (-r) it gets only the first ones,
 * which it may damage without breaking the machine for others.
 */
static const char *const paths[] = {
	".", "..", "a", "b", "dir", "dir/c", "a/", "link", "", "/proc/self/status",
	"/proc/self/maps", "/proc/self/fd/0", "/proc/self/exe", "/sys/devices/system/cpu/online",
#define NR_ROOT_SAFE_PATHS 14
	"/", "/dev/null", "/dev/zero", "/dev/tty", "/tmp", "/bin/sh", "/proc/1/mem",
};

/* Where the paths live in the arena: its last page, one 64-byte slot each. */
#define PATH_SLOT(w, i) ((w)->arena + (ARENA_PAGES - 1) * PAGE + (i) * 64)

void world_init(struct fuzz_world *w, struct rng *r, int as_root)
{
	int p[2], i;

	w->arena = mmap(NULL, (ARENA_PAGES + 1) * PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->arena == MAP_FAILED)
		_exit(3);
	/* The guard page: a buffer that ends there faults part way through. */
	munmap(w->arena + ARENA_PAGES * PAGE, PAGE);
	w->nr_fds = 0;
	w->fds[w->nr_fds++] = open("a", O_RDWR | O_CREAT, 0644);
	w->fds[w->nr_fds++] = open(".", O_RDONLY | O_DIRECTORY);
	w->fds[w->nr_fds++] = open("/dev/null", O_RDWR);
	w->fds[w->nr_fds++] = open("/dev/zero", O_RDONLY);
	w->fds[w->nr_fds++] = open("/proc/self/status", O_RDONLY);
	w->fds[w->nr_fds++] = open("/proc", O_RDONLY | O_DIRECTORY);
	w->fds[w->nr_fds++] = open("/", O_PATH);
	if (pipe(p) == 0) {
		w->fds[w->nr_fds++] = p[0];
		w->fds[w->nr_fds++] = p[1];
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, p) == 0) {
		w->fds[w->nr_fds++] = p[0];
		w->fds[w->nr_fds++] = p[1];
	}
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, p) == 0) {
		w->fds[w->nr_fds++] = p[0];
		w->fds[w->nr_fds++] = p[1];
	}
	w->fds[w->nr_fds++] = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	mkdir("dir", 0755);
	symlink("a", "link");
	w->nr_paths = as_root ? NR_ROOT_SAFE_PATHS : (int)(sizeof(paths) / sizeof(paths[0]));
	for (i = 0; i < w->nr_paths; i++)
		strcpy((char *)PATH_SLOT(w, i), paths[i]);
	arena_fill(w, r);
}

/* Refills every word of the arena but the path page. */
void arena_fill(struct fuzz_world *w, struct rng *r)
{
	uint64_t *word = (uint64_t *)w->arena;
	unsigned long i, n = (ARENA_PAGES - 1) * PAGE / sizeof(uint64_t);

	for (i = 0; i < n; i++)
		word[i] = rng_below(r, 4) ? arg_value(w, r) : rng_next(r);
}

static uint64_t pointer(struct fuzz_world *w, struct rng *r)
{
	static const uint64_t bad[] = {
		0, 1, 0xfff, 0x1000,
		0x00007ffffffff000ULL,	/* the last user page */
		0x0000800000000000ULL,	/* the first non-canonical address */
		0xffff800000000000ULL,	/* the kernel's direct map */
		0xffffffff80000000ULL,	/* the kernel image */
		0xffffffffff600000ULL,	/* the vsyscall page */
		0xffffffffffffffffULL,
	};
	unsigned long off;

	switch (rng_below(r, 8)) {
	case 0:
		return bad[rng_below(r, sizeof(bad) / sizeof(bad[0]))];
	case 1:
		/* Near the end of the arena: reads and writes run into the guard page. */
		return (uint64_t)(w->arena + ARENA_PAGES * PAGE - 1 - rng_below(r, 256));
	case 2:
	case 3:
		return (uint64_t)PATH_SLOT(w, rng_below(r, (unsigned)w->nr_paths));
	default:
		off = rng_below(r, (ARENA_PAGES - 1) * PAGE);
		return (uint64_t)(w->arena + (rng_below(r, 4) ? off & ~7UL : off));
	}
}

static uint64_t length(struct rng *r)
{
	static const uint64_t edge[] = {
		0, 1, 2, 7, 8, 16, 64, 255, 256, 4095, 4096, 4097, 65536, 1UL << 20,
		0x7ffff000, 1UL << 31, 1UL << 32, 1UL << 62, (uint64_t)-1, (uint64_t)-4096,
		(uint64_t)INT32_MAX, (uint64_t)INT32_MIN,
	};

	if (rng_below(r, 2))
		return edge[rng_below(r, sizeof(edge) / sizeof(edge[0]))];
	return rng_below(r, 3 * PAGE);
}

static uint64_t flags(struct rng *r)
{
	uint64_t f = 0;
	unsigned i, n = rng_below(r, 4);

	if (rng_below(r, 16) == 0)
		return (uint64_t)-1;
	for (i = 0; i < n; i++)
		f |= 1ULL << rng_below(r, rng_below(r, 4) ? 24 : 64);
	return f;
}

uint64_t arg_value(struct fuzz_world *w, struct rng *r)
{
	switch (rng_below(r, 10)) {
	case 0:
		return 0;
	case 1:
		return w->nr_fds ? (uint64_t)w->fds[rng_below(r, w->nr_fds)] : 0;
	case 2:
		/* Descriptors that are not open, or not valid at all. */
		if (rng_below(r, 2))
			return rng_below(r, 64);
		return (uint64_t)(int64_t)(-1 - (int)rng_below(r, 200));
	case 3:
	case 4:
		return pointer(w, r);
	case 5:
	case 6:
		return length(r);
	case 7:
		return flags(r);
	case 8:
		return rng_below(r, 70);	/* signal numbers, small commands and ids */
	default:
		return rng_next(r);
	}
}

/*
 * Calls a worker does not make: they would end or replace it (and the rest
 * of its sequence would never run). As root, also those that reach beyond
 * the worker: other processes, mounts, the clock, the machine.
 */
const char *syscall_skip_reason(long nr, int as_root)
{
	switch (nr) {
	case 59:	/* execve */
	case 322:	/* execveat */
		return "replaces the worker";
	case 60:	/* exit */
	case 231:	/* exit_group */
		return "ends the worker";
	case 101:	/* ptrace: TRACEME makes the fuzzer its tracer, ATTACH stops a sibling */
		return "stops the worker or another";
	}
	if (!as_root)
		return NULL;
	switch (nr) {
	case 62:	/* kill */
	case 129:	/* rt_sigqueueinfo */
	case 200:	/* tkill */
	case 234:	/* tgkill */
	case 297:	/* rt_tgsigqueueinfo */
	case 424:	/* pidfd_send_signal */
	case 310:	/* process_vm_readv */
	case 311:	/* process_vm_writev */
		return "reaches other processes";
	case 155:	/* pivot_root */
	case 165:	/* mount */
	case 166:	/* umount2 */
		return "changes the mounts";
	case 159:	/* adjtimex */
	case 164:	/* settimeofday */
	case 227:	/* clock_settime */
	case 305:	/* clock_adjtime */
		return "sets the clock";
	case 103:	/* syslog: clears the log, turns the console off, READ waits for new lines */
	case 153:	/* vhangup: hangs up the console's session */
	case 169:	/* reboot */
	case 170:	/* sethostname */
	case 171:	/* setdomainname */
		return "changes the machine";
	default:
		return NULL;
	}
}
