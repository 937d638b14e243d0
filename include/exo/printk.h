/* SPDX-License-Identifier: MIT */
/*
 * Kernel logging. printk() formats into the log ring buffer (kept for a later
 * dmesg) and writes every message at or above the console level to the
 * console. Messages carry a level prefix like Linux's KERN_* strings; the
 * pr_*() wrappers add it. pr_debug() compiles away unless the including file
 * defines DEBUG (subsystems set it from their CONFIG_<SUBSYS>_DEBUG symbol).
 * Safe to call with interrupts off and from exception handlers.
 */
#ifndef _EXO_PRINTK_H
#define _EXO_PRINTK_H

#include <exo/compiler.h>
#include <exo/types.h>
#include <stdarg.h>

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_CONT KERN_SOH "c"

#define LOGLEVEL_EMERG 0
#define LOGLEVEL_ERR 3
#define LOGLEVEL_WARNING 4
#define LOGLEVEL_INFO 6
#define LOGLEVEL_DEBUG 7

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list args);

#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
#ifdef DEBUG
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...) do { if (0) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__); } while (0)
#endif

/*
 * /dev/kmsg's readers (drivers/char/mem.c): a position in the log and the
 * number of its record. kmsg_seek() moves to the oldest record kept
 * (KMSG_SEEK_SET), the first after the last syslog CLEAR (KMSG_SEEK_CLEAR,
 * Linux's SEEK_DATA) or past the newest (KMSG_SEEK_END).
 * kmsg_read_record() formats the record there into @buf and moves on;
 * returns its length, 0 when there is none yet, -EPIPE when it was
 * overwritten (@kp then moved to the oldest kept), -EINVAL when @len
 * cannot hold it (and, as Linux, moves past it).
 */
struct kmsg_pos {
	size_t pos;
	u64 seq;
};
#define KMSG_SEEK_SET 0
#define KMSG_SEEK_CLEAR 1
#define KMSG_SEEK_END 2
#define KMSG_LINE_MAX 1024
void kmsg_seek(struct kmsg_pos *kp, int whence);
ssize_t kmsg_read_record(struct kmsg_pos *kp, char *buf, size_t len);

/* Console registration: every registered console gets each printed line. */
struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t len);
	struct console *next;
};

void register_console(struct console *con);

/* Raw output that bypasses the log and its lock; for panic and early faults only. */
void console_emergency_write(const char *s, size_t len);

int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);

#endif /* _EXO_PRINTK_H */
