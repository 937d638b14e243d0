/* SPDX-License-Identifier: MIT */
/*
 * The system's names, as uname(2) reports them (kernel/sys.c) and
 * /proc/version and /proc/sys/kernel/{ostype,osrelease,hostname} show them.
 *
 * Linux's name and a Linux release number: programs and C libraries test
 * them (glibc refuses kernels older than its minimum), and Exo-OS speaks the
 * Linux ABI. The version string says what actually runs.
 *
 * The host name is a leaf-locked string: uts_get_nodename() copies it out,
 * uts_set_nodename() replaces it (the caller checks privilege).
 */
#ifndef _EXO_UTSNAME_H
#define _EXO_UTSNAME_H

#include <exo/kernel.h>
#include <exo/types.h>

#define UTS_SYSNAME "Linux"
#define UTS_RELEASE "6.1.0-exo"
#define UTS_VERSION "#1 SMP Exo-OS " EXO_VERSION
#define UTS_MACHINE "x86_64"
/* Who built the kernel, for /proc/version (Linux: LINUX_COMPILE_BY@LINUX_COMPILE_HOST). */
#define UTS_COMPILE_BY "exo@exo-os"

/* Copies the host name (NUL-terminated, truncated to @size) into @buf. */
void uts_get_nodename(char *buf, size_t size);
/* Sets the host name from @len bytes of @name: 0, or -EINVAL when too long. */
int uts_set_nodename(const char *name, size_t len);

#endif /* _EXO_UTSNAME_H */
