/*
 * head and tail.
 *   head [-n [-]N] [-c [-]N] [-N] FILE...  first N lines/bytes (-N: all but the last N)
 *   tail [-n [+]N] [-c [+]N] [-f] [-N|+N] FILE...  last N (+N: from the Nth on); -f follows
 * Several files get "==> name <==" headers, as GNU prints them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exobox.h"

struct hopts {
	long long n;
	int bytes;
	int from_start;		/* tail +N */
	int all_but;		/* head -n -N */
	int follow;
};

/* All of fd into a malloc'ed buffer. */
static char *slurp(int fd, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	ssize_t r;

	if (!buf)
		die("out of memory");
	while ((r = read(fd, buf + n, cap - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		n += r;
		if (n == cap && !(buf = realloc(buf, cap *= 2)))
			die("out of memory");
	}
	*len = n;
	return buf;
}

/* Offset just past the nth newline from the start, or len. */
static size_t after_lines(const char *b, size_t len, long long n)
{
	size_t i = 0;

	while (n > 0 && i < len) {
		const char *nl = memchr(b + i, '\n', len - i);

		if (!nl)
			return len;
		i = nl - b + 1;
		n--;
	}
	return i;
}

/* Offset of the start of the last n lines. */
static size_t last_lines(const char *b, size_t len, long long n)
{
	size_t i = len;

	if (n <= 0)
		return len;
	if (i && b[i - 1] == '\n')
		i--;
	while (i > 0) {
		if (b[i - 1] == '\n' && --n == 0)
			return i;
		i--;
	}
	return 0;
}

/* The first n lines or bytes, streamed: "yes | head" must end. */
static int head_stream(int fd, const struct hopts *o)
{
	long long left = o->n;
	char buf[4096];
	ssize_t n;

	while (left > 0 && (n = read(fd, buf, sizeof(buf))) != 0) {
		size_t take = 0;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (o->bytes) {
			take = (long long)n < left ? (size_t)n : (size_t)left;
			left -= take;
		} else {
			while (take < (size_t)n && left > 0)
				if (buf[take++] == '\n')
					left--;
		}
		if (write_all(1, buf, take))
			return -1;
	}
	return 0;
}

static int head_fd(int fd, const struct hopts *o)
{
	size_t len, end;
	char *b;

	if (!o->all_but)
		return head_stream(fd, o);
	b = slurp(fd, &len);
	if (!b)
		return -1;
	if (o->bytes)
		end = len > (size_t)o->n ? len - o->n : 0;
	else
		end = o->n ? last_lines(b, len, o->n) : len;
	write_all(1, b, end);
	free(b);
	return 0;
}

static int tail_fd(int fd, const struct hopts *o)
{
	size_t len, start;
	char *b = slurp(fd, &len);

	if (!b)
		return -1;
	if (o->bytes)
		start = o->from_start ? (o->n > 0 ? (size_t)o->n - 1 : 0) : (len > (size_t)o->n ? len - o->n : 0);
	else
		start = o->from_start ? after_lines(b, len, o->n - 1) : last_lines(b, len, o->n);
	if (start > len)
		start = len;
	write_all(1, b + start, len - start);
	free(b);
	return 0;
}

static void tail_follow(int fd)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0)
			write_all(1, buf, n);
		else
			usleep(250000);
	}
}

static int parse_count(const char *s, struct hopts *o, int is_tail)
{
	char *end;

	if (*s == '+' && is_tail) {
		o->from_start = 1;
		s++;
	} else if (*s == '-') {
		if (is_tail)
			s++;
		else {
			o->all_but = 1;
			s++;
		}
	}
	errno = 0;
	o->n = strtoll(s, &end, 10);
	if (end == s || errno || o->n < 0)
		return -1;
	/* GNU suffixes: b 512, k K 1024, m M 1048576. */
	if (*end == 'b')
		o->n *= 512, end++;
	else if (*end == 'k' || *end == 'K')
		o->n *= 1024, end++;
	else if (*end == 'm' || *end == 'M')
		o->n *= 1048576, end++;
	return *end ? -1 : 0;
}

static int headtail(int argc, char **argv, int is_tail)
{
	struct hopts o = { .n = 10 };
	int c, ret = 0, nfiles;

	/* Obsolete forms: head -5, tail -5, tail +5. */
	if (argc > 1 && (argv[1][0] == '-' || (is_tail && argv[1][0] == '+')) &&
	    argv[1][1] >= '0' && argv[1][1] <= '9') {
		if (parse_count(argv[1], &o, is_tail)) {
			warn("invalid number of lines: '%s'", argv[1]);
			usage();
		}
		if (!is_tail)
			o.all_but = 0;
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	while ((c = getopt(argc, argv, is_tail ? "n:c:fqv" : "n:c:qv")) != -1) {
		switch (c) {
		case 'n':
		case 'c':
			o.bytes = c == 'c';
			o.from_start = o.all_but = 0;
			if (parse_count(optarg, &o, is_tail))
				die("invalid number of %s: '%s'", c == 'c' ? "bytes" : "lines", optarg);
			break;
		case 'f': o.follow = 1; break;
		case 'q': case 'v': break;
		default: usage();
		}
	}
	nfiles = argc - optind;
	if (!nfiles)
		argv[--optind] = "-";
	for (int i = optind; i < argc; i++) {
		int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY) : 0;

		if (fd < 0) {
			warn_errno("cannot open '%s' for reading", argv[i]);
			ret = 1;
			continue;
		}
		if (nfiles > 1) {
			printf("%s==> %s <==\n", i > optind ? "\n" : "",
			       fd ? argv[i] : "standard input");
			fflush(stdout);
		}
		if ((is_tail ? tail_fd(fd, &o) : head_fd(fd, &o))) {
			warn_errno("error reading '%s'", argv[i]);
			ret = 1;
		}
		if (is_tail && o.follow && i == argc - 1)
			tail_follow(fd);
		if (fd)
			close(fd);
	}
	return ret;
}

int head_main(int argc, char **argv)
{
	return headtail(argc, argv, 0);
}

int tail_main(int argc, char **argv)
{
	return headtail(argc, argv, 1);
}
