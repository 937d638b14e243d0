/* SPDX-License-Identifier: MIT */
/* Constants shared by C and assembly: _AC() adds a C suffix only in C. */
#ifndef _ASM_CONST_H
#define _ASM_CONST_H

#ifdef __ASSEMBLER__
#define _AC(x, y) x
#else
#define __AC(x, y) (x##y)
#define _AC(x, y) __AC(x, y)
#endif

#endif /* _ASM_CONST_H */
