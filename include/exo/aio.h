/* SPDX-License-Identifier: MIT */
/* Linux AIO (fs/aio.c): what the mm code calls when an address space goes. */
#ifndef _EXO_AIO_H
#define _EXO_AIO_H

struct mm;

/* Frees the AIO contexts of @mm, whose last user is gone (their rings go with it). */
void aio_exit_mm(struct mm *mm);

#endif /* _EXO_AIO_H */
