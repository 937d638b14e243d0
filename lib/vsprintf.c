// SPDX-License-Identifier: MIT
/*
 * vsnprintf for the kernel: %d %i %u %x %X %o %c %s %p %%, the l/ll/z/h
 * length modifiers, width, precision, and the - 0 + space # flags.
 * %pS prints a kernel text address as symbol+offset/size (kernel/ksym.c).
 * Output is always NUL-terminated when size > 0; the return value is the
 * length the full output would have had, as in C99.
 */
#include <exo/printk.h>
#include <exo/string.h>
#include <exo/ksym.h>

struct outbuf {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct outbuf *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

#define FL_LEFT 1
#define FL_ZERO 2
#define FL_PLUS 4
#define FL_SPACE 8
#define FL_ALT 16
#define FL_UPPER 32

static void out_string(struct outbuf *o, const char *s, int width, int prec, int flags)
{
	int len;

	if (!s)
		s = "(null)";
	len = prec >= 0 ? (int)strnlen(s, prec) : (int)strlen(s);
	if (!(flags & FL_LEFT))
		out_pad(o, ' ', width - len);
	for (int i = 0; i < len; i++)
		out_char(o, s[i]);
	if (flags & FL_LEFT)
		out_pad(o, ' ', width - len);
}

static void out_number(struct outbuf *o, unsigned long long v, bool negative, unsigned int base,
		       int width, int prec, int flags)
{
	const char *digits = (flags & FL_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, prefix_len = 0;
	char sign = 0;
	const char *prefix = "";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);

	if (negative)
		sign = '-';
	else if (flags & FL_PLUS)
		sign = '+';
	else if (flags & FL_SPACE)
		sign = ' ';
	if ((flags & FL_ALT) && base == 16) {
		prefix = (flags & FL_UPPER) ? "0X" : "0x";
		prefix_len = 2;
	} else if ((flags & FL_ALT) && base == 8 && tmp[n - 1] != '0') {
		prefix = "0";
		prefix_len = 1;
	}

	int digits_len = n > prec ? n : prec;
	int total = digits_len + prefix_len + (sign ? 1 : 0);

	if (!(flags & (FL_LEFT | FL_ZERO)) || prec >= 0)
		if (!(flags & FL_LEFT))
			out_pad(o, ' ', width - total);
	if (sign)
		out_char(o, sign);
	for (int i = 0; i < prefix_len; i++)
		out_char(o, prefix[i]);
	if ((flags & FL_ZERO) && !(flags & FL_LEFT) && prec < 0)
		out_pad(o, '0', width - total);
	out_pad(o, '0', digits_len - n);
	while (n)
		out_char(o, tmp[--n]);
	if (flags & FL_LEFT)
		out_pad(o, ' ', width - total);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct outbuf o = { .buf = buf, .size = size, .len = 0 };

	for (; *fmt; fmt++) {
		int flags = 0, width = -1, prec = -1, lng = 0;
		unsigned int base = 10;
		bool is_signed = false;
		unsigned long long uv;

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		for (;;) {
			fmt++;
			if (*fmt == '-')
				flags |= FL_LEFT;
			else if (*fmt == '0')
				flags |= FL_ZERO;
			else if (*fmt == '+')
				flags |= FL_PLUS;
			else if (*fmt == ' ')
				flags |= FL_SPACE;
			else if (*fmt == '#')
				flags |= FL_ALT;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(args, int);
			if (width < 0) {
				flags |= FL_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
				width = width * 10 + (*fmt - '0');
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				prec = va_arg(args, int);
				fmt++;
			} else {
				for (prec = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
					prec = prec * 10 + (*fmt - '0');
			}
		}
		while (*fmt == 'l' || *fmt == 'z' || *fmt == 'h' || *fmt == 't') {
			if (*fmt == 'l' || *fmt == 'z' || *fmt == 't')
				lng++;
			fmt++;
		}

		switch (*fmt) {
		case 'c':
			if (!(flags & FL_LEFT))
				out_pad(&o, ' ', width - 1);
			out_char(&o, (char)va_arg(args, int));
			if (flags & FL_LEFT)
				out_pad(&o, ' ', width - 1);
			continue;
		case 's':
			out_string(&o, va_arg(args, const char *), width, prec, flags);
			continue;
		case 'p': {
			unsigned long addr = (unsigned long)va_arg(args, void *);

			if (fmt[1] == 'S') {
				char sym[128];

				fmt++;
				ksym_format(addr, sym, sizeof(sym));
				out_string(&o, sym, width, prec, flags);
				continue;
			}
			out_number(&o, addr, false, 16, width < 0 ? 0 : width, -1, flags | FL_ALT);
			continue;
		}
		case '%':
			out_char(&o, '%');
			continue;
		case 'd':
		case 'i':
			is_signed = true;
			break;
		case 'u':
			break;
		case 'X':
			flags |= FL_UPPER;
			base = 16;
			break;
		case 'x':
			base = 16;
			break;
		case 'o':
			base = 8;
			break;
		case '\0':
			fmt--;
			continue;
		default:
			out_char(&o, '%');
			out_char(&o, *fmt);
			continue;
		}

		if (is_signed) {
			long long sv = lng >= 1 ? va_arg(args, long) : va_arg(args, int);

			uv = sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv;
			out_number(&o, uv, sv < 0, base, width, prec, flags);
		} else {
			uv = lng >= 1 ? va_arg(args, unsigned long) : va_arg(args, unsigned int);
			out_number(&o, uv, false, base, width, prec, flags);
		}
	}
	if (size)
		o.buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}
