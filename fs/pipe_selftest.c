// SPDX-License-Identifier: MIT
/*
 * Self-test "pipe": exact page accounting. A pipe filled to capacity with
 * 1000-byte writes holds exactly its 16 data pages of 4000 bytes each (a
 * write is never split to top up a page, as Linux does); a drained page goes back
 * at once; closing both ends of a full pipe returns every page (buffers,
 * ring, pipe, inode, files). Also the byte order across page boundaries
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

	/* Draining the first page gives it back before anything is closed. */
	n = kernel_read(p[0], buf, CHUNK, &pos);
	CHECK(n == CHUNK && buf[0] == 0 && buf[CHUNK - 1] == (char)((CHUNK - 1) % 251));
	for (size_t got = CHUNK; got < PAGE_DATA; got += (size_t)n) {
		n = kernel_read(p[0], buf, min((size_t)CHUNK, PAGE_DATA - got), &pos);
		CHECK(n > 0 && buf[0] == (char)(got % 251));
	}
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
