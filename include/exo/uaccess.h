/* SPDX-License-Identifier: MIT */
/*
 * Access to user memory. Every dereference of a __user pointer goes through
 * these: they check that the range lies below USER_SPACE_END and turn a fault
 * into -EFAULT through the exception table, so no user pointer can crash the
 * kernel. With SMAP on they open user access (stac) only for the copy.
 * They may fault in pages (demand paging, copy-on-write), so call them only
 * where sleeping is allowed, never with a spinlock held.
 *
 * All return 0 or -EFAULT, except strncpy_from_user (below).
 */
#ifndef _EXO_UACCESS_H
#define _EXO_UACCESS_H

#include <exo/compiler.h>
#include <exo/lockdep.h>
#include <exo/types.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>

struct kvec;

static inline bool access_ok(const void __user *ptr, size_t size)
{
	unsigned long a = (unsigned long)ptr;

	return a <= USER_SPACE_END && size <= USER_SPACE_END - a;
}

/* Arch: copies with user access open and fault fixups; return the bytes NOT copied. */
unsigned long raw_copy_from_user(void *dst, const void __user *src, unsigned long n);
unsigned long raw_copy_to_user(void __user *dst, const void *src, unsigned long n);
/*
 * Copies the @nr (at least 1) kernel pieces of @vec, @total bytes in all,
 * one after the other to @dst (access_ok() checked by the caller); returns
 * the bytes NOT copied. One call for a batch of page-cache pages: a large
 * batch saves and restores the copy's vector registers once.
 */
unsigned long raw_copy_kvec_to_user(void __user *dst, const struct kvec *vec, unsigned int nr,
				    unsigned long total);

/*
 * copy_from_user() without the lock validator's might_sleep() check, for a
 * caller that reads user memory under a spinlock on purpose and knows the
 * fault path cannot sleep there (futex: it takes mm->lock, a spinlock).
 */
static __always_inline int __copy_from_user_inatomic(void *dst, const void __user *src, size_t n)
{
	if (!access_ok(src, n))
		return -EFAULT;
	return raw_copy_from_user(dst, src, n) ? -EFAULT : 0;
}

/* Inline, so the range check folds into each caller and small copies skip a call. */
static __always_inline int copy_from_user(void *dst, const void __user *src, size_t n)
{
	might_sleep();
	return __copy_from_user_inatomic(dst, src, n);
}

static __always_inline int copy_to_user(void __user *dst, const void *src, size_t n)
{
	might_sleep();
	if (!access_ok(dst, n))
		return -EFAULT;
	return raw_copy_to_user(dst, src, n) ? -EFAULT : 0;
}

/* Zeroes @n user bytes at @dst: 0 or -EFAULT. (__clear_user(): <asm/uaccess.h>.) */
int clear_user(void __user *dst, size_t n);
/*
 * Copies a NUL-terminated string of at most @count bytes including the NUL.
 * Returns its length (without the NUL), @count when no NUL came within
 * @count bytes (the caller reports -ENAMETOOLONG or similar), or -EFAULT.
 */
long strncpy_from_user(char *dst, const char __user *src, long count);

/*
 * get_user assigns through a temporary of *@ptr's type (unqualified: the
 * comma makes an rvalue), so the compiler and sparse check @x against it (a
 * __user pointer read from user memory must land in a __user pointer); @x is
 * 0 when the read faults.
 */
#define get_user(x, ptr) ({								\
	__typeof__(((void)0, *(ptr))) __gu_v;						\
	int __gu_e = copy_from_user(&__gu_v, (ptr), sizeof(__gu_v));			\
	(x) = __gu_e ? (__typeof__(__gu_v))0 : __gu_v;					\
	__gu_e;										\
})
#define put_user(x, ptr) ({ __typeof__(*(ptr)) __pu_v = (x); copy_to_user((ptr), &__pu_v, sizeof(__pu_v)); })

#endif /* _EXO_UACCESS_H */
