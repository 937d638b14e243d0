// SPDX-License-Identifier: MIT
/*
 * PCI enumeration and the PCI bus type (interfaces in <exo/pci.h>).
 *
 * At subsys_initcall time every bus is walked depth first from bus 0:
 * each function that answers becomes a struct pci_dev with its IDs, its BARs
 * sized (PCI Local Bus 3.0, 6.2.5.1: write all ones, read back the mask,
 * with decoding off meanwhile so the device never answers at a junk
 * address), its MSI/MSI-X capabilities and its INTx line. A PCI-to-PCI
 * bridge's secondary bus (the firmware numbered it: SeaBIOS assigns bus
 * numbers and BAR addresses, which are kept as they are) is scanned where the
 * bridge is found, so devices appear in Linux's order. Each function is
 * logged as Linux logs it and added to pci_bus_type, where drivers match
 * it by their id tables.
 */
#include <exo/err.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/pci.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "pci.h"

LIST_HEAD(pci_devices);
static LIST_HEAD(pci_root_buses);
static unsigned int pci_nr_devices;

static const struct pci_device_id *pci_match_one(const struct pci_device_id *id,
						 const struct pci_dev *dev)
{
	for (; id->vendor || id->subvendor || id->class_mask; id++) {
		if ((id->vendor == PCI_ANY_ID || id->vendor == dev->vendor) &&
		    (id->device == PCI_ANY_ID || id->device == dev->device) &&
		    (id->subvendor == PCI_ANY_ID || id->subvendor == dev->subsystem_vendor) &&
		    (id->subdevice == PCI_ANY_ID || id->subdevice == dev->subsystem_device) &&
		    !((id->class ^ dev->class) & id->class_mask))
			return id;
	}
	return NULL;
}

static int pci_bus_match(struct device *dev, struct device_driver *drv)
{
	const struct pci_driver *pdrv = to_pci_driver(drv);

	return pdrv->id_table && pci_match_one(pdrv->id_table, to_pci_dev(dev));
}

static int pci_device_probe(struct device *dev)
{
	struct pci_driver *pdrv = to_pci_driver(dev->driver);
	struct pci_dev *pdev = to_pci_dev(dev);

	if (!pdrv->probe)
		return -ENODEV;
	return pdrv->probe(pdev, pci_match_one(pdrv->id_table, pdev));
}

static void pci_device_remove(struct device *dev)
{
	struct pci_driver *pdrv = to_pci_driver(dev->driver);

	if (pdrv->remove)
		pdrv->remove(to_pci_dev(dev));
}

struct bus_type pci_bus_type = {
	.name = "pci",
	.match = pci_bus_match,
	.probe = pci_device_probe,
	.remove = pci_device_remove,
};

int pci_register_driver(struct pci_driver *drv)
{
	drv->driver.name = drv->name;
	drv->driver.bus = &pci_bus_type;
	return driver_register(&drv->driver);
}

void pci_unregister_driver(struct pci_driver *drv)
{
	driver_unregister(&drv->driver);
}

static void pci_release_dev(struct device *dev)
{
	kfree(to_pci_dev(dev));
}

/* Sizes the BAR at config offset @pos into @res; returns how many BAR slots it used (1 or 2). */
static int pci_read_bar(struct pci_dev *dev, int pos, struct resource *res, bool rom)
{
	u32 orig, mask, orig_hi = 0, mask_hi = ~0U;
	u64 base, size;
	int used = 1;

	pci_read_config_dword(dev, pos, &orig);
	pci_write_config_dword(dev, pos, rom ? ~1U : ~0U);
	pci_read_config_dword(dev, pos, &mask);
	pci_write_config_dword(dev, pos, orig);
	if (!mask || mask == ~0U)
		return 1;
	if (rom) {
		res->flags = IORESOURCE_MEM | IORESOURCE_PREFETCH | 0x4000 /* READONLY */ |
			     IORESOURCE_SIZEALIGN;
		base = orig & ~0x7ffU;
		size = (u64)(~(mask & ~0x7ffU)) + 1;
		size &= 0xffffffffULL;
	} else if (orig & PCI_BASE_ADDRESS_SPACE_IO) {
		res->flags = IORESOURCE_IO | IORESOURCE_SIZEALIGN | (orig & 0x3);
		base = orig & PCI_BASE_ADDRESS_IO_MASK;
		size = (u16)(~(mask & PCI_BASE_ADDRESS_IO_MASK)) + 1;
	} else {
		res->flags = IORESOURCE_MEM | IORESOURCE_SIZEALIGN | (orig & 0xf);
		if (orig & PCI_BASE_ADDRESS_MEM_PREFETCH)
			res->flags |= IORESOURCE_PREFETCH;
		base = orig & PCI_BASE_ADDRESS_MEM_MASK;
		if ((orig & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64) {
			res->flags |= IORESOURCE_MEM_64;
			pci_read_config_dword(dev, pos + 4, &orig_hi);
			pci_write_config_dword(dev, pos + 4, ~0U);
			pci_read_config_dword(dev, pos + 4, &mask_hi);
			pci_write_config_dword(dev, pos + 4, orig_hi);
			used = 2;
		}
		size = ~(((u64)mask_hi << 32) | (mask & PCI_BASE_ADDRESS_MEM_MASK)) + 1;
		if (used == 1)
			size &= 0xffffffffULL;
		base |= (u64)orig_hi << 32;
	}
	if (!size) {
		res->flags = 0;
		return used;
	}
	res->start = base;
	res->end = base + size - 1;
	if (res->flags & IORESOURCE_IO)
		dev_info(&dev->dev, "reg 0x%x: [io  %#06lx-%#06lx]\n", pos, (unsigned long)res->start,
			 (unsigned long)res->end);
	else
		dev_info(&dev->dev, "reg 0x%x: [mem %#010lx-%#010lx%s%s]\n", pos,
			 (unsigned long)res->start, (unsigned long)res->end,
			 res->flags & IORESOURCE_MEM_64 ? " 64bit" : "",
			 res->flags & IORESOURCE_PREFETCH ? " pref" : "");
	return used;
}

static void pci_read_bases(struct pci_dev *dev, int nr_bars, int rom_pos)
{
	u16 cmd;

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	if (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY))
		pci_write_config_word(dev, PCI_COMMAND,
				      cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (int i = 0; i < nr_bars;)
		i += pci_read_bar(dev, PCI_BASE_ADDRESS_0 + 4 * i, &dev->resource[i], false);
	if (rom_pos)
		pci_read_bar(dev, rom_pos, &dev->resource[PCI_ROM_RESOURCE], true);
	pci_write_config_word(dev, PCI_COMMAND, cmd);
}

static struct pci_bus *pci_alloc_bus(struct pci_bus *parent, struct pci_dev *bridge, u8 nr)
{
	struct pci_bus *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return NULL;
	INIT_LIST_HEAD(&b->devices);
	INIT_LIST_HEAD(&b->children);
	b->parent = parent;
	b->self = bridge;
	b->number = nr;
	list_add_tail(&b->node, parent ? &parent->children : &pci_root_buses);
	return b;
}

static void pci_scan_bus(struct pci_bus *bus);

static struct pci_dev *pci_scan_device(struct pci_bus *bus, unsigned int devfn)
{
	struct pci_dev *dev;
	u32 id, class;
	u8 hdr, secondary;
	int err;

	if (pci_bus_read_config(bus->domain, bus->number, devfn, PCI_VENDOR_ID, 4, &id) ||
	    (id & 0xffff) == 0xffff || (id & 0xffff) == 0)
		return NULL;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return NULL;
	device_initialize(&dev->dev);
	dev->dev.bus = &pci_bus_type;
	dev->dev.release = pci_release_dev;
	dev->dev.parent = bus->self ? &bus->self->dev : NULL;
	dev->bus = bus;
	dev->devfn = devfn;
	dev->vendor = id & 0xffff;
	dev->device = id >> 16;
	dev_set_name(&dev->dev, "%04x:%02x:%02x.%u", bus->domain, bus->number, PCI_SLOT(devfn),
		     PCI_FUNC(devfn));
	pci_read_config_dword(dev, PCI_CLASS_REVISION, &class);
	dev->revision = class & 0xff;
	dev->class = class >> 8;
	pci_read_config_byte(dev, PCI_HEADER_TYPE, &hdr);
	dev->hdr_type = hdr & PCI_HEADER_TYPE_MASK;
	dev->msi_cap = pci_find_capability(dev, PCI_CAP_ID_MSI);
	dev->msix_cap = pci_find_capability(dev, PCI_CAP_ID_MSIX);
	dev->cfg_size = pci_has_ecam() && pci_find_capability(dev, PCI_CAP_ID_EXP) ?
			PCI_CFG_SPACE_EXP_SIZE : PCI_CFG_SPACE_SIZE;
	dev_info(&dev->dev, "[%04x:%04x] type %02x class %#08x\n", dev->vendor, dev->device,
		 dev->hdr_type, dev->class);

	if (dev->hdr_type == PCI_HEADER_TYPE_NORMAL) {
		pci_read_config_word(dev, PCI_SUBSYSTEM_VENDOR_ID, &dev->subsystem_vendor);
		pci_read_config_word(dev, PCI_SUBSYSTEM_ID, &dev->subsystem_device);
		pci_read_bases(dev, PCI_STD_NUM_BARS, PCI_ROM_ADDRESS);
	} else if (dev->hdr_type == PCI_HEADER_TYPE_BRIDGE) {
		pci_read_bases(dev, 2, 0x38);
	}
	pci_read_config_byte(dev, PCI_INTERRUPT_PIN, &dev->pin);
	if (dev->pin) {
		u8 line;

		/*
		 * The line SeaBIOS wrote: the ISA IRQ its PIRQ routing gives
		 * this pin on i440fx (PIIX) and q35 (ICH9). The ACPI _PRT
		 * would say the same, but it is AML, which is not parsed.
		 */
		pci_read_config_byte(dev, PCI_INTERRUPT_LINE, &line);
		dev->irq = line != 0xff ? line : 0;
		dev->intx_irq = dev->irq;
	}
	dev->index = pci_nr_devices++;
	list_add_tail(&dev->bus_list, &bus->devices);
	list_add_tail(&dev->global_list, &pci_devices);

	err = device_add(&dev->dev);
	if (err)
		dev_err(&dev->dev, "not registered: %d\n", err);

	if (dev->hdr_type == PCI_HEADER_TYPE_BRIDGE) {
		pci_read_config_byte(dev, PCI_SECONDARY_BUS, &secondary);
		if (secondary > bus->number) {
			struct pci_bus *child = pci_alloc_bus(bus, dev, secondary);

			dev_info(&dev->dev, "PCI bridge to [bus %02x]\n", secondary);
			if (child) {
				child->domain = bus->domain;
				dev->subordinate = child;
				pci_scan_bus(child);
			}
		}
	}
	return dev;
}

static void pci_scan_bus(struct pci_bus *bus)
{
	pci_map_bus(bus->number);
	for (unsigned int slot = 0; slot < 32; slot++) {
		struct pci_dev *dev = pci_scan_device(bus, PCI_DEVFN(slot, 0));
		u8 hdr;

		if (!dev)
			continue;
		pci_read_config_byte(dev, PCI_HEADER_TYPE, &hdr);
		if (!(hdr & PCI_HEADER_TYPE_MFD))
			continue;
		for (unsigned int fn = 1; fn < 8; fn++)
			pci_scan_device(bus, PCI_DEVFN(slot, fn));
	}
}

static int pci_subsys_init(void)
{
	struct pci_bus *root;
	int err = bus_register(&pci_bus_type);

	if (err)
		return err;
	pci_access_init();
	root = pci_alloc_bus(NULL, NULL, 0);
	if (!root)
		return -ENOMEM;
	pr_info("PCI host bridge to bus 0000:00\n");
	pci_scan_bus(root);
	pr_info("PCI: %u functions found\n", pci_nr_devices);
	return 0;
}
subsys_initcall(pci_subsys_init);
