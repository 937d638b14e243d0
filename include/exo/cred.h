/* SPDX-License-Identifier: MIT */
/* Process credentials: the Linux real/effective/saved/filesystem ids. */
#ifndef _EXO_CRED_H
#define _EXO_CRED_H

#include <exo/types.h>

struct cred {
	u32 uid, euid, suid, fsuid;
	u32 gid, egid, sgid, fsgid;
};

#endif /* _EXO_CRED_H */
