/* SPDX-License-Identifier: MIT */
/*
 * SMP on x86_64: application processor start-up (smpboot.c) and
 * inter-processor interrupts (smp.c).
 */
#ifndef _ASM_SMP_H
#define _ASM_SMP_H

/* The page below 1 MiB the AP start-up code runs from (reserved by setup_arch). */
#define TRAMPOLINE_PHYS 0x8000

#ifndef __ASSEMBLER__
#include <exo/types.h>

/* Filled by the boot CPU before each start-up; read by trampoline.S. */
struct trampoline_data {
	u32 cr3;	/* page table: identity map of the first 1 GiB + the kernel half */
	u32 efer;	/* EFER bits to set: LME, and NXE if in use */
	u64 stack;	/* initial stack pointer in the higher half */
	u64 entry;	/* ap_start_kernel */
	u64 arg;	/* its argument: the AP's struct cpu_info */
};

extern char trampoline_start[], trampoline_end[], trampoline_data[];

/* Starts every CPU the MADT lists, up to NR_CPUS; "nosmp" keeps only the boot CPU. */
void smp_boot_cpus(void);
#endif

#endif /* _ASM_SMP_H */
