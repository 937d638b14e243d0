// SPDX-License-Identifier: MIT
/*
 * IOAPICs (Intel 82093AA datasheet, 3.2): each serves a range of GSIs
 * starting at the gsi_base the MADT gives. Registers are reached through an
 * index (IOREGSEL, offset 0) and a data window (IOWIN, offset 0x10); each
 * input has a 64-bit redirection entry at index 0x10 + 2 * pin.
 *
 * Rules: every input is masked at init; ioapic_lock serialises the
 * index/data pairs (they are a two-step protocol, racy without it) and the
 * read-modify-write of redirection entries.
 */
#include <exo/acpi.h>
#include <exo/printk.h>
#include <exo/spinlock.h>
#include <uapi/errno.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/memlayout.h>

#define IOAPIC_REGSEL 0x00
#define IOAPIC_WINDOW 0x10
#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_VER 0x01
#define IOAPIC_REG_REDTBL(pin) (0x10 + 2 * (pin))

/* Redirection entry, low dword (datasheet 3.2.4). */
#define IOREDTBL_POLARITY_LOW (1U << 13)
#define IOREDTBL_LEVEL (1U << 15)
#define IOREDTBL_MASKED (1U << 16)
#define IOREDTBL_DEST_SHIFT 24	/* in the high dword: physical APIC id */

struct ioapic {
	u8 __iomem *regs;	/* [immutable] */
	u8 id;			/* [immutable] */
	u8 version;		/* [immutable] */
	u32 gsi_base;		/* [immutable] */
	unsigned int nr_pins;	/* [immutable] max redirection entry + 1 */
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];	/* [immutable] after ioapic_init */
static unsigned int nr_ioapics;			/* [immutable] */
static DEFINE_SPINLOCK(ioapic_lock);

static u32 ioapic_read(const struct ioapic *io, u32 reg)
{
	writel(reg, io->regs + IOAPIC_REGSEL);
	return readl(io->regs + IOAPIC_WINDOW);
}

static void ioapic_write(const struct ioapic *io, u32 reg, u32 v)
{
	writel(reg, io->regs + IOAPIC_REGSEL);
	writel(v, io->regs + IOAPIC_WINDOW);
}

static struct ioapic *ioapic_for_gsi(u32 gsi, unsigned int *pin)
{
	for (unsigned int i = 0; i < nr_ioapics; i++) {
		struct ioapic *io = &ioapics[i];

		if (gsi >= io->gsi_base && gsi - io->gsi_base < io->nr_pins) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

int ioapic_init(void)
{
	const struct acpi_madt_info *madt = acpi_madt();

	if (!madt || !madt->nr_ioapics) {
		pr_warn("IOAPIC: none described by ACPI; no external interrupts\n");
		return -ENODEV;
	}
	for (unsigned int i = 0; i < madt->nr_ioapics; i++) {
		const struct acpi_ioapic *a = &madt->ioapics[i];
		struct ioapic *io = &ioapics[nr_ioapics];
		u32 ver;

		io->regs = ioremap(a->address, PAGE_SIZE);
		if (!io->regs) {
			pr_err("IOAPIC: cannot map %#x\n", a->address);
			continue;
		}
		io->id = a->id;
		io->gsi_base = a->gsi_base;
		ver = ioapic_read(io, IOAPIC_REG_VER);
		io->version = ver & 0xff;
		io->nr_pins = ((ver >> 16) & 0xff) + 1;
		for (unsigned int pin = 0; pin < io->nr_pins; pin++) {
			ioapic_write(io, IOAPIC_REG_REDTBL(pin) + 1, 0);
			ioapic_write(io, IOAPIC_REG_REDTBL(pin), IOREDTBL_MASKED);
		}
		nr_ioapics++;
		pr_info("IOAPIC[%u]: apic_id %u, version %#x, address %#x, GSI %u-%u, all masked\n",
			i, io->id, io->version, a->address, io->gsi_base,
			io->gsi_base + io->nr_pins - 1);
	}
	return nr_ioapics ? 0 : -ENODEV;
}

int ioapic_route_irq(u32 gsi, unsigned int vector, u32 dest, unsigned int flags)
{
	unsigned long irqflags;
	struct ioapic *io;
	unsigned int pin;
	u32 low = vector & 0xff;	/* fixed delivery, physical destination */

	io = ioapic_for_gsi(gsi, &pin);
	if (!io || vector < 0x20 || vector > 0xfe || dest > 0xff)
		return -EINVAL;
	if (flags & IOAPIC_ACTIVE_LOW)
		low |= IOREDTBL_POLARITY_LOW;
	if (flags & IOAPIC_LEVEL)
		low |= IOREDTBL_LEVEL;
	if (flags & IOAPIC_MASKED)
		low |= IOREDTBL_MASKED;
	spin_lock_irqsave(&ioapic_lock, irqflags);
	/* Mask while rewriting so no half-written entry can fire. */
	ioapic_write(io, IOAPIC_REG_REDTBL(pin), IOREDTBL_MASKED);
	ioapic_write(io, IOAPIC_REG_REDTBL(pin) + 1, dest << IOREDTBL_DEST_SHIFT);
	ioapic_write(io, IOAPIC_REG_REDTBL(pin), low);
	spin_unlock_irqrestore(&ioapic_lock, irqflags);
	return 0;
}

int ioapic_route_isa_irq(unsigned int irq, unsigned int vector, u32 dest)
{
	u16 mps;
	u32 gsi = acpi_isa_irq_to_gsi(irq, &mps);
	unsigned int flags = 0;

	/* "Conforms to the bus" (0) means ISA's own: active high, edge. */
	if ((mps & ACPI_MPS_POLARITY_MASK) == ACPI_MPS_POLARITY_LOW)
		flags |= IOAPIC_ACTIVE_LOW;
	if ((mps & ACPI_MPS_TRIGGER_MASK) == ACPI_MPS_TRIGGER_LEVEL)
		flags |= IOAPIC_LEVEL;
	return ioapic_route_irq(gsi, vector, dest, flags);
}

static int ioapic_set_mask(u32 gsi, bool masked)
{
	unsigned long irqflags;
	struct ioapic *io;
	unsigned int pin;
	u32 low;

	io = ioapic_for_gsi(gsi, &pin);
	if (!io)
		return -EINVAL;
	spin_lock_irqsave(&ioapic_lock, irqflags);
	low = ioapic_read(io, IOAPIC_REG_REDTBL(pin));
	low = masked ? low | IOREDTBL_MASKED : low & ~IOREDTBL_MASKED;
	ioapic_write(io, IOAPIC_REG_REDTBL(pin), low);
	spin_unlock_irqrestore(&ioapic_lock, irqflags);
	return 0;
}

int ioapic_mask(u32 gsi)
{
	return ioapic_set_mask(gsi, true);
}

int ioapic_unmask(u32 gsi)
{
	return ioapic_set_mask(gsi, false);
}
