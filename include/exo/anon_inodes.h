/* SPDX-License-Identifier: MIT */
/*
 * Files with no inode of their own (epoll, eventfd, timerfd, signalfd), as
 * Linux's anon_inode_getfile: every one sits on one shared inode of the
 * anon_inodefs super block (mode 0600, no file type bits, st_ino shared)
 * and its dentry is named "[@name]" for /proc/PID/fd. The file holds
 * @priv in private_data; its f_op->release frees it.
 */
#ifndef _EXO_ANON_INODES_H
#define _EXO_ANON_INODES_H

#include <exo/fs_types.h>

struct file;
struct file_operations;

/* A new file; @flags are O_RDWR/O_RDONLY plus O_NONBLOCK. ERR_PTR on failure. */
struct file *anon_inode_getfile(const char *name, const struct file_operations *fops, void *priv,
				unsigned int flags);
/* The same installed on a new fd (O_CLOEXEC in @flags): the fd or -errno. */
int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv,
		     unsigned int flags);
/* An lseek that changes nothing and returns the position (always 0 here). */
loff_t noop_llseek(struct file *file, loff_t offset, int whence);

#endif /* _EXO_ANON_INODES_H */
