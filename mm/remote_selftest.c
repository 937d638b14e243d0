// SPDX-License-Identifier: MIT
/*
 * Self-test of access_remote_vm(): reads and writes an address space that is
 * not loaded on this CPU, across a page boundary, into pages that were never
 * touched (demand faults), and stops short at the end of the mapping. The
 * free page count must come back once the mm is gone.
 */
#define pr_fmt(fmt) "remote_vm selftest: " fmt

#include <exo/err.h>
#include <exo/mm.h>
#include <exo/mmap.h>
#include <exo/printk.h>
#include <exo/selftest.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

static int remote_vm_check(struct mm *mm)
{
	char out[64], in[64];
	unsigned long addr;
	int n;

	addr = vm_mmap(mm, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	if (IS_ERR_VALUE(addr))
		return (int)addr;
	for (unsigned int i = 0; i < sizeof(out); i++)
		out[i] = (char)('a' + i % 26);
	/* Straddles the two pages. */
	n = access_remote_vm(mm, addr + PAGE_SIZE - 20, out, sizeof(out), true);
	if (n != (int)sizeof(out)) {
		pr_err("write: %d bytes\n", n);
		return -EFAULT;
	}
	memset(in, 0, sizeof(in));
	n = access_remote_vm(mm, addr + PAGE_SIZE - 20, in, sizeof(in), false);
	if (n != (int)sizeof(in) || memcmp(in, out, sizeof(in))) {
		pr_err("read back: %d bytes, %s\n", n, memcmp(in, out, sizeof(in)) ? "differ" : "same");
		return -EIO;
	}
	/* The mapping ends 10 bytes into the read. */
	n = access_remote_vm(mm, addr + 2 * PAGE_SIZE - 10, in, sizeof(in), false);
	if (n != 10) {
		pr_err("read past the end: %d bytes\n", n);
		return -EIO;
	}
	return 0;
}

static int remote_vm_run(void)
{
	struct mm *mm = mm_create();
	int err;

	if (IS_ERR(mm))
		return (int)PTR_ERR(mm);
	err = remote_vm_check(mm);
	mmput(mm);
	return err;
}

static int remote_vm_selftest(void)
{
	unsigned long before, after;
	int err;

	/* The first run may leave pages in the slab caches (mm, VMA objects): count the second. */
	err = remote_vm_run();
	if (err)
		return err;
	before = nr_free_pages();
	err = remote_vm_run();
	after = nr_free_pages();
	if (!err && after != before) {
		pr_err("free pages %lu before, %lu after\n", before, after);
		err = -EIO;
	}
	return err;
}
DEFINE_SELFTEST("remote_vm", remote_vm_selftest);
