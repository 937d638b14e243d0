// SPDX-License-Identifier: MIT
/*
 * The vDSO and its data page in every process.
 *
 * At boot the image (vdso-image.S) is copied into an unlinked tmpfs file,
 * and the [vvar] page is the single page of a second one: the kernel writes
 * the clock data into that page-cache page, which stays resident (tmpfs
 * pages are never reclaimed) and is the same page in every process. exec
 * maps both privately and read-only through the ordinary file-mapping path
 * (arch_setup_additional_pages()), vvar one page below the vDSO, where the
 * vDSO's code expects it; fork copies them like any file mapping, and a
 * process that makes its vvar writable only ever writes a private copy.
 *
 * getcpu needs no data: gdt_init_cpu() gives each CPU a GDT entry
 * (GDT_ENTRY_CPUNODE) whose limit is its number, which LSL reads in user
 * mode.
 *
 * Locking: update_vsyscall() runs under the timekeeping lock, the only
 * writer; readers use the seqcount in struct vdso_data.
 */
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/mm.h>
#include <exo/mmap.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/barrier.h>
#include <asm/elf.h>
#include <asm/vdso_data.h>
#include <uapi/errno.h>

/* mmap's values (include/uapi/mman.h is mm's). */
#define VDSO_MAP_PRIVATE 0x02
#define VDSO_MAP_FIXED 0x10
#define VDSO_MAP_ANONYMOUS 0x20
#define VDSO_PROT_NONE 0x0
#define VDSO_PROT_READ 0x1
#define VDSO_PROT_EXEC 0x4

extern const char vdso_image_start[], vdso_image_end[];

static struct file *vdso_file;		/* [immutable] after vdso_init() */
static struct file *vvar_file;		/* [immutable] after vdso_init() */
static struct vdso_data *vdso_data;	/* [immutable] the vvar page, in the direct map */
static unsigned long vdso_pages;	/* [immutable] */

/* An unlinked tmpfs file holding @len bytes of @data; its first page's address in *@first. */
static struct file *vdso_make_file(const void *data, size_t len, void **first)
{
	struct file *f = shmem_file_setup((loff_t)len);

	if (IS_ERR(f))
		return f;
	for (unsigned long i = 0; i * PAGE_SIZE < len; i++) {
		size_t n = min(len - i * PAGE_SIZE, (size_t)PAGE_SIZE);
		struct page *page;
		int err = filemap_get_page(&f->f_inode->i_data, i, true, &page);

		if (err) {
			fput(f);
			return ERR_PTR(err);
		}
		memcpy(page_address(page), (const char *)data + i * PAGE_SIZE, n);
		if (!i)
			*first = page_address(page);
		/* The file keeps the page. */
		put_page(page);
	}
	return f;
}

void update_vsyscall(const struct clocksource *cs, u64 real_offset_ns)
{
	struct vdso_data *vd = READ_ONCE(vdso_data);

	if (!vd)
		return;
	WRITE_ONCE(vd->seq, vd->seq + 1);
	smp_wmb();
	vd->clock_mode = cs && cs->vdso_tsc ? VDSO_CLOCKMODE_TSC : VDSO_CLOCKMODE_NONE;
	vd->mult = cs ? cs->mult : 0;
	vd->real_offset_ns = real_offset_ns;
	smp_wmb();
	WRITE_ONCE(vd->seq, vd->seq + 1);
}

static int vdso_init(void)
{
	size_t len = (size_t)(vdso_image_end - vdso_image_start);
	static const u8 zero_page[PAGE_SIZE];
	void *image, *vvar;

	vdso_file = vdso_make_file(vdso_image_start, len, &image);
	if (IS_ERR(vdso_file))
		goto fail;
	vvar_file = vdso_make_file(zero_page, PAGE_SIZE, &vvar);
	if (IS_ERR(vvar_file)) {
		fput(vdso_file);
		goto fail;
	}
	vdso_pages = ALIGN(len, PAGE_SIZE) >> PAGE_SHIFT;
	WRITE_ONCE(vdso_data, (struct vdso_data *)vvar);
	/* What the clock was set to before the page existed. */
	timekeeping_sync_vsyscall();
	pr_info("vdso: %zu-byte image, clock mode %s\n", len,
		READ_ONCE(vdso_data->clock_mode) == VDSO_CLOCKMODE_TSC ? "tsc" : "none (system calls)");
	return 0;
fail:
	vdso_file = vvar_file = NULL;
	pr_err("vdso: no memory for the vDSO; processes get none\n");
	return 0;
}
fs_initcall(vdso_init);

int arch_setup_additional_pages(struct mm *mm, unsigned long *sysinfo_ehdr)
{
	unsigned long len = (1 + vdso_pages) * PAGE_SIZE, base, addr;

	*sysinfo_ehdr = 0;
	if (!vdso_file)
		return 0;
	base = vm_mmap(mm, 0, len, VDSO_PROT_NONE, VDSO_MAP_PRIVATE | VDSO_MAP_ANONYMOUS, NULL, 0);
	if (IS_ERR_VALUE(base))
		return (int)(long)base;
	addr = vm_mmap(mm, base, PAGE_SIZE, VDSO_PROT_READ, VDSO_MAP_PRIVATE | VDSO_MAP_FIXED,
		       vvar_file, 0);
	if (IS_ERR_VALUE(addr))
		return (int)(long)addr;
	addr = vm_mmap(mm, base + PAGE_SIZE, len - PAGE_SIZE, VDSO_PROT_READ | VDSO_PROT_EXEC,
		       VDSO_MAP_PRIVATE | VDSO_MAP_FIXED, vdso_file, 0);
	if (IS_ERR_VALUE(addr))
		return (int)(long)addr;
	*sysinfo_ehdr = addr;
	return 0;
}

const char *arch_vma_name(const struct file *file)
{
	if (!file)
		return NULL;
	if (file == vdso_file)
		return "[vdso]";
	if (file == vvar_file)
		return "[vvar]";
	return NULL;
}
