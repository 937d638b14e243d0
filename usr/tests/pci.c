/*
 * PCI as user space sees it: /sys/bus/pci/devices and /proc/interrupts, in
 * Linux's formats. Each check reads what Linux offers too, so the group
 * passes natively; a check about a QEMU device (edu 1234:11e8, a device
 * behind a PCI-PCI bridge) prints SKIP and passes when that device is
 * absent. scripts/testsuite/devices.py boots the guest with those devices.
 *
 * Natively on Linux, unprivileged reads of "config" stop at 64 bytes; the
 * checks use only the first 64.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"

#define PCI_DEVICES "/sys/bus/pci/devices"
#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_IRQS_PER_CPU 4	/* drivers/pci/edu.c: EDU_TEST_PER_CPU */
#define EDU_IRQS_FIRST 16	/* EDU_TEST_IRQS */

static void skip(const char *why)
{
	fprintf(stderr, "SKIP %s\n", why);
}

/* Reads a whole small file into @buf (NUL-terminated); bytes read or -1. */
static ssize_t read_file(const char *dir, const char *name, char *buf, size_t size)
{
	char path[512];
	ssize_t n, total = 0;
	int fd;

	snprintf(path, sizeof(path), "%.300s/%.100s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while ((size_t)total < size - 1 && (n = read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return total;
}

/* A sysfs hex attribute "0x%0Nx\n" of exactly @digits digits; -1 if malformed. */
static long read_hex_attr(const char *dir, const char *name, int digits)
{
	char buf[64];
	ssize_t n = read_file(dir, name, buf, sizeof(buf));

	if (n != digits + 3 || buf[0] != '0' || buf[1] != 'x' || buf[n - 1] != '\n')
		return -1;
	for (int i = 2; i < n - 1; i++)
		if (!isxdigit((unsigned char)buf[i]) || isupper((unsigned char)buf[i]))
			return -1;
	return strtol(buf, NULL, 16);
}

struct pci_info {
	char name[256];
	char dir[300];
	long vendor, device, class, revision;
};

/* Fills up to @max devices from /sys/bus/pci/devices; returns how many, -1 if absent. */
static int pci_list(struct pci_info *out, int max)
{
	DIR *d = opendir(PCI_DEVICES);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max) {
		if (e->d_name[0] == '.')
			continue;
		if (strlen(e->d_name) > 64)
			continue;
		strcpy(out[n].name, e->d_name);
		strcpy(out[n].dir, PCI_DEVICES "/");
		strcat(out[n].dir, e->d_name);
		out[n].vendor = read_hex_attr(out[n].dir, "vendor", 4);
		out[n].device = read_hex_attr(out[n].dir, "device", 4);
		out[n].class = read_hex_attr(out[n].dir, "class", 6);
		out[n].revision = read_hex_attr(out[n].dir, "revision", 2);
		n++;
	}
	closedir(d);
	return n;
}

static struct pci_info devs[256];

TEST(pci, sysfs_attributes_match_config_space)
{
	int n = pci_list(devs, 256);

	if (n <= 0) {
		skip("no " PCI_DEVICES);
		return;
	}
	for (int i = 0; i < n; i++) {
		struct pci_info *p = &devs[i];
		unsigned char cfg[64];
		char link[300], buf[64];
		unsigned int bus, slot, fn, domain;
		ssize_t len;
		int fd;

		/* The name is DDDD:BB:DD.F and the entry links into /sys/devices. */
		EXPECT_EQ(sscanf(p->name, "%4x:%2x:%2x.%1x", &domain, &bus, &slot, &fn), 4);
		EXPECT_EQ(strlen(p->name), 12);
		len = readlink(p->dir, link, sizeof(link) - 1);
		ASSERT_GE(len, 0);
		link[len] = '\0';
		EXPECT_TRUE(strncmp(link, "../../../devices/pci", 20) == 0);
		EXPECT_TRUE(strcmp(link + len - strlen(p->name), p->name) == 0);

		EXPECT_GE(p->vendor, 0);
		EXPECT_GE(p->device, 0);
		EXPECT_GE(p->class, 0);
		EXPECT_GE(p->revision, 0);
		EXPECT_GE(read_hex_attr(p->dir, "subsystem_vendor", 4), 0);
		EXPECT_GE(read_hex_attr(p->dir, "subsystem_device", 4), 0);

		snprintf(link, sizeof(link), "%.250s/config", p->dir);
		fd = open(link, O_RDONLY);
		ASSERT_GE(fd, 0);
		len = read(fd, cfg, sizeof(cfg));
		close(fd);
		ASSERT_EQ(len, 64);
		EXPECT_EQ(cfg[0] | cfg[1] << 8, p->vendor);
		EXPECT_EQ(cfg[2] | cfg[3] << 8, p->device);
		EXPECT_EQ(cfg[8], p->revision);
		EXPECT_EQ(cfg[9] | cfg[10] << 8 | cfg[11] << 16, p->class);

		/* irq: a decimal number and a newline. */
		len = read_file(p->dir, "irq", buf, sizeof(buf));
		EXPECT_GE(len, 2);
		if (len >= 2) {
			EXPECT_EQ(buf[len - 1], '\n');
			EXPECT_EQ(strspn(buf, "0123456789"), (size_t)len - 1);
		}
	}
}

/* Line @bar of "resource": start, end, flags. 0, or -1 when absent or malformed. */
static int read_resource(const char *dir, int bar, unsigned long long *start,
			 unsigned long long *end, unsigned long long *flags)
{
	static char buf[4096];
	char *line = buf;

	if (read_file(dir, "resource", buf, sizeof(buf)) <= 0)
		return -1;
	for (int i = 0; i < bar && line; i++) {
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (!line || strlen(line) < 57 || line[56] != '\n')
		return -1;
	return sscanf(line, "0x%16llx 0x%16llx 0x%16llx", start, end, flags) == 3 ? 0 : -1;
}

TEST(pci, resource_file_format)
{
	int n = pci_list(devs, 256);

	if (n <= 0) {
		skip("no " PCI_DEVICES);
		return;
	}
	for (int i = 0; i < n; i++) {
		char buf[4096];
		ssize_t len = read_file(devs[i].dir, "resource", buf, sizeof(buf));
		int lines = 0;

		for (ssize_t j = 0; j < len; j++)
			lines += buf[j] == '\n';
		/* 6 BARs and the ROM at least; each line 3 x "0x" + 16 digits. */
		EXPECT_GE(lines, 7);
		EXPECT_EQ(len, lines * 57);
	}
}

TEST(pci, edu_device_seen_with_its_bar)
{
	int n = pci_list(devs, 256), found = 0;

	for (int i = 0; i < n; i++) {
		unsigned long long start, end, flags;
		char buf[512];

		if (devs[i].vendor != EDU_VENDOR || devs[i].device != EDU_DEVICE)
			continue;
		found++;
		/* QEMU hw/misc/edu.c: class "other" (0x00ff), revision 0x10, BAR 0 1 MiB MMIO. */
		EXPECT_EQ(devs[i].class, 0x00ff00);
		EXPECT_EQ(devs[i].revision, 0x10);
		ASSERT_EQ(read_resource(devs[i].dir, 0, &start, &end, &flags), 0);
		EXPECT_EQ(end - start + 1, 0x100000);
		EXPECT_EQ(flags & 0x100, 0);		/* IORESOURCE_IO */
		EXPECT_EQ(flags & 0x200, 0x200);	/* IORESOURCE_MEM */
		EXPECT_EQ(flags & 0x100000, 0);		/* 32-bit */
		ASSERT_EQ(read_resource(devs[i].dir, 1, &start, &end, &flags), 0);
		EXPECT_EQ(end, 0);
		/* busybox lspci reads uevent. */
		EXPECT_GT(read_file(devs[i].dir, "uevent", buf, sizeof(buf)), 0);
		EXPECT_TRUE(strstr(buf, "PCI_ID=1234:11E8\n") != NULL);
		EXPECT_TRUE(strstr(buf, "PCI_CLASS=FF00\n") != NULL);
		EXPECT_TRUE(strstr(buf, "PCI_SLOT_NAME=") != NULL);
	}
	if (!found)
		skip("no edu device (QEMU -device edu)");
}

TEST(pci, device_behind_bridge_nests_under_it)
{
	int n = pci_list(devs, 256), found = 0;

	for (int i = 0; i < n; i++) {
		char link[300], parent[400];
		ssize_t len = readlink(devs[i].dir, link, sizeof(link) - 1);
		char *last;
		long class;

		if (len < 0)
			continue;
		link[len] = '\0';
		/* ../../../devices/pci0000:00/<bridge>/<device>: the parent is not pciDDDD:BB. */
		last = strrchr(link, '/');
		if (!last)
			continue;
		*last = '\0';
		if (!strrchr(link, '/') || !strncmp(strrchr(link, '/') + 1, "pci", 3))
			continue;
		snprintf(parent, sizeof(parent), PCI_DEVICES "/%.300s", link);
		class = read_hex_attr(parent, "class", 6);
		if (class < 0 || (class >> 16) != 0x06)
			continue;	/* not a PCI bridge (a multi-level platform path) */
		found++;
		EXPECT_EQ(class >> 8, 0x0604);	/* PCI-to-PCI bridge */
		EXPECT_NE(strncmp(devs[i].name + 5, "00:", 3), 0);	/* not bus 0 */
	}
	if (!found)
		skip("no device behind a PCI-PCI bridge");
}

/* /proc/interrupts: the header has one CPUn column per online CPU; returns their number. */
static int interrupts_read(char *buf, size_t size)
{
	int fd = open("/proc/interrupts", O_RDONLY), ncpu = 0;
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < size - 1 && (n = read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	for (char *p = buf; *p && *p != '\n'; p++)
		if (!strncmp(p, "CPU", 3) && (p == buf || p[-1] == ' '))
			ncpu++;
	return ncpu;
}

TEST(pci, proc_interrupts_layout)
{
	static char buf[1 << 16];
	int ncpu = interrupts_read(buf, sizeof(buf));
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	ASSERT_GE(ncpu, 1);
	EXPECT_EQ(ncpu, online);
	/* Every row: "label:" then one count per CPU. */
	for (char *line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		char *p = strchr(line + 1, ':');
		int counts = 0;

		ASSERT_TRUE(p != NULL);
		p++;
		for (int c = 0; c < ncpu; c++) {
			char *end;

			strtoul(p, &end, 10);
			if (end == p)
				break;
			counts++;
			p = end;
		}
		/* ERR and MIS have one total, the others one per CPU. */
		EXPECT_TRUE(counts == ncpu || counts == 1);
	}
	EXPECT_TRUE(strstr(buf, "LOC:") != NULL);
}

/*
 * The edu test driver (drivers/pci/edu.c) raises its interrupts from a
 * kernel thread started at boot: EDU_IRQS_FIRST on one CPU, then
 * EDU_IRQS_PER_CPU on each CPU in turn, one device after the other. The row
 * of each edu's IRQ (its sysfs "irq"; INTx lines may be shared by several)
 * must show all of them, on every CPU. Waits for the threads (TCG is slow);
 * skips without an edu device.
 */
TEST_TIMEOUT(pci, edu_interrupts_on_every_cpu, 60)
{
	static char buf[1 << 16];
	int n = pci_list(devs, 256), nirq = 0, ncpu = 0;
	long irqs[256], per_irq[256];

	for (int i = 0; i < n; i++) {
		char irq[32];
		int j;

		if (devs[i].vendor != EDU_VENDOR || devs[i].device != EDU_DEVICE)
			continue;
		ASSERT_GE(read_file(devs[i].dir, "irq", irq, sizeof(irq)), 2);
		for (j = 0; j < nirq && irqs[j] != atol(irq); j++)
			;
		if (j == nirq) {
			irqs[nirq] = atol(irq);
			per_irq[nirq++] = 0;
		}
		per_irq[j]++;
	}
	if (!nirq) {
		skip("no edu device (QEMU -device edu)");
		return;
	}
	for (int tries = 0; tries < 500; tries++) {
		int done = 0;

		ncpu = interrupts_read(buf, sizeof(buf));
		for (int j = 0; j < nirq; j++) {
			char label[32], *p;
			unsigned long sum = 0, min = ~0UL;

			snprintf(label, sizeof(label), "\n%*ld:", 3, irqs[j]);
			p = strstr(buf, label);
			if (!p)
				continue;
			p += strlen(label);
			for (int c = 0; c < ncpu; c++) {
				unsigned long v = strtoul(p, &p, 10);

				sum += v;
				min = v < min ? v : min;
			}
			if (sum >= (unsigned long)per_irq[j] * (EDU_IRQS_FIRST + ncpu * EDU_IRQS_PER_CPU) &&
			    min >= (unsigned long)per_irq[j] * EDU_IRQS_PER_CPU)
				done++;
		}
		if (done == nirq)
			return;
		usleep(100000);
	}
	fprintf(stderr, "%s", buf);
	EXPECT_TRUE(!"every edu IRQ counts its devices' test interrupts on every CPU");
}
