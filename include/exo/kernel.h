/* SPDX-License-Identifier: MIT */
/*
 * Boot sequencing between the arch code and the generic kernel.
 * start_kernel() is the generic entry (kernel/main.c); it calls
 * setup_arch() for memory discovery and CPU set-up, and
 * arch_late_init() for the interrupt controllers and timers once the
 * allocators work.
 */
#ifndef _EXO_KERNEL_H
#define _EXO_KERNEL_H

#include <exo/compiler.h>

#define EXO_VERSION "0.1.0"

void __noreturn start_kernel(void);
void setup_arch(void);
void arch_late_init(void);
/* Prints the boot CPU's identity and the features turned on. */
void arch_print_cpu_summary(void);
struct seq_file;
/* /proc/cpuinfo: one block per online CPU in Linux's x86 format; 0 or -errno. */
int arch_show_cpuinfo(struct seq_file *m);

#endif /* _EXO_KERNEL_H */
