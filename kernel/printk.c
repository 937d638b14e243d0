// SPDX-License-Identifier: MIT
/*
 * printk: format a message, append it to the log ring buffer, and write it to
 * every registered console when its level is at or below the console level
 * (CONFIG_LOG_LEVEL, or loglevel= on the command line).
 *
 * Each line is stamped "[seconds.micros] " from the monotonic clock, like
 * Linux. The ring keeps the newest CONFIG_LOG_BUF_SIZE bytes for dmesg.
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

static char log_buf[CONFIG_LOG_BUF_SIZE];
static size_t log_head;		/* [printk_lock] total bytes ever written */
static struct console *consoles; /* [printk_lock] */
static int console_loglevel = CONFIG_LOG_LEVEL;
static bool line_open;		/* [printk_lock] last message did not end in '\n' */
static DEFINE_SPINLOCK(printk_lock);

static int __init_loglevel(const char *val)
{
	console_loglevel = (int)simple_strtoul(val, NULL, 10);
	return 0;
}
early_param("loglevel", __init_loglevel);

static void log_store(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		log_buf[(log_head + i) % CONFIG_LOG_BUF_SIZE] = s[i];
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

size_t printk_log_read(char *buf, size_t len)
{
	unsigned long flags;
	size_t avail, start;

	spin_lock_irqsave(&printk_lock, flags);
	avail = log_head < CONFIG_LOG_BUF_SIZE ? log_head : CONFIG_LOG_BUF_SIZE;
	if (len > avail)
		len = avail;
	start = log_head - avail;
	for (size_t i = 0; i < len; i++)
		buf[i] = log_buf[(start + i) % CONFIG_LOG_BUF_SIZE];
	spin_unlock_irqrestore(&printk_lock, flags);
	return len;
}
