// SPDX-License-Identifier: MIT
/*
 * PCI configuration space access. Two mechanisms:
 *  - ECAM (PCI Express Base 4.0, 7.2.2), where ACPI's MCFG gives a window:
 *    function (bus, devfn) has 4 KiB at base + (bus << 20 | devfn << 12).
 *    QEMU's q35 has it; each bus's 1 MiB is mapped when the bus is scanned.
 *  - Configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2): the
 *    address written to port 0xCF8, the data at 0xCFC-0xCFF; 256 bytes per
 *    function. QEMU's i440fx (-machine pc) has only this.
 * Accesses of 1, 2 or 4 bytes, naturally aligned; sub-dword writes are real
 * byte/word cycles, never read-modify-write of the dword (that would clear
 * write-1-to-clear status bits).
 *
 * Locking: pci_config_lock (irqs off) makes the 0xCF8/0xCFC pair atomic;
 * ECAM accesses need no lock. ecam_bus[] is written at boot (scan) only.
 */
#include <exo/acpi.h>
#include <exo/pci.h>
#include <exo/printk.h>
#include <exo/spinlock.h>
#include <asm/io.h>
#include <uapi/errno.h>
#include "pci.h"

#define PCI_CONF1_ADDRESS 0xcf8
#define PCI_CONF1_DATA 0xcfc
#define PCI_CONF1_ENABLE 0x80000000U
#define ECAM_BUS_SHIFT 20
#define ECAM_DEVFN_SHIFT 12

static DEFINE_SPINLOCK(pci_config_lock);
static const struct acpi_mcfg_region *ecam;		/* [immutable after pci_access_init] */
static void __iomem *ecam_bus[256];			/* [boot] mapped buses */

bool pci_has_ecam(void)
{
	return ecam;
}

void pci_access_init(void)
{
	for (unsigned int i = 0; i < acpi_mcfg_count(); i++) {
		const struct acpi_mcfg_region *r = acpi_mcfg_region(i);

		if (r->segment == 0) {
			ecam = r;
			break;
		}
	}
	if (ecam)
		pr_info("PCI: Using ECAM for config space access\n");
	else
		pr_info("PCI: Using configuration type 1 for base access\n");
}

void pci_map_bus(u8 bus)
{
	phys_addr_t phys;

	if (!ecam || ecam_bus[bus] || bus < ecam->start_bus || bus > ecam->end_bus)
		return;
	phys = ecam->base + ((phys_addr_t)bus << ECAM_BUS_SHIFT);
	ecam_bus[bus] = ioremap(phys, 1UL << ECAM_BUS_SHIFT);
	if (!ecam_bus[bus])
		pr_err("PCI: cannot map ECAM of bus %02x\n", bus);
}

static void __iomem *ecam_addr(u8 bus, unsigned int devfn, unsigned int where)
{
	if (!ecam_bus[bus])
		return NULL;
	return (u8 __iomem *)ecam_bus[bus] + (devfn << ECAM_DEVFN_SHIFT) + where;
}

static bool bad_access(u16 domain, unsigned int devfn, unsigned int where, int size)
{
	unsigned int limit = ecam ? PCI_CFG_SPACE_EXP_SIZE : PCI_CFG_SPACE_SIZE;

	return domain || devfn > 0xff || (size != 1 && size != 2 && size != 4) ||
	       where & (unsigned int)(size - 1) || where + (unsigned int)size > limit;
}

int pci_bus_read_config(u16 domain, u8 bus, unsigned int devfn, unsigned int where, int size,
			u32 *val)
{
	unsigned long flags;

	*val = ~0U;
	if (bad_access(domain, devfn, where, size))
		return -EINVAL;
	if (ecam) {
		void __iomem *a = ecam_addr(bus, devfn, where);

		if (!a)
			return -ENODEV;
		*val = size == 1 ? readb(a) : size == 2 ? readw(a) : readl(a);
		return 0;
	}
	spin_lock_irqsave(&pci_config_lock, flags);
	outl(PCI_CONF1_ENABLE | (u32)bus << 16 | devfn << 8 | (where & ~3U), PCI_CONF1_ADDRESS);
	if (size == 1)
		*val = inb(PCI_CONF1_DATA + (where & 3));
	else if (size == 2)
		*val = inw(PCI_CONF1_DATA + (where & 2));
	else
		*val = inl(PCI_CONF1_DATA);
	spin_unlock_irqrestore(&pci_config_lock, flags);
	return 0;
}

int pci_bus_write_config(u16 domain, u8 bus, unsigned int devfn, unsigned int where, int size,
			 u32 val)
{
	unsigned long flags;

	if (bad_access(domain, devfn, where, size))
		return -EINVAL;
	if (ecam) {
		void __iomem *a = ecam_addr(bus, devfn, where);

		if (!a)
			return -ENODEV;
		if (size == 1)
			writeb((u8)val, a);
		else if (size == 2)
			writew((u16)val, a);
		else
			writel(val, a);
		return 0;
	}
	spin_lock_irqsave(&pci_config_lock, flags);
	outl(PCI_CONF1_ENABLE | (u32)bus << 16 | devfn << 8 | (where & ~3U), PCI_CONF1_ADDRESS);
	if (size == 1)
		outb((u8)val, PCI_CONF1_DATA + (where & 3));
	else if (size == 2)
		outw((u16)val, PCI_CONF1_DATA + (where & 2));
	else
		outl(val, PCI_CONF1_DATA);
	spin_unlock_irqrestore(&pci_config_lock, flags);
	return 0;
}

#define DEV_ARGS(d) (d)->bus->domain, (d)->bus->number, (d)->devfn

int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val)
{
	u32 v;
	int err = pci_bus_read_config(DEV_ARGS(dev), (unsigned int)where, 1, &v);

	*val = (u8)v;
	return err;
}

int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val)
{
	u32 v;
	int err = pci_bus_read_config(DEV_ARGS(dev), (unsigned int)where, 2, &v);

	*val = (u16)v;
	return err;
}

int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val)
{
	return pci_bus_read_config(DEV_ARGS(dev), (unsigned int)where, 4, val);
}

int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val)
{
	return pci_bus_write_config(DEV_ARGS(dev), (unsigned int)where, 1, val);
}

int pci_write_config_word(const struct pci_dev *dev, int where, u16 val)
{
	return pci_bus_write_config(DEV_ARGS(dev), (unsigned int)where, 2, val);
}

int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val)
{
	return pci_bus_write_config(DEV_ARGS(dev), (unsigned int)where, 4, val);
}
