/* SPDX-License-Identifier: MIT */
/*
 * Application processor start-up code. smpboot.c copies it to the physical
 * page TRAMPOLINE_PHYS (below 1 MiB, reserved at boot) and sends the AP a
 * Startup IPI with that page number: the AP starts here in real mode with
 * CS = TRAMPOLINE_PHYS >> 4, IP = 0 (SDM vol. 3A, 9.4.4 and 10.6.1).
 *
 * Real mode -> 32-bit protected mode (temporary GDT) -> long mode with the
 * page table smpboot.c prepared (first 1 GiB identity-mapped plus the
 * kernel half) -> jump to the higher-half C entry with its stack and
 * argument, all taken from the trampoline's data block, which smpboot.c
 * fills before each start-up (one AP at a time).
 *
 * Code runs at TRAMPOLINE_PHYS, not where it was linked: every absolute
 * address is TR(label).
 */
#include <asm/smp.h>

#define TR(x) (TRAMPOLINE_PHYS + (x) - trampoline_start)
#define X86_CR0_PE 0x00000001
#define X86_CR0_PG_WP 0x80010000
#define X86_CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080

	.section .rodata
	.balign 16
	.globl trampoline_start, trampoline_end, trampoline_data
	.code16
trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	lgdtl tr_gdt_desc - trampoline_start
	movl %cr0, %eax
	orl $X86_CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $0x08, $TR(tr_protected)

	.code32
tr_protected:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %cr4, %eax
	orl $X86_CR4_PAE, %eax
	movl %eax, %cr4
	movl TR(tr_cr3), %eax
	movl %eax, %cr3
	/* EFER.LME, and NXE when the boot CPU uses NX: the page tables carry NX bits. */
	movl $MSR_EFER, %ecx
	rdmsr
	orl TR(tr_efer), %eax
	wrmsr
	movl %cr0, %eax
	orl $X86_CR0_PG_WP, %eax
	movl %eax, %cr0
	ljmpl $0x18, $TR(tr_long)

	.code64
tr_long:
	movq TR(tr_stack), %rsp
	movq TR(tr_arg), %rdi
	movq TR(tr_entry), %rax
	xorl %ebp, %ebp
	jmpq *%rax

	.balign 8
tr_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
tr_gdt_desc:
	.word tr_gdt_desc - tr_gdt - 1
	.long TR(tr_gdt)

	/* struct trampoline_data in <asm/smp.h>: the layouts must match. */
	.balign 8
trampoline_data:
tr_cr3:
	.long 0
tr_efer:
	.long 0
tr_stack:
	.quad 0
tr_entry:
	.quad 0
tr_arg:
	.quad 0
trampoline_end:
