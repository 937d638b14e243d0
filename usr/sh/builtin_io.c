/*
 * Builtins that move text: echo, printf and read.
 *
 * echo behaves like dash's (XSI): the only option is -n, and backslash
 * escapes are always interpreted; "\c" ends the output.
 *
 * read takes its input one byte per read() so that whatever follows the
 * line stays unread for the next command sharing the descriptor.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

/*
 * Writes the escape at s (just after a '\') to out; returns the number of
 * characters consumed, or -1 for "\c". octal0: "\0NNN" (echo) vs "\NNN".
 */
static int put_escape(const char *s, struct strbuf *out, int octal0)
{
	int n = 0, v = 0;

	switch (*s) {
	case 'a':
		sb_addc(out, '\a');
		return 1;
	case 'b':
		sb_addc(out, '\b');
		return 1;
	case 'c':
		return -1;
	case 'e':
		sb_addc(out, 033);
		return 1;
	case 'f':
		sb_addc(out, '\f');
		return 1;
	case 'n':
		sb_addc(out, '\n');
		return 1;
	case 'r':
		sb_addc(out, '\r');
		return 1;
	case 't':
		sb_addc(out, '\t');
		return 1;
	case 'v':
		sb_addc(out, '\v');
		return 1;
	case '\\':
		sb_addc(out, '\\');
		return 1;
	}
	if (octal0 ? *s == '0' : (*s >= '0' && *s <= '7')) {
		const char *p = s + (octal0 ? 1 : 0);

		while (n < 3 && p[n] >= '0' && p[n] <= '7')
			v = v * 8 + (p[n++] - '0');
		sb_addc(out, v);
		return n + (octal0 ? 1 : 0);
	}
	sb_addc(out, '\\');
	return 0;
}

int bltin_echo(int argc, char **argv)
{
	struct strbuf out = {0};
	int i = 1, nl = 1;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		nl = 0;
		i++;
	}
	for (; i < argc; i++) {
		for (const char *p = argv[i]; *p; p++) {
			if (*p != '\\') {
				sb_addc(&out, *p);
				continue;
			}
			int r = put_escape(p + 1, &out, 1);

			if (r < 0) {
				nl = 0;
				goto done;
			}
			p += r;
		}
		if (i + 1 < argc)
			sb_addc(&out, ' ');
	}
done:
	if (nl)
		sb_addc(&out, '\n');
	fwrite(out.s ? out.s : "", 1, out.len, stdout);
	sb_free(&out);
	return ferror(stdout) ? 1 : 0;
}

/* ---- printf ------------------------------------------------------------- */

static int printf_err;

static long printf_num(const char *s)
{
	char *end;
	long v;

	if (!*s)
		return 0;
	if (*s == '\'' || *s == '"')
		return (unsigned char)s[1];
	errno = 0;
	v = strtol(s, &end, 0);
	if (*end || errno) {
		sh_warn("printf: %s: %s", s, errno ? strerror(errno) : "not completely converted");
		printf_err = 1;
	}
	return v;
}

/* One pass over the format; returns the number of arguments used. */
static int printf_once(const char *fmt, int argc, char **argv, struct strbuf *out, int *stop)
{
	int used = 0;

	for (const char *p = fmt; *p; p++) {
		if (*p == '\\') {
			int r = put_escape(p + 1, out, 0);

			if (r < 0) {
				*stop = 1;
				return used;
			}
			p += r;
			continue;
		}
		if (*p != '%') {
			sb_addc(out, *p);
			continue;
		}
		if (p[1] == '%') {
			sb_addc(out, '%');
			p++;
			continue;
		}
		char spec[64];
		size_t sl = 0;

		spec[sl++] = '%';
		p++;
		while (*p && strchr("-+ #0", *p) && sl < 40)
			spec[sl++] = *p++;
		while (*p && (isdigit((unsigned char)*p) || *p == '.' || *p == '*') && sl < 50) {
			if (*p == '*') {
				const char *a = used < argc ? argv[used++] : "0";

				sl += snprintf(spec + sl, sizeof(spec) - sl, "%ld", printf_num(a));
				p++;
				continue;
			}
			spec[sl++] = *p++;
		}
		char conv = *p;
		const char *arg = used < argc ? argv[used++] : NULL;
		char buf[512];

		if (!conv)
			break;
		switch (conv) {
		case 'd':
		case 'i':
			spec[sl++] = 'l';
			spec[sl++] = 'd';
			spec[sl] = 0;
			snprintf(buf, sizeof(buf), spec, arg ? printf_num(arg) : 0L);
			sb_adds(out, buf);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			spec[sl++] = 'l';
			spec[sl++] = conv;
			spec[sl] = 0;
			snprintf(buf, sizeof(buf), spec,
				 (unsigned long)(arg ? printf_num(arg) : 0));
			sb_adds(out, buf);
			break;
		case 'c':
			if (arg && *arg)
				sb_addc(out, arg[0]);
			break;
		case 's':
		case 'b': {
			struct strbuf tmp = {0};
			const char *s = arg ? arg : "";

			if (conv == 'b') {
				for (const char *q = s; *q; q++) {
					if (*q != '\\') {
						sb_addc(&tmp, *q);
						continue;
					}
					int r = put_escape(q + 1, &tmp, 1);

					if (r < 0) {
						*stop = 1;
						break;
					}
					q += r;
				}
				s = sb_str(&tmp);
			}
			spec[sl++] = 's';
			spec[sl] = 0;
			char *o = NULL;
			int n = asprintf(&o, spec, s);

			if (n > 0)
				sb_addn(out, o, n);
			free(o);
			sb_free(&tmp);
			if (*stop)
				return used;
			break;
		}
		default:
			sh_warn("printf: %%%c: invalid directive", conv);
			printf_err = 1;
			return used;
		}
	}
	return used;
}

int bltin_printf(int argc, char **argv)
{
	struct strbuf out = {0};
	int stop = 0, i;

	if (argc < 2) {
		sh_warn("printf: usage: printf format [arg ...]");
		return 2;
	}
	printf_err = 0;
	i = 2;
	do {
		int used = printf_once(argv[1], argc - i, argv + i, &out, &stop);

		i += used;
		if (!used)
			break;
	} while (i < argc && !stop);
	fwrite(out.s ? out.s : "", 1, out.len, stdout);
	sb_free(&out);
	return printf_err;
}

/* ---- read --------------------------------------------------------------- */

static int is_ifs_ws(const char *ifs, char c)
{
	return (c == ' ' || c == '\t' || c == '\n') && strchr(ifs, c);
}

int bltin_read(int argc, char **argv)
{
	struct strbuf line = {0}, prot = {0}; /* prot: 1 = escaped, not a separator */
	int raw = 0, i = 1, eof = 0;
	const char *prompt = NULL;
	const char *ifs = var_ifs();

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "-r")) {
			raw = 1;
		} else if (!strcmp(argv[i], "-p") && i + 1 < argc) {
			prompt = argv[++i];
		} else {
			sh_warn("read: %s: bad option", argv[i]);
			return 2;
		}
	}
	if (prompt && isatty(0)) {
		fputs(prompt, stderr);
		fflush(stderr);
	}
	for (;;) {
		char c;
		ssize_t r = read(0, &c, 1);

		if (r < 0 && errno == EINTR) {
			if (trap_pending)
				return 128 + 2;
			continue;
		}
		if (r <= 0) {
			eof = 1;
			break;
		}
		if (c == '\n')
			break;
		if (c == '\\' && !raw) {
			r = read(0, &c, 1);
			if (r <= 0) {
				eof = 1;
				break;
			}
			if (c == '\n')
				continue;
			sb_addc(&line, c);
			sb_addc(&prot, 1);
			continue;
		}
		sb_addc(&line, c);
		sb_addc(&prot, 0);
	}
	sb_str(&line);
	sb_str(&prot);

	const char *names[2] = {"REPLY", NULL};
	char **vars = i < argc ? argv + i : (char **)names;
	int nvars = i < argc ? argc - i : 1;
	size_t pos = 0, len = line.len;
	const char *s = line.s;
	const char *pr = prot.s;

	for (int v = 0; v < nvars; v++) {
		struct strbuf val = {0};

		while (pos < len && !pr[pos] && is_ifs_ws(ifs, s[pos]))
			pos++;
		if (v == nvars - 1) {
			size_t end = len;

			while (end > pos && !pr[end - 1] && is_ifs_ws(ifs, s[end - 1]))
				end--;
			sb_addn(&val, s + pos, end - pos);
			pos = len;
		} else {
			while (pos < len && (pr[pos] || !strchr(ifs, s[pos])))
				sb_addc(&val, s[pos++]);
			if (pos < len) {
				int ws = is_ifs_ws(ifs, s[pos]);

				pos++;
				while (pos < len && !pr[pos] && is_ifs_ws(ifs, s[pos]))
					pos++;
				if (ws && pos < len && !pr[pos] && strchr(ifs, s[pos]) &&
				    !is_ifs_ws(ifs, s[pos]))
					pos++;
			}
		}
		if (var_set(vars[v], sb_str(&val), 0) < 0) {
			sb_free(&val);
			sb_free(&line);
			sb_free(&prot);
			return 2;
		}
		sb_free(&val);
	}
	sb_free(&line);
	sb_free(&prot);
	return eof ? 1 : 0;
}
