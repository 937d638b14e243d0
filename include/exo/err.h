/* SPDX-License-Identifier: MIT */
/*
 * Error pointers: functions returning a pointer encode -errno in the top 4095
 * values of the address space, which no valid kernel object occupies.
 *
 * There is no IS_ERR_OR_NULL(): a constructor returns an object or
 * ERR_PTR, never NULL for an error (only raw allocators such as kmalloc()
 * return NULL), so a caller never has to hedge (docs/errors.md).
 */
#ifndef _EXO_ERR_H
#define _EXO_ERR_H

#include <exo/compiler.h>
#include <exo/types.h>

#define MAX_ERRNO 4095

#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

/* An error pointer of one type passed on as another. */
static inline void *ERR_CAST(const void *ptr)
{
	return (void *)ptr;
}

#endif /* _EXO_ERR_H */
