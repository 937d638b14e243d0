/*
 * tr: translate, delete (-d) or squeeze (-s) bytes.
 *
 * A SET expands to a list of bytes: ranges "a-z", escapes (\n \t \\ \NNN
 * ...), classes "[:alpha:]" and the other POSIX ones, "[=c=]", and in SET2
 * "[c*n]" (n copies, octal with a leading 0) or "[c*]" (as many as SET1
 * needs). -c uses the complement of SET1 in byte order. When SET2 is
 * shorter than SET1 its last byte is repeated, as GNU does.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exobox.h"

struct set {
	unsigned char c[4096];
	int n;
	int fill_at;		/* position of a "[c*]", or -1 */
};

static const struct {
	const char *name;
	int (*fn)(int);
} classes[] = {
	{ "alnum", isalnum }, { "alpha", isalpha }, { "blank", isblank }, { "cntrl", iscntrl },
	{ "digit", isdigit }, { "graph", isgraph }, { "lower", islower }, { "print", isprint },
	{ "punct", ispunct }, { "space", isspace }, { "upper", isupper }, { "xdigit", isxdigit },
};

static void set_add(struct set *s, int c)
{
	if (s->n == (int)sizeof(s->c))
		die("set too large");
	s->c[s->n++] = c;
}

/* One possibly escaped byte at *pp. */
static int set_char(const char **pp)
{
	const char *p = *pp;
	int c;

	if (*p != '\\' || !p[1]) {
		*pp = p + 1;
		return (unsigned char)*p;
	}
	p++;
	if (*p >= '0' && *p <= '7') {
		c = 0;
		for (int i = 0; i < 3 && *p >= '0' && *p <= '7'; i++)
			c = c * 8 + *p++ - '0';
		*pp = p;
		return c & 0xff;
	}
	switch (*p) {
	case 'a': c = '\a'; break;
	case 'b': c = '\b'; break;
	case 'f': c = '\f'; break;
	case 'n': c = '\n'; break;
	case 'r': c = '\r'; break;
	case 't': c = '\t'; break;
	case 'v': c = '\v'; break;
	default: c = (unsigned char)*p; break;
	}
	*pp = p + 1;
	return c;
}

static void set_parse(struct set *s, const char *p, int is_set2)
{
	s->n = 0;
	s->fill_at = -1;
	while (*p) {
		if (p[0] == '[' && p[1] == ':') {
			const char *end = strstr(p + 2, ":]");
			size_t i;

			for (i = 0; end && i < sizeof(classes) / sizeof(classes[0]); i++) {
				if (strlen(classes[i].name) == (size_t)(end - p - 2) &&
				    !strncmp(p + 2, classes[i].name, end - p - 2))
					break;
			}
			if (end && i < sizeof(classes) / sizeof(classes[0])) {
				for (int c = 0; c < 256; c++)
					if (classes[i].fn(c))
						set_add(s, c);
				p = end + 2;
				continue;
			}
			if (end)
				die("invalid character class '%.*s'", (int)(end - p - 2), p + 2);
		}
		if (p[0] == '[' && p[1] == '=' && p[2] && p[3] == '=' && p[4] == ']') {
			set_add(s, (unsigned char)p[2]);
			p += 5;
			continue;
		}
		if (p[0] == '[' && p[1] && p[2] == '*' && is_set2) {
			const char *q = p + 1;
			int c = set_char(&q);
			char *end;
			long n;

			if (*q == '*') {
				n = strtol(q + 1, &end, *(q + 1) == '0' ? 8 : 10);
				if (*end == ']') {
					if (end == q + 1) {
						s->fill_at = s->n;
						set_add(s, c);
					} else {
						while (n-- > 0)
							set_add(s, c);
					}
					p = end + 1;
					continue;
				}
			}
		}
		{
			int lo = set_char(&p);

			if (*p == '-' && p[1]) {
				int hi;

				p++;
				hi = set_char(&p);
				if (hi < lo)
					die("range-endpoints of '%c-%c' are in reverse collating sequence order",
					    lo, hi);
				for (int c = lo; c <= hi; c++)
					set_add(s, c);
			} else {
				set_add(s, lo);
			}
		}
	}
}

int tr_main(int argc, char **argv)
{
	static struct set s1, s2;
	int c, del = 0, squeeze = 0, comp = 0, nsets;
	unsigned char map[256], in1[256] = { 0 }, in2[256] = { 0 };
	unsigned char buf[4096];
	int last = -1;
	ssize_t n;

	while ((c = getopt(argc, argv, "cCdst")) != -1) {
		switch (c) {
		case 'c': case 'C': comp = 1; break;
		case 'd': del = 1; break;
		case 's': squeeze = 1; break;
		case 't': break;
		default: usage();
		}
	}
	nsets = argc - optind;
	if (nsets < 1 || nsets > 2 || (del && !squeeze && nsets != 1) ||
	    (!del && !squeeze && nsets != 2) || (del && squeeze && nsets != 2)) {
		if (nsets < 1)
			warn("missing operand");
		else if (nsets > 2 || (del && !squeeze))
			warn("extra operand '%s'", argv[argc - 1]);
		else
			warn("missing operand after '%s'", argv[argc - 1]);
		usage();
	}
	set_parse(&s1, argv[optind], 0);
	if (nsets == 2)
		set_parse(&s2, argv[optind + 1], 1);
	if (comp) {
		int present[256] = { 0 };

		for (int i = 0; i < s1.n; i++)
			present[s1.c[i]] = 1;
		s1.n = 0;
		for (int i = 0; i < 256; i++)
			if (!present[i])
				set_add(&s1, i);
	}
	for (int i = 0; i < 256; i++)
		map[i] = i;
	for (int i = 0; i < s1.n; i++)
		in1[s1.c[i]] = 1;
	if (!del && nsets == 2) {
		if (s2.fill_at >= 0 && s2.n < s1.n) {
			int extra = s1.n - s2.n;

			memmove(s2.c + s2.fill_at + extra, s2.c + s2.fill_at, s2.n - s2.fill_at);
			memset(s2.c + s2.fill_at, s2.c[s2.fill_at + extra], extra);
			s2.n += extra;
		}
		if (!s2.n)
			die("when not truncating set1, string2 must be non-empty");
		for (int i = 0; i < s1.n; i++)
			map[s1.c[i]] = s2.c[i < s2.n ? i : s2.n - 1];
	}
	/* Squeezing applies to the last set given. */
	if (squeeze) {
		const struct set *sq = nsets == 2 ? &s2 : &s1;

		for (int i = 0; i < sq->n; i++)
			in2[sq->c[i]] = 1;
	}
	while ((n = read(0, buf, sizeof(buf))) > 0) {
		unsigned char out[sizeof(buf)];
		size_t o = 0;

		for (ssize_t i = 0; i < n; i++) {
			int ch = buf[i];

			if (del && in1[ch])
				continue;
			ch = map[ch];
			if (squeeze && in2[ch] && ch == last)
				continue;
			last = ch;
			out[o++] = ch;
		}
		if (write_all(1, out, o))
			die_errno("write error");
	}
	return 0;
}
