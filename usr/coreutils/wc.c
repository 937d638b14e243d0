/*
 * wc: lines, words and bytes (-l -w -c; -m counts bytes too: no locales).
 * Column width follows GNU: 1 for a single count of a single input, else
 * the digits of the total size of the regular-file inputs, at least 7 when
 * any input is not a regular file (a pipe's size is unknown beforehand).
 */
#include <ctype.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exobox.h"

struct counts {
	unsigned long long lines, words, bytes;
};

static int show_l, show_w, show_c, width;

static int count_fd(int fd, struct counts *c)
{
	char buf[65536];
	int in_word = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		c->bytes += n;
		for (ssize_t i = 0; i < n; i++) {
			unsigned char ch = buf[i];

			if (ch == '\n')
				c->lines++;
			if (isspace(ch)) {
				in_word = 0;
			} else if (isprint(ch) && !in_word) {
				in_word = 1;
				c->words++;
			}
		}
	}
	return n < 0 ? -1 : 0;
}

static void print_counts(const struct counts *c, const char *name)
{
	const char *sep = "";

	if (show_l) {
		printf("%*llu", width, c->lines);
		sep = " ";
	}
	if (show_w) {
		printf("%s%*llu", sep, width, c->words);
		sep = " ";
	}
	if (show_c)
		printf("%s%*llu", sep, width, c->bytes);
	if (name)
		printf(" %s", name);
	putchar('\n');
}

int wc_main(int argc, char **argv)
{
	struct counts total = { 0 };
	unsigned long long regular = 0;
	int c, ret = 0, nfiles, min_width = 1;

	while ((c = getopt(argc, argv, "lwcm")) != -1) {
		switch (c) {
		case 'l': show_l = 1; break;
		case 'w': show_w = 1; break;
		case 'c': case 'm': show_c = 1; break;
		default: usage();
		}
	}
	if (!show_l && !show_w && !show_c)
		show_l = show_w = show_c = 1;
	nfiles = argc - optind;
	for (int i = optind; i < argc || (i == optind && !nfiles); i++) {
		struct stat st;
		int ok = nfiles ? !stat(argv[i], &st) : !fstat(0, &st);

		if (ok && S_ISREG(st.st_mode) && !(nfiles && !strcmp(argv[i], "-")))
			regular += st.st_size;
		else if (ok || (nfiles && !strcmp(argv[i], "-")))
			min_width = 7;
	}
	for (width = 1; regular >= 10; regular /= 10)
		width++;
	if (width < min_width)
		width = min_width;
	if (show_l + show_w + show_c == 1 && nfiles <= 1)
		width = 1;
	for (int i = optind; i < argc || (i == optind && !nfiles); i++) {
		struct counts cnt = { 0 };
		const char *name = nfiles ? argv[i] : NULL;
		int fd = !name || !strcmp(name, "-") ? 0 : open(name, O_RDONLY);

		if (fd < 0 || count_fd(fd, &cnt)) {
			warn_errno("%s", name ? name : "-");
			ret = 1;
			if (fd > 0)
				close(fd);
			continue;
		}
		if (fd > 0)
			close(fd);
		print_counts(&cnt, name);
		total.lines += cnt.lines;
		total.words += cnt.words;
		total.bytes += cnt.bytes;
	}
	if (nfiles > 1)
		print_counts(&total, "total");
	return ret;
}
