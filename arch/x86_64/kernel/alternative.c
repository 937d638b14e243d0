// SPDX-License-Identifier: MIT
/*
 * Boot-time patching of kernel text for what the CPU lacks (Linux's
 * alternatives, for the one case there is): every stac and clac site
 * (<asm/smap.h>) becomes a NOP on a CPU without SMAP, where they would
 * raise #UD. The text is mapped read-only; the stores go through the
 * direct map's alias of the same physical pages, as the profiler's do
 * (kprof.c). setup_arch() calls this on the boot CPU right after
 * paging_init(): no other CPU runs yet and nothing has touched user memory.
 */
#include <exo/panic.h>
#include <exo/printk.h>
#include <asm/cpufeature.h>
#include <asm/memlayout.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/smap.h>

extern const unsigned long __smap_sites_start[], __smap_sites_end[];

/* nopl (%rax): the length of stac (0f 01 cb) and clac (0f 01 ca). */
static const u8 nop3[3] = { 0x0f, 0x1f, 0x00 };

static bool is_stac_or_clac(const u8 *p)
{
	return p[0] == 0x0f && p[1] == 0x01 && (p[2] == 0xcb || p[2] == 0xca);
}

static void text_poke_early(unsigned long addr, const u8 *bytes, size_t len)
{
	phys_addr_t pa = arch_kernel_virt_to_phys(addr);
	volatile u8 *alias;

	if (pa == (phys_addr_t)-1)
		panic("alternatives: kernel text at %#lx has no physical page", addr);
	alias = phys_to_virt(pa);
	for (size_t i = 0; i < len; i++)
		alias[i] = bytes[i];
}

void smap_patch_sites(void)
{
	unsigned int n = 0;
	u32 a, b, c, d;

	if (boot_cpu_has(X86_FEATURE_SMAP))
		return;
	for (const unsigned long *site = __smap_sites_start; site < __smap_sites_end; site++) {
		/* A table entry that points elsewhere must not corrupt other code. */
		if (!is_stac_or_clac((const u8 *)*site))
			panic("alternatives: .smap_sites entry %#lx holds no stac/clac", *site);
		text_poke_early(*site, nop3, sizeof(nop3));
		n++;
	}
	/* Serialising: nothing fetched before the stores runs after them. */
	cpuid(0, &a, &b, &c, &d);
	pr_info("SMAP: not on this CPU; %u stac/clac sites patched to NOPs\n", n);
}
