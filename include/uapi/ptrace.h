/* SPDX-License-Identifier: MIT */
/*
 * ptrace(2): the requests, options, events and structures of the Linux ABI
 * (include/uapi/linux/ptrace.h, and the x86_64 struct user_regs_struct,
 * user_fpregs_struct and struct user offsets of <sys/user.h>).
 */
#ifndef _UAPI_PTRACE_H
#define _UAPI_PTRACE_H

#include <uapi/types.h>

#define PTRACE_TRACEME		0
#define PTRACE_PEEKTEXT		1
#define PTRACE_PEEKDATA		2
#define PTRACE_PEEKUSR		3
#define PTRACE_POKETEXT		4
#define PTRACE_POKEDATA		5
#define PTRACE_POKEUSR		6
#define PTRACE_CONT		7
#define PTRACE_KILL		8
#define PTRACE_SINGLESTEP	9
#define PTRACE_GETREGS		12
#define PTRACE_SETREGS		13
#define PTRACE_GETFPREGS	14
#define PTRACE_SETFPREGS	15
#define PTRACE_ATTACH		16
#define PTRACE_DETACH		17
#define PTRACE_SYSCALL		24
#define PTRACE_ARCH_PRCTL	30	/* x86_64: data an ARCH_* code, addr its argument */
#define PTRACE_SETOPTIONS	0x4200
#define PTRACE_GETEVENTMSG	0x4201
#define PTRACE_GETSIGINFO	0x4202
#define PTRACE_SETSIGINFO	0x4203
#define PTRACE_GETREGSET	0x4204
#define PTRACE_SETREGSET	0x4205
#define PTRACE_SEIZE		0x4206
#define PTRACE_INTERRUPT	0x4207
#define PTRACE_LISTEN		0x4208
#define PTRACE_PEEKSIGINFO	0x4209
#define PTRACE_GETSIGMASK	0x420a
#define PTRACE_SETSIGMASK	0x420b
#define PTRACE_GET_SYSCALL_INFO	0x420e

/* PTRACE_PEEKSIGINFO's addr: which queued signals to copy, without dequeuing them. */
struct ptrace_peeksiginfo_args {
	__u64 off;	/* the first one: its position in the queue */
	__u32 flags;	/* PTRACE_PEEKSIGINFO_SHARED: the process's queue, else the thread's */
	__s32 nr;	/* how many at most */
};
#define PTRACE_PEEKSIGINFO_SHARED	1

/* Events: a stop's wait status is (SIGTRAP | event << 8) << 8 | 0x7f. */
#define PTRACE_EVENT_FORK	1
#define PTRACE_EVENT_VFORK	2
#define PTRACE_EVENT_CLONE	3
#define PTRACE_EVENT_EXEC	4
#define PTRACE_EVENT_VFORK_DONE	5
#define PTRACE_EVENT_EXIT	6
#define PTRACE_EVENT_SECCOMP	7
#define PTRACE_EVENT_STOP	128

#define PTRACE_O_TRACESYSGOOD	1
#define PTRACE_O_TRACEFORK	(1 << PTRACE_EVENT_FORK)
#define PTRACE_O_TRACEVFORK	(1 << PTRACE_EVENT_VFORK)
#define PTRACE_O_TRACECLONE	(1 << PTRACE_EVENT_CLONE)
#define PTRACE_O_TRACEEXEC	(1 << PTRACE_EVENT_EXEC)
#define PTRACE_O_TRACEVFORKDONE	(1 << PTRACE_EVENT_VFORK_DONE)
#define PTRACE_O_TRACEEXIT	(1 << PTRACE_EVENT_EXIT)
#define PTRACE_O_TRACESECCOMP	(1 << PTRACE_EVENT_SECCOMP)
#define PTRACE_O_EXITKILL	(1 << 20)
#define PTRACE_O_SUSPEND_SECCOMP (1 << 21)
#define PTRACE_O_MASK		(0x000000ff | PTRACE_O_EXITKILL | PTRACE_O_SUSPEND_SECCOMP)

/* PTRACE_GET_SYSCALL_INFO */
#define PTRACE_SYSCALL_INFO_NONE	0
#define PTRACE_SYSCALL_INFO_ENTRY	1
#define PTRACE_SYSCALL_INFO_EXIT	2
#define PTRACE_SYSCALL_INFO_SECCOMP	3

struct ptrace_syscall_info {
	__u8 op;			/* PTRACE_SYSCALL_INFO_* */
	__u8 pad[3];
	__u32 arch;			/* AUDIT_ARCH_* */
	__u64 instruction_pointer;
	__u64 stack_pointer;
	union {
		struct {
			__u64 nr;
			__u64 args[6];
		} entry;
		struct {
			__s64 rval;
			__u8 is_error;
		} exit;
		struct {
			__u64 nr;
			__u64 args[6];
			__u32 ret_data;
		} seccomp;
	};
};

/* PTRACE_GETREGSET / SETREGSET: ELF note types (addr), data is a struct iovec. */
#define NT_PRSTATUS	1
#define NT_PRFPREG	2

/* x86_64 (<sys/user.h>): what GETREGS/SETREGS copy; the first 21 are struct pt_regs. */
struct user_regs_struct {
	unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	unsigned long rax, rcx, rdx, rsi, rdi, orig_rax;
	unsigned long rip, cs, eflags, rsp, ss;
	unsigned long fs_base, gs_base;
	unsigned long ds, es, fs, gs;
};

/* The FXSAVE image, 512 bytes: GETFPREGS/SETFPREGS, NT_PRFPREG. */
struct user_fpregs_struct {
	unsigned short cwd, swd, ftw, fop;
	unsigned long rip, rdp;
	unsigned int mxcsr, mxcr_mask;
	unsigned int st_space[32];
	unsigned int xmm_space[64];
	unsigned int padding[24];
};

/* Offsets in struct user that PEEKUSER/POKEUSER take (glibc's layout). */
#define USER_REGS_SIZE		(sizeof(struct user_regs_struct))	/* 216 */
#define USER_DEBUGREG_OFFSET	848	/* u_debugreg[0..7] */
#define USER_STRUCT_SIZE	912	/* sizeof(struct user) */

#endif /* _UAPI_PTRACE_H */
