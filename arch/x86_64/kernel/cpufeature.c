// SPDX-License-Identifier: MIT
/*
 * CPU identification and feature enabling (<asm/cpufeature.h>).
 *
 * cpu_detect() reads CPUID once on the boot CPU into boot_cpu_data.
 * cpu_features_enable() runs on every CPU and turns on what the CPU has:
 *   EFER.NXE        no-execute bit in page tables
 *   CR4.PGE         global pages survive CR3 reloads
 *   CR4.SMEP/SMAP   the kernel cannot execute / touch user pages by accident
 *                   (user copies bracket their access with stac/clac)
 *   CR4.UMIP        sgdt/sidt/sldt/smsw/str fault in user mode (no kernel
 *                   addresses leak through them)
 *   CR4.FSGSBASE    rdfsbase & co. for user space (entry code must then
 *                   not trust the user's GS base, see idt_entry.S)
 *   CR0.MP/NE, CR4.OSFXSR/OSXMMEXCPT  SSE for user space, errors as #MF/#XM
 *   CR4.OSXSAVE, XCR0  x87, SSE and AVX state under XSAVE
 * The kernel itself is built without SSE/AVX; these are for user programs
 * and the FPU context switch, which sizes its buffers from xsave_size.
 * arch_print_cpu_summary() prints what was found and what got enabled.
 */
#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <uapi/errno.h>

struct cpuinfo_x86 boot_cpu_data;

/* The enabled-feature line, in the order of this table; .cr4/.efer 0 = not a CR4/EFER bit. */
struct feature_enable {
	unsigned int feature;
	const char *name;
	unsigned long cr4;
	u64 efer;
};

static const struct feature_enable enable_table[] = {
	{ X86_FEATURE_NX, "nx", 0, EFER_NXE },
	{ X86_FEATURE_PGE, "pge", X86_CR4_PGE, 0 },
	{ X86_FEATURE_SMEP, "smep", X86_CR4_SMEP, 0 },
	{ X86_FEATURE_SMAP, "smap", X86_CR4_SMAP, 0 },
	{ X86_FEATURE_UMIP, "umip", X86_CR4_UMIP, 0 },
	{ X86_FEATURE_FSGSBASE, "fsgsbase", X86_CR4_FSGSBASE, 0 },
	{ X86_FEATURE_FXSR, "fxsr", X86_CR4_OSFXSR, 0 },
	{ X86_FEATURE_SSE, "sse", X86_CR4_OSXMMEXCPT, 0 },
	{ X86_FEATURE_XSAVE, "xsave", X86_CR4_OSXSAVE, 0 },
};

/* Features reported but not switched on here (other code uses them). */
static const struct {
	unsigned int feature;
	const char *name;
} flag_names[] = {
	{ X86_FEATURE_XSAVEOPT, "xsaveopt" }, { X86_FEATURE_XSAVEC, "xsavec" },
	{ X86_FEATURE_XSAVES, "xsaves" },     { X86_FEATURE_AVX, "avx" },
	{ X86_FEATURE_AVX2, "avx2" },	      { X86_FEATURE_AVX512F, "avx512f" },
	{ X86_FEATURE_PCID, "pcid" },	      { X86_FEATURE_INVPCID, "invpcid" },
	{ X86_FEATURE_PDPE1GB, "pdpe1gb" },   { X86_FEATURE_X2APIC, "x2apic" },
	{ X86_FEATURE_TSC_DEADLINE, "tsc_deadline_timer" },
	{ X86_FEATURE_INVARIANT_TSC, "invariant_tsc" },
	{ X86_FEATURE_RDRAND, "rdrand" },     { X86_FEATURE_RDSEED, "rdseed" },
	{ X86_FEATURE_SYSCALL, "syscall" },   { X86_FEATURE_RDTSCP, "rdtscp" },
	{ X86_FEATURE_PKU, "pku" },	      { X86_FEATURE_LA57, "la57" },
	{ X86_FEATURE_HYPERVISOR, "hypervisor" },
};

static void cpu_detect_identity(struct cpuinfo_x86 *c)
{
	u32 a, b, cx, d;
	unsigned int base_family;

	cpuid(0, &c->max_leaf, &b, &cx, &d);
	memcpy(&c->vendor[0], &b, 4);
	memcpy(&c->vendor[4], &d, 4);
	memcpy(&c->vendor[8], &cx, 4);
	c->vendor[12] = '\0';

	/* Family/model encoding: Intel SDM vol. 2A, CPUID leaf 1, figure 3-6. */
	cpuid(1, &a, &b, &cx, &d);
	base_family = (a >> 8) & 0xf;
	c->family = base_family;
	if (base_family == 0xf)
		c->family += (a >> 20) & 0xff;
	c->model = (a >> 4) & 0xf;
	if (base_family == 0x6 || base_family == 0xf)
		c->model += ((a >> 16) & 0xf) << 4;
	c->stepping = a & 0xf;
	c->caps[CPUID_1_ECX] = cx;
	c->caps[CPUID_1_EDX] = d;

	cpuid(0x80000000, &c->max_ext_leaf, &b, &cx, &d);
	if (c->max_ext_leaf >= 0x80000004) {
		u32 *w = (u32 *)c->brand;
		const char *p = c->brand;

		for (u32 leaf = 0x80000002; leaf <= 0x80000004; leaf++, w += 4)
			cpuid(leaf, &w[0], &w[1], &w[2], &w[3]);
		c->brand[48] = '\0';
		while (*p == ' ')
			p++;
		memmove(c->brand, p, strlen(p) + 1);
	}
}

void cpu_detect(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;
	u32 a, b, cx, d;

	cpu_detect_identity(c);
	if (c->max_leaf >= 7) {
		cpuid_count(7, 0, &a, &b, &cx, &d);
		c->caps[CPUID_7_0_EBX] = b;
		c->caps[CPUID_7_0_ECX] = cx;
		c->caps[CPUID_7_0_EDX] = d;
	}
	if (c->max_leaf >= 0xd) {
		cpuid_count(0xd, 1, &a, &b, &cx, &d);
		c->caps[CPUID_D_1_EAX] = a;
	}
	if (c->max_ext_leaf >= 0x80000001) {
		cpuid(0x80000001, &a, &b, &cx, &d);
		c->caps[CPUID_8000_0001_ECX] = cx;
		c->caps[CPUID_8000_0001_EDX] = d;
	}
	if (c->max_ext_leaf >= 0x80000007) {
		cpuid(0x80000007, &a, &b, &cx, &d);
		c->caps[CPUID_8000_0007_EDX] = d;
	}
	/* OSXSAVE mirrors CR4 and is off until we set it; keep it out of "has". */
	c->caps[CPUID_1_ECX] &= ~(1U << (X86_FEATURE_OSXSAVE % 32));
}

/* XCR0 components to enable: x87 and SSE always, AVX when the CPU supports its state. */
static u64 xcr0_wanted(void)
{
	u32 a, b, c, d;
	u64 supported, want = XFEATURE_MASK_X87 | XFEATURE_MASK_SSE;

	cpuid_count(0xd, 0, &a, &b, &c, &d);
	supported = ((u64)d << 32) | a;
	if (boot_cpu_has(X86_FEATURE_AVX))
		want |= XFEATURE_MASK_AVX;
	return want & supported;
}

void cpu_features_enable(void)
{
	unsigned long cr4 = read_cr4();
	u64 efer = rdmsr(MSR_EFER);

	for (unsigned int i = 0; i < ARRAY_SIZE(enable_table); i++) {
		if (!boot_cpu_has(enable_table[i].feature))
			continue;
		cr4 |= enable_table[i].cr4;
		efer |= enable_table[i].efer;
	}
	if (boot_cpu_has(X86_FEATURE_FXSR))
		/* x87/SSE errors as exceptions, no emulation, WAIT honours TS. */
		write_cr0((read_cr0() & ~X86_CR0_EM) | X86_CR0_MP | X86_CR0_NE);
	wrmsr(MSR_EFER, efer);
	write_cr4(cr4);

	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		u32 a, b, c, d;
		u64 xcr0 = xcr0_wanted();

		xsetbv(0, xcr0);
		/* EBX of leaf 0xd/0 is the size for the components XCR0 now enables. */
		cpuid_count(0xd, 0, &a, &b, &c, &d);
		boot_cpu_data.xcr0 = xcr0;
		boot_cpu_data.xsave_size = b;
	}
}

static const char *vendor_name(const char *vendor)
{
	if (!strcmp(vendor, "GenuineIntel"))
		return "Intel";
	if (!strcmp(vendor, "AuthenticAMD"))
		return "AMD";
	return vendor;
}

void arch_print_cpu_summary(void)
{
	const struct cpuinfo_x86 *c = &boot_cpu_data;
	char line[256];
	size_t n = 0;

	pr_info("CPU: %s %s (family: %#x, model: %#x, stepping: %#x)\n", vendor_name(c->vendor),
		c->brand[0] ? c->brand : "unknown model", c->family, c->model, c->stepping);

	line[0] = '\0';
	for (unsigned int i = 0; i < ARRAY_SIZE(enable_table); i++)
		if (boot_cpu_has(enable_table[i].feature) && n < sizeof(line))
			n += snprintf(line + n, sizeof(line) - n, " %s", enable_table[i].name);
	if (c->xcr0 & XFEATURE_MASK_AVX && n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, " avx");
	pr_info("CPU features:%s enabled\n", line);

	n = 0;
	line[0] = '\0';
	for (unsigned int i = 0; i < ARRAY_SIZE(flag_names); i++)
		if (boot_cpu_has(flag_names[i].feature) && n < sizeof(line))
			n += snprintf(line + n, sizeof(line) - n, " %s", flag_names[i].name);
	pr_info("CPU flags:%s\n", line);

	if (c->xcr0)
		pr_info("x86/fpu: enabled xstate features %#llx, context size is %u bytes, "
			"using 'standard' format\n", (unsigned long long)c->xcr0, c->xsave_size);
}

int cpu_features_check(void)
{
	unsigned long cr4 = read_cr4();
	u64 efer = rdmsr(MSR_EFER);
	int err = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(enable_table); i++) {
		const struct feature_enable *f = &enable_table[i];

		if (!boot_cpu_has(f->feature))
			continue;
		if ((cr4 & f->cr4) != f->cr4 || (efer & f->efer) != f->efer) {
			pr_err("cpu: %s present but not enabled (CR4 %#lx, EFER %#llx)\n", f->name,
			       cr4, (unsigned long long)efer);
			err = -EINVAL;
		}
	}
	if (boot_cpu_has(X86_FEATURE_XSAVE) && xgetbv(0) != boot_cpu_data.xcr0) {
		pr_err("cpu: XCR0 is %#llx, expected %#llx\n", (unsigned long long)xgetbv(0),
		       (unsigned long long)boot_cpu_data.xcr0);
		err = -EINVAL;
	}
	return err;
}
