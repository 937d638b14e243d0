// SPDX-License-Identifier: MIT
/*
 * vmalloc self-test (CONFIG_SELFTEST): areas are page-aligned, zeroed when
 * asked, have an unmapped guard page below them, and give every page back.
 */
#include <exo/mm.h>
#include <exo/printk.h>
#include <exo/selftest.h>
#include <exo/string.h>
#include <exo/vmalloc.h>
#include <asm/memlayout.h>
#include <asm/paging.h>
#include <uapi/errno.h>

static int vmalloc_selftest(void)
{
	unsigned long free_before, used_before, size = 5 * PAGE_SIZE + 123;
	u8 *a, *b;
	int err = 0;

	/*
	 * Warm up with the same sizes, so the slab classes of the descriptors and
	 * the page-table pages of the range exist before counting.
	 */
	vfree(vmalloc(size));
	vfree(vzalloc(3 * PAGE_SIZE));
	vm_unmap_aliases();
	drain_local_pages();
	free_before = nr_free_pages();
	a = vmalloc(size);
	b = vzalloc(3 * PAGE_SIZE);
	if (!a || !b)
		return -ENOMEM;
	if (!is_vmalloc_addr(a) || !IS_ALIGNED((unsigned long)a, PAGE_SIZE))
		err = -EINVAL;
	memset(a, 0x5a, size);
	for (unsigned long i = 0; i < 3 * PAGE_SIZE; i++)
		if (b[i])
			err = -EINVAL;
	/* Guard pages below each area stay unmapped. */
	if (arch_kernel_virt_to_phys((unsigned long)a - PAGE_SIZE) != (phys_addr_t)-1 ||
	    arch_kernel_virt_to_phys((unsigned long)b - PAGE_SIZE) != (phys_addr_t)-1)
		err = -EFAULT;
	if (a[size - 1] != 0x5a)
		err = -EIO;
	vfree(a);
	vfree(b);
	/* Freed areas wait for a purge; this one makes their pages count as free again. */
	vm_unmap_aliases();
	drain_local_pages();
	if (nr_free_pages() != free_before) {
		pr_err("vmalloc selftest: %lu pages free before, %lu after\n", free_before,
		       nr_free_pages());
		err = -ENOMEM;
	}
	/*
	 * Many frees in a row: purges come by themselves every few dozen pages
	 * (no area or page piles up unflushed), and after the last one every
	 * page is back.
	 */
	used_before = vmalloc_used_pages();
	for (int i = 0; i < 200 && !err; i++) {
		a = vmalloc(KERNEL_STACK_SIZE);
		if (!a)
			return -ENOMEM;
		a[0] = 1;
		vfree(a);
	}
	/* The lazy list stays short (mm/vmalloc.c: VMAP_LAZY_PAGES, 64). */
	if (vmalloc_used_pages() > used_before + 64) {
		pr_err("vmalloc selftest: %lu pages wait for a purge after 200 frees\n",
		       vmalloc_used_pages() - used_before);
		err = -ENOMEM;
	}
	vm_unmap_aliases();
	drain_local_pages();
	if (!err && nr_free_pages() != free_before) {
		pr_err("vmalloc selftest: %lu pages free before 200 lazy frees, %lu after\n",
		       free_before, nr_free_pages());
		err = -ENOMEM;
	}
	return err;
}
DEFINE_SELFTEST("vmalloc", vmalloc_selftest);
