/* SPDX-License-Identifier: MIT */
/*
 * System V IPC (ipc/{util,shm,sem,msg}.c) as the rest of the kernel sees it:
 * the semaphore undo list's fork and exit hooks, and the /proc files.
 * Shared memory needs no hook: attachments are mappings, so fork, exec and
 * exit attach and detach through the VMAs' file references.
 */
#ifndef _EXO_IPC_H
#define _EXO_IPC_H

#include <exo/types.h>

struct seq_file;
struct task;

#ifdef CONFIG_SYSVIPC
/*
 * fork: with CLONE_SYSVSEM the child shares @parent's SEM_UNDO list (one
 * more reference), else it starts with none. 0 (nothing can fail).
 */
int copy_semundo(struct task *child, struct task *parent, u64 clone_flags);
/* exit: drops @t's reference to its undo list; the last one applies the adjustments. */
void exit_sem(struct task *t);

/* /proc/sysvipc/{shm,sem,msg}: Linux's header and one line per object. */
int sysvipc_shm_show(struct seq_file *m);
int sysvipc_sem_show(struct seq_file *m);
int sysvipc_msg_show(struct seq_file *m);

/*
 * /proc/sys/kernel/{shmmax,shmall,shmmni,sem,msgmax,msgmnb,msgmni}, by file
 * name: show prints the value as Linux does; write (root only, else -EPERM)
 * parses a whole write and returns @len or -EINVAL.
 */
int ipc_sysctl_show(const char *name, struct seq_file *m);
ssize_t ipc_sysctl_write(const char *name, const char *buf, size_t len);
#else
static inline int copy_semundo(struct task *child, struct task *parent, u64 clone_flags)
{
	return 0;
}
static inline void exit_sem(struct task *t)
{
}
#endif

#endif /* _EXO_IPC_H */
