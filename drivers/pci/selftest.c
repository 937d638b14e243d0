// SPDX-License-Identifier: MIT
/*
 * Self-test "pci_msix": on the first function with an MSI-X capability and
 * no driver bound (QEMU's virtio devices have one), allocates up to 4
 * vectors and checks what pci_alloc_irq_vectors() promises: the IRQs are
 * consecutive, they are spread over the online CPUs, and each table entry
 * holds the message for its vector and CPU (Intel SDM vol. 3A, 11.11), masked
 * until request_irq(). Then frees them. Passes with a note without such a
 * device.
 */
#include <exo/cpumask.h>
#include <exo/irq.h>
#include <exo/msi.h>
#include <exo/pci.h>
#include <exo/selftest.h>
#include <asm/io.h>

#define MSIX_TEST_VECTORS 4

static irqreturn_t msix_test_handler(int irq, void *dev_id)
{
	return IRQ_HANDLED;
}

static int pci_msix_selftest(void)
{
	struct cpumask used = {};
	unsigned int ncpus = 0, cpu;
	struct pci_dev *dev;
	int n;

	for_each_pci_dev(dev)
		if (dev->msix_cap && !dev->dev.driver && !dev->irq_type)
			break;
	if (&dev->global_list == &pci_devices) {
		pr_info("selftest pci_msix: no unbound MSI-X function; nothing to check\n");
		return 0;
	}
	pci_set_master(dev);
	n = pci_alloc_irq_vectors(dev, 1, MSIX_TEST_VECTORS, PCI_IRQ_MSIX);
	CHECK(n >= 1);
	CHECK(dev->irq_type == PCI_IRQ_MSIX);
	for (int i = 0; i < n; i++) {
		int irq = pci_irq_vector(dev, (unsigned int)i);
		struct irq_desc *desc = irq_to_desc((unsigned int)irq);
		void __iomem *e = (u8 __iomem *)dev->msix_base + i * PCI_MSIX_ENTRY_SIZE;
		struct msi_msg msg;

		CHECK(irq == pci_irq_vector(dev, 0) + i);
		CHECK(desc->chip && desc->vector);
		arch_compose_msi_msg(&msg, desc->vector, arch_cpu_apic_id(desc->cpu));
		CHECK_EQ(readl((u8 __iomem *)e + PCI_MSIX_ENTRY_LOWER_ADDR), msg.address_lo);
		CHECK_EQ(readl((u8 __iomem *)e + PCI_MSIX_ENTRY_DATA), msg.data);
		CHECK(readl((u8 __iomem *)e + PCI_MSIX_ENTRY_VECTOR_CTRL) & PCI_MSIX_ENTRY_CTRL_MASKBIT);
		CHECK(request_irq((unsigned int)irq, msix_test_handler, 0, "msix-test", dev) == 0);
		CHECK(!(readl((u8 __iomem *)e + PCI_MSIX_ENTRY_VECTOR_CTRL) &
			PCI_MSIX_ENTRY_CTRL_MASKBIT));
		free_irq((unsigned int)irq, dev);
		pr_info("selftest pci_msix: %s vector %d: irq %d, cpu %u, vector %#x, message %#x/%#x\n",
			pci_name(dev), i, irq, desc->cpu, desc->vector, msg.address_lo, msg.data);
		cpumask_set_cpu(desc->cpu, &used);
	}
	for_each_cpu(cpu, &used)
		ncpus++;
	/* Spread: as many CPUs as vectors, up to the online count. */
	CHECK_EQ(ncpus, min((unsigned int)n, nr_cpus_online));
	pci_free_irq_vectors(dev);
	pci_clear_master(dev);
	CHECK(dev->irq_type == 0 && dev->nr_irqs == 0);
	return 0;
}
DEFINE_SELFTEST("pci_msix", pci_msix_selftest);
