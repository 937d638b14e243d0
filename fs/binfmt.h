/* SPDX-License-Identifier: MIT */
/* Shared by fs/exec.c and the binary format loaders (fs/binfmt_*.c). */
#ifndef _FS_BINFMT_H
#define _FS_BINFMT_H

#include <exo/types.h>

struct file;
struct mm;

#define BINPRM_BUF_SIZE 256
#define BINPRM_MAX_RECURSION 4

struct linux_binprm {
	u8 buf[BINPRM_BUF_SIZE];	/* the file's first bytes */
	struct file *file;		/* [ref] the file being executed */
	char *filename;			/* path as given to execve: AT_EXECFN, argv of a #! interpreter */
	char *strings;			/* argv then envp strings, NUL-separated */
	size_t strings_len, strings_cap;
	int argc, envc;
	int recursion;
	struct mm *mm;			/* the new address space, built before the point of no return */
	unsigned long entry;		/* where user mode starts: the interpreter's entry if any */
	unsigned long prog_entry;	/* the program's own entry (AT_ENTRY) */
	unsigned long interp_base;	/* where the interpreter was loaded (AT_BASE), or 0 */
	unsigned long vdso_base;	/* the vDSO's ELF header (AT_SYSINFO_EHDR), or 0 */
	unsigned long phdr_addr;	/* program headers in the new image (AT_PHDR) */
	unsigned long phnum;
	unsigned long start_brk;
};

/* Loads an ELF image into bprm->mm; 0, -ENOEXEC when not ELF, or another -errno. */
int load_elf_binary(struct linux_binprm *bprm);
/* Rewrites bprm for a #! script; 0, -ENOEXEC when not a script, or another -errno. */
int load_script(struct linux_binprm *bprm);
/* Replaces argv[0..skip) with @n new leading strings; 0 or -E2BIG/-ENOMEM. */
int bprm_replace_leading_args(struct linux_binprm *bprm, int skip, const char *const *args, int n);
/* Opens @path for reading if the caller may execute it: the file, or ERR_PTR (EACCES...). */
struct file *open_exec(const char *path);
/* Opens @path for execution into bprm->file and reads bprm->buf. */
int bprm_open(struct linux_binprm *bprm, const char *path);

#endif /* _FS_BINFMT_H */
