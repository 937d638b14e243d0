/* SPDX-License-Identifier: MIT */
/*
 * Generated text files (procfs): a show() function prints the whole
 * content of a file into a struct seq_file (fs/seq_file.c, built in every
 * configuration); fs/proc/seq.c serves reads at any offset from it. Output past the buffer sets overflow and is dropped;
 * the caller then runs show() again with a bigger buffer, so show() must
 * have no side effects. None of these functions sleeps or faults: show()
 * may print under a spinlock.
 */
#ifndef _EXO_SEQ_FILE_H
#define _EXO_SEQ_FILE_H

#include <exo/compiler.h>
#include <exo/types.h>

struct file;
struct inode;

struct seq_file {
	char *buf;
	size_t size;
	size_t count;			/* bytes written so far */
	bool overflow;			/* show() wrote past size: retried with a bigger buffer */
	struct file *file;		/* the open file being read */
	struct inode *inode;
};

void seq_printf(struct seq_file *m, const char *fmt, ...) __printf(2, 3);
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
void seq_write(struct seq_file *m, const void *data, size_t len);
struct cpumask;
/* Writes @mask in Linux's cpulist format ("0-3,6", "" when empty), no newline. */
void seq_cpumask_list(struct seq_file *m, const struct cpumask *mask);
void seq_cpumask_hex(struct seq_file *m, const struct cpumask *mask, unsigned int nbits);
/* Pads with spaces to column @col of the line that began at offset @line_start, then writes @c unless NUL. */
void seq_pad(struct seq_file *m, size_t line_start, size_t col, char c);

#endif /* _EXO_SEQ_FILE_H */
