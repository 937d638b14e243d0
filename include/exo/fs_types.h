/* SPDX-License-Identifier: MIT */
/*
 * File system scalar types, with the Linux kernel's widths. Kept out of
 * <exo/types.h> so that code built against a host C library (tests/) never
 * sees two definitions of loff_t and dev_t.
 */
#ifndef _EXO_FS_TYPES_H
#define _EXO_FS_TYPES_H

#include <exo/types.h>

typedef unsigned short umode_t;
typedef long long loff_t;
typedef u32 dev_t;
/* Event mask of a file's poll method: POLLIN, POLLOUT... (<uapi/poll.h>). */
typedef unsigned int __poll_t;

#endif /* _EXO_FS_TYPES_H */
