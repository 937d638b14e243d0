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
 * an eighth of byte steps. Copies of 512 bytes and more move their 256-byte
 * blocks through ymm registers first (copy_user_ymm.S), 66 instructions a
 * KiB against rep movsq's 128; raw_copy_kvec_to_user() does so for a
 * whole batch of kernel pieces (page-cache pages) in one call.
 */
#include <exo/fs.h>
#include <exo/lockdep.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/uaccess.h>
#include <exo/word_at_a_time.h>
#include <asm/cpufeature.h>
#include <asm/extable.h>
#include <asm/uaccess.h>
#include <asm/smap.h>
#include <uapi/errno.h>

/*
 * Copies of at least this many bytes move their 256-byte blocks through
 * ymm registers (copy_user_ymm.S): saving and restoring the eight costs 16
 * instructions and the call some 20, which 512 bytes repay.
 */
#define YMM_COPY_MIN 512

unsigned long __copy_user_ymm_vec(void *dst, const struct kvec *vec, unsigned long nr);

/* The rep movs copy under stac; returns the bytes not copied. */
static __always_inline unsigned long rep_copy(void *dst, const void *src, unsigned long n)
{
	unsigned long words = n >> 3, tail = n & 7;

	stac();
	__uaccess_rep("movs", words, "+D"(dst), "+S"(src) : [tail] "r"(tail) : "memory");
	clac();
	return words;
}

/*
 * The ymm registers may carry a copy where the kernel turned AVX state on
 * (XCR0) and the task has an mm, whose FPU registers context_switch()
 * saves and restores around a switch in the middle of the copy.
 */
static __always_inline bool ymm_copy_ok(void)
{
	return (boot_cpu_data.xcr0 & XFEATURE_MASK_AVX) && current->mm;
}

/*
 * A copy of YMM_COPY_MIN bytes or more, through ymm registers where
 * ymm_copy_ok(). Out of line, so the small copies stay a leaf.
 */
static __noinline unsigned long large_copy(void *dst, const void *src, unsigned long n)
{
	struct kvec one = { .iov_base = (void *)src, .iov_len = n };

	if (!ymm_copy_ok())
		return rep_copy(dst, src, n);
	stac();
	n = __copy_user_ymm_vec(dst, &one, 1);
	clac();
	return n;
}

void memcpy_large(void *dst, const void *src, size_t n)
{
	struct kvec one = { .iov_base = (void *)src, .iov_len = n };

	if (n < YMM_COPY_MIN || !ymm_copy_ok()) {
		memcpy(dst, src, n);
		return;
	}
	/* Kernel to kernel: no stac, and no fault to fix up. */
	__copy_user_ymm_vec(dst, &one, 1);
}

static __always_inline unsigned long raw_copy(void *dst, const void *src, unsigned long n)
{
	if (n >= YMM_COPY_MIN)
		return large_copy(dst, src, n);
	return rep_copy(dst, src, n);
}

/*
 * The uaccess implementation proper: the one place a __user pointer becomes
 * a plain one (__force), for rep movs under stac with the fixups above.
 */
unsigned long raw_copy_from_user(void *dst, const void __user *src, unsigned long n)
{
	return raw_copy(dst, (__force const void *)src, n);
}

/* The same code (the types differ only in __user): an alias, not a call or a jump. */
unsigned long raw_copy_to_user(void __user *dst, const void *src, unsigned long n)
	__attribute__((alias("raw_copy_from_user")));

unsigned long raw_copy_kvec_to_user(void __user *dst, const struct kvec *vec, unsigned int nr,
				    unsigned long total)
{
	unsigned long left;

	if (total >= YMM_COPY_MIN && ymm_copy_ok()) {
		stac();
		left = __copy_user_ymm_vec((__force void *)dst, vec, nr);
		clac();
		return left;
	}
	for (unsigned int i = 0; i < nr; i++) {
		left = raw_copy_to_user(dst, vec[i].iov_base, vec[i].iov_len);
		total -= vec[i].iov_len - left;
		if (left)
			break;
		dst = (char __user *)dst + vec[i].iov_len;
	}
	return total;
}

int clear_user(void __user *dst, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return __clear_user(dst, n);
}

/*
 * Reads the aligned user word at @uaddr (user access must be open); 0 or
 * -EFAULT. An aligned word never straddles a page, so reading past a
 * string's NUL can fault only where the string itself would have.
 */
static inline int get_user_word(unsigned long *out, const unsigned long __user *uaddr)
{
	int err = 0;
	unsigned long w;

	__asm__ __volatile__("1:	movq (%[addr]), %[w]\n"
			     "2:\n\t"
			     ".pushsection .text.fixup, \"ax\"\n"
			     "3:	movl %[efault], %[err]\n\t"
			     "	xorl %k[w], %k[w]\n\t"
			     "	jmp 2b\n\t"
			     ".popsection\n\t"
			     _ASM_EXTABLE(1b, 3b)
			     : [w] "=r"(w), [err] "+r"(err)
			     : [addr] "r"(uaddr), [efault] "i"(-EFAULT));
	*out = w;
	return err;
}

/* The low @n bytes of @w to @dst, for the last bytes of a destination. */
static void copy_word_bytes(char *dst, unsigned long w, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++, w >>= 8)
		dst[i] = (char)w;
}

/*
 * Word at a time: one range check and one user-access window for the whole
 * string, eight bytes per step from aligned user words. Linux's rule for a
 * string that runs into the end of user space without a NUL is -EFAULT.
 */
long strncpy_from_user(char *dst, const char __user *src, long count)
{
	unsigned long a = (unsigned long)src, limit, done = 0, off, w;
	const unsigned long __user *p;
	long ret;

	might_sleep();
	if (count <= 0)
		return 0;
	if (a >= USER_SPACE_END)
		return -EFAULT;
	limit = min((unsigned long)count, USER_SPACE_END - a);
	off = a & 7;
	p = (const unsigned long __user *)(a - off);
	stac();
	for (;;) {
		unsigned long valid = 8 - off, take, zero;

		if (get_user_word(&w, p++)) {
			ret = -EFAULT;
			break;
		}
		if (off) {
			/* Drop the bytes before the string, mark the vacated top as non-zero. */
			w = (w >> (off * 8)) | (~0UL << (valid * 8));
			off = 0;
		}
		take = min(valid, limit - done);
		zero = word_first_zero_byte(w);
		/* Bytes past the NUL or past @valid land inside @dst and are overwritten or unused. */
		if (done + 8 <= (unsigned long)count)
			__builtin_memcpy(dst + done, &w, 8);
		else
			copy_word_bytes(dst + done, w, min(take, zero + 1));
		if (zero < take) {
			ret = (long)(done + zero);
			break;
		}
		done += take;
		if (done == limit) {
			ret = limit == (unsigned long)count ? count : -EFAULT;
			break;
		}
	}
	clac();
	return ret;
}
