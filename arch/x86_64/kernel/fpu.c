// SPDX-License-Identifier: MIT
/*
 * User FPU/SSE/AVX state. The kernel never touches these registers
 * (-mgeneral-regs-only), so a task's state stays live in the CPU while it is
 * in the kernel and only the context switch saves and restores it: XSAVE or
 * XSAVEOPT / XRSTOR over the components in XCR0 when the CPU has XSAVE,
 * FXSAVE / FXRSTOR otherwise. Areas are 64-byte aligned (XSAVE requires it,
 * FXSAVE needs 16).
 */
#include <exo/err.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <asm/cpufeature.h>
#include <asm/fpu.h>
#include <uapi/errno.h>

#define FXSAVE_SIZE 512
#define FXSAVE_FCW_OFFSET 0
#define FXSAVE_MXCSR_OFFSET 24
#define FCW_DEFAULT 0x037f	/* all exceptions masked, 64-bit precision */
#define MXCSR_DEFAULT 0x1f80	/* all SIMD exceptions masked, round to nearest */

static struct kmem_cache *fpu_cache;
static unsigned int fpu_size;

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
	return 0;
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
