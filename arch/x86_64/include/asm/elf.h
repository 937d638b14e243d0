/* SPDX-License-Identifier: MIT */
/*
 * What the ELF loader and execve need to know about the machine (Linux's
 * asm/elf.h names): which executables run here, where a static PIE goes,
 * and the values of the auxiliary vector entries that describe the CPU.
 */
#ifndef _ASM_ELF_H
#define _ASM_ELF_H

#include <asm/processor.h>
#include <uapi/elf.h>

/* @eh (a struct elf64_hdr *) is for this machine. */
#define elf_check_arch(eh) ((eh)->e_machine == EM_X86_64)

/* Where static PIE programs go, as on Linux x86_64. */
#define ELF_ET_DYN_BASE 0x555555554000UL

/* AT_PLATFORM's string. */
#define ELF_PLATFORM "x86_64"

/* AT_HWCAP: CPUID.1:EDX, the feature word Linux reports on x86; AT_HWCAP2: none. */
static inline unsigned long elf_hwcap(void)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return d;
}
#define ELF_HWCAP elf_hwcap()
#define ELF_HWCAP2 0UL

/* AT_MINSIGSTKSZ: the legacy MINSIGSTKSZ of the x86 signal frame. */
#define ELF_MINSIGSTKSZ 2048UL

#endif /* _ASM_ELF_H */
