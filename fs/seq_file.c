// SPDX-License-Identifier: MIT
/*
 * seq_file: printing generated text into a bounded buffer (<exo/seq_file.h>).
 * procfs serves its files from it (fs/proc/seq.c), and code outside fs/
 * prints through it too (arch's /proc/cpuinfo show), so it is built
 * whatever the configuration, as Linux's fs/seq_file.c is.
 *
 * Output past the buffer sets m->overflow and is dropped; the caller runs
 * show() again with a bigger buffer. Nothing here sleeps or faults.
 */
#include <exo/cpumask.h>
#include <exo/printk.h>
#include <exo/seq_file.h>
#include <exo/string.h>

void seq_write(struct seq_file *m, const void *data, size_t len)
{
	if (m->overflow || len > m->size - m->count) {
		m->overflow = true;
		return;
	}
	memcpy(m->buf + m->count, data, len);
	m->count += len;
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}

void seq_cpumask_list(struct seq_file *m, const struct cpumask *mask)
{
	const char *sep = "";

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		unsigned int last = cpu;

		if (!cpumask_test_cpu(cpu, mask))
			continue;
		while (last + 1 < NR_CPUS && cpumask_test_cpu(last + 1, mask))
			last++;
		if (last == cpu)
			seq_printf(m, "%s%u", sep, cpu);
		else
			seq_printf(m, "%s%u-%u", sep, cpu, last);
		sep = ",";
		cpu = last;
	}
}

/*
 * @mask's first @nbits bits in hex, as Linux's "%*pb": 32-bit groups, most
 * significant first, separated by commas; the first group has only as many
 * digits as its bits need ("3" for CPUs 0-1 of two).
 */
void seq_cpumask_hex(struct seq_file *m, const struct cpumask *mask, unsigned int nbits)
{
	unsigned int groups = (nbits + 31) / 32;

	for (unsigned int g = groups; g-- > 0;) {
		unsigned int bits = min(nbits - g * 32, 32U), word = 0;

		for (unsigned int b = 0; b < bits; b++)
			if (cpumask_test_cpu(g * 32 + b, mask))
				word |= 1U << b;
		if (g == groups - 1)
			seq_printf(m, "%0*x", (int)((bits + 3) / 4), word);
		else
			seq_printf(m, ",%08x", word);
	}
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	size_t room = m->size - m->count;
	va_list ap;
	int n;

	if (m->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(m->buf + m->count, room, fmt, ap);
	va_end(ap);
	/* vsnprintf needs room for its NUL: a full fit is an overflow too. */
	if (n < 0 || (size_t)n >= room) {
		m->overflow = true;
		return;
	}
	m->count += (size_t)n;
}

void seq_pad(struct seq_file *m, size_t line_start, size_t col, char c)
{
	while (!m->overflow && m->count - line_start < col)
		seq_putc(m, ' ');
	if (c)
		seq_putc(m, c);
}
