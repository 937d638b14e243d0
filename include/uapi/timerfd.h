/* SPDX-License-Identifier: MIT */
/* timerfd_create(2), timerfd_settime(2): flags and flags (struct itimerspec is in time_types.h). */
#ifndef _UAPI_TIMERFD_H
#define _UAPI_TIMERFD_H

#include <uapi/fcntl.h>
#include <uapi/time_types.h>

#define TFD_TIMER_ABSTIME	(1 << 0)
#define TFD_TIMER_CANCEL_ON_SET	(1 << 1)
#define TFD_CLOEXEC		O_CLOEXEC
#define TFD_NONBLOCK		O_NONBLOCK

#endif /* _UAPI_TIMERFD_H */
