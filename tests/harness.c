// SPDX-License-Identifier: MIT
/* Host implementations of printk/panic, the lock hooks and the test runner (see harness.h). */
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <exo/spinlock.h>
#include "harness.h"

unsigned long host_direct_map_base;
unsigned int host_cpu_id;
struct task *host_current;
int host_irqs_off;
jmp_buf host_panic_jmp;
int host_panic_armed;
char host_panic_msg[512];
int host_warn_count;
static int host_quiet;

#define TEST_TIMEOUT_SECONDS 120

static struct test_case *tests, **tests_tail = &tests;
static unsigned long rand_state = 88172645463325252UL;

void test_register(struct test_case *t)
{
	*tests_tail = t;
	tests_tail = &t->next;
}

unsigned long test_rand(void)
{
	rand_state ^= rand_state << 13;
	rand_state ^= rand_state >> 7;
	rand_state ^= rand_state << 17;
	return rand_state;
}

void test_srand(unsigned long seed)
{
	rand_state = seed * 2654435761UL + 1;
}

void host_ram_map(unsigned long size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	host_direct_map_base = (unsigned long)p;
}

int vprintk(const char *fmt, va_list ap)
{
	if (fmt[0] == '\001' && fmt[1])
		fmt += 2;
	if (host_quiet)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	if (host_panic_armed) {
		host_panic_armed = 0;
		longjmp(host_panic_jmp, 1);
	}
	fprintf(stderr, "  unexpected panic: %s\n", host_panic_msg);
	abort();
}

void __warn(const char *file, int line, const char *cond)
{
	host_warn_count++;
	fprintf(stderr, "  WARN_ON(%s) at %s:%d\n", cond, file, line);
}

/*
 * The lock validator (kernel/locking/lockdep.c) is not built for the host,
 * whose tests run on one thread; its two certain-bug checks on spinlocks
 * stay, so a test still sees recursion and a release by another CPU.
 */
void lockdep_acquire(struct lockdep_map *map, const void *lock, unsigned int subclass,
		     unsigned int flags, unsigned int kind)
{
	const struct spinlock *s = lock;

	(void)subclass;
	if (kind == LOCKDEP_SPIN && !(flags & LOCKDEP_TRYLOCK) && s->holder_cpu == (int)host_cpu_id)
		panic("spinlock recursion on %s", map->name);
}

void lockdep_release(struct lockdep_map *map, const void *lock, unsigned int kind)
{
	const struct spinlock *s = lock;

	if (kind == LOCKDEP_SPIN && s->holder_cpu != (int)host_cpu_id)
		panic("spinlock %s released by CPU %u, held by %d", map->name, host_cpu_id,
		      s->holder_cpu);
}

int main(int argc, char **argv)
{
	struct test_case *t;
	int passed = 0, failed = 0;

	host_quiet = !getenv("TEST_VERBOSE");
	for (t = tests; t; t = t->next) {
		int status;
		pid_t pid;

		if (argc > 1 && !strstr(t->name, argv[1]))
			continue;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			alarm(TEST_TIMEOUT_SECONDS);	/* a hang is a failure, not a stuck build */
			test_srand(1);
			t->fn();
			exit(0);
		}
		waitpid(pid, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			printf("PASS %s\n", t->name);
			passed++;
		} else {
			printf("FAIL %s (%s %d)\n", t->name, WIFEXITED(status) ? "exit" : "signal",
			       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
			failed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

void lockdep_spin_acquire(struct lockdep_map *map, const void *lock, unsigned int subclass)
{
	lockdep_acquire(map, lock, subclass, 0, LOCKDEP_SPIN);
}

void lockdep_spin_release(struct lockdep_map *map, const void *lock)
{
	lockdep_release(map, lock, LOCKDEP_SPIN);
}
