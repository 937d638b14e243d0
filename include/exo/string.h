/* SPDX-License-Identifier: MIT */
/* Freestanding string and memory primitives (lib/string.c). */
#ifndef _EXO_STRING_H
#define _EXO_STRING_H

#include <exo/types.h>
#include <asm/string.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
/*
 * memcpy() for a large copy in a task's context (a file system's block into
 * a page-cache page): the architecture may move it through vector registers
 * (x86: ymm, as the user copies do, where the task has an mm), falling back
 * to memcpy() elsewhere.
 */
void memcpy_large(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
/*
 * The first of the @n bytes at @s that is not @c, or NULL when all are:
 * the debug allocators check poison and red zones with it (Linux's name).
 */
void *memchr_inv(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);
char *strstr(const char *haystack, const char *needle);
/* Parses an unsigned number in base 10, 16 (0x prefix) or 8 (0 prefix) when @base is 0. */
unsigned long simple_strtoul(const char *s, char **end, unsigned int base);

#endif /* _EXO_STRING_H */
