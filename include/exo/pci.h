/* SPDX-License-Identifier: MIT */
/*
 * PCI, as Linux's <linux/pci.h>: the bus is enumerated once at boot
 * (subsys_initcall, drivers/pci/probe.c) through ECAM where ACPI's MCFG
 * gives it and port I/O 0xCF8/0xCFC otherwise; every function found is a
 * struct pci_dev on pci_bus_type. Bus numbers and BAR addresses are the
 * firmware's (SeaBIOS assigns both); the kernel sizes and records them.
 *
 * Drivers fill a struct pci_driver with an id table and register it with
 * pci_register_driver() (module_pci_driver() for the usual case). In probe
 * they pci_enable_device(), pci_iomap() their BARs, pci_set_master() for
 * DMA and pci_alloc_irq_vectors() + request_irq(pci_irq_vector(dev, i), ...).
 *
 * Config accessors may be called from any context (a spinlock serialises
 * port I/O); they return 0 or -errno (PCIBIOS_* in Linux).
 */
#ifndef _EXO_PCI_H
#define _EXO_PCI_H

#include <exo/device.h>
#include <exo/list.h>
#include <exo/types.h>
#include <uapi/pci_regs.h>

#define PCI_ANY_ID (~0U)

struct pci_device_id {
	u32 vendor, device;		/* PCI_ANY_ID or the ID */
	u32 subvendor, subdevice;	/* PCI_ANY_ID or the ID */
	u32 class, class_mask;		/* (class ^ dev class) & class_mask == 0 */
	unsigned long driver_data;
};

#define PCI_DEVICE(vend, dev)                                                        \
	.vendor = (vend), .device = (dev), .subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID
#define PCI_DEVICE_CLASS(dev_class, dev_class_mask)                                  \
	.vendor = PCI_ANY_ID, .device = PCI_ANY_ID, .subvendor = PCI_ANY_ID,        \
	.subdevice = PCI_ANY_ID, .class = (dev_class), .class_mask = (dev_class_mask)

/* struct resource flags (Linux's IORESOURCE_*; the low bits copy the BAR's type bits). */
#define IORESOURCE_IO 0x00000100
#define IORESOURCE_MEM 0x00000200
#define IORESOURCE_PREFETCH 0x00002000
#define IORESOURCE_SIZEALIGN 0x00040000
#define IORESOURCE_MEM_64 0x00100000

struct resource {
	u64 start, end;			/* inclusive; both 0 when unused */
	unsigned long flags;
};

#define PCI_STD_NUM_BARS 6
#define PCI_ROM_RESOURCE 6
#define PCI_NUM_RESOURCES 7

#define PCI_IRQ_LEGACY (1U << 0)	/* INTx through the IOAPIC */
#define PCI_IRQ_MSI (1U << 1)
#define PCI_IRQ_MSIX (1U << 2)
#define PCI_IRQ_ALL_TYPES (PCI_IRQ_LEGACY | PCI_IRQ_MSI | PCI_IRQ_MSIX)

struct msi_desc;

struct pci_bus {
	struct list_head node;		/* [immutable after boot] on pci_root_buses or parent->children */
	struct pci_bus *parent;
	struct pci_dev *self;		/* the bridge leading here; NULL for a root bus */
	struct list_head devices;	/* pci_dev.bus_list */
	struct list_head children;	/* buses behind bridges on this one */
	u16 domain;
	u8 number;
};

struct pci_dev {
	struct device dev;
	struct pci_bus *bus;		/* [immutable] */
	struct pci_bus *subordinate;	/* [immutable] the bus behind a bridge */
	struct list_head bus_list;	/* [immutable] on bus->devices */
	struct list_head global_list;	/* [immutable] on pci_devices, in scan order */
	unsigned int devfn;		/* [immutable] device << 3 | function */
	u16 vendor, device;		/* [immutable] */
	u16 subsystem_vendor, subsystem_device;	/* [immutable] */
	u32 class;			/* [immutable] base << 16 | sub << 8 | prog-if */
	u8 revision;			/* [immutable] */
	u8 hdr_type;			/* [immutable] without the multi-function bit */
	u8 pin;				/* [immutable] 1-4 = INTA-D, 0 none */
	unsigned int irq;		/* INTx IRQ; the MSI IRQ while MSI is on (as Linux) */
	unsigned int intx_irq;		/* [immutable] the firmware's INTx line, 0 none */
	u16 cfg_size;			/* [immutable] 256 or 4096 */
	u8 msi_cap, msix_cap;		/* [immutable] config offsets, 0 = absent */
	struct resource resource[PCI_NUM_RESOURCES];	/* [immutable] */
	bool is_busmaster;
	unsigned int enable_cnt;
	/* Interrupt vectors (drivers/pci/msi.c). */
	unsigned int irq_type;		/* 0 or one PCI_IRQ_* */
	unsigned int nr_irqs;		/* vectors from pci_alloc_irq_vectors */
	unsigned int first_irq;		/* IRQ of vector 0; they are consecutive */
	void __iomem *msix_base;	/* mapped MSI-X table */
	struct msi_desc *msi_descs;	/* one per vector (MSI, MSI-X) */
	unsigned int index;		/* [immutable] scan order (sysfs inode numbers) */
};

#define to_pci_dev(d) container_of(d, struct pci_dev, dev)

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;	/* ends with an all-zero entry */
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *dev);
	struct device_driver driver;
};

#define to_pci_driver(d) container_of(d, struct pci_driver, driver)

extern struct bus_type pci_bus_type;
/* Every function found, in scan order (depth first, as Linux numbers them). [immutable after boot] */
extern struct list_head pci_devices;
#define for_each_pci_dev(d) list_for_each_entry(d, &pci_devices, global_list)

int pci_register_driver(struct pci_driver *drv);
void pci_unregister_driver(struct pci_driver *drv);
#define module_pci_driver(__pci_driver)                                              \
	module_driver(__pci_driver, pci_register_driver, pci_unregister_driver)

static inline void *pci_get_drvdata(struct pci_dev *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

static inline const char *pci_name(const struct pci_dev *pdev)
{
	return dev_name(&pdev->dev);
}

#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn) & 0x07)
#define PCI_DEVFN(slot, func) ((((slot) & 0x1f) << 3) | ((func) & 0x07))

/* Raw config access by address; 0, -EINVAL (misaligned, beyond the space) or -ENODEV. */
int pci_bus_read_config(u16 domain, u8 bus, unsigned int devfn, unsigned int where, int size,
			u32 *val);
int pci_bus_write_config(u16 domain, u8 bus, unsigned int devfn, unsigned int where, int size,
			 u32 val);
int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val);
int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val);
int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val);
int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val);
int pci_write_config_word(const struct pci_dev *dev, int where, u16 val);
int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val);

#define pci_resource_start(dev, bar) ((dev)->resource[(bar)].start)
#define pci_resource_end(dev, bar) ((dev)->resource[(bar)].end)
#define pci_resource_flags(dev, bar) ((dev)->resource[(bar)].flags)
#define pci_resource_len(dev, bar)                                                   \
	((dev)->resource[(bar)].end ? (dev)->resource[(bar)].end - (dev)->resource[(bar)].start + 1 : 0)

/* Config offset of capability @cap in the standard list, 0 if absent. */
u8 pci_find_capability(struct pci_dev *dev, int cap);
/* Next one after @pos (for vendor capabilities, which repeat: virtio). */
u8 pci_find_next_capability(struct pci_dev *dev, u8 pos, int cap);
/* Turns on memory and I/O decoding for the BARs the device has. 0 or -errno. */
int pci_enable_device(struct pci_dev *dev);
void pci_disable_device(struct pci_dev *dev);
/* Lets the device master the bus (DMA, and MSI, which is a memory write). */
void pci_set_master(struct pci_dev *dev);
void pci_clear_master(struct pci_dev *dev);
/* INTx on (@enable) or off, through the command register's INTx Disable bit. */
void pci_intx(struct pci_dev *dev, int enable);
/*
 * Maps @maxlen bytes (0: all) of memory BAR @bar uncached. I/O BARs are not
 * mapped (x86 port I/O needs no mapping): NULL, as for an absent BAR.
 */
void __iomem *pci_iomap(struct pci_dev *dev, int bar, unsigned long maxlen);
void pci_iounmap(struct pci_dev *dev, void __iomem *addr);

/*
 * Gives @dev between @min_vecs and @max_vecs interrupt vectors, trying in
 * order MSI-X, MSI and INTx among @flags (PCI_IRQ_*). MSI-X vectors are
 * spread over the online CPUs; MSI gets one vector (see <exo/msi.h>); INTx
 * one shared IOAPIC line. Returns the number given or -errno (-ENOSPC when
 * fewer than @min_vecs are possible). The kernel command line "pci=nomsi"
 * leaves only INTx.
 */
int pci_alloc_irq_vectors(struct pci_dev *dev, unsigned int min_vecs, unsigned int max_vecs,
			  unsigned int flags);
/* Undoes pci_alloc_irq_vectors(); every request_irq() on them must be freed first. */
void pci_free_irq_vectors(struct pci_dev *dev);
/* The IRQ number of vector @nr (for request_irq), or -EINVAL. */
int pci_irq_vector(struct pci_dev *dev, unsigned int nr);

#endif /* _EXO_PCI_H */
