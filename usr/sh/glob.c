/*
 * Pattern matching notation (XCU 2.13): '*', '?', bracket expressions with
 * ranges, '!'/'^' negation and [:class:], and '\' quoting the next
 * character (expand.c escapes quoted characters that way).
 *
 * Pathname expansion matches one path component at a time against the
 * directory entries; a leading '.' must be matched explicitly; the matches
 * of one pattern are sorted by strcmp. No match leaves the word alone (the
 * caller keeps it).
 */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sh.h"

static int class_match(const char *cls, size_t n, int c)
{
	static const struct {
		const char *name;
		int (*fn)(int);
	} classes[] = {
		{"alpha", isalpha}, {"digit", isdigit}, {"alnum", isalnum},   {"upper", isupper},
		{"lower", islower}, {"space", isspace}, {"punct", ispunct},   {"print", isprint},
		{"graph", isgraph}, {"cntrl", iscntrl}, {"xdigit", isxdigit}, {"blank", isblank},
	};

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strlen(classes[i].name) == n && !strncmp(classes[i].name, cls, n))
			return classes[i].fn(c) != 0;
	return 0;
}

/*
 * p at '[': returns 1 if c matches, 0 if not, -1 if the bracket is not
 * closed (then '[' is an ordinary character). *end gets the text after ']'.
 */
static int bracket_match(const char *p, int c, const char **end)
{
	const char *q = p + 1;
	int neg = 0, found = 0;

	if (*q == '!' || *q == '^') {
		neg = 1;
		q++;
	}
	const char *start = q;

	while (*q && (*q != ']' || q == start)) {
		int lo;

		if (q[0] == '[' && q[1] == ':') {
			const char *ce = strstr(q + 2, ":]");

			if (ce) {
				found |= class_match(q + 2, ce - q - 2, c);
				q = ce + 2;
				continue;
			}
		}
		if (*q == '\\' && q[1])
			q++;
		lo = (unsigned char)*q++;
		if (q[0] == '-' && q[1] && q[1] != ']') {
			int hi;

			q++;
			if (*q == '\\' && q[1])
				q++;
			hi = (unsigned char)*q++;
			if (c >= lo && c <= hi)
				found = 1;
		} else if (c == lo) {
			found = 1;
		}
	}
	if (*q != ']')
		return -1;
	*end = q + 1;
	return found ^ neg;
}

int pattern_match(const char *p, const char *s)
{
	for (;;) {
		switch (*p) {
		case 0:
			return !*s;
		case '*':
			while (*p == '*')
				p++;
			if (!*p)
				return 1;
			for (;;) {
				if (pattern_match(p, s))
					return 1;
				if (!*s)
					return 0;
				s++;
			}
		case '?':
			if (!*s)
				return 0;
			p++, s++;
			continue;
		case '[': {
			const char *end;
			int r;

			if (!*s)
				return 0;
			r = bracket_match(p, (unsigned char)*s, &end);
			if (r >= 0) {
				if (!r)
					return 0;
				p = end;
				s++;
				continue;
			}
			break;
		}
		case '\\':
			if (p[1])
				p++;
			break;
		}
		if (*p != *s)
			return 0;
		p++, s++;
	}
}

int pattern_has_magic(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '*' || *p == '?' || *p == '[')
			return 1;
	}
	return 0;
}

static char *unescape(const char *p, size_t n)
{
	char *r = xmalloc(n + 1), *o = r;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\' && i + 1 < n)
			i++;
		*o++ = p[i];
	}
	*o = 0;
	return r;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* dir is "" or ends in '/'; pat is the rest of the pattern. */
static void glob_dir(const char *dir, const char *pat, struct strvec *out)
{
	const char *slash = pat;

	while (*slash && *slash != '/') {
		if (*slash == '\\' && slash[1])
			slash++;
		slash++;
	}
	size_t clen = slash - pat;
	char *comp = xstrndup(pat, clen);
	const char *rest = *slash ? slash + 1 : NULL;

	while (rest && *rest == '/')
		rest++;

	if (!pattern_has_magic(comp)) {
		char *lit = unescape(comp, clen);
		char *path = xmalloc(strlen(dir) + strlen(lit) + 2);
		struct stat st;

		strcpy(path, dir);
		strcat(path, lit);
		if (rest) {
			strcat(path, "/");
			glob_dir(path, rest, out);
		} else if (lstat(path, &st) == 0) {
			sv_push(out, xstrdup(path));
		}
		free(path);
		free(lit);
		free(comp);
		return;
	}

	DIR *d = opendir(*dir ? dir : ".");
	struct dirent *de;

	if (!d) {
		free(comp);
		return;
	}
	while ((de = readdir(d))) {
		const char *name = de->d_name;

		if (name[0] == '.' && comp[0] != '.')
			continue;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			if (strcmp(comp, name))
				continue;
		if (!pattern_match(comp, name))
			continue;
		char *path = xmalloc(strlen(dir) + strlen(name) + 2);

		strcpy(path, dir);
		strcat(path, name);
		if (rest) {
			struct stat st;

			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
				strcat(path, "/");
				glob_dir(path, rest, out);
			}
			free(path);
		} else {
			sv_push(out, path);
		}
	}
	closedir(d);
	free(comp);
}

int glob_expand(const char *pat, struct strvec *out)
{
	struct strvec m = {0};
	const char *dir = "";

	if (pat[0] == '/') {
		dir = "/";
		while (*pat == '/')
			pat++;
	}
	glob_dir(dir, pat, &m);
	if (m.n > 1)
		qsort(m.v, m.n, sizeof(char *), str_cmp);
	for (int i = 0; i < m.n; i++)
		sv_push(out, m.v[i]);
	free(m.v);
	return m.n;
}
