// SPDX-License-Identifier: MIT
/*
 * User FPU/SSE/AVX state. The kernel never touches these registers
 * (-mgeneral-regs-only), so a task's state stays live in the CPU while it is
 * in the kernel and only the context switch saves and restores it: XSAVE or
 * XSAVEOPT / XRSTOR over the components in XCR0 when the CPU has XSAVE,
 * FXSAVE / FXRSTOR otherwise. Areas are 64-byte aligned (XSAVE requires it,
 * FXSAVE needs 16).
 *
 * Signal frames (fpu_sigframe_save/restore) hold the same XSAVE layout in
 * user memory, tagged the Linux way: struct fpx_sw_bytes in the FXSAVE
 * area's software-reserved bytes and FP_XSTATE_MAGIC2 after the XSAVE data.
 * Nothing user space wrote reaches XRSTOR unchecked: a bad MXCSR or XSAVE
 * header would #GP in the kernel, so the frame is refused instead.
 */
#include <exo/err.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/fpu.h>
#include <uapi/errno.h>
#include <uapi/sigcontext.h>

#define FXSAVE_SIZE 512
#define FXSAVE_FCW_OFFSET 0
#define FXSAVE_MXCSR_OFFSET 24
#define FXSAVE_MXCSR_MASK_OFFSET 28
#define MXCSR_MASK_DEFAULT 0xffbf	/* when FXSAVE reports 0 (vol. 1, 11.6.6) */
#define XSAVE_HEADER_OFFSET 512
#define XSAVE_HEADER_SIZE 64
#define XFEATURE_MASK_FPSSE 0x3ULL	/* x87 and SSE: what the FXSAVE part holds */
#define FCW_DEFAULT 0x037f	/* all exceptions masked, 64-bit precision */
#define MXCSR_DEFAULT 0x1f80	/* all SIMD exceptions masked, round to nearest */

static struct kmem_cache *fpu_cache;
static unsigned int fpu_size;
/* The power-on state, built once: signal delivery resets to it with one XRSTOR. */
static void *fpu_init_image;

static bool use_xsave(void)
{
	return boot_cpu_data.xcr0 != 0;
}

int fpu_init(void)
{
	fpu_size = use_xsave() ? boot_cpu_data.xsave_size : FXSAVE_SIZE;
	fpu_cache = kmem_cache_create("fpu_state", fpu_size, 64, 0, NULL);
	if (IS_ERR(fpu_cache)) {
		fpu_cache = NULL;
		return -ENOMEM;
	}
	fpu_init_image = fpu_alloc();
	if (!fpu_init_image)
		return -ENOMEM;
	fpu_init_state(fpu_init_image);
	return 0;
}

void fpu_restore_init_state(void)
{
	fpu_restore(fpu_init_image);
}

void *fpu_alloc(void)
{
	return fpu_cache ? kmem_cache_alloc(fpu_cache, GFP_KERNEL) : NULL;
}

void fpu_free(void *area)
{
	if (area)
		kmem_cache_free(fpu_cache, area);
}

/* Fills @area with the power-on state: a restore of it resets every register. */
void fpu_init_state(void *area)
{
	memset(area, 0, fpu_size);
	*(u16 *)((u8 *)area + FXSAVE_FCW_OFFSET) = FCW_DEFAULT;
	*(u32 *)((u8 *)area + FXSAVE_MXCSR_OFFSET) = MXCSR_DEFAULT;
	/* XSAVE header (XSTATE_BV = 0): XRSTOR puts every component in its initial state. */
}

void fpu_save(void *area)
{
	if (use_xsave()) {
		u32 lo = (u32)boot_cpu_data.xcr0, hi = (u32)(boot_cpu_data.xcr0 >> 32);

		if (boot_cpu_has(X86_FEATURE_XSAVEOPT))
			__asm__ __volatile__("xsaveopt64 (%0)" : : "r"(area), "a"(lo), "d"(hi) : "memory");
		else
			__asm__ __volatile__("xsave64 (%0)" : : "r"(area), "a"(lo), "d"(hi) : "memory");
	} else {
		__asm__ __volatile__("fxsave64 (%0)" : : "r"(area) : "memory");
	}
}

void fpu_restore(const void *area)
{
	if (use_xsave()) {
		u32 lo = (u32)boot_cpu_data.xcr0, hi = (u32)(boot_cpu_data.xcr0 >> 32);

		__asm__ __volatile__("xrstor64 (%0)" : : "r"(area), "a"(lo), "d"(hi) : "memory");
	} else {
		__asm__ __volatile__("fxrstor64 (%0)" : : "r"(area) : "memory");
	}
}

unsigned int fpu_state_size(void)
{
	return fpu_size;
}

unsigned int fpu_sigframe_size(void)
{
	return use_xsave() ? fpu_size + FP_XSTATE_MAGIC2_SIZE : FXSAVE_SIZE;
}

/*
 * The task's own area is used as the staging buffer: it is only read at the
 * next switch to the task, and every switch away first saves the live
 * registers into it again.
 */
int fpu_sigframe_save(void __user *buf)
{
	u8 *area = current->thread.fpu;

	fpu_save(area);
	if (use_xsave()) {
		struct fpx_sw_bytes sw = {
			.magic1 = FP_XSTATE_MAGIC1,
			.extended_size = fpu_size + FP_XSTATE_MAGIC2_SIZE,
			.xfeatures = boot_cpu_data.xcr0,
			.xstate_size = fpu_size,
		};

		memcpy(area + FXSAVE_SW_BYTES_OFFSET, &sw, sizeof(sw));
	}
	if (copy_to_user(buf, area, fpu_size))
		return -EFAULT;
	if (use_xsave() && put_user(FP_XSTATE_MAGIC2, (u32 __user *)((u8 __user *)buf + fpu_size)))
		return -EFAULT;
	return 0;
}

static u32 mxcsr_mask(void)
{
	static u32 mask;
	u8 fx[FXSAVE_SIZE] __aligned(16);

	if (!mask) {
		memset(fx, 0, sizeof(fx));
		__asm__ __volatile__("fxsave64 (%0)" : : "r"(fx) : "memory");
		mask = *(u32 *)(fx + FXSAVE_MXCSR_MASK_OFFSET);
		if (!mask)
			mask = MXCSR_MASK_DEFAULT;
	}
	return mask;
}

/* Makes a frame's XSAVE header safe for XRSTOR, or refuses it (-EFAULT). */
static int xsave_header_check(u8 *area, const void __user *buf)
{
	struct fpx_sw_bytes sw;
	u64 *hdr = (u64 *)(area + XSAVE_HEADER_OFFSET);
	u64 keep = XFEATURE_MASK_FPSSE;
	u32 magic2;

	memcpy(&sw, area + FXSAVE_SW_BYTES_OFFSET, sizeof(sw));
	if (sw.magic1 == FP_XSTATE_MAGIC1 && sw.xstate_size == fpu_size &&
	    sw.extended_size == fpu_size + FP_XSTATE_MAGIC2_SIZE) {
		if (get_user(magic2, (const u32 __user *)((const u8 __user *)buf + fpu_size)))
			return -EFAULT;
		if (magic2 == FP_XSTATE_MAGIC2)
			keep = sw.xfeatures;
	}
	/* Without the magic numbers the frame is an FXSAVE image: x87 and SSE only. */
	if (keep == XFEATURE_MASK_FPSSE)
		hdr[0] = XFEATURE_MASK_FPSSE;
	hdr[0] &= keep & boot_cpu_data.xcr0;
	/* XCOMP_BV and the reserved header bytes must be 0 for a standard-format XRSTOR. */
	for (unsigned int i = 1; i < XSAVE_HEADER_SIZE / sizeof(u64); i++)
		if (hdr[i])
			return -EFAULT;
	return 0;
}

int fpu_sigframe_restore(const void __user *buf)
{
	u8 *area = fpu_alloc();
	u32 mxcsr;
	int err = -EFAULT;

	if (!area)
		return -ENOMEM;
	if (copy_from_user(area, buf, fpu_size))
		goto out_free;
	mxcsr = *(u32 *)(area + FXSAVE_MXCSR_OFFSET);
	if (mxcsr & ~mxcsr_mask())
		goto out_free;
	if (use_xsave() && xsave_header_check(area, buf))
		goto out_free;
	fpu_restore(area);
	err = 0;
out_free:
	fpu_free(area);
	return err;
}
