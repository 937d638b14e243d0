// SPDX-License-Identifier: MIT
/*
 * Terminal ioctls (tty_ioctl(4)): termios (TCGETS, TCSETS, TCSETSW,
 * TCSETSF), window size (TIOCGWINSZ, TIOCSWINSZ, SIGWINCH on change), queue
 * sizes (FIONREAD/TIOCINQ, TIOCOUTQ), flushing and flow control (TCFLSH,
 * TCXONC), drain and break (TCSBRK, TCSBRKP), and the job-control requests
 * tty_jobctrl.c answers. Anything else is ENOTTY.
 *
 * Requests that change the terminal are job-control checked as Linux does
 * (tty_check_change: SIGTTOU for a background group). Output is polled and
 * complete when write() returns, so "wait until sent" has nothing to wait
 * for, and no break is sent.
 */
#include <exo/fs.h>
#include <exo/signal.h>
#include <exo/string.h>
#include <exo/tty.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/ioctls.h>
#include <uapi/signal.h>
#include "internal.h"

static void tty_flush_input(struct tty_struct *tty)
{
	tty_flip_flush(tty);
	spin_lock(&tty->lock);
	n_tty_flush_input_locked(tty);
	spin_unlock(&tty->lock);
}

static long tty_set_termios_ioctl(struct tty_struct *tty, unsigned int cmd,
				  const struct termios __user *p)
{
	struct termios t, old;
	long err = tty_check_change(tty, SIGTTOU);

	if (err)
		return err;
	if (copy_from_user(&t, p, sizeof(t)))
		return -EFAULT;
	if (cmd == TCSETSF)
		tty_flush_input(tty);
	t.c_line = N_TTY;	/* the only line discipline */
	spin_lock(&tty->lock);
	old = tty->termios;
	tty->termios = t;
	n_tty_set_termios_locked(tty, &old);
	spin_unlock(&tty->lock);
	if (tty->link && !tty->pty_master)
		pty_termios_changed(tty, &old);
	/* VMIN/VTIME or ICANON may have changed what a sleeping reader waits for. */
	wake_up(&tty->read_wait);
	return 0;
}

static long tiocswinsz(struct tty_struct *tty, const struct winsize __user *p)
{
	struct winsize ws;
	int pgrp = 0;

	if (copy_from_user(&ws, p, sizeof(ws)))
		return -EFAULT;
	spin_lock(&tty->lock);
	if (memcmp(&ws, &tty->winsize, sizeof(ws))) {
		tty->winsize = ws;
		pgrp = tty->pgrp;
	}
	spin_unlock(&tty->lock);
	if (pgrp)
		kill_pgrp(pgrp, SIGWINCH);
	return 0;
}

static long tcflsh(struct tty_struct *tty, unsigned long arg)
{
	long err = tty_check_change(tty, SIGTTOU);

	if (err)
		return err;
	if (arg > TCIOFLUSH)
		return -EINVAL;
	if (arg != TCOFLUSH)
		tty_flush_input(tty);
	/* A serial line queues no output (polled); a pty's output waits in its peer. */
	if (tty->link)
		pty_flush(tty, arg != TCOFLUSH, arg != TCIFLUSH);
	return 0;
}

static long tcxonc(struct tty_struct *tty, unsigned long arg)
{
	long err = tty_check_change(tty, SIGTTOU);
	u8 c;

	if (err)
		return err;
	switch (arg) {
	case TCOOFF:
	case TCOON:
		spin_lock(&tty->lock);
		tty_set_stopped_locked(tty, arg == TCOOFF);
		spin_unlock(&tty->lock);
		return 0;
	case TCIOFF:
	case TCION:
		spin_lock(&tty->lock);
		c = tty->termios.c_cc[arg == TCIOFF ? VSTOP : VSTART];
		if (c != TTY_DISABLED_CHAR) {
			spin_lock(&tty->output_lock);
			tty->ops->write(tty, &c, 1);
			spin_unlock(&tty->output_lock);
		}
		spin_unlock(&tty->lock);
		return 0;
	}
	return -EINVAL;
}

/*
 * A pty master's terminal requests act on its slave, as Linux's
 * tty_pair_get_tty(): the master's own line discipline stays raw. TIOCGPGRP
 * and TIOCGSID answer from the master without it being the caller's
 * terminal; TIOCNOTTY there is ENOTTY (not the caller's terminal).
 */
static long pty_master_jobctrl(struct tty_struct *master, struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	struct tty_struct *slave = master->link;
	int val;

	switch (cmd) {
	case TIOCGPGRP:
	case TIOCGSID:
		spin_lock(&slave->lock);
		val = cmd == TIOCGPGRP ? slave->pgrp : slave->session;
		spin_unlock(&slave->lock);
		if (cmd == TIOCGSID && !val)
			return -ENOTTY;
		return put_user(val, (int __user *)arg);
	case TIOCNOTTY:
		return -ENOTTY;
	}
	return tty_jobctrl_ioctl(slave, file, cmd, arg);
}

long tty_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct tty_struct *tty = file->private_data;
	void __user *p = (void __user *)arg;
	struct tty_struct *real = tty->pty_master ? tty->link : tty;
	struct termios t;
	struct winsize ws;
	int n;

	/* Linux's hung_up_tty_ioctl: a slave whose master closed. */
	if (READ_ONCE(tty->hung_up))
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	switch (cmd) {
	case TCGETS:
		spin_lock(&real->lock);
		t = real->termios;
		spin_unlock(&real->lock);
		return copy_to_user(p, &t, sizeof(t));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return tty_set_termios_ioctl(real, cmd, p);
	case TIOCGWINSZ:
		spin_lock(&real->lock);
		ws = real->winsize;
		spin_unlock(&real->lock);
		return copy_to_user(p, &ws, sizeof(ws));
	case TIOCSWINSZ:
		return tiocswinsz(real, p);
	case FIONREAD:
		spin_lock(&tty->lock);
		n = n_tty_input_count_locked(tty);
		spin_unlock(&tty->lock);
		return put_user(n, (int __user *)p);
	case TIOCOUTQ:
		return put_user(0, (int __user *)p);
	case TCFLSH:
		return tcflsh(tty, arg);
	case TCXONC:
		return tcxonc(tty, arg);
	case TCSBRK:
	case TCSBRKP:
		return tty_check_change(tty, SIGTTOU);
	case TIOCSCTTY:
	case TIOCNOTTY:
	case TIOCGPGRP:
	case TIOCSPGRP:
	case TIOCGSID:
		if (tty->pty_master)
			return pty_master_jobctrl(tty, file, cmd, arg);
		return tty_jobctrl_ioctl(tty, file, cmd, arg);
	case TIOCGPTPEER:
		/* Linux answers it on every tty: EIO unless a pty master. */
		return tty->pty_master ? pty_ioctl(tty, file, cmd, arg) : -EIO;
	}
	return tty->link ? pty_ioctl(tty, file, cmd, arg) : -ENOTTY;
}
