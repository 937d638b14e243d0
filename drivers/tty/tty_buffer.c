// SPDX-License-Identifier: MIT
/*
 * The receive path between a driver's interrupt handler and N_TTY.
 *
 * The handler queues bytes in the tty's flip ring (tty_insert_flip_char,
 * interrupts off, flip_lock only) and wakes the receive worker
 * (tty_flip_buffer_push). The worker, a kernel thread, takes the bytes out
 * and feeds them to the line discipline in process context, where it may
 * take tty->lock, echo through the polled UART and signal process groups:
 * none of that belongs in an interrupt handler.
 *
 * No byte is lost: when N_TTY's read buffer is full (non-canonical mode)
 * the worker leaves the rest in the ring and marks the tty throttled; the
 * reader that makes room kicks the worker again. When the ring is full, a
 * driver that can (the 16550) stops taking bytes from its device until the
 * worker has emptied half the ring and calls ->unthrottle; the device (and
 * QEMU's serial backend behind it) holds the rest. A driver that cannot
 * wait drops bytes on a full ring (counted in flip_overruns).
 *
 * The worker starts with the first open of any tty rather than at boot: a
 * kernel thread created by an initcall would take pid 1 from init, and no
 * input matters before someone has a terminal open.
 *
 * Lock order: tty->lock -> tty->flip_lock.
 */
#include <exo/err.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/tty.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include "internal.h"

#define TTY_FLIP_MASK (TTY_FLIP_SIZE - 1)

static DECLARE_WAIT_QUEUE_HEAD(tty_rx_wait);
static bool tty_rx_pending;			/* [atomic] set by pushes, cleared by the worker */
static int tty_rx_started;			/* [atomic] */

size_t tty_buffer_space_avail(struct tty_struct *tty)
{
	unsigned long flags;
	size_t room;

	spin_lock_irqsave(&tty->flip_lock, flags);
	room = TTY_FLIP_SIZE - (tty->flip_head - tty->flip_tail);
	spin_unlock_irqrestore(&tty->flip_lock, flags);
	return room;
}

void tty_insert_flip_char(struct tty_struct *tty, u8 c)
{
	unsigned long flags;

	spin_lock_irqsave(&tty->flip_lock, flags);
	if (tty->flip_head - tty->flip_tail < TTY_FLIP_SIZE)
		tty->flip_buf[tty->flip_head++ & TTY_FLIP_MASK] = c;
	else
		tty->flip_overruns++;
	spin_unlock_irqrestore(&tty->flip_lock, flags);
}

void tty_flip_buffer_push(struct tty_struct *tty)
{
	__atomic_store_n(&tty_rx_pending, true, __ATOMIC_RELEASE);
	wake_up(&tty_rx_wait);
}

void tty_rx_worker_kick(void)
{
	tty_flip_buffer_push(NULL);
}

void tty_flip_flush(struct tty_struct *tty)
{
	unsigned long flags;

	spin_lock_irqsave(&tty->flip_lock, flags);
	tty->flip_tail = tty->flip_head;
	spin_unlock_irqrestore(&tty->flip_lock, flags);
}

/* Next queued byte of @tty into *@c; false when the ring is empty. */
static bool tty_flip_peek(struct tty_struct *tty, u8 *c)
{
	unsigned long flags;
	bool any;

	spin_lock_irqsave(&tty->flip_lock, flags);
	any = tty->flip_head != tty->flip_tail;
	if (any)
		*c = tty->flip_buf[tty->flip_tail & TTY_FLIP_MASK];
	spin_unlock_irqrestore(&tty->flip_lock, flags);
	return any;
}

static void tty_flip_consume(struct tty_struct *tty)
{
	unsigned long flags;

	spin_lock_irqsave(&tty->flip_lock, flags);
	tty->flip_tail++;
	spin_unlock_irqrestore(&tty->flip_lock, flags);
}

/*
 * Runs @tty's queued bytes through N_TTY until the ring is empty or the read
 * buffer full. The worker calls it, and so does a reader that must know
 * whether more input is coming (tty_flip_drain()): peek and consume both run
 * under tty->lock, so the two never hand the same byte on twice.
 */
static void tty_flip_to_ldisc(struct tty_struct *tty)
{
	bool woke = false;
	/* Set by tty_flip_peek() whenever it returns true; initialised for gcc -O2 without DEBUG. */
	u8 c = 0;

	for (;;) {
		int pgrp = 0, sig;

		spin_lock(&tty->lock);
		if (tty->throttled || !tty_flip_peek(tty, &c)) {
			spin_unlock(&tty->lock);
			break;
		}
		sig = n_tty_receive_char_locked(tty, c);
		if (sig == -ENOSPC) {
			tty->throttled = true;
		} else {
			tty_flip_consume(tty);
			pgrp = tty->pgrp;
		}
		spin_unlock(&tty->lock);
		if (sig > 0 && pgrp)
			kill_pgrp(pgrp, sig);
		woke = true;
	}
	if (woke)
		wake_up(&tty->read_wait);
	/* Half empty: a driver that stopped receiving on a full ring may go on. */
	if (tty->ops->unthrottle && tty_buffer_space_avail(tty) >= TTY_FLIP_SIZE / 2)
		tty->ops->unthrottle(tty);
}

/*
 * A pty master whose slave closed reads EIO once the slave's output is read
 * (Linux's n_tty_read flushes the buffer work first). The slave's last bytes
 * may still wait in this ring for the worker: move them in now, so EIO never
 * overtakes them (read and poll both). True when that made input available.
 */
bool tty_flip_drain(struct tty_struct *tty)
{
	size_t tail = READ_ONCE(tty->flip_tail);

	tty_flip_to_ldisc(tty);
	/* A throttled tty moves nothing: the caller must not spin on it. */
	return READ_ONCE(tty->flip_tail) != tail;
}

static int tty_rx_worker(void *unused)
{
	for (;;) {
		struct tty_struct *tty;

		wait_event_interruptible(tty_rx_wait,
					 __atomic_load_n(&tty_rx_pending, __ATOMIC_ACQUIRE));
		__atomic_store_n(&tty_rx_pending, false, __ATOMIC_RELEASE);
		for (unsigned int i = 0; (tty = tty_table_get(i)); i++)
			tty_flip_to_ldisc(tty);
	}
	return 0;
}

int tty_rx_worker_start(void)
{
	int none = 0;
	struct task *t;

	/* 0: no worker, 1: one exists or is being made. */
	if (!__atomic_compare_exchange_n(&tty_rx_started, &none, 1, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return 0;
	t = kthread_create(tty_rx_worker, NULL, "ttyrx");
	if (IS_ERR(t)) {
		__atomic_store_n(&tty_rx_started, 0, __ATOMIC_RELEASE);
		pr_err("tty: cannot start the receive worker (%ld)\n", PTR_ERR(t));
		return (int)PTR_ERR(t);
	}
	wake_up_new_task(t);
	return 0;
}
