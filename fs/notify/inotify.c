// SPDX-License-Identifier: MIT
/*
 * inotify: watches on inodes and an fd that reads their events.
 *
 * inotify_init1() makes a group (an anonymous-inode file); add_watch puts
 * a watch (wd, mask) of the group on an inode, holding a reference to the
 * inode; the VFS hooks (<exo/fsnotify.h>) queue a struct inotify_event on
 * each group whose watch wants the event: the inode's own watches get it
 * without a name, the parent directory's with the child's name (so a
 * directory watch sees IN_CREATE, IN_DELETE, IN_MOVED_* of its entries and
 * IN_ACCESS/IN_MODIFY/IN_ATTRIB/IN_OPEN/IN_CLOSE_* of its files). As Linux:
 * an event identical to the last one queued (and unread) is merged into it;
 * past max_queued_events one IN_Q_OVERFLOW (wd -1) ends the queue; a
 * removed watch (rm_watch, IN_ONESHOT after its event, the inode's last
 * link gone: IN_DELETE_SELF) queues IN_IGNORED. A read returns whole
 * events, EINVAL if the first does not fit.
 *
 * Differences from Linux: IN_DELETE_SELF is sent when the last link goes,
 * not when the last open file of the inode closes; IN_UNMOUNT is never
 * sent; max_user_watches counts all users' watches together and
 * max_user_instances is not there (/proc/sys/fs/inotify has the other two).
 *
 * Locking: inotify_lock (a spinlock) guards every watch list and every
 * group's queue; it is taken inside i_rwsem (the hooks run under it) and
 * around the groups' wait-queue locks, which are leaves. Events are
 * allocated under it (GFP_ATOMIC); user copies and iput() happen after it
 * is dropped.
 */
#include <exo/anon_inodes.h>
#include <exo/dcache.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/fsnotify.h>
#include <exo/list.h>
#include <exo/poll.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/inotify.h>
#include <uapi/ioctls.h>
#include <uapi/stat.h>
#include "../internal.h"

#define INOTIFY_ALL_BITS	(IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | \
				 IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | \
				 IN_MASK_ADD | IN_ISDIR | IN_ONESHOT)

struct inotify_group {
	struct wait_queue_head wq;	/* readers and pollers */
	struct list_head events;	/* [inotify_lock] oldest first */
	unsigned int queued;		/* [inotify_lock] events on the list */
	unsigned int bytes;		/* [inotify_lock] their size as read() returns them */
	struct list_head watches;	/* [inotify_lock] */
	int last_wd;			/* [inotify_lock] */
};

struct inotify_watch {
	struct list_head node;		/* [inotify_lock] on inotify_watches */
	struct list_head gnode;		/* [inotify_lock] on group->watches */
	struct inotify_group *group;	/* [immutable] */
	struct inode *inode;		/* [immutable] referenced */
	int wd;				/* [immutable] */
	u32 mask;			/* [inotify_lock] */
};

struct inotify_kevent {
	struct list_head node;
	struct inotify_event ev;	/* followed by ev.len bytes of name */
};

static DEFINE_SPINLOCK(inotify_lock);
static LIST_HEAD(inotify_watches);
int inotify_nr_watches;
int inotify_max_queued_events = 16384;
int inotify_max_user_watches = 65536;
static u32 inotify_cookie;		/* [atomic] */

static const struct file_operations inotify_fops;

static size_t kevent_size(const struct inotify_kevent *k)
{
	return sizeof(struct inotify_event) + k->ev.len;
}

/* Queues one event on @g; the caller wakes @g's readers. */
static void queue_event_locked(struct inotify_group *g, int wd, u32 mask, u32 cookie,
			       const char *name, unsigned int len)
{
	u32 padded = len ? ALIGN(len + 1, sizeof(struct inotify_event)) : 0;
	struct inotify_kevent *k, *last = NULL;

	assert_spin_locked(&inotify_lock);
	if (!list_empty(&g->events))
		last = container_of(g->events.prev, struct inotify_kevent, node);
	if (last && last->ev.mask == IN_Q_OVERFLOW)
		return;
	if (last && last->ev.wd == wd && last->ev.mask == mask && last->ev.cookie == cookie &&
	    last->ev.len == padded && (!len || !strcmp(last->ev.name, name)))
		return;		/* merged */
	if (g->queued >= (unsigned int)__atomic_load_n(&inotify_max_queued_events,
						       __ATOMIC_RELAXED)) {
		wd = -1;
		mask = IN_Q_OVERFLOW;
		cookie = 0;
		len = padded = 0;
	}
	k = kzalloc(sizeof(*k) + padded, GFP_ATOMIC);
	if (!k)
		return;
	k->ev = (struct inotify_event){ .wd = wd, .mask = mask, .cookie = cookie, .len = padded };
	if (len)
		memcpy(k->ev.name, name, len);
	list_add_tail(&k->node, &g->events);
	g->queued++;
	g->bytes += (unsigned int)kevent_size(k);
}

/* Takes @w off its lists and queues IN_IGNORED; the caller iput()s w->inode and frees @w. */
static void watch_remove_locked(struct inotify_watch *w)
{
	list_del(&w->node);
	list_del(&w->gnode);
	__atomic_fetch_sub(&inotify_nr_watches, 1, __ATOMIC_RELAXED);
	queue_event_locked(w->group, w->wd, IN_IGNORED, 0, NULL, 0);
	wake_up(&w->group->wq);
}

static void watch_free(struct inotify_watch *w)
{
	iput(w->inode);
	kfree(w);
}

/*
 * Delivers @mask on @inode to the watches that want it; @remove ends every
 * watch of @inode afterwards (IN_DELETE_SELF).
 */
static void notify_inode(struct inode *inode, u32 mask, u32 cookie, const char *name,
			 unsigned int len, bool remove)
{
	struct inotify_watch *w, *tmp;
	LIST_HEAD(dead);

	spin_lock(&inotify_lock);
	list_for_each_entry_safe(w, tmp, &inotify_watches, node) {
		bool end = remove;

		if (w->inode != inode)
			continue;
		if (w->mask & mask & IN_ALL_EVENTS) {
			queue_event_locked(w->group, w->wd, mask, cookie, name, len);
			wake_up(&w->group->wq);
			end = end || (w->mask & IN_ONESHOT);
		}
		if (end) {
			watch_remove_locked(w);
			list_add(&w->node, &dead);
		}
	}
	spin_unlock(&inotify_lock);
	list_for_each_entry_safe(w, tmp, &dead, node)
		watch_free(w);
}

/* Copies @d's name and returns its parent's inode (kept alive by @d). */
static struct inode *dentry_parent_name(struct dentry *d, char *name, unsigned int *len)
{
	struct inode *dir = NULL;

	spin_lock(&dcache_lock);
	if (d->d_parent != d) {
		dir = d->d_parent->d_inode;
		*len = d->d_len;
		memcpy(name, d->d_name, d->d_len);
		name[d->d_len] = '\0';
	}
	spin_unlock(&dcache_lock);
	return dir;
}

void __fsnotify_dentry(struct dentry *dentry, u32 mask)
{
	struct inode *inode = dentry->d_inode, *dir;
	char name[NAME_MAX + 1];
	unsigned int len = 0;

	if (!inode)
		return;
	if (S_ISDIR(inode->i_mode))
		mask |= IN_ISDIR;
	dir = dentry_parent_name(dentry, name, &len);
	if (dir)
		notify_inode(dir, mask, 0, name, len, false);
	notify_inode(inode, mask, 0, NULL, 0, false);
}

void __fsnotify_create(struct inode *dir, struct dentry *dentry)
{
	char name[NAME_MAX + 1];
	unsigned int len = 0;
	u32 mask = IN_CREATE;

	if (dentry->d_inode && S_ISDIR(dentry->d_inode->i_mode))
		mask |= IN_ISDIR;
	dentry_parent_name(dentry, name, &len);
	notify_inode(dir, mask, 0, name, len, false);
}

void __fsnotify_remove(struct inode *dir, struct dentry *dentry, struct inode *victim)
{
	char name[NAME_MAX + 1];
	unsigned int len = 0;
	u32 isdir = S_ISDIR(victim->i_mode) ? IN_ISDIR : 0;

	dentry_parent_name(dentry, name, &len);
	if (!isdir)
		notify_inode(victim, IN_ATTRIB, 0, NULL, 0, false);	/* its link count */
	notify_inode(dir, IN_DELETE | isdir, 0, name, len, false);
	if (!READ_ONCE(victim->i_nlink) || isdir)
		notify_inode(victim, IN_DELETE_SELF, 0, NULL, 0, true);
}

void __fsnotify_rename(struct inode *odir, const char *oname, unsigned int olen,
		       struct inode *ndir, const char *nname, unsigned int nlen,
		       struct inode *moved, struct inode *target)
{
	u32 cookie = __atomic_add_fetch(&inotify_cookie, 1, __ATOMIC_RELAXED);
	u32 isdir = S_ISDIR(moved->i_mode) ? IN_ISDIR : 0;
	char on[NAME_MAX + 1], nn[NAME_MAX + 1];

	memcpy(on, oname, olen);
	on[olen] = '\0';
	memcpy(nn, nname, nlen);
	nn[nlen] = '\0';
	notify_inode(odir, IN_MOVED_FROM | isdir, cookie, on, olen, false);
	notify_inode(ndir, IN_MOVED_TO | isdir, cookie, nn, nlen, false);
	notify_inode(moved, IN_MOVE_SELF, 0, NULL, 0, false);
	if (target && (!READ_ONCE(target->i_nlink) || S_ISDIR(target->i_mode)))
		notify_inode(target, IN_DELETE_SELF, 0, NULL, 0, true);
}

void __fsnotify_close(struct file *file)
{
	if (file->f_op == &inotify_fops || (file->f_mode & FMODE_PATH))
		return;
	__fsnotify_dentry(file->f_path.dentry,
			  (file->f_mode & FMODE_WRITE) ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE);
}

/* ---- the inotify fd ------------------------------------------------------------------ */

static bool group_has_events(struct inotify_group *g)
{
	bool r;

	spin_lock(&inotify_lock);
	r = !list_empty(&g->events);
	spin_unlock(&inotify_lock);
	return r;
}

static ssize_t inotify_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct inotify_group *g = file->private_data;
	struct inotify_kevent *k, *tmp;
	LIST_HEAD(batch);
	size_t room = to->count, done = 0;
	ssize_t ret = 0;

	(void)pos;
	for (;;) {
		spin_lock(&inotify_lock);
		if (!list_empty(&g->events))
			break;
		spin_unlock(&inotify_lock);
		if (READ_ONCE(file->f_flags) & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(g->wq, group_has_events(g));
		if (ret)
			return ret;
	}
	/* Whole events only; the first not fitting is EINVAL, as Linux. */
	list_for_each_entry_safe(k, tmp, &g->events, node) {
		size_t n = kevent_size(k);

		if (n > room)
			break;
		room -= n;
		list_move_tail(&k->node, &batch);
		g->queued--;
		g->bytes -= (unsigned int)n;
	}
	spin_unlock(&inotify_lock);
	if (list_empty(&batch))
		return -EINVAL;
	list_for_each_entry_safe(k, tmp, &batch, node) {
		size_t n = kevent_size(k);

		if (!ret && copy_to_iter(&k->ev, n, to) != n)
			ret = -EFAULT;
		else if (!ret)
			done += n;
		kfree(k);
	}
	return done ? (ssize_t)done : ret;
}

static __poll_t inotify_poll(struct file *file, struct poll_table *pt)
{
	struct inotify_group *g = file->private_data;

	poll_wait(file, &g->wq, pt);
	return group_has_events(g) ? POLLIN | POLLRDNORM : 0;
}

static long inotify_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct inotify_group *g = file->private_data;
	int bytes;

	if (cmd != FIONREAD)
		return -ENOTTY;
	spin_lock(&inotify_lock);
	bytes = (int)g->bytes;
	spin_unlock(&inotify_lock);
	return put_user(bytes, (int __user *)arg) ? -EFAULT : 0;
}

static int inotify_release(struct inode *inode, struct file *file)
{
	struct inotify_group *g = file->private_data;
	struct inotify_watch *w, *wt;
	struct inotify_kevent *k, *kt;
	LIST_HEAD(dead);

	(void)inode;
	spin_lock(&inotify_lock);
	list_for_each_entry_safe(w, wt, &g->watches, gnode) {
		list_del(&w->node);
		list_del(&w->gnode);
		__atomic_fetch_sub(&inotify_nr_watches, 1, __ATOMIC_RELAXED);
		list_add(&w->node, &dead);
	}
	spin_unlock(&inotify_lock);
	list_for_each_entry_safe(w, wt, &dead, node)
		watch_free(w);
	list_for_each_entry_safe(k, kt, &g->events, node)
		kfree(k);
	kfree(g);
	return 0;
}

static const struct file_operations inotify_fops = {
	.llseek = noop_llseek,
	.read_iter = inotify_read,
	.poll = inotify_poll,
	.unlocked_ioctl = inotify_ioctl,
	.release = inotify_release,
};

static long do_inotify_init(int flags)
{
	struct inotify_group *g;
	int fd;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	init_waitqueue_head(&g->wq);
	INIT_LIST_HEAD(&g->events);
	INIT_LIST_HEAD(&g->watches);
	fd = anon_inode_getfd("inotify", &inotify_fops, g, O_RDONLY | (unsigned int)flags);
	if (fd < 0)
		kfree(g);
	return fd;
}

SYSCALL_DEFINE1(inotify_init1, int, flags)
{
	return do_inotify_init(flags);
}

SYSCALL_DEFINE0(inotify_init)
{
	return do_inotify_init(0);
}

/* The inotify group behind @fd: -EBADF, -EINVAL for another kind of file. */
static struct file *inotify_fget(int fd)
{
	struct file *f = fd < 0 ? NULL : fget(current_files(), (unsigned int)fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (f->f_op != &inotify_fops) {
		fput(f);
		return ERR_PTR(-EINVAL);
	}
	return f;
}

/* Adds or updates @g's watch on @inode; its wd or -errno. */
static int inotify_update_watch(struct inotify_group *g, struct inode *inode, u32 mask)
{
	struct inotify_watch *w, *new = kzalloc(sizeof(*new), GFP_KERNEL);
	u32 events = mask & (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK);
	int wd;

	if (!new)
		return -ENOMEM;
	spin_lock(&inotify_lock);
	list_for_each_entry(w, &g->watches, gnode) {
		if (w->inode != inode)
			continue;
		wd = w->wd;
		if (mask & IN_MASK_CREATE)
			wd = -EEXIST;
		else
			w->mask = (mask & IN_MASK_ADD) ? w->mask | events : events;
		spin_unlock(&inotify_lock);
		kfree(new);
		return wd;
	}
	if (__atomic_load_n(&inotify_nr_watches, __ATOMIC_RELAXED) >=
	    __atomic_load_n(&inotify_max_user_watches, __ATOMIC_RELAXED)) {
		spin_unlock(&inotify_lock);
		kfree(new);
		return -ENOSPC;
	}
	new->group = g;
	new->inode = igrab(inode);
	new->mask = events;
	new->wd = ++g->last_wd;
	list_add_tail(&new->gnode, &g->watches);
	list_add_tail(&new->node, &inotify_watches);
	__atomic_fetch_add(&inotify_nr_watches, 1, __ATOMIC_RELAXED);
	spin_unlock(&inotify_lock);
	return new->wd;
}

SYSCALL_DEFINE3(inotify_add_watch, int, fd, const char __user *, pathname, u32, mask)
{
	unsigned int lookup = 0;
	struct path path;
	struct file *f;
	char *name;
	long err;

	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
		return -EINVAL;
	if (!(mask & INOTIFY_ALL_BITS))
		return -EINVAL;
	f = inotify_fget(fd);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (!(mask & IN_DONT_FOLLOW))
		lookup |= LOOKUP_FOLLOW;
	if (mask & IN_ONLYDIR)
		lookup |= LOOKUP_DIRECTORY;
	name = getname(pathname);
	err = PTR_ERR(name);
	if (IS_ERR(name))
		goto out_fput;
	err = path_lookupat(AT_FDCWD, name, lookup, &path);
	putname(name);
	if (err)
		goto out_fput;
	err = inode_permission(current_cred(), path.dentry->d_inode, MAY_READ);
	if (!err)
		err = inotify_update_watch(f->private_data, path.dentry->d_inode, mask);
	path_put(&path);
out_fput:
	fput(f);
	return err;
}

SYSCALL_DEFINE2(inotify_rm_watch, int, fd, int, wd)
{
	struct inotify_watch *w, *found = NULL;
	struct inotify_group *g;
	struct file *f = inotify_fget(fd);

	if (IS_ERR(f))
		return PTR_ERR(f);
	g = f->private_data;
	spin_lock(&inotify_lock);
	list_for_each_entry(w, &g->watches, gnode) {
		if (w->wd == wd) {
			found = w;
			watch_remove_locked(w);
			break;
		}
	}
	spin_unlock(&inotify_lock);
	fput(f);
	if (!found)
		return -EINVAL;
	watch_free(found);
	return 0;
}
