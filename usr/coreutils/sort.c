/*
 * sort: sort lines in memory, bytewise (the C locale).
 *
 * Keys: -k F[.C][nrbf][,G[.C][nrbf]], fields split at -t SEP or, without
 * it, before each run of blanks (a field keeps its leading blanks unless b
 * is given). Options given without a key apply to the whole line and to
 * keys with no flags of their own. Lines that compare equal on every key
 * are ordered by their full bytes (GNU's last resort) unless -u or -s; -u
 * keeps the first of each equal run.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exobox.h"

#define MAX_KEYS 16

struct key {
	int sf, sc, ef, ec;	/* start/end field and char, 1-based; ef 0 = end of line */
	int numeric, reverse, blanks, fold;
};

struct line {
	char *s;
	size_t len;
	size_t idx;		/* input order, the tie-break for -s and -u */
};

static struct key keys[MAX_KEYS], global;
static int nkeys, unique, stable;
static int sep = -1;

static const char *field_start(const char *s, const char *end, int field, int skip_blanks)
{
	const char *p = s;

	for (int f = 1; f < field && p < end; f++) {
		if (sep >= 0) {
			const char *q = memchr(p, sep, end - p);

			p = q ? q + 1 : end;
		} else {
			while (p < end && isblank((unsigned char)*p))
				p++;
			while (p < end && !isblank((unsigned char)*p))
				p++;
		}
	}
	if (skip_blanks)
		while (p < end && isblank((unsigned char)*p))
			p++;
	return p;
}

static const char *field_end(const char *s, const char *end, int field)
{
	const char *p = field_start(s, end, field, 0);

	if (sep >= 0) {
		const char *q = memchr(p, sep, end - p);

		return q ? q : end;
	}
	while (p < end && isblank((unsigned char)*p))
		p++;
	while (p < end && !isblank((unsigned char)*p))
		p++;
	return p;
}

static void key_extract(const struct key *k, const struct line *l, const char **b, const char **e)
{
	const char *end = l->s + l->len, *p, *q;

	p = field_start(l->s, end, k->sf, k->blanks);
	if (k->sc > 1)
		p = (end - p > k->sc - 1) ? p + k->sc - 1 : end;
	if (!k->ef) {
		q = end;
	} else if (!k->ec) {
		q = field_end(l->s, end, k->ef);
	} else {
		q = field_start(l->s, end, k->ef, k->blanks);
		q = (end - q > k->ec) ? q + k->ec : end;
	}
	if (q < p)
		q = p;
	*b = p;
	*e = q;
}

static long double num_value(const char *p, const char *e)
{
	char buf[64];
	size_t n;

	while (p < e && isblank((unsigned char)*p))
		p++;
	n = e - p < 63 ? (size_t)(e - p) : 63;
	memcpy(buf, p, n);
	buf[n] = '\0';
	/* Only sign, digits and one decimal point count: "1e3" is 1 to sort -n. */
	for (size_t i = 0; i < n; i++) {
		if (!(isdigit((unsigned char)buf[i]) || buf[i] == '.' || (i == 0 && buf[i] == '-'))) {
			buf[i] = '\0';
			break;
		}
	}
	return strtold(buf, NULL);
}

static int compare_range(const struct key *k, const char *a, const char *ae, const char *b,
			 const char *be)
{
	int r;

	if (k->numeric) {
		long double x = num_value(a, ae), y = num_value(b, be);

		r = x < y ? -1 : x > y;
	} else {
		size_t la = ae - a, lb = be - b, n = la < lb ? la : lb;

		r = 0;
		for (size_t i = 0; i < n && !r; i++) {
			int ca = (unsigned char)a[i], cb = (unsigned char)b[i];

			if (k->fold) {
				ca = toupper(ca);
				cb = toupper(cb);
			}
			r = ca - cb;
		}
		if (!r)
			r = la < lb ? -1 : la > lb;
	}
	return k->reverse ? -r : r;
}

static int line_cmp(const void *pa, const void *pb)
{
	const struct line *a = pa, *b = pb;
	size_t n;
	int r;

	for (int i = 0; i < (nkeys ? nkeys : 1); i++) {
		const struct key *k = nkeys ? &keys[i] : &global;
		const char *ab, *ae, *bb, *be;

		key_extract(k, a, &ab, &ae);
		key_extract(k, b, &bb, &be);
		r = compare_range(k, ab, ae, bb, be);
		if (r)
			return r;
	}
	if (unique || stable)
		return 0;
	n = a->len < b->len ? a->len : b->len;
	r = memcmp(a->s, b->s, n);
	if (!r)
		r = a->len < b->len ? -1 : a->len > b->len;
	return global.reverse ? -r : r;
}

static int line_order(const void *pa, const void *pb)
{
	const struct line *a = pa, *b = pb;
	int r = line_cmp(a, b);

	if (r)
		return r;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static const char *key_flags(const char *p, struct key *k)
{
	for (; *p && strchr("nrbfdg", *p); p++) {
		switch (*p) {
		case 'n': case 'g': k->numeric = 1; break;
		case 'r': k->reverse = 1; break;
		case 'b': k->blanks = 1; break;
		case 'f': k->fold = 1; break;
		}
	}
	return p;
}

static void key_parse(const char *s)
{
	struct key *k = &keys[nkeys];
	char *end;

	if (nkeys == MAX_KEYS)
		die("too many keys");
	memset(k, 0, sizeof(*k));
	k->sf = strtol(s, &end, 10);
	if (end == s || k->sf < 1)
		die("invalid number at field start: invalid count at start of '%s'", s);
	if (*end == '.')
		k->sc = strtol(end + 1, &end, 10);
	end = (char *)key_flags(end, k);
	if (*end == ',') {
		k->ef = strtol(end + 1, &end, 10);
		if (k->ef < 1)
			die("invalid number after ',': invalid count at start of '%s'", s);
		if (*end == '.')
			k->ec = strtol(end + 1, &end, 10);
		end = (char *)key_flags(end, k);
	}
	if (*end)
		die("stray character in field spec: invalid field specification '%s'", s);
	nkeys++;
}

static void read_lines(FILE *f, struct line **v, size_t *n, size_t *cap)
{
	char *buf = NULL;
	size_t bcap = 0;
	ssize_t len;

	while ((len = getline(&buf, &bcap, f)) >= 0) {
		if (len && buf[len - 1] == '\n')
			len--;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 1024;
			*v = realloc(*v, *cap * sizeof(**v));
			if (!*v)
				die("out of memory");
		}
		(*v)[*n].s = malloc(len + 1);
		if (!(*v)[*n].s)
			die("out of memory");
		memcpy((*v)[*n].s, buf, len);
		(*v)[*n].s[len] = '\0';
		(*v)[*n].len = len;
		(*v)[*n].idx = *n;
		(*n)++;
	}
	free(buf);
}

int sort_main(int argc, char **argv)
{
	struct line *v = NULL;
	size_t n = 0, cap = 0;
	const char *outfile = NULL;
	FILE *out = stdout;
	int c, ret = 0;

	while ((c = getopt(argc, argv, "nrufbsgdt:k:o:")) != -1) {
		switch (c) {
		case 'n': case 'g': global.numeric = 1; break;
		case 'r': global.reverse = 1; break;
		case 'u': unique = 1; break;
		case 'f': global.fold = 1; break;
		case 'b': global.blanks = 1; break;
		case 's': stable = 1; break;
		case 'd': break;
		case 't':
			if (strlen(optarg) != 1 && strcmp(optarg, "\\0"))
				die("multi-character tab '%s'", optarg);
			sep = strcmp(optarg, "\\0") ? (unsigned char)optarg[0] : 0;
			break;
		case 'k': key_parse(optarg); break;
		case 'o': outfile = optarg; break;
		default: usage();
		}
	}
	global.sf = 1;
	for (int i = 0; i < nkeys; i++) {
		struct key *k = &keys[i];

		if (!k->numeric && !k->reverse && !k->blanks && !k->fold) {
			k->numeric = global.numeric;
			k->reverse = global.reverse;
			k->blanks = global.blanks;
			k->fold = global.fold;
		}
	}
	if (optind == argc)
		argv[--optind] = "-";
	for (int i = optind; i < argc; i++) {
		FILE *f = strcmp(argv[i], "-") ? fopen(argv[i], "r") : stdin;

		if (!f) {
			warn_errno("cannot read: %s", argv[i]);
			return 2;
		}
		read_lines(f, &v, &n, &cap);
		if (f != stdin)
			fclose(f);
	}
	qsort(v, n, sizeof(*v), line_order);
	if (outfile && !(out = fopen(outfile, "w")))
		die_errno("open failed: %s", outfile);
	for (size_t i = 0; i < n; i++) {
		if (unique && i && !line_cmp(&v[i - 1], &v[i]))
			continue;
		fwrite(v[i].s, 1, v[i].len, out);
		putc('\n', out);
	}
	if (fflush(out))
		ret = 2;
	return ret;
}
