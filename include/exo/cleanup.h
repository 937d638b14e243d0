/* SPDX-License-Identifier: MIT */
/*
 * Scope-based release, as Linux's <linux/cleanup.h> names it: a variable
 * declared `type var __free(name) = get(...)` is released by the function
 * DEFINE_FREE(name, ...) made when it goes out of scope, on every return
 * path. For references whose every exit would otherwise repeat the put.
 * A goto may leave such a scope but never jump into it past the declaration.
 */
#ifndef _EXO_CLEANUP_H
#define _EXO_CLEANUP_H

/* __free_##name(&var) runs @free with the variable's value as _T. */
#define DEFINE_FREE(name, type, free)                                            \
	static inline void __free_##name(type *p)                                \
	{                                                                        \
		type _T = *p;                                                    \
		free;                                                            \
	}

#define __free(name) __attribute__((__cleanup__(__free_##name)))

#endif /* _EXO_CLEANUP_H */
