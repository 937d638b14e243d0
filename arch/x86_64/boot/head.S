/* SPDX-License-Identifier: MIT */
/*
 * 32-bit entry from GRUB to 64-bit C.
 *
 * GRUB enters startup_32 in 32-bit protected mode, paging off, with the
 * Multiboot2 magic in %eax and the physical address of the boot information
 * in %ebx (Multiboot2 spec, 3.3). We build throw-away page tables that map the
 * first 1 GiB three times (identity, direct map at DIRECT_MAP_BASE, kernel at
 * KERNEL_VMA) with 2 MiB pages, enable long mode, and call
 * x86_64_start_kernel(magic, info) on the boot stack in the higher half.
 * arch/x86_64/mm/init.c replaces these tables once the page allocator runs.
 *
 * Everything before the jump to the higher half runs at physical addresses,
 * so symbols are used as (sym - KERNEL_VMA).
 */
#include <asm/memlayout.h>

#define PA(x) ((x) - KERNEL_VMA)
#define PTE_PRESENT 0x1
#define PTE_WRITE 0x2
#define PTE_HUGE 0x80
#define CR0_PE 0x1
#define CR0_WP 0x10000
#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define COM1 0x3f8

	.section .boot.text, "ax"
	.code32
	/*
	 * PVH entry (QEMU -kernel): 32-bit protected mode, paging off, the
	 * physical address of struct hvm_start_info in %ebx, whose first word
	 * is its magic: pass that as the "loader magic" and go on as from GRUB.
	 */
	.globl startup_pvh
startup_pvh:
	movl (%ebx), %eax
	/* fall through */

	.globl startup_32
startup_32:
	cli
	cld
	movl $PA(boot_stack_top), %esp
	movl %eax, PA(boot_mb2_magic)
	movl %ebx, PA(boot_mb2_info)

	/* Long mode needs CPUID leaf 0x80000001 EDX bit 29. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode

	/* Four PDs back to back: 2048 x 2 MiB entries covering the first 4 GiB. */
	movl $PA(boot_pd), %edi
	movl $(PTE_PRESENT | PTE_WRITE | PTE_HUGE), %eax
	movl $(4 * 512), %ecx
1:	movl %eax, (%edi)
	movl $0, 4(%edi)
	addl $PMD_SIZE, %eax
	addl $8, %edi
	loop 1b

	/* Identity and kernel: the first PD only. Direct map: all four. */
	movl $(PA(boot_pd) + PTE_PRESENT + PTE_WRITE), %eax
	movl %eax, PA(boot_pdpt_low)
	movl %eax, PA(boot_pdpt_high) + 510 * 8
	movl $PA(boot_pdpt_direct), %edi
	movl $4, %ecx
2:	movl %eax, (%edi)
	addl $PAGE_SIZE, %eax
	addl $8, %edi
	loop 2b

	movl $(PA(boot_pdpt_low) + PTE_PRESENT + PTE_WRITE), %eax
	movl %eax, PA(boot_pml4)
	movl $(PA(boot_pdpt_direct) + PTE_PRESENT + PTE_WRITE), %eax
	movl %eax, PA(boot_pml4) + ((DIRECT_MAP_BASE >> PGDIR_SHIFT) & 511) * 8
	movl $(PA(boot_pdpt_high) + PTE_PRESENT + PTE_WRITE), %eax
	movl %eax, PA(boot_pml4) + 511 * 8

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $PA(boot_pml4), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP | CR0_PE), %eax
	movl %eax, %cr0

	lgdt PA(boot_gdt_desc)
	ljmp $0x08, $PA(startup_64_low)

no_long_mode:
	movl $PA(no_long_mode_msg), %esi
	movw $COM1, %dx
5:	lodsb
	testb %al, %al
	jz 3f
	outb %al, %dx
	jmp 5b
3:	hlt
	jmp 3b

	.code64
startup_64_low:
	movabsq $startup_64, %rax
	jmp *%rax

	.text
startup_64:
	xorl %eax, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl boot_mb2_magic(%rip), %edi
	movl boot_mb2_info(%rip), %esi
	call x86_64_start_kernel
4:	cli
	hlt
	jmp 4b

	.section .rodata
no_long_mode_msg:
	.asciz "Exo-OS: this CPU has no long mode (x86_64); cannot boot.\r\n"

	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit kernel code */
	.quad 0x00cf92000000ffff	/* 0x10: kernel data */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long PA(boot_gdt)

	.data
	.globl boot_mb2_magic, boot_mb2_info
boot_mb2_magic:
	.long 0
boot_mb2_info:
	.long 0

	.section .bss.page_aligned, "aw", @nobits
	.balign PAGE_SIZE
	.globl boot_pml4
boot_pml4:
	.skip PAGE_SIZE
boot_pdpt_low:
	.skip PAGE_SIZE
boot_pdpt_high:
	.skip PAGE_SIZE
boot_pdpt_direct:
	.skip PAGE_SIZE
boot_pd:
	.skip 4 * PAGE_SIZE
	/* Left unmapped by paging_init(): a boot stack overflow faults here. */
	.globl boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:
	.skip PAGE_SIZE
boot_stack_bottom:
	.skip KERNEL_STACK_SIZE
boot_stack_top:
