/* SPDX-License-Identifier: MIT */
/* Legacy PIC: i8259_disable() remaps both PICs to 0x20-0x2f and masks every line. */
#ifndef _ASM_I8259_H
#define _ASM_I8259_H

void i8259_disable(void);

#endif /* _ASM_I8259_H */
