/* SPDX-License-Identifier: MIT */
/* Signal numbers and si_code values the kernel raises (Linux asm/signal.h, asm-generic/siginfo.h). */
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
#define SIGCHLD 17

/* si_code for SIGSEGV */
#define SEGV_MAPERR 1	/* no mapping at the address */
#define SEGV_ACCERR 2	/* the mapping forbids the access */

/* si_code for SIGBUS */
#define BUS_ADRALN 1
#define BUS_ADRERR 2	/* nonexistent physical address (e.g. a file page past EOF) */
#define BUS_OBJERR 3

#endif /* _UAPI_SIGNAL_H */
