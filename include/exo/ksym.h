/* SPDX-License-Identifier: MIT */
/*
 * The kernel's own symbol table, embedded at link time (scripts/mksymtab.py
 * writes it into the .ksymtab section on the second link). Used by
 * backtraces and %pS. Lookups take no locks and allocate nothing, so they
 * are safe from panic and exception context.
 */
#ifndef _EXO_KSYM_H
#define _EXO_KSYM_H

#include <exo/types.h>

/*
 * Finds the function containing @addr. Returns its name and stores the
 * offset of @addr in it (and the function size) through the out pointers,
 * or returns NULL when @addr is outside the kernel's text.
 */
const char *ksym_lookup(unsigned long addr, unsigned long *offset, unsigned long *size);

/* Writes "name+0xoff/0xsize" (or the bare hex address) into @buf. */
void ksym_format(unsigned long addr, char *buf, size_t len);

/* Returns the address of the named function, or 0. */
unsigned long ksym_address(const char *name);

#endif /* _EXO_KSYM_H */
