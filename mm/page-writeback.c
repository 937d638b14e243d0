// SPDX-License-Identifier: MIT
/*
 * Write-back tunables, Linux's defaults: the flusher wakes every 5 s and
 * writes back data dirty for 30 s or more. /proc/sys/vm exposes both.
 */
#include <exo/compiler.h>
#include <exo/writeback.h>

unsigned int dirty_writeback_centisecs = 500;
unsigned int dirty_expire_centisecs = 3000;

/* Without a block layer there is nothing to flush. */
__weak void wakeup_flusher_threads(void)
{
}
