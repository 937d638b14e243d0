// SPDX-License-Identifier: MIT
/*
 * Self-test "pipe": exact page accounting. A pipe filled to capacity with
 * 1000-byte writes holds exactly its 16 data pages of 4000 bytes each (a
 * write is never split to top up a page, as Linux does); the first drained
 * page stays as the pipe's spare and the next write takes it, any other
 * goes back at once; closing both ends of a full pipe returns every page
 * (buffers, the spare, ring, pipe, inode, files). Also the byte order across page boundaries
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

	/* The first drained page is kept for the next write... */
	total = 0;
	CHECK(pipe_drain_page(p[0], &total, &pos) == 0);
	CHECK(before - free_pages_settled() == *held);
	/* ...the second goes back before anything is closed... */
	CHECK(pipe_drain_page(p[0], &total, &pos) == 0);
	CHECK(before - free_pages_settled() == *held - 1);
	/* ...and a write that needs a page takes the spare, not a new one. */
	CHECK(kernel_write(p[1], buf, CHUNK, &pos) == CHUNK);
	CHECK(before - free_pages_settled() == *held - 1);

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
