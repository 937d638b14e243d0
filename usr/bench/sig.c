/*
 * Signal rows (lmbench's lat_sig install, catch, prot): installing a
 * handler, sending oneself SIGUSR1 and returning from the handler, and a
 * write to a read-only page caught by a SIGSEGV handler.
 *
 * The protection-fault handler resumes after the faulting instruction by
 * moving the saved RIP past it: the store is written in assembly with a
 * fixed encoding (movb $1,(%rdi) is c6 07 01, three bytes), so the fault,
 * the signal frame and rt_sigreturn are all that the row measures.
 */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "exobench.h"

#define STORE_LEN 3

static volatile long caught;

static void on_usr1(int sig)
{
	(void)sig;
	caught++;
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_RIP] += STORE_LEN;
	caught++;
}

static void store_byte(void *p)
{
	__asm__ volatile("movb $1, (%%rdi)" : : "D"(p) : "memory");
}

static void install(int sig, struct sigaction *sa)
{
	if (sigaction(sig, sa, NULL) < 0)
		row_errno("sigaction");
}

void bench_sig_install(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	install(SIGUSR1, &sa);
	MEASURE(it(1000), sigaction(SIGUSR1, &sa, NULL));
}

void bench_sig_deliver(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	pid_t me = getpid();
	long n = it(500);

	install(SIGUSR1, &sa);
	need(syscall(SYS_kill, me, SIGUSR1), "kill");
	if (caught != 1)
		row_fail("handler ran %ld times for one kill", caught);
	caught = 0;
	{
		struct best b = BEST_INIT;

		for (int r = 0; r <= bench_reps; r++) {
			uint64_t t0 = rdtsc(), t1;

			for (long i = 0; i < n; i++)
				syscall(SYS_kill, me, SIGUSR1);
			t1 = rdtsc();
			if (r > 0)
				best_add(&b, t0, t1, n);
		}
		if (caught != n * (bench_reps + 1))
			row_fail("handler ran %ld times for %ld signals", caught, n * (bench_reps + 1));
		row_report(b.cycles);
	}
}

void bench_prot_fault(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	long n = it(500);
	struct best b = BEST_INIT;
	char *page;

	install(SIGSEGV, &sa);
	page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		row_errno("mmap");
	store_byte(page);
	if (caught != 1)
		row_fail("handler ran %ld times for one fault", caught);
	for (int r = 0; r <= bench_reps; r++) {
		uint64_t t0 = rdtsc(), t1;

		for (long i = 0; i < n; i++)
			store_byte(page);
		t1 = rdtsc();
		if (r > 0)
			best_add(&b, t0, t1, n);
	}
	if (caught != 1 + n * (bench_reps + 1))
		row_fail("handler ran %ld times for %ld faults", caught, 1 + n * (bench_reps + 1));
	row_report(b.cycles);
}
