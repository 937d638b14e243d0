// SPDX-License-Identifier: MIT
/*
 * ELF64 loader for x86_64 executables: static (ET_EXEC), static PIE
 * (ET_DYN without PT_INTERP) and dynamically linked programs (PT_INTERP).
 *
 * Each PT_LOAD maps its file pages privately with the segment's
 * permissions; memory past p_filesz is anonymous (bss), and the tail of the
 * last file page is zeroed through the new mm before the point of no
 * return (the page becomes a private copy, as a write would make it).
 *
 * A program with PT_INTERP gets its interpreter (ld.so) mapped too, and
 * starts at the interpreter's entry with AT_BASE = the interpreter's load
 * address; AT_PHDR and AT_ENTRY still describe the program, which the
 * interpreter then relocates itself. As on Linux, a PIE goes at
 * ELF_ET_DYN_BASE and an ET_DYN interpreter wherever mmap would put its
 * whole span (top-down below the stack); an ET_EXEC interpreter at its own
 * addresses. Interpreter errors are Linux's: a missing file ENOENT, one
 * that is not an x86_64 ELF executable or shared object ELIBBAD, one too
 * short to hold an ELF header EIO.
 *
 * Everything a file says is checked before it is used: a malformed file
 * gives -ENOEXEC (-ELIBBAD for the interpreter) or -EINVAL, never a mapping
 * outside user space.
 */
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/mmap.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <asm/elf.h>
#include <asm/memlayout.h>
#include <uapi/elf.h>
#include <uapi/errno.h>
#include "binfmt.h"

#define ELF_MAX_PHNUM (65536 / sizeof(struct elf64_phdr))
#define ELF_INTERP_MAX 4096	/* PATH_MAX: a longer PT_INTERP is not a path */

/* mmap flag values (include/uapi/mman.h belongs to mm; only these are needed). */
#define ELF_MAP_PRIVATE 0x02
#define ELF_MAP_FIXED 0x10
#define ELF_MAP_ANONYMOUS 0x20
#define ELF_PROT_NONE 0x0
#define ELF_PROT_READ 0x1
#define ELF_PROT_WRITE 0x2
#define ELF_PROT_EXEC 0x4

/* One loaded image: the program or its interpreter. */
struct elf_image {
	struct file *file;
	struct elf64_hdr eh;
	struct elf64_phdr *phdrs;	/* kmalloc'ed, eh.e_phnum entries */
	unsigned long bias;		/* load address minus p_vaddr */
	unsigned long end;		/* end of the highest segment (bss included) */
};

static bool elf_header_ok(const struct elf64_hdr *eh)
{
	return !memcmp(eh->e_ident, ELFMAG, SELFMAG) && eh->e_ident[EI_CLASS] == ELFCLASS64 &&
	       eh->e_ident[EI_DATA] == ELFDATA2LSB && elf_check_arch(eh) &&
	       (eh->e_type == ET_EXEC || eh->e_type == ET_DYN) &&
	       eh->e_phentsize == sizeof(struct elf64_phdr) && eh->e_phnum > 0 &&
	       eh->e_phnum <= ELF_MAX_PHNUM;
}

static unsigned long elf_prot(u32 flags)
{
	return ((flags & PF_R) ? ELF_PROT_READ : 0) | ((flags & PF_W) ? ELF_PROT_WRITE : 0) |
	       ((flags & PF_X) ? ELF_PROT_EXEC : 0);
}

static bool user_range_ok(unsigned long start, unsigned long len)
{
	return start < USER_SPACE_END && len <= USER_SPACE_END - start;
}

static int elf_read_phdrs(struct elf_image *img)
{
	size_t size = img->eh.e_phnum * sizeof(*img->phdrs);
	loff_t pos = (loff_t)img->eh.e_phoff;
	ssize_t n;

	img->phdrs = kmalloc(size, GFP_KERNEL);
	if (!img->phdrs)
		return -ENOMEM;
	n = kernel_read(img->file, img->phdrs, size, &pos);
	if (n < 0)
		return (int)n;
	return n == (ssize_t)size ? 0 : -EIO;
}

/*
 * Zeroes [start, end) of @mm through its page tables (the new mm is not
 * loaded yet). The range is mapped and writable, so a short copy can only
 * mean that no page could be allocated for the private copy: -ENOMEM.
 */
static int elf_clear(struct mm *mm, unsigned long start, unsigned long end)
{
	static const u8 zeros[256];

	while (start < end) {
		size_t n = min(end - start, sizeof(zeros));

		if (access_remote_vm(mm, start, (void *)zeros, n, true) != (int)n)
			return -ENOMEM;
		start += n;
	}
	return 0;
}

static int elf_map_segment(struct mm *mm, struct elf_image *img, const struct elf64_phdr *ph)
{
	unsigned long start = img->bias + ph->p_vaddr;
	unsigned long page_start = ALIGN_DOWN(start, PAGE_SIZE);
	unsigned long file_end = start + ph->p_filesz;
	unsigned long mem_end = start + ph->p_memsz;
	unsigned long prot = elf_prot(ph->p_flags), addr;

	if (ph->p_filesz > ph->p_memsz || (ph->p_vaddr - ph->p_offset) % PAGE_SIZE ||
	    !user_range_ok(start, ph->p_memsz) || !ph->p_memsz)
		return -ENOEXEC;
	if (ph->p_filesz) {
		addr = vm_mmap(mm, page_start, ALIGN(file_end, PAGE_SIZE) - page_start, prot,
			       ELF_MAP_PRIVATE | ELF_MAP_FIXED, img->file,
			       ALIGN_DOWN(ph->p_offset, PAGE_SIZE));
		if (IS_ERR_VALUE(addr))
			return (int)(long)addr;
	}
	if (mem_end > ALIGN(file_end, PAGE_SIZE)) {
		unsigned long anon = ph->p_filesz ? ALIGN(file_end, PAGE_SIZE) : page_start;

		addr = vm_mmap(mm, anon, ALIGN(mem_end, PAGE_SIZE) - anon, prot,
			       ELF_MAP_PRIVATE | ELF_MAP_FIXED | ELF_MAP_ANONYMOUS, NULL, 0);
		if (IS_ERR_VALUE(addr))
			return (int)(long)addr;
	}
	/*
	 * The rest of the last file page is bss, and beyond the bss zeros too, as
	 * Linux leaves it: glibc's ld.so allocates from its own bss end to the page
	 * end before it has malloc, and expects zeros there.
	 */
	if (ph->p_memsz > ph->p_filesz && ph->p_filesz && !IS_ALIGNED(file_end, PAGE_SIZE) &&
	    (prot & ELF_PROT_WRITE)) {
		int err = elf_clear(mm, file_end, ALIGN(file_end, PAGE_SIZE));

		if (err)
			return err;
	}
	if (mem_end > img->end)
		img->end = mem_end;
	return 0;
}

/* Lowest and highest page of the PT_LOAD segments; -ENOEXEC without any. */
static int elf_span(const struct elf_image *img, unsigned long *lo, unsigned long *hi)
{
	*lo = ~0UL;
	*hi = 0;
	for (unsigned int i = 0; i < img->eh.e_phnum; i++) {
		const struct elf64_phdr *ph = &img->phdrs[i];

		if (ph->p_type != PT_LOAD)
			continue;
		if (!user_range_ok(ph->p_vaddr, ph->p_memsz))
			return -ENOEXEC;
		*lo = min(*lo, ALIGN_DOWN(ph->p_vaddr, PAGE_SIZE));
		*hi = max(*hi, ALIGN(ph->p_vaddr + ph->p_memsz, PAGE_SIZE));
	}
	return *hi ? 0 : -ENOEXEC;
}

/*
 * Maps every PT_LOAD of @img. An ET_DYN image goes at @base, or when @base
 * is 0 where mmap finds room for its whole span: the span is reserved once
 * to find the place, then the segments are mapped over it.
 */
static int elf_map_image(struct mm *mm, struct elf_image *img, unsigned long base)
{
	unsigned long lo, hi, addr;
	int err;

	err = elf_span(img, &lo, &hi);
	if (err)
		return err;
	img->bias = 0;
	if (img->eh.e_type == ET_DYN) {
		if (base) {
			img->bias = base - lo;
		} else {
			addr = vm_mmap(mm, 0, hi - lo, ELF_PROT_NONE,
				       ELF_MAP_PRIVATE | ELF_MAP_ANONYMOUS, NULL, 0);
			if (IS_ERR_VALUE(addr))
				return (int)(long)addr;
			err = vm_munmap(mm, addr, hi - lo);
			if (err)
				return err;
			img->bias = addr - lo;
		}
	}
	for (unsigned int i = 0; i < img->eh.e_phnum; i++) {
		if (img->phdrs[i].p_type != PT_LOAD)
			continue;
		err = elf_map_segment(mm, img, &img->phdrs[i]);
		if (err)
			return err;
	}
	if (!user_range_ok(img->bias + img->eh.e_entry, 1))
		return -ENOEXEC;
	return 0;
}

/* Where the program headers are in memory: PT_PHDR, else the PT_LOAD holding e_phoff. */
static unsigned long elf_phdr_addr(const struct elf_image *img)
{
	size_t size = img->eh.e_phnum * sizeof(*img->phdrs);

	for (unsigned int i = 0; i < img->eh.e_phnum; i++)
		if (img->phdrs[i].p_type == PT_PHDR)
			return img->bias + img->phdrs[i].p_vaddr;
	for (unsigned int i = 0; i < img->eh.e_phnum; i++) {
		const struct elf64_phdr *ph = &img->phdrs[i];

		if (ph->p_type == PT_LOAD && img->eh.e_phoff >= ph->p_offset &&
		    img->eh.e_phoff + size <= ph->p_offset + ph->p_filesz)
			return img->bias + ph->p_vaddr + (img->eh.e_phoff - ph->p_offset);
	}
	return 0;
}

/* Reads the PT_INTERP path of @ph into a new string. */
static char *elf_read_interp_path(struct file *file, const struct elf64_phdr *ph)
{
	loff_t pos = (loff_t)ph->p_offset;
	char *path;
	ssize_t n;

	if (ph->p_filesz < 2 || ph->p_filesz > ELF_INTERP_MAX)
		return ERR_PTR(-ENOEXEC);
	path = kmalloc(ph->p_filesz, GFP_KERNEL);
	if (!path)
		return ERR_PTR(-ENOMEM);
	n = kernel_read(file, path, ph->p_filesz, &pos);
	if (n != (ssize_t)ph->p_filesz || path[ph->p_filesz - 1]) {
		kfree(path);
		return ERR_PTR(n < 0 ? (int)n : -ENOEXEC);
	}
	return path;
}

/* Opens and checks the interpreter named by @path into @interp. */
static int elf_open_interp(struct elf_image *interp, const char *path)
{
	struct file *file = open_exec(path);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(file))
		return (int)PTR_ERR(file);
	interp->file = file;
	n = kernel_read(interp->file, &interp->eh, sizeof(interp->eh), &pos);
	if (n < 0)
		return (int)n;
	if (n != sizeof(interp->eh))
		return -EIO;
	if (!elf_header_ok(&interp->eh))
		return -ELIBBAD;
	return elf_read_phdrs(interp);
}

static void elf_image_release(struct elf_image *img)
{
	kfree(img->phdrs);
	if (img->file)
		fput(img->file);
}

/* Loads the interpreter named by the program's PT_INTERP @ph into bprm->mm. */
static int elf_load_interp(struct linux_binprm *bprm, struct elf_image *prog,
			   const struct elf64_phdr *ph)
{
	struct elf_image interp = { 0 };
	char *path;
	int err;

	path = elf_read_interp_path(prog->file, ph);
	if (IS_ERR(path))
		return (int)PTR_ERR(path);
	err = elf_open_interp(&interp, path);
	if (!err) {
		err = elf_map_image(bprm->mm, &interp, 0);
		/* A bad interpreter is the library's fault, not the program's. */
		if (err == -ENOEXEC)
			err = -ELIBBAD;
	}
	if (!err) {
		bprm->interp_base = interp.bias;
		bprm->entry = interp.bias + interp.eh.e_entry;
	}
	elf_image_release(&interp);
	kfree(path);
	return err;
}

/*
 * /proc/PID/stat's startcode..enddata and status's VmExe, as Linux sets them:
 * code from the lowest segment start to the end of the highest executable
 * segment's file part, data from the highest segment start to the highest
 * file end. The new mm is private to this exec until it is installed.
 */
static void elf_set_code_data(struct mm *mm, const struct elf_image *img)
{
	unsigned long start_code = ~0UL, end_code = 0, start_data = 0, end_data = 0;

	for (unsigned int i = 0; i < img->eh.e_phnum; i++) {
		const struct elf64_phdr *ph = &img->phdrs[i];
		unsigned long end = ph->p_vaddr + ph->p_filesz;

		if (ph->p_type != PT_LOAD)
			continue;
		start_code = min(start_code, (unsigned long)ph->p_vaddr);
		start_data = max(start_data, (unsigned long)ph->p_vaddr);
		if ((ph->p_flags & PF_X) && end > end_code)
			end_code = end;
		end_data = max(end_data, end);
	}
	mm->start_code = start_code + img->bias;
	mm->end_code = end_code + img->bias;
	mm->start_data = start_data + img->bias;
	mm->end_data = end_data + img->bias;
}

int load_elf_binary(struct linux_binprm *bprm)
{
	struct elf_image prog = { .file = bprm->file };
	const struct elf64_phdr *interp = NULL;
	int err;

	memcpy(&prog.eh, bprm->buf, sizeof(prog.eh));
	if (!elf_header_ok(&prog.eh))
		return -ENOEXEC;
	err = elf_read_phdrs(&prog);
	if (err)
		goto out;
	for (unsigned int i = 0; i < prog.eh.e_phnum; i++) {
		if (prog.phdrs[i].p_type == PT_INTERP) {
			interp = &prog.phdrs[i];
			break;
		}
	}
	err = elf_map_image(bprm->mm, &prog, ELF_ET_DYN_BASE);
	if (err)
		goto out;
	bprm->start_brk = prog.end;
	elf_set_code_data(bprm->mm, &prog);
	bprm->phdr_addr = elf_phdr_addr(&prog);
	bprm->phnum = prog.eh.e_phnum;
	bprm->prog_entry = bprm->entry = prog.bias + prog.eh.e_entry;
	bprm->interp_base = 0;
	if (interp)
		err = elf_load_interp(bprm, &prog, interp);
	if (!err)
		err = arch_setup_additional_pages(bprm->mm, &bprm->vdso_base);
out:
	kfree(prog.phdrs);
	return err;
}
