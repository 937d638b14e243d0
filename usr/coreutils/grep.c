/*
 * grep: print lines matching patterns, with musl's regcomp (basic, or -E
 * extended) or -F fixed strings. Patterns come from the operand or from
 * each -e, and a pattern holding newlines is one pattern per line.
 * Status 0 if a line was selected, 1 if none, 2 on error (unless -q found
 * a match, as POSIX allows).
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exobox.h"

static struct {
	int ext, fixed, icase, invert, count, number, list, quiet, recursive;
	int silent, names, no_names, whole_line, word;
} opt;

static char **pats;
static regex_t *res;
static int npats, error_seen;

static void pattern_add(const char *p)
{
	const char *nl;

	do {
		nl = strchr(p, '\n');
		pats = realloc(pats, (npats + 1) * sizeof(*pats));
		if (!pats)
			die("out of memory");
		pats[npats++] = nl ? strndup(p, nl - p) : strdup(p);
		p = nl + 1;
	} while (nl);
}

static void patterns_compile(void)
{
	int flags = (opt.ext ? REG_EXTENDED : 0) | (opt.icase ? REG_ICASE : 0);

	if (opt.fixed)
		return;
	res = calloc(npats, sizeof(*res));
	for (int i = 0; i < npats; i++) {
		char *p = pats[i];
		int err;

		if (opt.whole_line) {
			p = malloc(strlen(pats[i]) + 8);
			sprintf(p, opt.ext ? "^(%s)$" : "^\\(%s\\)$", pats[i]);
		}
		err = regcomp(&res[i], p, flags);
		if (err) {
			char msg[256];

			regerror(err, &res[i], msg, sizeof(msg));
			warn("%s", msg);
			exit(2);
		}
		if (p != pats[i])
			free(p);
	}
}

static int is_word(int c)
{
	return isalnum(c) || c == '_';
}

static const char *fixed_find(const char *hay, const char *needle)
{
	return opt.icase ? strcasestr(hay, needle) : strstr(hay, needle);
}

/* Does pattern i match line at a word boundary (or at all without -w)? */
static int match_one(int i, const char *line, size_t len)
{
	const char *p = line;

	for (;;) {
		size_t so, eo;

		if (opt.fixed) {
			const char *hit;
			size_t plen = strlen(pats[i]);

			if (opt.whole_line)
				return len == plen && !(opt.icase ? strcasecmp(line, pats[i]) : strcmp(line, pats[i]));
			hit = fixed_find(p, pats[i]);
			if (!hit)
				return 0;
			so = hit - line;
			eo = so + plen;
		} else {
			regmatch_t m;

			if (regexec(&res[i], p, 1, &m, p == line ? 0 : REG_NOTBOL))
				return 0;
			so = p - line + m.rm_so;
			eo = p - line + m.rm_eo;
		}
		if (!opt.word)
			return 1;
		if ((so == 0 || !is_word((unsigned char)line[so - 1])) &&
		    (eo == len || !is_word((unsigned char)line[eo])) && eo > so)
			return 1;
		if (so >= len)
			return 0;
		p = line + so + 1;
	}
}

static int line_matches(const char *line, size_t len)
{
	for (int i = 0; i < npats; i++)
		if (match_one(i, line, len))
			return 1;
	return 0;
}

/* Returns the number of selected lines. */
static long grep_fd(int fd, const char *name)
{
	FILE *f = fdopen(fd, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long count = 0, lineno = 0;

	if (!f)
		die_errno("fdopen");
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		lineno++;
		if (line_matches(line, len) == opt.invert)
			continue;
		count++;
		if (opt.quiet)
			exit(0);
		if (opt.list)
			break;
		if (opt.count)
			continue;
		if (opt.names)
			printf("%s:", name);
		if (opt.number)
			printf("%ld:", lineno);
		fwrite(line, 1, len, stdout);
		putchar('\n');
	}
	free(line);
	if (opt.count) {
		if (opt.names)
			printf("%s:", name);
		printf("%ld\n", count);
	}
	if (opt.list && count)
		printf("%s\n", name);
	if (fd)
		fclose(f);
	return count;
}

static long grep_path(const char *path, int top)
{
	struct stat st;
	long found = 0;

	if (!strcmp(path, "-") && top)
		return grep_fd(0, "(standard input)");
	if (stat(path, &st)) {
		if (!opt.silent)
			warn_errno("%s", path);
		error_seen = 1;
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		struct dirent *de;
		DIR *d;

		if (!opt.recursive) {
			if (!opt.silent)
				warn("%s: Is a directory", path);
			return 0;
		}
		d = opendir(path);
		if (!d) {
			if (!opt.silent)
				warn_errno("%s", path);
			error_seen = 1;
			return 0;
		}
		while ((de = readdir(d))) {
			char *sub;

			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			sub = path_join(path, de->d_name);
			found += grep_path(sub, 0);
			free(sub);
		}
		closedir(d);
		return found;
	}
	{
		int fd = open(path, O_RDONLY);

		if (fd < 0) {
			if (!opt.silent)
				warn_errno("%s", path);
			error_seen = 1;
			return 0;
		}
		return grep_fd(fd, path);
	}
}

int grep_main(int argc, char **argv)
{
	long found = 0;
	int c, nfiles;

	while ((c = getopt(argc, argv, "EFGivcnlqsrRhHxwe:f:")) != -1) {
		switch (c) {
		case 'E': opt.ext = 1; break;
		case 'F': opt.fixed = 1; break;
		case 'G': opt.ext = opt.fixed = 0; break;
		case 'i': opt.icase = 1; break;
		case 'v': opt.invert = 1; break;
		case 'c': opt.count = 1; break;
		case 'n': opt.number = 1; break;
		case 'l': opt.list = 1; break;
		case 'q': opt.quiet = 1; break;
		case 's': opt.silent = 1; break;
		case 'r': case 'R': opt.recursive = 1; break;
		case 'h': opt.no_names = 1; break;
		case 'H': opt.names = 1; break;
		case 'x': opt.whole_line = 1; break;
		case 'w': opt.word = 1; break;
		case 'e': pattern_add(optarg); break;
		case 'f': {
			size_t len = 0;
			char *buf = NULL;
			FILE *f = fopen(optarg, "r");
			ssize_t n;

			if (!f) {
				warn_errno("%s", optarg);
				exit(2);
			}
			while ((n = getline(&buf, &len, f)) >= 0) {
				if (n && buf[n - 1] == '\n')
					buf[n - 1] = '\0';
				pattern_add(buf);
			}
			free(buf);
			fclose(f);
			break;
		}
		default: usage();
		}
	}
	if (!npats) {
		if (optind == argc)
			usage();
		pattern_add(argv[optind++]);
	}
	patterns_compile();
	nfiles = argc - optind;
	if (!nfiles && opt.recursive) {
		argv[--optind] = ".";
		nfiles = 1;
	}
	if ((nfiles > 1 || opt.recursive) && !opt.no_names)
		opt.names = 1;
	if (opt.no_names)
		opt.names = 0;
	if (!nfiles)
		found = grep_fd(0, "(standard input)");
	for (int i = optind; i < argc; i++)
		found += grep_path(argv[i], 1);
	if (fflush(stdout))
		return 2;
	if (error_seen && !(opt.quiet && found))
		return 2;
	return found ? 0 : 1;
}
