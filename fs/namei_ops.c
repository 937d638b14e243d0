// SPDX-License-Identifier: MIT
/*
 * Operations on names: mkdir, mknod, rmdir, unlink, link, symlink, rename
 * and their *at forms, plus the create step of open(O_CREAT).
 *
 * Each one walks to the parent of the last component, then takes the
 * parent's i_rwsem exclusive, re-looks up the name under it, checks Linux's
 * rules in Linux's order and calls the file system, which may sleep. The
 * lock makes "check then change" atomic for the names of that directory;
 * rmdir (and a rename over a directory) also locks the victim directory,
 * so that nothing is created in it between the emptiness check and the
 * removal. A rename across directories takes rename_mutex first, which
 * keeps the tree's shape (who is whose ancestor) still, then both parents
 * in lock_rename()'s order: an ancestor before its descendant, else by
 * address.
 *
 * Lock order: rename_mutex -> i_rwsem (parent) -> i_rwsem/1 (second
 * parent) -> i_rwsem/2 (victim directory) -> mount_lock -> dcache_lock ->
 * inode->i_lock.
 */
#include <exo/fs.h>
#include <exo/fsnotify.h>
#include <exo/mount.h>
#include <exo/mutex.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/inotify.h>
#include <uapi/stat.h>
#include "internal.h"

/* Serializes renames across directories: the tree's shape holds still under it. */
static DEFINE_MUTEX(rename_mutex);

static unsigned int cur_umask(void)
{
	struct fs_struct *fs = current_fs_struct();
	unsigned int m;

	spin_lock(&fs->lock);
	m = fs->umask;
	spin_unlock(&fs->lock);
	return m;
}

/* May the caller add a name to @dir? */
static int may_create(struct inode *dir)
{
	if (!dir->i_nlink)
		return -ENOENT;		/* removed directory */
	return inode_permission(current_cred(), dir, MAY_WRITE | MAY_EXEC);
}

static bool is_mountpoint_or_root(struct dentry *d)
{
	return (READ_ONCE(d->d_flags) & DCACHE_MOUNTED) || d_is_root(d);
}

/* May the caller remove @victim from @dir? */
static int may_delete(struct inode *dir, struct dentry *victim, bool isdir)
{
	const struct cred *cred = current_cred();
	struct inode *inode = victim->d_inode;
	int err;

	if (!inode)
		return -ENOENT;
	err = inode_permission(cred, dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if ((dir->i_mode & S_ISVTX) && cred->fsuid != 0 && cred->fsuid != inode->i_uid &&
	    cred->fsuid != dir->i_uid)
		return -EPERM;
	if (isdir) {
		if (!S_ISDIR(inode->i_mode))
			return -ENOTDIR;
		if (is_mountpoint_or_root(victim))
			return -EBUSY;
	} else if (S_ISDIR(inode->i_mode)) {
		return -EISDIR;
	}
	if (is_mountpoint_or_root(victim))
		return -EBUSY;
	return 0;
}

static bool dir_is_empty(struct dentry *d)
{
	struct dentry *c;
	bool empty = true;

	spin_lock(&dcache_lock);
	list_for_each_entry(c, &d->d_subdirs, d_child) {
		if (c->d_inode) {
			empty = false;
			break;
		}
	}
	spin_unlock(&dcache_lock);
	return empty;
}

/*
 * Walks to the parent of @name and looks the last component up under the
 * parent's i_rwsem, which is held (exclusive) on success. *@dentry is
 * referenced (maybe negative). For sparse, the lock context passes to the
 * caller through the macro below, which counts it held only where
 * __lookup_create() returned 0.
 */
#define lookup_create(dfd, name, par, last, dp) ({			\
	int __err = __lookup_create(dfd, name, par, last, dp);		\
	if (!__err)								\
		__acquire(&(par)->dentry->d_inode->i_rwsem);			\
	__err;									\
})
static int __lookup_create(int dfd, const char *name, struct path *parent,
			   struct last_component *last, struct dentry **dentry)
{
	int err = path_parentat(dfd, name, parent, last);

	if (err)
		return err;
	if (last->type != LAST_NORM) {
		path_put(parent);
		return -EEXIST;
	}
	inode_lock(parent->dentry->d_inode);
	*dentry = lookup_one_locked(parent->dentry, last->name, last->len);
	if (IS_ERR(*dentry)) {
		inode_unlock(parent->dentry->d_inode);
		path_put(parent);
		return PTR_ERR(*dentry);
	}
	/* held on return: the lookup_create() macro counts it */
	__release(&parent->dentry->d_inode->i_rwsem);
	return 0;
}

static void done_create(struct path *parent, struct dentry *dentry)
	__releases(&parent->dentry->d_inode->i_rwsem)
{
	inode_unlock(parent->dentry->d_inode);
	dput(dentry);
	path_put(parent);
}

/* The checks shared by every creation, with the parent's i_rwsem held. */
static int create_checks(struct path *parent, struct last_component *last, struct dentry *d,
			 bool isdir)
{
	lockdep_assert_held(&parent->dentry->d_inode->i_rwsem);
	if (d->d_inode)
		return -EEXIST;
	if (last->trailing_slash && !isdir)
		return -ENOENT;
	if (mnt_readonly(parent))
		return -EROFS;
	return may_create(parent->dentry->d_inode);
}

/* open(O_CREAT) of a missing name: @dentry negative, the parent's i_rwsem held. */
int open_create_locked(struct path *parent, struct dentry *dentry, umode_t mode)
{
	struct inode *dir = parent->dentry->d_inode;
	int err;

	lockdep_assert_held(&dir->i_rwsem);
	if (mnt_readonly(parent))
		return -EROFS;
	err = may_create(dir);
	if (err)
		return err;
	if (!dir->i_op || !dir->i_op->create)
		return -EACCES;
	err = dir->i_op->create(dir, dentry, S_IFREG | ((mode & S_IALLUGO) & ~cur_umask()));
	if (!err)
		fsnotify_create(dir, dentry);
	return err;
}

/* mknodat's body; with @out, *@out gets a referenced path to the new node. */
static int __do_mknodat(int dfd, const char *name, umode_t mode, dev_t dev, struct path *out)
{
	struct path parent;
	struct last_component last;
	struct dentry *d;
	struct inode *dir;
	int err;

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (!capable_fs())
			return -EPERM;
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	err = lookup_create(dfd, name, &parent, &last, &d);
	if (err)
		return err;
	dir = parent.dentry->d_inode;
	err = create_checks(&parent, &last, d, false);
	if (!err && (!dir->i_op || !dir->i_op->mknod))
		err = -EPERM;
	if (!err)
		err = dir->i_op->mknod(dir, d, (mode & S_IFMT) | ((mode & S_IALLUGO) & ~cur_umask()),
				       dev);
	if (!err)
		fsnotify_create(dir, d);
	if (!err && out) {
		out->mnt = mntget(parent.mnt);
		out->dentry = dget(d);
	}
	done_create(&parent, d);
	return err;
}

int do_mknodat(int dfd, const char *name, umode_t mode, dev_t dev)
{
	return __do_mknodat(dfd, name, mode, dev, NULL);
}

int vfs_mknod_path(const char *name, umode_t mode, struct path *out)
{
	return __do_mknodat(AT_FDCWD, name, mode, 0, out);
}

int kern_path(const char *name, struct path *out)
{
	return path_lookupat(AT_FDCWD, name, LOOKUP_FOLLOW, out);
}

int do_mkdirat(int dfd, const char *name, umode_t mode)
{
	struct path parent;
	struct last_component last;
	struct dentry *d;
	struct inode *dir;
	int err;

	err = lookup_create(dfd, name, &parent, &last, &d);
	if (err)
		return err;
	dir = parent.dentry->d_inode;
	err = create_checks(&parent, &last, d, true);
	if (!err && (!dir->i_op || !dir->i_op->mkdir))
		err = -EPERM;
	if (!err)
		err = dir->i_op->mkdir(dir, d, S_IFDIR | ((mode & (0777 | S_ISVTX)) & ~cur_umask()));
	if (!err)
		fsnotify_create(dir, d);
	done_create(&parent, d);
	return err;
}

int do_symlinkat(const char *target, int dfd, const char *name)
{
	struct path parent;
	struct last_component last;
	struct dentry *d;
	struct inode *dir;
	int err;

	if (!*target)
		return -ENOENT;
	err = lookup_create(dfd, name, &parent, &last, &d);
	if (err)
		return err;
	dir = parent.dentry->d_inode;
	err = create_checks(&parent, &last, d, false);
	if (!err && (!dir->i_op || !dir->i_op->symlink))
		err = -EPERM;
	if (!err)
		err = dir->i_op->symlink(dir, d, target);
	if (!err)
		fsnotify_create(dir, d);
	done_create(&parent, d);
	return err;
}

int do_linkat(int olddfd, const char *oldname, int newdfd, const char *newname, int flags)
{
	struct path old, parent;
	struct last_component last;
	struct dentry *d;
	struct inode *dir;
	unsigned int lookup_flags = 0;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_FOLLOW)
		lookup_flags |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lookup_flags |= LOOKUP_EMPTY;
	err = path_lookupat(olddfd, oldname, lookup_flags, &old);
	if (err)
		return err;
	err = lookup_create(newdfd, newname, &parent, &last, &d);
	if (err) {
		path_put(&old);
		return err;
	}
	dir = parent.dentry->d_inode;
	err = -EXDEV;
	if (old.mnt != parent.mnt)
		goto out;
	err = create_checks(&parent, &last, d, false);
	if (err)
		goto out;
	err = -EPERM;
	if (S_ISDIR(old.dentry->d_inode->i_mode) || !dir->i_op || !dir->i_op->link)
		goto out;
	err = -ENOENT;
	if (!old.dentry->d_inode->i_nlink)
		goto out;
	err = dir->i_op->link(old.dentry, dir, d);
	if (!err) {
		fsnotify_dentry(old.dentry, IN_ATTRIB);	/* its link count */
		fsnotify_create(dir, d);
	}
out:
	done_create(&parent, d);
	path_put(&old);
	return err;
}

/* unlink and rmdir. */
static int do_remove(int dfd, const char *name, bool isdir)
{
	struct inode *victim = NULL;
	struct path parent;
	struct last_component last;
	struct dentry *d;
	struct inode *dir;
	int err = path_parentat(dfd, name, &parent, &last);

	if (err)
		return err;
	if (last.type != LAST_NORM) {
		if (!isdir)
			err = -EISDIR;
		else if (last.type == LAST_DOT)
			err = -EINVAL;
		else if (last.type == LAST_DOTDOT)
			err = -ENOTEMPTY;
		else
			err = -EBUSY;
		path_put(&parent);
		return err;
	}
	dir = parent.dentry->d_inode;
	inode_lock(dir);
	d = lookup_one_locked(parent.dentry, last.name, last.len);
	if (IS_ERR(d)) {
		inode_unlock(dir);
		path_put(&parent);
		return PTR_ERR(d);
	}
	if (!d->d_inode) {
		err = -ENOENT;
	} else if (!isdir && last.trailing_slash) {
		err = S_ISDIR(d->d_inode->i_mode) ? -EISDIR : -ENOTDIR;
	} else {
		err = may_delete(dir, d, isdir);
		if (!err && mnt_readonly(&parent))
			err = -EROFS;
		if (!err && !(dir->i_op && (isdir ? dir->i_op->rmdir : dir->i_op->unlink)))
			err = -EPERM;
		victim = igrab(d->d_inode);	/* for the hook after the removal */
		if (!err && isdir) {
			/* Nothing may be created in it between the check and the removal. */
			inode_lock_nested(victim, I_MUTEX_CHILD);
			err = dir_is_empty(d) ? dir->i_op->rmdir(dir, d) : -ENOTEMPTY;
			inode_unlock(victim);
		} else if (!err) {
			err = dir->i_op->unlink(dir, d);
		}
		if (!err)
			fsnotify_remove(dir, d, victim);
	}
	inode_unlock(dir);
	if (victim)
		iput(victim);
	dput(d);
	path_put(&parent);
	return err;
}

int do_rmdir(int dfd, const char *name)
{
	return do_remove(dfd, name, true);
}

int do_unlinkat(int dfd, const char *name)
{
	return do_remove(dfd, name, false);
}

/*
 * Is @a an ancestor of @b (or @b itself)? The answer holds while the
 * caller holds rename_mutex (only a cross-directory rename changes it), or
 * while it holds @b's parent's i_rwsem and @a is in that same directory.
 */
static bool is_ancestor(struct dentry *a, struct dentry *b)
{
	bool r = false;

	spin_lock(&dcache_lock);
	for (;;) {
		if (b == a) {
			r = true;
			break;
		}
		if (d_is_root(b))
			break;
		b = b->d_parent;
	}
	spin_unlock(&dcache_lock);
	return r;
}

static int rename_locked(struct path *op, struct last_component *ol, struct path *np,
			 struct last_component *nl, unsigned int flags)
{
	struct inode *odir = op->dentry->d_inode, *ndir = np->dentry->d_inode;
	struct dentry *od, *nd;
	struct inode *victim = NULL, *moved, *target;
	bool odir_is, ndir_is;
	int err;

	lockdep_assert_held(&odir->i_rwsem);
	lockdep_assert_held(&ndir->i_rwsem);
	od = lookup_one_locked(op->dentry, ol->name, ol->len);
	if (IS_ERR(od))
		return PTR_ERR(od);
	nd = lookup_one_locked(np->dentry, nl->name, nl->len);
	if (IS_ERR(nd)) {
		dput(od);
		return PTR_ERR(nd);
	}
	err = -ENOENT;
	if (!od->d_inode)
		goto out;
	odir_is = S_ISDIR(od->d_inode->i_mode);
	err = -ENOTDIR;
	if (!odir_is && (ol->trailing_slash || nl->trailing_slash))
		goto out;
	if (flags & RENAME_EXCHANGE) {
		err = -ENOENT;
		if (!nd->d_inode)
			goto out;
		if (!S_ISDIR(nd->d_inode->i_mode) && (nl->trailing_slash || ol->trailing_slash))
			goto out;
	}
	err = -EEXIST;
	if ((flags & RENAME_NOREPLACE) && nd->d_inode)
		goto out;
	/* Renaming a file onto itself (or another link of it) does nothing. */
	err = 0;
	if (od == nd || od->d_inode == nd->d_inode)
		goto out;
	err = -EINVAL;
	if (is_ancestor(od, np->dentry))
		goto out;
	err = (flags & RENAME_EXCHANGE) ? -EINVAL : -ENOTEMPTY;
	if (nd->d_inode && is_ancestor(nd, op->dentry))
		goto out;
	err = may_delete(odir, od, odir_is);
	if (err)
		goto out;
	if (nd->d_inode) {
		ndir_is = S_ISDIR(nd->d_inode->i_mode);
		err = may_delete(ndir, nd, (flags & RENAME_EXCHANGE) ? ndir_is : odir_is);
		if (err)
			goto out;
		if (!(flags & RENAME_EXCHANGE) && ndir_is) {
			/* Locked until the rename is done: nothing may be created in it. */
			victim = nd->d_inode;
			inode_lock_nested(victim, I_MUTEX_CHILD);
			__release(&victim->i_rwsem);	/* for sparse: held until out: */
			err = -ENOTEMPTY;
			if (!dir_is_empty(nd))
				goto out;
		}
	} else {
		err = may_create(ndir);
		if (err)
			goto out;
	}
	err = -EROFS;
	if (mnt_readonly(op))
		goto out;
	/* A directory changing parent gets its ".." rewritten: it must be writable. */
	if (odir != ndir && odir_is) {
		err = inode_permission(current_cred(), od->d_inode, MAY_WRITE);
		if (err)
			goto out;
	}
	err = -EPERM;
	if (!odir->i_op || !odir->i_op->rename)
		goto out;
	moved = od->d_inode;
	target = (flags & RENAME_EXCHANGE) || !nd->d_inode ? NULL : igrab(nd->d_inode);
	err = odir->i_op->rename(odir, od, ndir, nd, flags);
	if (!err)
		fsnotify_rename(odir, ol->name, ol->len, ndir, nl->name, nl->len, moved, target);
	if (target)
		iput(target);
out:
	if (victim) {
		__acquire(&victim->i_rwsem);
		inode_unlock(victim);
	}
	dput(nd);
	dput(od);
	return err;
}

/*
 * Locks the parents of a rename: one directory, or two in an order every
 * renamer agrees on. Across directories rename_mutex comes first and holds
 * the tree's shape still, so "ancestor" means the same to all: an ancestor
 * is locked before its descendant (as every path walk meets them), two
 * unrelated directories by address. The second is the I_MUTEX_PARENT2
 * class for the validator.
 */
static void lock_rename(struct dentry *p1, struct dentry *p2)
	__acquires(&p1->d_inode->i_rwsem) __acquires(&p2->d_inode->i_rwsem)
{
	struct inode *first = p1->d_inode, *second = p2->d_inode;

	if (p1 == p2) {
		inode_lock(first);
		__acquire(&p2->d_inode->i_rwsem);
		return;
	}
	mutex_lock(&rename_mutex);
	__release(&rename_mutex);	/* counted as the second parent's context */
	if (is_ancestor(p2, p1) ||
	    (!is_ancestor(p1, p2) && (unsigned long)second < (unsigned long)first)) {
		first = p2->d_inode;
		second = p1->d_inode;
	}
	inode_lock(first);
	inode_lock_nested(second, I_MUTEX_PARENT2);
}

static void unlock_rename(struct dentry *p1, struct dentry *p2)
	__releases(&p1->d_inode->i_rwsem) __releases(&p2->d_inode->i_rwsem)
{
	inode_unlock(p1->d_inode);
	if (p1 == p2) {
		__release(&p2->d_inode->i_rwsem);
		return;
	}
	inode_unlock(p2->d_inode);
	__acquire(&rename_mutex);
	mutex_unlock(&rename_mutex);
}

int do_renameat2(int olddfd, const char *oldname, int newdfd, const char *newname,
		 unsigned int flags)
{
	struct path op, np;
	struct last_component ol, nl;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;		/* no overlay file systems to need whiteouts */
	err = path_parentat(olddfd, oldname, &op, &ol);
	if (err)
		return err;
	err = path_parentat(newdfd, newname, &np, &nl);
	if (err)
		goto out_old;
	err = -EXDEV;
	if (op.mnt != np.mnt)
		goto out;
	err = -EBUSY;
	if (ol.type != LAST_NORM || nl.type != LAST_NORM)
		goto out;
	lock_rename(op.dentry, np.dentry);
	err = rename_locked(&op, &ol, &np, &nl, flags);
	unlock_rename(op.dentry, np.dentry);
out:
	path_put(&np);
out_old:
	path_put(&op);
	return err;
}

/* ---- system calls ---------------------------------------------------------- */

SYSCALL_DEFINE3(mkdirat, int, dfd, const char __user *, pathname, umode_t, mode)
{
	return WITH_NAME(pathname, k, do_mkdirat(dfd, k, mode));
}

SYSCALL_DEFINE2(mkdir, const char __user *, pathname, umode_t, mode)
{
	return WITH_NAME(pathname, k, do_mkdirat(AT_FDCWD, k, mode));
}

SYSCALL_DEFINE4(mknodat, int, dfd, const char __user *, filename, umode_t, mode, unsigned int, dev)
{
	/* Linux's new_decode_dev. */
	dev_t d = MKDEV((dev & 0xfff00) >> 8, (dev & 0xff) | ((dev >> 12) & 0xfff00));

	return WITH_NAME(filename, k, do_mknodat(dfd, k, mode, d));
}

SYSCALL_DEFINE3(mknod, const char __user *, filename, umode_t, mode, unsigned int, dev)
{
	dev_t d = MKDEV((dev & 0xfff00) >> 8, (dev & 0xff) | ((dev >> 12) & 0xfff00));

	return WITH_NAME(filename, k, do_mknodat(AT_FDCWD, k, mode, d));
}

SYSCALL_DEFINE1(rmdir, const char __user *, pathname)
{
	return WITH_NAME(pathname, k, do_rmdir(AT_FDCWD, k));
}

SYSCALL_DEFINE1(unlink, const char __user *, pathname)
{
	return WITH_NAME(pathname, k, do_unlinkat(AT_FDCWD, k));
}

SYSCALL_DEFINE3(unlinkat, int, dfd, const char __user *, pathname, int, flag)
{
	if (flag & ~AT_REMOVEDIR)
		return -EINVAL;
	if (flag & AT_REMOVEDIR)
		return WITH_NAME(pathname, k, do_rmdir(dfd, k));
	return WITH_NAME(pathname, k, do_unlinkat(dfd, k));
}

enum two_name_op { OP_SYMLINK, OP_LINK, OP_RENAME };

/* Copies both names in and runs @op on them. */
static long two_names(enum two_name_op op, int olddfd, const char __user *oldname, int newdfd,
		      const char __user *newname, unsigned int flags)
{
	bool old_empty_ok = op == OP_SYMLINK || (op == OP_LINK && (flags & AT_EMPTY_PATH));
	char *ko, *kn;
	long err;

	ko = getname_flags(oldname, old_empty_ok);
	if (IS_ERR(ko))
		return PTR_ERR(ko);
	kn = getname(newname);
	if (IS_ERR(kn)) {
		putname(ko);
		return PTR_ERR(kn);
	}
	if (op == OP_SYMLINK)
		err = do_symlinkat(ko, newdfd, kn);
	else if (op == OP_LINK)
		err = do_linkat(olddfd, ko, newdfd, kn, (int)flags);
	else
		err = do_renameat2(olddfd, ko, newdfd, kn, flags);
	putname(ko);
	putname(kn);
	return err;
}

SYSCALL_DEFINE2(symlink, const char __user *, oldname, const char __user *, newname)
{
	return two_names(OP_SYMLINK, AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

SYSCALL_DEFINE3(symlinkat, const char __user *, oldname, int, newdfd, const char __user *, newname)
{
	return two_names(OP_SYMLINK, AT_FDCWD, oldname, newdfd, newname, 0);
}

SYSCALL_DEFINE5(linkat, int, olddfd, const char __user *, oldname, int, newdfd,
		const char __user *, newname, int, flags)
{
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return two_names(OP_LINK, olddfd, oldname, newdfd, newname, (unsigned int)flags);
}

SYSCALL_DEFINE2(link, const char __user *, oldname, const char __user *, newname)
{
	return two_names(OP_LINK, AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

SYSCALL_DEFINE5(renameat2, int, olddfd, const char __user *, oldname, int, newdfd,
		const char __user *, newname, unsigned int, flags)
{
	return two_names(OP_RENAME, olddfd, oldname, newdfd, newname, flags);
}

SYSCALL_DEFINE4(renameat, int, olddfd, const char __user *, oldname, int, newdfd,
		const char __user *, newname)
{
	return two_names(OP_RENAME, olddfd, oldname, newdfd, newname, 0);
}

SYSCALL_DEFINE2(rename, const char __user *, oldname, const char __user *, newname)
{
	return two_names(OP_RENAME, AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}
