/*
 * One worker: drops privileges, builds its world (files, pipes, sockets, an
 * arena) and makes random calls until its slot's budget is spent. The
 * parent restarts it, with the next seed, whenever a call kills it.
 */
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "fuzz.h"

/*
 * long fuzz_syscall(long nr, const uint64_t args[6])
 * A new process or thread from clone, fork, vfork or clone3 must not run
 * on: it may share our stack, or have a random one. It ends at once, with
 * exit (one thread), before touching memory. %r12 keeps nr for the test.
 */
long fuzz_syscall(long nr, const uint64_t *args);
__asm__(".text\n"
	".globl fuzz_syscall\n"
	"fuzz_syscall:\n"
	"	pushq %r12\n"
	"	movq %rdi, %r12\n"
	"	movq %rdi, %rax\n"
	"	movq 0(%rsi), %rdi\n"
	"	movq 16(%rsi), %rdx\n"
	"	movq 24(%rsi), %r10\n"
	"	movq 32(%rsi), %r8\n"
	"	movq 40(%rsi), %r9\n"
	"	movq 8(%rsi), %rsi\n"
	"	syscall\n"
	"	testq %rax, %rax\n"
	"	jnz 1f\n"
	"	cmpq $56, %r12\n"	/* clone */
	"	je 2f\n"
	"	cmpq $57, %r12\n"	/* fork */
	"	je 2f\n"
	"	cmpq $58, %r12\n"	/* vfork */
	"	je 2f\n"
	"	cmpq $435, %r12\n"	/* clone3 */
	"	je 2f\n"
	"1:	popq %r12\n"
	"	ret\n"
	"2:	movl $60, %eax\n"	/* exit */
	"	xorl %edi, %edi\n"
	"	syscall\n"
	"	ud2\n");

static void on_alarm(int sig)
{
	(void)sig;
}

/* Blocking calls must end: a periodic SIGALRM, without SA_RESTART, interrupts them. */
static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval tick = { { 0, 10000 }, { 0, 10000 } };

	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	setitimer(ITIMER_REAL, &tick, NULL);
}

static void show_call(long nr, const uint64_t *a)
{
	char line[200];
	int n = snprintf(line, sizeof(line), "call %ld %#lx %#lx %#lx %#lx %#lx %#lx\n", nr,
			 (unsigned long)a[0], (unsigned long)a[1], (unsigned long)a[2],
			 (unsigned long)a[3], (unsigned long)a[4], (unsigned long)a[5]);

	write(2, line, (size_t)n);
}

void worker_main(struct worker_slot *slot, uint64_t seed, const struct fuzz_options *opt)
{
	struct rng r = { seed | 1 };
	struct fuzz_world w;
	uint64_t a[6];
	int null, i;
	long nr;

	setsid();	/* no controlling terminal, and its own group for the watchdog */
	if (!opt->as_root && getuid() == 0 && (setgroups(0, NULL) || setgid(65534) || setuid(65534)))
		_exit(4);
	null = open("/dev/null", O_RDWR);
	dup2(null, 0);
	dup2(null, 1);
	if (!opt->verbose)
		dup2(null, 2);
	close(null);
	setup_signals();
	world_init(&w, &r, opt->as_root);
	while (slot->calls < slot->budget) {
		nr = (long)rng_below(&r, NR_SYSCALLS_TRIED);
		if (syscall_skip_reason(nr, opt->as_root))
			continue;
		for (i = 0; i < 6; i++)
			a[i] = arg_value(&w, &r);
		if (rng_below(&r, 32) == 0)
			arena_fill(&w, &r);
		for (i = 0; i < 6; i++)
			slot->args[i] = a[i];
		slot->nr = nr;
		if (opt->verbose)
			show_call(nr, a);
		fuzz_syscall(nr, a);
		slot->nr = -1;
		slot->calls++;
	}
	_exit(0);
}
