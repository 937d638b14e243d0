// SPDX-License-Identifier: MIT
/*
 * Copies between kernel and user memory (<exo/uaccess.h>). Each copy runs
 * with user access opened (stac) only around the string instruction, and
 * every instruction that touches user memory has an exception-table entry:
 * a fault the page-fault handler cannot resolve (no mapping, no permission)
 * resumes at the fixup, which reports the bytes left, instead of an Oops.
 *
 * Bulk moves use rep movsq / stosq and finish with rep movsb / stosb for the
 * tail: under QEMU icount every rep iteration counts, so quadword steps cost
 * an eighth of byte steps.
 */
#include <exo/lockdep.h>
#include <exo/uaccess.h>
#include <asm/extable.h>
#include <asm/smap.h>
#include <uapi/errno.h>

/* Returns the number of bytes not copied (0 on success). */
static unsigned long copy_user_generic(void *dst, const void *src, unsigned long n)
{
	unsigned long words = n >> 3, tail = n & 7;

	stac();
	__asm__ __volatile__("1:	rep movsq\n\t"
			     "	movq %[tail], %%rcx\n"
			     "2:	rep movsb\n"
			     "3:\n\t"
			     ".pushsection .text.fixup, \"ax\"\n"
			     "4:	leaq (%[tail], %%rcx, 8), %%rcx\n\t"
			     "	jmp 3b\n\t"
			     ".popsection\n\t"
			     _ASM_EXTABLE(1b, 4b)
			     _ASM_EXTABLE(2b, 3b)
			     : "+c"(words), "+D"(dst), "+S"(src)
			     : [tail] "r"(tail)
			     : "memory");
	clac();
	return words;
}

int __copy_from_user_inatomic(void *dst, const void __user *src, size_t n)
{
	if (!access_ok(src, n))
		return -EFAULT;
	return copy_user_generic(dst, (const void *)src, n) ? -EFAULT : 0;
}

int copy_from_user(void *dst, const void __user *src, size_t n)
{
	might_sleep();
	return __copy_from_user_inatomic(dst, src, n);
}

int copy_to_user(void __user *dst, const void *src, size_t n)
{
	might_sleep();
	if (!access_ok(dst, n))
		return -EFAULT;
	return copy_user_generic((void *)dst, src, n) ? -EFAULT : 0;
}

int clear_user(void __user *dst, size_t n)
{
	unsigned long words = n >> 3, tail = n & 7;
	void *d = (void *)dst;

	might_sleep();
	if (!access_ok(dst, n))
		return -EFAULT;
	stac();
	__asm__ __volatile__("1:	rep stosq\n\t"
			     "	movq %[tail], %%rcx\n"
			     "2:	rep stosb\n"
			     "3:\n\t"
			     ".pushsection .text.fixup, \"ax\"\n"
			     "4:	leaq (%[tail], %%rcx, 8), %%rcx\n\t"
			     "	jmp 3b\n\t"
			     ".popsection\n\t"
			     _ASM_EXTABLE(1b, 4b)
			     _ASM_EXTABLE(2b, 3b)
			     : "+c"(words), "+D"(d)
			     : [tail] "r"(tail), "a"(0UL)
			     : "memory");
	clac();
	return words ? -EFAULT : 0;
}

/* Reads one user byte; returns 0 or -EFAULT. */
static int get_user_byte(char *out, const char *uaddr)
{
	int err = 0;
	char c;

	stac();
	__asm__ __volatile__("1:	movb (%[addr]), %[c]\n"
			     "2:\n\t"
			     ".pushsection .text.fixup, \"ax\"\n"
			     "3:	movl %[efault], %[err]\n\t"
			     "	jmp 2b\n\t"
			     ".popsection\n\t"
			     _ASM_EXTABLE(1b, 3b)
			     : [c] "=q"(c), [err] "+r"(err)
			     : [addr] "r"(uaddr), [efault] "i"(-EFAULT));
	clac();
	*out = c;
	return err;
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	const char *s = (const char *)src;
	long i;

	might_sleep();
	if (count <= 0)
		return 0;
	for (i = 0; i < count; i++) {
		if (!access_ok(s + i, 1) || get_user_byte(&dst[i], s + i))
			return -EFAULT;
		if (!dst[i])
			return i;
	}
	return count;
}
