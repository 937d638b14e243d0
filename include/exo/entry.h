/* SPDX-License-Identifier: MIT */
/* The return-to-user work loop, called by the arch exit path with the user registers. */
#ifndef _EXO_ENTRY_H
#define _EXO_ENTRY_H

struct pt_regs;

void exit_to_user_mode(struct pt_regs *regs);

#endif /* _EXO_ENTRY_H */
