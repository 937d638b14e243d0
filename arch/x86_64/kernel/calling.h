/* SPDX-License-Identifier: MIT */
/*
 * Assembly macros shared by the entry paths (entry_64.S, idt_entry.S):
 * the struct pt_regs save and restore sequences, in <asm/ptrace.h> order.
 */
#ifndef _ARCH_X86_64_KERNEL_CALLING_H
#define _ARCH_X86_64_KERNEL_CALLING_H

#include <generated/asm-offsets.h>

/*
 * Pushes the pt_regs fields below rax (r8 to r15); each entry path pushes
 * rdi..rax itself, since the syscall path stores -ENOSYS in rax.
 */
.macro PUSH_REGS_BELOW_RAX
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

/*
 * Pops every general register from a struct pt_regs and skips orig_rax:
 * %rsp is then at RIP. The system call fast path skips the saved r15-r12
 * (live in their registers) and rax (the result is in it): skip_live=1,
 * with @pad bytes below pt_regs dropped in the same add.
 */
.macro RESTORE_REGS skip_live=0 pad=0
.if \skip_live
	addq $\pad + 4 * 8, %rsp
.else
	popq %r15
	popq %r14
	popq %r13
	popq %r12
.endif
	popq %rbp
	popq %rbx
	popq %r11
	popq %r10
	popq %r9
	popq %r8
.if \skip_live
	addq $8, %rsp
.else
	popq %rax
.endif
	popq %rcx
	popq %rdx
	popq %rsi
	popq %rdi
	addq $8, %rsp		/* orig_rax */
.endm

#endif
