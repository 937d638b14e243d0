// SPDX-License-Identifier: MIT
/*
 * sysfs for PCI, in Linux's layout and formats, for lspci-like readers:
 *
 *   /sys/devices/pci0000:00/0000:00:05.0/0000:01:03.0/   a device directory,
 *       nested under the bridge it sits behind
 *   /sys/bus/pci/devices/0000:01:03.0 -> ../../../devices/pci0000:00/0000:00:05.0/0000:01:03.0
 *
 * Each device directory has vendor, device, subsystem_vendor,
 * subsystem_device, class, revision, irq, resource, modalias, uevent
 * (what busybox lspci parses) and config (the raw configuration space,
 * 256 or 4096 bytes, read live).
 *
 * Built on the procfs entry tables: a directory or link is about one PCI
 * device through proc_inode.fd = the device's scan index + 1 (0 = the root
 * bus). The device list is fixed after boot, so lookups need no lock.
 */
#include <exo/pci.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <exo/err.h>
#include <uapi/dirent.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "../internal.h"
#include "internal.h"

#define SYSFS_PCI_DEV_INO 0x40000000UL		/* + index << 8: device directories */
#define SYSFS_PCI_LINK_INO 0x30000000UL		/* + index: /sys/bus/pci/devices links */
#define PCI_RESOURCE_LINES 13			/* Linux with SR-IOV: 6 BARs, ROM, 6 IOV BARs */
#define PCI_BRIDGE_RESOURCE_LINES 17		/* ... and the 4 bridge windows */

static struct pci_dev *pci_dev_by_index(int fd)
{
	struct pci_dev *dev;

	for_each_pci_dev(dev)
		if ((int)dev->index + 1 == fd)
			return dev;
	return NULL;
}

static struct pci_dev *seq_pci_dev(struct seq_file *m)
{
	return pci_dev_by_index(PROC_I(m->inode)->fd);
}

#define PCI_ATTR(fname, fmt, expr)                                                   \
	static int pci_##fname##_show(struct seq_file *m)                            \
	{                                                                            \
		struct pci_dev *dev = seq_pci_dev(m);                                \
		if (!dev)                                                            \
			return -ENODEV;                                              \
		seq_printf(m, fmt "\n", expr);                                       \
		return 0;                                                            \
	}

PCI_ATTR(vendor, "0x%04x", dev->vendor)
PCI_ATTR(device, "0x%04x", dev->device)
PCI_ATTR(subsystem_vendor, "0x%04x", dev->subsystem_vendor)
PCI_ATTR(subsystem_device, "0x%04x", dev->subsystem_device)
PCI_ATTR(class, "0x%06x", dev->class)
PCI_ATTR(revision, "0x%02x", dev->revision)
PCI_ATTR(irq, "%u", dev->irq)

static int pci_resource_show(struct seq_file *m)
{
	struct pci_dev *dev = seq_pci_dev(m);
	int lines = PCI_RESOURCE_LINES;

	if (!dev)
		return -ENODEV;
	if (dev->subordinate)
		lines = PCI_BRIDGE_RESOURCE_LINES;
	for (int i = 0; i < lines; i++) {
		const struct resource *r = i < PCI_NUM_RESOURCES ? &dev->resource[i] : NULL;

		seq_printf(m, "0x%016lx 0x%016lx 0x%016lx\n", r ? (unsigned long)r->start : 0UL,
			   r ? (unsigned long)r->end : 0UL, r ? r->flags : 0UL);
	}
	return 0;
}

static void pci_print_modalias(struct seq_file *m, const struct pci_dev *dev)
{
	seq_printf(m, "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X", dev->vendor, dev->device,
		   dev->subsystem_vendor, dev->subsystem_device, dev->class >> 16,
		   (dev->class >> 8) & 0xff, dev->class & 0xff);
}

static int pci_modalias_show(struct seq_file *m)
{
	struct pci_dev *dev = seq_pci_dev(m);

	if (!dev)
		return -ENODEV;
	pci_print_modalias(m, dev);
	seq_putc(m, '\n');
	return 0;
}

static int pci_uevent_show(struct seq_file *m)
{
	struct pci_dev *dev = seq_pci_dev(m);

	if (!dev)
		return -ENODEV;
	if (dev->dev.driver)
		seq_printf(m, "DRIVER=%s\n", dev->dev.driver->name);
	seq_printf(m, "PCI_CLASS=%X\n", dev->class);
	seq_printf(m, "PCI_ID=%04X:%04X\n", dev->vendor, dev->device);
	seq_printf(m, "PCI_SUBSYS_ID=%04X:%04X\n", dev->subsystem_vendor, dev->subsystem_device);
	seq_printf(m, "PCI_SLOT_NAME=%s\n", pci_name(dev));
	seq_puts(m, "MODALIAS=");
	pci_print_modalias(m, dev);
	seq_putc(m, '\n');
	return 0;
}

static int pci_config_show(struct seq_file *m)
{
	struct pci_dev *dev = seq_pci_dev(m);

	if (!dev)
		return -ENODEV;
	for (unsigned int off = 0; off < dev->cfg_size; off += 4) {
		u32 v;

		pci_read_config_dword(dev, (int)off, &v);
		seq_write(m, &v, sizeof(v));
	}
	return 0;
}

static const struct proc_entry pci_dev_entries[] = {
	{ .name = "vendor", .mode = S_IFREG | 0444, .show = pci_vendor_show },
	{ .name = "device", .mode = S_IFREG | 0444, .show = pci_device_show },
	{ .name = "subsystem_vendor", .mode = S_IFREG | 0444, .show = pci_subsystem_vendor_show },
	{ .name = "subsystem_device", .mode = S_IFREG | 0444, .show = pci_subsystem_device_show },
	{ .name = "class", .mode = S_IFREG | 0444, .show = pci_class_show },
	{ .name = "revision", .mode = S_IFREG | 0444, .show = pci_revision_show },
	{ .name = "irq", .mode = S_IFREG | 0444, .show = pci_irq_show },
	{ .name = "resource", .mode = S_IFREG | 0444, .show = pci_resource_show },
	{ .name = "modalias", .mode = S_IFREG | 0444, .show = pci_modalias_show },
	{ .name = "uevent", .mode = S_IFREG | 0644, .show = pci_uevent_show },
	{ .name = "config", .mode = S_IFREG | 0644, .show = pci_config_show },
};

/* The devices directly on the bus behind @parent_fd (0: the root bus). */
static bool pci_child_of(const struct pci_dev *dev, int parent_fd)
{
	if (!parent_fd)
		return !dev->bus->self;
	return dev->bus->self && (int)dev->bus->self->index + 1 == parent_fd;
}

static int pci_dir_lookup(struct inode *dir, struct dentry *dentry);
static int pci_dir_readdir(struct file *file, struct dir_context *ctx, loff_t base);

static const struct proc_dir pci_dev_dir = {
	.entries = pci_dev_entries, .nr_entries = ARRAY_SIZE(pci_dev_entries),
	.lookup = pci_dir_lookup, .readdir = pci_dir_readdir,
};

static const struct proc_entry pci_dev_entry = {
	.name = "", .mode = S_IFDIR | 0755, .dir = &pci_dev_dir,
};

static int pci_dir_lookup(struct inode *dir, struct dentry *dentry)
{
	int parent = PROC_I(dir)->fd;
	struct pci_dev *dev;

	for_each_pci_dev(dev) {
		const char *name = pci_name(dev);

		if (pci_child_of(dev, parent) && strlen(name) == dentry->d_len &&
		    !memcmp(name, dentry->d_name, dentry->d_len))
			return proc_instantiate(dentry, &pci_dev_entry, 0, (int)dev->index + 1,
						SYSFS_PCI_DEV_INO + ((unsigned long)dev->index << 8));
	}
	return 0;
}

static int pci_dir_readdir(struct file *file, struct dir_context *ctx, loff_t base)
{
	int parent = PROC_I(file->f_inode)->fd;
	struct pci_dev *dev;

	for_each_pci_dev(dev) {
		loff_t cookie = base + dev->index + 1;
		const char *name = pci_name(dev);

		if (cookie <= ctx->pos || !pci_child_of(dev, parent))
			continue;
		if (!ctx->emit(ctx, name, (unsigned int)strlen(name), cookie,
			       SYSFS_PCI_DEV_INO + ((unsigned long)dev->index << 8), DT_DIR))
			return 0;
		ctx->pos = cookie;
	}
	return 0;
}

/* /sys/devices/pci0000:00: the root bus's devices. */
const struct proc_dir sysfs_pci_root_dir = {
	.lookup = pci_dir_lookup, .readdir = pci_dir_readdir,
};

/* The device's path below /sys/devices/pci0000:00, written backwards into @buf's end. */
static const char *pci_link_target(struct inode *inode, char *buf, size_t size)
{
	struct pci_dev *dev = pci_dev_by_index(PROC_I(inode)->fd);
	static const char prefix[] = "../../../devices/pci0000:00";
	char *p = buf + size;

	if (!dev)
		return ERR_PTR(-ENOENT);
	*--p = '\0';
	for (; dev; dev = dev->bus->self) {
		size_t len = strlen(pci_name(dev));

		if ((size_t)(p - buf) < len + 1 + sizeof(prefix))
			return ERR_PTR(-ENAMETOOLONG);
		p -= len;
		memcpy(p, pci_name(dev), len);
		*--p = '/';
	}
	p -= sizeof(prefix) - 1;
	memcpy(p, prefix, sizeof(prefix) - 1);
	return p;
}

static const struct proc_entry pci_link_entry = {
	.name = "", .mode = S_IFLNK | 0777, .get_link = pci_link_target,
};

static int pci_links_lookup(struct inode *dir, struct dentry *dentry)
{
	struct pci_dev *dev;

	for_each_pci_dev(dev) {
		const char *name = pci_name(dev);

		if (strlen(name) == dentry->d_len && !memcmp(name, dentry->d_name, dentry->d_len))
			return proc_instantiate(dentry, &pci_link_entry, 0, (int)dev->index + 1,
						SYSFS_PCI_LINK_INO + dev->index);
	}
	return 0;
}

static int pci_links_readdir(struct file *file, struct dir_context *ctx, loff_t base)
{
	struct pci_dev *dev;

	for_each_pci_dev(dev) {
		loff_t cookie = base + dev->index + 1;
		const char *name = pci_name(dev);

		if (cookie <= ctx->pos)
			continue;
		if (!ctx->emit(ctx, name, (unsigned int)strlen(name), cookie,
			       SYSFS_PCI_LINK_INO + dev->index, DT_LNK))
			return 0;
		ctx->pos = cookie;
	}
	return 0;
}

/* /sys/bus/pci/devices. */
const struct proc_dir sysfs_pci_links_dir = {
	.lookup = pci_links_lookup, .readdir = pci_links_readdir,
};
