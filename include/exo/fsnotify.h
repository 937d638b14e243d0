/* SPDX-License-Identifier: MIT */
/*
 * The VFS's hooks into inotify (fs/notify/inotify.c). Each is one call at
 * the place a change happens, after it succeeded; each costs one load
 * while no watch exists anywhere. Callers hold what keeps the dentries and
 * inodes they pass alive (a path reference, a locked parent); the hooks
 * take no VFS lock and may be called with i_rwsem held.
 */
#ifndef _EXO_FSNOTIFY_H
#define _EXO_FSNOTIFY_H

#include <exo/types.h>

struct dentry;
struct file;
struct inode;

extern int inotify_nr_watches;	/* [atomic] all watches of all inotify fds */
/* /proc/sys/fs/inotify knobs: [atomic] */
extern int inotify_max_queued_events;	/* events per inotify fd before IN_Q_OVERFLOW */
extern int inotify_max_user_watches;	/* watches of all fds together (ENOSPC past it) */

void __fsnotify_dentry(struct dentry *dentry, u32 mask);
void __fsnotify_create(struct inode *dir, struct dentry *dentry);
void __fsnotify_remove(struct inode *dir, struct dentry *dentry, struct inode *victim);
void __fsnotify_rename(struct inode *odir, const char *oname, unsigned int olen,
		       struct inode *ndir, const char *nname, unsigned int nlen,
		       struct inode *moved, struct inode *target);
void __fsnotify_close(struct file *file);

static inline bool fsnotify_active(void)
{
	return __atomic_load_n(&inotify_nr_watches, __ATOMIC_RELAXED) != 0;
}

/* @dentry's inode changed (IN_ACCESS, IN_MODIFY, IN_ATTRIB, IN_OPEN): its watches and its parent's. */
static inline void fsnotify_dentry(struct dentry *dentry, u32 mask)
{
	if (fsnotify_active())
		__fsnotify_dentry(dentry, mask);
}

/* A name was created in @dir (IN_CREATE). */
static inline void fsnotify_create(struct inode *dir, struct dentry *dentry)
{
	if (fsnotify_active())
		__fsnotify_create(dir, dentry);
}

/* @dentry was unlinked from @dir: IN_DELETE, and IN_DELETE_SELF when @victim has no link left. */
static inline void fsnotify_remove(struct inode *dir, struct dentry *dentry, struct inode *victim)
{
	if (fsnotify_active())
		__fsnotify_remove(dir, dentry, victim);
}

/* A rename: IN_MOVED_FROM/IN_MOVED_TO with one cookie, IN_MOVE_SELF; @target is what it replaced. */
static inline void fsnotify_rename(struct inode *odir, const char *oname, unsigned int olen,
				   struct inode *ndir, const char *nname, unsigned int nlen,
				   struct inode *moved, struct inode *target)
{
	if (fsnotify_active())
		__fsnotify_rename(odir, oname, olen, ndir, nname, nlen, moved, target);
}

/* The last reference to @file went: IN_CLOSE_WRITE or IN_CLOSE_NOWRITE. */
static inline void fsnotify_close(struct file *file)
{
	if (fsnotify_active())
		__fsnotify_close(file);
}

#endif /* _EXO_FSNOTIFY_H */
