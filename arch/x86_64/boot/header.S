/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 header (Multiboot2 spec, section 3.1). GRUB finds it in the first
 * 32 KiB of the image. We give an explicit entry address tag because the ELF
 * entry point is a higher-half virtual address that GRUB, still in 32-bit
 * protected mode without paging, cannot jump to.
 *
 * The Xen PVH note (XEN_ELFNOTE_PHYS32_ENTRY) lets QEMU's -kernel load the
 * ELF itself and enter startup_pvh with an hvm_start_info (pvh.c): no boot
 * loader, no size limit, and every byte comes from fw_cfg, so an icount
 * boot repeats exactly (make bench).
 */
#include <asm/memlayout.h>

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0
#define MB2_TAG_END 0
#define MB2_TAG_ENTRY 3
#define MB2_TAG_FLAGS 4
#define MB2_TAG_OPTIONAL 1

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	.balign 8
	.short MB2_TAG_ENTRY
	.short 0
	.long 12
	.long startup_32 - KERNEL_VMA

	/* Console flags: we have an EGA text console is not required; serial is ours. */
	.balign 8
	.short MB2_TAG_FLAGS
	.short MB2_TAG_OPTIONAL
	.long 12
	.long 0

	.balign 8
	.short MB2_TAG_END
	.short 0
	.long 8
mb2_header_end:

#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.Xen, "a", @note
	.balign 4
	.long 4				/* name size: "Xen\0" */
	.long 8				/* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.quad startup_pvh - KERNEL_VMA
	.balign 4
