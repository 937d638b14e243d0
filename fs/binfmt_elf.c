// SPDX-License-Identifier: MIT
/*
 * ELF64 loader for static x86_64 executables (ET_EXEC) and static PIE
 * (ET_DYN without PT_INTERP). Each PT_LOAD maps its file pages privately
 * with the segment's permissions; memory past p_filesz is anonymous (bss);
 * the partial file page before the bss is zeroed after the switch to the new
 * address space (bprm->bss_start/end). Everything the file says is checked
 * before it is used: a malformed file gives -ENOEXEC or -EINVAL, never a
 * mapping outside user space.
 *
 * Dynamically linked programs (PT_INTERP) are refused with -ENOEXEC until
 * the glibc work adds interpreter loading.
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

/* mmap flag values (include/uapi/mman.h belongs to mm; only these two are needed). */
#define ELF_MAP_PRIVATE 0x02
#define ELF_MAP_FIXED 0x10
#define ELF_MAP_ANONYMOUS 0x20
#define ELF_PROT_READ 0x1
#define ELF_PROT_WRITE 0x2
#define ELF_PROT_EXEC 0x4

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

static int elf_map_segment(struct linux_binprm *bprm, const struct elf64_phdr *ph,
			   unsigned long bias)
{
	unsigned long start = bias + ph->p_vaddr;
	unsigned long page_start = ALIGN_DOWN(start, PAGE_SIZE);
	unsigned long file_end = start + ph->p_filesz;
	unsigned long mem_end = start + ph->p_memsz;
	unsigned long prot = elf_prot(ph->p_flags), addr;

	if (ph->p_filesz > ph->p_memsz || (ph->p_vaddr - ph->p_offset) % PAGE_SIZE ||
	    !user_range_ok(start, ph->p_memsz) || !ph->p_memsz)
		return -ENOEXEC;
	if (ph->p_filesz) {
		addr = vm_mmap(bprm->mm, page_start, ALIGN(file_end, PAGE_SIZE) - page_start, prot,
			       ELF_MAP_PRIVATE | ELF_MAP_FIXED, bprm->file,
			       ALIGN_DOWN(ph->p_offset, PAGE_SIZE));
		if (IS_ERR_VALUE(addr))
			return (int)(long)addr;
	}
	if (mem_end > ALIGN(file_end, PAGE_SIZE)) {
		unsigned long anon = ph->p_filesz ? ALIGN(file_end, PAGE_SIZE) : page_start;

		addr = vm_mmap(bprm->mm, anon, ALIGN(mem_end, PAGE_SIZE) - anon, prot,
			       ELF_MAP_PRIVATE | ELF_MAP_FIXED | ELF_MAP_ANONYMOUS, NULL, 0);
		if (IS_ERR_VALUE(addr))
			return (int)(long)addr;
	}
	if (ph->p_memsz > ph->p_filesz && ph->p_filesz && !IS_ALIGNED(file_end, PAGE_SIZE)) {
		bprm->bss_start = file_end;
		bprm->bss_end = min(ALIGN(file_end, PAGE_SIZE), mem_end);
	}
	if (mem_end > bprm->start_brk)
		bprm->start_brk = mem_end;
	return 0;
}

int load_elf_binary(struct linux_binprm *bprm)
{
	const struct elf64_hdr *eh = (const struct elf64_hdr *)bprm->buf;
	struct elf64_phdr *phdrs;
	unsigned long bias = 0;
	size_t size;
	loff_t pos;
	int err = 0;

	if (!elf_header_ok(eh))
		return -ENOEXEC;
	size = eh->e_phnum * sizeof(*phdrs);
	phdrs = kmalloc(size, GFP_KERNEL);
	if (!phdrs)
		return -ENOMEM;
	pos = (loff_t)eh->e_phoff;
	if (kernel_read(bprm->file, phdrs, size, &pos) != (ssize_t)size) {
		err = -EIO;
		goto out;
	}
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		if (phdrs[i].p_type == PT_INTERP) {
			err = -ENOEXEC;
			goto out;
		}
	}
	if (eh->e_type == ET_DYN)
		bias = ELF_ET_DYN_BASE;

	bprm->phdr_addr = 0;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph = &phdrs[i];

		if (ph->p_type == PT_PHDR)
			bprm->phdr_addr = bias + ph->p_vaddr;
		if (ph->p_type != PT_LOAD)
			continue;
		err = elf_map_segment(bprm, ph, bias);
		if (err)
			goto out;
		/* Without PT_PHDR: the headers sit in the segment that maps file offset e_phoff. */
		if (!bprm->phdr_addr && eh->e_phoff >= ph->p_offset &&
		    eh->e_phoff + size <= ph->p_offset + ph->p_filesz)
			bprm->phdr_addr = bias + ph->p_vaddr + (eh->e_phoff - ph->p_offset);
	}
	if (!bprm->start_brk || !user_range_ok(bias + eh->e_entry, 1)) {
		err = -ENOEXEC;
		goto out;
	}
	bprm->entry = bias + eh->e_entry;
	bprm->phnum = eh->e_phnum;
out:
	kfree(phdrs);
	return err;
}
