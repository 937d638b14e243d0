/* SPDX-License-Identifier: MIT */
/*
 * A large user copy (large_copy() in usercopy.c decides when): its 256-byte
 * blocks through eight ymm registers, 18 instructions a block where rep
 * movsq takes 32 iterations (QEMU's icount, which the benchmarks run
 * under, counts every one), then the rest with rep movsq and rep movsb.
 *
 * unsigned long __copy_user_ymm(void *dst, const void *src, unsigned long len)
 *   User access is open (stac) already. Returns the bytes not copied, 0 on
 *   success. A fault in a block goes on with rep movs from that block's
 *   start, whose own fixups stop at the exact byte.
 *
 * The ymm registers hold the user's state while the task is in the kernel
 * (the FPU is saved only by context_switch(), and only for tasks with an
 * mm), so the eight are saved to the stack first and restored after the
 * blocks, on the fault path too. The caller runs this only for a task with
 * an mm: a switch in the middle (a page fault that sleeps, a preemption)
 * then saves and restores the live registers, the copy's included.
 */
#include <asm/extable.h>

.macro LOAD_BLOCK
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
.Lload\i:
	vmovdqu \i*32(%rsi,%rdx), %ymm\i
	_ASM_EXTABLE(.Lload\i, .Lrestore)
	.endr
.endm

.macro STORE_BLOCK
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
.Lstore\i:
	vmovdqu %ymm\i, \i*32(%rdi,%rdx)
	_ASM_EXTABLE(.Lstore\i, .Lrestore)
	.endr
.endm

	.text
	.globl __copy_user_ymm
	.balign 16
__copy_user_ymm:
	movq %rdx, %rcx
	andl $255, %ecx			/* %rcx: the bytes after the blocks */
	andq $-256, %rdx		/* %rdx: the blocks' bytes */
	jz .Lrest
	pushq %rbp
	movq %rsp, %rbp
	subq $256, %rsp
	andq $-32, %rsp
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	vmovdqa %ymm\i, \i*32(%rsp)
	.endr
	/* %rdx runs from -len up to 0: one add and one jump a block. */
	addq %rdx, %rsi
	addq %rdx, %rdi
	negq %rdx
1:
	LOAD_BLOCK
	STORE_BLOCK
	addq $256, %rdx
	jnz 1b
.Lrestore:	/* done (%rdx = 0) or a fault (%rdx = minus the bytes from this block on) */
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	vmovdqa \i*32(%rsp), %ymm\i
	.endr
	leave
	addq %rdx, %rsi
	addq %rdx, %rdi
	subq %rdx, %rcx
.Lrest:
	movl %ecx, %edx
	andl $7, %edx
	shrq $3, %rcx
.Lwords:
	rep movsq
	movq %rdx, %rcx
.Lbytes:
	rep movsb
.Ldone:
	movq %rcx, %rax
	ret
	.pushsection .text.fixup, "ax"
.Lwords_fault:	/* the bytes left: the words not done and the tail */
	leaq (%rdx, %rcx, 8), %rcx
	jmp .Ldone
	.popsection
	_ASM_EXTABLE(.Lwords, .Lwords_fault)
	_ASM_EXTABLE(.Lbytes, .Ldone)
	.size __copy_user_ymm, . - __copy_user_ymm
	.type __copy_user_ymm, @function
