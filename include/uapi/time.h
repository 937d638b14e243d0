/* SPDX-License-Identifier: MIT */
/* Time structures of the syscall ABI (linux/time.h, linux/time_types.h), x86_64. */
#ifndef _UAPI_TIME_H
#define _UAPI_TIME_H

struct timespec {
	long tv_sec;
	long tv_nsec;
};

struct timeval {
	long tv_sec;
	long tv_usec;
};

/* utimensat(): tv_nsec values that mean "now" and "leave unchanged". */
#define UTIME_NOW	((1l << 30) - 1l)
#define UTIME_OMIT	((1l << 30) - 2l)

#endif /* _UAPI_TIME_H */
