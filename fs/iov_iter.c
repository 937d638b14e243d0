// SPDX-License-Identifier: MIT
/*
 * I/O iterators: one read/write path for user buffers (ITER_IOVEC: syscalls,
 * through the uaccess helpers) and kernel buffers (ITER_KVEC: kernel_read,
 * self-tests). A copy stops early only when a user address faults; the
 * caller then returns what was moved so far, or -EFAULT when that is
 * nothing. copy_to_iter() and copy_from_iter() move all of a segment or
 * none of it (a record, a socket's or a pipe's chunk: Linux's callers
 * treat a short copy as EFAULT and keep the data); copy_page_to_iter(),
 * copy_page_from_iter() and iov_iter_zero() stop at the faulting byte, as
 * a read or write of a file is short by exactly what could not be copied.
 */
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/string.h>
#include <exo/uaccess.h>
#include <asm/uaccess.h>
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
	while (bytes || (it->nr_segs && it->iov_offset == iov_iter_seg_len(it))) {
		size_t left = iov_iter_seg_len(it) - it->iov_offset;

		if (bytes < left) {
			it->iov_offset += bytes;
			break;
		}
		bytes -= left;
		iov_iter_next_seg(it);
		if (!it->nr_segs)
			break;
	}
}

/*
 * Moves @n bytes between user @u and kernel @k in direction @dir; returns
 * the bytes NOT moved: a fault part-way stops at the exact byte.
 */
static __always_inline size_t copy_user_piece(char __user *u, char *k, size_t n, int dir)
{
	might_sleep();
	if (!access_ok(u, n))
		return n;
	if (dir == 0)
		return raw_copy_to_user(u, k, n);
	if (dir == 1)
		return raw_copy_from_user(k, u, n);
	return raw_clear_user(u, n);
}

/* The same between two kernel buffers; cannot fail. */
static __always_inline void copy_kernel_piece(char *p, char *k, size_t n, int dir)
{
	if (dir == 0)
		memcpy(p, k, n);
	else if (dir == 1)
		memcpy(k, p, n);
	else
		memset(p, 0, n);
}

/* Moves @n bytes between the first segment at its offset and @k; returns the bytes NOT moved. */
static __always_inline size_t copy_seg(struct iov_iter *it, char *k, size_t n, int dir)
{
	if (iter_is_iovec(it))
		return copy_user_piece((char __user *)it->iov->iov_base + it->iov_offset, k, n,
				       dir);
	copy_kernel_piece((char *)it->kvec->iov_base + it->iov_offset, k, n, dir);
	return 0;
}

/*
 * Copies the next @bytes (at most count) over several segments, piece by
 * piece; stops at the first piece that faults, after the bytes before the
 * fault when @partial. Out of line: readv/writev only, and the one-segment
 * path of iterate() stays a leaf with few registers to save.
 */
static __noinline size_t iterate_segs(struct iov_iter *it, size_t bytes, void *kbuf, int dir,
				      bool partial)
{
	size_t done = 0;

	while (done < bytes && it->nr_segs) {
		size_t n = min(bytes - done, iov_iter_seg_len(it) - it->iov_offset);
		size_t left = copy_seg(it, kbuf ? (char *)kbuf + done : NULL, n, dir);

		if (left && !partial)
			break;
		done += n - left;
		iov_iter_advance(it, n - left);
		if (left)
			break;
	}
	return done;
}

/*
 * Copies the next @bytes; inlined into each direction's entry point so @dir
 * and @partial are constants. A fault moves nothing of the segment it hits,
 * or with @partial everything before the faulting byte.
 */
static __always_inline size_t iterate(struct iov_iter *it, size_t bytes, void *kbuf, int dir,
				      bool partial)
{
	if (bytes > it->count)
		bytes = it->count;
	if (likely(it->nr_segs == 1)) {
		/* The one segment holds at least count bytes: no walk. */
		size_t left = copy_seg(it, kbuf, bytes, dir);

		if (unlikely(left)) {
			if (!partial)
				return 0;
			bytes -= left;
		}
		it->iov_offset += bytes;
		it->count -= bytes;
		return bytes;
	}
	return iterate_segs(it, bytes, kbuf, dir, partial);
}

size_t copy_to_iter(const void *src, size_t bytes, struct iov_iter *it)
{
	return iterate(it, bytes, (void *)src, 0, false);
}

size_t copy_from_iter(void *dst, size_t bytes, struct iov_iter *it)
{
	return iterate(it, bytes, dst, 1, false);
}

size_t copy_page_to_iter(struct page *page, size_t offset, size_t bytes, struct iov_iter *it)
{
	return iterate(it, bytes, (char *)page_address(page) + offset, 0, true);
}

size_t copy_page_from_iter(struct page *page, size_t offset, size_t bytes, struct iov_iter *it)
{
	return iterate(it, bytes, (char *)page_address(page) + offset, 1, true);
}

size_t iov_iter_zero(size_t bytes, struct iov_iter *it)
{
	return iterate(it, bytes, NULL, 2, true);
}

/*
 * @bytes from the pages of @pages[0..@nr) as one run (from @offset in the
 * first, on from the start of each next page), the way a batched read of
 * the page cache copies. To one user segment the run is a single copy
 * (raw_copy_kvec_to_user(): one user-access window, one save of the vector
 * registers); otherwise, or where the range check fails, page by page,
 * with the same stop at the faulting byte.
 */
size_t copy_pages_to_iter(struct page **pages, unsigned int nr, size_t offset, size_t bytes,
			  struct iov_iter *it)
{
	struct kvec vec[COPY_PAGES_MAX];
	char __user *u;
	size_t left, done = 0;

	if (bytes > it->count)
		bytes = it->count;
	if (nr > 1 && nr <= COPY_PAGES_MAX && iter_is_iovec(it) && it->nr_segs == 1) {
		u = (char __user *)it->iov->iov_base + it->iov_offset;
		might_sleep();
		if (access_ok(u, bytes)) {
			size_t rest = bytes;

			for (unsigned int i = 0; i < nr; i++, offset = 0) {
				vec[i].iov_base = (char *)page_address(pages[i]) + offset;
				vec[i].iov_len = min(rest, PAGE_SIZE - offset);
				rest -= vec[i].iov_len;
			}
			left = raw_copy_kvec_to_user(u, vec, nr, bytes);
			bytes -= left;
			it->iov_offset += bytes;
			it->count -= bytes;
			return bytes;
		}
	}
	for (unsigned int i = 0; i < nr && done < bytes; i++, offset = 0) {
		size_t n = min(bytes - done, PAGE_SIZE - offset);
		size_t copied = copy_page_to_iter(pages[i], offset, n, it);

		done += copied;
		if (copied < n)
			break;
	}
	return done;
}
