// SPDX-License-Identifier: MIT
/*
 * I/O iterators: one read/write path for user buffers (syscalls, through
 * the uaccess helpers) and kernel buffers (kernel_read, self-tests). A copy
 * stops early only when a user address faults; the caller then returns what
 * was moved so far, or -EFAULT when that is nothing.
 */
#include <exo/fs.h>
#include <exo/string.h>
#include <exo/uaccess.h>
#include <uapi/uio.h>
#include "internal.h"

void iov_iter_init(struct iov_iter *it, bool user, const struct iovec *iov,
		   unsigned long nr_segs, size_t count)
{
	it->user = user;
	it->iov = iov;
	it->nr_segs = nr_segs;
	it->iov_offset = 0;
	it->count = count;
	while (it->nr_segs && it->iov->iov_len == 0) {
		it->iov++;
		it->nr_segs--;
	}
}

void iov_iter_advance(struct iov_iter *it, size_t bytes)
{
	if (bytes > it->count)
		bytes = it->count;
	it->count -= bytes;
	while (bytes || (it->nr_segs && it->iov_offset == it->iov->iov_len)) {
		size_t left = it->iov->iov_len - it->iov_offset;

		if (bytes < left) {
			it->iov_offset += bytes;
			break;
		}
		bytes -= left;
		it->iov++;
		it->nr_segs--;
		it->iov_offset = 0;
		if (!it->nr_segs)
			break;
	}
}

/* Calls @step on each piece of the next @bytes; stops at the first short step. */
static size_t iterate(struct iov_iter *it, size_t bytes, void *kbuf, int dir)
{
	size_t done = 0;

	if (bytes > it->count)
		bytes = it->count;
	while (done < bytes && it->nr_segs) {
		size_t n = min(bytes - done, it->iov->iov_len - it->iov_offset);
		char __user *ubase = (char __user *)it->iov->iov_base + it->iov_offset;
		char *k = kbuf ? (char *)kbuf + done : NULL;
		int err = 0;

		if (it->user) {
			if (dir == 0)
				err = copy_to_user(ubase, k, n);
			else if (dir == 1)
				err = copy_from_user(k, ubase, n);
			else
				err = clear_user(ubase, n);
		} else {
			char *kb = (char *)(void *)ubase;

			if (dir == 0)
				memcpy(kb, k, n);
			else if (dir == 1)
				memcpy(k, kb, n);
			else
				memset(kb, 0, n);
		}
		if (err)
			break;
		done += n;
		iov_iter_advance(it, n);
	}
	return done;
}

size_t copy_to_iter(const void *src, size_t bytes, struct iov_iter *it)
{
	return iterate(it, bytes, (void *)src, 0);
}

size_t copy_from_iter(void *dst, size_t bytes, struct iov_iter *it)
{
	return iterate(it, bytes, dst, 1);
}

size_t iov_iter_zero(size_t bytes, struct iov_iter *it)
{
	return iterate(it, bytes, NULL, 2);
}
