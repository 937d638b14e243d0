// SPDX-License-Identifier: MIT
/*
 * Controlling terminals and job control (POSIX.1 "General Terminal
 * Interface"; Linux drivers/tty/tty_jobctrl.c).
 *
 * A tty controls at most one session (tty->session) and has a foreground
 * process group (tty->pgrp). A process's controlling terminal is the tty
 * whose session is its own: every process of a session shares it, and
 * setsid() leaves it behind without further bookkeeping. A session leader
 * acquires a tty that controls no session by opening it without O_NOCTTY
 * (never /dev/console or /dev/tty) or with TIOCSCTTY; it loses it with
 * TIOCNOTTY or by exiting, which sends SIGHUP and SIGCONT to the foreground
 * group.
 *
 * A process of a background group that reads its controlling terminal, or
 * writes it under TOSTOP, or changes its settings, gets SIGTTIN/SIGTTOU
 * sent to its whole group and the call returns -ERESTARTSYS; an orphaned
 * group (no member has a parent in another group of the same session) gets
 * EIO instead, since nobody would continue it.
 *
 * Lock order: tasklist_lock -> tty->lock (TIOCSPGRP checks the group and
 * sets it in one go). kill_pgrp() is called with no tty lock held.
 */
#include <exo/cred.h>
#include <exo/exit.h>
#include <exo/fs.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/syscalls.h>
#include <exo/tty.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/ioctls.h>
#include <uapi/signal.h>
#include "internal.h"


static bool is_session_leader(struct task *t)
{
	return t->sid == t->tgid;
}

struct tty_struct *tty_get_ctty(void)
{
	int sid = READ_ONCE(current->sid);
	struct tty_struct *tty;

	for (unsigned int i = 0; (tty = tty_table_get(i)); i++) {
		bool mine;

		spin_lock(&tty->lock);
		mine = tty->session && tty->session == sid;
		spin_unlock(&tty->lock);
		if (mine)
			return tty;
	}
	return NULL;
}

static bool pgrp_is_orphaned(int pgid)
{
	unsigned long flags;
	bool orphaned;

	spin_lock_irqsave(&tasklist_lock, flags);
	orphaned = pgrp_will_be_orphaned_locked(pgid, NULL);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return orphaned;
}

/* Whether @sig cannot stop the caller: blocked or ignored (Linux's is_ignored()). */
static bool tty_sig_ignored(int sig)
{
	struct task *me = current;
	unsigned long flags;
	bool ignored;

	spin_lock_irqsave(&me->sighand->siglock, flags);
	ignored = (me->blocked & sigmask(sig)) || me->sighand->action[sig - 1].handler == SIG_IGN;
	spin_unlock_irqrestore(&me->sighand->siglock, flags);
	return ignored;
}

int tty_check_change(struct tty_struct *tty, int sig)
{
	struct task *me = current;
	int pgrp = READ_ONCE(me->pgid), tty_pgrp, session;

	spin_lock(&tty->lock);
	session = tty->session;
	tty_pgrp = tty->pgrp;
	spin_unlock(&tty->lock);
	if (!session || session != READ_ONCE(me->sid))
		return 0;	/* not our controlling terminal: no job control */
	if (!tty_pgrp || tty_pgrp == pgrp)
		return 0;
	if (tty_sig_ignored(sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_is_orphaned(pgrp))
		return -EIO;
	kill_pgrp(pgrp, sig);
	return -ERESTARTSYS;
}

void tty_open_set_ctty(struct tty_struct *tty, struct file *file)
{
	struct task *me = current;

	if (!is_session_leader(me) || !(file->f_mode & FMODE_READ) || tty_get_ctty())
		return;
	spin_lock(&tty->lock);
	if (!tty->session) {
		tty->session = me->sid;
		tty->pgrp = READ_ONCE(me->pgid);
	}
	spin_unlock(&tty->lock);
}

/* Ends @tty's control of its session; SIGHUP and SIGCONT to the foreground group. */
static void tty_disassociate(struct tty_struct *tty, int sid)
{
	int pgrp = 0;

	spin_lock(&tty->lock);
	if (tty->session == sid) {
		pgrp = tty->pgrp;
		tty->session = 0;
		tty->pgrp = 0;
	}
	spin_unlock(&tty->lock);
	if (pgrp) {
		kill_pgrp(pgrp, SIGHUP);
		kill_pgrp(pgrp, SIGCONT);
	}
}

void tty_hangup(struct tty_struct *tty)
{
	int sid;

	spin_lock(&tty->lock);
	/* Only a pty slave has hung-up file semantics here; a serial line stays usable. */
	if (tty->link && !tty->pty_master)
		WRITE_ONCE(tty->hung_up, true);
	sid = tty->session;
	tty->session = 0;
	tty->pgrp = 0;
	spin_unlock(&tty->lock);
	wake_up(&tty->read_wait);
	wake_up(&tty->write_wait);
	if (sid) {
		kill_tgid(sid, SIGHUP);
		kill_tgid(sid, SIGCONT);
	}
}

/*
 * vhangup(2): hang up the caller's controlling terminal (init and login
 * programs use it before handing a terminal over). Needs CAP_SYS_TTY_CONFIG
 * (euid 0); without a controlling terminal it does nothing.
 */
SYSCALL_DEFINE0(vhangup)
{
	struct tty_struct *tty;

	if (!capable_root())
		return -EPERM;
	tty = tty_get_ctty();
	if (tty)
		tty_hangup(tty);
	return 0;
}

void tty_session_leader_exit(int sid)
{
	struct tty_struct *tty;

	for (unsigned int i = 0; (tty = tty_table_get(i)); i++)
		tty_disassociate(tty, sid);
}

bool tty_session_info(int sid, u32 *tty_nr, int *tpgid)
{
	struct tty_struct *tty;
	unsigned int major, minor;

	for (unsigned int i = 0; sid && (tty = tty_table_get(i)); i++) {
		bool mine;

		spin_lock(&tty->lock);
		mine = tty->session == sid;
		*tpgid = tty->pgrp ? tty->pgrp : -1;
		spin_unlock(&tty->lock);
		if (!mine)
			continue;
		/* Linux's new_encode_dev(): minor bits 0-7 and 20-31, major bits 8-19. */
		major = MAJOR(tty->dev);
		minor = MINOR(tty->dev);
		*tty_nr = (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
		return true;
	}
	return false;
}

static long tiocsctty(struct tty_struct *tty, struct file *file, unsigned long arg)
{
	struct task *me = current;
	bool root = me->cred.euid == 0;
	int session;

	spin_lock(&tty->lock);
	session = tty->session;
	spin_unlock(&tty->lock);
	if (is_session_leader(me) && session == me->sid)
		return 0;
	if (!is_session_leader(me) || tty_get_ctty())
		return -EPERM;
	/* Another session's terminal: only root, asking with arg 1, takes it away. */
	if (session && (arg != 1 || !root))
		return -EPERM;
	if (!(file->f_mode & FMODE_READ) && !root)
		return -EPERM;
	spin_lock(&tty->lock);
	tty->session = me->sid;
	tty->pgrp = READ_ONCE(me->pgid);
	spin_unlock(&tty->lock);
	return 0;
}

static long tiocspgrp(struct tty_struct *tty, int __user *p)
{
	struct task *me = current, *t;
	unsigned long flags;
	int pgrp;
	long err;

	err = tty_check_change(tty, SIGTTOU);
	if (err == -EIO)
		return -ENOTTY;
	if (err)
		return err;
	if (tty_get_ctty() != tty)
		return -ENOTTY;
	if (get_user(pgrp, p))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;

	err = -ESRCH;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, all_node) {
		if (t->pgid != pgrp || t->exit_state || (t->flags & PF_KTHREAD))
			continue;
		err = t->sid == me->sid ? 0 : -EPERM;
		break;
	}
	if (!err) {
		spin_lock(&tty->lock);
		if (tty->session == me->sid)
			tty->pgrp = pgrp;
		else
			err = -ENOTTY;
		spin_unlock(&tty->lock);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

long tty_jobctrl_ioctl(struct tty_struct *tty, struct file *file, unsigned int cmd,
		       unsigned long arg)
{
	int __user *p = (int __user *)arg;
	int val;

	switch (cmd) {
	case TIOCSCTTY:
		return tiocsctty(tty, file, arg);
	case TIOCNOTTY:
		if (tty_get_ctty() != tty)
			return -ENOTTY;
		/* Only the leader's TIOCNOTTY detaches: the tty is per session (docs/tty.md). */
		if (is_session_leader(current))
			tty_disassociate(tty, current->sid);
		return 0;
	case TIOCGPGRP:
		if (tty_get_ctty() != tty)
			return -ENOTTY;
		spin_lock(&tty->lock);
		val = tty->pgrp;
		spin_unlock(&tty->lock);
		return put_user(val, p);
	case TIOCSPGRP:
		return tiocspgrp(tty, p);
	case TIOCGSID:
		if (tty_get_ctty() != tty)
			return -ENOTTY;
		spin_lock(&tty->lock);
		val = tty->session;
		spin_unlock(&tty->lock);
		return val ? put_user(val, p) : -ENOTTY;
	}
	return -ENOTTY;
}
