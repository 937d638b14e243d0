/* SPDX-License-Identifier: MIT */
/*
 * Where the bytes of a read or write go: an iov_iter (readv, splice,
 * sendmsg, the kernel), or the one user buffer of read(2) and write(2),
 * which comes to a file's ->read/->write (<exo/fs.h>) without an iterator
 * and has passed access_ok(). A file writes its read or write body once
 * over a struct rw_xfer, __always_inline, and calls it from both methods:
 * the buffer's case then costs no iterator to build or dispatch, and no
 * test of which case it is (fs/pipe.c, net/unix/stream.c).
 *
 * The copies return the bytes moved: the iterator's as copy_to_iter()
 * and copy_from_iter(), the buffer's all or none (none at a fault).
 */
#ifndef _EXO_RW_XFER_H
#define _EXO_RW_XFER_H

#include <exo/compiler.h>
#include <exo/fs.h>
#include <exo/types.h>
#include <exo/uaccess.h>

struct rw_xfer {
	struct iov_iter *it;		/* or NULL: */
	char __user *ubuf;
	size_t count;			/* bytes left at ubuf */
};

static __always_inline size_t rw_xfer_left(const struct rw_xfer *x)
{
	return x->it ? x->it->count : x->count;
}

static __always_inline size_t rw_xfer_to_user(struct rw_xfer *x, const void *src, size_t n)
{
	if (x->it)
		return copy_to_iter(src, n, x->it);
	if (raw_copy_to_user(x->ubuf, src, n))
		return 0;
	x->ubuf += n;
	x->count -= n;
	return n;
}

static __always_inline size_t rw_xfer_from_user(struct rw_xfer *x, void *dst, size_t n)
{
	if (x->it)
		return copy_from_iter(dst, n, x->it);
	if (raw_copy_from_user(dst, x->ubuf, n))
		return 0;
	x->ubuf += n;
	x->count -= n;
	return n;
}

#endif /* _EXO_RW_XFER_H */
