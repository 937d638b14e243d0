/* SPDX-License-Identifier: MIT */
/*
 * Terminals: what the tty layer (drivers/tty/, docs/tty.md) offers drivers
 * and the rest of the kernel.
 *
 * A driver registers one tty per line with the operations that reach its
 * hardware, then feeds received bytes from its interrupt handler with
 * tty_insert_flip_char() and tty_flip_buffer_push(). The bytes wait in a
 * per-tty ring until the receive worker runs them through the N_TTY line
 * discipline (echo, line editing, signals) in process context; user
 * programs reach the tty through its character device, /dev/console, or
 * /dev/tty for their controlling terminal.
 *
 * Controlling terminals belong to sessions: a tty records the session it
 * controls and its foreground process group.
 */
#ifndef _EXO_TTY_H
#define _EXO_TTY_H

#include <exo/types.h>

struct tty_struct;

struct tty_operations {
	/*
	 * Hands @len bytes to the device, already output-processed; returns
	 * once all are sent (polled). Called in process context with the tty's
	 * output lock held; must not sleep.
	 */
	void (*write)(struct tty_struct *tty, const u8 *buf, size_t len);
	/*
	 * Optional. The flip ring has room again after the driver stopped
	 * receiving because tty_buffer_space_avail() said 0: resume. Called
	 * by the receive worker in process context.
	 */
	void (*unthrottle)(struct tty_struct *tty);
	/*
	 * Optional. Bytes ->write can take now; a writer waits on the tty's
	 * write_wait while it is too small (ptys: the peer's flip ring). NULL:
	 * ->write always takes everything (polled hardware).
	 */
	size_t (*write_room)(struct tty_struct *tty);
};

/*
 * Registers a terminal called @name whose character device is (@major,
 * @minor), with Linux's default termios. Returns the tty or ERR_PTR(-errno).
 * Ttys are never unregistered.
 */
struct tty_struct *tty_register_device(const char *name, const struct tty_operations *ops,
				       unsigned int major, unsigned int minor);
/* Makes @tty the terminal /dev/console (5:1) opens. */
void tty_set_console(struct tty_struct *tty);

/*
 * Interrupt context (interrupts off): queues one received byte; a full ring
 * drops it and counts an overrun. tty_flip_buffer_push() then wakes the
 * receive worker for everything queued. A driver that can leave bytes in
 * its device asks tty_buffer_space_avail() first and, at 0, stops
 * receiving until ->unthrottle, so that nothing is dropped.
 */
size_t tty_buffer_space_avail(struct tty_struct *tty);
void tty_insert_flip_char(struct tty_struct *tty, u8 c);
void tty_flip_buffer_push(struct tty_struct *tty);

/*
 * do_exit() of a session leader: the terminal @sid controls, if any, sends
 * SIGHUP and SIGCONT to its foreground process group and no longer belongs
 * to a session.
 */
void tty_session_leader_exit(int sid);

/*
 * /proc/PID/stat: the controlling terminal of session @sid as Linux encodes
 * tty_nr (new_encode_dev) and its foreground group; false when it has none.
 */
bool tty_session_info(int sid, u32 *tty_nr, int *tpgid);

struct seq_file;
/* /proc/consoles: the tty behind /dev/console. */
int proc_consoles_show(struct seq_file *m);

#endif /* _EXO_TTY_H */
