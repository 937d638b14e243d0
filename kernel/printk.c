// SPDX-License-Identifier: MIT
/*
 * printk: format a message, append it to the log ring buffer, and write it to
 * every registered console when its level is at or below the console level
 * (CONFIG_LOG_LEVEL, or loglevel= on the command line).
 *
 * Each line is stamped "[seconds.micros] " from the monotonic clock, like
 * Linux. The ring keeps the newest CONFIG_LOG_BUF_SIZE bytes for dmesg.
 *
 * syslog(2) reads the same ring (busybox dmesg): READ_ALL the newest
 * bytes, READ what no syslog READ took yet (sleeping until there is some),
 * CLEAR forgets what is logged so far for READ_ALL, and the console-level
 * actions. The ring holds text as printed, "[stamp] message" lines without
 * Linux's "<level>" prefixes. With dmesg_restrict 0, READ_ALL and
 * SIZE_BUFFER are open to everyone; the rest need CAP_SYSLOG (euid 0).
 *
 * Lock order: printk_lock is a leaf; it is taken with interrupts off and
 * nothing is called under it but console write functions, which must not
 * take locks of their own. panic() uses console_emergency_write(), which
 * takes no lock at all.
 */
#include <generated/autoconf.h>
#include <exo/printk.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/cmdline.h>
#include <exo/cred.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>

static char log_buf[CONFIG_LOG_BUF_SIZE];
static size_t log_head;		/* [printk_lock] total bytes ever written */
static struct console *consoles; /* [printk_lock] */
static int console_loglevel = CONFIG_LOG_LEVEL;
static int saved_console_loglevel = -1;	/* [printk_lock] CONSOLE_OFF's saved level */
static size_t syslog_seq;	/* [printk_lock] what syslog READ has consumed, in log_head units */
static size_t clear_seq;	/* [printk_lock] where READ_ALL starts after a CLEAR */
static bool line_open;		/* [printk_lock] last message did not end in '\n' */
static u64 log_lines_dropped;	/* [printk_lock] lines wholly overwritten: /dev/kmsg's seq base */
static DEFINE_SPINLOCK(printk_lock);

static int __init_loglevel(const char *val)
{
	console_loglevel = (int)simple_strtoul(val, NULL, 10);
	return 0;
}
early_param("loglevel", __init_loglevel);

static void log_store(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char *c = &log_buf[(log_head + i) % CONFIG_LOG_BUF_SIZE];

		/* The oldest line's end is overwritten: that line is gone. */
		if (log_head + i >= CONFIG_LOG_BUF_SIZE && *c == '\n')
			log_lines_dropped++;
		*c = s[i];
	}
	log_head += len;
}

static void console_write_all(const char *s, size_t len)
{
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, s, len);
}

void register_console(struct console *con)
{
	unsigned long flags;
	size_t start, len;

	spin_lock_irqsave(&printk_lock, flags);
	con->next = consoles;
	consoles = con;
	/* Replay what was logged before this console existed. */
	len = log_head < CONFIG_LOG_BUF_SIZE ? log_head : CONFIG_LOG_BUF_SIZE;
	start = log_head - len;
	for (size_t i = 0; i < len; i++) {
		char c = log_buf[(start + i) % CONFIG_LOG_BUF_SIZE];

		con->write(con, &c, 1);
	}
	spin_unlock_irqrestore(&printk_lock, flags);
}

void console_emergency_write(const char *s, size_t len)
{
	console_write_all(s, len);
}

int vprintk(const char *fmt, va_list args)
{
	char text[512], stamp[32];
	int level = LOGLEVEL_INFO, n, slen = 0;
	bool cont = false;
	unsigned long flags;

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] == 'c')
			cont = true;
		else
			level = fmt[1] - '0';
		fmt += 2;
	}
	n = vsnprintf(text, sizeof(text), fmt, args);
	if (n >= (int)sizeof(text))
		n = sizeof(text) - 1;

	spin_lock_irqsave(&printk_lock, flags);
	if (!cont || !line_open) {
		if (line_open)
			log_store("\n", 1);
		u64 ns = ktime_get_ns();

		slen = snprintf(stamp, sizeof(stamp), "[%5lu.%06lu] ", (unsigned long)(ns / 1000000000),
				(unsigned long)(ns % 1000000000) / 1000);
		log_store(stamp, slen);
	}
	log_store(text, n);
	line_open = n > 0 && text[n - 1] != '\n';
	if (level <= console_loglevel) {
		if (slen)
			console_write_all(stamp, slen);
		console_write_all(text, n);
	}
	spin_unlock_irqrestore(&printk_lock, flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vprintk(fmt, args);
	va_end(args);
	return n;
}

#define SYSLOG_ACTION_CLOSE 0
#define SYSLOG_ACTION_OPEN 1
#define SYSLOG_ACTION_READ 2
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_READ_CLEAR 4
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_CONSOLE_OFF 6
#define SYSLOG_ACTION_CONSOLE_ON 7
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_UNREAD 9
#define SYSLOG_ACTION_SIZE_BUFFER 10

#define MINIMUM_CONSOLE_LOGLEVEL 1
#define SYSLOG_READ_POLL_NS (100 * NSEC_PER_MSEC)

/* The oldest byte still in the ring, in log_head units. printk_lock held. */
static size_t log_first_locked(void)
{
	return log_head > CONFIG_LOG_BUF_SIZE ? log_head - CONFIG_LOG_BUF_SIZE : 0;
}

/*
 * Copies up to @len bytes from position @from (moved up to the oldest kept)
 * into @buf; with @newest, the last @len bytes instead, starting at a line.
 * Returns the count; *@end is the position after the last byte. printk_lock held.
 */
static size_t log_copy_locked(char *buf, size_t from, size_t len, bool newest, size_t *end)
{
	size_t first = log_first_locked(), n;

	if (from < first)
		from = first;
	if (newest && log_head - from > len) {
		from = log_head - len;
		/* Start at a whole line: skip the rest of the one cut. */
		while (from < log_head && log_buf[(from - 1) % CONFIG_LOG_BUF_SIZE] != '\n')
			from++;
	}
	n = log_head - from < len ? log_head - from : len;
	for (size_t i = 0; i < n; i++)
		buf[i] = log_buf[(from + i) % CONFIG_LOG_BUF_SIZE];
	*end = from + n;
	return n;
}

/* The start of the first whole line at or after @from. printk_lock held. */
static size_t log_line_start_locked(size_t from)
{
	if (from < log_first_locked())
		from = log_first_locked();
	while (from && from < log_head && log_buf[(from - 1) % CONFIG_LOG_BUF_SIZE] != '\n')
		from++;
	return from;
}

/* The record number of the line starting at @pos: lines before it since boot. printk_lock held. */
static u64 log_seq_locked(size_t pos)
{
	u64 seq = log_lines_dropped;

	for (size_t p = log_first_locked(); p < pos; p++)
		seq += log_buf[p % CONFIG_LOG_BUF_SIZE] == '\n';
	return seq;
}

void kmsg_seek(struct kmsg_pos *kp, int whence)
{
	unsigned long flags;

	spin_lock_irqsave(&printk_lock, flags);
	if (whence == KMSG_SEEK_END)
		kp->pos = line_open ? log_line_start_locked(log_head) : log_head;
	else
		kp->pos = log_line_start_locked(whence == KMSG_SEEK_CLEAR ? clear_seq : 0);
	kp->seq = log_seq_locked(kp->pos);
	spin_unlock_irqrestore(&printk_lock, flags);
}

/*
 * Linux's /dev/kmsg record for the line at @kp: "level,seq,usec,-;text\n".
 * The ring keeps no levels (see above): every record says 6 (info).
 */
ssize_t kmsg_read_record(struct kmsg_pos *kp, char *buf, size_t len)
{
	char line[KMSG_LINE_MAX];
	unsigned long flags, sec = 0, usec = 0;
	size_t n = 0, p;
	const char *text = line;

	spin_lock_irqsave(&printk_lock, flags);
	if (kp->pos < log_first_locked()) {
		kp->pos = log_line_start_locked(0);
		kp->seq = log_seq_locked(kp->pos);
		spin_unlock_irqrestore(&printk_lock, flags);
		return -EPIPE;
	}
	for (p = kp->pos; p < log_head && log_buf[p % CONFIG_LOG_BUF_SIZE] != '\n'; p++)
		if (n < sizeof(line) - 1)
			line[n++] = log_buf[p % CONFIG_LOG_BUF_SIZE];
	if (p == log_head) {
		/* Nothing, or a line still being written. */
		spin_unlock_irqrestore(&printk_lock, flags);
		return 0;
	}
	spin_unlock_irqrestore(&printk_lock, flags);
	line[n] = '\0';
	/* "[    4.225683] text"; a line of a multi-line message has no stamp. */
	if (line[0] == '[') {
		char *end;
		const char *q = line + 1;

		while (*q == ' ')
			q++;
		sec = simple_strtoul(q, &end, 10);
		if (*end == '.') {
			usec = simple_strtoul(end + 1, &end, 10);
			if (end[0] == ']' && end[1] == ' ')
				text = end + 2;
		}
		if (text == line)
			sec = usec = 0;
	}
	n = snprintf(buf, len, "6,%llu,%lu,-;%s\n", (unsigned long long)kp->seq,
		     sec * 1000000 + usec, text);
	kp->pos = p + 1;
	kp->seq++;
	/* The reader's buffer must hold the whole record; as Linux, it is skipped if not. */
	return n < len ? (ssize_t)n : -EINVAL;
}

static long syslog_read(char __user *ubuf, size_t len, int type)
{
	unsigned long flags;
	size_t n, end;
	char *kbuf;

	if (len > CONFIG_LOG_BUF_SIZE)
		len = CONFIG_LOG_BUF_SIZE;
	kbuf = kmalloc(len, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	for (;;) {
		spin_lock_irqsave(&printk_lock, flags);
		if (type != SYSLOG_ACTION_READ) {
			n = log_copy_locked(kbuf, clear_seq, len, true, &end);
			if (type == SYSLOG_ACTION_READ_CLEAR)
				clear_seq = log_head;
		} else {
			n = log_copy_locked(kbuf, syslog_seq, len, false, &end);
			if (n)
				syslog_seq = end;
		}
		spin_unlock_irqrestore(&printk_lock, flags);
		if (n || type != SYSLOG_ACTION_READ)
			break;
		/* printk runs anywhere, with any lock held: it wakes nobody, readers poll. */
		if (schedule_timeout_ns(SYSLOG_READ_POLL_NS, true) > 0 || signal_pending_current()) {
			kfree(kbuf);
			return -ERESTARTSYS;
		}
	}
	if (n && copy_to_user(ubuf, kbuf, n)) {
		kfree(kbuf);
		return -EFAULT;
	}
	kfree(kbuf);
	return (long)n;
}

SYSCALL_DEFINE3(syslog, int, type, char __user *, buf, int, len)
{
	unsigned long flags;
	long ret = 0;

	if (type != SYSLOG_ACTION_READ_ALL && type != SYSLOG_ACTION_SIZE_BUFFER && !capable_root())
		return -EPERM;	/* CAP_SYSLOG, dmesg_restrict 0 */
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!buf || len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		if (!access_ok(buf, (size_t)len))
			return -EFAULT;
		return syslog_read(buf, (size_t)len, type);
	case SYSLOG_ACTION_CLEAR:
	case SYSLOG_ACTION_CONSOLE_OFF:
	case SYSLOG_ACTION_CONSOLE_ON:
	case SYSLOG_ACTION_SIZE_UNREAD:
		spin_lock_irqsave(&printk_lock, flags);
		if (type == SYSLOG_ACTION_CLEAR) {
			clear_seq = log_head;
		} else if (type == SYSLOG_ACTION_CONSOLE_OFF) {
			if (saved_console_loglevel < 0)
				saved_console_loglevel = console_loglevel;
			console_loglevel = MINIMUM_CONSOLE_LOGLEVEL;
		} else if (type == SYSLOG_ACTION_CONSOLE_ON) {
			if (saved_console_loglevel >= 0) {
				console_loglevel = saved_console_loglevel;
				saved_console_loglevel = -1;
			}
		} else {
			if (syslog_seq < log_first_locked())
				syslog_seq = log_first_locked();
			ret = (long)(log_head - syslog_seq);
		}
		spin_unlock_irqrestore(&printk_lock, flags);
		return ret;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		spin_lock_irqsave(&printk_lock, flags);
		console_loglevel = len < MINIMUM_CONSOLE_LOGLEVEL ? MINIMUM_CONSOLE_LOGLEVEL : len;
		/* An explicit level ends a CONSOLE_OFF. */
		saved_console_loglevel = -1;
		spin_unlock_irqrestore(&printk_lock, flags);
		return 0;
	case SYSLOG_ACTION_SIZE_BUFFER:
		return CONFIG_LOG_BUF_SIZE;
	default:
		return -EINVAL;
	}
}
