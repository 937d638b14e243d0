// SPDX-License-Identifier: MIT
/*
 * /proc/PID/maps: one line per VMA, as Linux prints it (proc(5)):
 *
 *   start-end perms offset major:minor inode   path
 *
 * perms are r/w/x and p (private) or s (shared); a file mapping names its
 * file and its file system's device and inode number; the anonymous
 * mappings holding the heap and the initial stack are "[heap]" and
 * "[stack]", and the vDSO's "[vdso]" and "[vvar]". The path starts in
 * column 73, as Linux pads it.
 *
 * Locking: the VMAs are copied under mm->lock (proc_vmas_get()); the
 * formatting and d_path() run without it.
 */
#include <exo/exit.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include "../internal.h"
#include <exo/err.h>
#include <exo/exit.h>
#include <asm/elf.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>
#include "internal.h"

#define MAPS_PATH_COLUMN (25 + sizeof(void *) * 6 - 1)

int proc_pid_maps_show(struct seq_file *m)
{
	struct task *t = proc_seq_task(m);
	unsigned long start_brk, brk, start_stack;
	struct proc_vma *v;
	unsigned int nr;
	struct mm *mm;
	char *path;

	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	mm = get_task_mm(t);
	put_task(t);
	if (!mm)
		return 0;
	path = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!path) {
		mmput(mm);
		return -ENOMEM;
	}
	spin_lock(&mm->lock);
	start_brk = mm->start_brk;
	brk = mm->brk;
	start_stack = mm->start_stack;
	spin_unlock(&mm->lock);
	v = proc_vmas_get(mm, &nr);
	mmput(mm);
	if (IS_ERR(v)) {
		kfree(path);
		return (int)PTR_ERR(v);
	}
	for (unsigned int i = 0; i < nr; i++) {
		struct proc_vma *a = &v[i];
		size_t line = m->count;
		unsigned long ino = 0;
		dev_t dev = 0;
		const char *name = NULL;

		name = arch_vma_name(a->file);
		if (name) {
			/* The vDSO's files are the kernel's: shown as Linux shows them. */
		} else if (a->file) {
			ino = a->file->f_inode->i_ino;
			dev = a->file->f_inode->i_sb ? a->file->f_inode->i_sb->s_dev : 0;
			name = proc_file_path(a->file, path, PATH_MAX);
			if (IS_ERR(name))
				name = NULL;
		} else if (a->start <= brk && a->end >= start_brk) {
			name = "[heap]";
		} else if (a->start <= start_stack && a->end >= start_stack) {
			name = "[stack]";
		}
		seq_printf(m, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", a->start, a->end,
			   a->flags & VM_READ ? 'r' : '-', a->flags & VM_WRITE ? 'w' : '-',
			   a->flags & VM_EXEC ? 'x' : '-', a->flags & (VM_SHARED | VM_MAYSHARE) ? 's' : 'p',
			   a->file && ino ? a->pgoff << PAGE_SHIFT : 0UL, MAJOR(dev), MINOR(dev), ino);
		if (name) {
			seq_pad(m, line, MAPS_PATH_COLUMN, ' ');
			seq_puts(m, name);
		}
		seq_putc(m, '\n');
	}
	proc_vmas_free(v, nr);
	kfree(path);
	return 0;
}
