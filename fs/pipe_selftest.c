// SPDX-License-Identifier: MIT
/*
 * Self-test "pipe": exact page accounting. A pipe filled to capacity with
 * 1000-byte writes holds exactly its 16 data pages of 4000 bytes each (a
 * write is never split to top up a page, as Linux does); drained pages
 * stay with the pipe for the next writes, which take them instead of new
 * ones, up to the ring's 16 pages in all; F_SETPIPE_SZ trims them with the
 * ring; closing both ends of a full pipe returns every page (buffers, kept
 * pages, ring, pipe, inode, files). Also the byte order across page boundaries
 * and EAGAIN on a full non-blocking pipe.
 */
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/printk.h>
#include <exo/selftest.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include "internal.h"

#define PIPE_DEF_PAGES	16
#define CHUNK		1000
/* A write tops up the last page only if all of it fits: 4 chunks a page. */
#define PAGE_DATA	((PAGE_SIZE / CHUNK) * CHUNK)

static unsigned long free_pages_settled(void)
{
	kmem_cache_shrink_all();
	drain_local_pages();
	return nr_free_pages();
}

/* Reads one page's data from @p, checking the bytes from stream offset *@off on. */
static int pipe_drain_page(struct file *p, size_t *off, loff_t *pos)
{
	static char buf[CHUNK];
	ssize_t n;

	for (size_t got = 0; got < PAGE_DATA; got += (size_t)n, *off += (size_t)n) {
		n = kernel_read(p, buf, min((size_t)CHUNK, PAGE_DATA - got), pos);
		CHECK(n > 0 && buf[0] == (char)(*off % 251) &&
		      buf[n - 1] == (char)((*off + (size_t)n - 1) % 251));
	}
	return 0;
}

static int pipe_fill_check_close(unsigned long *held)
{
	static char buf[CHUNK];
	struct file *p[2];
	unsigned long before = free_pages_settled();
	size_t total = 0;
	loff_t pos = 0;
	ssize_t n;

	CHECK(create_pipe_files(p, O_NONBLOCK) == 0);
	for (;;) {
		for (int i = 0; i < CHUNK; i++)
			buf[i] = (char)((total + i) % 251);
		n = kernel_write(p[1], buf, CHUNK, &pos);
		if (n < 0)
			break;
		total += (size_t)n;
	}
	CHECK(n == -EAGAIN);
	CHECK(total == PIPE_DEF_PAGES * PAGE_DATA);
	*held = before - free_pages_settled();
	CHECK(*held >= PIPE_DEF_PAGES);

	/* Drained pages are kept for the next writes... */
	total = 0;
	CHECK(pipe_drain_page(p[0], &total, &pos) == 0);
	CHECK(before - free_pages_settled() == *held);
	CHECK(pipe_drain_page(p[0], &total, &pos) == 0);
	CHECK(before - free_pages_settled() == *held);
	/* ...a write that needs a page takes a kept one, not a new one... */
	for (int i = 0; i < CHUNK; i++)
		buf[i] = (char)((PIPE_DEF_PAGES * PAGE_DATA + i) % 251);
	CHECK(kernel_write(p[1], buf, CHUNK, &pos) == CHUNK);
	CHECK(before - free_pages_settled() == *held);
	/* ...all 16 are kept once the pipe is empty (no more than when it was full)... */
	for (int i = 2; i < PIPE_DEF_PAGES; i++)
		CHECK(pipe_drain_page(p[0], &total, &pos) == 0);
	CHECK(kernel_read(p[0], buf, CHUNK, &pos) == CHUNK &&
	      buf[0] == (char)(total % 251) && buf[CHUNK - 1] == (char)((total + CHUNK - 1) % 251));
	CHECK(kernel_read(p[0], buf, CHUNK, &pos) == -EAGAIN);
	CHECK(before - free_pages_settled() == *held);
	/* ...and a ring of 2 slots keeps at most 2 (its bufs array moves between caches). */
	CHECK(pipe_fcntl(p[1], F_SETPIPE_SZ, 2 * PAGE_SIZE) == 2 * PAGE_SIZE);
	CHECK(before - free_pages_settled() <= *held - (PIPE_DEF_PAGES - 2));

	fput(p[0]);
	fput(p[1]);
	CHECK(free_pages_settled() == before);
	return 0;
}

static int pipe_selftest(void)
{
	unsigned long held;
	int err;

	/* The first run may create slab caches, which stay: count from the second. */
	err = pipe_fill_check_close(&held);
	if (err)
		return err;
	return pipe_fill_check_close(&held);
}
DEFINE_SELFTEST("pipe", pipe_selftest);
