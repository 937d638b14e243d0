/*
 * A glibc program (built with gcc -static, not musl): glibc 2.35+ registers
 * an rseq area for every thread at startup and sched_getcpu() reads the
 * CPU number from it. Checks that the registration took (__rseq_size) and
 * that the CPU it reports follows the thread as it moves between CPUs.
 * Exits 0 and prints "rseqcheck: ok" when everything holds.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <unistd.h>

static int check_cpus(const char *who)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	for (int round = 0; round < 3; round++) {
		for (long c = 0; c < ncpu; c++) {
			cpu_set_t set;
			unsigned int real;

			CPU_ZERO(&set);
			CPU_SET(c, &set);
			if (sched_setaffinity(0, sizeof(set), &set))
				return perror("sched_setaffinity"), 1;
			sched_yield();
			syscall(SYS_getcpu, &real, NULL, NULL);
			if (sched_getcpu() != (int)real || real != (unsigned int)c) {
				printf("rseqcheck: %s: sched_getcpu %d, getcpu %u, wanted %ld\n", who,
				       sched_getcpu(), real, c);
				return 1;
			}
		}
	}
	return 0;
}

static void *thread_main(void *arg)
{
	(void)arg;
	return (void *)(long)check_cpus("thread");
}

int main(void)
{
	pthread_t th;
	void *ret;

	if (__rseq_size == 0) {
		printf("rseqcheck: glibc did not register rseq\n");
		return 1;
	}
	if (check_cpus("main"))
		return 1;
	if (pthread_create(&th, NULL, thread_main, NULL) || pthread_join(th, &ret) || ret)
		return 1;
	printf("rseqcheck: ok (rseq size %u)\n", __rseq_size);
	return 0;
}
