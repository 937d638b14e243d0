// SPDX-License-Identifier: MIT
/*
 * System V message queues: msgget, msgsnd, msgrcv, msgctl.
 *
 * A message is one kmalloc'ed struct msg_msg: its text is copied in from
 * the sender before the queue is locked and copied out to the receiver
 * after the message has left the queue (so a faulting receive buffer
 * loses the message, as in Linux). A queue is full when its bytes or its
 * message count would pass msg_qbytes (Linux's rule).
 *
 * Senders waiting for room and receivers waiting for a message sleep on
 * the queue's one wait queue and look again after every change (send,
 * receive, IPC_SET, IPC_RMID). Sleeps are interruptible: EINTR, never
 * restarted; the queue's removal ends them with EIDRM.
 *
 * Locking: msg_ids.lock guards every queue field and the message lists;
 * then the queue's wq.lock.
 */
#include <exo/compiler.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/ipc.h>
#include <exo/list.h>
#include <exo/sched.h>
#include <exo/seq_file.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/linux/msg.h>
#include "util.h"

struct msg_msg {
	struct list_head node;		/* [lock] in the queue's messages */
	long mtype;			/* [immutable] */
	size_t size;			/* [immutable] text bytes */
	char text[];
};

struct msg_queue {
	struct kern_ipc_perm perm;
	long stime, rtime, ctime;	/* [lock] */
	unsigned long cbytes;		/* [lock] text bytes queued */
	unsigned long qnum;		/* [lock] messages queued */
	unsigned long qbytes;		/* [lock] the limit on both */
	int lspid, lrpid;		/* [lock] last sender, last receiver */
	struct list_head messages;	/* [lock] oldest first */
	struct wait_queue_head wq;	/* blocked senders and receivers */
	unsigned long changes;		/* [lock] bumped by every wake-up of wq; sleepers peek at it */
};

/* The user's struct msgbuf: the type, then the text. */
struct msgbuf_hdr {
	long mtype;
	char mtext[];
};

int msg_ctlmax = MSGMAX;		/* [racy] sysctl kernel.msgmax */
int msg_ctlmnb = MSGMNB;		/* [racy] sysctl kernel.msgmnb */
int msg_ctlmni = MSGMNI;		/* [racy] sysctl kernel.msgmni */
static unsigned long msg_hdrs, msg_bytes;	/* [msg_ids.lock] all queues' messages, bytes */

static struct ipc_ids msg_ids = IPC_IDS_INIT(msg_ids, &msg_ctlmni);

static struct msg_queue *to_msq(struct kern_ipc_perm *perm)
{
	return container_of(perm, struct msg_queue, perm);
}

/* The queue changed: sleepers look again. */
static void msg_wake_locked(struct msg_queue *msq)
{
	msq->changes++;
	wake_up(&msq->wq);
}

static struct kern_ipc_perm *msg_alloc(const struct ipc_params *p)
{
	struct msg_queue *msq = kzalloc(sizeof(*msq), GFP_KERNEL);

	if (!msq)
		return ERR_PTR(-ENOMEM);
	msq->qbytes = (unsigned long)READ_ONCE(msg_ctlmnb);
	msq->ctime = ipc_now();
	INIT_LIST_HEAD(&msq->messages);
	init_waitqueue_head(&msq->wq);
	return &msq->perm;
}

static void msg_free(struct kern_ipc_perm *perm)
{
	struct msg_queue *msq = to_msq(perm);
	struct msg_msg *msg, *tmp;

	list_for_each_entry_safe(msg, tmp, &msq->messages, node)
		kfree(msg);
	kfree(msq);
}

static const struct ipc_ops msg_ops = {
	.alloc = msg_alloc,
	.free = msg_free,
};

SYSCALL_DEFINE2(msgget, int, key, int, msgflg)
{
	struct ipc_params p = { .key = key, .flg = msgflg };

	return ipc_get(&msg_ids, &msg_ops, &p);
}

static bool msg_destroy_locked(struct msg_queue *msq)
{
	msg_hdrs -= msq->qnum;
	msg_bytes -= msq->cbytes;
	msg_wake_locked(msq);
	return ipc_rmid_locked(&msg_ids, &msq->perm);
}

/*
 * Sleeps on @msq's queue once, holding a reference; called and returns
 * with msg_ids.lock held. 0 to look again, -EINTR, or -EIDRM (*@free set
 * when the caller must free the queue after unlocking).
 */
static int msg_sleep_locked(struct msg_queue *msq, bool *free)
	__must_hold(&msg_ids.lock)
{
	struct wait_queue_entry wqe = { .task = NULL };
	unsigned long seen = msq->changes;

	msq->perm.refs++;
	spin_unlock(&msg_ids.lock);
	/* Not under the spinlock; a change before it shows in msq->changes. */
	prepare_to_wait(&msq->wq, &wqe, TASK_INTERRUPTIBLE);
	if (READ_ONCE(msq->changes) == seen && !signal_pending_current())
		schedule();
	finish_wait(&msq->wq, &wqe);
	spin_lock(&msg_ids.lock);
	*free = ipc_put_locked(&msq->perm);
	if (msq->perm.deleted)
		return -EIDRM;
	if (signal_pending_current())
		return -EINTR;
	return 0;
}

/*
 * msgsnd and msgrcv found nothing to do: @nowait_err with IPC_NOWAIT, else
 * one sleep (0: look again).
 */
static int msg_wait_locked(struct msg_queue *msq, int msgflg, int nowait_err, bool *free)
	__must_hold(&msg_ids.lock)
{
	if (msgflg & IPC_NOWAIT)
		return nowait_err;
	return msg_sleep_locked(msq, free);
}

/* Ends a locked section on @msq, freeing it when a sleep dropped the last reference. */
static void msg_unlock(struct msg_queue *msq, bool free)
	__releases(&msg_ids.lock)
{
	spin_unlock(&msg_ids.lock);
	if (free)
		msg_free(&msq->perm);
}

/* The queue @id if the caller has @acc to it, else ERR_PTR(-EINVAL or -EACCES). */
static struct msg_queue *msg_find_check_locked(int id, int acc)
	__must_hold(&msg_ids.lock)
{
	struct kern_ipc_perm *perm = ipc_find_id(&msg_ids, id);
	int err = perm ? ipc_perms(perm, acc) : -EINVAL;

	return err ? ERR_PTR(err) : to_msq(perm);
}

static long do_msgsnd(int msqid, struct msgbuf_hdr __user *msgp, size_t msgsz, int msgflg)
{
	struct msg_queue *msq;
	struct msg_msg *msg;
	bool free = false;
	long mtype;
	long err;

	if (msgsz > (size_t)READ_ONCE(msg_ctlmax) || (long)msgsz < 0 || msqid < 0)
		return -EINVAL;
	if (get_user(mtype, &msgp->mtype))
		return -EFAULT;
	if (mtype < 1)
		return -EINVAL;
	msg = kmalloc(sizeof(*msg) + msgsz, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	msg->mtype = mtype;
	msg->size = msgsz;
	if (copy_from_user(msg->text, msgp->mtext, msgsz)) {
		kfree(msg);
		return -EFAULT;
	}
	spin_lock(&msg_ids.lock);
	msq = msg_find_check_locked(msqid, 0222);
	if (IS_ERR(msq)) {
		spin_unlock(&msg_ids.lock);
		kfree(msg);
		return PTR_ERR(msq);
	}
	for (;;) {
		if (msgsz + msq->cbytes <= msq->qbytes && 1 + msq->qnum <= msq->qbytes) {
			list_add_tail(&msg->node, &msq->messages);
			msq->cbytes += msgsz;
			msq->qnum++;
			msq->lspid = current->tgid;
			msq->stime = ipc_now();
			msg_hdrs++;
			msg_bytes += msgsz;
			msg_wake_locked(msq);
			msg = NULL;
			err = 0;
			break;
		}
		err = msg_wait_locked(msq, msgflg, -EAGAIN, &free);
		if (err)
			break;
	}
	msg_unlock(msq, free);
	kfree(msg);
	return err;
}

SYSCALL_DEFINE4(msgsnd, int, msqid, struct msgbuf_hdr __user *, msgp, size_t, msgsz, int, msgflg)
{
	return do_msgsnd(msqid, msgp, msgsz, msgflg);
}

/* The message msgrcv() takes for @msgtyp (MSG_COPY: the @msgtyp-th one), or NULL. */
static struct msg_msg *msg_find_locked(struct msg_queue *msq, long msgtyp, int msgflg)
{
	struct msg_msg *msg, *best = NULL;
	long n = 0;

	list_for_each_entry(msg, &msq->messages, node) {
		if (msgflg & MSG_COPY) {
			if (n++ == msgtyp)
				return msg;
		} else if (!msgtyp) {
			return msg;
		} else if (msgtyp > 0) {
			if ((msg->mtype == msgtyp) != !!(msgflg & MSG_EXCEPT))
				return msg;
		} else {
			/* The lowest type not above -msgtyp, the oldest of that type. */
			long limit = msgtyp == -__LONG_MAX__ - 1 ? __LONG_MAX__ : -msgtyp;

			if (msg->mtype <= limit && (!best || msg->mtype < best->mtype))
				best = msg;
		}
	}
	return best;
}

static long do_msgrcv(int msqid, struct msgbuf_hdr __user *msgp, size_t msgsz, long msgtyp,
		      int msgflg)
{
	struct msg_queue *msq;
	struct msg_msg *msg, *copy = NULL;
	bool free = false;
	long err;

	if (msqid < 0 || (long)msgsz < 0)
		return -EINVAL;
	if (msgflg & MSG_COPY) {
		if ((msgflg & MSG_EXCEPT) || !(msgflg & IPC_NOWAIT))
			return -EINVAL;
		msgsz = min(msgsz, (size_t)READ_ONCE(msg_ctlmax));
		copy = kmalloc(sizeof(*copy) + msgsz, GFP_KERNEL);
		if (!copy)
			return -ENOMEM;
	}
	spin_lock(&msg_ids.lock);
	msq = msg_find_check_locked(msqid, 0444);
	if (IS_ERR(msq)) {
		spin_unlock(&msg_ids.lock);
		kfree(copy);
		return PTR_ERR(msq);
	}
	for (;;) {
		msg = msg_find_locked(msq, msgtyp, msgflg);
		if (msg) {
			if (msgsz < msg->size && !(msgflg & MSG_NOERROR)) {
				err = -E2BIG;
				msg = NULL;
				break;
			}
			if (copy) {
				copy->mtype = msg->mtype;
				copy->size = min(msgsz, msg->size);
				memcpy(copy->text, msg->text, copy->size);
				msg = copy;
				copy = NULL;
			} else {
				list_del(&msg->node);
				msq->cbytes -= msg->size;
				msq->qnum--;
				msg_hdrs--;
				msg_bytes -= msg->size;
				msq->lrpid = current->tgid;
				msq->rtime = ipc_now();
				msg_wake_locked(msq);
			}
			err = 0;
			break;
		}
		err = msg_wait_locked(msq, msgflg, -ENOMSG, &free);
		if (err)
			break;
	}
	msg_unlock(msq, free);
	kfree(copy);
	if (err)
		return err;
	msgsz = min(msgsz, msg->size);
	if (put_user(msg->mtype, &msgp->mtype) || copy_to_user(msgp->mtext, msg->text, msgsz))
		err = -EFAULT;
	kfree(msg);
	return err ? err : (long)msgsz;
}

SYSCALL_DEFINE5(msgrcv, int, msqid, struct msgbuf_hdr __user *, msgp, size_t, msgsz, long, msgtyp,
		int, msgflg)
{
	return do_msgrcv(msqid, msgp, msgsz, msgtyp, msgflg);
}

static long msg_info(int cmd, void __user *buf)
{
	struct msginfo mi;
	int max_idx;

	memset(&mi, 0, sizeof(mi));
	mi.msgmni = READ_ONCE(msg_ctlmni);
	mi.msgmax = READ_ONCE(msg_ctlmax);
	mi.msgmnb = READ_ONCE(msg_ctlmnb);
	mi.msgssz = MSGSSZ;
	mi.msgseg = MSGSEG;
	spin_lock(&msg_ids.lock);
	if (cmd == MSG_INFO) {
		mi.msgpool = msg_ids.in_use;
		mi.msgmap = (int)msg_hdrs;
		mi.msgtql = (int)msg_bytes;
	} else {
		mi.msgpool = MSGPOOL;
		mi.msgmap = MSGMAP;
		mi.msgtql = MSGTQL;
	}
	max_idx = ipc_max_idx_locked(&msg_ids);
	spin_unlock(&msg_ids.lock);
	if (copy_to_user(buf, &mi, sizeof(mi)))
		return -EFAULT;
	return max_idx;
}

static long msg_stat(int id, int cmd, struct msqid64_ds __user *buf)
{
	struct kern_ipc_perm *perm;
	struct msqid64_ds ds;
	struct msg_queue *msq;
	long ret;

	spin_lock(&msg_ids.lock);
	perm = cmd == IPC_STAT ? ipc_find_id(&msg_ids, id) : ipc_find_idx(&msg_ids, id);
	ret = perm ? 0 : -EINVAL;
	if (!ret && cmd != MSG_STAT_ANY)
		ret = ipc_perms(perm, 0444);
	if (!ret) {
		msq = to_msq(perm);
		memset(&ds, 0, sizeof(ds));
		ipc_fill_perm(perm, &ds.msg_perm);
		ds.msg_stime = msq->stime;
		ds.msg_rtime = msq->rtime;
		ds.msg_ctime = msq->ctime;
		ds.msg_cbytes = msq->cbytes;
		ds.msg_qnum = msq->qnum;
		ds.msg_qbytes = msq->qbytes;
		ds.msg_lspid = msq->lspid;
		ds.msg_lrpid = msq->lrpid;
		ret = cmd == IPC_STAT ? 0 : perm->id;
	}
	spin_unlock(&msg_ids.lock);
	if (ret >= 0 && copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return ret;
}

static long msg_owner_cmd(int id, int cmd, struct msqid64_ds __user *buf)
{
	struct kern_ipc_perm *perm;
	struct msqid64_ds ds;
	struct msg_queue *msq;
	bool free = false;
	long err;

	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof(ds)))
		return -EFAULT;
	spin_lock(&msg_ids.lock);
	perm = ipc_find_id(&msg_ids, id);
	err = perm ? ipc_check_owner(perm) : -EINVAL;
	if (err)
		goto out_unlock;
	msq = to_msq(perm);
	if (cmd == IPC_RMID) {
		free = msg_destroy_locked(msq);
		goto out_unlock;
	}
	/* CAP_SYS_RESOURCE to raise a queue above kernel.msgmnb. */
	if (ds.msg_qbytes > (unsigned long)READ_ONCE(msg_ctlmnb) && !capable_root()) {
		err = -EPERM;
		goto out_unlock;
	}
	ipc_update_perm(perm, &ds.msg_perm);
	msq->qbytes = ds.msg_qbytes;
	msq->ctime = ipc_now();
	msg_wake_locked(msq);
out_unlock:
	spin_unlock(&msg_ids.lock);
	if (free)
		msg_free(perm);
	return err;
}

SYSCALL_DEFINE3(msgctl, int, msqid, int, cmd, struct msqid64_ds __user *, buf)
{
	if (msqid < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return msg_info(cmd, buf);
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		return msg_stat(msqid, cmd, buf);
	case IPC_SET:
	case IPC_RMID:
		return msg_owner_cmd(msqid, cmd, buf);
	default:
		return -EINVAL;
	}
}

int sysvipc_msg_show(struct seq_file *m)
{
	struct msg_queue *msq;
	int i;

	seq_puts(m, "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n");
	spin_lock(&msg_ids.lock);
	for (i = 0; i < msg_ids.size; i++) {
		if (!msg_ids.entries[i])
			continue;
		msq = to_msq(msg_ids.entries[i]);
		seq_printf(m, "%10d %10d  %4o  %10lu %10lu %5d %5d %5u %5u %5u %5u %10ld %10ld %10ld\n",
			   msq->perm.key, msq->perm.id, msq->perm.mode, msq->cbytes, msq->qnum,
			   msq->lspid, msq->lrpid, msq->perm.uid, msq->perm.gid, msq->perm.cuid,
			   msq->perm.cgid, msq->stime, msq->rtime, msq->ctime);
	}
	spin_unlock(&msg_ids.lock);
	return 0;
}
