// SPDX-License-Identifier: MIT
/*
 * x86 half of the function profiler (docs/kprof.md). The kernel text is
 * mapped read-only and executable; patches go through the direct map of the
 * same physical pages, which is writable (and not executable), so no
 * mapping changes and no CR0.WP games. x86 keeps instruction fetch coherent
 * with stores to the same physical address; what another CPU may already
 * have fetched is handled by quiescing it (kprof_patch_all) and a
 * serialising instruction once it may go on.
 *
 * Built without -pg (notrace-y): everything here runs inside the hooks.
 */
#include <asm/kprof.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <uapi/errno.h>

extern char _text[], kprof_entry_tramp[];
static long kprof_text_alias;		/* [immutable after init] writable alias - text address */

int arch_kprof_init(void)
{
	phys_addr_t pa = arch_kernel_virt_to_phys((unsigned long)_text);
	unsigned long alias;

	if (pa == (phys_addr_t)-1)
		return -ENODEV;
	alias = (unsigned long)phys_to_virt(pa);
	/* The direct map must cover the image (it is in RAM the firmware reported). */
	if (arch_kernel_virt_to_phys(alias) != pa)
		return -ENODEV;
	kprof_text_alias = alias - (unsigned long)_text;
	return 0;
}

/*
 * Byte stores, not memcpy(): memcpy is itself a hooked function, and this
 * may be rewriting its entry.
 */
void arch_kprof_patch(unsigned long site, bool on)
{
	static const u8 nop5[KPROF_SITE_SIZE] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	u32 rel = (u32)((unsigned long)kprof_entry_tramp - (site + KPROF_SITE_SIZE));
	volatile u8 *p = (volatile u8 *)(site + kprof_text_alias);

	for (unsigned int i = 0; i < KPROF_SITE_SIZE; i++)
		p[i] = on ? (i ? (u8)(rel >> (8 * (i - 1))) : 0xe8) : nop5[i];
}

void arch_sync_core(void)
{
	u32 a, b, c, d;

	cpuid(0, &a, &b, &c, &d);
}

unsigned int arch_kprof_walk(const struct pt_regs *regs, unsigned long lo, unsigned long hi,
			     unsigned long *pcs, unsigned int max)
{
	unsigned long fp = regs->rbp;
	unsigned int n = 0;

	if (user_mode(regs) || !max)
		return 0;
	pcs[n++] = regs->rip;
	/* Each frame is [saved rbp, return address]; frames only go up the stack. */
	while (n < max && fp >= lo && fp + 16 <= hi && !(fp & 7)) {
		unsigned long *frame = (unsigned long *)fp;

		if (!frame[1])
			break;
		pcs[n++] = frame[1];
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
	return n;
}
