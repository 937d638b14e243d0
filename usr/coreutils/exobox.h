/*
 * exobox: the core utilities as one multi-call binary.
 *
 * /bin/ls, /bin/cat, ... are symlinks to /bin/exobox; main() picks the applet
 * from the basename of argv[0] (or from argv[1] when run as "exobox NAME").
 * Each applet is an ordinary main() in its own file, listed in applets.h.
 *
 * Rules for applets: print errors as "name: what: strerror" through warn*()
 * and die*(); on bad usage call usage() (it prints the applet's usage line
 * to stderr and exits with the applet's GNU status, 1 or 2). The dispatcher
 * answers --help itself, except for the applets POSIX forbids it (echo, test).
 */
#ifndef EXOBOX_H
#define EXOBOX_H

#include <stdio.h>
#include <sys/types.h>

struct applet {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *usage;	/* arguments, after "Usage: name " */
	const char *help;	/* the option list --help prints, may be NULL */
	unsigned char bad_status;	/* exit status for bad usage */
	unsigned char no_help;	/* --help is an operand (echo, test, ...) */
};

extern const struct applet *applet;

#define APPLET(name, usage, help, bad, nohelp) int name##_main(int argc, char **argv);
#include "applets.h"
#undef APPLET
int bracket_main(int argc, char **argv);

_Noreturn void usage(void);
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whole-file helpers: 0 or -1 with errno set. */
int copy_fd(int in, int out);
int write_all(int fd, const void *buf, size_t len);

/* Parse a decimal number with an optional sign; nonzero if it is not one. */
int parse_long(const char *s, long *out);

/* Signals by name: "TERM", "SIGTERM", "15". -1 if unknown. */
int signal_number(const char *name);
const char *signal_name(int sig);	/* "TERM", or NULL */

/* chmod-style modes: octal or symbolic ("u+x,go-w"), applied to @old. -1 if invalid. */
long mode_parse(const char *spec, mode_t old, int is_dir);
/* "drwxr-xr-x" (10 characters and a NUL). */
void mode_string(mode_t mode, char buf[11]);

/* Read a small file (procfs) into buf, NUL-terminated; length or -1. */
ssize_t read_small_file(const char *path, char *buf, size_t size);

/* Recursive copy and remove, shared by cp, mv and rm. */
struct copy_opts {
	int recursive;
	int preserve;
	int force;
	int no_deref;		/* copy symlinks as symlinks */
};
int copy_path(const char *src, const char *dst, const struct copy_opts *o);
int remove_path(const char *path, int recursive, int force);

/* touch -d and date -d: "@SECONDS", "YYYY-MM-DD[ HH:MM[:SS]]" (local, or UTC with
 * utc set), "now". 0 or -1. */
struct timespec;
int date_parse(const char *s, int utc, struct timespec *ts);

/* Backslash escapes at *pp (just past the backslash), for echo -e, printf and
 * its %b (ESC_ARG: "\0NNN" takes three digits after the 0). Writes up to 4
 * bytes to out and returns how many, or -1 for "\c" (stop all output). */
enum { ESC_FORMAT, ESC_ARG };
int unescape(const char **pp, char *out, int mode);

/* "dir/base" into a malloc'ed string. */
char *path_join(const char *dir, const char *base);
const char *path_base(const char *path);	/* last component, ignoring trailing '/' */

#endif
