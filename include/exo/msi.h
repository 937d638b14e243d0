/* SPDX-License-Identifier: MIT */
/*
 * Message Signalled Interrupts. A device raises MSI and MSI-X by writing
 * msi_msg.data to msi_msg.address; on x86 (Intel SDM vol. 3A, 11.11) the
 * address is 0xFEE00000 | destination APIC id << 12 (physical mode,
 * no redirection hint) and the data is the vector with fixed delivery and
 * edge trigger. No interrupt remapping: one vector per MSI capability
 * (multiple-message MSI needs contiguous aligned vectors on one CPU; Linux
 * without remapping refuses it too), up to 2048 MSI-X vectors per device.
 */
#ifndef _EXO_MSI_H
#define _EXO_MSI_H

#include <exo/types.h>

struct msi_msg {
	u32 address_lo;
	u32 address_hi;
	u32 data;
};

#define MSI_ADDR_BASE 0xfee00000U
#define MSI_ADDR_DEST_ID_SHIFT 12
#define MSI_DATA_VECTOR_MASK 0xffU

/* The message that delivers @vector to the CPU with APIC id @apic_id (arch). */
void arch_compose_msi_msg(struct msi_msg *msg, unsigned int vector, u32 apic_id);

#endif /* _EXO_MSI_H */
