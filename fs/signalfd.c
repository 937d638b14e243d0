// SPDX-License-Identifier: MIT
/*
 * signalfd, signalfd4: pending signals read from a file. A read takes the
 * caller's pending signals in the file's mask (its own first, then its
 * process's, as delivery would) and returns one struct signalfd_siginfo
 * (128 bytes) per signal; it waits for the first one unless O_NONBLOCK
 * (EAGAIN). As on Linux, what the file sees is always the reading or
 * polling task's pending set, whoever created it. signalfd4 on an
 * existing signalfd replaces its mask. Waiters sleep on the sighand's
 * signalfd_wqh, woken by signalfd_notify() from the signal queueing code.
 *
 * Locking: ctx->sigmask is written under the caller's siglock and read
 * with READ_ONCE; dequeuing takes siglock (irqsave).
 */
#include <exo/anon_inodes.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/poll.h>
#include <exo/sched.h>
#include <exo/seq_file.h>
#include <exo/signal.h>
#include <exo/signalfd.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/signal.h>
#include <uapi/signalfd.h>

#define SFD_SHARED_FCNTL_FLAGS	(SFD_CLOEXEC | SFD_NONBLOCK)

struct signalfd_ctx {
	u64 sigmask;		/* [siglock to write; READ_ONCE] */
};

static int signalfd_release(struct inode *inode, struct file *file)
{
	(void)inode;
	kfree(file->private_data);
	return 0;
}

/* The current task's pending signals in @mask, read without siglock (a hint). */
static u64 signalfd_pending(u64 mask)
{
	struct task *t = current;

	return (READ_ONCE(t->pending.signal) | READ_ONCE(t->signal->shared_pending.signal)) & mask;
}

static __poll_t signalfd_poll(struct file *file, struct poll_table *pt)
{
	struct signalfd_ctx *ctx = file->private_data;

	poll_wait(file, &current->sighand->signalfd_wqh, pt);
	return signalfd_pending(READ_ONCE(ctx->sigmask)) ? POLLIN | POLLRDNORM : 0;
}

/* Linux's signalfd_copyinfo: which fields hold depends on the siginfo layout. */
static void signalfd_fill(struct signalfd_siginfo *new, const struct siginfo *kinfo)
{
	int sig = kinfo->si_signo, code = kinfo->si_code;

	memset(new, 0, sizeof(*new));
	new->ssi_signo = (u32)sig;
	new->ssi_errno = kinfo->si_errno;
	new->ssi_code = code;
	if (code > SI_USER && code < SI_KERNEL) {
		if (sig == SIGCHLD) {
			new->ssi_pid = (u32)kinfo->f.chld.pid;
			new->ssi_uid = kinfo->f.chld.uid;
			new->ssi_status = kinfo->f.chld.status;
			new->ssi_utime = (u64)kinfo->f.chld.utime;
			new->ssi_stime = (u64)kinfo->f.chld.stime;
		} else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
			   sig == SIGTRAP) {
			new->ssi_addr = kinfo->f.fault.addr;
		}
	} else if (code < 0) {
		/* sigqueue, tkill and the like: sender and value. */
		new->ssi_pid = (u32)kinfo->f.rt.pid;
		new->ssi_uid = kinfo->f.rt.uid;
		new->ssi_ptr = kinfo->f.rt.value;
		new->ssi_int = (s32)kinfo->f.rt.value;
	} else {
		/* kill (SI_USER) and SI_KERNEL. */
		new->ssi_pid = (u32)kinfo->f.rt.pid;
		new->ssi_uid = kinfo->f.rt.uid;
	}
}

/* One signal in @mask off the caller's queues; 0 when none (and !@wait or interrupted: -errno). */
static int signalfd_dequeue(u64 mask, struct siginfo *info, bool wait)
{
	struct task *t = current;
	unsigned long flags;
	int sig;

	for (;;) {
		spin_lock_irqsave(&t->sighand->siglock, flags);
		sig = dequeue_signal_locked(t, mask, info);
		spin_unlock_irqrestore(&t->sighand->siglock, flags);
		if (sig || !wait)
			return sig;
		sig = (int)wait_event_interruptible(t->sighand->signalfd_wqh, signalfd_pending(mask));
		if (sig)
			return sig;
	}
}

static ssize_t signalfd_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct signalfd_ctx *ctx = file->private_data;
	size_t count = to->count / sizeof(struct signalfd_siginfo);
	bool nonblock = READ_ONCE(file->f_flags) & O_NONBLOCK;
	ssize_t total = 0;

	(void)pos;
	if (!count)
		return -EINVAL;
	while (count--) {
		struct signalfd_siginfo new;
		struct siginfo info;
		int ret = signalfd_dequeue(READ_ONCE(ctx->sigmask), &info, !total && !nonblock);

		if (ret <= 0) {
			if (total)
				break;
			return ret ? ret : -EAGAIN;
		}
		signalfd_fill(&new, &info);
		if (copy_to_iter(&new, sizeof(new), to) != sizeof(new))
			return total ? total : -EFAULT;
		total += (ssize_t)sizeof(new);
	}
	return total;
}

/* Linux's render_sigset_t: signal 1 is the lowest bit, highest signal first. */
static void signalfd_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct signalfd_ctx *ctx = file->private_data;

	seq_printf(m, "sigmask:\t%016llx\n", (unsigned long long)READ_ONCE(ctx->sigmask));
}

static const struct file_operations signalfd_fops = {
	.llseek = noop_llseek,
	.release = signalfd_release,
	.read_iter = signalfd_read,
	.poll = signalfd_poll,
	.show_fdinfo = signalfd_show_fdinfo,
};

static int do_signalfd4(int ufd, const u64 __user *user_mask, size_t sizemask, int flags)
{
	struct signalfd_ctx *ctx;
	unsigned long irqflags;
	u64 mask;
	struct fd f;

	if (flags & ~SFD_SHARED_FCNTL_FLAGS)
		return -EINVAL;
	if (sizemask != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, user_mask, sizeof(mask)))
		return -EFAULT;
	mask &= ~SIG_KERNEL_ONLY_MASK;

	if (ufd == -1) {
		int fd;

		ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
		if (!ctx)
			return -ENOMEM;
		ctx->sigmask = mask;
		fd = anon_inode_getfd("signalfd", &signalfd_fops, ctx,
				      O_RDWR | ((unsigned int)flags & SFD_SHARED_FCNTL_FLAGS));
		if (fd < 0)
			kfree(ctx);
		return fd;
	}
	f = fdget((unsigned int)ufd);
	if (!f.file)
		return -EBADF;
	if (f.file->f_op != &signalfd_fops) {
		fdput(f);
		return -EINVAL;
	}
	ctx = f.file->private_data;
	spin_lock_irqsave(&current->sighand->siglock, irqflags);
	WRITE_ONCE(ctx->sigmask, mask);
	spin_unlock_irqrestore(&current->sighand->siglock, irqflags);
	__wake_up(&current->sighand->signalfd_wqh, NULL);
	fdput(f);
	return ufd;
}

SYSCALL_DEFINE4(signalfd4, int, ufd, const u64 __user *, user_mask, size_t, sizemask, int, flags)
{
	return do_signalfd4(ufd, user_mask, sizemask, flags);
}

SYSCALL_DEFINE3(signalfd, int, ufd, const u64 __user *, user_mask, size_t, sizemask)
{
	return do_signalfd4(ufd, user_mask, sizemask, 0);
}
