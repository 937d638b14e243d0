// SPDX-License-Identifier: MIT
/*
 * Unix98 pseudo-terminals (pty(7)): opening /dev/ptmx (5:2) makes a pair of
 * ttys, the master (that file) and the slave /dev/pts/N (136:N, a devpts
 * node, include/exo/devpts.h). Each side's ->write feeds the other side's
 * flip ring, so what the master writes is input to the slave's N_TTY (echo,
 * line editing, ^C...) and what the slave writes, after its output
 * processing, is what the master reads. The master starts in raw mode.
 *
 *   master (ptmx)  write -> slave flip ring -> receive worker -> slave N_TTY -> slave read()
 *   slave (pts/N)  write -> OPOST -> master flip ring -> worker -> master N_TTY (raw) -> read()
 *
 * Flow control: a writer takes only what fits in the peer's flip ring
 * (->write_room) and sleeps on its write_wait; the worker wakes it
 * (->unthrottle) once it has moved half the ring into the line
 * discipline, and a full non-canonical read buffer stops the worker, so a
 * reader that does not read eventually stops the writer.
 *
 * Life of a pair: TIOCSPTLCK unlocks the slave (it starts locked: opening
 * it is EIO until then, Linux's grantpt/unlockpt protocol). When the
 * master's last file closes the slave is hung up: the session it controls
 * loses it and its leader gets SIGHUP and SIGCONT, slave reads return 0,
 * writes and ioctls EIO, and the /dev/pts name goes away. When the slave's
 * last file closes, master reads return EIO once the data is read. A pair
 * is recycled (lowest free index first, as Linux numbers them) once both
 * sides are closed; it is never freed, so a tty pointer found by job
 * control stays valid, and the pairs in use form a prefix of the table
 * that tty_table_get() walks.
 *
 * Packet mode (TIOCPKT on the master): each read starts with a status
 * byte, TIOCPKT_DATA before data, or alone the slave's events: its input
 * or output flushed, output stopped or started, and IXON flow control with
 * ^S/^Q switched on (DOSTOP) or off (NOSTOP). The events wait in the
 * slave's pktstatus; poll reports them as POLLPRI.
 *
 * Lock order: pty_mutex -> tty->lock (as internal.h) ; pty_table_lock is a
 * leaf. pty_mutex guards the pairs' open counts and state; no tty lock is
 * held across a signal.
 */
#include <exo/devpts.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/mutex.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/tty.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>
#include <uapi/signal.h>
#include "internal.h"

/* Linux's /proc/sys/kernel/pty/max is 4096; pairs here are never freed, so fewer. */
#define PTY_MAX 64
#define PTY_NAME_LEN 16
#define XON 0x11
#define XOFF 0x13

struct pty_pair {
	struct tty_struct *master, *slave;	/* [immutable once published] */
	struct inode *inode;			/* [pty_mutex] /dev/pts/N; NULL once the master closed */
	int master_count, slave_count;		/* [pty_mutex] open files of each side */
	bool locked;				/* [pty_mutex] TIOCSPTLCK: slave opens are EIO */
	bool in_use;				/* [pty_mutex] */
};

static struct pty_pair pty_pairs[PTY_MAX];
static unsigned int nr_pty_pairs;		/* [pty_table_lock + pty_mutex to change] */
static DEFINE_SPINLOCK(pty_table_lock);
static DEFINE_MUTEX(pty_mutex);

static unsigned int pty_index(const struct tty_struct *tty)
{
	return MINOR(tty->pty_master ? tty->link->dev : tty->dev);
}

static struct pty_pair *pty_pair_of(const struct tty_struct *tty)
{
	return &pty_pairs[pty_index(tty)];
}

struct tty_struct *pty_table_get(unsigned int i)
{
	struct tty_struct *tty = NULL;

	spin_lock(&pty_table_lock);
	if (i / 2 < nr_pty_pairs)
		tty = i % 2 ? pty_pairs[i / 2].slave : pty_pairs[i / 2].master;
	spin_unlock(&pty_table_lock);
	return tty;
}

/* ---- the data path ------------------------------------------------------------- */

/* Called with @tty's output lock held: must not sleep. The writer asked ->write_room first. */
static void pty_write(struct tty_struct *tty, const u8 *buf, size_t len)
{
	struct tty_struct *to = tty->link;

	if (READ_ONCE(tty->hung_up))
		return;
	for (size_t i = 0; i < len; i++)
		tty_insert_flip_char(to, buf[i]);
	tty_flip_buffer_push(to);
}

static size_t pty_write_room(struct tty_struct *tty)
{
	return tty_buffer_space_avail(tty->link);
}

/* The receive worker made room in @tty's flip ring: the other side may write again. */
static void pty_unthrottle(struct tty_struct *tty)
{
	wake_up(&tty->link->write_wait);
}

static const struct tty_operations pty_ops = {
	.write = pty_write,
	.write_room = pty_write_room,
	.unthrottle = pty_unthrottle,
};

/* ---- packet mode --------------------------------------------------------------- */

void pty_pkt_event(struct tty_struct *tty, u8 set, u8 clear)
{
	struct tty_struct *master = tty->link;
	u8 old, new;

	if (!master || tty->pty_master || !READ_ONCE(master->packet))
		return;
	old = __atomic_load_n(&tty->pktstatus, __ATOMIC_RELAXED);
	do {
		new = (u8)((old & ~clear) | set);
	} while (!__atomic_compare_exchange_n(&tty->pktstatus, &old, new, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	wake_up(&master->read_wait);
}

u8 pty_pkt_take(struct tty_struct *tty)
{
	return __atomic_exchange_n(&tty->link->pktstatus, 0, __ATOMIC_ACQ_REL);
}

/* Linux's rule: flow control is "on" with IXON and the standard ^S/^Q. */
static bool pty_std_flow(const struct termios *t)
{
	return (t->c_iflag & IXON) && t->c_cc[VSTOP] == XOFF && t->c_cc[VSTART] == XON;
}

void pty_termios_changed(struct tty_struct *tty, const struct termios *old)
{
	struct termios now;
	bool flow;

	spin_lock(&tty->lock);
	now = tty->termios;
	spin_unlock(&tty->lock);
	flow = pty_std_flow(&now);
	if (flow != pty_std_flow(old))
		pty_pkt_event(tty, flow ? TIOCPKT_DOSTOP : TIOCPKT_NOSTOP,
			      TIOCPKT_DOSTOP | TIOCPKT_NOSTOP);
}

void pty_flush(struct tty_struct *tty, bool input, bool output)
{
	struct tty_struct *to = tty->link;

	if (output) {
		/* What this side wrote and the other has not read yet. */
		tty_flip_flush(to);
		spin_lock(&to->lock);
		n_tty_flush_input_locked(to);
		spin_unlock(&to->lock);
		pty_pkt_event(tty, TIOCPKT_FLUSHWRITE, 0);
	}
	if (input)
		pty_pkt_event(tty, TIOCPKT_FLUSHREAD, 0);
}

/* ---- pairs --------------------------------------------------------------------- */

static int pty_pair_alloc_ttys(struct pty_pair *pair, unsigned int index)
{
	char name[PTY_NAME_LEN];

	snprintf(name, sizeof(name), "ptm%u", index);
	pair->master = tty_alloc(name, &pty_ops, MKDEV(PTMX_MAJOR, PTMX_MINOR));
	if (IS_ERR(pair->master))
		return (int)PTR_ERR(pair->master);
	snprintf(name, sizeof(name), "pts/%u", index);
	pair->slave = tty_alloc(name, &pty_ops, MKDEV(UNIX98_PTY_SLAVE_MAJOR, index));
	if (IS_ERR(pair->slave)) {
		kfree(pair->master);
		return (int)PTR_ERR(pair->slave);
	}
	pair->master->link = pair->slave;
	pair->master->pty_master = true;
	pair->slave->link = pair->master;
	return 0;
}

/* Settings of a fresh pair: the master raw, the slave Linux's tty_std_termios at 38400. */
static void pty_pair_reset(struct pty_pair *pair)
{
	struct tty_struct *m = pair->master, *s = pair->slave;

	tty_reset(m);
	tty_reset(s);
	spin_lock(&m->lock);
	tty_init_termios(&m->termios);
	m->termios.c_iflag = 0;
	m->termios.c_oflag = 0;
	m->termios.c_lflag = 0;
	m->termios.c_cflag = B38400 | CS8 | CREAD;
	m->ldata.icanon = false;
	spin_unlock(&m->lock);
	spin_lock(&s->lock);
	tty_init_termios(&s->termios);
	s->termios.c_cflag = B38400 | CS8 | CREAD;
	s->ldata.icanon = true;
	spin_unlock(&s->lock);
	WRITE_ONCE(m->packet, false);
	WRITE_ONCE(s->pktstatus, 0);
	WRITE_ONCE(m->other_closed, false);
	WRITE_ONCE(s->hung_up, false);
	pair->locked = true;
}

/* A free pair, made if needed, marked in use with its master open; or ERR_PTR. */
static struct pty_pair *pty_pair_get(void)
{
	struct pty_pair *pair;
	struct inode *inode;
	unsigned int i;
	int err;

	mutex_lock(&pty_mutex);
	for (i = 0; i < nr_pty_pairs; i++)
		if (!pty_pairs[i].in_use)
			break;
	if (i == PTY_MAX) {
		err = -ENOSPC;
		goto out_unlock;
	}
	pair = &pty_pairs[i];
	if (i == nr_pty_pairs) {
		err = pty_pair_alloc_ttys(pair, i);
		if (err)
			goto out_unlock;
		spin_lock(&pty_table_lock);
		nr_pty_pairs++;
		spin_unlock(&pty_table_lock);
	}
	inode = devpts_pty_new(i);
	if (IS_ERR(inode)) {
		err = (int)PTR_ERR(inode);
		goto out_unlock;
	}
	pty_pair_reset(pair);
	pair->inode = inode;
	pair->in_use = true;
	pair->master_count = 1;
	pair->slave_count = 0;
	mutex_unlock(&pty_mutex);
	return pair;

out_unlock:
	mutex_unlock(&pty_mutex);
	return ERR_PTR(err);
}

struct inode *pty_devpts_inode(unsigned int index)
{
	struct inode *inode = NULL;

	if (index >= PTY_MAX)
		return NULL;
	mutex_lock(&pty_mutex);
	if (index < nr_pty_pairs && pty_pairs[index].inode)
		inode = igrab(pty_pairs[index].inode);
	mutex_unlock(&pty_mutex);
	return inode;
}

int pty_next_index(unsigned int from)
{
	int found = -1;

	mutex_lock(&pty_mutex);
	for (unsigned int i = from; i < nr_pty_pairs && found < 0; i++)
		if (pty_pairs[i].inode)
			found = (int)i;
	mutex_unlock(&pty_mutex);
	return found;
}

/* The master closed: the slave hangs up (tty_hangup()). */
static void pty_hangup_slave(struct tty_struct *slave)
{
	tty_hangup(slave);
}

void pty_release(struct tty_struct *tty)
{
	struct pty_pair *pair = pty_pair_of(tty);
	struct inode *gone = NULL;
	bool hangup = false;

	mutex_lock(&pty_mutex);
	if (tty->pty_master) {
		if (!--pair->master_count) {
			hangup = true;
			gone = pair->inode;
			pair->inode = NULL;
		}
	} else if (!--pair->slave_count) {
		WRITE_ONCE(tty->link->other_closed, true);
		wake_up(&tty->link->read_wait);
		wake_up(&tty->link->write_wait);
	}
	if (!pair->master_count && !pair->slave_count)
		pair->in_use = false;
	mutex_unlock(&pty_mutex);
	if (hangup)
		pty_hangup_slave(pair->slave);
	if (gone)
		iput(gone);
}

/* ---- opening ------------------------------------------------------------------- */

static int ptmx_open(struct inode *inode, struct file *file)
{
	struct pty_pair *pair = pty_pair_get();
	int err;

	if (IS_ERR(pair))
		return (int)PTR_ERR(pair);
	file->f_op = &tty_fops;
	file->private_data = pair->master;
	/* The master never becomes a controlling terminal by open() (Linux's ptmx_open). */
	err = tty_open_common(pair->master, file, true);
	if (err)
		pty_release(pair->master);
	return err;
}

static int pts_open(struct inode *inode, struct file *file)
{
	unsigned int index = MINOR(inode->i_rdev);
	struct pty_pair *pair;
	int err = 0;

	if (index >= PTY_MAX)
		return -ENXIO;
	pair = &pty_pairs[index];
	mutex_lock(&pty_mutex);
	if (index >= nr_pty_pairs || !pair->in_use)
		err = -ENXIO;
	else if (pair->locked || !pair->master_count)
		err = -EIO;
	else
		pair->slave_count++;
	mutex_unlock(&pty_mutex);
	if (err)
		return err;
	WRITE_ONCE(pair->master->other_closed, false);
	file->f_op = &tty_fops;
	file->private_data = pair->slave;
	err = tty_open_common(pair->slave, file, file->f_flags & O_NOCTTY);
	if (err)
		pty_release(pair->slave);
	return err;
}

static const struct file_operations ptmx_fops = { .open = ptmx_open };
static const struct file_operations pts_fops = { .open = pts_open };

/* TIOCGPTPEER: the slave of @master opened with @flags, as a new fd. */
static long pty_open_peer(struct tty_struct *master, unsigned long flags)
{
	char path[32];
	struct file *f;
	int fd;

	if (flags & ~(unsigned long)(O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	snprintf(path, sizeof(path), "/dev/pts/%u", pty_index(master));
	f = filp_open(path, (int)flags, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (f->private_data != master->link) {
		fput(f);	/* something else is mounted on /dev/pts */
		return -EIO;
	}
	fd = fd_install_new(current_files(), f, (unsigned int)flags);
	if (fd < 0)
		fput(f);
	return fd;
}

long pty_ioctl(struct tty_struct *tty, struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pty_pair *pair = pty_pair_of(tty);
	int __user *p = (int __user *)arg;
	int val;

	/* Only the master answers these (Linux's ptm_unix98_ops). */
	if (!tty->pty_master)
		return -ENOTTY;
	switch (cmd) {
	case TIOCGPTN:
		return put_user((int)pty_index(tty), p);
	case TIOCSPTLCK:
		if (get_user(val, p))
			return -EFAULT;
		mutex_lock(&pty_mutex);
		pair->locked = val != 0;
		mutex_unlock(&pty_mutex);
		return 0;
	case TIOCGPTLCK:
		mutex_lock(&pty_mutex);
		val = pair->locked;
		mutex_unlock(&pty_mutex);
		return put_user(val, p);
	case TIOCPKT:
		if (get_user(val, p))
			return -EFAULT;
		if (val && !READ_ONCE(tty->packet))
			__atomic_store_n(&tty->link->pktstatus, 0, __ATOMIC_RELEASE);
		WRITE_ONCE(tty->packet, val != 0);
		return 0;
	case TIOCGPKT:
		return put_user((int)READ_ONCE(tty->packet), p);
	case TIOCGPTPEER:
		return pty_open_peer(tty, arg);
	}
	return -ENOTTY;
}

static int pty_init(void)
{
	int err = register_chrdev_fops(PTMX_MAJOR, PTMX_MINOR, &ptmx_fops);

	if (!err)
		err = register_chrdev_major(UNIX98_PTY_SLAVE_MAJOR, &pts_fops);
	return err;
}
core_initcall(pty_init);
