// SPDX-License-Identifier: MIT
/*
 * Path walk: from a kernel string to a (mount, dentry) pair.
 *
 * A walk starts at the caller's root ("/..."), cwd (AT_FDCWD) or an open
 * directory (dirfd), and resolves one component at a time:
 *  - every directory passed through must be a directory (ENOTDIR) that the
 *    caller may search (EACCES, fsuid/fsgid; root passes);
 *  - components longer than NAME_MAX give ENAMETOOLONG, as do paths of
 *    PATH_MAX bytes or more;
 *  - "." stays, ".." climbs, crossing from a mount's root to its mountpoint,
 *    and never above the walk's root;
 *  - landing on a mountpoint moves to the root of what is mounted there;
 *  - symlinks are followed in the middle of a path always and at its end
 *    when LOOKUP_FOLLOW or a trailing slash asks for it; MAXSYMLINKS (40) in
 *    one walk, at most MAX_NESTED_LINKS inside each other, else ELOOP;
 *    a magic link (/proc/PID/fd/N, exe, cwd, root: get_link_path) is not
 *    read but jumped through, to the very object it names;
 *  - a trailing slash requires the result to be a directory (ENOTDIR);
 *  - openat2's RESOLVE_* flags (LOOKUP_NO_SYMLINKS, NO_MAGICLINKS, NO_XDEV,
 *    BENEATH, IN_ROOT in nd->flags) restrict all of the above: a scoped
 *    walk takes its start as its root, BENEATH makes "/" and ".." at the
 *    root EXDEV, IN_ROOT keeps them there; magic links are EXDEV in a
 *    scoped walk, ELOOP with NO_MAGICLINKS.
 * The walk ends with the last component either resolved (path_lookupat),
 * handed back with its parent (path_parentat) for create, unlink, rename,
 * or opened and created if missing in the same walk (path_openat_create,
 * open(O_CREAT)), where a symlink at the end continues the walk.
 *
 * Locking: a walk first tries path_lookup_lockless(), which takes no
 * reference or lock per component (d_seq and friends; docs/vfs.md
 * "Lockless walk"); failing that, the walk below takes references, never
 * holds a lock across a step;
 * dcache_lock and mount_lock are taken inside d_lookup() and lookup_mnt().
 * A name the dcache does not have is looked up again under the parent's
 * i_rwsem held shared (lookup_slow()), which the file system's ->lookup
 * runs under and may sleep under; O_CREAT holds it exclusive to look up
 * and create the last component.
 */
#include <exo/fs.h>
#include <exo/mount.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/word_at_a_time.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include "internal.h"

struct nameidata {
	struct path path;		/* where the walk stands, referenced */
	struct path root;		/* ".." never climbs above it, referenced */
	struct last_component last;
	const struct cred *cred;
	unsigned int flags;		/* LOOKUP_* restrictions of the whole walk */
	int total_links;
	int depth;
};

static int lookup_last(struct nameidata *nd, unsigned int flags);
static int link_path_walk(const char *name, struct nameidata *nd);

static void nd_init_root(struct nameidata *nd, struct fs_struct *fs)
{
	spin_lock(&fs->lock);
	nd->root = fs->root;
	path_get(&nd->root);
	spin_unlock(&fs->lock);
}

/* nd->path := the walk's relative start, the cwd or @dfd; puts nd->root on error. */
static int path_init_start(int dfd, const char *name, struct nameidata *nd)
{
	struct fs_struct *fs = current_fs_struct();
	struct file *file;

	if (dfd == AT_FDCWD) {
		spin_lock(&fs->lock);
		nd->path = fs->pwd;
		path_get(&nd->path);
		spin_unlock(&fs->lock);
		return 0;
	}
	file = fget(current_files(), (unsigned int)dfd);
	if (!file || dfd < 0) {
		if (file)
			fput(file);
		path_put(&nd->root);
		return -EBADF;
	}
	if (*name && !S_ISDIR(file->f_inode->i_mode)) {
		fput(file);
		path_put(&nd->root);
		return -ENOTDIR;
	}
	nd->path = file->f_path;
	path_get(&nd->path);
	fput(file);
	return 0;
}

static int path_init(int dfd, const char *name, unsigned int flags, struct nameidata *nd)
{
	struct fs_struct *fs = current_fs_struct();
	int err;

	memset(nd, 0, sizeof(*nd));
	nd->cred = current_cred();
	nd->flags = flags & (LOOKUP_NO_SYMLINKS | LOOKUP_NO_MAGICLINKS | LOOKUP_NO_XDEV |
			     LOOKUP_IS_SCOPED);
	if (strnlen(name, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!*name && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	nd_init_root(nd, fs);
	if (!nd->root.dentry) {
		path_put(&nd->root);
		return -ENOENT;		/* before the root is mounted */
	}
	if (nd->flags & LOOKUP_IS_SCOPED) {
		/* The start becomes the root: "/" and ".." stop (IN_ROOT) or fail (BENEATH) there. */
		if (*name == '/' && (nd->flags & LOOKUP_BENEATH)) {
			path_put(&nd->root);
			return -EXDEV;
		}
		err = path_init_start(dfd, name, nd);
		if (err)
			return err;
		path_put(&nd->root);
		nd->root = nd->path;
		path_get(&nd->root);
		return 0;
	}
	if (*name == '/') {
		nd->path = nd->root;
		path_get(&nd->path);
		return 0;
	}
	return path_init_start(dfd, name, nd);
}

static void nd_put(struct nameidata *nd)
{
	if (nd->path.dentry)
		path_put(&nd->path);
	if (nd->root.dentry)
		path_put(&nd->root);
}

void follow_mounts(struct path *path)
{
	struct vfsmount *m;

	while ((m = lookup_mnt(path->mnt, path->dentry))) {
		dput(path->dentry);
		mntput(path->mnt);
		path->mnt = m;
		path->dentry = dget(m->mnt_root);
	}
}

/* follow_mounts() for the walk: RESOLVE_NO_XDEV makes a mount on @path EXDEV. */
static int nd_follow_mounts(struct nameidata *nd, struct path *path)
{
	if (nd->flags & LOOKUP_NO_XDEV) {
		struct vfsmount *m = lookup_mnt(path->mnt, path->dentry);

		if (m) {
			mntput(m);
			return -EXDEV;
		}
		return 0;
	}
	follow_mounts(path);
	return 0;
}

static int follow_dotdot(struct nameidata *nd)
{
	for (;;) {
		struct dentry *parent;
		struct vfsmount *pmnt;

		if (path_equal(&nd->path, &nd->root)) {
			if (nd->flags & LOOKUP_BENEATH)
				return -EXDEV;
			break;
		}
		if (nd->path.dentry != nd->path.mnt->mnt_root) {
			spin_lock(&dcache_lock);
			parent = dget(nd->path.dentry->d_parent);
			spin_unlock(&dcache_lock);
			dput(nd->path.dentry);
			nd->path.dentry = parent;
			break;
		}
		spin_lock(&mount_lock);
		pmnt = nd->path.mnt->mnt_parent;
		if (pmnt == nd->path.mnt) {
			spin_unlock(&mount_lock);
			break;			/* the namespace root: ".." is itself */
		}
		if (nd->flags & LOOKUP_NO_XDEV) {
			spin_unlock(&mount_lock);
			return -EXDEV;
		}
		parent = dget(nd->path.mnt->mnt_mountpoint);
		mntget(pmnt);
		spin_unlock(&mount_lock);
		path_put(&nd->path);
		nd->path.mnt = pmnt;
		nd->path.dentry = parent;
	}
	return nd_follow_mounts(nd, &nd->path);
}

struct dentry *lookup_one_locked(struct dentry *parent, const char *name, unsigned int len)
{
	struct inode *dir = parent->d_inode;
	struct dentry *d, *twin;
	int err;

	lockdep_assert_held(&dir->i_rwsem);
	d = d_lookup(parent, name, len);
	if (d)
		return d;
	d = d_alloc(parent, name, len);
	if (IS_ERR(d))
		return d;
	if (dir->i_op && dir->i_op->lookup) {
		err = dir->i_op->lookup(dir, d);
		if (err) {
			dput(d);
			return ERR_PTR(err);
		}
		/*
		 * Two lookups under the shared lock may both have missed and
		 * both called ->lookup; d_add() hashed only the first dentry
		 * (<exo/dcache.h>): the loser takes the winner's.
		 */
		if (d->d_inode && !(READ_ONCE(d->d_flags) & DCACHE_HASHED)) {
			twin = d_lookup(parent, name, len);
			if (twin) {
				dput(d);
				d = twin;
			}
		}
	}
	return d;
}

/*
 * The slow path of a lookup, for a name the dcache does not have: the
 * file system's ->lookup may create its dentry (procfs makes every dentry
 * that way) and may sleep (a disk file system reads the directory), so it
 * runs under the parent's i_rwsem held shared: changes to the directory
 * wait, other lookups do not. The one place a walk takes a lock.
 */
static struct dentry *lookup_slow(struct dentry *parent, const char *name, unsigned int len)
{
	struct inode *dir = parent->d_inode;
	struct dentry *d;

	inode_lock_shared(dir);
	d = lookup_one_locked(parent, name, len);
	inode_unlock_shared(dir);
	return d;
}

/* A kmalloc'ed copy of the target of the symlink @link, or ERR_PTR. */
static char *link_body(struct nameidata *nd, struct dentry *link)
{
	struct inode *inode = link->d_inode;
	const char *target;
	char *body;
	size_t len;

	if (++nd->total_links > MAXSYMLINKS)
		return ERR_PTR(-ELOOP);
	if (!inode->i_op || !inode->i_op->get_link)
		return ERR_PTR(-EINVAL);
	body = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!body)
		return ERR_PTR(-ENOMEM);
	target = inode->i_op->get_link(inode, body, PATH_MAX);
	if (IS_ERR(target)) {
		kfree(body);
		return (char *)target;
	}
	if (!*target) {
		kfree(body);
		return ERR_PTR(-ENOENT);
	}
	if (target != body) {
		len = strnlen(target, PATH_MAX - 1);
		memcpy(body, target, len);
		body[len] = '\0';
	}
	return body;
}

/*
 * One component. Returns 0 with nd->path moved to it, or 1 when it is a
 * symlink to follow: nd->path stays at the parent and *@link holds the
 * link's dentry (referenced).
 */
static int walk_component(struct nameidata *nd, const char *name, unsigned int len, int type,
			  bool follow, struct dentry **link)
{
	struct path next;
	int err;

	if (type == LAST_DOT || type == LAST_ROOT)
		return 0;
	if (type == LAST_DOTDOT)
		return follow_dotdot(nd);
	next.dentry = d_lookup(nd->path.dentry, name, len);
	if (!next.dentry)
		next.dentry = lookup_slow(nd->path.dentry, name, len);
	if (IS_ERR(next.dentry))
		return PTR_ERR(next.dentry);
	if (!next.dentry->d_inode) {
		dput(next.dentry);
		return -ENOENT;
	}
	next.mnt = mntget(nd->path.mnt);
	err = nd_follow_mounts(nd, &next);
	if (err) {
		path_put(&next);
		return err;
	}
	if (follow && S_ISLNK(next.dentry->d_inode->i_mode)) {
		if (nd->flags & LOOKUP_NO_SYMLINKS) {
			path_put(&next);
			return -ELOOP;
		}
		*link = dget(next.dentry);
		path_put(&next);
		return 1;
	}
	path_put(&nd->path);
	nd->path = next;
	return 0;
}

/*
 * A magic link (get_link_path): nd->path jumps to the object it names,
 * which need not have a name any more (a deleted file) or ever (a pipe).
 * Returns 1 after the jump, 0 for an ordinary symlink, or -errno.
 */
static int nd_jump_link(struct nameidata *nd, struct dentry *link)
{
	struct inode *inode = link->d_inode;
	struct path target;
	int err;

	if (!inode->i_op || !inode->i_op->get_link_path)
		return 0;
	if (nd->flags & LOOKUP_NO_MAGICLINKS)
		return -ELOOP;
	if (++nd->total_links > MAXSYMLINKS)
		return -ELOOP;
	err = inode->i_op->get_link_path(inode, &target);
	if (err)
		return err;
	/* As Linux: a jump is never safe for a scoped walk, and may cross a mount. */
	if ((nd->flags & LOOKUP_IS_SCOPED) ||
	    ((nd->flags & LOOKUP_NO_XDEV) && target.mnt != nd->path.mnt)) {
		path_put(&target);
		return -EXDEV;
	}
	path_put(&nd->path);
	nd->path = target;
	return 1;
}

/*
 * A symlink in the middle of a path: resolve its whole body from the
 * link's directory (nd->path), to the directory the rest of the path
 * continues from. This recurses, at most MAX_NESTED_LINKS deep.
 */
static int follow_link_nested(struct nameidata *nd, struct dentry *link)
{
	char *body;
	int err;

	if (nd->depth >= MAX_NESTED_LINKS)
		return -ELOOP;
	err = nd_jump_link(nd, link);
	if (err)
		return err < 0 ? err : 0;
	body = link_body(nd, link);
	if (IS_ERR(body))
		return PTR_ERR(body);
	nd->depth++;
	err = link_path_walk(body, nd);
	if (!err)
		err = lookup_last(nd, LOOKUP_FOLLOW);
	nd->depth--;
	kfree(body);
	return err;
}

/*
 * Walks every component of @name but the last, which it leaves in nd->last.
 * follow_link() recurses through it for the body of a symlink.
 */
static int link_path_walk(const char *name, struct nameidata *nd)
{
	int err;

	if (*name == '/') {
		/* An absolute symlink: BENEATH forbids it, IN_ROOT's root is the start. */
		if (nd->flags & LOOKUP_BENEATH)
			return -EXDEV;
		if ((nd->flags & LOOKUP_NO_XDEV) && nd->path.mnt != nd->root.mnt)
			return -EXDEV;
		path_put(&nd->path);
		nd->path = nd->root;
		path_get(&nd->path);
		while (*name == '/')
			name++;
	}
	if (!*name) {
		nd->last = (struct last_component){ .name = name, .len = 0, .type = LAST_ROOT };
		return 0;
	}
	for (;;) {
		struct inode *dir = nd->path.dentry->d_inode;
		const char *comp = name;
		unsigned int len = 0;
		bool slash;
		int type = LAST_NORM;
		struct dentry *link;

		if (!dir || !S_ISDIR(dir->i_mode))
			return -ENOTDIR;
		err = inode_permission(nd->cred, dir, MAY_EXEC);
		if (err)
			return err;
		while (name[len] && name[len] != '/')
			len++;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (len == 1 && comp[0] == '.')
			type = LAST_DOT;
		else if (len == 2 && comp[0] == '.' && comp[1] == '.')
			type = LAST_DOTDOT;
		name += len;
		slash = *name == '/';
		while (*name == '/')
			name++;
		if (!*name) {
			nd->last = (struct last_component){ .name = comp, .len = len, .type = type,
							    .trailing_slash = slash };
			return 0;
		}
		err = walk_component(nd, comp, len, type, true, &link);
		if (err == 1) {
			err = follow_link_nested(nd, link);
			dput(link);
		}
		if (err)
			return err;
	}
}

/*
 * Resolves nd->last from nd->path. A symlink at the end is followed by
 * walking its body and looping here, not by recursion, so a chain of
 * MAXSYMLINKS links resolves as in Linux.
 */
static int lookup_last(struct nameidata *nd, unsigned int flags)
{
	struct inode *inode;
	char *body = NULL;
	int err;

	for (;;) {
		bool follow = (flags & LOOKUP_FOLLOW) || nd->last.trailing_slash;
		bool trailing = nd->last.trailing_slash;
		struct dentry *link;
		char *next;

		err = walk_component(nd, nd->last.name, nd->last.len, nd->last.type, follow, &link);
		if (err <= 0)
			break;
		err = nd_jump_link(nd, link);
		if (err) {
			/* A magic link's object is the result itself. */
			dput(link);
			err = err < 0 ? err : 0;
			break;
		}
		next = link_body(nd, link);
		dput(link);
		if (IS_ERR(next)) {
			err = PTR_ERR(next);
			break;
		}
		kfree(body);	/* nd->last pointed into it; it has been consumed */
		body = next;
		err = link_path_walk(body, nd);
		if (err)
			break;
		/* The target is followed to the end; a slash after the link still asks for a directory. */
		flags |= LOOKUP_FOLLOW;
		if (trailing)
			nd->last.trailing_slash = true;
	}
	kfree(body);
	if (err)
		return err;
	inode = nd->path.dentry->d_inode;
	if (!inode)
		return -ENOENT;
	if (((flags & LOOKUP_DIRECTORY) || nd->last.trailing_slash) && !S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	return 0;
}

/*
 * Search permission on a directory for the lockless walk: inode_permission()
 * with MAY_EXEC, reading the mode and owner without i_lock (a chmod racing
 * the walk is ordered before or after it, as with the lock).
 */
static bool may_search_lockless(const struct cred *cred, const struct inode *dir)
{
	umode_t mode = READ_ONCE(dir->i_mode);

	if (cred->fsuid == 0)
		return true;
	if (cred->fsuid == READ_ONCE(dir->i_uid))
		return mode & S_IXUSR;
	if (cred->fsgid == READ_ONCE(dir->i_gid))
		return mode & S_IXGRP;
	return mode & S_IXOTH;
}

/*
 * The length of the component at @name (up to '/' or the end) and, in the
 * same pass, its dentry hash under @parent: a word at a time, each word
 * tested for a '/' or NUL byte (<exo/word_at_a_time.h>). A word is loaded
 * whole only when it lies in the page of its first byte, so the loads past
 * the component's end never touch a page the string does not. Stops after
 * NAME_MAX bytes (the caller refuses those).
 */
unsigned int walk_hash_component(const struct dentry *parent, const char *name,
				 unsigned int *hashp)
{
	u64 h = d_hash_init(parent);
	unsigned int len = 0;

	for (;;) {
		const char *p = name + len;
		unsigned long w, stop;

		if (((unsigned long)p & (PAGE_SIZE - 1)) <= PAGE_SIZE - 8) {
			__builtin_memcpy(&w, p, 8);
		} else {
			w = 0;
			for (unsigned int i = 0; i < 8 && p[i] && p[i] != '/'; i++)
				w |= (unsigned long)(u8)p[i] << (8 * i);
		}
		stop = ((w - WORD_ONE_BYTES) & ~w) |
		       (((w ^ (WORD_ONE_BYTES * '/')) - WORD_ONE_BYTES) & ~(w ^ (WORD_ONE_BYTES * '/')));
		stop &= WORD_HIGH_BYTES;
		if (stop) {
			/* The lowest flag of each test is exact, so theirs is too. */
			unsigned int n = (unsigned int)__builtin_ctzl(stop) >> 3;

			if (n) {
				len += n;
				h = d_hash_tail(h, w & ((1UL << (8 * n)) - 1), len);
			}
			break;
		}
		h = d_hash_word(h, w);
		len += 8;
		if (len > NAME_MAX)
			break;
	}
	*hashp = d_hash_fold(h);
	return len;
}

/*
 * The lockless walk (Linux's RCU walk; docs/vfs.md "Lockless walk"): every
 * component from the dcache without a reference or lock, each step
 * checked with the d_seq of the directory it leaves and of the child it
 * finds, and references taken only on the result, after which d_seq,
 * rename_seq and mount_seq must not have moved. Nothing it reads is freed
 * before dcache_walk_end() (dcache_sync_walkers()). Returns 0 with *@out
 * referenced, or -EAGAIN for everything else, which the reference-taking
 * walk then does from the start: a name the dcache does not have or has
 * negative, "..", a symlink to follow, a component too long, a directory
 * we may not search, any change seen under us. Errors are the slow walk's
 * to report, so both walks give the same ones.
 */
static int path_lookup_lockless(int dfd, const char *name, unsigned int flags,
				struct path *out)
{
	struct task *t = current;
	struct fs_struct *fs;
	const struct cred *cred;
	const char *start = name;
	struct file *dirf = NULL;
	struct walk_mark *mark;
	unsigned int seq, rseq, mseq;
	struct vfsmount *mnt;
	struct dentry *d;
	struct inode *inode;
	bool trailing = false;

	/* current_fs_struct() and current_cred() without the calls: a task's own. */
	if (!t || !t->fs)
		return -EAGAIN;
	fs = t->fs;
	cred = &t->cred;
	if (*name != '/' && dfd != AT_FDCWD) {
		if (dfd < 0)
			return -EAGAIN;
		dirf = fget(current_files(), (unsigned int)dfd);
		if (!dirf)
			return -EAGAIN;
	}
	mark = dcache_walk_begin();
	rseq = READ_ONCE(rename_seq);
	mseq = READ_ONCE(mount_seq);
	if (dirf) {
		mnt = dirf->f_path.mnt;
		d = dirf->f_path.dentry;
	} else {
		/* fs->seq instead of fs->lock: a chdir() racing us moves it. */
		const struct path *from = *name == '/' ? &fs->root : &fs->pwd;
		unsigned int fseq = __atomic_load_n(&fs->seq, __ATOMIC_ACQUIRE);

		mnt = READ_ONCE(from->mnt);
		d = READ_ONCE(from->dentry);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if ((fseq & 1) || READ_ONCE(fs->seq) != fseq)
			goto fail;
	}
	if (!d || (rseq & 1))
		goto fail;
	seq = d_seq_read(d);
	if (seq & 1)
		goto fail;
	while (*name == '/')
		name++;
	if (!*name)
		goto fail;		/* "/": rare, and the slow walk knows LAST_ROOT */
	for (;;) {
		const char *comp = name;
		unsigned int len, cseq, hash;
		struct dentry *child;

		inode = READ_ONCE(d->d_inode);
		if (!inode || !S_ISDIR(inode->i_mode) || !may_search_lockless(cred, inode))
			goto fail;
		len = walk_hash_component(d, comp, &hash);
		name += len;
		if (len > NAME_MAX || (comp[0] == '.' && (len == 1 || (len == 2 && comp[1] == '.'))))
			goto fail;
		if (*name == '/') {
			trailing = true;
			while (*name == '/')
				name++;
		}
		child = __d_lookup_walk(d, comp, len, hash, &cseq);
		/* The directory still held the child when we found it. */
		if (!child || d_seq_changed(d, seq))
			goto fail;
		d = child;
		seq = cseq;
		inode = READ_ONCE(d->d_inode);
		if (!inode)
			goto fail;		/* negative: ENOENT, or a create, is the slow walk's */
		while (READ_ONCE(d->d_flags) & DCACHE_MOUNTED) {
			struct vfsmount *m = lookup_mnt_walk(mnt, d);

			if (!m)
				break;
			if (d_seq_changed(d, seq))
				goto fail;
			mnt = m;
			d = m->mnt_root;
			seq = d_seq_read(d);
			inode = READ_ONCE(d->d_inode);
			if (!inode || (seq & 1))
				goto fail;
		}
		if (!*name)
			break;
		trailing = false;
	}
	/* The last component: a symlink to follow and a file that must be a directory go slow. */
	if (S_ISLNK(inode->i_mode) ? (flags & LOOKUP_FOLLOW) || trailing :
	    ((flags & LOOKUP_DIRECTORY) || trailing) && !S_ISDIR(inode->i_mode))
		goto fail;
	if (name - start >= PATH_MAX || !dget_unless_dead(d))
		goto fail;
	mntget(mnt);
	if (d_seq_changed(d, seq) || READ_ONCE(rename_seq) != rseq ||
	    READ_ONCE(mount_seq) != mseq) {
		dcache_walk_end(mark);
		dput(d);
		mntput(mnt);
		goto fail_out;
	}
	dcache_walk_end(mark);
	if (dirf)
		fput(dirf);
	out->mnt = mnt;
	out->dentry = d;
	return 0;
fail:
	dcache_walk_end(mark);
fail_out:
	if (dirf)
		fput(dirf);
	return -EAGAIN;
}

int path_lookupat(int dfd, const char *name, unsigned int flags, struct path *out)
{
	struct nameidata nd;
	int err;

	if (!(flags & ~(LOOKUP_FOLLOW | LOOKUP_DIRECTORY | LOOKUP_EMPTY)) && *name &&
	    !path_lookup_lockless(dfd, name, flags, out))
		return 0;
	err = path_init(dfd, name, flags, &nd);
	if (err)
		return err;
	err = link_path_walk(name, &nd);
	if (!err)
		err = lookup_last(&nd, flags);
	if (!err) {
		*out = nd.path;
		nd.path.dentry = NULL;
	}
	nd_put(&nd);
	return err;
}

/*
 * open(O_CREAT) in one walk: the last component is looked up, and created
 * when missing, under the parent's i_rwsem held exclusive (two creators of
 * one name: one creates, the other opens what it made, or gets EEXIST with
 * O_EXCL). A symlink at the end is followed by walking its body and
 * looping here, so a dangling link creates its target, as on Linux; O_EXCL
 * never follows it (EEXIST), O_NOFOLLOW refuses it (ELOOP), and more than
 * MAXSYMLINKS links is ELOOP. On success *@out is referenced and
 * *@created says whether this call made the file.
 */
int path_openat_create(int dfd, const char *name, int flags, umode_t mode, unsigned int lookup,
		       struct path *out, bool *created)
{
	struct nameidata nd;
	char *body = NULL;
	int err = path_init(dfd, name, lookup, &nd);

	if (err)
		return err;
	err = link_path_walk(name, &nd);
	while (!err) {
		struct inode *dir = nd.path.dentry->d_inode;
		struct dentry *d, *link;
		struct path next;
		char *b;

		if (nd.last.type != LAST_NORM || nd.last.trailing_slash) {
			err = -EISDIR;
			break;
		}
		/* Fast path: a positive dentry in the dcache needs no lock. */
		d = d_lookup(nd.path.dentry, nd.last.name, nd.last.len);
		if (!d || !d->d_inode) {
			dput(d);
			inode_lock(dir);
			d = lookup_one_locked(nd.path.dentry, nd.last.name, nd.last.len);
			if (!IS_ERR(d) && !d->d_inode) {
				err = open_create_locked(&nd.path, d, mode);
				inode_unlock(dir);
				if (err) {
					dput(d);
					break;
				}
				*created = true;
				out->mnt = mntget(nd.path.mnt);
				out->dentry = d;
				break;
			}
			inode_unlock(dir);
			if (IS_ERR(d)) {
				err = PTR_ERR(d);
				break;
			}
		}
		if (flags & O_EXCL) {
			dput(d);
			err = -EEXIST;
			break;
		}
		next.mnt = mntget(nd.path.mnt);
		next.dentry = d;
		follow_mounts(&next);
		if (!S_ISLNK(next.dentry->d_inode->i_mode)) {
			path_put(&nd.path);
			nd.path = next;
			err = S_ISDIR(next.dentry->d_inode->i_mode) ? -EISDIR : 0;
			if (!err) {
				*out = nd.path;
				nd.path.dentry = NULL;
			}
			break;
		}
		/* A symlink at the end: the walk goes on through it. */
		link = dget(next.dentry);
		path_put(&next);
		if (flags & O_NOFOLLOW) {
			dput(link);
			err = -ELOOP;
			break;
		}
		err = nd_jump_link(&nd, link);
		if (err) {
			/* A magic link's object is the file itself. */
			dput(link);
			if (err > 0) {
				err = 0;
				*out = nd.path;
				nd.path.dentry = NULL;
			}
			break;
		}
		b = link_body(&nd, link);
		dput(link);
		if (IS_ERR(b)) {
			err = PTR_ERR(b);
			break;
		}
		kfree(body);	/* nd.last pointed into it; it has been consumed */
		body = b;
		err = link_path_walk(body, &nd);
	}
	kfree(body);
	nd_put(&nd);
	return err;
}

int path_parentat(int dfd, const char *name, struct path *parent, struct last_component *last)
{
	struct nameidata nd;
	int err = path_init(dfd, name, 0, &nd);

	if (err)
		return err;
	err = link_path_walk(name, &nd);
	if (!err) {
		*parent = nd.path;
		*last = nd.last;
		nd.path.dentry = NULL;
	}
	nd_put(&nd);
	return err;
}
