/*
 * Memory tests: brk, mmap (anonymous and file, private and shared), faults
 * and their si_code, munmap splitting, mprotect, mremap, madvise, mincore,
 * copy-on-write across fork, and stack growth.
 *
 * Faults are provoked in a forked child (child_fault_code) whose SA_SIGINFO
 * handler reports si_code: SEGV_MAPERR for no mapping, SEGV_ACCERR for a
 * mapping whose protection forbids the access.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define PAGE 4096UL

static char *map_anon(size_t len, int prot)
{
	return (char *)ASSERT_OK(mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

/* A file of npages pages, page i filled with 'a' + i. */
static int make_file(const char *name, int npages)
{
	char buf[PAGE];
	int fd = ASSERT_OK(open(name, O_RDWR | O_CREAT | O_TRUNC, 0600));
	int i;

	for (i = 0; i < npages; i++) {
		memset(buf, 'a' + i, sizeof(buf));
		ASSERT_EQ(write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	}
	return fd;
}

/* mmap without musl's wrapper, which rewrites some errors and checks offsets itself. */
static long raw_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	return syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

static void do_read(void *p)
{
	touch_read(p);
}

static void do_write(void *p)
{
	touch_write(p);
}

static int read_fault(void *p)
{
	return child_fault_code(SIGSEGV, do_read, p);
}

static int write_fault(void *p)
{
	return child_fault_code(SIGSEGV, do_write, p);
}

TEST(mem, brk_grow_shrink)
{
	uintptr_t cur = syscall(SYS_brk, 0);
	uintptr_t want = cur + 16 * PAGE;

	ASSERT_NE(cur, 0);
	ASSERT_EQ(syscall(SYS_brk, want), want);
	memset((void *)cur, 0x5a, 16 * PAGE);
	EXPECT_EQ(((unsigned char *)cur)[16 * PAGE - 1], 0x5a);
	EXPECT_EQ(syscall(SYS_brk, cur), cur);
	EXPECT_EQ(syscall(SYS_brk, 0), cur);
}

TEST(mem, brk_shrunk_pages_are_gone)
{
	uintptr_t cur = syscall(SYS_brk, 0);
	uintptr_t top = (cur + PAGE - 1) & ~(PAGE - 1);

	ASSERT_EQ(syscall(SYS_brk, top + 2 * PAGE), top + 2 * PAGE);
	touch_write((void *)(top + PAGE));
	ASSERT_EQ(syscall(SYS_brk, top), top);
	EXPECT_EQ(read_fault((void *)(top + PAGE)), SEGV_MAPERR);
}

TEST(mem, brk_regrown_pages_are_zero)
{
	uintptr_t cur = syscall(SYS_brk, 0);
	uintptr_t top = (cur + PAGE - 1) & ~(PAGE - 1);

	ASSERT_EQ(syscall(SYS_brk, top + PAGE), top + PAGE);
	memset((void *)top, 0xff, PAGE);
	ASSERT_EQ(syscall(SYS_brk, top), top);
	ASSERT_EQ(syscall(SYS_brk, top + PAGE), top + PAGE);
	EXPECT_EQ(*(unsigned char *)(top + 8), 0);
}

TEST(mem, brk_invalid_leaves_break)
{
	uintptr_t cur = syscall(SYS_brk, 0);

	/* Linux reports a refused brk by returning the unchanged break. */
	EXPECT_EQ(syscall(SYS_brk, 4096), cur);
	EXPECT_EQ(syscall(SYS_brk, 0x7ffffffff000UL), cur);
	EXPECT_EQ(syscall(SYS_brk, 0xffff800000000000UL), cur);
	EXPECT_EQ(syscall(SYS_brk, 0), cur);
}

TEST(mem, anon_private_zero_and_writable)
{
	char *p = map_anon(3 * PAGE, PROT_READ | PROT_WRITE);
	static const char zero[3 * PAGE];

	EXPECT_MEMEQ(p, zero, 3 * PAGE);
	memset(p, 7, 3 * PAGE);
	EXPECT_EQ(p[3 * PAGE - 1], 7);
	EXPECT_EQ((uintptr_t)p % PAGE, 0);
	EXPECT_OK(munmap(p, 3 * PAGE));
}

TEST(mem, anon_shared_across_fork)
{
	volatile int *p = (int *)ASSERT_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
						MAP_SHARED | MAP_ANONYMOUS, -1, 0));
	int status;
	pid_t pid = ASSERT_OK(fork());

	if (pid == 0) {
		p[0] = 1234;
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(p[0], 1234);
}

TEST(mem, cow_child_write_invisible_to_parent)
{
	volatile int *p = (int *)map_anon(PAGE, PROT_READ | PROT_WRITE);
	int status;
	pid_t pid;

	p[0] = 1;
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		p[0] = 2;
		_exit(p[0] == 2 ? 0 : 1);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
	EXPECT_EQ(p[0], 1);
}

TEST(mem, cow_parent_write_invisible_to_child)
{
	volatile int *p = (int *)map_anon(PAGE, PROT_READ | PROT_WRITE);
	int go[2], status;
	char c = 0;
	pid_t pid;

	p[0] = 1;
	ASSERT_OK(pipe(go));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(p[0]);
	}
	close(go[0]);
	p[0] = 42;
	ASSERT_EQ(write(go[1], &c, 1), 1);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 1);
}

TEST(mem, cow_brk_and_stack_after_fork)
{
	volatile int on_stack = 5;
	int status;
	pid_t pid = ASSERT_OK(fork());

	if (pid == 0) {
		on_stack = 6;
		_exit(on_stack);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(WEXITSTATUS(status), 6);
	EXPECT_EQ(on_stack, 5);
}

TEST(mem, file_shared_write_seen_by_read)
{
	int fd = make_file("f", 2);
	char *p = (char *)ASSERT_OK(mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
					 fd, 0));
	char buf[6];

	EXPECT_EQ(p[PAGE], 'b');
	memcpy(p + PAGE + 10, "hello", 5);
	/* No msync: the page cache is the one copy both paths see. */
	ASSERT_EQ(pread(fd, buf, 5, PAGE + 10), 5);
	EXPECT_MEMEQ(buf, "hello", 5);
}

TEST(mem, file_write_seen_by_shared_mapping)
{
	int fd = make_file("f", 1);
	char *p = (char *)ASSERT_OK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0));

	EXPECT_EQ(p[100], 'a');
	ASSERT_EQ(pwrite(fd, "XYZ", 3, 100), 3);
	EXPECT_MEMEQ(p + 100, "XYZ", 3);
}

TEST(mem, two_shared_mappings_coherent)
{
	int fd = make_file("f", 1);
	char *a = (char *)ASSERT_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	char *b = (char *)ASSERT_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));

	EXPECT_NE(a, b);
	a[5] = 'Q';
	EXPECT_EQ(b[5], 'Q');
	b[6] = 'R';
	EXPECT_EQ(a[6], 'R');
}

TEST(mem, file_private_write_not_in_file)
{
	int fd = make_file("f", 1);
	char *p = (char *)ASSERT_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0));
	char c;

	p[0] = 'Z';
	EXPECT_EQ(p[0], 'Z');
	ASSERT_EQ(pread(fd, &c, 1, 0), 1);
	EXPECT_EQ(c, 'a');
}

TEST(mem, file_offset_mapping)
{
	int fd = make_file("f", 3);
	char *p = (char *)ASSERT_OK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 2 * PAGE));

	EXPECT_EQ(p[0], 'c');
	EXPECT_EQ(p[PAGE - 1], 'c');
}

TEST(mem, file_tail_of_page_is_zero)
{
	char *p;
	int fd;

	write_file("f", "abc", 3, 0600);
	fd = ASSERT_OK(open("f", O_RDONLY));
	p = (char *)ASSERT_OK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0));
	EXPECT_MEMEQ(p, "abc", 3);
	EXPECT_EQ(p[3], 0);
	EXPECT_EQ(p[PAGE - 1], 0);
}

static void touch_beyond_eof(void *p)
{
	touch_read((char *)p + PAGE);
}

TEST(mem, file_beyond_eof_sigbus)
{
	int fd = make_file("f", 1);
	char *p = (char *)ASSERT_OK(mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0));

	/* The mapping exists past EOF, but there is no page to back it. */
	EXPECT_EQ(child_fault_code(SIGBUS, touch_beyond_eof, p), BUS_ADRERR);
}

TEST(mem, map_fixed_replaces)
{
	char *p = map_anon(3 * PAGE, PROT_READ | PROT_WRITE);
	char *q;

	memset(p, 'A', 3 * PAGE);
	q = (char *)ASSERT_OK(mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	EXPECT_EQ(q, p + PAGE);
	EXPECT_EQ(p[0], 'A');
	EXPECT_EQ(p[PAGE], 0);
	EXPECT_EQ(p[2 * PAGE - 1], 0);
	EXPECT_EQ(p[2 * PAGE], 'A');
}

TEST(mem, map_fixed_noreplace_eexist)
{
	char *p = map_anon(2 * PAGE, PROT_READ);

	EXPECT_ERRNO(raw_mmap(p + PAGE, PAGE, PROT_READ,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
	munmap(p + PAGE, PAGE);
	EXPECT_EQ(mmap(p + PAGE, PAGE, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), p + PAGE);
}

TEST(mem, map_populate_resident)
{
	unsigned char vec[8];
	char *p = (char *)ASSERT_OK(mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0));
	int i;

	ASSERT_OK(mincore(p, 8 * PAGE, vec));
	for (i = 0; i < 8; i++)
		EXPECT_EQ(vec[i] & 1, 1);
	EXPECT_EQ(p[5 * PAGE], 0);
}

TEST(mem, mincore_untouched_anon_not_resident)
{
	unsigned char vec[4];
	char *p = map_anon(4 * PAGE, PROT_READ | PROT_WRITE);

	p[PAGE] = 1;
	ASSERT_OK(mincore(p, 4 * PAGE, vec));
	EXPECT_EQ(vec[0] & 1, 0);
	EXPECT_EQ(vec[1] & 1, 1);
}

TEST(mem, mincore_unmapped_enomem)
{
	unsigned char vec[1];

	EXPECT_ERRNO(mincore(unmapped_page(), PAGE, vec), ENOMEM);
}

TEST(mem, prot_none_read_accerr)
{
	char *p = map_anon(PAGE, PROT_NONE);

	EXPECT_EQ(read_fault(p), SEGV_ACCERR);
}

TEST(mem, unmapped_read_maperr)
{
	EXPECT_EQ(read_fault(unmapped_page()), SEGV_MAPERR);
	EXPECT_EQ(read_fault(NULL), SEGV_MAPERR);
}

TEST(mem, write_readonly_anon_accerr)
{
	char *p = map_anon(PAGE, PROT_READ);

	EXPECT_EQ(p[0], 0);
	EXPECT_EQ(write_fault(p), SEGV_ACCERR);
}

TEST(mem, write_readonly_file_accerr)
{
	int fd = make_file("f", 1);
	char *p = (char *)ASSERT_OK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0));

	EXPECT_EQ(write_fault(p), SEGV_ACCERR);
	EXPECT_EQ(p[0], 'a');
}

TEST(mem, munmap_middle_splits)
{
	char *p = map_anon(3 * PAGE, PROT_READ | PROT_WRITE);

	memset(p, 'x', 3 * PAGE);
	ASSERT_OK(munmap(p + PAGE, PAGE));
	EXPECT_EQ(p[0], 'x');
	EXPECT_EQ(p[2 * PAGE], 'x');
	EXPECT_EQ(read_fault(p + PAGE), SEGV_MAPERR);
	/* Both halves are still whole mappings that can be unmapped. */
	EXPECT_OK(munmap(p, PAGE));
	EXPECT_OK(munmap(p + 2 * PAGE, PAGE));
	EXPECT_EQ(read_fault(p), SEGV_MAPERR);
}

/* The [lo, hi) of the mapping holding @p, as /proc/self/maps shows it; perms into @perms[5]. */
static void mapping_of(const void *p, unsigned long *lo, unsigned long *hi, char *perms)
{
	char line[512];

	ASSERT_TRUE(maps_line_for((unsigned long)p, line, sizeof(line)));
	ASSERT_EQ(sscanf(line, "%lx-%lx %4s", lo, hi, perms), 3);
}

static void expect_mapping(const char *p, const char *lo, const char *hi, const char *perms)
{
	unsigned long l, h;
	char got[5];

	mapping_of(p, &l, &h, got);
	EXPECT_EQ(l, (unsigned long)lo);
	EXPECT_EQ(h, (unsigned long)hi);
	EXPECT_STREQ(got, perms);
}

/* @pages read-write pages between two PROT_NONE guard pages, which no neighbour joins. */
static char *map_guarded(int pages)
{
	char *g = map_anon((pages + 2) * PAGE, PROT_NONE);

	ASSERT_OK(mprotect(g + PAGE, pages * PAGE, PROT_READ | PROT_WRITE));
	return g + PAGE;
}

TEST(mem, munmap_trims_heads_and_tails_across_mappings)
{
	char *p = map_guarded(8);

	for (int i = 0; i < 8; i++)
		memset(p + i * PAGE, 'a' + i, PAGE);
	/* Three mappings: pages 0-4 rw, 5-6 read-only, 7 rw. */
	ASSERT_OK(mprotect(p + 5 * PAGE, 2 * PAGE, PROT_READ));
	ASSERT_OK(munmap(p, PAGE));
	ASSERT_OK(munmap(p + 7 * PAGE, PAGE));
	/* The tail of the first mapping and the head of the second. */
	ASSERT_OK(munmap(p + 4 * PAGE, 2 * PAGE));
	for (int i = 1; i < 4; i++)
		EXPECT_EQ(p[i * PAGE + 7], 'a' + i);
	EXPECT_EQ(p[6 * PAGE + 7], 'g');
	EXPECT_EQ(read_fault(p), SEGV_MAPERR);
	EXPECT_EQ(read_fault(p + 4 * PAGE), SEGV_MAPERR);
	EXPECT_EQ(read_fault(p + 5 * PAGE), SEGV_MAPERR);
	EXPECT_EQ(read_fault(p + 7 * PAGE), SEGV_MAPERR);
	expect_mapping(p + PAGE, p + PAGE, p + 4 * PAGE, "rw-p");
	expect_mapping(p + 6 * PAGE, p + 6 * PAGE, p + 7 * PAGE, "r--p");
	/* What is left is still whole mappings, and writable where it was. */
	p[3 * PAGE] = 'z';
	EXPECT_EQ(write_fault(p + 6 * PAGE), SEGV_ACCERR);
	EXPECT_OK(munmap(p - PAGE, 10 * PAGE));
	EXPECT_EQ(read_fault(p + 2 * PAGE), SEGV_MAPERR);
}

TEST(mem, mmap_beside_like_anon_memory_joins_it)
{
	char *p = map_guarded(3);

	p[0] = 'x';
	p[2 * PAGE] = 'y';
	/* A hole filled again with like memory makes one mapping of the three pages (as Linux). */
	ASSERT_OK(munmap(p + PAGE, PAGE));
	ASSERT_EQ(mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0), (void *)(p + PAGE));
	expect_mapping(p + PAGE, p, p + 3 * PAGE, "rw-p");
	EXPECT_EQ(p[0], 'x');
	EXPECT_EQ(p[PAGE], 0);
	EXPECT_EQ(p[2 * PAGE], 'y');
	/* Memory put back below a mapping joins it and reads as zeros. */
	ASSERT_OK(munmap(p, PAGE));
	ASSERT_EQ(mmap(p, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		  (void *)p);
	expect_mapping(p, p, p + 3 * PAGE, "rw-p");
	EXPECT_EQ(p[0], 0);
	/* Unlike memory stays a mapping of its own. */
	ASSERT_OK(munmap(p + 2 * PAGE, PAGE));
	ASSERT_EQ(mmap(p + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		  (void *)(p + 2 * PAGE));
	expect_mapping(p, p, p + 2 * PAGE, "rw-p");
	expect_mapping(p + 2 * PAGE, p + 2 * PAGE, p + 3 * PAGE, "r--p");
	EXPECT_OK(munmap(p - PAGE, 5 * PAGE));
}

TEST(mem, munmap_unmapped_range_ok)
{
	/* Unmapping nothing is not an error. */
	EXPECT_OK(munmap(unmapped_page(), PAGE));
}

TEST(mem, mprotect_changes)
{
	char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);

	p[0] = 'k';
	ASSERT_OK(mprotect(p, PAGE, PROT_READ));
	EXPECT_EQ(write_fault(p), SEGV_ACCERR);
	EXPECT_EQ(write_fault(p + PAGE), -1);
	EXPECT_EQ(p[0], 'k');
	ASSERT_OK(mprotect(p, PAGE, PROT_NONE));
	EXPECT_EQ(read_fault(p), SEGV_ACCERR);
	ASSERT_OK(mprotect(p, PAGE, PROT_READ | PROT_WRITE));
	p[1] = 'l';
	EXPECT_EQ(p[0], 'k');
}

TEST(mem, mprotect_errors)
{
	char *p = map_anon(PAGE, PROT_READ);

	/* Raw calls: musl's mprotect rounds the address down for us. */
	EXPECT_ERRNO(syscall(SYS_mprotect, p + 1, PAGE, PROT_READ), EINVAL);
	EXPECT_ERRNO(syscall(SYS_mprotect, unmapped_page(), PAGE, PROT_READ), ENOMEM);
	EXPECT_ERRNO(syscall(SYS_mprotect, p, PAGE, 0x1000), EINVAL);
}

TEST(mem, mprotect_write_on_readonly_file_eacces)
{
	int fd = make_file("f", 1);
	int ro = ASSERT_OK(open("f", O_RDONLY));
	char *p = (char *)ASSERT_OK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0));

	(void)fd;
	EXPECT_ERRNO(mprotect(p, PAGE, PROT_READ | PROT_WRITE), EACCES);
}

TEST(mem, mremap_grow_maymove)
{
	char *p = map_anon(PAGE, PROT_READ | PROT_WRITE);
	char *q;

	memset(p, 'm', PAGE);
	q = (char *)ASSERT_OK(mremap(p, PAGE, 4 * PAGE, MREMAP_MAYMOVE));
	EXPECT_EQ(q[0], 'm');
	EXPECT_EQ(q[PAGE - 1], 'm');
	EXPECT_EQ(q[PAGE], 0);
	q[4 * PAGE - 1] = 1;
}

/* Pages that got their entries by a move or a fork copy are gone after munmap. */
static void unmap_moved_and_copied(void *arg)
{
	char *p = arg, *q;

	/* The child's copies, in its own tables. */
	ASSERT_EQ(p[5 * PAGE], 'f');
	ASSERT_OK(munmap(p, 8 * PAGE));
	/* Entries moved into a table of their own, at a fixed far address. */
	p = map_guarded(2);
	p[0] = 'a';
	p[PAGE] = 'b';
	q = (char *)ASSERT_OK(mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
				     (char *)0x5a0000000000UL + 17 * PAGE));
	ASSERT_EQ(q[PAGE], 'b');
	ASSERT_OK(munmap(q, 2 * PAGE));
	ASSERT_EQ(read_fault(q + PAGE), SEGV_MAPERR);
	ASSERT_EQ(read_fault((char *)arg + 5 * PAGE), SEGV_MAPERR);
}

TEST(mem, munmap_after_mremap_and_fork_frees_every_entry)
{
	char *p = map_guarded(8);

	memset(p + 5 * PAGE, 'f', PAGE);
	EXPECT_EQ(run_child(unmap_moved_and_copied, p), 0);
	EXPECT_EQ(p[5 * PAGE], 'f');
	EXPECT_OK(munmap(p - PAGE, 10 * PAGE));
}

TEST(mem, mremap_shrink_in_place)
{
	char *p = map_anon(4 * PAGE, PROT_READ | PROT_WRITE);

	p[0] = 's';
	EXPECT_EQ(mremap(p, 4 * PAGE, PAGE, 0), p);
	EXPECT_EQ(p[0], 's');
	EXPECT_EQ(read_fault(p + PAGE), SEGV_MAPERR);
}

TEST(mem, mremap_grow_blocked_enomem)
{
	char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);

	/* The next page is taken and moving is not allowed. */
	EXPECT_ERRNO(mremap(p, PAGE, 2 * PAGE, 0), ENOMEM);
	EXPECT_ERRNO(mremap(p + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE), EINVAL);
}

TEST(mem, madvise_dontneed_zeroes_anon)
{
	char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);

	memset(p, 0xaa, 2 * PAGE);
	ASSERT_OK(madvise(p, PAGE, MADV_DONTNEED));
	EXPECT_EQ(p[0], 0);
	EXPECT_EQ(p[PAGE - 1], 0);
	EXPECT_EQ((unsigned char)p[PAGE], 0xaa);
}

TEST(mem, madvise_dontneed_keeps_file_data)
{
	int fd = make_file("f", 1);
	char *p = (char *)ASSERT_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));

	p[0] = 'S';
	ASSERT_OK(madvise(p, PAGE, MADV_DONTNEED));
	EXPECT_EQ(p[0], 'S');
}

static void check_dontfork_child(void *arg)
{
	char *p = arg;
	unsigned char vec;

	EXPECT_EQ(p[0], 'a');
	EXPECT_ERRNO(mincore(p + PAGE, PAGE, &vec), ENOMEM);
	EXPECT_EQ(p[2 * PAGE], 'c');
}

static void check_dofork_child(void *arg)
{
	EXPECT_EQ(((char *)arg)[PAGE], 'b');
}

TEST(mem, madvise_dontfork_leaves_range_out_of_child)
{
	char *p = map_anon(3 * PAGE, PROT_READ | PROT_WRITE);
	int status;

	p[0] = 'a', p[PAGE] = 'b', p[2 * PAGE] = 'c';
	ASSERT_OK(madvise(p + PAGE, PAGE, MADV_DONTFORK));
	status = run_child(check_dontfork_child, p);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(p[PAGE], 'b');
	ASSERT_OK(madvise(p + PAGE, PAGE, MADV_DOFORK));
	status = run_child(check_dofork_child, p);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void check_wiped_child(void *arg)
{
	unsigned char *p = arg;

	EXPECT_EQ(p[0], 0);
	EXPECT_EQ(p[2 * PAGE - 1], 0);
	EXPECT_EQ(p[2 * PAGE], 0xab);
	p[0] = 1;
}

static void check_kept_child(void *arg)
{
	EXPECT_EQ(((unsigned char *)arg)[0], 0xab);
}

TEST(mem, madvise_wipeonfork_zeroes_child_copy)
{
	unsigned char *p = (unsigned char *)map_anon(3 * PAGE, PROT_READ | PROT_WRITE);
	int fd = make_file("f", 1);
	char *file = (char *)ASSERT_OK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0));
	int status;

	memset(p, 0xab, 3 * PAGE);
	ASSERT_OK(madvise(p, 2 * PAGE, MADV_WIPEONFORK));
	status = run_child(check_wiped_child, p);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(p[0], 0xab);
	ASSERT_OK(madvise(p, 2 * PAGE, MADV_KEEPONFORK));
	status = run_child(check_kept_child, p);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Only private anonymous memory can be wiped. */
	EXPECT_ERRNO(madvise(file, PAGE, MADV_WIPEONFORK), EINVAL);
}

TEST(mem, mmap_einval_cases)
{
	char *p = map_anon(PAGE, PROT_READ);

	EXPECT_ERRNO(raw_mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	EXPECT_ERRNO(raw_mmap(p + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		     EINVAL);
	EXPECT_ERRNO(raw_mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_munmap, p + 1, PAGE), EINVAL);
	EXPECT_ERRNO(syscall(SYS_munmap, p, 0), EINVAL);
}

TEST(mem, mmap_file_errors)
{
	int fd = make_file("f", 1);
	int ro = ASSERT_OK(open("f", O_RDONLY));
	int wo = ASSERT_OK(open("f", O_WRONLY));

	EXPECT_ERRNO(raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 9999, 0), EBADF);
	EXPECT_ERRNO(raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);
	EXPECT_ERRNO(raw_mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	EXPECT_ERRNO(raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	/* A private writable mapping of a read-only fd is fine: writes stay private. */
	EXPECT_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0));
}

TEST(mem, mmap_directory_enodev)
{
	int fd = ASSERT_OK(open(".", O_RDONLY | O_DIRECTORY));

	EXPECT_ERRNO(raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0), ENODEV);
}

TEST(mem, mmap_hint_is_page_aligned)
{
	char *p = (char *)ASSERT_OK(mmap((void *)0x10000123UL, 100, PROT_READ,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	EXPECT_EQ((uintptr_t)p % PAGE, 0);
	/* A length that is not a page multiple covers the whole last page. */
	EXPECT_EQ(p[PAGE - 1], 0);
}

static int recurse(int depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = (char)depth;
	if (depth == 0)
		return frame[0];
	return recurse(depth - 1) + frame[sizeof(frame) - 1] - (char)depth;
}

TEST(mem, stack_grows_400k)
{
	/* 400 frames of over a KiB each: well past the pages exec mapped. */
	EXPECT_EQ(recurse(400), 0);
}

TEST(mem, msync_returns_zero)
{
	int fd = make_file("f", 1);
	char *p = (char *)ASSERT_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));

	p[0] = 'y';
	EXPECT_EQ(msync(p, PAGE, MS_SYNC), 0);
	EXPECT_ERRNO(msync(p + 1, PAGE, MS_SYNC), EINVAL);
}

/* RLIMIT_AS: mmap, brk and mremap that would pass it fail with ENOMEM, and nothing is lost. */
static long vm_size_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmSize:", 7))
			kb = strtol(line + 7, NULL, 10);
	fclose(f);
	return kb;
}

TEST(mem, rlimit_as_refuses_growth_past_it)
{
	const size_t mib = 1UL << 20;
	struct rlimit rl;
	char *a, *b, *fixed;
	unsigned long brk0;

	/* Room for 16 MiB more than we use now. */
	rl.rlim_cur = rl.rlim_max = (rlim_t)(vm_size_kb() * 1024 + 16 * mib);
	ASSERT_OK(setrlimit(RLIMIT_AS, &rl));
	EXPECT_TRUE(mmap(NULL, 32 * mib, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
		    MAP_FAILED && errno == ENOMEM);
	a = mmap(NULL, 8 * mib, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(a != MAP_FAILED);
	a[0] = 1;
	/* Growing it by 16 MiB would pass the limit, moving or not. */
	EXPECT_TRUE(mremap(a, 8 * mib, 24 * mib, MREMAP_MAYMOVE) == MAP_FAILED && errno == ENOMEM);
	EXPECT_EQ(a[0], 1);
	/* MAP_FIXED over what is mapped costs only the difference: replacing it is fine. */
	fixed = mmap(a, 8 * mib, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	EXPECT_TRUE(fixed == a);
	/* brk past the limit leaves the break where it was. */
	brk0 = (unsigned long)syscall(SYS_brk, 0);
	EXPECT_EQ((unsigned long)syscall(SYS_brk, brk0 + 32 * mib), brk0);
	b = mmap(NULL, 4 * mib, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT_TRUE(b != MAP_FAILED);
	munmap(a, 8 * mib);
	munmap(b, 4 * mib);
}
