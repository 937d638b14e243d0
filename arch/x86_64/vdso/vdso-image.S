/* SPDX-License-Identifier: MIT */
/* The vDSO image (vdso.so, built by this folder's Makefile), in .rodata; vma.c copies it out at boot. */
	.section .rodata, "a"
	.balign 64
	.globl vdso_image_start, vdso_image_end
vdso_image_start:
	.incbin VDSO_SO
vdso_image_end:
	.previous
	.section .note.GNU-stack, "", @progbits
