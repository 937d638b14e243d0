/*
 * printf FORMAT [ARG]...: the POSIX utility. Conversions d i o u x X c s b %
 * and e E f F g G a A, with flags, widths and precisions ('*' too); escapes in
 * FORMAT and in %b arguments; the format is reused until the arguments run
 * out. A numeric argument may be 'c (the character's code). A bad number is
 * reported, printed as far as it parsed, and makes the status 1.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exobox.h"

static char **args;
static int nargs, status;

static const char *next_arg(void)
{
	if (!nargs)
		return NULL;
	nargs--;
	return *args++;
}

static void num_check(const char *arg, const char *end)
{
	if (errno == ERANGE) {
		warn("%s: Numerical result out of range", arg);
		status = 1;
	} else if (end == arg) {
		warn("%s: expected a numeric value", arg);
		status = 1;
	} else if (*end) {
		warn("%s: value not completely converted", arg);
		status = 1;
	}
}

static long long arg_signed(void)
{
	const char *a = next_arg();
	char *end;
	long long v;

	if (!a)
		return 0;
	if (*a == '\'' || *a == '"')
		return (unsigned char)a[1];
	errno = 0;
	v = strtoll(a, &end, 0);
	num_check(a, end);
	return v;
}

static unsigned long long arg_unsigned(void)
{
	const char *a = next_arg();
	char *end;
	unsigned long long v;

	if (!a)
		return 0;
	if (*a == '\'' || *a == '"')
		return (unsigned char)a[1];
	errno = 0;
	v = strtoull(a, &end, 0);
	num_check(a, end);
	return v;
}

static long double arg_float(void)
{
	const char *a = next_arg();
	char *end;
	long double v;

	if (!a)
		return 0;
	if (*a == '\'' || *a == '"')
		return (unsigned char)a[1];
	errno = 0;
	v = strtold(a, &end);
	num_check(a, end);
	return v;
}

/* %b's argument decoded into a malloc'ed string; *stop is set if it held \c. */
static char *decode_b(const char *a, int *stop)
{
	char *buf = malloc(strlen(a) * 4 + 1), out[4];
	size_t len = 0;
	int n;

	if (!buf)
		die("out of memory");
	while (*a) {
		if (*a != '\\') {
			buf[len++] = *a++;
			continue;
		}
		a++;
		n = unescape(&a, out, ESC_ARG);
		if (n < 0) {
			*stop = 1;
			break;
		}
		memcpy(buf + len, out, n);
		len += n;
	}
	buf[len] = '\0';
	return buf;
}

/* One conversion starting at *pp (at the '%'); returns nonzero to stop all output. */
static int conversion(const char **pp)
{
	const char *p = *pp + 1;
	char spec[64];
	size_t len = 0;
	int width = 0, prec = 0, has_width = 0, has_prec = 0;
	char conv;

	spec[len++] = '%';
	while (*p && strchr("-+ #0'", *p) && len < 10)
		spec[len++] = *p++;
	if (*p == '*') {
		p++;
		width = arg_signed();
		has_width = 1;
		spec[len++] = '*';
	} else {
		while (isdigit((unsigned char)*p) && len < 20)
			spec[len++] = *p++;
	}
	if (*p == '.') {
		spec[len++] = *p++;
		if (*p == '*') {
			p++;
			prec = arg_signed();
			has_prec = 1;
			spec[len++] = '*';
		} else {
			while (isdigit((unsigned char)*p) && len < 30)
				spec[len++] = *p++;
		}
	}
	while (*p && strchr("hlLqjzt", *p))
		p++;
	conv = *p;
	if (!conv || !strchr("diouxXcsbeEfFgGaA%", conv)) {
		die("%.*s: invalid conversion specification", (int)(p - *pp + (conv != 0)), *pp);
	}
	*pp = p + 1;
	spec[len] = '\0';

#define EMIT(...)							\
	do {								\
		if (has_width && has_prec)				\
			printf(spec, width, prec, __VA_ARGS__);		\
		else if (has_width)					\
			printf(spec, width, __VA_ARGS__);		\
		else if (has_prec)					\
			printf(spec, prec, __VA_ARGS__);		\
		else							\
			printf(spec, __VA_ARGS__);			\
	} while (0)

	switch (conv) {
	case '%':
		putchar('%');
		return 0;
	case 'd': case 'i':
		strcpy(spec + len, "ll");
		spec[len + 2] = conv;
		spec[len + 3] = '\0';
		EMIT(arg_signed());
		return 0;
	case 'o': case 'u': case 'x': case 'X':
		strcpy(spec + len, "ll");
		spec[len + 2] = conv;
		spec[len + 3] = '\0';
		EMIT(arg_unsigned());
		return 0;
	case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
		spec[len] = 'L';
		spec[len + 1] = conv;
		spec[len + 2] = '\0';
		EMIT(arg_float());
		return 0;
	case 'c': {
		const char *a = next_arg();

		spec[len] = 'c';
		spec[len + 1] = '\0';
		EMIT(a ? a[0] : '\0');
		return 0;
	}
	case 's': {
		const char *a = next_arg();

		spec[len] = 's';
		spec[len + 1] = '\0';
		EMIT(a ? a : "");
		return 0;
	}
	case 'b': {
		const char *a = next_arg();
		int stop = 0;
		char *buf = decode_b(a ? a : "", &stop);

		spec[len] = 's';
		spec[len + 1] = '\0';
		EMIT(buf);
		free(buf);
		return stop;
	}
	}
#undef EMIT
	return 0;
}

int printf_main(int argc, char **argv)
{
	const char *fmt;

	if (argc > 1 && !strcmp(argv[1], "--"))
		argv++, argc--;
	if (argc < 2) {
		warn("missing operand");
		usage();
	}
	fmt = argv[1];
	args = argv + 2;
	nargs = argc - 2;
	do {
		int before = nargs;

		for (const char *p = fmt; *p;) {
			if (*p == '\\') {
				char out[4];
				int n;

				p++;
				n = unescape(&p, out, ESC_FORMAT);
				if (n < 0)
					goto out;
				fwrite(out, 1, n, stdout);
			} else if (*p == '%') {
				if (conversion(&p))
					goto out;
			} else {
				putchar(*p++);
			}
		}
		if (nargs == before)
			break;
	} while (nargs > 0);
out:
	if (fflush(stdout))
		return 1;
	return status;
}
