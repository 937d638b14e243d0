/*
 * Helpers shared by the applets: messages, usage, number and signal parsing,
 * file modes, small-file reads. Nothing here keeps state between calls.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "exobox.h"

_Noreturn void usage(void)
{
	fprintf(stderr, "Usage: %s %s\n", applet->name, applet->usage);
	if (!applet->no_help)
		fprintf(stderr, "Try '%s --help' for more information.\n", applet->name);
	exit(applet->bad_status);
}

static void vmsg(int err, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", applet->name);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
}

void warn_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg(err, fmt, ap);
	va_end(ap);
	errno = err;
}

_Noreturn void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
	exit(1);
}

_Noreturn void die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg(err, fmt, ap);
	va_end(ap);
	exit(1);
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

int copy_fd(int in, int out)
{
	char buf[65536];
	ssize_t n;

	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (write_all(out, buf, n))
			return -1;
	}
}

int parse_long(const char *s, long *out)
{
	char *end;

	if (!*s)
		return -1;
	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static const char *const signames[] = {
	[SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT", [SIGILL] = "ILL",
	[SIGTRAP] = "TRAP", [SIGABRT] = "ABRT", [SIGBUS] = "BUS", [SIGFPE] = "FPE",
	[SIGKILL] = "KILL", [SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM", [SIGSTKFLT] = "STKFLT",
	[SIGCHLD] = "CHLD", [SIGCONT] = "CONT", [SIGSTOP] = "STOP", [SIGTSTP] = "TSTP",
	[SIGTTIN] = "TTIN", [SIGTTOU] = "TTOU", [SIGURG] = "URG", [SIGXCPU] = "XCPU",
	[SIGXFSZ] = "XFSZ", [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF", [SIGWINCH] = "WINCH",
	[SIGIO] = "IO", [SIGPWR] = "PWR", [SIGSYS] = "SYS",
};

#define NR_SIGNAMES ((int)(sizeof(signames) / sizeof(signames[0])))

const char *signal_name(int sig)
{
	if (sig > 0 && sig < NR_SIGNAMES)
		return signames[sig];
	return NULL;
}

int signal_number(const char *name)
{
	long n;

	if (!parse_long(name, &n))
		return n >= 0 && n < _NSIG ? (int)n : -1;
	if (!strncasecmp(name, "SIG", 3))
		name += 3;
	for (int i = 1; i < NR_SIGNAMES; i++)
		if (signames[i] && !strcasecmp(name, signames[i]))
			return i;
	if (!strcasecmp(name, "IOT"))
		return SIGABRT;
	if (!strcasecmp(name, "POLL"))
		return SIGIO;
	if (!strcasecmp(name, "CLD"))
		return SIGCHLD;
	return -1;
}

/* One symbolic clause: [ugoa]*([-+=]([rwxXst]*|[ugo]))+ */
static const char *mode_clause(const char *p, mode_t *mode, int is_dir, mode_t umask_bits)
{
	mode_t who = 0, perm, old;
	char op;

	for (;; p++) {
		if (*p == 'u')
			who |= S_ISUID | S_IRWXU;
		else if (*p == 'g')
			who |= S_ISGID | S_IRWXG;
		else if (*p == 'o')
			who |= S_IRWXO;
		else if (*p == 'a')
			who |= S_ISUID | S_ISGID | S_ISVTX | S_IRWXU | S_IRWXG | S_IRWXO;
		else
			break;
	}
	if (*p != '+' && *p != '-' && *p != '=')
		return NULL;
	while (*p == '+' || *p == '-' || *p == '=') {
		op = *p++;
		perm = 0;
		old = *mode;
		if (*p == 'u' || *p == 'g' || *p == 'o') {
			mode_t bits = *p == 'u' ? (old >> 6) & 7 : *p == 'g' ? (old >> 3) & 7 : old & 7;

			perm = bits << 6 | bits << 3 | bits;
			p++;
		} else {
			for (; *p && strchr("rwxXst", *p); p++) {
				switch (*p) {
				case 'r': perm |= S_IRUSR | S_IRGRP | S_IROTH; break;
				case 'w': perm |= S_IWUSR | S_IWGRP | S_IWOTH; break;
				case 'x': perm |= S_IXUSR | S_IXGRP | S_IXOTH; break;
				case 'X':
					if (is_dir || (old & (S_IXUSR | S_IXGRP | S_IXOTH)))
						perm |= S_IXUSR | S_IXGRP | S_IXOTH;
					break;
				case 's': perm |= S_ISUID | S_ISGID; break;
				case 't': perm |= S_ISVTX; break;
				}
			}
		}
		/* No who: like "a", but the umask filters what is added (POSIX chmod). */
		perm &= who ? who : ~umask_bits;
		if (!who)
			who = S_ISUID | S_ISGID | S_ISVTX | S_IRWXU | S_IRWXG | S_IRWXO;
		if (op == '+')
			*mode |= perm;
		else if (op == '-')
			*mode &= ~perm;
		else
			*mode = (*mode & ~(who & ~(is_dir ? S_ISUID | S_ISGID : 0))) | perm;
	}
	return p;
}

long mode_parse(const char *spec, mode_t old, int is_dir)
{
	mode_t mode = old & 07777, um;
	const char *p = spec;

	if (*p >= '0' && *p <= '7') {
		char *end;
		long v = strtol(p, &end, 8);

		if (*end || v > 07777)
			return -1;
		/* GNU keeps a directory's setuid/setgid bits unless five digits are given. */
		if (is_dir && strlen(spec) < 5)
			v |= old & (S_ISUID | S_ISGID);
		return v;
	}
	um = umask(0);
	umask(um);
	for (;;) {
		p = mode_clause(p, &mode, is_dir, um);
		if (!p)
			return -1;
		if (!*p)
			return mode;
		if (*p++ != ',')
			return -1;
	}
}

void mode_string(mode_t m, char b[11])
{
	b[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' :
	       S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	b[1] = m & S_IRUSR ? 'r' : '-';
	b[2] = m & S_IWUSR ? 'w' : '-';
	b[3] = m & S_ISUID ? (m & S_IXUSR ? 's' : 'S') : (m & S_IXUSR ? 'x' : '-');
	b[4] = m & S_IRGRP ? 'r' : '-';
	b[5] = m & S_IWGRP ? 'w' : '-';
	b[6] = m & S_ISGID ? (m & S_IXGRP ? 's' : 'S') : (m & S_IXGRP ? 'x' : '-');
	b[7] = m & S_IROTH ? 'r' : '-';
	b[8] = m & S_IWOTH ? 'w' : '-';
	b[9] = m & S_ISVTX ? (m & S_IXOTH ? 't' : 'T') : (m & S_IXOTH ? 'x' : '-');
	b[10] = '\0';
}

ssize_t read_small_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		len += n;
	}
	buf[len] = '\0';
	close(fd);
	return len;
}

char *path_join(const char *dir, const char *base)
{
	size_t dl = strlen(dir);
	char *s = malloc(dl + strlen(base) + 2);

	if (!s)
		die("out of memory");
	strcpy(s, dir);
	if (dl && dir[dl - 1] != '/')
		s[dl++] = '/';
	strcpy(s + dl, base);
	return s;
}

const char *path_base(const char *path)
{
	static char buf[4096];
	size_t len = strlen(path);
	const char *slash;

	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, path, len);
	buf[len] = '\0';
	slash = strrchr(buf, '/');
	return slash && slash[1] ? slash + 1 : buf;
}
