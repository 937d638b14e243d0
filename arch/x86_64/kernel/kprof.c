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
#include <asm/extable.h>
#include <asm/kprof.h>
#include <exo/ksym.h>
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
 * Length of the instruction at @p when it runs the same from another
 * address (no RIP-relative operand, no relative branch), else 0. Only what
 * gcc puts at the start of a function: push and pop, the ModRM moves,
 * loads and arithmetic, moves of immediates, with a segment or
 * operand-size prefix and REX.
 */
static unsigned int insn_len_movable(const u8 *p)
{
	const u8 *q = p;
	bool osz = false, rex_w = false;
	unsigned int imm = 0;
	u8 op, m;

	if (*q == 0x64 || *q == 0x65)
		q++;
	if (*q == 0x66) {
		osz = true;
		q++;
	}
	if ((*q & 0xf0) == 0x40)
		rex_w = *q++ & 8;
	op = *q++;
	switch (op) {
	case 0x50 ... 0x5f:			/* push, pop */
		return (unsigned int)(q - p);
	case 0xb8 ... 0xbf:			/* mov $imm, %reg */
		return (unsigned int)(q - p) + (rex_w ? 8 : osz ? 2 : 4);
	case 0x00 ... 0x03: case 0x08 ... 0x0b: case 0x20 ... 0x23: case 0x28 ... 0x2b:
	case 0x30 ... 0x33: case 0x38 ... 0x3b: case 0x63: case 0x84: case 0x85:
	case 0x88 ... 0x8b: case 0x8d:
		break;				/* ModRM, no immediate */
	case 0x80: case 0x83: case 0xc6:
		imm = 1;
		break;
	case 0x81: case 0xc7:
		imm = osz ? 2 : 4;
		break;
	case 0x0f:
		op = *q++;
		if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf && op != 0xaf &&
		    (op < 0x40 || op > 0x4f))
			return 0;
		break;
	default:
		return 0;
	}
	m = *q++;
	if ((m >> 6) != 3 && (m & 7) == 4) {
		/* SIB; base 5 with mod 0 is an absolute disp32. */
		if ((m >> 6) == 0 && (*q & 7) == 5)
			q += 4;
		q++;
	} else if ((m >> 6) == 0 && (m & 7) == 5) {
		return 0;			/* RIP-relative */
	}
	if ((m >> 6) == 1)
		q += 1;
	else if ((m >> 6) == 2)
		q += 4;
	return (unsigned int)(q - p) + imm;
}

/* Bytes of whole instructions that the entry's 2-byte jump covers; 0 if they cannot move. */
static unsigned int kprof_displaced_len(const u8 *f)
{
	unsigned int d = 0, n;

	while (d < 2) {
		n = insn_len_movable(f + d);
		if (!n)
			return 0;
		d += n;
	}
	return d <= KPROF_PRE_SIZE - KPROF_CALL_SIZE - 2 ? d : 0;
}

/*
 * Whether any byte sequence in the function [@f, @f + @size) could be a
 * relative branch into its first @d bytes, the entry included (a loop back
 * to the entry would run the hook again): read as code at every offset, so
 * data and immediates can only make this say yes, never miss a branch.
 */
static bool kprof_branches_into(const u8 *f, unsigned long size, unsigned int d)
{
	for (unsigned long i = 0; i + 2 <= size; i++) {
		long target = -1;

		if (f[i] == 0xeb || (f[i] >= 0x70 && f[i] <= 0x7f) || (f[i] >= 0xe0 && f[i] <= 0xe3))
			target = (long)i + 2 + (s8)f[i + 1];
		else if (f[i] == 0xe9 && i + 5 <= size)
			target = (long)i + 5 + (s32)(f[i + 1] | f[i + 2] << 8 | f[i + 3] << 16 |
						     (u32)f[i + 4] << 24);
		else if (f[i] == 0x0f && f[i + 1] >= 0x80 && f[i + 1] <= 0x8f && i + 6 <= size)
			target = (long)i + 6 + (s32)(f[i + 2] | f[i + 3] << 8 | f[i + 4] << 16 |
						     (u32)f[i + 5] << 24);
		if (target >= 0 && target < (long)d)
			return true;
	}
	return false;
}

bool arch_kprof_hookable(unsigned long site)
{
	unsigned long off, size;
	unsigned int d = kprof_displaced_len((const u8 *)site);

	if (!d || !ksym_lookup(site, &off, &size) || off || size < d)
		return false;
	/* A user access with a fixup must fault where the exception table says. */
	for (unsigned int i = 0; i < d; i++)
		if (search_exception_tables(site + i))
			return false;
	return !kprof_branches_into((const u8 *)site, size, d);
}

/*
 * Byte stores, not memcpy(): memcpy is itself a hooked function, and this
 * may be rewriting its entry. On: the bytes before @site get the call of
 * the entry trampoline, a copy of the first instructions and a jump back
 * past them; then the first two bytes jump to that. Off: the two bytes
 * come back from the copy. Only sites arch_kprof_hookable() accepted.
 */
void arch_kprof_patch(unsigned long site, bool on)
{
	volatile u8 *f = (volatile u8 *)(site + kprof_text_alias);
	volatile u8 *pre = f - KPROF_PRE_SIZE;
	const u8 jump_back = (u8)-(KPROF_PRE_SIZE + 2);
	bool patched = f[0] == 0xeb && f[1] == jump_back;
	unsigned long call_end = site - KPROF_PRE_SIZE + KPROF_CALL_SIZE;
	u32 rel = (u32)((unsigned long)kprof_entry_tramp - call_end);
	unsigned int d;

	if (on == patched)
		return;
	if (!on) {
		f[1] = pre[KPROF_CALL_SIZE + 1];
		f[0] = pre[KPROF_CALL_SIZE];
		return;
	}
	d = kprof_displaced_len((const u8 *)site);
	pre[0] = 0xe8;
	for (unsigned int i = 0; i < 4; i++)
		pre[1 + i] = (u8)(rel >> (8 * i));
	for (unsigned int i = 0; i < d; i++)
		pre[KPROF_CALL_SIZE + i] = f[i];
	/* From the end of this jump to site + d: the copy took d bytes, the jump 2. */
	pre[KPROF_CALL_SIZE + d] = 0xeb;
	pre[KPROF_CALL_SIZE + d + 1] = (u8)(KPROF_PRE_SIZE - KPROF_CALL_SIZE - 2);
	f[1] = jump_back;
	f[0] = 0xeb;
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
