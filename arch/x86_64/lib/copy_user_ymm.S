/* SPDX-License-Identifier: MIT */
/*
 * Large user copies (large_copy() and raw_copy_kvec_to_user() in
 * usercopy.c decide when): the 256-byte blocks of each source segment
 * through eight ymm registers, four blocks a round (66 instructions a KiB,
 * where rep movsq takes 128 iterations under QEMU's icount, which the
 * benchmarks run under and which counts every one), then each segment's
 * rest with rep movsq and rep movsb. The segments land one after the
 * other at the destination: a batch of page-cache pages copied to one user
 * buffer is one call, one save and one restore.
 *
 * unsigned long __copy_user_ymm_vec(void *dst, const struct kvec *vec, unsigned long nr)
 *   User access is open (stac) already; @nr is at least 1. Returns the
 *   bytes not copied, 0 on success. A fault in a block goes on with rep
 *   movsq from that block's start and a fault there with rep movsb from
 *   that word, which stops at the exact byte (a word straddling the end
 *   of the user's mapping moves its first bytes); the later segments then
 *   count as not copied.
 *
 * The ymm registers hold the user's state while the task is in the kernel
 * (the FPU is saved only by context_switch(), and only for tasks with an
 * mm), so the eight are saved to the stack first and restored at the end,
 * on the fault path too. The caller runs this only for a task with an mm:
 * a switch in the middle (a page fault that sleeps, a preemption) then
 * saves and restores the live registers, the copy's included.
 */
#include <asm/extable.h>

/*
 * One 256-byte block at \disp from (%rsi,%rdx) to (%rdi,%rdx); a fault
 * goes to \fixup, which makes %rdx minus the bytes from the block on.
 */
.macro BLOCK disp, fixup
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
99:
	vmovdqu \disp+\i*32(%rsi,%rdx), %ymm\i
	_ASM_EXTABLE(99b, \fixup)
	.endr
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
99:
	vmovdqu %ymm\i, \disp+\i*32(%rdi,%rdx)
	_ASM_EXTABLE(99b, \fixup)
	.endr
.endm

	.text
	.globl __copy_user_ymm_vec
	.balign 16
__copy_user_ymm_vec:
	pushq %rbp
	movq %rsp, %rbp
	subq $256, %rsp
	andq $-32, %rsp
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	vmovdqa %ymm\i, \i*32(%rsp)
	.endr
	movq %rsi, %r8			/* %r8: the next segment */
	shlq $4, %rdx
	leaq (%rsi,%rdx), %r9		/* %r9: the end of the array */
.Lseg:
	movq (%r8), %rsi
	movq 8(%r8), %rdx
	addq $16, %r8
	movl %edx, %ecx
	andl $255, %ecx			/* %rcx: the bytes after the blocks */
	andq $-256, %rdx		/* %rdx: the blocks' bytes */
	jz .Lrest
	/* %rdx runs from minus the blocks' bytes up to 0. */
	addq %rdx, %rsi
	addq %rdx, %rdi
	negq %rdx
	/* Rounds of four blocks while a KiB is left, %rdx biased by 1024 so one add tests it. */
	addq $1024, %rdx
	jg .Lone_block
.Lfour_blocks:
	BLOCK -1024, .Lfault0
	BLOCK -768, .Lfault1
	BLOCK -512, .Lfault2
	BLOCK -256, .Lfault3
	addq $1024, %rdx
	jle .Lfour_blocks
.Lone_block:
	subq $1024, %rdx
	jz .Lrest
1:
	BLOCK 0, .Ltail
	addq $256, %rdx
	jnz 1b
.Lrest:
	testl %ecx, %ecx
	jz .Lnext
.Ltail:	/* %rdx: 0, or minus the bytes from a faulting block on */
	addq %rdx, %rsi
	addq %rdx, %rdi
	subq %rdx, %rcx
	movl %ecx, %edx
	andl $7, %edx
	shrq $3, %rcx
.Lwords:
	rep movsq
	movq %rdx, %rcx
.Lbytes:
	rep movsb
.Lnext:
	cmpq %r9, %r8
	jne .Lseg
	xorl %eax, %eax
.Lout:
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	vmovdqa \i*32(%rsp), %ymm\i
	.endr
	leave
	ret
	.pushsection .text.fixup, "ax"
.Lfault0:	/* a fault in a round of four: the block's start from the biased %rdx */
	addq $-1024, %rdx
	jmp .Ltail
.Lfault1:
	addq $-768, %rdx
	jmp .Ltail
.Lfault2:
	addq $-512, %rdx
	jmp .Ltail
.Lfault3:
	addq $-256, %rdx
	jmp .Ltail
.Lwords_fault:	/* bytes from the faulting word on, up to the exact byte */
	leaq (%rdx, %rcx, 8), %rcx
	jmp .Lbytes
.Lbytes_fault:	/* %rcx of this segment not copied, and all of the later ones */
	movq %rcx, %rax
2:
	cmpq %r9, %r8
	je .Lout
	addq 8(%r8), %rax
	addq $16, %r8
	jmp 2b
	.popsection
	_ASM_EXTABLE(.Lwords, .Lwords_fault)
	_ASM_EXTABLE(.Lbytes, .Lbytes_fault)
	.size __copy_user_ymm_vec, . - __copy_user_ymm_vec
	.type __copy_user_ymm_vec, @function
