/* SPDX-License-Identifier: MIT */
/* adjtimex(2), clock_adjtime(2): struct timex and its mode, status and state values (x86_64). */
#ifndef _UAPI_TIMEX_H
#define _UAPI_TIMEX_H

#include <uapi/time_types.h>

struct timex {
	unsigned int modes;	/* ADJ_*: what to set */
	long long offset;	/* time offset (us, or ns with STA_NANO) */
	long long freq;		/* frequency offset (ppm << 16) */
	long long maxerror;	/* maximum error (us) */
	long long esterror;	/* estimated error (us) */
	int status;		/* STA_* */
	long long constant;	/* PLL time constant */
	long long precision;	/* clock precision (us), read-only */
	long long tolerance;	/* clock frequency tolerance (ppm << 16), read-only */
	struct __kernel_old_timeval time;	/* current time (tv_usec in ns with STA_NANO) */
	long long tick;		/* microseconds between clock ticks */
	long long ppsfreq, jitter;
	int shift;
	long long stabil, jitcnt, calcnt, errcnt, stbcnt;
	int tai;		/* TAI offset (s) */
	int __reserved[11];
};

#define ADJ_OFFSET		0x0001
#define ADJ_FREQUENCY		0x0002
#define ADJ_MAXERROR		0x0004
#define ADJ_ESTERROR		0x0008
#define ADJ_STATUS		0x0010
#define ADJ_TIMECONST		0x0020
#define ADJ_TAI			0x0080
#define ADJ_SETOFFSET		0x0100
#define ADJ_MICRO		0x1000
#define ADJ_NANO		0x2000
#define ADJ_TICK		0x4000
#define ADJ_ADJTIME		0x8000	/* with ADJ_OFFSET_SINGLESHOT: old-style adjtime() */
#define ADJ_OFFSET_SINGLESHOT	0x0001
#define ADJ_OFFSET_READONLY	0x2000

#define STA_PLL		0x0001
#define STA_PPSFREQ	0x0002
#define STA_PPSTIME	0x0004
#define STA_FLL		0x0008
#define STA_INS		0x0010
#define STA_DEL		0x0020
#define STA_UNSYNC	0x0040
#define STA_FREQHOLD	0x0080
#define STA_PPSSIGNAL	0x0100
#define STA_PPSJITTER	0x0200
#define STA_PPSWANDER	0x0400
#define STA_PPSERROR	0x0800
#define STA_CLOCKERR	0x1000
#define STA_NANO	0x2000
#define STA_MODE	0x4000
#define STA_CLK		0x8000
/* Bits only the kernel sets. */
#define STA_RONLY (STA_PPSSIGNAL | STA_PPSJITTER | STA_PPSWANDER | STA_PPSERROR | \
		   STA_CLOCKERR | STA_NANO | STA_MODE | STA_CLK)

#define TIME_OK		0
#define TIME_INS	1
#define TIME_DEL	2
#define TIME_OOP	3
#define TIME_WAIT	4
#define TIME_ERROR	5

#endif /* _UAPI_TIMEX_H */
