/* SPDX-License-Identifier: MIT */
/* Process credentials: the Linux real/effective/saved/filesystem ids. */
#ifndef _EXO_CRED_H
#define _EXO_CRED_H

#include <exo/types.h>

struct cred {
	u32 uid, euid, suid, fsuid;
	u32 gid, egid, sgid, fsgid;
};

/* Every capability Linux 6.x has (0 to CAP_LAST_CAP, 40). */
#define CAP_FULL_SET 0x000001ffffffffffULL

/*
 * Exo-OS keeps no capability sets: privilege is euid 0, so the effective
 * and permitted sets are what Linux gives a process that never dropped
 * any: all of them for euid 0, none otherwise.
 */
static inline u64 cred_capabilities(const struct cred *c)
{
	return c->euid == 0 ? CAP_FULL_SET : 0;
}

/* The calling task is privileged (euid 0: Exo-OS's one privilege, every capability). */
bool capable_root(void);

struct task;
/*
 * Whether the caller may inspect or modify @t as a debugger would (Linux's
 * ptrace_may_access with REALCREDS): its own thread group, root, or a
 * caller whose real uid and gid equal all three of @t's.
 */
bool cred_may_ptrace(const struct task *t);

#endif /* _EXO_CRED_H */
