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

struct file;
struct mm;

/*
 * Maps the vDSO and its [vvar] page into @mm (exec, before the point of no
 * return); *@sysinfo_ehdr gets the vDSO's address for AT_SYSINFO_EHDR, 0
 * when there is none. Returns 0 or -errno (arch/x86_64/vdso/vma.c).
 */
int arch_setup_additional_pages(struct mm *mm, unsigned long *sysinfo_ehdr);
/* "[vdso]" or "[vvar]" for the files behind those mappings (/proc/PID/maps), else NULL. */
const char *arch_vma_name(const struct file *file);

#endif /* _ASM_ELF_H */
