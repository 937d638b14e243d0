// SPDX-License-Identifier: MIT
/*
 * What drivers do with a struct pci_dev (interfaces in <exo/pci.h>):
 * capability lookup, decoding and bus-master enables, INTx on/off, BAR
 * mapping. The command register is read-modify-written; drivers of one
 * device do so from their probe or remove, which the driver model
 * serialises, so no lock of its own.
 */
#include <exo/pci.h>
#include <exo/printk.h>
#include <asm/io.h>
#include <uapi/errno.h>

#define PCI_FIND_CAP_TTL 48	/* a looped list ends here (Linux's bound) */

u8 pci_find_next_capability(struct pci_dev *dev, u8 pos, int cap)
{
	int ttl = PCI_FIND_CAP_TTL;
	u8 id;

	pci_read_config_byte(dev, pos + PCI_CAP_LIST_NEXT, &pos);
	while (ttl--) {
		/* The bottom two bits are reserved; pointers below 0x40 end the list. */
		pos &= ~3;
		if (pos < 0x40)
			return 0;
		pci_read_config_byte(dev, pos + PCI_CAP_LIST_ID, &id);
		if (id == 0xff)
			return 0;
		if (id == cap)
			return pos;
		pci_read_config_byte(dev, pos + PCI_CAP_LIST_NEXT, &pos);
	}
	return 0;
}

u8 pci_find_capability(struct pci_dev *dev, int cap)
{
	u16 status;

	pci_read_config_word(dev, PCI_STATUS, &status);
	if (!(status & PCI_STATUS_CAP_LIST) || dev->hdr_type == PCI_HEADER_TYPE_CARDBUS)
		return 0;
	/* The list head is at 0x34; reading "next" of a capability at 0x33 reads it. */
	return pci_find_next_capability(dev, PCI_CAPABILITY_LIST - PCI_CAP_LIST_NEXT, cap);
}

static void pci_update_command(struct pci_dev *dev, u16 set, u16 clear)
{
	u16 cmd, new;

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	new = (u16)((cmd & ~clear) | set);
	if (new != cmd)
		pci_write_config_word(dev, PCI_COMMAND, new);
}

int pci_enable_device(struct pci_dev *dev)
{
	u16 set = 0;

	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		if (dev->resource[i].flags & IORESOURCE_IO)
			set |= PCI_COMMAND_IO;
		if (dev->resource[i].flags & IORESOURCE_MEM)
			set |= PCI_COMMAND_MEMORY;
	}
	pci_update_command(dev, set, 0);
	dev->enable_cnt++;
	return 0;
}

void pci_disable_device(struct pci_dev *dev)
{
	if (dev->enable_cnt && --dev->enable_cnt == 0)
		pci_update_command(dev, 0, PCI_COMMAND_MASTER);
	dev->is_busmaster = false;
}

void pci_set_master(struct pci_dev *dev)
{
	pci_update_command(dev, PCI_COMMAND_MASTER, 0);
	dev->is_busmaster = true;
}

void pci_clear_master(struct pci_dev *dev)
{
	pci_update_command(dev, 0, PCI_COMMAND_MASTER);
	dev->is_busmaster = false;
}

void pci_intx(struct pci_dev *dev, int enable)
{
	if (enable)
		pci_update_command(dev, 0, PCI_COMMAND_INTX_DISABLE);
	else
		pci_update_command(dev, PCI_COMMAND_INTX_DISABLE, 0);
}

void __iomem *pci_iomap(struct pci_dev *dev, int bar, unsigned long maxlen)
{
	unsigned long len;

	if (bar < 0 || bar >= PCI_STD_NUM_BARS || !(pci_resource_flags(dev, bar) & IORESOURCE_MEM))
		return NULL;
	len = pci_resource_len(dev, bar);
	if (!len)
		return NULL;
	if (maxlen && maxlen < len)
		len = maxlen;
	return ioremap(pci_resource_start(dev, bar), len);
}

void pci_iounmap(struct pci_dev *dev, void __iomem *addr)
{
	if (addr)
		iounmap(addr);
}
