/*
 * echo: GNU's: -n no newline, -e interpret escapes, -E do not (default).
 * An argument is an option only if it is all of n, e and E after the '-'.
 * Also home of unescape(), the escape decoder echo and printf share.
 */
#include <string.h>

#include "exobox.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int utf8_encode(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | (cp >> 6 & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | cp >> 18;
	out[1] = 0x80 | (cp >> 12 & 0x3f);
	out[2] = 0x80 | (cp >> 6 & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

int unescape(const char **pp, char *out, int mode)
{
	const char *p = *pp;
	int c = *p++, v, n;
	unsigned long cp;

	switch (c) {
	case 'a': *out = '\a'; break;
	case 'b': *out = '\b'; break;
	case 'e': *out = 033; break;
	case 'f': *out = '\f'; break;
	case 'n': *out = '\n'; break;
	case 'r': *out = '\r'; break;
	case 't': *out = '\t'; break;
	case 'v': *out = '\v'; break;
	case '\\': *out = '\\'; break;
	case 'c':
		*pp = p;
		return -1;
	case 'x':
		if (hexval(*p) < 0) {
			out[0] = '\\';
			out[1] = 'x';
			*pp = p;
			return 2;
		}
		v = hexval(*p++);
		if (hexval(*p) >= 0)
			v = v * 16 + hexval(*p++);
		*out = v;
		break;
	case 'u':
	case 'U':
		cp = 0;
		for (n = 0; n < (c == 'u' ? 4 : 8) && hexval(*p) >= 0; n++)
			cp = cp * 16 + hexval(*p++);
		if (!n)
			goto literal;
		*pp = p;
		return utf8_encode(cp, out);
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		v = c - '0';
		n = mode == ESC_ARG && c == '0' ? 3 : 2;
		while (n-- && *p >= '0' && *p <= '7')
			v = v * 8 + *p++ - '0';
		*out = v;
		break;
	case '"':
	case '\'':
	case '?':
		if (mode == ESC_FORMAT) {
			*out = c;
			break;
		}
		/* fall through */
	default:
	literal:
		out[0] = '\\';
		if (!c) {
			*pp = p - 1;
			return 1;
		}
		out[1] = c;
		*pp = p;
		return 2;
	}
	*pp = p;
	return 1;
}

int echo_main(int argc, char **argv)
{
	int newline = 1, escapes = 0, i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strspn(argv[i] + 1, "neE") != strlen(argv[i] + 1))
			break;
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'n')
				newline = 0;
			else
				escapes = *o == 'e';
		}
	}
	for (int first = i; i < argc; i++) {
		const char *p = argv[i];

		if (i > first)
			putchar(' ');
		if (!escapes) {
			fputs(p, stdout);
			continue;
		}
		while (*p) {
			char buf[4];
			int n;

			if (*p != '\\') {
				putchar(*p++);
				continue;
			}
			p++;
			n = unescape(&p, buf, ESC_ARG);
			if (n < 0)
				return fflush(stdout) ? 1 : 0;
			fwrite(buf, 1, n, stdout);
		}
	}
	if (newline)
		putchar('\n');
	return fflush(stdout) ? 1 : 0;
}
