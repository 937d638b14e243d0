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

void iov_iter_advance(struct iov_iter *it, size_t bytes)
{
	if (bytes > it->count)
		bytes = it->count;
	it->count -= bytes;
	if (likely(it->nr_segs == 1)) {
		/* read()/write(): count never exceeds what is left of the one segment. */
		it->iov_offset += bytes;
		return;
	}
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

/* Moves @n bytes between @k and @u in direction @dir; 0 or -EFAULT. */
static __always_inline int copy_piece(bool user, char *u, char *k, size_t n, int dir)
{
	if (user) {
		if (dir == 0)
			return copy_to_user((char __user *)u, k, n);
		if (dir == 1)
			return copy_from_user(k, (const char __user *)u, n);
		return clear_user((char __user *)u, n);
	}
	if (dir == 0)
		memcpy(u, k, n);
	else if (dir == 1)
		memcpy(k, u, n);
	else
		memset(u, 0, n);
	return 0;
}

/*
 * Copies the next @bytes piece by piece; stops at the first piece that
 * faults. Inlined into each direction's entry point so @dir is a constant.
 */
static __always_inline size_t iterate(struct iov_iter *it, size_t bytes, void *kbuf, int dir)
{
	size_t done = 0;

	if (bytes > it->count)
		bytes = it->count;
	if (likely(it->nr_segs == 1)) {
		/* The one segment holds at least count bytes: no walk. */
		if (copy_piece(it->user, (char *)it->iov->iov_base + it->iov_offset, kbuf,
			       bytes, dir))
			return 0;
		it->iov_offset += bytes;
		it->count -= bytes;
		return bytes;
	}
	while (done < bytes && it->nr_segs) {
		size_t n = min(bytes - done, it->iov->iov_len - it->iov_offset);

		if (copy_piece(it->user, (char *)it->iov->iov_base + it->iov_offset,
			       kbuf ? (char *)kbuf + done : NULL, n, dir))
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
