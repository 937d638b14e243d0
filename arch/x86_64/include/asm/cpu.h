/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU processor set-up. cpu_init() gives the calling CPU its GDT, TSS
 * with IST stacks, the shared IDT, and turns on the protection and FPU
 * features that <asm/cpufeature.h> detected. The boot CPU calls it from
 * setup_arch(); each AP calls it first thing after reaching 64-bit C code,
 * with its own struct cpu_info already installed as GS base and, on APs,
 * cpu_info->exception_stacks pointing at a struct exception_stacks.
 */
#ifndef _ASM_CPU_H
#define _ASM_CPU_H

struct cpu_info;

void cpu_init(struct cpu_info *ci);

#endif /* _ASM_CPU_H */
