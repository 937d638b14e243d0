// SPDX-License-Identifier: MIT
/*
 * The tty core: the table of registered terminals and the file operations
 * of every tty character device.
 *
 *   (4, 64+n)  ttyS<n>      a serial line, as its driver registered it
 *   (5, 1)     /dev/console the tty tty_set_console() named
 *   (5, 0)     /dev/tty     the caller's controlling terminal (ENXIO without)
 *
 * An open file keeps its tty in file->private_data; reads, writes and ioctls
 * go to N_TTY (the only line discipline) and the termios ioctls. Opening a
 * tty other than /dev/console and /dev/tty without O_NOCTTY may make it the
 * controlling terminal of a session leader (tty_jobctrl.c), as on Linux.
 *
 * Lock order: tty_table_lock is a leaf; see internal.h for the tty's own.
 */
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/seq_file.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/tty.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>
#include "internal.h"

#define TTY_MAX 8
#define TTYAUX_MAJOR 5
#define TTY_DEV_MINOR 0
#define CONSOLE_DEV_MINOR 1

static struct tty_struct *tty_table[TTY_MAX];	/* [tty_table_lock] */
static unsigned int nr_ttys;			/* [tty_table_lock] */
static struct tty_struct *console_tty;		/* [tty_table_lock] */
static DEFINE_SPINLOCK(tty_table_lock);

/* Linux's INIT_C_CC: ^C ^\ ^? ^U ^D, TIME 0, MIN 1, ^Q ^S ^Z, ^R ^O ^W ^V. */
static const u8 tty_default_cc[NCCS] = {
	[VINTR] = 0x03, [VQUIT] = 0x1c, [VERASE] = 0x7f, [VKILL] = 0x15, [VEOF] = 0x04,
	[VTIME] = 0, [VMIN] = 1, [VSTART] = 0x11, [VSTOP] = 0x13, [VSUSP] = 0x1a,
	[VREPRINT] = 0x12, [VDISCARD] = 0x0f, [VWERASE] = 0x17, [VLNEXT] = 0x16,
};

void tty_init_termios(struct termios *t)
{
	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B115200 | CS8 | CREAD | HUPCL | CLOCAL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	t->c_line = N_TTY;
	memcpy(t->c_cc, tty_default_cc, sizeof(t->c_cc));
}

struct tty_struct *tty_table_get(unsigned int i)
{
	struct tty_struct *tty = NULL;

	unsigned int n;

	spin_lock(&tty_table_lock);
	n = nr_ttys;
	if (i < n)
		tty = tty_table[i];
	spin_unlock(&tty_table_lock);
	/* The pty pairs follow: job control and the receive worker see them too. */
	return i < n ? tty : pty_table_get(i - n);
}

static struct tty_struct *tty_lookup(dev_t dev)
{
	struct tty_struct *tty = NULL;

	spin_lock(&tty_table_lock);
	if (dev == MKDEV(TTYAUX_MAJOR, CONSOLE_DEV_MINOR))
		tty = console_tty;
	for (unsigned int i = 0; i < nr_ttys && !tty; i++)
		if (tty_table[i]->dev == dev)
			tty = tty_table[i];
	spin_unlock(&tty_table_lock);
	return tty;
}

struct tty_struct *tty_alloc(const char *name, const struct tty_operations *ops, dev_t dev)
{
	struct tty_struct *tty = kzalloc(sizeof(*tty), GFP_KERNEL);

	if (!tty)
		return ERR_PTR(-ENOMEM);
	strlcpy(tty->name, name, sizeof(tty->name));
	tty->dev = dev;
	tty->ops = ops;
	spin_lock_init(&tty->lock);
	spin_lock_init(&tty->output_lock);
	spin_lock_init(&tty->flip_lock);
	init_waitqueue_head(&tty->read_wait);
	init_waitqueue_head(&tty->write_wait);
	tty_init_termios(&tty->termios);
	tty->ldata.icanon = true;
	return tty;
}

void tty_reset(struct tty_struct *tty)
{
	tty_flip_flush(tty);
	spin_lock(&tty->lock);
	n_tty_flush_input_locked(tty);
	tty->session = 0;
	tty->pgrp = 0;
	tty->stopped = false;
	memset(&tty->winsize, 0, sizeof(tty->winsize));
	spin_unlock(&tty->lock);
	spin_lock(&tty->output_lock);
	tty->column = 0;
	spin_unlock(&tty->output_lock);
}

void tty_set_stopped_locked(struct tty_struct *tty, bool stopped)
{
	lockdep_assert_held(&tty->lock);
	if (tty->stopped == stopped)
		return;
	tty->stopped = stopped;
	if (!stopped)
		wake_up(&tty->write_wait);
	if (tty->link && !tty->pty_master)
		pty_pkt_event(tty, stopped ? TIOCPKT_STOP : TIOCPKT_START,
			      stopped ? TIOCPKT_START : TIOCPKT_STOP);
}

struct tty_struct *tty_register_device(const char *name, const struct tty_operations *ops,
				       unsigned int major, unsigned int minor)
{
	struct tty_struct *tty = tty_alloc(name, ops, MKDEV(major, minor));
	int err;

	if (IS_ERR(tty))
		return tty;
	spin_lock(&tty_table_lock);
	if (nr_ttys == TTY_MAX) {
		spin_unlock(&tty_table_lock);
		kfree(tty);
		return ERR_PTR(-ENOSPC);
	}
	tty_table[nr_ttys++] = tty;
	spin_unlock(&tty_table_lock);

	err = register_chrdev_fops(major, minor, &tty_fops);
	if (err)
		return ERR_PTR(err);
	return tty;
}

void tty_set_console(struct tty_struct *tty)
{
	spin_lock(&tty_table_lock);
	console_tty = tty;
	spin_unlock(&tty_table_lock);
}

/*
 * /proc/consoles, Linux 6.1's format: the console's tty, write-only (-W-:
 * the kernel writes its messages to it), enabled and the console device
 * (E, C), printing the log buffer and callable any time (p, a), and its
 * device number. Init systems read it to find the tty behind /dev/console.
 */
int proc_consoles_show(struct seq_file *m)
{
	struct tty_struct *tty;
	size_t start = m->count;

	spin_lock(&tty_table_lock);
	tty = console_tty;
	spin_unlock(&tty_table_lock);
	if (!tty)
		return 0;
	seq_puts(m, tty->name);
	seq_pad(m, start, 20, ' ');
	seq_printf(m, "-W- (EC p a) %4u:%u\n", MAJOR(tty->dev), MINOR(tty->dev));
	return 0;
}

static int tty_open(struct inode *inode, struct file *file)
{
	dev_t dev = inode->i_rdev;
	struct tty_struct *tty;
	bool noctty = file->f_flags & O_NOCTTY;

	if (dev == MKDEV(TTYAUX_MAJOR, TTY_DEV_MINOR)) {
		tty = tty_get_ctty();
		if (!tty)
			return -ENXIO;
		noctty = true;
	} else {
		tty = tty_lookup(dev);
		if (!tty)
			return -ENODEV;
		/* Linux never makes the console a controlling terminal by open(). */
		if (dev == MKDEV(TTYAUX_MAJOR, CONSOLE_DEV_MINOR))
			noctty = true;
	}
	file->private_data = tty;
	return tty_open_common(tty, file, noctty);
}

int tty_open_common(struct tty_struct *tty, struct file *file, bool noctty)
{
	/* Input is processed from the first open on (see tty_buffer.c for why not at boot). */
	int err = tty_rx_worker_start();

	if (err)
		return err;
	if (!noctty)
		tty_open_set_ctty(tty, file);
	return 0;
}

static int tty_release(struct inode *inode, struct file *file)
{
	struct tty_struct *tty = file->private_data;

	if (tty->link)
		pty_release(tty);
	return 0;
}

static ssize_t tty_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	return n_tty_read(file->private_data, file, to);
}

static ssize_t tty_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	return n_tty_write(file->private_data, file, from);
}

static __poll_t tty_poll(struct file *file, struct poll_table *pt)
{
	return n_tty_poll(file->private_data, file, pt);
}

const struct file_operations tty_fops = {
	.open = tty_open,
	.release = tty_release,
	.read_iter = tty_read,
	.write_iter = tty_write,
	.unlocked_ioctl = tty_ioctl,
	.poll = tty_poll,
};

static int tty_aux_init(void)
{
	int err = register_chrdev_fops(TTYAUX_MAJOR, TTY_DEV_MINOR, &tty_fops);

	if (!err)
		err = register_chrdev_fops(TTYAUX_MAJOR, CONSOLE_DEV_MINOR, &tty_fops);
	return err;
}
core_initcall(tty_aux_init);
