/*
 * Memory rows: the first-touch fault of anonymous memory, per page (like
 * lmbench's lat_pagefault, but demand-zero rather than file-backed), and an
 * mmap+munmap pair of 1 MiB of anonymous memory that is never touched, and
 * brk: the break grown and shrunk by one page (never touched, so no fault).
 *
 * 1 MiB is below the 2 MiB a transparent huge page needs, so Linux takes
 * ordinary 4 KiB faults here, as Exo-OS does.
 */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exobench.h"

#define REGION (1 << 20)
#define PAGE 4096

void bench_page_fault(void)
{
	struct best b = BEST_INIT;
	long pages = bench_quick ? 64 : REGION / PAGE;

	for (int r = 0; r <= bench_reps; r++) {
		char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t t0, t1;

		if (p == MAP_FAILED)
			row_errno("mmap");
		t0 = rdtsc();
		for (long i = 0; i < pages; i++)
			((volatile char *)p)[i * PAGE] = 1;
		t1 = rdtsc();
		if (r > 0)
			best_add(&b, t0, t1, pages);
		need(munmap(p, pages * PAGE), "munmap");
	}
	row_report(b.cycles);
}

static void map_unmap(void)
{
	void *p = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		row_errno("mmap");
	if (munmap(p, REGION) < 0)
		row_errno("munmap");
}

void bench_mmap_munmap(void)
{
	map_unmap();
	MEASURE(it(500), map_unmap());
}

/*
 * Raw brk: musl's brk() wrapper refuses to move the break (it returns ENOMEM),
 * so this is the system call itself, as glibc's sbrk() would make it.
 */
static uintptr_t sys_brk(uintptr_t to)
{
	return (uintptr_t)syscall(SYS_brk, to);
}

void bench_brk(void)
{
	uintptr_t base = sys_brk(0);

	if (sys_brk(base + PAGE) != base + PAGE || sys_brk(base) != base)
		row_fail("brk does not move the break by a page");
	MEASURE(it(1000), {
		sys_brk(base + PAGE);
		sys_brk(base);
	});
}
