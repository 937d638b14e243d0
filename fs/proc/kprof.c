// SPDX-License-Identifier: MIT
/*
 * /proc/kprof: the function profiler's files (kernel/trace/kprof.c,
 * docs/kprof.md), modelled on Linux's tracefs function profiler.
 *
 *   enable        0 or 1 (tracing and sampling); writes "1", "0", "trace"
 *                 or "sample"; turning something on restarts its counters
 *   functions     "calls cycles name" per function called since, all CPUs
 *   functions_cpu "cpu calls cycles name", per CPU
 *   folded        "outer;...;inner count" per sampled stack (flamegraph.pl)
 *   status        what is on, sites, samples taken and dropped
 */
#include <exo/kprof.h>
#include <exo/seq_file.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "internal.h"

static int proc_kprof_enable_show(struct seq_file *m)
{
	seq_printf(m, "%d\n", kprof_flags ? 1 : 0);
	return 0;
}

static ssize_t proc_kprof_enable_write(struct file *file, const char *buf, size_t len)
{
	static const struct {
		const char *word;
		unsigned int flags;
	} words[] = {
		{ "0", 0 }, { "1", KPROF_TRACE | KPROF_SAMPLE },
		{ "trace", KPROF_TRACE }, { "sample", KPROF_SAMPLE },
	};
	size_t n = len;
	int err;

	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		if (strlen(words[i].word) != n || memcmp(words[i].word, buf, n))
			continue;
		err = kprof_set(words[i].flags);
		return err ? err : (ssize_t)len;
	}
	return -EINVAL;
}

static const struct proc_entry proc_kprof_entries[] = {
	{ .name = "enable", .mode = S_IFREG | 0600, .show = proc_kprof_enable_show,
	  .write = proc_kprof_enable_write },
	{ .name = "functions", .mode = S_IFREG | 0400, .show = kprof_show_functions },
	{ .name = "functions_cpu", .mode = S_IFREG | 0400, .show = kprof_show_functions_cpu },
	{ .name = "folded", .mode = S_IFREG | 0400, .show = kprof_show_folded },
	{ .name = "status", .mode = S_IFREG | 0444, .show = kprof_show_status },
};

const struct proc_dir proc_kprof_dir = {
	.entries = proc_kprof_entries,
	.nr_entries = ARRAY_SIZE(proc_kprof_entries),
};
