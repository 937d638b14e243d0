/* SPDX-License-Identifier: MIT */
/*
 * CPU identity and features, read with CPUID once on the boot CPU
 * (cpufeature.c). boot_cpu_has(X86_FEATURE_x) says whether the CPU reports
 * feature x; the kernel turns on every protection feature it reports (NX,
 * SMEP, SMAP, UMIP, ...), so for those "has" also means "is on" after
 * cpu_init(). APs are assumed to match the boot CPU.
 *
 * A feature number is word * 32 + bit, where each word is one CPUID output
 * register (the CPUID_* list below) and bit is the bit the SDM gives.
 */
#ifndef _ASM_CPUFEATURE_H
#define _ASM_CPUFEATURE_H

#include <exo/compiler.h>
#include <exo/types.h>

#define CPUID_1_ECX 0
#define CPUID_1_EDX 1
#define CPUID_7_0_EBX 2
#define CPUID_7_0_ECX 3
#define CPUID_7_0_EDX 4
#define CPUID_8000_0001_ECX 5
#define CPUID_8000_0001_EDX 6
#define CPUID_8000_0007_EDX 7
#define CPUID_D_1_EAX 8
#define NCAPINTS 9

#define X86_FEATURE(word, bit) ((word) * 32 + (bit))

#define X86_FEATURE_PCID X86_FEATURE(CPUID_1_ECX, 17)
#define X86_FEATURE_X2APIC X86_FEATURE(CPUID_1_ECX, 21)
#define X86_FEATURE_TSC_DEADLINE X86_FEATURE(CPUID_1_ECX, 24)
#define X86_FEATURE_XSAVE X86_FEATURE(CPUID_1_ECX, 26)
#define X86_FEATURE_OSXSAVE X86_FEATURE(CPUID_1_ECX, 27)
#define X86_FEATURE_AVX X86_FEATURE(CPUID_1_ECX, 28)
#define X86_FEATURE_RDRAND X86_FEATURE(CPUID_1_ECX, 30)
#define X86_FEATURE_HYPERVISOR X86_FEATURE(CPUID_1_ECX, 31)

#define X86_FEATURE_FPU X86_FEATURE(CPUID_1_EDX, 0)
#define X86_FEATURE_TSC X86_FEATURE(CPUID_1_EDX, 4)
#define X86_FEATURE_MSR X86_FEATURE(CPUID_1_EDX, 5)
#define X86_FEATURE_APIC X86_FEATURE(CPUID_1_EDX, 9)
#define X86_FEATURE_PGE X86_FEATURE(CPUID_1_EDX, 13)
#define X86_FEATURE_PAT X86_FEATURE(CPUID_1_EDX, 16)
#define X86_FEATURE_FXSR X86_FEATURE(CPUID_1_EDX, 24)
#define X86_FEATURE_SSE X86_FEATURE(CPUID_1_EDX, 25)
#define X86_FEATURE_SSE2 X86_FEATURE(CPUID_1_EDX, 26)

#define X86_FEATURE_FSGSBASE X86_FEATURE(CPUID_7_0_EBX, 0)
#define X86_FEATURE_AVX2 X86_FEATURE(CPUID_7_0_EBX, 5)
#define X86_FEATURE_SMEP X86_FEATURE(CPUID_7_0_EBX, 7)
#define X86_FEATURE_ERMS X86_FEATURE(CPUID_7_0_EBX, 9)
#define X86_FEATURE_INVPCID X86_FEATURE(CPUID_7_0_EBX, 10)
#define X86_FEATURE_AVX512F X86_FEATURE(CPUID_7_0_EBX, 16)
#define X86_FEATURE_RDSEED X86_FEATURE(CPUID_7_0_EBX, 18)
#define X86_FEATURE_SMAP X86_FEATURE(CPUID_7_0_EBX, 20)

#define X86_FEATURE_UMIP X86_FEATURE(CPUID_7_0_ECX, 2)
#define X86_FEATURE_PKU X86_FEATURE(CPUID_7_0_ECX, 3)
#define X86_FEATURE_LA57 X86_FEATURE(CPUID_7_0_ECX, 16)

#define X86_FEATURE_FSRM X86_FEATURE(CPUID_7_0_EDX, 4)

#define X86_FEATURE_SYSCALL X86_FEATURE(CPUID_8000_0001_EDX, 11)
#define X86_FEATURE_NX X86_FEATURE(CPUID_8000_0001_EDX, 20)
#define X86_FEATURE_PDPE1GB X86_FEATURE(CPUID_8000_0001_EDX, 26)
#define X86_FEATURE_RDTSCP X86_FEATURE(CPUID_8000_0001_EDX, 27)
#define X86_FEATURE_LM X86_FEATURE(CPUID_8000_0001_EDX, 29)

/* The TSC runs at a constant rate in every P-, C- and T-state. */
#define X86_FEATURE_INVARIANT_TSC X86_FEATURE(CPUID_8000_0007_EDX, 8)

#define X86_FEATURE_XSAVEOPT X86_FEATURE(CPUID_D_1_EAX, 0)
#define X86_FEATURE_XSAVEC X86_FEATURE(CPUID_D_1_EAX, 1)
#define X86_FEATURE_XSAVES X86_FEATURE(CPUID_D_1_EAX, 3)

/* XCR0 state components (vol. 1, 13.1). */
#define XFEATURE_MASK_X87 (1ULL << 0)
#define XFEATURE_MASK_SSE (1ULL << 1)
#define XFEATURE_MASK_AVX (1ULL << 2)

struct cpuinfo_x86 {
	char vendor[13];		/* "GenuineIntel", "AuthenticAMD", ... */
	char brand[49];			/* CPUID 0x80000002-4, leading blanks dropped */
	unsigned int family;		/* with the extended family folded in */
	unsigned int model;		/* with the extended model folded in */
	unsigned int stepping;
	u32 max_leaf;
	u32 max_ext_leaf;
	u32 caps[NCAPINTS];		/* CPUID words, see X86_FEATURE() */
	u64 xcr0;			/* XCR0 the kernel set; 0 without XSAVE */
	/*
	 * Bytes an XSAVE of the xcr0 components needs (standard format, CPUID
	 * 0xd/0 EBX); the context-switch code sizes its FPU buffers from it.
	 */
	unsigned int xsave_size;
};

/* [immutable] after the boot CPU's cpu_init(). */
extern struct cpuinfo_x86 boot_cpu_data;

static inline bool boot_cpu_has(unsigned int feature)
{
	return boot_cpu_data.caps[feature / 32] & (1U << (feature % 32));
}

/* Reads CPUID on this CPU into boot_cpu_data. Boot CPU only, once. */
void cpu_detect(void);
/* Turns on in CR0/CR4/EFER/XCR0 what boot_cpu_data says the CPU has. Every CPU. */
void cpu_features_enable(void);
/* Returns 0 if every feature this CPU has is on in CR4/EFER/XCR0, else -EINVAL (and logs which). */
int cpu_features_check(void);

#endif /* _ASM_CPUFEATURE_H */
