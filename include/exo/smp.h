/* SPDX-License-Identifier: MIT */
/*
 * Multiprocessor control. smp_stop_other_cpus() halts every other online CPU
 * (by NMI) and returns once they stopped or a short timeout passed; it is for
 * panic and reboot. Before SMP bring-up it does nothing.
 */
#ifndef _EXO_SMP_H
#define _EXO_SMP_H

void smp_stop_other_cpus(void);

#endif /* _EXO_SMP_H */
