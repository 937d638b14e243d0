/* SPDX-License-Identifier: MIT */
/* Signal numbers and si_code values of the Linux x86_64 ABI (asm/signal.h, asm-generic/siginfo.h). */
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
#define _NSIG 64

/* si_code for SIGSEGV */
#define SEGV_MAPERR 1	/* no mapping at the address */
#define SEGV_ACCERR 2	/* the mapping forbids the access */

/* si_code for SIGBUS */
#define BUS_ADRALN 1
#define BUS_ADRERR 2	/* nonexistent physical address (e.g. a file page past EOF) */
#define BUS_OBJERR 3

#define ILL_ILLOPN 2
#define FPE_INTDIV 1
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
