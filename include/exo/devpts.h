/* SPDX-License-Identifier: MIT */
/*
 * devpts (fs/devpts/): the file system on /dev/pts that names the slave
 * side of each pseudo-terminal pair (drivers/tty/pty.c) as /dev/pts/N
 * (char 136:N), plus /dev/pts/ptmx (char 5:2). It is one instance, mounted
 * by the kernel at boot; every later mount shows the same tree and applies
 * its options (ptmxmode=, mode=, gid=, uid=) to the instance.
 *
 * The pty driver owns each slave's inode: devpts_pty_new() makes it when a
 * pair is opened through /dev/ptmx, owned by the opener (Linux's rule, or
 * the uid=/gid= options), and the driver drops it with iput() when the
 * master closes; lookups find it through pty_devpts_inode().
 */
#ifndef _EXO_DEVPTS_H
#define _EXO_DEVPTS_H

#include <exo/types.h>

struct inode;

/* Device numbers of Linux's Unix98 ptys. */
#define PTMX_MAJOR		5
#define PTMX_MINOR		2
#define UNIX98_PTY_SLAVE_MAJOR	136

/* A new inode for /dev/pts/@index, referenced; or ERR_PTR(-ENOMEM). */
struct inode *devpts_pty_new(unsigned int index);

/* pty.c: the inode of live slave @index with a new reference, or NULL. */
struct inode *pty_devpts_inode(unsigned int index);
/* pty.c: the smallest live slave index >= @from, or -1. */
int pty_next_index(unsigned int from);

#endif /* _EXO_DEVPTS_H */
