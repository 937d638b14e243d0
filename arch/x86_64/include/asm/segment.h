/* SPDX-License-Identifier: MIT */
/*
 * Segment selectors: Linux's x86_64 GDT layout, which syscall/sysret depend
 * on. SYSCALL loads CS from STAR[47:32] and SS from that + 8; 64-bit SYSRET
 * loads CS from STAR[63:48] + 16 and SS from STAR[63:48] + 8 (Intel SDM vol.
 * 2B, SYSCALL/SYSRET). So kernel CS/DS must be adjacent, and user32 CS, user
 * DS, user CS must follow each other in that order: STAR = (__USER32_CS <<
 * 48) | (__KERNEL_CS << 32).
 *
 *   index  selector  use
 *   0      0x00      null
 *   1      0x08      unused (Linux: 32-bit kernel code)
 *   2      0x10      kernel code, 64-bit
 *   3      0x18      kernel data/stack
 *   4      0x23      user code, 32-bit (compat; also the SYSRET base)
 *   5      0x2b      user data/stack
 *   6      0x33      user code, 64-bit
 *   7      -         unused
 *   8-9    0x40      TSS (a 16-byte system descriptor)
 *   10-14  -         reserved (Linux: LDT, TLS)
 *   15     0x7b      per-CPU, user data, limit = CPU number: the vDSO's getcpu (LSL)
 *
 * Usable from assembly.
 */
#ifndef _ASM_SEGMENT_H
#define _ASM_SEGMENT_H

#define GDT_ENTRY_KERNEL_CS 2
#define GDT_ENTRY_KERNEL_DS 3
#define GDT_ENTRY_USER32_CS 4
#define GDT_ENTRY_USER_DS 5
#define GDT_ENTRY_USER_CS 6
#define GDT_ENTRY_TSS 8
#define GDT_ENTRY_CPUNODE 15
#define GDT_ENTRIES 16

#define SEGMENT_RPL_USER 3

#define __KERNEL_CS (GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS (GDT_ENTRY_KERNEL_DS * 8)
#define __USER32_CS (GDT_ENTRY_USER32_CS * 8 + SEGMENT_RPL_USER)
#define __USER_DS (GDT_ENTRY_USER_DS * 8 + SEGMENT_RPL_USER)
#define __USER_CS (GDT_ENTRY_USER_CS * 8 + SEGMENT_RPL_USER)
#define __TSS_SEL (GDT_ENTRY_TSS * 8)
#define __CPUNODE_SEG (GDT_ENTRY_CPUNODE * 8 + SEGMENT_RPL_USER)
/* The CPUNODE limit: CPU number in bits 0-11, NUMA node above (Linux's encoding). */
#define CPUNODE_CPU_MASK 0xfff
#define CPUNODE_NODE_SHIFT 12

#endif /* _ASM_SEGMENT_H */
