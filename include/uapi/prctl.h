/* SPDX-License-Identifier: MIT */
/* prctl(2) options: Linux's numbers (include/uapi/linux/prctl.h). */
#ifndef _UAPI_PRCTL_H
#define _UAPI_PRCTL_H

#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_GET_DUMPABLE		3
#define PR_SET_DUMPABLE		4
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_GET_SECCOMP		21
#define PR_SET_SECCOMP		22
#define PR_CAPBSET_READ		23
#define PR_GET_TIMERSLACK	30
#define PR_SET_TIMERSLACK	29
#define PR_SET_CHILD_SUBREAPER	36
#define PR_GET_CHILD_SUBREAPER	37
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39

#define SUID_DUMP_DISABLE	0
#define SUID_DUMP_USER		1

/* arch_prctl(2) codes, x86_64 (asm/prctl.h); also PTRACE_ARCH_PRCTL's data. */
#define ARCH_SET_GS		0x1001
#define ARCH_SET_FS		0x1002
#define ARCH_GET_FS		0x1003
#define ARCH_GET_GS		0x1004

#endif
