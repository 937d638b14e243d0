/* SPDX-License-Identifier: MIT */
/*
 * The serial console. serial_early_init() programs COM1 (115200 8N1) and
 * registers it as a console. Without CONFIG_SERIAL_16550 it does nothing:
 * the kernel then has no console, and its messages stay in the log buffer.
 */
#ifndef _EXO_SERIAL_H
#define _EXO_SERIAL_H

#ifdef CONFIG_SERIAL_16550
void serial_early_init(void);
#else
static inline void serial_early_init(void)
{
}
#endif

#endif /* _EXO_SERIAL_H */
