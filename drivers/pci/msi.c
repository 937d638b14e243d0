// SPDX-License-Identifier: MIT
/*
 * PCI interrupt vectors: pci_alloc_irq_vectors() tries MSI-X, then MSI,
 * then the INTx line (interface in <exo/pci.h>, message format in
 * <exo/msi.h>).
 *
 * MSI-X (PCI 3.0, 6.8.2): the table lives in a BAR; each entry has its own
 * address, data and mask bit. Entries are written with the function masked
 * (MASKALL) and stay masked until request_irq() unmasks them. MSI (6.8.1):
 * one message in the capability; one vector per device (see <exo/msi.h>),
 * masked with the per-vector mask bit when the function has one. Enabling
 * either turns INTx off (command register INTx Disable), as Linux does.
 * The device must be a bus master to send them (pci_set_master()).
 *
 * INTx: the line the firmware wrote in PCI_INTERRUPT_LINE, through the
 * IOAPIC, level-triggered and shared (drivers pass IRQF_SHARED).
 *
 * Locking: the chip callbacks run under the IRQ's desc->lock; allocation
 * and freeing run in the driver's probe/remove, serialised per device by
 * the driver model.
 */
#include <exo/cmdline.h>
#include <exo/init.h>
#include <exo/irq.h>
#include <exo/msi.h>
#include <exo/pci.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <asm/io.h>
#include <uapi/errno.h>
#include "pci.h"

bool pci_msi_disabled;

struct msi_desc {
	struct pci_dev *dev;
	unsigned int index;		/* MSI-X table entry; 0 for MSI */
	bool msix;
};

static void __iomem *msix_entry(const struct msi_desc *m)
{
	return (u8 __iomem *)m->dev->msix_base + m->index * PCI_MSIX_ENTRY_SIZE;
}

static void msi_write_msg(struct msi_desc *m, const struct msi_msg *msg)
{
	struct pci_dev *dev = m->dev;
	u16 ctrl;

	if (m->msix) {
		void __iomem *e = msix_entry(m);

		writel(msg->address_lo, (u8 __iomem *)e + PCI_MSIX_ENTRY_LOWER_ADDR);
		writel(msg->address_hi, (u8 __iomem *)e + PCI_MSIX_ENTRY_UPPER_ADDR);
		writel(msg->data, (u8 __iomem *)e + PCI_MSIX_ENTRY_DATA);
		return;
	}
	pci_read_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, &ctrl);
	pci_write_config_dword(dev, dev->msi_cap + PCI_MSI_ADDRESS_LO, msg->address_lo);
	if (ctrl & PCI_MSI_FLAGS_64BIT) {
		pci_write_config_dword(dev, dev->msi_cap + PCI_MSI_ADDRESS_HI, msg->address_hi);
		pci_write_config_word(dev, dev->msi_cap + PCI_MSI_DATA_64, (u16)msg->data);
	} else {
		pci_write_config_word(dev, dev->msi_cap + PCI_MSI_DATA_32, (u16)msg->data);
	}
}

static void msi_set_mask(struct irq_desc *desc, bool mask)
{
	struct msi_desc *m = desc->chip_data;
	struct pci_dev *dev = m->dev;
	u16 ctrl;

	if (m->msix) {
		void __iomem *ctl = (u8 __iomem *)msix_entry(m) + PCI_MSIX_ENTRY_VECTOR_CTRL;

		writel(mask ? PCI_MSIX_ENTRY_CTRL_MASKBIT : 0, ctl);
		readl(ctl);	/* flush the posted write before returning */
		return;
	}
	pci_read_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, &ctrl);
	if (ctrl & PCI_MSI_FLAGS_MASKBIT)
		pci_write_config_dword(dev, dev->msi_cap + (ctrl & PCI_MSI_FLAGS_64BIT ?
							   PCI_MSI_MASK_64 : PCI_MSI_MASK_32),
				       mask ? 1 : 0);
}

static void msi_mask(struct irq_desc *desc)
{
	msi_set_mask(desc, true);
}

static void msi_unmask(struct irq_desc *desc)
{
	msi_set_mask(desc, false);
}

static int msi_set_target(struct irq_desc *desc)
{
	struct msi_msg msg;

	arch_compose_msi_msg(&msg, desc->vector, arch_cpu_apic_id(desc->cpu));
	msi_write_msg(desc->chip_data, &msg);
	return 0;
}

static const struct irq_chip pci_msi_chip = {
	.name = "PCI-MSI",
	.irq_mask = msi_mask,
	.irq_unmask = msi_unmask,
	.irq_set_vector_target = msi_set_target,
};

static const struct irq_chip pci_msix_chip = {
	.name = "PCI-MSIX",
	.irq_mask = msi_mask,
	.irq_unmask = msi_unmask,
	.irq_set_vector_target = msi_set_target,
};

/* Linux's hwirq for MSI: entry | requester id << 11 (shown in /proc/interrupts). */
static unsigned long msi_hwirq(const struct pci_dev *dev, unsigned int index)
{
	return index | ((unsigned long)dev->bus->number << 8 | dev->devfn) << 11;
}

static int msi_setup_descs(struct pci_dev *dev, unsigned int nvec, bool msix)
{
	const struct irq_chip *chip = msix ? &pci_msix_chip : &pci_msi_chip;
	int first = irq_alloc_descs(nvec, chip, "edge");

	if (first < 0)
		return first;
	dev->msi_descs = kcalloc(nvec, sizeof(*dev->msi_descs), GFP_KERNEL);
	if (!dev->msi_descs) {
		irq_free_descs((unsigned int)first, nvec);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < nvec; i++) {
		struct irq_desc *desc = irq_to_desc((unsigned int)first + i);
		struct msi_desc *m = &dev->msi_descs[i];
		unsigned long flags;

		m->dev = dev;
		m->index = i;
		m->msix = msix;
		spin_lock_irqsave(&desc->lock, flags);
		desc->chip_data = m;
		desc->hwirq = msi_hwirq(dev, i);
		msi_mask(desc);
		msi_set_target(desc);
		spin_unlock_irqrestore(&desc->lock, flags);
	}
	dev->first_irq = (unsigned int)first;
	dev->nr_irqs = nvec;
	return 0;
}

static int msix_enable(struct pci_dev *dev, unsigned int nvec)
{
	u16 ctrl;
	u32 table;
	u8 bir;
	int err;

	pci_read_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, &ctrl);
	pci_read_config_dword(dev, dev->msix_cap + PCI_MSIX_TABLE, &table);
	bir = table & PCI_MSIX_TABLE_BIR;
	if (bir >= PCI_STD_NUM_BARS || !(pci_resource_flags(dev, bir) & IORESOURCE_MEM))
		return -EINVAL;
	dev->msix_base = ioremap(pci_resource_start(dev, bir) + (table & PCI_MSIX_TABLE_OFFSET),
				 (size_t)nvec * PCI_MSIX_ENTRY_SIZE);
	if (!dev->msix_base)
		return -ENOMEM;
	/* Enabled with the function masked: no entry fires while being written. */
	pci_write_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS,
			      ctrl | PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	err = msi_setup_descs(dev, nvec, true);
	if (err) {
		pci_write_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, ctrl);
		iounmap(dev->msix_base);
		dev->msix_base = NULL;
		return err;
	}
	pci_intx(dev, 0);
	pci_write_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS,
			      (ctrl | PCI_MSIX_FLAGS_ENABLE) & ~PCI_MSIX_FLAGS_MASKALL);
	dev->irq_type = PCI_IRQ_MSIX;
	return 0;
}

static int msi_enable(struct pci_dev *dev)
{
	u16 ctrl;
	int err = msi_setup_descs(dev, 1, false);

	if (err)
		return err;
	pci_read_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, &ctrl);
	ctrl &= ~PCI_MSI_FLAGS_QSIZE;	/* one message */
	pci_intx(dev, 0);
	pci_write_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, ctrl | PCI_MSI_FLAGS_ENABLE);
	dev->irq_type = PCI_IRQ_MSI;
	dev->irq = dev->first_irq;
	return 0;
}

static int intx_enable(struct pci_dev *dev)
{
	/* A PCI line with no MADT override: PCI's own, level and active low. */
	int err = irq_setup_legacy(dev->intx_irq, IRQ_TYPE_LEVEL_LOW);

	if (err)
		return err;
	pci_intx(dev, 1);
	dev->irq_type = PCI_IRQ_LEGACY;
	dev->first_irq = dev->intx_irq;
	dev->nr_irqs = 1;
	return 0;
}

int pci_alloc_irq_vectors(struct pci_dev *dev, unsigned int min_vecs, unsigned int max_vecs,
			  unsigned int flags)
{
	bool msi_ok = !pci_msi_disabled;

	if (!min_vecs || min_vecs > max_vecs || dev->irq_type)
		return -EINVAL;
	if ((flags & PCI_IRQ_MSIX) && dev->msix_cap && msi_ok) {
		u16 ctrl;
		unsigned int nvec;

		pci_read_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, &ctrl);
		nvec = min(max_vecs, (unsigned int)(ctrl & PCI_MSIX_FLAGS_QSIZE) + 1);
		if (nvec >= min_vecs && !msix_enable(dev, nvec))
			return (int)nvec;
	}
	if ((flags & PCI_IRQ_MSI) && dev->msi_cap && msi_ok && min_vecs == 1 && !msi_enable(dev))
		return 1;
	if ((flags & PCI_IRQ_LEGACY) && dev->intx_irq && min_vecs == 1 && !intx_enable(dev))
		return 1;
	return -ENOSPC;
}

void pci_free_irq_vectors(struct pci_dev *dev)
{
	u16 ctrl;

	switch (dev->irq_type) {
	case PCI_IRQ_MSIX:
		pci_read_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, &ctrl);
		pci_write_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS,
				      ctrl & ~PCI_MSIX_FLAGS_ENABLE);
		irq_free_descs(dev->first_irq, dev->nr_irqs);
		iounmap(dev->msix_base);
		dev->msix_base = NULL;
		break;
	case PCI_IRQ_MSI:
		pci_read_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, &ctrl);
		pci_write_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS,
				      ctrl & ~PCI_MSI_FLAGS_ENABLE);
		irq_free_descs(dev->first_irq, dev->nr_irqs);
		dev->irq = dev->intx_irq;
		break;
	default:
		break;
	}
	kfree(dev->msi_descs);
	dev->msi_descs = NULL;
	if (dev->irq_type != PCI_IRQ_LEGACY)
		pci_intx(dev, 1);
	dev->irq_type = 0;
	dev->nr_irqs = 0;
	dev->first_irq = 0;
}

int pci_irq_vector(struct pci_dev *dev, unsigned int nr)
{
	if (nr >= dev->nr_irqs)
		return -EINVAL;
	return (int)(dev->first_irq + nr);
}

/* "pci=nomsi", as Linux: no MSI or MSI-X anywhere, INTx only. */
static int pci_msi_setup(void)
{
	char buf[32];

	if (cmdline_get("pci", buf, sizeof(buf)) && !strcmp(buf, "nomsi")) {
		pci_msi_disabled = true;
		pr_info("PCI: MSI and MSI-X disabled (pci=nomsi)\n");
	}
	return 0;
}
core_initcall(pci_msi_setup);
