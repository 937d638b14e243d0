/* SPDX-License-Identifier: MIT */
/* struct sysinfo (Linux include/uapi/linux/sysinfo.h), 112 bytes on x86_64. */
#ifndef _UAPI_SYSINFO_H
#define _UAPI_SYSINFO_H

struct sysinfo {
	long uptime;			/* seconds since boot */
	unsigned long loads[3];		/* 1, 5, 15 minute load averages << 16 */
	unsigned long totalram;
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	unsigned short procs;
	unsigned short pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	unsigned int mem_unit;		/* the unit of the memory fields, in bytes */
	char _f[20 - 2 * sizeof(unsigned long) - sizeof(unsigned int)];
};

#endif /* _UAPI_SYSINFO_H */
