// SPDX-License-Identifier: MIT
/*
 * MADT ("APIC", ACPI 6.5, 5.2.12): the CPUs (by local APIC / x2APIC id),
 * the IOAPICs, how ISA IRQs map onto GSIs, and where NMIs come in.
 *
 * acpi_madt_parse() is a pure function of the table bytes so the self-test
 * can feed it corrupted copies: it walks the variable-length entries and
 * stops at the first one whose length is zero, below its type's size, or
 * runs past the table's end, keeping what it parsed before.
 */
#include <exo/acpi.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "internal.h"

#define MADT_ENTRIES_OFFSET 44	/* header (36) + Local Interrupt Controller Address + Flags */

/* Interrupt Controller Structure types, ACPI 6.5, table 5.21. */
#define MADT_LOCAL_APIC 0
#define MADT_IO_APIC 1
#define MADT_INT_SRC_OVERRIDE 2
#define MADT_NMI_SOURCE 3
#define MADT_LOCAL_APIC_NMI 4
#define MADT_LOCAL_APIC_OVERRIDE 5
#define MADT_LOCAL_X2APIC 9
#define MADT_LOCAL_X2APIC_NMI 10

/* Local APIC Flags, ACPI 6.5, table 5.23. */
#define MADT_LAPIC_ENABLED (1U << 0)
#define MADT_LAPIC_ONLINE_CAPABLE (1U << 1)

struct madt_entry_header {
	u8 type;
	u8 length;
} __packed;

struct madt_local_apic {		/* 5.2.12.2 */
	struct madt_entry_header h;
	u8 uid;
	u8 apic_id;
	u32 flags;
} __packed;

struct madt_io_apic {			/* 5.2.12.3 */
	struct madt_entry_header h;
	u8 id;
	u8 reserved;
	u32 address;
	u32 gsi_base;
} __packed;

struct madt_int_src_override {		/* 5.2.12.5 */
	struct madt_entry_header h;
	u8 bus;
	u8 source;
	u32 gsi;
	u16 flags;
} __packed;

struct madt_nmi_source {		/* 5.2.12.6 */
	struct madt_entry_header h;
	u16 flags;
	u32 gsi;
} __packed;

struct madt_local_apic_nmi {		/* 5.2.12.7 */
	struct madt_entry_header h;
	u8 uid;
	u16 flags;
	u8 lint;
} __packed;

struct madt_local_apic_override {	/* 5.2.12.8 */
	struct madt_entry_header h;
	u16 reserved;
	u64 address;
} __packed;

struct madt_local_x2apic {		/* 5.2.12.12 */
	struct madt_entry_header h;
	u16 reserved;
	u32 x2apic_id;
	u32 flags;
	u32 uid;
} __packed;

struct madt_local_x2apic_nmi {		/* 5.2.12.13 */
	struct madt_entry_header h;
	u16 flags;
	u32 uid;
	u8 lint;
	u8 reserved[3];
} __packed;

static struct acpi_madt_info madt_info;	/* [immutable] after acpi_madt_init */

/* The smallest valid length per entry type; 2 (just the header) for types we skip. */
static size_t madt_entry_min_len(u8 type)
{
	switch (type) {
	case MADT_LOCAL_APIC:
		return sizeof(struct madt_local_apic);
	case MADT_IO_APIC:
		return sizeof(struct madt_io_apic);
	case MADT_INT_SRC_OVERRIDE:
		return sizeof(struct madt_int_src_override);
	case MADT_NMI_SOURCE:
		return sizeof(struct madt_nmi_source);
	case MADT_LOCAL_APIC_NMI:
		return sizeof(struct madt_local_apic_nmi);
	case MADT_LOCAL_APIC_OVERRIDE:
		return sizeof(struct madt_local_apic_override);
	case MADT_LOCAL_X2APIC:
		return sizeof(struct madt_local_x2apic);
	case MADT_LOCAL_X2APIC_NMI:
		return sizeof(struct madt_local_x2apic_nmi);
	default:
		return sizeof(struct madt_entry_header);
	}
}

static void madt_add_cpu(struct acpi_madt_info *m, u32 apic_id, u32 uid, u32 flags, bool x2apic)
{
	struct acpi_cpu *c;

	/* Neither enabled nor online-capable: the firmware says it can never run. */
	if (!(flags & (MADT_LAPIC_ENABLED | MADT_LAPIC_ONLINE_CAPABLE)))
		return;
	/* Firmware may list a CPU both as xAPIC and x2APIC entry; keep the first. */
	for (unsigned int i = 0; i < m->nr_cpus; i++)
		if (m->cpus[i].apic_id == apic_id)
			return;
	if (m->nr_cpus == ACPI_MAX_CPUS) {
		pr_warn("ACPI: MADT: more than %d CPUs, ignoring APIC id %u\n", ACPI_MAX_CPUS,
			apic_id);
		return;
	}
	c = &m->cpus[m->nr_cpus++];
	c->apic_id = apic_id;
	c->uid = uid;
	c->x2apic = x2apic;
	c->enabled = flags & MADT_LAPIC_ENABLED;
	c->online_capable = !c->enabled && (flags & MADT_LAPIC_ONLINE_CAPABLE);
}

static void madt_add_nmi(struct acpi_madt_info *m, const struct acpi_nmi *nmi)
{
	if (m->nr_nmis == ACPI_MAX_NMIS) {
		pr_warn("ACPI: MADT: too many NMI entries, ignoring one\n");
		return;
	}
	m->nmis[m->nr_nmis++] = *nmi;
}

static void madt_parse_entry(struct acpi_madt_info *m, const struct madt_entry_header *h)
{
	switch (h->type) {
	case MADT_LOCAL_APIC: {
		const struct madt_local_apic *e = (const void *)h;

		madt_add_cpu(m, e->apic_id, e->uid, e->flags, false);
		break;
	}
	case MADT_LOCAL_X2APIC: {
		const struct madt_local_x2apic *e = (const void *)h;

		madt_add_cpu(m, e->x2apic_id, e->uid, e->flags, true);
		break;
	}
	case MADT_IO_APIC: {
		const struct madt_io_apic *e = (const void *)h;

		if (m->nr_ioapics == ACPI_MAX_IOAPICS) {
			pr_warn("ACPI: MADT: more than %d IOAPICs, ignoring id %u\n",
				ACPI_MAX_IOAPICS, e->id);
			break;
		}
		m->ioapics[m->nr_ioapics].id = e->id;
		m->ioapics[m->nr_ioapics].address = e->address;
		m->ioapics[m->nr_ioapics].gsi_base = e->gsi_base;
		m->nr_ioapics++;
		break;
	}
	case MADT_INT_SRC_OVERRIDE: {
		const struct madt_int_src_override *e = (const void *)h;

		if (m->nr_overrides == ACPI_MAX_OVERRIDES) {
			pr_warn("ACPI: MADT: too many interrupt overrides, ignoring IRQ %u\n",
				e->source);
			break;
		}
		m->overrides[m->nr_overrides].bus = e->bus;
		m->overrides[m->nr_overrides].source = e->source;
		m->overrides[m->nr_overrides].gsi = e->gsi;
		m->overrides[m->nr_overrides].flags = e->flags;
		m->nr_overrides++;
		break;
	}
	case MADT_NMI_SOURCE: {
		const struct madt_nmi_source *e = (const void *)h;
		struct acpi_nmi nmi = { .lapic = false, .gsi = e->gsi, .flags = e->flags };

		madt_add_nmi(m, &nmi);
		break;
	}
	case MADT_LOCAL_APIC_NMI: {
		const struct madt_local_apic_nmi *e = (const void *)h;
		/* UID 0xff means every processor; widen it to the x2APIC form. */
		struct acpi_nmi nmi = { .lapic = true, .uid = e->uid == 0xff ? ~0U : e->uid,
					.lint = e->lint, .flags = e->flags };

		madt_add_nmi(m, &nmi);
		break;
	}
	case MADT_LOCAL_X2APIC_NMI: {
		const struct madt_local_x2apic_nmi *e = (const void *)h;
		struct acpi_nmi nmi = { .lapic = true, .uid = e->uid, .lint = e->lint,
					.flags = e->flags };

		madt_add_nmi(m, &nmi);
		break;
	}
	case MADT_LOCAL_APIC_OVERRIDE: {
		const struct madt_local_apic_override *e = (const void *)h;

		/* 5.2.12.8: when present, it replaces the 32-bit address in the header. */
		m->lapic_address = e->address;
		break;
	}
	default:
		break;
	}
}

int acpi_madt_parse(const struct acpi_table_header *madt, struct acpi_madt_info *out)
{
	const u8 *base = (const u8 *)madt;
	size_t off, len = madt->length;
	u32 lapic32;

	memset(out, 0, sizeof(*out));
	if (len < MADT_ENTRIES_OFFSET) {
		pr_err("ACPI: MADT rejected: length %zu below %d\n", len, MADT_ENTRIES_OFFSET);
		return -EINVAL;
	}
	memcpy(&lapic32, base + 36, sizeof(lapic32));
	memcpy(&out->flags, base + 40, sizeof(out->flags));
	out->lapic_address = lapic32;

	for (off = MADT_ENTRIES_OFFSET; off < len;) {
		const struct madt_entry_header *h = (const void *)(base + off);
		size_t elen;

		if (len - off < sizeof(*h)) {
			pr_err("ACPI: MADT: entry header at offset %zu cut off by table end\n", off);
			return -EINVAL;
		}
		elen = h->length;
		if (elen < madt_entry_min_len(h->type) || elen > len - off) {
			pr_err("ACPI: MADT: entry type %u at offset %zu has bad length %zu "
			       "(%zu bytes left); ignoring the rest\n",
			       h->type, off, elen, len - off);
			return -EINVAL;
		}
		madt_parse_entry(out, h);
		off += elen;
	}
	return 0;
}

static const char *mps_polarity_name(u16 flags)
{
	static const char *const names[] = { "dfl", "high", "res", "low" };

	return names[flags & ACPI_MPS_POLARITY_MASK];
}

static const char *mps_trigger_name(u16 flags)
{
	static const char *const names[] = { "dfl", "edge", "res", "level" };

	return names[(flags & ACPI_MPS_TRIGGER_MASK) >> 2];
}

static void madt_print(const struct acpi_madt_info *m)
{
	unsigned int enabled = 0;

	for (unsigned int i = 0; i < m->nr_cpus; i++) {
		const struct acpi_cpu *c = &m->cpus[i];

		pr_info("ACPI: %s (acpi_id[0x%02x] %s_id[0x%02x] %s)\n",
			c->x2apic ? "X2APIC" : "LAPIC", c->uid, c->x2apic ? "x2apic" : "lapic",
			c->apic_id, c->enabled ? "enabled" : "online-capable");
		enabled += c->enabled;
	}
	for (unsigned int i = 0; i < m->nr_ioapics; i++)
		pr_info("ACPI: IOAPIC (id[0x%02x] address[0x%08x] gsi_base[%u])\n",
			m->ioapics[i].id, m->ioapics[i].address, m->ioapics[i].gsi_base);
	for (unsigned int i = 0; i < m->nr_overrides; i++) {
		const struct acpi_irq_override *o = &m->overrides[i];

		pr_info("ACPI: INT_SRC_OVR (bus %u bus_irq %u global_irq %u %s %s)\n", o->bus,
			o->source, o->gsi, mps_polarity_name(o->flags), mps_trigger_name(o->flags));
	}
	for (unsigned int i = 0; i < m->nr_nmis; i++) {
		const struct acpi_nmi *n = &m->nmis[i];

		if (n->lapic)
			pr_info("ACPI: LAPIC_NMI (acpi_id[%#x] %s %s lint[%#x])\n", n->uid,
				mps_polarity_name(n->flags), mps_trigger_name(n->flags), n->lint);
		else
			pr_info("ACPI: NMI_SRC (%s %s global_irq %u)\n", mps_polarity_name(n->flags),
				mps_trigger_name(n->flags), n->gsi);
	}
	pr_info("ACPI: %u CPUs (%u enabled), %u IOAPIC(s), local APIC at %#lx%s\n", m->nr_cpus,
		enabled, m->nr_ioapics, (unsigned long)m->lapic_address,
		m->flags & 1 ? ", dual 8259 present" : "");
}

void acpi_madt_init(void)
{
	const struct acpi_table_header *madt = acpi_find_table("APIC", 0);

	if (!madt) {
		pr_warn("ACPI: no MADT; only the boot CPU will run\n");
		return;
	}
	/* A broken entry leaves the entries before it: usually the CPUs, which come first. */
	acpi_madt_parse(madt, &madt_info);
	madt_print(&madt_info);
}

const struct acpi_madt_info *acpi_madt(void)
{
	return &madt_info;
}

unsigned int acpi_cpu_count(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < madt_info.nr_cpus; i++)
		n += madt_info.cpus[i].enabled;
	return n;
}

u32 acpi_cpu_apic_id(unsigned int idx)
{
	for (unsigned int i = 0; i < madt_info.nr_cpus; i++) {
		if (!madt_info.cpus[i].enabled)
			continue;
		if (!idx--)
			return madt_info.cpus[i].apic_id;
	}
	return ~0U;
}

u32 acpi_isa_irq_to_gsi(unsigned int irq, u16 *flags)
{
	for (unsigned int i = 0; i < madt_info.nr_overrides; i++) {
		const struct acpi_irq_override *o = &madt_info.overrides[i];

		if (o->bus == 0 && o->source == irq) {
			*flags = o->flags;
			return o->gsi;
		}
	}
	/* ISA default: identity mapped, edge triggered, active high. */
	*flags = ACPI_MPS_POLARITY_HIGH | ACPI_MPS_TRIGGER_EDGE;
	return irq;
}
