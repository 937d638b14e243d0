// SPDX-License-Identifier: MIT
/*
 * POSIX message queues: the mqueue file system and the mq_* syscalls.
 *
 * Every queue is a file in the root of one file system instance, made at
 * boot and held by an internal mount (Linux's per-namespace mqueue mount;
 * there is one namespace). `mount -t mqueue none /dev/mqueue` mounts the
 * same instance again, so ls lists the queues, reading one gives Linux's
 * "QSIZE:... NOTIFY:... SIGNO:... NOTIFY_PID:..." line, rm is mq_unlink
 * and open(O_CREAT) there makes a queue with the default attributes.
 *
 * A queue descriptor is a file on that instance (mqueue_file_ops), open
 * with the access mode of mq_open and always close-on-exec: close, dup,
 * fork inheritance, poll and epoll come from the VFS. mq_timedsend and
 * mq_timedreceive take any such file, even one from open(2), as Linux.
 *
 * Messages sit on one list sorted by priority, highest first and FIFO
 * within a priority. Senders wait while the queue is full, receivers while
 * it is empty, each on a list in Linux's wake-up order (higher task
 * priority first, FIFO among equals); whoever makes progress possible hands
 * over to the first waiter under the lock (a message straight to a waiting
 * receiver, a waiting sender's message into the room a receive made), so
 * no one is woken for nothing and no one is overtaken. Waits are
 * interruptible (EINTR, or a restart with SA_RESTART, as Linux's
 * -ERESTARTSYS) and end at an absolute
 * CLOCK_REALTIME timeout (ETIMEDOUT), converted once to the monotonic
 * deadline the scheduler sleeps on.
 *
 * mq_notify: one registration per queue. A message arriving on an empty
 * queue with no receiver waiting fires it once and removes it: a signal
 * (si_code SI_MESGQ, the sender's pid and uid) to the registering process,
 * or, for SIGEV_THREAD (musl and glibc run the function), a 32-byte cookie
 * queued on the caller's netlink socket with its last byte NOTIFY_WOKENUP;
 * removing the registration queues NOTIFY_REMOVED. The cookie's message is
 * allocated at registration so the send, under the queue lock, cannot fail.
 *
 * Limits are Linux's /proc/sys/fs/mqueue knobs (mq_limits below).
 *
 * Locking: the root directory's i_rwsem serialises names (mq_open's
 * create, mq_unlink and the VFS ops); mq->lock (a spinlock, leaf but for
 * the wait-queue lock and a netlink socket's lock) guards the fields
 * marked [lock]. User copies and signals happen outside it.
 */
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/list.h>
#include <exo/mount.h>
#include <exo/mqueue.h>
#include <exo/netlink.h>
#include <exo/poll.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <uapi/resource.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/mqueue.h>
#include <uapi/stat.h>
#include <uapi/time_types.h>

#define MQUEUE_MAGIC	0x19800202
/* The size a queue file reports (Linux's FILENT_SIZE): room for its status line. */
#define MQ_STATUS_LEN	80

/* Linux's bounds on the knobs (HARD_MSGMAX, HARD_MSGSIZEMAX, MIN_*). */
#define MQ_HARD_MSGMAX		65536
#define MQ_HARD_MSGSIZEMAX	(16 * 1024 * 1024)
#define MQ_MIN_MSGMAX		1
#define MQ_MIN_MSGSIZEMAX	128

/* /proc/sys/fs/mqueue, in enum mq_limit order: [atomic], read where used. */
static long mq_limits[MQ_NR_LIMITS] = {
	[MQ_MSG_MAX] = 10,
	[MQ_MSGSIZE_MAX] = 8192,
	[MQ_QUEUES_MAX] = 256,
	[MQ_MSG_DEFAULT] = 10,
	[MQ_MSGSIZE_DEFAULT] = 8192,
};
static int mq_queues_count;		/* [atomic] queues that exist (queues_max) */

struct mq_msg {
	struct list_head node;		/* [mq->lock] in mq->msgs */
	unsigned int prio;		/* [immutable] */
	size_t len;			/* [immutable] */
	char data[];
};

struct mqueue {
	struct spinlock lock;
	struct wait_queue_head wq;	/* pollers */
	struct list_head senders;	/* [lock] mq_waiters for room, in wake-up order */
	struct list_head receivers;	/* [lock] mq_waiters for a message, in wake-up order */
	struct list_head msgs;		/* [lock] by priority, highest first, FIFO within one */
	long maxmsg, msgsize;		/* [immutable] */
	struct mq_user *user;		/* [immutable] charged mq_bytes for RLIMIT_MSGQUEUE */
	unsigned long bytes;		/* [immutable] the charge */
	long curmsgs;			/* [lock] */
	unsigned long qsize;		/* [lock] bytes of the queued messages */
	/* The registration of mq_notify; notify_owner 0: none. */
	int notify_owner;		/* [lock] tgid */
	int notify_how;			/* [lock] SIGEV_* */
	int notify_signo;		/* [lock] SIGEV_SIGNAL */
	unsigned long notify_value;	/* [lock] SIGEV_SIGNAL: si_value */
	struct sock *notify_sock;	/* [lock] SIGEV_THREAD: the netlink socket, referenced */
	struct netlink_kmsg *notify_cookie; /* [lock] SIGEV_THREAD: the cookie to queue */
};

/*
 * RLIMIT_MSGQUEUE: the bytes a user's queues may take (EMFILE past it),
 * each queue charged at creation to its creator's real uid until it is
 * freed: mq_maxmsg * mq_msgsize plus 48 bytes of bookkeeping per message
 * and per priority node, the formula of Linux's mqueue_get_inode (Linux
 * 6.18 measures a little more per message on top).
 */
#define MQ_MSG_OVERHEAD		48	/* Linux's struct msg_msg */
#define MQ_PRIO_NODE_OVERHEAD	48	/* Linux's struct posix_msg_tree_node */

struct mq_user {
	struct list_head node;		/* [mq_users_lock] in mq_users */
	u32 uid;			/* [immutable] */
	unsigned long bytes;		/* [mq_users_lock] */
	int queues;			/* [mq_users_lock] charged queues; freed at 0 */
};

static LIST_HEAD(mq_users);		/* [mq_users_lock] */
static DEFINE_SPINLOCK(mq_users_lock);

static struct vfsmount *mq_mnt;		/* [immutable after init] */
static const struct file_operations mqueue_file_ops;
static const struct inode_operations mqueue_dir_iops;

static struct mqueue *mq_of(struct inode *inode)
{
	return inode->i_private;
}

/* ---- limits (/proc/sys/fs/mqueue) ------------------------------------------------ */

long mq_limit_get(enum mq_limit which)
{
	return READ_ONCE(mq_limits[which]);
}

int mq_limit_set(enum mq_limit which, long val)
{
	static const long lo[MQ_NR_LIMITS] = { MQ_MIN_MSGMAX, MQ_MIN_MSGSIZEMAX, 0,
					       MQ_MIN_MSGMAX, MQ_MIN_MSGSIZEMAX };
	static const long hi[MQ_NR_LIMITS] = { MQ_HARD_MSGMAX, MQ_HARD_MSGSIZEMAX, 0x7fffffff,
					       MQ_HARD_MSGMAX, MQ_HARD_MSGSIZEMAX };

	if (val < lo[which] || val > hi[which])
		return -EINVAL;
	WRITE_ONCE(mq_limits[which], val);
	return 0;
}

static bool mq_capable(void)
{
	return current_cred()->euid == 0;	/* CAP_SYS_RESOURCE */
}

/* ---- queues ----------------------------------------------------------------- */

/* Linux's mq_attr checks for a new queue: EINVAL out of the limits, EOVERFLOW. */
static int mq_attr_ok(const struct mq_attr *attr)
{
	if (attr->mq_maxmsg <= 0 || attr->mq_msgsize <= 0)
		return -EINVAL;
	if (mq_capable()) {
		if (attr->mq_maxmsg > MQ_HARD_MSGMAX || attr->mq_msgsize > MQ_HARD_MSGSIZEMAX)
			return -EINVAL;
	} else if (attr->mq_maxmsg > mq_limit_get(MQ_MSG_MAX) ||
		   attr->mq_msgsize > mq_limit_get(MQ_MSGSIZE_MAX)) {
		return -EINVAL;
	}
	if ((unsigned long)attr->mq_msgsize > ~0UL / (unsigned long)attr->mq_maxmsg)
		return -EOVERFLOW;
	return 0;
}

/* Charges @mq's bytes to the current real uid; -EMFILE past RLIMIT_MSGQUEUE, -ENOMEM. */
static int mq_charge(struct mqueue *mq)
{
	unsigned long limit = current->rlim[RLIMIT_MSGQUEUE].rlim_cur;
	u32 uid = current_cred()->uid;
	struct mq_user *u, *fresh;
	unsigned long bytes;
	int err = 0;

	bytes = (unsigned long)mq->maxmsg * (unsigned long)mq->msgsize +
		(unsigned long)mq->maxmsg * MQ_MSG_OVERHEAD +
		(unsigned long)min(mq->maxmsg, (long)MQ_PRIO_MAX) * MQ_PRIO_NODE_OVERHEAD;
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;
	spin_lock(&mq_users_lock);
	list_for_each_entry(u, &mq_users, node)
		if (u->uid == uid)
			goto found;
	u = fresh;
	fresh = NULL;
	u->uid = uid;
	list_add(&u->node, &mq_users);
found:
	if (u->bytes + bytes < u->bytes || u->bytes + bytes > limit) {
		err = -EMFILE;
		if (!u->queues) {
			list_del(&u->node);
			fresh = u;
		}
	} else {
		u->bytes += bytes;
		u->queues++;
		mq->user = u;
		mq->bytes = bytes;
	}
	spin_unlock(&mq_users_lock);
	kfree(fresh);
	return err;
}

static void mq_uncharge(struct mqueue *mq)
{
	struct mq_user *u = mq->user;

	if (!u)
		return;
	spin_lock(&mq_users_lock);
	u->bytes -= mq->bytes;
	if (--u->queues)
		u = NULL;
	else
		list_del(&u->node);
	spin_unlock(&mq_users_lock);
	kfree(u);
}

/* A new queue inode in @sb with @mode and @attr (NULL: the defaults); or ERR_PTR. */
static struct inode *mqueue_get_inode(struct super_block *sb, umode_t mode,
				      const struct mq_attr *attr)
{
	const struct cred *cred = current_cred();
	struct inode *inode;
	struct mqueue *mq;
	int err;

	if (__atomic_add_fetch(&mq_queues_count, 1, __ATOMIC_RELAXED) >
		    mq_limit_get(MQ_QUEUES_MAX) && !mq_capable()) {
		__atomic_sub_fetch(&mq_queues_count, 1, __ATOMIC_RELAXED);
		return ERR_PTR(-ENOSPC);
	}
	err = -ENOMEM;
	mq = kzalloc(sizeof(*mq), GFP_KERNEL);
	if (!mq)
		goto out_uncount;
	spin_lock_init(&mq->lock);
	init_waitqueue_head(&mq->wq);
	INIT_LIST_HEAD(&mq->msgs);
	INIT_LIST_HEAD(&mq->senders);
	INIT_LIST_HEAD(&mq->receivers);
	if (attr) {
		mq->maxmsg = attr->mq_maxmsg;
		mq->msgsize = attr->mq_msgsize;
	} else {
		mq->maxmsg = min(mq_limit_get(MQ_MSG_DEFAULT), mq_limit_get(MQ_MSG_MAX));
		mq->msgsize = min(mq_limit_get(MQ_MSGSIZE_DEFAULT), mq_limit_get(MQ_MSGSIZE_MAX));
	}
	err = mq_charge(mq);
	if (err)
		goto out_free_mq;
	inode = new_inode(sb);
	if (IS_ERR(inode)) {
		err = (int)PTR_ERR(inode);
		goto out_uncharge;
	}
	inode->i_mode = S_IFREG | (mode & 07777);
	inode->i_size = MQ_STATUS_LEN;
	inode->i_uid = cred->fsuid;
	inode->i_gid = cred->fsgid;
	inode->i_fop = &mqueue_file_ops;
	inode->i_private = mq;
	return inode;

out_uncharge:
	mq_uncharge(mq);
out_free_mq:
	kfree(mq);
out_uncount:
	__atomic_sub_fetch(&mq_queues_count, 1, __ATOMIC_RELAXED);
	return ERR_PTR(err);
}

/* SIGEV_THREAD fires or goes: the cookie, @why in its last byte, to the socket, which we let go. */
static void mq_send_cookie_locked(struct mqueue *mq, u8 why) __must_hold(&mq->lock)
{
	u8 *cookie = netlink_kmsg_data(mq->notify_cookie);

	lockdep_assert_held(&mq->lock);
	/* NULL only without CONFIG_NETLINK, where no SIGEV_THREAD registration exists. */
	if (cookie)
		cookie[NOTIFY_COOKIE_LEN - 1] = why;
	netlink_kmsg_send(mq->notify_sock, mq->notify_cookie);
	netlink_sock_put(mq->notify_sock);
	mq->notify_sock = NULL;
	mq->notify_cookie = NULL;
}

/* Forgets the registration; SIGEV_THREAD's socket gets NOTIFY_REMOVED. */
static void mq_remove_notification_locked(struct mqueue *mq) __must_hold(&mq->lock)
{
	lockdep_assert_held(&mq->lock);
	if (!mq->notify_owner)
		return;
	if (mq->notify_how == SIGEV_THREAD)
		mq_send_cookie_locked(mq, NOTIFY_REMOVED);
	mq->notify_owner = 0;
}

static void mqueue_evict_inode(struct inode *inode)
{
	struct mqueue *mq = mq_of(inode);
	struct mq_msg *msg, *next;

	if (!mq)
		return;		/* the root */
	list_for_each_entry_safe(msg, next, &mq->msgs, node)
		kfree(msg);
	spin_lock(&mq->lock);
	mq_remove_notification_locked(mq);
	spin_unlock(&mq->lock);
	mq_uncharge(mq);
	kfree(mq);
	__atomic_sub_fetch(&mq_queues_count, 1, __ATOMIC_RELAXED);
}

/* ---- the file system ------------------------------------------------------------ */

/* A new queue at the negative @dentry of the root @dir, which the caller holds locked. */
static int mqueue_create_attr(struct inode *dir, struct dentry *dentry, umode_t mode,
			      const struct mq_attr *attr)
{
	struct inode *inode = mqueue_get_inode(dir->i_sb, mode, attr);

	if (IS_ERR(inode))
		return PTR_ERR(inode);
	d_add(dentry, inode);
	d_pin(dentry);
	inode_touch_mc(dir);
	return 0;
}

static int mqueue_create(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	return mqueue_create_attr(dir, dentry, mode, NULL);
}

static int mqueue_unlink(struct inode *dir, struct dentry *dentry)
{
	drop_nlink(dentry->d_inode);
	inode_touch_mc(dir);
	d_delete_pinned(dentry);
	return 0;
}

static const struct inode_operations mqueue_dir_iops = {
	.create = mqueue_create,
	.unlink = mqueue_unlink,
};

static const struct file_operations mqueue_dir_fops = {
	.iterate = dcache_readdir,
};

static const struct super_operations mqueue_sops = {
	.evict_inode = mqueue_evict_inode,
};

/* Every mount is the one instance (one IPC namespace); it lives as long as the kernel. */
static struct super_block *mqueue_mount(struct file_system_type *type, unsigned long flags,
				      const char *data)
{
	return mq_mnt ? mq_mnt->mnt_sb : ERR_PTR(-ENODEV);
}

static struct file_system_type mqueue_fs_type = { .name = "mqueue", .mount = mqueue_mount };

/* Reading a queue file: Linux's one status line. */
static ssize_t mqueue_read_iter(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct mqueue *mq = mq_of(file->f_inode);
	char buf[MQ_STATUS_LEN];
	size_t len;

	spin_lock(&mq->lock);
	len = (size_t)snprintf(buf, sizeof(buf),
			       "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", mq->qsize,
			       mq->notify_owner ? mq->notify_how : 0,
			       mq->notify_owner && mq->notify_how == SIGEV_SIGNAL ? mq->notify_signo : 0,
			       mq->notify_owner);
	spin_unlock(&mq->lock);
	if (*pos >= (loff_t)len)
		return 0;
	len = copy_to_iter(buf + *pos, len - (size_t)*pos, to);
	*pos += (loff_t)len;
	return (ssize_t)len;
}

static __poll_t mqueue_poll(struct file *file, struct poll_table *pt)
{
	struct mqueue *mq = mq_of(file->f_inode);
	__poll_t mask = 0;

	poll_wait(file, &mq->wq, pt);
	spin_lock(&mq->lock);
	if (mq->curmsgs)
		mask |= POLLIN | POLLRDNORM;
	if (mq->curmsgs < mq->maxmsg)
		mask |= POLLOUT | POLLWRNORM;
	spin_unlock(&mq->lock);
	return mask;
}

/* Linux's mqueue_flush_file: the registering process closing a descriptor drops its registration. */
static void mqueue_flush(struct file *file)
{
	struct mqueue *mq = mq_of(file->f_inode);

	spin_lock(&mq->lock);
	if (mq->notify_owner == current->tgid)
		mq_remove_notification_locked(mq);
	spin_unlock(&mq->lock);
}

static const struct file_operations mqueue_file_ops = {
	.read_iter = mqueue_read_iter,
	.poll = mqueue_poll,
	.flush = mqueue_flush,
};

/* ---- names -------------------------------------------------------------------- */

/*
 * The user's queue name (the C library strips the leading '/'), copied:
 * Linux's getname() then lookup_one_len() errors: ENOENT for "",
 * ENAMETOOLONG, EACCES for a '/' inside or "." and "..".
 */
static char *mq_getname(const char __user *uname)
{
	char *name = kmalloc(NAME_MAX + 2, GFP_KERNEL);
	long len;

	if (!name)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(name, uname, NAME_MAX + 2);
	if (len < 0)
		goto out_err;
	if (len == 0)
		len = -ENOENT;
	else if (len > NAME_MAX)
		len = -ENAMETOOLONG;
	else if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		len = -EACCES;
	else
		return name;
out_err:
	kfree(name);
	return ERR_PTR(len);
}

static struct inode *mq_root_inode(void)
{
	return mq_mnt->mnt_root->d_inode;
}

static int mq_oflag_to_mask(int oflag)
{
	switch (oflag & O_ACCMODE) {
	case O_RDONLY:
		return MAY_READ;
	case O_WRONLY:
		return MAY_WRITE;
	default:
		return MAY_READ | MAY_WRITE;
	}
}

static long do_mq_open(const char __user *u_name, int oflag, umode_t mode, struct mq_attr *attr)
{
	struct fs_struct *fs = current_fs_struct();
	struct inode *dir = mq_root_inode();
	struct dentry *dentry;
	struct path path;
	struct file *file;
	char *name;
	int fd, err;

	name = mq_getname(u_name);
	if (IS_ERR(name))
		return PTR_ERR(name);
	inode_lock(dir);
	dentry = d_lookup(mq_mnt->mnt_root, name, (unsigned int)strlen(name));
	if (!dentry || !dentry->d_inode) {
		dput(dentry);
		err = -ENOENT;
		if (!(oflag & O_CREAT))
			goto out_unlock;
		if (attr) {
			err = mq_attr_ok(attr);
			if (err)
				goto out_unlock;
		}
		dentry = d_alloc(mq_mnt->mnt_root, name, (unsigned int)strlen(name));
		if (IS_ERR(dentry)) {
			err = (int)PTR_ERR(dentry);
			goto out_unlock;
		}
		spin_lock(&fs->lock);
		mode &= ~fs->umask;
		spin_unlock(&fs->lock);
		err = mqueue_create_attr(dir, dentry, mode, attr);
		if (err)
			goto out_dput;
	} else {
		err = -EEXIST;
		if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
			goto out_dput;
		err = -EINVAL;
		if ((oflag & O_ACCMODE) == (O_RDWR | O_WRONLY))
			goto out_dput;
		err = inode_permission(current_cred(), dentry->d_inode, mq_oflag_to_mask(oflag));
		if (err)
			goto out_dput;
	}
	inode_unlock(dir);
	path.mnt = mq_mnt;
	path.dentry = dentry;
	file = alloc_file(&path, (unsigned int)oflag & (O_ACCMODE | O_NONBLOCK), &mqueue_file_ops);
	dput(dentry);
	kfree(name);
	if (IS_ERR(file))
		return PTR_ERR(file);
	file->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	/* Linux: queue descriptors are always close-on-exec. */
	fd = fd_install_new(current_files(), file, O_CLOEXEC);
	if (fd < 0)
		fput(file);
	return fd;

out_dput:
	dput(dentry);
out_unlock:
	inode_unlock(dir);
	kfree(name);
	return err;
}

SYSCALL_DEFINE4(mq_open, const char __user *, u_name, int, oflag, umode_t, mode,
		struct mq_attr __user *, u_attr)
{
	struct mq_attr attr;

	if (u_attr && copy_from_user(&attr, u_attr, sizeof(attr)))
		return -EFAULT;
	return do_mq_open(u_name, oflag, mode, u_attr ? &attr : NULL);
}

SYSCALL_DEFINE1(mq_unlink, const char __user *, u_name)
{
	struct inode *dir = mq_root_inode();
	const struct cred *cred = current_cred();
	struct dentry *dentry;
	char *name;
	int err;

	name = mq_getname(u_name);
	if (IS_ERR(name))
		return PTR_ERR(name);
	inode_lock(dir);
	dentry = d_lookup(mq_mnt->mnt_root, name, (unsigned int)strlen(name));
	err = -ENOENT;
	if (!dentry || !dentry->d_inode)
		goto out_unlock;
	/* The root is sticky (1777): only the owner of the queue or root removes it. */
	err = -EPERM;
	if (cred->fsuid != 0 && cred->fsuid != dentry->d_inode->i_uid && cred->fsuid != dir->i_uid)
		goto out_unlock;
	err = mqueue_unlink(dir, dentry);
out_unlock:
	inode_unlock(dir);
	dput(dentry);
	kfree(name);
	return err;
}

/* ---- send and receive ------------------------------------------------------- */

/*
 * The monotonic deadline of an absolute CLOCK_REALTIME @u_abs (NULL: none);
 * EFAULT, or EINVAL for a bad tv_nsec or negative time, as Linux checks
 * before anything else.
 */
static int mq_get_deadline(const struct __kernel_timespec __user *u_abs, u64 *deadline)
{
	u64 now_real, abs;
	int err;

	*deadline = WAIT_NO_DEADLINE;
	if (!u_abs)
		return 0;
	err = get_timespec_ns(u_abs, &abs);
	if (err)
		return err;
	if (abs >= ~0ULL / 2)
		return 0;	/* as good as forever */
	now_real = ktime_get_real_ns();
	*deadline = ktime_get_ns() + (abs > now_real ? abs - now_real : 0);
	return 0;
}

/* The queue behind descriptor @fd if it was opened with @fmode; EBADF otherwise. */
static struct file *mq_fget(int fd, unsigned int fmode)
{
	struct file *f = fget(current_files(), (unsigned int)fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (f->f_op != &mqueue_file_ops || (fmode && !(f->f_mode & fmode))) {
		fput(f);
		return ERR_PTR(-EBADF);
	}
	return f;
}

/* After the lock is dropped: the notification a send fired. */
struct mq_fired {
	int tgid, signo;
	unsigned long value;
};

static void mq_fire(const struct mq_fired *n)
{
	struct siginfo info;

	if (!n->tgid || !n->signo)
		return;
	memset(&info, 0, sizeof(info));
	info.si_signo = n->signo;
	info.si_code = SI_MESGQ;
	info.f.rt.pid = current->tgid;
	info.f.rt.uid = current_cred()->uid;
	info.f.rt.value = n->value;
	kill_tgid_info(n->tgid, n->signo, &info);
}

/*
 * A sender waiting for room or a receiver waiting for a message. The side
 * that makes progress possible hands over under mq->lock: a receiver's
 * message is put in ->msg, a sender's message is queued; ->done tells the
 * waiter, woken on its own ->wq while the lock is still held (the waiter
 * takes the lock before its frame goes away).
 */
struct mq_waiter {
	struct list_head node;		/* [mq->lock] in mq->senders or mq->receivers */
	struct wait_queue_head wq;
	struct mq_msg *msg;		/* [mq->lock] sender: to queue; receiver: handed over */
	int nice;			/* [immutable] the waiter's priority when it came */
	bool done;			/* [mq->lock] */
};

/* Linux's order: higher task priority (lower nice) first, FIFO among equals. */
static void mq_add_waiter_locked(struct mqueue *mq, struct list_head *head, struct mq_waiter *w)
{
	struct mq_waiter *pos;

	lockdep_assert_held(&mq->lock);
	init_waitqueue_head(&w->wq);
	w->nice = READ_ONCE(current->nice);
	w->done = false;
	list_for_each_entry(pos, head, node)
		if (pos->nice > w->nice)
			break;
	list_add_tail(&w->node, &pos->node);
}

static struct mq_waiter *mq_first_waiter(struct list_head *head)
{
	return list_empty(head) ? NULL : list_first_entry(head, struct mq_waiter, node);
}

/* Wakes @w after its hand-over; the caller still holds mq->lock. */
static void mq_wake_waiter_locked(struct mqueue *mq, struct mq_waiter *w)
{
	lockdep_assert_held(&mq->lock);
	list_del(&w->node);
	w->done = true;
	wake_up(&w->wq);
}

/*
 * Sleeps until the hand-over or @deadline; returns with mq->lock held: 0
 * when it happened (even if a signal or the deadline came too), else the
 * wait's error with @w off the list.
 */
static int mq_wait_locked(struct mqueue *mq, struct mq_waiter *w, u64 deadline)
	__must_hold(&mq->lock)
{
	long err;

	lockdep_assert_held(&mq->lock);
	spin_unlock(&mq->lock);
	err = wait_event_interruptible_deadline(w->wq, READ_ONCE(w->done), deadline);
	spin_lock(&mq->lock);
	if (w->done)
		return 0;
	list_del(&w->node);
	return (int)err;
}

/*
 * Queues @msg. With @fired (a send), fires the registration if it is the
 * first message and nobody waits; a waiting sender's message queued by a
 * receive fires nothing, as in Linux.
 */
static void mq_insert_locked(struct mqueue *mq, struct mq_msg *msg, struct mq_fired *fired)
	__must_hold(&mq->lock)
{
	struct mq_msg *pos;

	lockdep_assert_held(&mq->lock);
	list_for_each_entry(pos, &mq->msgs, node) {
		if (pos->prio < msg->prio)
			break;
	}
	list_add_tail(&msg->node, &pos->node);
	mq->curmsgs++;
	mq->qsize += msg->len;
	if (!fired || mq->curmsgs != 1 || !list_empty(&mq->receivers) || !mq->notify_owner)
		return;
	switch (mq->notify_how) {
	case SIGEV_SIGNAL:
		fired->tgid = mq->notify_owner;
		fired->signo = mq->notify_signo;
		fired->value = mq->notify_value;
		break;
	case SIGEV_THREAD:
		mq_send_cookie_locked(mq, NOTIFY_WOKENUP);
		break;
	}
	mq->notify_owner = 0;
}

SYSCALL_DEFINE5(mq_timedsend, int, mqdes, const char __user *, u_msg_ptr, size_t, msg_len,
		unsigned int, msg_prio, const struct __kernel_timespec __user *, u_abs_timeout)
{
	struct mq_fired fired = { 0 };
	struct mq_waiter w, *r;
	struct mq_msg *msg;
	struct mqueue *mq;
	struct file *f;
	u64 deadline;
	long err;

	if (msg_prio >= MQ_PRIO_MAX)
		return -EINVAL;
	err = mq_get_deadline(u_abs_timeout, &deadline);
	if (err)
		return err;
	f = mq_fget(mqdes, FMODE_WRITE);
	if (IS_ERR(f))
		return PTR_ERR(f);
	mq = mq_of(f->f_inode);
	err = -EMSGSIZE;
	if (msg_len > (size_t)mq->msgsize)
		goto out_fput;
	err = -ENOMEM;
	msg = kmalloc(sizeof(*msg) + msg_len, GFP_KERNEL);
	if (!msg)
		goto out_fput;
	msg->prio = msg_prio;
	msg->len = msg_len;
	err = -EFAULT;
	if (copy_from_user(msg->data, u_msg_ptr, msg_len))
		goto out_free;
	spin_lock(&mq->lock);
	if (mq->curmsgs < mq->maxmsg) {
		r = mq_first_waiter(&mq->receivers);
		if (r) {
			/* A receiver waits (so the queue is empty): straight to it, no notification. */
			r->msg = msg;
			mq_wake_waiter_locked(mq, r);
		} else {
			mq_insert_locked(mq, msg, &fired);
		}
		err = 0;
	} else if (f->f_flags & O_NONBLOCK) {
		err = -EAGAIN;
	} else {
		w.msg = msg;
		mq_add_waiter_locked(mq, &mq->senders, &w);
		err = mq_wait_locked(mq, &w, deadline);
	}
	spin_unlock(&mq->lock);
	if (err)
		goto out_free;
	wake_up(&mq->wq);
	mq_fire(&fired);
	goto out_fput;
out_free:
	kfree(msg);
out_fput:
	fput(f);
	return err;
}

SYSCALL_DEFINE5(mq_timedreceive, int, mqdes, char __user *, u_msg_ptr, size_t, msg_len,
		unsigned int __user *, u_msg_prio,
		const struct __kernel_timespec __user *, u_abs_timeout)
{
	struct mq_waiter w, *s;
	struct mq_msg *msg = NULL;
	struct mqueue *mq;
	struct file *f;
	u64 deadline;
	long err;

	err = mq_get_deadline(u_abs_timeout, &deadline);
	if (err)
		return err;
	f = mq_fget(mqdes, FMODE_READ);
	if (IS_ERR(f))
		return PTR_ERR(f);
	mq = mq_of(f->f_inode);
	err = -EMSGSIZE;
	if (msg_len < (size_t)mq->msgsize)
		goto out_fput;
	spin_lock(&mq->lock);
	if (mq->curmsgs) {
		msg = list_first_entry(&mq->msgs, struct mq_msg, node);
		list_del(&msg->node);
		mq->curmsgs--;
		mq->qsize -= msg->len;
		/* The room goes to the first waiting sender: its message is queued now. */
		s = mq_first_waiter(&mq->senders);
		if (s) {
			mq_insert_locked(mq, s->msg, NULL);
			mq_wake_waiter_locked(mq, s);
		}
		err = 0;
	} else if (f->f_flags & O_NONBLOCK) {
		err = -EAGAIN;
	} else {
		mq_add_waiter_locked(mq, &mq->receivers, &w);
		err = mq_wait_locked(mq, &w, deadline);
		if (!err)
			msg = w.msg;
	}
	spin_unlock(&mq->lock);
	if (err)
		goto out_fput;
	wake_up(&mq->wq);
	/* As Linux: a fault after the message left the queue loses it. */
	err = (long)msg->len;
	if (copy_to_user(u_msg_ptr, msg->data, msg->len) ||
	    (u_msg_prio && put_user(msg->prio, u_msg_prio)))
		err = -EFAULT;
	kfree(msg);
out_fput:
	fput(f);
	return err;
}

/* ---- mq_notify, mq_getsetattr -------------------------------------------------- */

SYSCALL_DEFINE2(mq_notify, int, mqdes, const struct sigevent __user *, u_notification)
{
	struct netlink_kmsg *cookie = NULL;
	struct sock *sock = NULL;
	struct sigevent sev;
	struct mqueue *mq;
	struct file *f;
	long err;

	if (u_notification) {
		if (copy_from_user(&sev, u_notification, sizeof(sev)))
			return -EFAULT;
		if (sev.sigev_notify != SIGEV_NONE && sev.sigev_notify != SIGEV_SIGNAL &&
		    sev.sigev_notify != SIGEV_THREAD)
			return -EINVAL;
		if (sev.sigev_notify == SIGEV_SIGNAL &&
		    (sev.sigev_signo < 0 || sev.sigev_signo > _NSIG))
			return -EINVAL;
		if (sev.sigev_notify == SIGEV_THREAD) {
			cookie = netlink_kmsg_alloc(NOTIFY_COOKIE_LEN);
			if (!cookie)
				return -ENOMEM;
			if (copy_from_user(netlink_kmsg_data(cookie),
					   (const void __user *)sev.sigev_value, NOTIFY_COOKIE_LEN)) {
				err = -EFAULT;
				goto out_free_cookie;
			}
			sock = netlink_getsockbyfd(sev.sigev_signo);
			if (IS_ERR(sock)) {
				err = PTR_ERR(sock);
				sock = NULL;
				goto out_free_cookie;
			}
		}
	}
	f = mq_fget(mqdes, 0);
	if (IS_ERR(f)) {
		err = PTR_ERR(f);
		goto out_free_cookie;
	}
	mq = mq_of(f->f_inode);
	err = 0;
	spin_lock(&mq->lock);
	if (!u_notification) {
		if (mq->notify_owner == current->tgid)
			mq_remove_notification_locked(mq);
	} else if (mq->notify_owner) {
		err = -EBUSY;
	} else {
		mq->notify_how = sev.sigev_notify;
		mq->notify_signo = sev.sigev_signo;
		mq->notify_value = sev.sigev_value;
		mq->notify_sock = sock;
		mq->notify_cookie = cookie;
		sock = NULL;
		cookie = NULL;
		mq->notify_owner = current->tgid;
	}
	spin_unlock(&mq->lock);
	fput(f);
out_free_cookie:
	if (sock)
		netlink_sock_put(sock);
	if (cookie)
		netlink_kmsg_free(cookie);
	return err;
}

SYSCALL_DEFINE3(mq_getsetattr, int, mqdes, const struct mq_attr __user *, u_mqstat,
		struct mq_attr __user *, u_omqstat)
{
	struct mq_attr set, old;
	struct mqueue *mq;
	struct file *f;

	if (u_mqstat) {
		if (copy_from_user(&set, u_mqstat, sizeof(set)))
			return -EFAULT;
		if (set.mq_flags & ~(long)O_NONBLOCK)
			return -EINVAL;
	}
	f = mq_fget(mqdes, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	mq = mq_of(f->f_inode);
	memset(&old, 0, sizeof(old));
	spin_lock(&mq->lock);
	old.mq_maxmsg = mq->maxmsg;
	old.mq_msgsize = mq->msgsize;
	old.mq_curmsgs = mq->curmsgs;
	spin_unlock(&mq->lock);
	spin_lock(&f->f_lock);
	old.mq_flags = f->f_flags & O_NONBLOCK;
	if (u_mqstat)
		f->f_flags = (f->f_flags & ~O_NONBLOCK) | ((unsigned int)set.mq_flags & O_NONBLOCK);
	spin_unlock(&f->f_lock);
	fput(f);
	if (u_omqstat && copy_to_user(u_omqstat, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

static int mqueue_init(void)
{
	struct super_block *sb = sget_anon(&mqueue_fs_type);
	struct inode *root;
	struct vfsmount *mnt;

	if (IS_ERR(sb))
		return PTR_ERR(sb);
	sb->s_magic = MQUEUE_MAGIC;
	sb->s_op = &mqueue_sops;
	root = new_inode(sb);
	if (!IS_ERR(root)) {
		root->i_mode = S_IFDIR | 01777;
		root->i_nlink = 2;
		root->i_op = &mqueue_dir_iops;
		root->i_fop = &mqueue_dir_fops;
	}
	sb = sb_set_root(sb, root);
	if (IS_ERR(sb))
		return PTR_ERR(sb);
	mnt = kern_mount_sb(sb, "mqueue");
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	mq_mnt = mnt;
	return register_filesystem(&mqueue_fs_type);
}
fs_initcall(mqueue_init);
