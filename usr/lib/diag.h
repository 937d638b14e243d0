/* Diagnostics on stderr for programs that avoid stdio's buffering. */
#ifndef EXO_USR_DIAG_H
#define EXO_USR_DIAG_H

#include <stdarg.h>

/*
 * Writes "PREFIX: message\n" to fd 2 with one write(2), so lines from
 * processes sharing the terminal never interleave; long messages are cut.
 */
void diag_vwrite(const char *prefix, const char *fmt, va_list ap);

#endif
