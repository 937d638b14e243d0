/* SPDX-License-Identifier: MIT */
/*
 * Signal numbers, sigaction flags, sigprocmask/sigaltstack constants and
 * si_code values of the Linux x86_64 ABI (asm/signal.h,
 * asm-generic/signal-defs.h, asm-generic/siginfo.h). The structures are in
 * <uapi/siginfo.h> and <uapi/sigcontext.h>.
 */
#ifndef _UAPI_SIGNAL_H
#define _UAPI_SIGNAL_H

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 32
#define SIGRTMAX 64
#define _NSIG 64

/* Handler values of struct sigaction. */
#define SIG_DFL 0UL
#define SIG_IGN 1UL

/* sa_flags */
#define SA_NOCLDSTOP 0x00000001	/* no SIGCHLD when a child stops or continues */
#define SA_NOCLDWAIT 0x00000002	/* children are reaped at exit, wait gives ECHILD */
#define SA_SIGINFO 0x00000004	/* three-argument handler */
#define SA_UNSUPPORTED 0x00000400	/* probe bit: always cleared on read-back */
#define SA_EXPOSE_TAGBITS 0x00000800
#define SA_RESTORER 0x04000000	/* sa_restorer is the return trampoline (x86_64: mandatory) */
#define SA_ONSTACK 0x08000000	/* run on the sigaltstack */
#define SA_RESTART 0x10000000	/* restart interrupted system calls */
#define SA_NODEFER 0x40000000	/* do not block the signal in its own handler */
#define SA_RESETHAND 0x80000000	/* back to SIG_DFL once delivered */

/* rt_sigprocmask how */
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* sigaltstack ss_flags */
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1U << 31)
#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192

/* si_code values every signal may carry (<= 0: sent by a process). */
#define SI_USER 0		/* kill() */
#define SI_KERNEL 0x80		/* the kernel */
#define SI_QUEUE (-1)		/* sigqueue() */
#define SI_TIMER (-2)		/* POSIX timer */
#define SI_MESGQ (-3)
#define SI_ASYNCIO (-4)
#define SI_SIGIO (-5)
#define SI_TKILL (-6)		/* tkill(), tgkill() */

/* struct sigevent: how timer_create and mq_notify tell a process. */
#define SIGEV_SIGNAL	0	/* a signal with sigev_value */
#define SIGEV_NONE	1	/* nothing */
#define SIGEV_THREAD	2	/* user space runs a function (mq_notify: a netlink cookie) */
#define SIGEV_THREAD_ID	4	/* a signal to one thread */

struct sigevent {
	unsigned long sigev_value;	/* union sigval: int or pointer */
	int sigev_signo;		/* SIGEV_THREAD with mq_notify: the netlink socket */
	int sigev_notify;
	union {
		int _pad[12];		/* 64 bytes in all */
		int _tid;		/* SIGEV_THREAD_ID */
	} _sigev_un;
};

/* si_code for SIGSEGV */
#define SEGV_MAPERR 1	/* no mapping at the address */
#define SEGV_ACCERR 2	/* the mapping forbids the access */

/* si_code for SIGBUS */
#define BUS_ADRALN 1
#define BUS_ADRERR 2	/* nonexistent physical address (e.g. a file page past EOF) */
#define BUS_OBJERR 3

/* si_code for SIGILL, SIGFPE, SIGTRAP */
#define ILL_ILLOPC 1
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define FPE_INTOVF 2
#define FPE_FLTDIV 3
#define TRAP_BRKPT 1
#define TRAP_TRACE 2

/* si_code for SIGCHLD */
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

#endif /* _UAPI_SIGNAL_H */
