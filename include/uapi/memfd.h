/* SPDX-License-Identifier: MIT */
/* memfd_create(2) flags (Linux's include/uapi/linux/memfd.h). */
#ifndef _UAPI_MEMFD_H
#define _UAPI_MEMFD_H

#define MFD_CLOEXEC		0x0001U
#define MFD_ALLOW_SEALING	0x0002U
#define MFD_HUGETLB		0x0004U
#define MFD_NOEXEC_SEAL		0x0008U	/* mode 0666 and F_SEAL_EXEC */
#define MFD_EXEC		0x0010U	/* mode 0777 (the default) */

/* The hugetlb page size, log2, in bits 26..31 with MFD_HUGETLB. */
#define MFD_HUGE_SHIFT		26
#define MFD_HUGE_MASK		0x3f

#endif /* _UAPI_MEMFD_H */
