// SPDX-License-Identifier: MIT
/*
 * execve: replace the current program.
 *
 * 1. Copy the path, argv and envp into the kernel (E2BIG past ARG_MAX,
 *    EFAULT on a bad pointer) and open the file (EACCES without execute
 *    permission).
 * 2. Let the formats try it: "#!" scripts rewrite argv and reopen; ELF builds
 *    a new address space. Until the switch, every failure returns to the old
 *    program untouched.
 * 3. Point of no return: switch to the new mm, drop the old one, build the
 *    initial stack (strings, AT_RANDOM bytes, auxv, envp, argv, argc, as the
 *    x86-64 psABI lays them out), close O_CLOEXEC files, reset the FPU and
 *    TLS, release a vfork parent, and set the registers for user mode.
 *
 * execveat runs a file found from a directory fd (or the fd itself with
 * AT_EMPTY_PATH, fexecve). kernel_execve() does the same from a kernel thread with kernel argv
 * (starting /init).
 */
#include <exo/binfmts.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/fs.h>
#include <exo/mmap.h>
#include <exo/printk.h>
#include <exo/random.h>
#include <exo/ptrace.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <asm/elf.h>
#include <asm/switch_to.h>
#include <asm/thread.h>
#include <uapi/elf.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/resource.h>
#include <uapi/signal.h>
#include <uapi/time_types.h>
#include "binfmt.h"
#include "internal.h"

#define PATH_MAX 4096
#define MAX_ARG_STRLEN (32 * PAGE_SIZE)
#define ARG_MAX_DEFAULT (2UL << 20)	/* a quarter of the default 8 MiB stack, as Linux allows */
#define AT_RANDOM_BYTES 16
#define AUXV_MAX_PAIRS 24

static int bprm_reserve(struct linux_binprm *bprm, size_t more)
{
	size_t need = bprm->strings_len + more, cap = bprm->strings_cap ? bprm->strings_cap : 512;
	char *n;

	if (need > ARG_MAX_DEFAULT)
		return -E2BIG;
	if (need <= bprm->strings_cap)
		return 0;
	while (cap < need)
		cap *= 2;
	n = krealloc(bprm->strings, cap, GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	bprm->strings = n;
	bprm->strings_cap = cap;
	return 0;
}

/*
 * An argv or envp array: in user memory (execve) or, for kernel_execve, in
 * the kernel. Each side keeps its own type, so sparse checks that the user
 * array and its strings are only read through the uaccess helpers.
 */
struct arg_ptr {
	bool kernel;
	union {
		const char __user *const __user *user;
		const char *const *kernel;
	} ptr;
};

/* Appends the strings of a NULL-terminated array (a NULL array counts as empty). */
static int copy_strings(struct linux_binprm *bprm, struct arg_ptr vec, int *count)
{
	*count = 0;
	if (vec.kernel ? !vec.ptr.kernel : !vec.ptr.user)
		return 0;
	for (;; (*count)++) {
		const char __user *us = NULL;
		const char *ks = NULL;
		long len;
		int err;

		if (vec.kernel)
			ks = vec.ptr.kernel[*count];
		else if (get_user(us, &vec.ptr.user[*count]))
			return -EFAULT;
		if (!ks && !us)
			break;
		if (*count >= 0x7fffffff / 2)
			return -E2BIG;
		err = bprm_reserve(bprm, PAGE_SIZE);
		for (;;) {
			size_t room;

			if (err)
				return err;
			room = min(bprm->strings_cap - bprm->strings_len, (size_t)MAX_ARG_STRLEN);
			if (vec.kernel) {
				len = (long)strnlen(ks, room);
				memcpy(bprm->strings + bprm->strings_len, ks, min((size_t)len + 1, room));
			} else {
				len = strncpy_from_user(bprm->strings + bprm->strings_len, us, (long)room);
			}
			if (len < 0)
				return (int)len;
			if ((size_t)len < room)
				break;
			if (room == MAX_ARG_STRLEN)
				return -E2BIG;
			err = bprm_reserve(bprm, bprm->strings_cap);
		}
		bprm->strings_len += (size_t)len + 1;
	}
	return 0;
}

/* Length of the first @n strings in the buffer. */
static size_t strings_span(const char *s, int n)
{
	size_t off = 0;

	while (n--)
		off += strlen(s + off) + 1;
	return off;
}

int bprm_replace_leading_args(struct linux_binprm *bprm, int skip, const char *const *args, int n)
{
	size_t old = strings_span(bprm->strings, min(skip, bprm->argc)), add = 0;
	int err;

	for (int i = 0; i < n; i++)
		add += strlen(args[i]) + 1;
	if (add > old) {
		err = bprm_reserve(bprm, add - old);
		if (err)
			return err;
	}
	memmove(bprm->strings + add, bprm->strings + old, bprm->strings_len - old);
	bprm->strings_len = bprm->strings_len - old + add;
	for (int i = 0, off = 0; i < n; i++) {
		size_t len = strlen(args[i]) + 1;

		memcpy(bprm->strings + off, args[i], len);
		off += len;
	}
	bprm->argc += n - min(skip, bprm->argc);
	return 0;
}

/* The file to run: @path from @dfd with LOOKUP_EMPTY and O_NOFOLLOW as execveat's flags ask. */
static struct file *open_exec_at(int dfd, const char *path, int at_flags)
{
	int oflags = O_RDONLY | ((at_flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0);
	struct file *file = do_filp_open_lookup(dfd, path, oflags, 0,
						(at_flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
	int err;

	if (IS_ERR(file))
		return file;
	err = vfs_permission_exec(file);
	if (err) {
		fput(file);
		return ERR_PTR(err);
	}
	return file;
}

struct file *open_exec(const char *path)
{
	return open_exec_at(AT_FDCWD, path, 0);
}

static int bprm_open_at(struct linux_binprm *bprm, int dfd, const char *path, int at_flags)
{
	loff_t pos = 0;
	ssize_t n;
	int err;

	bprm->file = open_exec_at(dfd, path, at_flags);
	if (IS_ERR(bprm->file)) {
		err = PTR_ERR(bprm->file);
		bprm->file = NULL;
		return err;
	}
	err = deny_write_access(bprm->file);
	if (err)
		return err;
	memset(bprm->buf, 0, sizeof(bprm->buf));
	n = kernel_read(bprm->file, bprm->buf, sizeof(bprm->buf), &pos);
	return n < 0 ? (int)n : 0;
}

int bprm_open(struct linux_binprm *bprm, const char *path)
{
	return bprm_open_at(bprm, AT_FDCWD, path, 0);
}

/*
 * The name the new program knows itself by (AT_EXECFN, a script
 * interpreter's argument): as Linux, "/dev/fd/N" or "/dev/fd/N/NAME" for a
 * file found from a directory fd; kmalloc'ed.
 */
static char *bprm_filename(int dfd, const char *filename)
{
	size_t len = strlen(filename) + 32;
	char *name = kmalloc(len, GFP_KERNEL);

	if (!name)
		return NULL;
	if (dfd == AT_FDCWD || filename[0] == '/')
		strlcpy(name, filename, len);
	else if (!filename[0])
		snprintf(name, len, "/dev/fd/%d", dfd);
	else
		snprintf(name, len, "/dev/fd/%d/%s", dfd, filename);
	return name;
}

static void bprm_free(struct linux_binprm *bprm)
{
	if (bprm->mm)
		mmput(bprm->mm);
	if (bprm->file)
		fput(bprm->file);
	kfree(bprm->strings);
	kfree(bprm->filename);
}

/* Copies @src (@len bytes) to just below *@sp on the user stack; returns its address or 0. */
static unsigned long push_bytes(unsigned long *sp, const void *src, size_t len)
{
	*sp -= len;
	return copy_to_user((void __user *)*sp, src, len) ? 0 : *sp;
}

/* Builds argc, argv, envp, auxv and the strings they point to; returns the stack pointer or 0. */
static unsigned long create_stack(struct linux_binprm *bprm, unsigned long sp)
{
	struct mm *mm = current->mm;
	unsigned long strings, execfn, random, platform, *vec, *p, addr;
	u8 rand[AT_RANDOM_BYTES];
	const struct cred *c = &current->cred;
	size_t items = 1 + (size_t)bprm->argc + 1 + (size_t)bprm->envc + 1 + 2 * AUXV_MAX_PAIRS;

	execfn = push_bytes(&sp, bprm->filename, strlen(bprm->filename) + 1);
	strings = push_bytes(&sp, bprm->strings, bprm->strings_len);
	get_random_bytes(rand, sizeof(rand));
	random = push_bytes(&sp, rand, sizeof(rand));
	platform = push_bytes(&sp, ELF_PLATFORM, sizeof(ELF_PLATFORM));
	if (!execfn || !strings || !random || !platform)
		return 0;
	mm->arg_start = strings;
	mm->arg_end = mm->env_start = strings + strings_span(bprm->strings, bprm->argc);
	mm->env_end = strings + bprm->strings_len;

	vec = kmalloc(items * sizeof(*vec), GFP_KERNEL);
	if (!vec)
		return 0;
	p = vec;
	*p++ = (unsigned long)bprm->argc;
	addr = strings;
	for (int i = 0; i < bprm->argc + bprm->envc; i++) {
		if (i == bprm->argc)
			*p++ = 0;
		*p++ = addr;
		addr += strlen(bprm->strings + (addr - strings)) + 1;
	}
	if (bprm->argc + bprm->envc == bprm->argc)
		*p++ = 0;
	*p++ = 0;
#define AUX(tag, val) do { *p++ = (tag); *p++ = (unsigned long)(val); } while (0)
	AUX(AT_HWCAP, ELF_HWCAP);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, USER_HZ);
	AUX(AT_PHDR, bprm->phdr_addr);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, bprm->phnum);
	AUX(AT_BASE, bprm->interp_base);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, bprm->prog_entry);
	AUX(AT_UID, c->uid);
	AUX(AT_EUID, c->euid);
	AUX(AT_GID, c->gid);
	AUX(AT_EGID, c->egid);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, random);
	AUX(AT_HWCAP2, ELF_HWCAP2);
	AUX(AT_EXECFN, execfn);
	AUX(AT_PLATFORM, platform);
	AUX(AT_MINSIGSTKSZ, ELF_MINSIGSTKSZ);
	if (bprm->vdso_base)
		AUX(AT_SYSINFO_EHDR, bprm->vdso_base);
	AUX(AT_NULL, 0);
#undef AUX
	/* The psABI wants %rsp 16-byte aligned at argc. */
	sp = ALIGN_DOWN(sp - (unsigned long)(p - vec) * sizeof(*vec), 16);
	if (copy_to_user((void __user *)sp, vec, (size_t)(p - vec) * sizeof(*vec)))
		sp = 0;
	kfree(vec);
	mm->start_stack = sp;
	return sp;
}

static void set_comm_from_path(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	set_task_comm(current, base, strlen(base));
}

/* Past the point of no return: failures here kill the process. */
static void exec_commit(struct linux_binprm *bprm)
{
	struct task *t = current;
	struct mm *old = t->mm;
	struct pt_regs *regs = task_pt_regs(t);
	unsigned long sp;

	/* /proc/PID/exe: the file that was mapped, the interpreter for a #! script. */
	bprm->mm->exe_file = get_file(bprm->file);
	task_lock(t);
	t->mm = bprm->mm;
	task_unlock(t);
	bprm->mm = NULL;
	arch_switch_mm(t->mm);
	if (old)
		mmput(old);

	vm_brk_setup(t->mm, bprm->start_brk);
	t->mm->stack_limit = t->rlim[RLIMIT_STACK].rlim_cur;
	if (setup_user_stack(t->mm, &sp))
		goto fail;
	sp = create_stack(bprm, sp);
	if (!sp)
		goto fail;

	if (t->files)
		files_close_on_exec(t->files);
	set_comm_from_path(bprm->filename);
	t->did_exec = true;
	WRITE_ONCE(t->self_exec_id, t->self_exec_id + 1);
	t->flags &= ~PF_KTHREAD;
	posix_timers_exit(t);	/* timer_create(2): timers do not survive execve */
	signal_flush_handlers(t);
	/* The new image registers its own rseq area (glibc does at startup). */
	t->rseq = NULL;
	t->rseq_len = 0;
	t->rseq_pending = false;
	vfork_release(t);
	fpu_reset_current();
	start_thread(regs, bprm->entry, sp);
	return;
fail:
	pr_warn("execve %s: could not set up the new image, killing pid %d\n", bprm->filename, t->pid);
	force_sig_default(SIGSEGV);
}

static int do_execveat(int dfd, const char *filename, struct arg_ptr argv, struct arg_ptr envp,
		       int flags)
{
	struct linux_binprm bprm;
	int old_pid = current->pid;	/* de_thread() may give us the leader's */
	int err;

	memset(&bprm, 0, sizeof(bprm));
	bprm.filename = bprm_filename(dfd, filename);
	if (!bprm.filename)
		return -ENOMEM;
	err = copy_strings(&bprm, argv, &bprm.argc);
	if (!err)
		err = copy_strings(&bprm, envp, &bprm.envc);
	if (!err && bprm.argc == 0) {
		/* Linux gives argv[0] = "" to a program started with no arguments at all. */
		const char *empty = "";

		err = bprm_replace_leading_args(&bprm, 0, &empty, 1);
	}
	if (!err)
		err = bprm_open_at(&bprm, dfd, filename, flags);
	while (!err) {
		err = load_script(&bprm);
		if (err == -ENOEXEC)
			break;
	}
	if (err == -ENOEXEC) {
		bprm.mm = mm_create();
		if (IS_ERR(bprm.mm)) {
			err = PTR_ERR(bprm.mm);
			bprm.mm = NULL;
		} else {
			err = load_elf_binary(&bprm);
		}
	}
	/* A multi-threaded process keeps only the exec'ing thread, with its own handlers. */
	if (!err)
		err = de_thread(current);
	if (!err)
		err = signal_unshare_handlers(current);
	if (!err)
		exec_commit(&bprm);
	bprm_free(&bprm);
	if (!err)
		ptrace_exec_notify(old_pid);
	return err;
}

SYSCALL_DEFINE3(execve, const char __user *, filename, const char __user *const __user *, argv,
		const char __user *const __user *, envp)
{
	char *path = getname(filename);
	long err;

	if (IS_ERR(path))
		return PTR_ERR(path);
	err = do_execveat(AT_FDCWD, path, (struct arg_ptr){ .ptr.user = argv },
			  (struct arg_ptr){ .ptr.user = envp }, 0);
	putname(path);
	return err;
}

SYSCALL_DEFINE5(execveat, int, dfd, const char __user *, filename,
		const char __user *const __user *, argv, const char __user *const __user *, envp,
		int, flags)
{
	char *path;
	long err;

	path = getname_flags(filename, flags & AT_EMPTY_PATH);
	if (IS_ERR(path))
		return PTR_ERR(path);
	/* Linux copies the name first: "" without AT_EMPTY_PATH is ENOENT whatever the flags. */
	err = -EINVAL;
	if (!(flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)))
		err = do_execveat(dfd, path, (struct arg_ptr){ .ptr.user = argv },
				  (struct arg_ptr){ .ptr.user = envp }, flags);
	putname(path);
	return err;
}

int kernel_execve(const char *filename, const char *const *argv, const char *const *envp)
{
	return do_execveat(AT_FDCWD, filename, (struct arg_ptr){ .kernel = true, .ptr.kernel = argv },
			   (struct arg_ptr){ .kernel = true, .ptr.kernel = envp }, 0);
}
