/* SPDX-License-Identifier: MIT */
/* Multiboot2 boot information: parsed once into boot_info (<exo/bootinfo.h>). */
#ifndef _ASM_MULTIBOOT2_H
#define _ASM_MULTIBOOT2_H

#include <exo/types.h>

void multiboot2_parse(u32 magic, u32 info_phys);

#endif /* _ASM_MULTIBOOT2_H */
