/* SPDX-License-Identifier: MIT */
/* PVH boot information (QEMU -kernel): parsed once into boot_info (<exo/bootinfo.h>). */
#ifndef _ASM_PVH_H
#define _ASM_PVH_H

#include <exo/types.h>

/* hvm_start_info.magic, which startup_pvh passes as the loader magic. */
#define XEN_HVM_START_MAGIC 0x336ec578

void pvh_parse(u32 info_phys);

#endif /* _ASM_PVH_H */
