/* SPDX-License-Identifier: MIT */
/*
 * The function profiler's trampolines (kernel/trace/kprof.c, docs/kprof.md).
 *
 * A patched function F jumps at its entry to the bytes before it, which
 * start with "call kprof_entry_tramp", before F has pushed anything:
 * 0(%rsp) is F - KPROF_PRE_SIZE + 5, 8(%rsp) is F's own return address. The
 * entry trampoline saves the argument registers, calls
 * kprof_entry(F, &return address slot), which may replace that slot by
 * kprof_exit_tramp, and goes on into F.
 *
 * F's ret then lands in kprof_exit_tramp, which asks kprof_exit() for the
 * real return address (giving it the stack slot F returned through, to
 * match the entry) and returns there.
 *
 * Both keep every call-clobbered register and the flags, not only what the
 * ABI asks of a callee: the hooked objects are built with gcc's -fipa-ra
 * (include/exo/kprof_ipa_ra.h), so F's caller may keep a value in a
 * register that F itself never writes, across the call to F.
 *
 * Both build a frame so backtraces and the sampler walk through them, and
 * keep %rsp 16-byte aligned at the calls as the ABI wants.
 */
#include <asm/kprof.h>

/* The flags and every register a callee may clobber: ten pushes, 80 bytes. */
.macro SAVE_CLOBBERED
	pushfq
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
.endm

.macro RESTORE_CLOBBERED
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	popfq
.endm

	.text
	.globl kprof_entry_tramp
	.balign 16
kprof_entry_tramp:
	pushq %rbp
	movq %rsp, %rbp
	SAVE_CLOBBERED
	movq 8(%rbp), %rdi
	addq $(KPROF_PRE_SIZE - KPROF_CALL_SIZE), %rdi	/* F itself */
	leaq 16(%rbp), %rsi		/* F's return address slot */
	subq $8, %rsp			/* two calls, %rbp and 80 bytes: realign */
	call kprof_entry
	addq $8, %rsp
	RESTORE_CLOBBERED
	popq %rbp
	ret

	.globl kprof_exit_tramp
	.balign 16
kprof_exit_tramp:
	subq $8, %rsp			/* becomes the real return address */
	pushq %rbp
	movq %rsp, %rbp
	SAVE_CLOBBERED
	leaq 8(%rbp), %rdi		/* the slot F returned through */
	call kprof_exit
	movq %rax, 8(%rbp)
	RESTORE_CLOBBERED
	popq %rbp
	ret
