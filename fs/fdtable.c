// SPDX-License-Identifier: MIT
/*
 * File descriptor tables. A files_struct maps small integers to struct
 * file pointers; it is shared by the tasks of a CLONE_FILES group (count)
 * and copied on plain fork (dup_files). New fds are the lowest free number,
 * below RLIMIT_NOFILE (EMFILE otherwise). The arrays grow by doubling; the
 * lock is held for every access, as there is no RCU to let readers in
 * without it.
 *
 * An fd is "open" in open_fds from the moment it is reserved; fd[] holds
 * the file (and one reference to it) once installed.
 *
 * Lock order: files->lock is taken before anything in the VFS except
 * f_lock; file release (fput) runs after dropping it.
 */
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>
#include "internal.h"

#define BITS_PER_LONG 64
#define NR_OPEN_DEFAULT 64
#define NR_OPEN_MAX (1U << 20)	/* Linux's default fs.nr_open */

static unsigned long init_open_fds[NR_OPEN_DEFAULT / BITS_PER_LONG];
static unsigned long init_cloexec[NR_OPEN_DEFAULT / BITS_PER_LONG];
static struct file *init_fd_array[NR_OPEN_DEFAULT];

struct files_struct init_files = {
	.count = 1,
	.lock = SPINLOCK_INIT(init_files.lock),
	.max_fds = NR_OPEN_DEFAULT,
	.fd = init_fd_array,
	.open_fds = init_open_fds,
	.close_on_exec = init_cloexec,
};

static bool test_bit_l(const unsigned long *map, unsigned int nr)
{
	return (map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

static void set_bit_l(unsigned long *map, unsigned int nr)
{
	map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static void clear_bit_l(unsigned long *map, unsigned int nr)
{
	map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

/* The first set bit of @map at or above @from, or @size if none is below @size. */
static unsigned int next_set_bit_l(const unsigned long *map, unsigned int from, unsigned int size)
{
	while (from < size) {
		unsigned long w = map[from / BITS_PER_LONG] >> (from % BITS_PER_LONG);

		if (w) {
			from += (unsigned int)__builtin_ctzl(w);
			return from < size ? from : size;
		}
		from = (from | (BITS_PER_LONG - 1)) + 1;
	}
	return size;
}

struct files_struct *current_files(void)
{
	struct task *t = current;

	return t && t->files ? t->files : &init_files;
}

unsigned int rlimit_nofile(void)
{
	struct task *t = current;
	unsigned long lim = t ? t->rlim[RLIMIT_NOFILE].rlim_cur : 1024;

	return lim > NR_OPEN_MAX ? NR_OPEN_MAX : (unsigned int)lim;
}

static bool is_init_array(struct files_struct *files)
{
	return files->fd == init_fd_array;
}

static int alloc_tables(unsigned int nr, struct file ***fd, unsigned long **open,
			unsigned long **cloexec)
{
	size_t words = nr / BITS_PER_LONG;

	*fd = kcalloc(nr, sizeof(struct file *), GFP_KERNEL);
	*open = kcalloc(words, sizeof(unsigned long), GFP_KERNEL);
	*cloexec = kcalloc(words, sizeof(unsigned long), GFP_KERNEL);
	if (!*fd || !*open || !*cloexec) {
		kfree(*fd);
		kfree(*open);
		kfree(*cloexec);
		return -ENOMEM;
	}
	return 0;
}

static void free_tables(struct files_struct *files)
{
	if (is_init_array(files))
		return;
	kfree(files->fd);
	kfree(files->open_fds);
	kfree(files->close_on_exec);
}

/* Makes room for fd @nr; drops and retakes files->lock around the allocation. */
static int expand_files(struct files_struct *files, unsigned int nr)
	__must_hold(&files->lock)
{
	unsigned int newmax = files->max_fds;
	struct file **fd;
	unsigned long *open, *cloexec;
	struct files_struct old;

	if (nr < files->max_fds)
		return 0;
	while (newmax <= nr)
		newmax *= 2;
	spin_unlock(&files->lock);
	if (alloc_tables(newmax, &fd, &open, &cloexec)) {
		spin_lock(&files->lock);
		return -ENOMEM;
	}
	spin_lock(&files->lock);
	if (files->max_fds >= newmax) {
		/* Someone else grew it meanwhile. */
		kfree(fd);
		kfree(open);
		kfree(cloexec);
		return 0;
	}
	memcpy(fd, files->fd, files->max_fds * sizeof(*fd));
	memcpy(open, files->open_fds, files->max_fds / 8);
	memcpy(cloexec, files->close_on_exec, files->max_fds / 8);
	old = *files;
	files->fd = fd;
	files->open_fds = open;
	files->close_on_exec = cloexec;
	files->max_fds = newmax;
	free_tables(&old);
	return 0;
}

struct files_struct *files_alloc(void)
{
	struct files_struct *files = kzalloc(sizeof(*files), GFP_KERNEL);

	if (!files)
		return ERR_PTR(-ENOMEM);
	if (alloc_tables(NR_OPEN_DEFAULT, &files->fd, &files->open_fds, &files->close_on_exec)) {
		kfree(files);
		return ERR_PTR(-ENOMEM);
	}
	files->count = 1;
	files->max_fds = NR_OPEN_DEFAULT;
	spin_lock_init(&files->lock);
	return files;
}

/* Reserves the lowest free fd >= @start below @limit; files->lock held. */
static int alloc_fd_locked(struct files_struct *files, unsigned int start, unsigned int limit,
			   unsigned int flags)
{
	unsigned int fd = start < files->next_fd ? files->next_fd : start;
	int err;

	lockdep_assert_held(&files->lock);
	for (;;) {
		while (fd < files->max_fds && test_bit_l(files->open_fds, fd))
			fd++;
		if (fd >= limit)
			return -EMFILE;
		if (fd < files->max_fds)
			break;
		err = expand_files(files, fd);
		if (err)
			return err;
	}
	set_bit_l(files->open_fds, fd);
	if (flags & O_CLOEXEC)
		set_bit_l(files->close_on_exec, fd);
	else
		clear_bit_l(files->close_on_exec, fd);
	if (start <= files->next_fd)
		files->next_fd = fd + 1;
	return (int)fd;
}

int fd_alloc_from(struct files_struct *files, unsigned int start, struct file *file,
		  unsigned int flags)
{
	int fd;

	spin_lock(&files->lock);
	fd = alloc_fd_locked(files, start, rlimit_nofile(), flags);
	if (fd >= 0)
		files->fd[fd] = file;
	spin_unlock(&files->lock);
	return fd;
}

int fd_install_new(struct files_struct *files, struct file *file, unsigned int flags)
{
	return fd_alloc_from(files, 0, file, flags);
}

struct file *fget(struct files_struct *files, unsigned int fd)
{
	struct file *f = NULL;

	spin_lock(&files->lock);
	if (fd < files->max_fds && files->fd[fd])
		f = get_file(files->fd[fd]);
	spin_unlock(&files->lock);
	return f;
}

static struct file *pick_file(struct files_struct *files, unsigned int fd)
{
	struct file *f;

	if (fd >= files->max_fds || !files->fd[fd])
		return NULL;
	f = files->fd[fd];
	files->fd[fd] = NULL;
	clear_bit_l(files->open_fds, fd);
	clear_bit_l(files->close_on_exec, fd);
	if (fd < files->next_fd)
		files->next_fd = fd;
	return f;
}

/* A descriptor of @files to @f is gone: the file's flush (per close, as Linux), its locks, the reference. */
static void filp_close(struct files_struct *files, struct file *f)
{
	if (f->f_op && f->f_op->flush)
		f->f_op->flush(f);
	locks_remove_posix(files, f);
	fput(f);
}

int close_fd(struct files_struct *files, unsigned int fd)
{
	struct file *f;

	spin_lock(&files->lock);
	f = pick_file(files, fd);
	spin_unlock(&files->lock);
	if (!f)
		return -EBADF;
	filp_close(files, f);
	return 0;
}

bool fd_get_cloexec(struct files_struct *files, unsigned int fd)
{
	bool r;

	spin_lock(&files->lock);
	r = fd < files->max_fds && test_bit_l(files->close_on_exec, fd);
	spin_unlock(&files->lock);
	return r;
}

void fd_set_cloexec(struct files_struct *files, unsigned int fd, bool on)
{
	spin_lock(&files->lock);
	if (fd < files->max_fds && files->fd[fd]) {
		if (on)
			set_bit_l(files->close_on_exec, fd);
		else
			clear_bit_l(files->close_on_exec, fd);
	}
	spin_unlock(&files->lock);
}

int fd_replace(struct files_struct *files, unsigned int newfd, struct file *file,
	       unsigned int flags)
{
	struct file *old;
	int err;

	if (newfd >= rlimit_nofile())
		return -EBADF;
	spin_lock(&files->lock);
	err = expand_files(files, newfd);
	if (err) {
		spin_unlock(&files->lock);
		return err;
	}
	old = files->fd[newfd];
	files->fd[newfd] = file;
	set_bit_l(files->open_fds, newfd);
	if (flags & O_CLOEXEC)
		set_bit_l(files->close_on_exec, newfd);
	else
		clear_bit_l(files->close_on_exec, newfd);
	spin_unlock(&files->lock);
	if (old) {
		filp_close(files, old);
	}
	return (int)newfd;
}

struct files_struct *dup_files(struct files_struct *old)
{
	struct files_struct *new = files_alloc();
	unsigned int max;

	if (IS_ERR(new))
		return new;
	spin_lock(&old->lock);
	while (new->max_fds < old->max_fds) {
		max = old->max_fds;
		spin_unlock(&old->lock);
		spin_lock(&new->lock);
		if (expand_files(new, max - 1)) {
			spin_unlock(&new->lock);
			put_files(new);
			return ERR_PTR(-ENOMEM);
		}
		spin_unlock(&new->lock);
		spin_lock(&old->lock);
	}
	/* Installed fds are all in open_fds: only those words are looked at. */
	for (unsigned int fd = 0; (fd = next_set_bit_l(old->open_fds, fd, old->max_fds)) <
	     old->max_fds; fd++) {
		if (!old->fd[fd])
			continue;	/* reserved, not installed yet */
		new->fd[fd] = get_file(old->fd[fd]);
		set_bit_l(new->open_fds, fd);
		if (test_bit_l(old->close_on_exec, fd))
			set_bit_l(new->close_on_exec, fd);
	}
	spin_unlock(&old->lock);
	return new;
}

static void close_files_if(struct files_struct *files, bool only_cloexec)
{
	for (unsigned int fd = 0;; fd++) {
		struct file *f;

		spin_lock(&files->lock);
		/* Only the fds whose bit is set: every installed fd has its open_fds bit. */
		fd = next_set_bit_l(only_cloexec ? files->close_on_exec : files->open_fds, fd,
				    files->max_fds);
		if (fd >= files->max_fds) {
			spin_unlock(&files->lock);
			break;
		}
		f = pick_file(files, fd);
		spin_unlock(&files->lock);
		if (f) {
			filp_close(files, f);
		}
	}
}

/* Closes (or marks close-on-exec) every open fd of @files in [first, last]. */
static void close_range_files(struct files_struct *files, unsigned int first, unsigned int last,
			      bool cloexec)
{
	for (unsigned int fd = first; fd <= last; fd++) {
		struct file *f = NULL;

		spin_lock(&files->lock);
		if (fd >= files->max_fds) {
			spin_unlock(&files->lock);
			break;
		}
		if (cloexec) {
			if (files->fd[fd])
				set_bit_l(files->close_on_exec, fd);
		} else {
			f = pick_file(files, fd);
		}
		spin_unlock(&files->lock);
		if (f)
			filp_close(files, f);
		if (fd == last)		/* last may be UINT_MAX */
			break;
	}
}

/*
 * close_range: CLOSE_RANGE_UNSHARE first gives the caller a private copy of
 * a shared table (as unshare(CLONE_FILES)), so the other sharers keep their
 * descriptors.
 */
SYSCALL_DEFINE3(close_range, unsigned int, first, unsigned int, last, unsigned int, flags)
{
	struct files_struct *files = current_files();

	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if ((flags & CLOSE_RANGE_UNSHARE) && __atomic_load_n(&files->count, __ATOMIC_ACQUIRE) > 1) {
		struct files_struct *copy = dup_files(files);

		if (IS_ERR(copy))
			return PTR_ERR(copy);
		task_lock(current);
		current->files = copy;
		task_unlock(current);
		put_files(files);
		files = copy;
	}
	close_range_files(files, first, last, flags & CLOSE_RANGE_CLOEXEC);
	return 0;
}

void files_close_on_exec(struct files_struct *files)
{
	close_files_if(files, true);
}

void put_files(struct files_struct *files)
{
	if (__atomic_sub_fetch(&files->count, 1, __ATOMIC_ACQ_REL))
		return;
	close_files_if(files, false);
	if (files == &init_files)
		return;
	free_tables(files);
	kfree(files);
}
