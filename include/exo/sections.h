/* SPDX-License-Identifier: MIT */
/* Kernel image boundaries, defined by the linker script (arch/x86_64/kernel.lds.S). */
#ifndef _EXO_SECTIONS_H
#define _EXO_SECTIONS_H

extern char _kernel_start[], _kernel_end[];
extern char _text[], _etext[];
extern char _rodata[], _erodata[];
extern char _data[], _bss[], _ebss[];

#endif /* _EXO_SECTIONS_H */
