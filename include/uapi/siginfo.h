/* SPDX-License-Identifier: MIT */
/*
 * siginfo_t of the Linux 64-bit ABI (asm-generic/siginfo.h): 128 bytes, the
 * three ints, then a union 8-byte aligned at offset 16. Which union member
 * is valid depends on the signal and si_code; only the members this kernel
 * fills are spelled out.
 */
#ifndef _UAPI_SIGINFO_H
#define _UAPI_SIGINFO_H

#include <uapi/types.h>

#define SI_MAX_SIZE 128

struct siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	int __pad0;
	union {
		/* kill, tkill, sigqueue (SI_USER, SI_TKILL, SI_QUEUE) */
		struct {
			int pid;
			__u32 uid;
			unsigned long value;	/* union sigval */
		} rt;
		/* SIGCHLD */
		struct {
			int pid;
			__u32 uid;
			int status;		/* exit code or signal */
			int __pad;
			long utime, stime;	/* clock ticks */
		} chld;
		/* POSIX timers (SI_TIMER) */
		struct {
			int tid;		/* si_timerid */
			int overrun;		/* si_overrun */
			unsigned long value;	/* si_value */
		} timer;
		/* SIGSYS from seccomp (SYS_SECCOMP) */
		struct {
			unsigned long call_addr;	/* si_call_addr */
			int syscall;			/* si_syscall */
			unsigned int arch;		/* si_arch */
		} sys;
		/* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
		struct {
			unsigned long addr;
		} fault;
		char __bytes[SI_MAX_SIZE - 16];
	} f;
};

#endif /* _UAPI_SIGINFO_H */
