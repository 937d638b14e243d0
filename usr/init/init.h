/*
 * init's pieces: the boot steps and the shutdown sequence (shutdown.c),
 * shared with the main loop in init.c.
 */
#ifndef EXO_INIT_H
#define EXO_INIT_H

#include <sys/types.h>

/* Every child starts from these: default dispositions and an empty mask. */
void init_child_signals(void);

/* Reap every exited child without blocking; @who's status goes to *status. */
void init_reap(pid_t who, int *status, int *who_exited);

/* Kill every other process (TERM, a grace period, KILL), sync, reboot(2)
 * with @cmd (RB_POWER_OFF, RB_AUTOBOOT or RB_HALT_SYSTEM). Does not return. */
_Noreturn void init_shutdown(int cmd);

void init_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
