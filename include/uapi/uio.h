/* SPDX-License-Identifier: MIT */
/* Vectored I/O (linux/uio.h). */
#ifndef _UAPI_UIO_H
#define _UAPI_UIO_H

#include <uapi/types.h>

struct iovec {
	void __user *iov_base;
	__kernel_size_t iov_len;
};

#define UIO_FASTIOV	8
#define UIO_MAXIOV	1024

#endif /* _UAPI_UIO_H */
