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
 * XSAVE and XRSTOR work on the frame in user memory directly, under
 * exception-table fixups: a frame with a bad MXCSR or XSAVE header makes
 * XRSTOR #GP, which becomes -EFAULT (rt_sigreturn's SIGSEGV), not an Oops.
 */
#include <exo/err.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/extable.h>
#include <asm/fpu.h>
#include <asm/smap.h>
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
/* The MXCSR bits this CPU allows; a frame with others is refused. */
static u32 mxcsr_mask;

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
	memset(fpu_init_image, 0, FXSAVE_SIZE);
	__asm__ __volatile__("fxsave64 (%0)" : : "r"(fpu_init_image) : "memory");
	mxcsr_mask = *(u32 *)((u8 *)fpu_init_image + FXSAVE_MXCSR_MASK_OFFSET);
	if (!mxcsr_mask)
		mxcsr_mask = MXCSR_MASK_DEFAULT;
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

/* The FXSAVE image of a switched-out task's @area (ptrace GETFPREGS). */
void fpu_fxsave_get(const void *area, void *buf)
{
	memcpy(buf, area, FXSAVE_SIZE);
	/* The software-reserved bytes are the kernel's (signal frames), not the user's. */
	memset((u8 *)buf + FXSAVE_SW_BYTES_OFFSET, 0, FXSAVE_SIZE - FXSAVE_SW_BYTES_OFFSET);
}

/*
 * Puts a user-supplied FXSAVE image into a switched-out task's @area
 * (ptrace SETFPREGS). An MXCSR with reserved bits would make the restore
 * at its next switch-in fault in the kernel: -EINVAL, as Linux.
 */
int fpu_fxsave_set(void *area, const void *buf)
{
	u32 mxcsr = *(const u32 *)((const u8 *)buf + FXSAVE_MXCSR_OFFSET);

	if (mxcsr & ~mxcsr_mask)
		return -EINVAL;
	memcpy(area, buf, FXSAVE_SW_BYTES_OFFSET);
	*(u32 *)((u8 *)area + FXSAVE_MXCSR_MASK_OFFSET) = mxcsr_mask;
	if (use_xsave())
		*(u64 *)((u8 *)area + XSAVE_HEADER_OFFSET) |= XFEATURE_MASK_FPSSE;
	return 0;
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
 * One FPU instruction on user memory at @buf, with user access open and an
 * exception-table entry: a fault demand paging cannot resolve, or the #GP
 * that XRSTOR/FXRSTOR raise for a bad MXCSR or XSAVE header, makes it
 * return -EFAULT instead of an Oops. Each is restartable after a fault.
 */
#define FPU_USER_INSN(insn, buf, mask)                                                   \
	({                                                                               \
		int __err = 0;                                                           \
		stac();                                                                  \
		__asm__ __volatile__("1:	" insn " (%[addr])\n"                       \
				     "2:\n\t"                                             \
				     ".pushsection .text.fixup, \"ax\"\n"                  \
				     "3:	movl %[efault], %[err]\n\t"                    \
				     "	jmp 2b\n\t"                                        \
				     ".popsection\n\t"                                     \
				     _ASM_EXTABLE(1b, 3b)                                \
				     : [err] "+r"(__err)                                  \
				     : [addr] "r"(buf), "a"((u32)(mask)),                 \
				       "d"((u32)((u64)(mask) >> 32)), [efault] "i"(-EFAULT) \
				     : "memory");                                         \
		clac();                                                                  \
		__err;                                                                   \
	})

/*
 * The live registers go straight to the frame (as Linux does): plain XSAVE,
 * never XSAVEOPT, whose skipping of unmodified components assumes the
 * memory still holds what the last XRSTOR read from it, which a user stack
 * does not promise. XSAVE writes XSTATE_BV but not the rest of the header,
 * so that is cleared first; the software bytes and magic2 tag the frame.
 */
int fpu_sigframe_save(void __user *buf)
{
	u8 __user *frame = buf;
	struct fpx_sw_bytes sw = {
		.magic1 = FP_XSTATE_MAGIC1,
		.extended_size = fpu_size + FP_XSTATE_MAGIC2_SIZE,
		.xfeatures = boot_cpu_data.xcr0,
		.xstate_size = fpu_size,
	};

	if (!use_xsave()) {
		if (!access_ok(buf, FXSAVE_SIZE))
			return -EFAULT;
		return FPU_USER_INSN("fxsave64", buf, 0);
	}
	if (!access_ok(buf, fpu_size + FP_XSTATE_MAGIC2_SIZE) ||
	    clear_user(frame + XSAVE_HEADER_OFFSET, XSAVE_HEADER_SIZE) ||
	    FPU_USER_INSN("xsave64", buf, boot_cpu_data.xcr0) ||
	    copy_to_user(frame + FXSAVE_SW_BYTES_OFFSET, &sw, sizeof(sw)) ||
	    put_user(FP_XSTATE_MAGIC2, (u32 __user *)(frame + fpu_size)))
		return -EFAULT;
	return 0;
}

/*
 * The components a frame holds: what its software bytes and magic2 say,
 * or x87 and SSE only for a frame without them (an FXSAVE image).
 */
static int sigframe_features(const u8 __user *frame, u64 *features)
{
	struct fpx_sw_bytes sw;
	u32 magic2;

	*features = XFEATURE_MASK_FPSSE;
	if (copy_from_user(&sw, frame + FXSAVE_SW_BYTES_OFFSET, sizeof(sw)))
		return -EFAULT;
	if (sw.magic1 != FP_XSTATE_MAGIC1 || sw.xstate_size != fpu_size ||
	    sw.extended_size != fpu_size + FP_XSTATE_MAGIC2_SIZE)
		return 0;
	if (get_user(magic2, (const u32 __user *)(frame + fpu_size)))
		return -EFAULT;
	if (magic2 == FP_XSTATE_MAGIC2)
		*features = sw.xfeatures & boot_cpu_data.xcr0;
	return 0;
}

/*
 * What FXRSTOR/XRSTOR #GP on, as Linux refuses it: MXCSR bits the CPU
 * does not allow; for XRSTOR, XSTATE_BV bits outside XCR0, a compacted
 * format or non-zero reserved header bytes. Checked in software because
 * not every CPU model raises the #GP (QEMU's TCG loads any MXCSR).
 */
static int sigframe_check(const u8 __user *frame, bool xrstor)
{
	u64 hdr[XSAVE_HEADER_SIZE / sizeof(u64)];
	u32 mxcsr;

	if (get_user(mxcsr, (const u32 __user *)(frame + FXSAVE_MXCSR_OFFSET)) ||
	    (mxcsr & ~mxcsr_mask))
		return -EFAULT;
	if (!xrstor)
		return 0;
	if (copy_from_user(hdr, frame + XSAVE_HEADER_OFFSET, sizeof(hdr)) ||
	    (hdr[0] & ~boot_cpu_data.xcr0))
		return -EFAULT;
	for (unsigned int i = 1; i < ARRAY_SIZE(hdr); i++)
		if (hdr[i])
			return -EFAULT;
	return 0;
}

/*
 * Straight from the frame, after sigframe_check(); should the frame change
 * in between (another thread), the #GP is still caught by the fixup and
 * the registers, maybe half loaded, are reset. Components the frame does
 * not hold start from their initial state (XRSTOR leaves those outside its
 * mask alone); an FXSAVE image goes through FXRSTOR.
 */
int fpu_sigframe_restore(const void __user *buf)
{
	u64 features = XFEATURE_MASK_FPSSE;
	bool xrstor;
	int err;

	if (!access_ok(buf, use_xsave() ? fpu_size : FXSAVE_SIZE))
		return -EFAULT;
	if (use_xsave() && sigframe_features(buf, &features))
		return -EFAULT;
	xrstor = features != XFEATURE_MASK_FPSSE;
	if (sigframe_check(buf, xrstor))
		return -EFAULT;
	if (use_xsave() && features != boot_cpu_data.xcr0)
		fpu_restore_init_state();
	err = xrstor ? FPU_USER_INSN("xrstor64", buf, features) : FPU_USER_INSN("fxrstor64", buf, 0);
	if (err)
		fpu_restore_init_state();
	return err;
}
