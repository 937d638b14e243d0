/* SPDX-License-Identifier: MIT */
/* eventfd2(2) flags. */
#ifndef _UAPI_EVENTFD_H
#define _UAPI_EVENTFD_H

#include <uapi/fcntl.h>

#define EFD_SEMAPHORE	(1 << 0)
#define EFD_CLOEXEC	O_CLOEXEC
#define EFD_NONBLOCK	O_NONBLOCK

#endif /* _UAPI_EVENTFD_H */
