/* SPDX-License-Identifier: MIT */
/* Shared inside drivers/pci/ only. */
#ifndef _DRIVERS_PCI_PCI_H
#define _DRIVERS_PCI_PCI_H

#include <exo/types.h>

/* access.c: picks ECAM (MCFG) or port I/O; maps a bus's ECAM window before its scan. */
void pci_access_init(void);
void pci_map_bus(u8 bus);
bool pci_has_ecam(void);
/* msi.c: "pci=nomsi" seen on the command line. */
extern bool pci_msi_disabled;

#endif /* _DRIVERS_PCI_PCI_H */
