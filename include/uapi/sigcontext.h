/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 signal context (arch/x86/include/uapi/asm/sigcontext.h,
 * asm-generic/ucontext.h, asm-generic/signal.h's stack_t and sigaction):
 * what a signal frame holds and rt_sigreturn reads back.
 *
 * sigcontext.fpstate points at an XSAVE area (FXSAVE layout first, 512
 * bytes) in the frame; its software-reserved bytes 464..511 hold struct
 * fpx_sw_bytes, and when magic1 says so, magic2 follows the XSAVE data at
 * fpstate + xstate_size.
 */
#ifndef _UAPI_SIGCONTEXT_H
#define _UAPI_SIGCONTEXT_H

#include <uapi/types.h>

#define FP_XSTATE_MAGIC1 0x46505853U
#define FP_XSTATE_MAGIC2 0x46505845U
#define FP_XSTATE_MAGIC2_SIZE 4
#define FXSAVE_SW_BYTES_OFFSET 464	/* inside the 512-byte FXSAVE area */

struct fpx_sw_bytes {
	__u32 magic1;		/* FP_XSTATE_MAGIC1 */
	__u32 extended_size;	/* xstate_size + FP_XSTATE_MAGIC2_SIZE */
	__u64 xfeatures;		/* components present in the area (XCR0 subset) */
	__u32 xstate_size;	/* XSAVE area size, without magic2 */
	__u32 padding[7];
};

struct sigcontext {
	unsigned long r8, r9, r10, r11, r12, r13, r14, r15;
	unsigned long rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	unsigned long rip;
	unsigned long eflags;
	__u16 cs, gs, fs, ss;
	unsigned long err;
	unsigned long trapno;
	unsigned long oldmask;
	unsigned long cr2;
	unsigned long fpstate;		/* user address of the XSAVE area, 0 = none */
	unsigned long reserved1[8];
};

/* stack_t */
struct sigaltstack {
	unsigned long ss_sp;
	int ss_flags;
	int __pad;
	unsigned long ss_size;
};

/* uc_flags */
#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4

struct ucontext {
	unsigned long uc_flags;
	unsigned long uc_link;
	struct sigaltstack uc_stack;
	struct sigcontext uc_mcontext;
	__u64 uc_sigmask;			/* the kernel's 64-signal sigset */
};

/* The struct sigaction rt_sigaction takes (not libc's). */
struct kernel_sigaction {
	unsigned long handler;		/* SIG_DFL, SIG_IGN or a function */
	unsigned long flags;		/* SA_* */
	unsigned long restorer;		/* SA_RESTORER: the code that calls rt_sigreturn */
	__u64 mask;			/* blocked while the handler runs */
};

#endif /* _UAPI_SIGCONTEXT_H */
