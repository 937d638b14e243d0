/* SPDX-License-Identifier: MIT */
/* The serial console. serial_early_init() programs COM1 (115200 8N1) and registers it as a console. */
#ifndef _EXO_SERIAL_H
#define _EXO_SERIAL_H

void serial_early_init(void);

#endif /* _EXO_SERIAL_H */
