// SPDX-License-Identifier: MIT
/*
 * Futex atomics on user words: lock cmpxchg with an exception-table entry,
 * inside a stac/clac window. Read-modify-write operations are a cmpxchg
 * loop, so every operation is one atomic step as seen by other CPUs.
 */
#include <exo/uaccess.h>
#include <asm/extable.h>
#include <asm/futex.h>
#include <asm/smap.h>
#include <uapi/errno.h>

#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4

int futex_atomic_cmpxchg(u32 *curval, u32 __user *uaddr, u32 oldval, u32 newval)
{
	int err = 0;
	u32 prev = oldval;

	if (!access_ok(uaddr, sizeof(u32)) || ((unsigned long)uaddr & 3))
		return -EFAULT;
	stac();
	__asm__ __volatile__("1:	lock cmpxchgl %[new], (%[ptr])\n"
			     "2:\n\t"
			     ".pushsection .text.fixup, \"ax\"\n"
			     "3:	movl %[efault], %[err]\n\t"
			     "	jmp 2b\n\t"
			     ".popsection\n\t"
			     _ASM_EXTABLE(1b, 3b)
			     : "+a"(prev), [err] "+r"(err)
			     : [new] "r"(newval), [ptr] "r"(uaddr), [efault] "i"(-EFAULT)
			     : "memory");
	clac();
	*curval = prev;
	return err;
}

int futex_atomic_op(int op, u32 oparg, u32 *oldval, u32 __user *uaddr)
{
	u32 cur, next, seen;
	int err;

	if (get_user(cur, uaddr))
		return -EFAULT;
	for (;;) {
		switch (op) {
		case FUTEX_OP_SET:
			next = oparg;
			break;
		case FUTEX_OP_ADD:
			next = cur + oparg;
			break;
		case FUTEX_OP_OR:
			next = cur | oparg;
			break;
		case FUTEX_OP_ANDN:
			next = cur & ~oparg;
			break;
		case FUTEX_OP_XOR:
			next = cur ^ oparg;
			break;
		default:
			return -ENOSYS;
		}
		err = futex_atomic_cmpxchg(&seen, uaddr, cur, next);
		if (err)
			return err;
		if (seen == cur)
			break;
		cur = seen;
	}
	*oldval = cur;
	return 0;
}
