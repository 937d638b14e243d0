/* SPDX-License-Identifier: MIT */
/*
 * Shared inside fs/proc/ only.
 *
 * procfs is a table of struct proc_entry: each names a file (a show()
 * function that prints the whole content through a seq_file), a symlink
 * (get_link() writes the target), or a directory (a table of entries plus,
 * for /proc, /proc/PID/fd, dynamic names). Inodes and dentries are made on
 * lookup and freed on the last dput(): nothing is cached, so a dead
 * process's directory disappears with its last user.
 *
 * An inode's i_private is a struct proc_inode: the entry, and the pid and fd
 * it is about. Files reach the task through proc_get_task() at read time,
 * never through a pointer kept in the inode.
 */
#ifndef _FS_PROC_INTERNAL_H
#define _FS_PROC_INTERNAL_H

#include <exo/compiler.h>
#include <exo/fs.h>
#include <exo/seq_file.h>
#include <exo/types.h>

struct task;
struct dir_context;
struct mm;

/* proc_entry flags */
#define PROC_PTRACE	0x1	/* only the task's own user or root (Linux: ptrace_may_access) */
#define PROC_NOFAULT	0x2	/* reads and writes allocate with __GFP_NOFAULT (fail-nth) */

struct proc_dir;

struct proc_entry {
	const char *name;
	umode_t mode;				/* S_IFREG/S_IFDIR/S_IFLNK | permissions */
	unsigned int flags;			/* PROC_* */
	/* Regular files: prints the content; 0 or -errno. */
	int (*show)(struct seq_file *m);
	/* Writable files: the whole write in a kernel buffer; bytes taken or -errno. */
	ssize_t (*write)(struct file *file, const char *buf, size_t len);
	/* Symlinks: the target, written into @buf or a constant; or ERR_PTR. */
	const char *(*get_link)(struct inode *inode, char *buf, size_t size);
	/* Magic symlinks instead: the object, referenced (see inode_operations). */
	int (*get_link_path)(struct inode *inode, struct path *path);
	const struct proc_dir *dir;		/* directories */
};

/* Names a directory adds besides its table (pids, fds). */
struct proc_dir {
	const struct proc_entry *entries;
	unsigned int nr_entries;
	/* Fills @dentry for a dynamic @name: 0 (negative if absent) or -errno. */
	int (*lookup)(struct inode *dir, struct dentry *dentry);
	/* Emits dynamic names from cookie ctx->pos (>= @base); 0 or -errno. */
	int (*readdir)(struct file *file, struct dir_context *ctx, loff_t base);
};

struct proc_inode {
	const struct proc_entry *entry;
	int pid;				/* 0: not about a process */
	int fd;					/* /proc/PID/fd/N */
};

static inline struct proc_inode *PROC_I(const struct inode *inode)
{
	return inode->i_private;
}

/*
 * A new inode of @sb for @entry about @pid (0: none) and @fd, with inode
 * number @ino; owned by the task's effective ids when @pid is set.
 * ERR_PTR(-ENOMEM), or ERR_PTR(-ESRCH) when the task is gone.
 */
struct inode *proc_make_inode(struct super_block *sb, const struct proc_entry *entry, int pid,
			      int fd, unsigned long ino);
/*
 * A super block of @type whose tree is the entry table under @root: procfs,
 * and sysfs, which is built on the same tables. ERR_PTR on failure.
 */
struct super_block *proc_table_fill_super(struct file_system_type *type, unsigned long magic,
					  const struct proc_entry *root);
/* Attaches a new inode for @entry to the negative @dentry; 0 or -errno. */
/*
 * readdir of numbered directories (pids, tids): emits each id that
 * @next(@arg, from) returns (the smallest >= from, 0 when none is left) at
 * cookie base + id + 1, inode proc_pid_ino(id, @ino_n). 0 or -errno.
 */
int proc_readdir_ids(struct dir_context *ctx, loff_t base, int (*next)(int arg, int from),
		     int arg, unsigned long ino_n);
int proc_instantiate(struct dentry *dentry, const struct proc_entry *entry, int pid, int fd,
		     unsigned long ino);
/* Inode numbers: fixed for system entries, derived from pid and index for the rest. */
#define PROC_ROOT_INO		1UL
static inline unsigned long proc_pid_ino(int pid, unsigned long n)
{
	return ((unsigned long)pid << 32) | n;
}

/*
 * The task @pid with a reference (put_task()), or ERR_PTR(-ESRCH). With
 * @check, also -EACCES unless the caller may inspect it (same user on every
 * id, or root), as Linux's ptrace_may_access(PTRACE_MODE_READ).
 */
struct task *proc_get_task(int pid, bool check);
bool proc_may_access(struct task *t);

extern const struct file_operations proc_seq_fops;
extern const struct file_operations proc_dir_fops;
extern const struct inode_operations proc_dir_iops;
extern const struct inode_operations proc_link_iops;
extern const struct inode_operations proc_magic_link_iops;

/* Tables of the directories. */
extern const struct proc_dir sysfs_block_dir;	/* sysfs_block.c */
extern const struct proc_dir sysfs_dev_block_dir;	/* sysfs_block.c: /sys/dev/block */
extern const struct proc_dir proc_root_dir;
extern const struct proc_dir proc_pid_dir;
extern const struct proc_dir proc_task_dir;
extern const struct proc_dir proc_fd_dir;
extern const struct proc_dir proc_fdinfo_dir;
extern const struct proc_dir proc_sys_dir;
extern const struct proc_dir proc_net_dir;	/* net.c, CONFIG_INET */
extern const struct proc_dir proc_kprof_dir;	/* kprof.c, CONFIG_KPROF */
extern const struct proc_dir proc_sys_net_dir;	/* net.c, CONFIG_INET */

/* Shows and links, by file. */
int proc_pid_stat_show(struct seq_file *m);	/* array.c */
int proc_pid_status_show(struct seq_file *m);
int proc_pid_maps_show(struct seq_file *m);	/* task_mmu.c */
int proc_meminfo_show(struct seq_file *m);	/* meminfo.c */
int proc_slabinfo_show(struct seq_file *m);	/* meminfo.c */
int proc_stat_show(struct seq_file *m);		/* stat.c */
int proc_uptime_show(struct seq_file *m);
int proc_loadavg_show(struct seq_file *m);
int proc_mounts_show(struct seq_file *m);
int proc_mountinfo_show(struct seq_file *m);
ssize_t proc_sysrq_trigger_write(struct file *file, const char *buf, size_t len);	/* misc.c */
int proc_filesystems_show(struct seq_file *m);
int proc_version_show(struct seq_file *m);
/* d_path() of @p from the reader's root; the start in @buf or ERR_PTR(-ENAMETOOLONG). */
char *proc_d_path(const struct path *p, char *buf, size_t size);	/* fd.c */
/* A path as /proc shows it: d_path, " (deleted)", pipe:[ino] off any mount. The start in @buf. */
char *proc_path_text(const struct path *p, char *buf, size_t size);
/* proc_path_text() of an open file's path. */
char *proc_file_path(struct file *file, char *buf, size_t size);

/* "123" -> 123 for pid and fd names; -1 for anything else ("0123", "-1", "self"). */
int proc_name_to_int(const char *name, unsigned int len);
/* The task a file under /proc/PID is about, referenced, checked per the entry's PROC_PTRACE. */
struct task *proc_seq_task(struct seq_file *m);

/*
 * A copy of one VMA taken under mm->lock, so that formatting (d_path) runs
 * without it. vm_file is referenced; proc_vmas_free() drops them.
 */
struct proc_vma {
	unsigned long start, end, flags, pgoff;
	struct file *file;
};
/* The VMAs of @mm in address order (kmalloc'ed, *@nr of them), or ERR_PTR(-ENOMEM). */
struct proc_vma *proc_vmas_get(struct mm *mm, unsigned int *nr);
void proc_vmas_free(struct proc_vma *v, unsigned int nr);

int proc_init(void);

/* sysfs_pci.c: /sys/devices/pci0000:00 and /sys/bus/pci/devices. */
extern const struct proc_dir sysfs_pci_root_dir;
extern const struct proc_dir sysfs_pci_links_dir;

#endif /* _FS_PROC_INTERNAL_H */
