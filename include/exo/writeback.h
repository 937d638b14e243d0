/* SPDX-License-Identifier: MIT */
/*
 * Write-back tunables (/proc/sys/vm, Linux's names and units) and the
 * flusher. mm/page-writeback.c holds the values; block/fops.c's flusher
 * thread uses them for the block device page cache.
 */
#ifndef _EXO_WRITEBACK_H
#define _EXO_WRITEBACK_H

/* How often the flusher wakes, in 1/100 s; 0: never (periodic write-back off). */
extern unsigned int dirty_writeback_centisecs;
/* Dirty data older than this (1/100 s) is written back by the flusher. */
extern unsigned int dirty_expire_centisecs;

/* Wakes the flusher early (e.g. reclaim found dirty pages). */
void wakeup_flusher_threads(void);

#endif
