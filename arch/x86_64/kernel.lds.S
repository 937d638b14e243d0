/* SPDX-License-Identifier: MIT */
/*
 * Kernel image layout. Each permission class starts on a page boundary so
 * the final page tables can map text RX, rodata R, data and bss RW+NX.
 * The symbol table (.ksymtab, filled by the second link) comes last so that
 * its size never moves any other symbol between the two links.
 */
#include <asm/memlayout.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(startup_32)

PHDRS {
	text PT_LOAD FLAGS(5);
	rodata PT_LOAD FLAGS(4);
	data PT_LOAD FLAGS(6);
	ksym PT_LOAD FLAGS(4);
	note PT_NOTE FLAGS(4);
}

SECTIONS
{
	. = KERNEL_VMA + KERNEL_PHYS_LOAD;
	_kernel_start = .;

	.text : AT(ADDR(.text) - KERNEL_VMA) {
		_text = .;
		KEEP(*(.multiboot2))
		*(.boot.text)
		*(.text .text.*)
		. = ALIGN(PAGE_SIZE);
		_etext = .;
	} :text

	.rodata : AT(ADDR(.rodata) - KERNEL_VMA) {
		_rodata = .;
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__ex_table_start = .;
		KEEP(*(__ex_table))
		__ex_table_end = .;
		. = ALIGN(8);
		__smap_sites_start = .;
		KEEP(*(.smap_sites))
		__smap_sites_end = .;
		. = ALIGN(8);
		__initcall_start = .;
		KEEP(*(SORT(.initcall.*)))
		__initcall_end = .;
		. = ALIGN(8);
		__early_param_start = .;
		KEEP(*(.early_params))
		__early_param_end = .;
		. = ALIGN(8);
		__selftest_start = .;
		KEEP(*(.selftests))
		__selftest_end = .;
	} :rodata

	/* The PVH entry note (boot/header.S), for QEMU's -kernel. */
	.note.Xen : AT(ADDR(.note.Xen) - KERNEL_VMA) {
		KEEP(*(.note.Xen))
	} :rodata :note
	. = ALIGN(PAGE_SIZE);
	_erodata = .;

	.data : AT(ADDR(.data) - KERNEL_VMA) {
		_data = .;
		*(.data .data.*)
		/* CONFIG_KPROF: every hookable function entry; sorted at boot, so writable. */
		. = ALIGN(8);
		__start_mcount_loc = .;
		KEEP(*(__patchable_function_entries))
		__stop_mcount_loc = .;
		. = ALIGN(PAGE_SIZE);
	} :data

	.bss : AT(ADDR(.bss) - KERNEL_VMA) {
		_bss = .;
		*(.bss.page_aligned)
		*(.bss .bss.* COMMON)
		. = ALIGN(PAGE_SIZE);
		_ebss = .;
	} :data

	.ksymtab : AT(ADDR(.ksymtab) - KERNEL_VMA) {
		KEEP(*(.ksymtab))
		. = ALIGN(PAGE_SIZE);
	} :ksym
	_kernel_end = .;

	/DISCARD/ : {
		*(.note.*) *(.comment) *(.eh_frame) *(.eh_frame_hdr)
	}
}
