/* SPDX-License-Identifier: MIT */
/*
 * Inside the tty layer (drivers/tty/): struct tty_struct and what the core
 * (tty_io.c), the receive path (tty_buffer.c), the line discipline (n_tty.c),
 * the termios ioctls (tty_ioctl.c) and job control (tty_jobctrl.c) share.
 *
 * Lock order (docs/tty.md):
 *   tasklist_lock -> tty->lock -> tty->output_lock
 *                              -> tty->flip_lock (a leaf, interrupts off: the
 *                                 receive interrupt takes it)
 *                              -> wq->lock (wake-ups)
 *   tty_table_lock is a leaf.
 * tty->lock is never taken in interrupt context, and nothing that may fault
 * or sleep runs under it: readers and writers move bytes through small
 * kernel buffers and do the user copies unlocked. Signals are sent
 * (kill_pgrp takes tasklist_lock) only after tty->lock is dropped.
 */
#ifndef _DRIVERS_TTY_INTERNAL_H
#define _DRIVERS_TTY_INTERNAL_H

#include <exo/compiler.h>
#include <exo/fs_types.h>
#include <exo/spinlock.h>
#include <exo/types.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/termios.h>

struct file;
struct iov_iter;
struct poll_table;
struct tty_operations;

/* Sizes of the two rings; powers of two (indices run free and are masked). */
#define N_TTY_BUF_SIZE 4096
#define TTY_FLIP_SIZE 4096
#define TTY_NAME_LEN 16

/* c_cc[] entries equal to this are disabled (Linux's __DISABLED_CHAR). */
#define TTY_DISABLED_CHAR 0

/* N_TTY's read state; every field is [tty->lock]. */
struct n_tty_data {
	u8 read_buf[N_TTY_BUF_SIZE];
	/* One bit per read_buf slot: the byte ends a canonical line. */
	unsigned long read_flags[N_TTY_BUF_SIZE / (8 * sizeof(unsigned long))];
	size_t read_tail;	/* next byte read() takes */
	size_t canon_head;	/* end of the last complete line (canonical mode) */
	size_t read_head;	/* where the next received byte goes */
	unsigned int canon_column;	/* output column where the line being edited began */
	bool icanon;		/* ICANON as the buffer was last laid out */
	bool lnext;		/* the previous byte was VLNEXT: take this one literally */
	bool erasing;		/* ECHOPRT erase in progress */
};

struct tty_struct {
	char name[TTY_NAME_LEN];		/* [immutable] "ttyS0" */
	dev_t dev;				/* [immutable] */
	const struct tty_operations *ops;	/* [immutable] */

	struct spinlock lock;
	struct termios termios;			/* [lock] */
	struct winsize winsize;			/* [lock] */
	int session;				/* [lock] sid it controls, 0 for none */
	int pgrp;				/* [lock] foreground process group, 0 for none */
	bool stopped;				/* [lock] output stopped (^S, TCOOFF) */
	bool throttled;				/* [lock] read buffer full: input waits */
	struct n_tty_data ldata;		/* [lock] */

	/* Serialises what is sent to the device: echoes and writes never interleave mid-run. */
	struct spinlock output_lock;
	unsigned int column;			/* [output_lock] cursor column (tabs, erase) */

	/* Bytes the receive interrupt took from the device, not yet seen by the line discipline. */
	struct spinlock flip_lock;
	u8 flip_buf[TTY_FLIP_SIZE];		/* [flip_lock] */
	size_t flip_head, flip_tail;		/* [flip_lock] */
	unsigned long flip_overruns;		/* [flip_lock] bytes dropped: the ring was full */

	struct wait_queue_head read_wait;	/* readers: input arrived, termios changed */
	struct wait_queue_head write_wait;	/* writers: output restarted */

	/*
	 * Pseudo-terminals (pty.c): the other side of the pair, NULL for
	 * other ttys. A pair is recycled, never freed (pty.c says why).
	 */
	struct tty_struct *link;		/* [immutable] */
	bool pty_master;			/* [immutable] */
	bool packet;				/* [atomic] master: TIOCPKT mode */
	u8 pktstatus;				/* [atomic] slave: TIOCPKT_* events for the master */
	bool other_closed;			/* [atomic] master: the slave's last file closed */
	bool hung_up;				/* [atomic] slave: the master closed */
};

/*
 * Hangs @tty up (Linux's tty_vhangup()): its session loses it as
 * controlling terminal and the session leader gets SIGHUP and SIGCONT;
 * a pty slave's files read EOF and fail writes with EIO from now on, and
 * its sleepers wake. Takes tty->lock.
 */
void tty_hangup(struct tty_struct *tty);

/* ---- tty_io.c --------------------------------------------------------------- */
extern const struct file_operations tty_fops;
/* Linux's tty_std_termios for a serial line. */
void tty_init_termios(struct termios *t);
/* Each registered tty in turn; NULL ends. Registration only grows the table. */
struct tty_struct *tty_table_get(unsigned int i);

/* A new tty named @name for device @dev with Linux's default termios; ERR_PTR(-ENOMEM). */
struct tty_struct *tty_alloc(const char *name, const struct tty_operations *ops, dev_t dev);
/* Clears what an open file or a session left behind: input, flip ring, session, flow. */
void tty_reset(struct tty_struct *tty);
/* Output stopped (^S, TCOOFF) or restarted: wakes writers, tells a packet-mode pty master. */
void tty_set_stopped_locked(struct tty_struct *tty, bool stopped);
/* tty_open() for a file whose private_data is already @tty (ptys): the ctty rules, the worker. */
int tty_open_common(struct tty_struct *tty, struct file *file, bool noctty);

/* ---- pty.c --------------------------------------------------------------------- */
#ifdef CONFIG_UNIX98_PTYS
/* The @i-th tty of the allocated pty pairs (master 2k, slave 2k+1), or NULL past the last. */
struct tty_struct *pty_table_get(unsigned int i);
/* Slave @tty had an event a packet-mode master reports (TIOCPKT_*): sets @set, clears @clear. */
void pty_pkt_event(struct tty_struct *tty, u8 set, u8 clear);
/* Master @tty in packet mode: takes the pending status byte (0 for none). */
u8 pty_pkt_take(struct tty_struct *tty);
/* Slave @tty's termios changed from @old: DOSTOP/NOSTOP for a packet-mode master. */
void pty_termios_changed(struct tty_struct *tty, const struct termios *old);
/* TCFLSH on a pty: flushes what the other side has not read yet (TCOFLUSH) and reports. */
void pty_flush(struct tty_struct *tty, bool input, bool output);
/* The pty ioctls (TIOCGPTN, TIOCSPTLCK, TIOCGPTLCK, TIOCPKT, TIOCGPKT, TIOCGPTPEER). */
long pty_ioctl(struct tty_struct *tty, struct file *file, unsigned int cmd, unsigned long arg);
/* Last close of a pty file; the pair is recycled once both sides are closed. */
void pty_release(struct tty_struct *tty);
#else
static inline struct tty_struct *pty_table_get(unsigned int i) { return NULL; }
static inline void pty_pkt_event(struct tty_struct *tty, u8 set, u8 clear) { }
static inline u8 pty_pkt_take(struct tty_struct *tty) { return 0; }
static inline void pty_termios_changed(struct tty_struct *tty, const struct termios *old) { }
static inline void pty_flush(struct tty_struct *tty, bool input, bool output) { }
static inline long pty_ioctl(struct tty_struct *tty, struct file *file, unsigned int cmd,
			     unsigned long arg) { return -ENOTTY; }
static inline void pty_release(struct tty_struct *tty) { }
#endif

/* Master with its slave closed, or slave whose master closed: read/poll see the end. */
static inline bool tty_other_gone(struct tty_struct *tty)
{
	return READ_ONCE(tty->other_closed) || READ_ONCE(tty->hung_up);
}

/* ---- tty_buffer.c ----------------------------------------------------------- */
/* Starts the receive worker (once); 0 or -errno. */
int tty_rx_worker_start(void);
/* Wakes the receive worker (a reader made room in a throttled tty). */
void tty_rx_worker_kick(void);
/* Drops whatever waits in the flip ring (TCIFLUSH). */
void tty_flip_flush(struct tty_struct *tty);
/* Moves what waits in the flip ring into N_TTY now; true when a byte moved. */
bool tty_flip_drain(struct tty_struct *tty);

/* ---- n_tty.c -------------------------------------------------------------------- */
/*
 * Feeds @c, as received, to the line discipline. Called with tty->lock held;
 * returns a signal to send to the foreground process group (0 for none),
 * which the caller sends after dropping the lock. Returns -ENOSPC, taking
 * nothing, when the read buffer is full in non-canonical mode.
 */
int n_tty_receive_char_locked(struct tty_struct *tty, u8 c);
ssize_t n_tty_read(struct tty_struct *tty, struct file *file, struct iov_iter *to);
ssize_t n_tty_write(struct tty_struct *tty, struct file *file, struct iov_iter *from);
/* Readiness: POLLIN when a read would not block (a line, or VMIN bytes), POLLOUT unless stopped. */
__poll_t n_tty_poll(struct tty_struct *tty, struct file *file, struct poll_table *pt);
/* New termios are in place (tty->lock held): lay the read buffer out for the new mode. */
void n_tty_set_termios_locked(struct tty_struct *tty, const struct termios *old);
/* Empties the read buffer (tty->lock held). */
void n_tty_flush_input_locked(struct tty_struct *tty);
/* FIONREAD: bytes a read could return now (tty->lock held). */
int n_tty_input_count_locked(struct tty_struct *tty);
/* Sends @len bytes through output processing (OPOST...), with @oflag/@iflag. output_lock held. */
void tty_output_locked(struct tty_struct *tty, const u8 *buf, size_t len, u32 oflag, u32 iflag);

/* ---- tty_ioctl.c ------------------------------------------------------------------ */
long tty_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* ---- tty_jobctrl.c ------------------------------------------------------------- */
/*
 * The caller may act on @tty as a process in its foreground group would: 0;
 * otherwise, when @tty is the caller's controlling terminal and the caller
 * is in a background group, sends @sig (SIGTTIN/SIGTTOU) to the caller's
 * group and returns -ERESTARTSYS, or -EIO when the signal cannot stop it
 * (blocked SIGTTIN, orphaned group). A blocked SIGTTOU lets the caller go on.
 */
int tty_check_change(struct tty_struct *tty, int sig);
/* The controlling terminal of the caller's session, or NULL. */
struct tty_struct *tty_get_ctty(void);
/* open() without O_NOCTTY: a session leader without a terminal makes @tty its own. */
void tty_open_set_ctty(struct tty_struct *tty, struct file *file);
/* TIOCSCTTY, TIOCNOTTY, TIOCGPGRP, TIOCSPGRP, TIOCGSID (tty_ioctl() routes only these here). */
long tty_jobctrl_ioctl(struct tty_struct *tty, struct file *file, unsigned int cmd,
		       unsigned long arg);

#endif /* _DRIVERS_TTY_INTERNAL_H */
