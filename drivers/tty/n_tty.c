// SPDX-License-Identifier: MIT
/*
 * N_TTY, Linux's default line discipline: what happens to bytes between the
 * device and read()/write() (termios(3), Linux drivers/tty/n_tty.c).
 *
 * Input (n_tty_receive_char_locked, from the receive worker): ISTRIP, IXON
 * flow control, ISIG signal characters (^C ^\ ^Z, which flush the input
 * unless NOFLSH and echo as "^C"), IGNCR/ICRNL/INLCR, then in canonical
 * mode line editing (ERASE, WERASE, KILL, LNEXT, REPRINT) and line ends
 * (\n, EOL, EOL2, EOF), echoed per ECHO/ECHOE/ECHOK/ECHOKE/ECHONL/ECHOCTL/
 * ECHOPRT.
 *
 * The read buffer is a ring of N_TTY_BUF_SIZE bytes indexed by free-running
 * counters: read_tail <= canon_head <= read_head. Bytes before canon_head
 * form complete lines, each ended by a byte whose read_flags bit is set; an
 * EOF (^D) is stored as a flagged TTY_DISABLED_CHAR that read() consumes but
 * never returns, so ^D on an empty line reads as 0 bytes and ^D after text
 * ends the line without a newline. Non-canonical reads ignore the flags and
 * follow VMIN/VTIME.
 *
 * Output (n_tty_write and echoes): OPOST with ONLCR, OCRNL, ONOCR, ONLRET,
 * OLCUC, keeping the cursor column for tab erasure.
 *
 * Locking: everything here runs with tty->lock held except the user copies
 * in n_tty_read()/n_tty_write(); output takes tty->output_lock inside it.
 */
#include <exo/fs.h>
#include <exo/poll.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/time.h>
#include <exo/timer.h>
#include <exo/tty.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>
#include <uapi/signal.h>
#include "internal.h"

#define N_TTY_MASK (N_TTY_BUF_SIZE - 1)
#define N_TTY_BOUNCE 256	/* bytes moved per lock hold between the ring and user memory */
#define TTY_OUT_CHUNK 64
#define NSEC_PER_DECISECOND (NSEC_PER_SEC / 10)
#define NO_DEADLINE (~0ULL)
#define CTRL_TOGGLE 0x40	/* ^X shows control character X ^ 0x40 */
/* Room a ->write_room driver needs per byte written: ONLCR may turn one into two. */
#define WRITE_ROOM_PER_BYTE 2

#define L(tty, f) ((tty)->termios.c_lflag & (f))
#define I(tty, f) ((tty)->termios.c_iflag & (f))

#define BITS_PER_ULONG (8 * sizeof(unsigned long))

static bool tty_iscntrl(u8 c)
{
	return c < 0x20 || c == 0x7f;
}

static bool tty_isalnum(u8 c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_continuation(u8 c, u32 iflag)
{
	return (iflag & IUTF8) && (c & 0xc0) == 0x80;
}

/* @c is the enabled control character c_cc[@idx]. */
static bool is_cc(struct tty_struct *tty, int idx, u8 c)
{
	u8 cc = tty->termios.c_cc[idx];

	return cc != TTY_DISABLED_CHAR && c == cc;
}

static size_t read_cnt(const struct n_tty_data *ld)
{
	return ld->read_head - ld->read_tail;
}

static u8 read_byte(const struct n_tty_data *ld, size_t i)
{
	return ld->read_buf[i & N_TTY_MASK];
}

static bool line_end(const struct n_tty_data *ld, size_t i)
{
	i &= N_TTY_MASK;
	return ld->read_flags[i / BITS_PER_ULONG] & (1UL << (i % BITS_PER_ULONG));
}

static void set_line_end(struct n_tty_data *ld, size_t i, bool on)
{
	unsigned long bit;

	i &= N_TTY_MASK;
	bit = 1UL << (i % BITS_PER_ULONG);
	if (on)
		ld->read_flags[i / BITS_PER_ULONG] |= bit;
	else
		ld->read_flags[i / BITS_PER_ULONG] &= ~bit;
}

static void put_tty_queue(struct n_tty_data *ld, u8 c)
{
	ld->read_buf[ld->read_head++ & N_TTY_MASK] = c;
}

/* ---- output ------------------------------------------------------------------ */

void tty_output_locked(struct tty_struct *tty, const u8 *buf, size_t len, u32 oflag, u32 iflag)
{
	u8 out[TTY_OUT_CHUNK + 1];
	size_t o = 0;

	lockdep_assert_held(&tty->output_lock);
	for (size_t i = 0; i < len; i++) {
		u8 c = buf[i];

		if (o >= TTY_OUT_CHUNK) {
			tty->ops->write(tty, out, o);
			o = 0;
		}
		if (!(oflag & OPOST)) {
			out[o++] = c;
			continue;
		}
		switch (c) {
		case '\n':
			if (oflag & ONLRET)
				tty->column = 0;
			if (oflag & ONLCR) {
				out[o++] = '\r';
				tty->column = 0;
			}
			break;
		case '\r':
			if ((oflag & ONOCR) && tty->column == 0)
				continue;
			if (oflag & OCRNL) {
				c = '\n';
				if (oflag & ONLRET)
					tty->column = 0;
				break;
			}
			tty->column = 0;
			break;
		case '\t':
			tty->column = (tty->column | 7) + 1;
			break;
		case '\b':
			if (tty->column)
				tty->column--;
			break;
		default:
			if (!tty_iscntrl(c)) {
				if ((oflag & OLCUC) && c >= 'a' && c <= 'z')
					c -= 'a' - 'A';
				if (!is_continuation(c, iflag))
					tty->column++;
			}
			break;
		}
		out[o++] = c;
	}
	if (o)
		tty->ops->write(tty, out, o);
}

/* ---- echo (tty->lock held) ------------------------------------------------------- */

static void echo_bytes(struct tty_struct *tty, const u8 *b, size_t n)
{
	spin_lock(&tty->output_lock);
	tty_output_locked(tty, b, n, tty->termios.c_oflag, tty->termios.c_iflag);
	spin_unlock(&tty->output_lock);
}

static void echo_char_raw(struct tty_struct *tty, u8 c)
{
	echo_bytes(tty, &c, 1);
}

/* Echoes @c, a control character as "^X" under ECHOCTL. */
static void echo_char(struct tty_struct *tty, u8 c)
{
	if (L(tty, ECHOCTL) && tty_iscntrl(c) && c != '\t') {
		u8 b[2] = { '^', c ^ CTRL_TOGGLE };

		echo_bytes(tty, b, 2);
	} else {
		echo_char_raw(tty, c);
	}
}

/* The first byte of a line is about to be echoed: remember where the line starts on screen. */
static void echo_set_canon_col(struct tty_struct *tty)
{
	struct n_tty_data *ld = &tty->ldata;

	if (ld->canon_head == ld->read_head) {
		spin_lock(&tty->output_lock);
		ld->canon_column = tty->column;
		spin_unlock(&tty->output_lock);
	}
}

static void finish_erasing(struct tty_struct *tty)
{
	if (tty->ldata.erasing) {
		echo_char_raw(tty, '/');
		tty->ldata.erasing = false;
	}
}

static void echo_backspaces(struct tty_struct *tty, unsigned int n, bool blank)
{
	while (n--) {
		if (blank)
			echo_bytes(tty, (const u8 *)"\b \b", 3);
		else
			echo_char_raw(tty, '\b');
	}
}

/* Columns the tab just erased took: replay the line from its starting column. */
static unsigned int erased_tab_width(struct tty_struct *tty)
{
	struct n_tty_data *ld = &tty->ldata;
	unsigned int col = ld->canon_column;

	for (size_t i = ld->canon_head; i != ld->read_head; i++) {
		u8 c = read_byte(ld, i);

		if (c == '\t')
			col = (col | 7) + 1;
		else if (tty_iscntrl(c))
			col += L(tty, ECHOCTL) ? 2 : 0;
		else if (!is_continuation(c, tty->termios.c_iflag))
			col++;
	}
	return ((col | 7) + 1) - col;
}

/* Echoes a byte being stored: "\n" as itself, others per ECHOCTL, noting where a line starts. */
static void echo_input_char(struct tty_struct *tty, u8 c)
{
	finish_erasing(tty);
	if (c == '\n') {
		echo_char_raw(tty, '\n');
	} else {
		echo_set_canon_col(tty);
		echo_char(tty, c);
	}
}

/* ---- line editing (tty->lock held) --------------------------------------------- */

enum n_tty_kill { KILL_CHAR, ERASE_ONE, ERASE_WORD };

/* ERASE, WERASE or KILL (@c is the character typed), with its echo. */
static void n_tty_erase(struct tty_struct *tty, u8 c)
{
	struct n_tty_data *ld = &tty->ldata;
	u32 iflag = tty->termios.c_iflag;
	enum n_tty_kill kind;
	unsigned int seen_alnums = 0;

	if (ld->read_head == ld->canon_head)
		return;
	if (is_cc(tty, VERASE, c)) {
		kind = ERASE_ONE;
	} else if (is_cc(tty, VWERASE, c)) {
		kind = ERASE_WORD;
	} else {
		if (!L(tty, ECHO)) {
			ld->read_head = ld->canon_head;
			return;
		}
		if (!L(tty, ECHOK) || !L(tty, ECHOKE) || !L(tty, ECHOE)) {
			ld->read_head = ld->canon_head;
			finish_erasing(tty);
			echo_char(tty, c);
			if (L(tty, ECHOK))
				echo_char_raw(tty, '\n');
			return;
		}
		kind = KILL_CHAR;
	}

	while (ld->read_head != ld->canon_head) {
		size_t head = ld->read_head;
		u8 e;

		/* One character: a UTF-8 sequence goes as a whole. */
		do {
			head--;
			e = read_byte(ld, head);
		} while (is_continuation(e, iflag) && head != ld->canon_head);
		if (kind == ERASE_WORD) {
			/* Linux's (and BSD's ALTWERASE) word: letters, digits and '_'. */
			if (tty_isalnum(e) || e == '_')
				seen_alnums++;
			else if (seen_alnums)
				break;
		}
		ld->read_head = head;

		if (L(tty, ECHO)) {
			if (L(tty, ECHOPRT)) {
				if (!ld->erasing) {
					echo_char_raw(tty, '\\');
					ld->erasing = true;
				}
				echo_char(tty, e);
			} else if (kind == ERASE_ONE && !L(tty, ECHOE)) {
				echo_char(tty, c);
			} else if (e == '\t') {
				echo_backspaces(tty, erased_tab_width(tty), false);
			} else {
				/* A control character echoed as "^X" took two columns. */
				bool wide = tty_iscntrl(e) && L(tty, ECHOCTL);

				echo_backspaces(tty, wide ? 2 : 1, true);
			}
		}
		if (kind == ERASE_ONE)
			break;
	}
	if (ld->read_head == ld->canon_head && L(tty, ECHO))
		finish_erasing(tty);
}

/* ^R: the line being edited, again, on a line of its own. */
static void n_tty_reprint(struct tty_struct *tty, u8 c)
{
	struct n_tty_data *ld = &tty->ldata;

	if (!L(tty, ECHO))
		return;
	finish_erasing(tty);
	echo_char(tty, c);
	echo_char_raw(tty, '\n');
	for (size_t i = ld->canon_head; i != ld->read_head; i++)
		echo_char(tty, read_byte(ld, i));
}

/* ---- receiving ------------------------------------------------------------------- */

void n_tty_flush_input_locked(struct tty_struct *tty)
{
	struct n_tty_data *ld = &tty->ldata;

	lockdep_assert_held(&tty->lock);
	ld->read_tail = ld->canon_head = ld->read_head = 0;
	for (size_t i = 0; i < ARRAY_SIZE(ld->read_flags); i++)
		ld->read_flags[i] = 0;
	ld->lnext = false;
	ld->erasing = false;
	if (tty->throttled) {
		tty->throttled = false;
		tty_rx_worker_kick();
	}
}

/*
 * May one more byte be stored? 1: yes; 0: drop it (a canonical line that
 * fills the whole buffer keeps one slot for its end); -ENOSPC: wait until a
 * reader makes room.
 */
static int n_tty_room(struct tty_struct *tty, bool ends_line)
{
	struct n_tty_data *ld = &tty->ldata;
	size_t used = read_cnt(ld);

	if (!ld->icanon)
		return used < N_TTY_BUF_SIZE ? 1 : -ENOSPC;
	if (used < N_TTY_BUF_SIZE - 1 || (ends_line && used < N_TTY_BUF_SIZE))
		return 1;
	return ld->canon_head != ld->read_tail ? -ENOSPC : 0;
}

/* Stores a byte as data, echoing it. */
static int n_tty_receive_plain(struct tty_struct *tty, u8 c)
{
	struct n_tty_data *ld = &tty->ldata;
	int room = n_tty_room(tty, false);

	if (room <= 0)
		return room;
	if (L(tty, ECHO))
		echo_input_char(tty, c);
	put_tty_queue(ld, c);
	return 0;
}

/* A canonical line end: \n, EOL, EOL2, or EOF stored as TTY_DISABLED_CHAR. */
static int n_tty_receive_newline(struct tty_struct *tty, u8 c, bool echo)
{
	struct n_tty_data *ld = &tty->ldata;
	int room = n_tty_room(tty, true);

	if (room <= 0)
		return room;
	if (echo)
		echo_input_char(tty, c);
	set_line_end(ld, ld->read_head, true);
	put_tty_queue(ld, c);
	ld->canon_head = ld->read_head;
	return 0;
}

/* ^C, ^\, ^Z: returns the signal; the caller sends it to the foreground group. */
static int n_tty_receive_signal_char(struct tty_struct *tty, int sig, u8 c)
{
	if (!L(tty, NOFLSH)) {
		n_tty_flush_input_locked(tty);
		pty_pkt_event(tty, TIOCPKT_FLUSHREAD, 0);
	}
	if (I(tty, IXON))
		tty_set_stopped_locked(tty, false);
	if (L(tty, ECHO)) {
		finish_erasing(tty);
		echo_char(tty, c);
	}
	return sig;
}

int n_tty_receive_char_locked(struct tty_struct *tty, u8 c)
{
	struct n_tty_data *ld = &tty->ldata;

	lockdep_assert_held(&tty->lock);
	if (I(tty, ISTRIP))
		c &= 0x7f;
	if (ld->lnext) {
		int room = n_tty_room(tty, false);

		if (room < 0)
			return room;
		ld->lnext = false;
		/* The echo overwrites the "^" LNEXT left under the cursor. */
		return room ? n_tty_receive_plain(tty, c) : 0;
	}
	if (I(tty, IXON)) {
		if (is_cc(tty, VSTART, c)) {
			tty_set_stopped_locked(tty, false);
			return 0;
		}
		if (is_cc(tty, VSTOP, c)) {
			tty_set_stopped_locked(tty, true);
			return 0;
		}
		if (I(tty, IXANY))
			tty_set_stopped_locked(tty, false);
	}
	if (L(tty, ISIG)) {
		if (is_cc(tty, VINTR, c))
			return n_tty_receive_signal_char(tty, SIGINT, c);
		if (is_cc(tty, VQUIT, c))
			return n_tty_receive_signal_char(tty, SIGQUIT, c);
		if (is_cc(tty, VSUSP, c))
			return n_tty_receive_signal_char(tty, SIGTSTP, c);
	}
	if (c == '\r') {
		if (I(tty, IGNCR))
			return 0;
		if (I(tty, ICRNL))
			c = '\n';
	} else if (c == '\n' && I(tty, INLCR)) {
		c = '\r';
	}
	if (ld->icanon) {
		if (is_cc(tty, VERASE, c) || is_cc(tty, VKILL, c) ||
		    (is_cc(tty, VWERASE, c) && L(tty, IEXTEN))) {
			n_tty_erase(tty, c);
			return 0;
		}
		if (is_cc(tty, VLNEXT, c) && L(tty, IEXTEN)) {
			ld->lnext = true;
			if (L(tty, ECHO)) {
				finish_erasing(tty);
				if (L(tty, ECHOCTL))
					echo_bytes(tty, (const u8 *)"^\b", 2);
			}
			return 0;
		}
		if (is_cc(tty, VREPRINT, c) && L(tty, ECHO) && L(tty, IEXTEN)) {
			n_tty_reprint(tty, c);
			return 0;
		}
		if (c == '\n')
			return n_tty_receive_newline(tty, c, L(tty, ECHO) || L(tty, ECHONL));
		if (is_cc(tty, VEOF, c))
			return n_tty_receive_newline(tty, TTY_DISABLED_CHAR, false);
		if (is_cc(tty, VEOL, c) || is_cc(tty, VEOL2, c))
			return n_tty_receive_newline(tty, c, L(tty, ECHO));
	}
	return n_tty_receive_plain(tty, c);
}

void n_tty_set_termios_locked(struct tty_struct *tty, const struct termios *old)
{
	struct n_tty_data *ld = &tty->ldata;
	bool icanon = L(tty, ICANON);

	lockdep_assert_held(&tty->lock);
	if (icanon != ld->icanon) {
		for (size_t i = 0; i < ARRAY_SIZE(ld->read_flags); i++)
			ld->read_flags[i] = 0;
		/* Entering canonical mode, what raw input is waiting reads as one line. */
		if (!icanon || !read_cnt(ld)) {
			ld->canon_head = ld->read_tail;
		} else {
			set_line_end(ld, ld->read_head - 1, true);
			ld->canon_head = ld->read_head;
		}
		ld->icanon = icanon;
		ld->erasing = false;
		ld->lnext = false;
		wake_up(&tty->read_wait);
	}
	if (!I(tty, IXON) && (old->c_iflag & IXON))
		tty_set_stopped_locked(tty, false);
}

int n_tty_input_count_locked(struct tty_struct *tty)
{
	struct n_tty_data *ld = &tty->ldata;
	size_t n;

	lockdep_assert_held(&tty->lock);
	if (!ld->icanon)
		return (int)read_cnt(ld);
	n = 0;
	for (size_t i = ld->read_tail; i != ld->canon_head; i++)
		if (!line_end(ld, i) || read_byte(ld, i) != TTY_DISABLED_CHAR)
			n++;
	return (int)n;
}

/* ---- read ----------------------------------------------------------------------- */

static bool input_available_locked(struct tty_struct *tty)
{
	struct n_tty_data *ld = &tty->ldata;

	lockdep_assert_held(&tty->lock);
	return ld->icanon ? ld->canon_head != ld->read_tail : ld->read_head != ld->read_tail;
}

/*
 * Canonical: up to @n bytes of the first complete line into @kbuf. Sets
 * *@line_done when the line's end was consumed (an EOF marker is consumed,
 * never copied). Returns the bytes copied.
 */
static size_t canon_copy_locked(struct n_tty_data *ld, u8 *kbuf, size_t n, bool *line_done)
{
	size_t i = ld->read_tail, out = 0;

	lockdep_assert_held(&container_of(ld, struct tty_struct, ldata)->lock);
	*line_done = false;
	while (i != ld->canon_head && out < n) {
		u8 c = read_byte(ld, i);
		bool end = line_end(ld, i);

		i++;
		if (end) {
			set_line_end(ld, i - 1, false);
			*line_done = true;
			if (c != TTY_DISABLED_CHAR)
				kbuf[out++] = c;
			break;
		}
		kbuf[out++] = c;
	}
	/* A full buffer right before an EOF marker still ends the line (as Linux does). */
	if (!*line_done && i != ld->canon_head && line_end(ld, i) &&
	    read_byte(ld, i) == TTY_DISABLED_CHAR) {
		set_line_end(ld, i, false);
		i++;
		*line_done = true;
	}
	ld->read_tail = i;
	return out;
}

static size_t raw_copy_locked(struct n_tty_data *ld, u8 *kbuf, size_t n)
{
	size_t out = min(n, read_cnt(ld));

	lockdep_assert_held(&container_of(ld, struct tty_struct, ldata)->lock);
	for (size_t k = 0; k < out; k++)
		kbuf[k] = read_byte(ld, ld->read_tail + k);
	ld->read_tail += out;
	return out;
}

static void n_tty_timeout(struct timer *t)
{
	wake_up_process(t->data);
}

/* Sleeps until input may have arrived, a signal is pending, or @deadline (ns) passes. */
static void n_tty_sleep(struct tty_struct *tty, u64 deadline)
{
	struct wait_queue_entry wqe = { .task = NULL };
	struct timer timer = { .fn = n_tty_timeout, .data = current };
	bool ready;

	prepare_to_wait(&tty->read_wait, &wqe, TASK_INTERRUPTIBLE);
	spin_lock(&tty->lock);
	ready = input_available_locked(tty) || tty_other_gone(tty) ||
		(READ_ONCE(tty->packet) && READ_ONCE(tty->link->pktstatus));
	spin_unlock(&tty->lock);
	if (!ready && !signal_pending_current() && ktime_get_ns() < deadline) {
		if (deadline != NO_DEADLINE)
			timer_add(&timer, deadline);
		schedule();
		if (deadline != NO_DEADLINE)
			timer_del(&timer);
	}
	finish_wait(&tty->read_wait, &wqe);
}

ssize_t n_tty_read(struct tty_struct *tty, struct file *file, struct iov_iter *to)
{
	struct n_tty_data *ld = &tty->ldata;
	u8 kbuf[N_TTY_BOUNCE];
	u64 deadline = NO_DEADLINE, inter_byte = 0;
	size_t done = 0, minimum = 0;
	ssize_t err = 0;
	int vmin, vtime;

	err = tty_check_change(tty, SIGTTIN);
	if (err)
		return err;
	if (!to->count)
		return 0;
	spin_lock(&tty->lock);
	vmin = tty->termios.c_cc[VMIN];
	vtime = tty->termios.c_cc[VTIME];
	if (!ld->icanon) {
		/* termios(3): MIN bytes, TIME between bytes; or TIME for the first byte. */
		if (vmin) {
			minimum = vmin;
			inter_byte = (u64)vtime * NSEC_PER_DECISECOND;
		} else {
			minimum = 1;
			deadline = ktime_get_ns() + (u64)vtime * NSEC_PER_DECISECOND;
		}
	}
	spin_unlock(&tty->lock);

	for (;;) {
		bool icanon, line_done = false, kick;
		size_t n, want = min(to->count, sizeof(kbuf));

		/* A packet-mode master reads a pending status byte on its own (tty_ioctl(4)). */
		if (!done && READ_ONCE(tty->packet)) {
			u8 status = pty_pkt_take(tty);

			if (status) {
				if (copy_to_iter(&status, 1, to) != 1)
					err = -EFAULT;
				else
					done = 1;
				break;
			}
		}
		spin_lock(&tty->lock);
		icanon = ld->icanon;
		if (!input_available_locked(tty)) {
			spin_unlock(&tty->lock);
			if (!icanon && done >= minimum)
				break;
			/*
			 * Linux: EIO on a master whose slave closed, end of file on a
			 * hung-up slave; but only after what the slave wrote before it
			 * closed, which may still be in the flip ring (tty_flip_drain()).
			 */
			if (READ_ONCE(tty->other_closed)) {
				if (tty_flip_drain(tty))
					continue;
				err = -EIO;
				break;
			}
			if (READ_ONCE(tty->hung_up))
				break;
			if (ktime_get_ns() >= deadline)
				break;
			if (file->f_flags & O_NONBLOCK) {
				err = -EAGAIN;
				break;
			}
			if (signal_pending_current()) {
				err = -ERESTARTSYS;
				break;
			}
			n_tty_sleep(tty, deadline);
			continue;
		}
		if (!done && READ_ONCE(tty->packet) && !icanon) {
			/* Data follows a TIOCPKT_DATA byte. */
			kbuf[0] = TIOCPKT_DATA;
			n = 1 + raw_copy_locked(ld, kbuf + 1, want - 1);
		} else if (icanon)
			n = canon_copy_locked(ld, kbuf, want, &line_done);
		else
			n = raw_copy_locked(ld, kbuf, want);
		kick = tty->throttled;
		tty->throttled = false;
		spin_unlock(&tty->lock);
		if (kick)
			tty_rx_worker_kick();

		if (n && copy_to_iter(kbuf, n, to) != n) {
			err = -EFAULT;
			break;
		}
		done += n;
		if (!to->count || (icanon && line_done))
			break;
		if (inter_byte)
			deadline = ktime_get_ns() + inter_byte;
	}
	return done ? (ssize_t)done : err;
}

/* ---- poll ------------------------------------------------------------------------ */

__poll_t n_tty_poll(struct tty_struct *tty, struct file *file, struct poll_table *pt)
{
	struct n_tty_data *ld = &tty->ldata;
	__poll_t mask = 0;
	bool readable;

	poll_wait(file, &tty->read_wait, pt);
	poll_wait(file, &tty->write_wait, pt);
	/* As read does: the closed slave's last bytes must not be overtaken by POLLHUP. */
	if (READ_ONCE(tty->other_closed))
		tty_flip_drain(tty);
	spin_lock(&tty->lock);
	/* As Linux: a non-canonical poller with MIN set and no TIME waits for MIN bytes. */
	if (ld->icanon)
		readable = ld->canon_head != ld->read_tail;
	else if (tty->termios.c_cc[VMIN] && !tty->termios.c_cc[VTIME])
		readable = read_cnt(ld) >= tty->termios.c_cc[VMIN];
	else
		readable = read_cnt(ld) != 0;
	if (readable)
		mask |= POLLIN | POLLRDNORM;
	if (!tty->stopped)
		mask |= POLLOUT | POLLWRNORM;
	spin_unlock(&tty->lock);
	if (READ_ONCE(tty->packet) && READ_ONCE(tty->link->pktstatus))
		mask |= POLLPRI | POLLIN | POLLRDNORM;
	if (READ_ONCE(tty->other_closed))
		mask |= POLLHUP;
	/* Linux's hung_up_tty_poll. */
	if (READ_ONCE(tty->hung_up))
		mask = POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
	if (tty->ops->write_room && tty->ops->write_room(tty) < WRITE_ROOM_PER_BYTE)
		mask &= ~(POLLOUT | POLLWRNORM);
	return mask;
}

/* ---- write ------------------------------------------------------------------------ */

/*
 * A driver with ->write_room (ptys) takes only what fits: waits for room,
 * then lowers *@max to what output processing cannot overflow.
 */
static int n_tty_wait_room(struct tty_struct *tty, struct file *file, size_t *max)
{
	size_t room;
	int err;

	if (!tty->ops->write_room)
		return 0;
	while ((room = tty->ops->write_room(tty)) < WRITE_ROOM_PER_BYTE) {
		if (READ_ONCE(tty->hung_up))
			return -EIO;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = (int)wait_event_interruptible(tty->write_wait,
						    READ_ONCE(tty->hung_up) ||
						    tty->ops->write_room(tty) >= WRITE_ROOM_PER_BYTE);
		if (err)
			return err;
	}
	*max = min(*max, room / WRITE_ROOM_PER_BYTE);
	return 0;
}

ssize_t n_tty_write(struct tty_struct *tty, struct file *file, struct iov_iter *from)
{
	u8 kbuf[N_TTY_BOUNCE];
	size_t done = 0;
	bool tostop;
	int err;

	if (READ_ONCE(tty->hung_up))
		return -EIO;
	spin_lock(&tty->lock);
	tostop = L(tty, TOSTOP);
	spin_unlock(&tty->lock);
	if (tostop) {
		err = tty_check_change(tty, SIGTTOU);
		if (err)
			return err;
	}
	while (from->count) {
		size_t n, max = sizeof(kbuf);
		u32 oflag, iflag;

		spin_lock(&tty->lock);
		while (tty->stopped) {
			spin_unlock(&tty->lock);
			if (READ_ONCE(tty->hung_up))
				err = -EIO;
			else if (file->f_flags & O_NONBLOCK)
				err = -EAGAIN;
			else
				err = (int)wait_event_interruptible(tty->write_wait,
								    !READ_ONCE(tty->stopped) ||
								    READ_ONCE(tty->hung_up));
			if (err)
				return done ? (ssize_t)done : err;
			spin_lock(&tty->lock);
		}
		spin_unlock(&tty->lock);

		err = n_tty_wait_room(tty, file, &max);
		if (err)
			return done ? (ssize_t)done : err;
		n = copy_from_iter(kbuf, min(from->count, max), from);
		if (!n)
			return done ? (ssize_t)done : -EFAULT;
		spin_lock(&tty->lock);
		finish_erasing(tty);
		oflag = tty->termios.c_oflag;
		iflag = tty->termios.c_iflag;
		spin_lock(&tty->output_lock);
		spin_unlock(&tty->lock);
		tty_output_locked(tty, kbuf, n, oflag, iflag);
		spin_unlock(&tty->output_lock);
		done += n;
	}
	return (ssize_t)done;
}
