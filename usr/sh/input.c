/*
 * Where command text comes from: a stack of sources (script file, stdin,
 * the line editor, strings for eval and $(...)). The lexer pulls one
 * character at a time with input_getc() and may push a few back.
 *
 * Text is taken a line at a time. When the shell reads its commands from
 * standard input that is not a terminal, each read() asks for one byte:
 * a command such as "read" or "head" in the script must find the rest of
 * stdin unconsumed, as POSIX requires.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

#define INPUT_BUFSZ 4096
#define INPUT_PUSHBACK 8

struct input {
	struct input *prev;
	int fd; /* -1 for a string source */
	int interactive;
	char *str; /* string source, owned */
	size_t spos;
	char *buf; /* fd source read buffer */
	size_t blen, bpos;
	struct strbuf line; /* fd source: current line */
	size_t lpos;
	int push[INPUT_PUSHBACK];
	int npush;
	int lineno;
	int eof;
};

static struct input *in;
static int want_ps2;

void input_push_fd(int fd, int interactive)
{
	struct input *i = xmalloc(sizeof(*i));

	memset(i, 0, sizeof(*i));
	i->fd = fd;
	i->interactive = interactive;
	i->buf = xmalloc(INPUT_BUFSZ);
	i->lineno = 1;
	i->prev = in;
	in = i;
}

void input_push_string(const char *s)
{
	struct input *i = xmalloc(sizeof(*i));

	memset(i, 0, sizeof(*i));
	i->fd = -1;
	i->str = xstrdup(s);
	i->lineno = in ? in->lineno : 1;
	i->prev = in;
	in = i;
}

void input_pop(void)
{
	struct input *i = in;

	in = i->prev;
	free(i->str);
	free(i->buf);
	sb_free(&i->line);
	free(i);
}

void input_set_ps2(int on)
{
	want_ps2 = on;
}

int input_lineno(void)
{
	return in ? in->lineno : 0;
}

/* Returns the next byte of an fd source, or -1 at end of file. */
static int input_fd_byte(struct input *i)
{
	if (i->bpos == i->blen) {
		ssize_t r;
		size_t want = i->fd == 0 ? 1 : INPUT_BUFSZ;

		do
			r = read(i->fd, i->buf, want);
		while (r < 0 && errno == EINTR);
		if (r <= 0)
			return -1;
		i->blen = r;
		i->bpos = 0;
	}
	return (unsigned char)i->buf[i->bpos++];
}

static int input_fill_line(struct input *i)
{
	int c;

	i->line.len = 0;
	i->lpos = 0;
	if (i->interactive) {
		const char *p = var_get(want_ps2 ? "PS2" : "PS1");

		if (!want_ps2)
			jobs_notify();
		want_ps2 = 1;
		if (lineedit_read(p ? p : "", &i->line) < 0)
			return -1;
		return 0;
	}
	while ((c = input_fd_byte(i)) >= 0) {
		sb_addc(&i->line, c);
		if (c == '\n')
			break;
	}
	if (!i->line.len)
		return -1;
	if (sh.opt_v)
		xwrite(2, i->line.s, i->line.len);
	return 0;
}

int input_getc(void)
{
	struct input *i = in;
	int c;

	if (i->npush)
		return i->push[--i->npush];
	if (i->eof)
		return -1;
	if (i->fd < 0) {
		c = (unsigned char)i->str[i->spos];
		if (!c) {
			i->eof = 1;
			return -1;
		}
		i->spos++;
	} else {
		if (i->lpos == i->line.len && input_fill_line(i) < 0) {
			i->eof = 1;
			return -1;
		}
		c = (unsigned char)i->line.s[i->lpos++];
	}
	if (c == '\n')
		i->lineno++;
	return c;
}

void input_ungetc(int c)
{
	if (c < 0)
		return;
	if (c == '\n')
		in->lineno--;
	if (in->npush < INPUT_PUSHBACK)
		in->push[in->npush++] = c;
}

void input_discard_line(void)
{
	in->npush = 0;
	if (in->fd >= 0)
		in->lpos = in->line.len;
	in->eof = 0;
	want_ps2 = 0;
}
