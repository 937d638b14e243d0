// SPDX-License-Identifier: MIT
/*
 * /proc/cpuinfo, in Linux's x86 format (arch/x86/kernel/cpu/proc.c): one
 * block per online CPU, fields separated by a tab-padded ": ", blocks by an
 * empty line. Identity and flags come from boot_cpu_data (APs are assumed to
 * match the boot CPU); cache size and address sizes from CPUID leaves
 * 0x80000006 and 0x80000008; the clock from the calibrated TSC. Flags are
 * Linux's names for the CPUID bits, printed in Linux's capability-word
 * order; bits Linux hides (osxsave) or that have no name here are left out.
 * The topology is one package with one core per CPU, no SMT.
 */
#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <exo/kernel.h>
#include <exo/percpu.h>
#include <exo/seq_file.h>
#include <exo/time.h>

static const char *const flags_1_edx[32] = {
	"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", NULL, "sep",
	"mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", NULL, "dts", "acpi",
	"mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
};

static const char *const flags_ext_edx[32] = {
	[11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext", [25] = "fxsr_opt",
	[26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm", [30] = "3dnowext", [31] = "3dnow",
};

static const char *const flags_1_ecx[32] = {
	"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3",
	"cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", NULL, "pcid", "dca", "sse4_1", "sse4_2",
	"x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", NULL, "avx", "f16c",
	"rdrand", "hypervisor",
};

static const char *const flags_ext_ecx[32] = {
	"lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse",
	"3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", NULL, "lwp", "fma4", "tce", NULL,
	"nodeid_msr", NULL, "tbm", "topoext", "perfctr_core", "perfctr_nb", NULL, "bpext", "ptsc",
	"perfctr_llc", "mwaitx",
};

static const char *const flags_7_ebx[32] = {
	"fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", NULL, "smep", "bmi2", "erms",
	"invpcid", "rtm", "cqm", NULL, "mpx", "rdt_a", "avx512f", "avx512dq", "rdseed", "adx",
	"smap", "avx512ifma", NULL, "clflushopt", "clwb", "intel_pt", "avx512pf", "avx512er",
	"avx512cd", "sha_ni", "avx512bw", "avx512vl",
};

static const char *const flags_d_1_eax[32] = {
	"xsaveopt", "xsavec", "xgetbv1", "xsaves",
};

static const char *const flags_7_ecx[32] = {
	[1] = "avx512vbmi", [2] = "umip", [3] = "pku", [4] = "ospke", [5] = "waitpkg",
	[6] = "avx512_vbmi2", [8] = "gfni", [9] = "vaes", [10] = "vpclmulqdq",
	[11] = "avx512_vnni", [12] = "avx512_bitalg", [14] = "avx512_vpopcntdq", [16] = "la57",
	[22] = "rdpid", [25] = "cldemote", [27] = "movdiri", [28] = "movdir64b",
};

static const char *const flags_7_edx[32] = {
	[2] = "avx512_4vnniw", [3] = "avx512_4fmaps", [4] = "fsrm",
	[8] = "avx512_vp2intersect", [10] = "md_clear", [14] = "serialize", [16] = "tsxldtrk",
	[18] = "pconfig", [19] = "arch_lbr", [22] = "amx_bf16", [24] = "amx_tile",
	[25] = "amx_int8", [28] = "flush_l1d", [29] = "arch_capabilities",
};

static void show_flag_word(struct seq_file *m, u32 word, const char *const names[32])
{
	for (unsigned int bit = 0; bit < 32; bit++)
		if ((word & (1U << bit)) && names[bit])
			seq_printf(m, " %s", names[bit]);
}

static void show_flags(struct seq_file *m)
{
	const u32 *caps = boot_cpu_data.caps;

	seq_puts(m, "flags\t\t:");
	show_flag_word(m, caps[CPUID_1_EDX], flags_1_edx);
	show_flag_word(m, caps[CPUID_8000_0001_EDX], flags_ext_edx);
	if (boot_cpu_has(X86_FEATURE_INVARIANT_TSC))
		seq_puts(m, " constant_tsc nonstop_tsc");
	show_flag_word(m, caps[CPUID_1_ECX], flags_1_ecx);
	show_flag_word(m, caps[CPUID_8000_0001_ECX], flags_ext_ecx);
	show_flag_word(m, caps[CPUID_7_0_EBX], flags_7_ebx);
	show_flag_word(m, caps[CPUID_D_1_EAX], flags_d_1_eax);
	show_flag_word(m, caps[CPUID_7_0_ECX], flags_7_ecx);
	show_flag_word(m, caps[CPUID_7_0_EDX], flags_7_edx);
	seq_putc(m, '\n');
}

int arch_show_cpuinfo(struct seq_file *m)
{
	const struct cpuinfo_x86 *c = &boot_cpu_data;
	unsigned int cache_kb = 0, phys_bits = 36, virt_bits = 48, clflush = 64;
	unsigned long khz = (unsigned long)tsc_khz;
	u32 a, b, cx, d;

	cpuid(1, &a, &b, &cx, &d);
	if (b & 0xff00)
		clflush = ((b >> 8) & 0xff) * 8;
	if (c->max_ext_leaf >= 0x80000006) {
		cpuid(0x80000006, &a, &b, &cx, &d);
		cache_kb = cx >> 16;
	}
	if (c->max_ext_leaf >= 0x80000008) {
		cpuid(0x80000008, &a, &b, &cx, &d);
		phys_bits = a & 0xff;
		virt_bits = (a >> 8) & 0xff;
	}
	for (unsigned int i = 0; i < NR_CPUS; i++) {
		const struct cpu_info *ci = cpu_infos[i];

		if (!ci || !__atomic_load_n(&ci->online, __ATOMIC_ACQUIRE))
			continue;
		seq_printf(m, "processor\t: %u\n", ci->cpu);
		seq_printf(m, "vendor_id\t: %s\n", c->vendor);
		seq_printf(m, "cpu family\t: %u\n", c->family);
		seq_printf(m, "model\t\t: %u\n", c->model);
		seq_printf(m, "model name\t: %s\n", c->brand[0] ? c->brand : "unknown");
		seq_printf(m, "stepping\t: %u\n", c->stepping);
		seq_printf(m, "cpu MHz\t\t: %lu.%03lu\n", khz / 1000, khz % 1000);
		if (cache_kb)
			seq_printf(m, "cache size\t: %u KB\n", cache_kb);
		seq_printf(m, "physical id\t: 0\nsiblings\t: %u\n", nr_cpus_online);
		seq_printf(m, "core id\t\t: %u\ncpu cores\t: %u\n", ci->cpu, nr_cpus_online);
		seq_printf(m, "apicid\t\t: %u\ninitial apicid\t: %u\n", ci->apic_id, ci->apic_id);
		seq_printf(m, "fpu\t\t: %s\nfpu_exception\t: %s\n",
			   boot_cpu_has(X86_FEATURE_FPU) ? "yes" : "no",
			   boot_cpu_has(X86_FEATURE_FPU) ? "yes" : "no");
		seq_printf(m, "cpuid level\t: %u\nwp\t\t: yes\n", c->max_leaf);
		show_flags(m);
		seq_puts(m, "bugs\t\t:\n");
		/* Linux's bogomips is about two loops per cycle: 2 * MHz. */
		seq_printf(m, "bogomips\t: %lu.%02lu\n", khz * 2 / 1000, (khz * 2 / 10) % 100);
		seq_printf(m, "clflush size\t: %u\ncache_alignment\t: %u\n", clflush, clflush);
		seq_printf(m, "address sizes\t: %u bits physical, %u bits virtual\n", phys_bits,
			   virt_bits);
		seq_puts(m, "power management:\n\n");
	}
	return 0;
}
