// SPDX-License-Identifier: MIT
/*
 * sysfs, the part programs read: /sys/devices/system/cpu/{online,possible,
 * present} in Linux's cpulist format (glibc's sysconf(_SC_NPROCESSORS_ONLN)
 * and lscpu read them). There is no kobject model behind it: the tree is
 * a procfs entry table, mounted as its own file system type. PCI devices
 * (/sys/bus/pci/devices, /sys/devices/pci0000:00) are in sysfs_pci.c.
 */
#include <exo/acpi.h>
#include <exo/cpumask.h>
#include <exo/compiler.h>
#include <exo/percpu.h>
#include <uapi/stat.h>
#include "../internal.h"
#include "internal.h"

#define SYSFS_MAGIC 0x62656572

static int cpu_online_show(struct seq_file *m)
{
	seq_cpumask_list(m, &cpu_online_mask);
	seq_putc(m, '\n');
	return 0;
}

/* The CPUs the firmware lists, whether or not they were started (nosmp). */
static int cpu_present_show(struct seq_file *m)
{
	unsigned int n = min(max(acpi_cpu_count(), nr_cpus_online), (unsigned int)NR_CPUS);
	if (n == 1)
		seq_puts(m, "0\n");
	else
		seq_printf(m, "0-%u\n", n - 1);
	return 0;
}

static const struct proc_entry sysfs_cpu_entries[] = {
	{ .name = "online", .mode = S_IFREG | 0444, .show = cpu_online_show },
	{ .name = "possible", .mode = S_IFREG | 0444, .show = cpu_present_show },
	{ .name = "present", .mode = S_IFREG | 0444, .show = cpu_present_show },
};

static const struct proc_dir sysfs_cpu_dir = {
	.entries = sysfs_cpu_entries, .nr_entries = ARRAY_SIZE(sysfs_cpu_entries),
};

static const struct proc_entry sysfs_system_entries[] = {
	{ .name = "cpu", .mode = S_IFDIR | 0555, .dir = &sysfs_cpu_dir },
};

static const struct proc_dir sysfs_system_dir = {
	.entries = sysfs_system_entries, .nr_entries = ARRAY_SIZE(sysfs_system_entries),
};

static const struct proc_entry sysfs_devices_entries[] = {
	{ .name = "system", .mode = S_IFDIR | 0555, .dir = &sysfs_system_dir },
#ifdef CONFIG_PCI
	{ .name = "pci0000:00", .mode = S_IFDIR | 0555, .dir = &sysfs_pci_root_dir },
#endif
};

static const struct proc_dir sysfs_devices_dir = {
	.entries = sysfs_devices_entries, .nr_entries = ARRAY_SIZE(sysfs_devices_entries),
};

#ifdef CONFIG_PCI
static const struct proc_entry sysfs_pci_bus_entries[] = {
	{ .name = "devices", .mode = S_IFDIR | 0555, .dir = &sysfs_pci_links_dir },
};

static const struct proc_dir sysfs_pci_bus_dir = {
	.entries = sysfs_pci_bus_entries, .nr_entries = ARRAY_SIZE(sysfs_pci_bus_entries),
};

static const struct proc_entry sysfs_bus_entries[] = {
	{ .name = "pci", .mode = S_IFDIR | 0555, .dir = &sysfs_pci_bus_dir },
};
#endif

static const struct proc_dir sysfs_bus_dir = {
#ifdef CONFIG_PCI
	.entries = sysfs_bus_entries, .nr_entries = ARRAY_SIZE(sysfs_bus_entries),
#endif
};

#ifdef CONFIG_BLOCK
static const struct proc_entry sysfs_dev_entries[] = {
	{ .name = "block", .mode = S_IFDIR | 0555, .dir = &sysfs_dev_block_dir },
};

static const struct proc_dir sysfs_dev_dir = {
	.entries = sysfs_dev_entries, .nr_entries = ARRAY_SIZE(sysfs_dev_entries),
};
#endif

static const struct proc_entry sysfs_root_entries[] = {
	{ .name = "devices", .mode = S_IFDIR | 0555, .dir = &sysfs_devices_dir },
	{ .name = "bus", .mode = S_IFDIR | 0555, .dir = &sysfs_bus_dir },
#ifdef CONFIG_BLOCK
	{ .name = "block", .mode = S_IFDIR | 0555, .dir = &sysfs_block_dir },
	{ .name = "dev", .mode = S_IFDIR | 0555, .dir = &sysfs_dev_dir },
#endif
};

static const struct proc_dir sysfs_root_dir = {
	.entries = sysfs_root_entries, .nr_entries = ARRAY_SIZE(sysfs_root_entries),
};

static const struct proc_entry sysfs_root_entry = {
	.name = "/", .mode = S_IFDIR | 0555, .dir = &sysfs_root_dir,
};

static struct super_block *sysfs_mount(struct file_system_type *type, unsigned long flags,
				      const char *data)
{
	return proc_table_fill_super(type, SYSFS_MAGIC, &sysfs_root_entry);
}

static struct file_system_type sysfs_fs_type = { .name = "sysfs", .mount = sysfs_mount };

int sysfs_init(void)
{
	return register_filesystem(&sysfs_fs_type);
}
