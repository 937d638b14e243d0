/* SPDX-License-Identifier: MIT */
/*
 * File system scalar types with Linux's widths. Kept out of <exo/types.h>
 * because host-side unit tests include that next to libc, whose
 * <sys/types.h> defines the same names.
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
