/*
 * The interactive line editor: the terminal goes to raw mode (no echo, no
 * canonical input, no signal keys) for the time one line is read, and back
 * to its original mode before the line is returned.
 *
 * Keys: printable text inserts at the cursor; Left/Right (and ^B/^F) move;
 * Home/End and ^A/^E jump; Backspace and Delete (and ^D on a non-empty
 * line) erase; ^U kills to the start, ^K to the end, ^W the previous word;
 * Up/Down (and ^P/^N) walk the in-memory history; ^C abandons the line;
 * ^D on an empty line is end of input; ^L redraws.
 *
 * Redrawing writes only '\r', text, spaces and '\b', so it works on any
 * terminal that moves its cursor on backspace; only ^L sends an ANSI
 * sequence. It rewrites only what changed since the last redraw: on a serial
 * line a full redraw per key makes typing a line cost bytes quadratic in
 * its length, and a key typed at the end of the line costs one byte.
 * Single-line editing: a line wider than the terminal wraps and redraws
 * untidily.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sh.h"

#define HIST_MAX 500
#define KEY_DELETE 0x100 /* not a byte: the Delete key */

static char *hist[HIST_MAX];
static int nhist;

struct editor {
	struct strbuf buf;
	size_t pos;
	struct strbuf shown;	/* the text on screen after the prompt */
	size_t shown_pos;	/* the screen cursor, as an offset in shown */
	bool fresh_line;	/* the screen line is blank: redraw the prompt too */
	const char *prompt;
};

void lineedit_history_add(const char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == ' '))
		n--;
	if (!n || (nhist && !strncmp(hist[nhist - 1], line, n) && !hist[nhist - 1][n]))
		return;
	if (nhist == HIST_MAX) {
		free(hist[0]);
		memmove(hist, hist + 1, (HIST_MAX - 1) * sizeof(char *));
		nhist--;
	}
	hist[nhist++] = xstrndup(line, n);
}

static void ed_refresh(struct editor *e)
{
	struct strbuf out = {0};
	const char *text = e->buf.s ? e->buf.s : "";
	size_t same = 0, cur;

	if (e->fresh_line) {
		sb_addc(&out, '\r');
		sb_adds(&out, e->prompt);
		e->shown.len = e->shown_pos = 0;
		e->fresh_line = false;
	}
	while (same < e->buf.len && same < e->shown.len && text[same] == e->shown.s[same])
		same++;
	/* To the first difference: back with '\b', forward by writing what is there. */
	for (cur = e->shown_pos; cur > same; cur--)
		sb_addc(&out, '\b');
	if (cur < same)
		sb_addn(&out, text + cur, same - cur);
	sb_addn(&out, text + same, e->buf.len - same);
	for (cur = e->buf.len; cur < e->shown.len; cur++)
		sb_addc(&out, ' ');
	for (; cur > e->pos; cur--)
		sb_addc(&out, '\b');
	e->shown.len = 0;
	sb_addn(&e->shown, text, e->buf.len);
	e->shown_pos = e->pos;
	if (out.len)
		xwrite(2, out.s, out.len);
	sb_free(&out);
}

static void ed_set(struct editor *e, const char *s)
{
	e->buf.len = 0;
	sb_adds(&e->buf, s);
	e->pos = e->buf.len;
}

static void ed_delete(struct editor *e, size_t from, size_t to)
{
	memmove(e->buf.s + from, e->buf.s + to, e->buf.len - to);
	e->buf.len -= to - from;
	e->buf.s[e->buf.len] = 0;
	if (e->pos > to)
		e->pos -= to - from;
	else if (e->pos > from)
		e->pos = from;
}

static void ed_insert(struct editor *e, char c)
{
	sb_addc(&e->buf, 0);
	memmove(e->buf.s + e->pos + 1, e->buf.s + e->pos, e->buf.len - 1 - e->pos);
	e->buf.s[e->pos++] = c;
}

static int read_byte(void)
{
	unsigned char c;

	for (;;) {
		ssize_t r = read(0, &c, 1);

		if (r == 1)
			return c;
		if (r < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

/* Reads the rest of an escape sequence; returns a control key or 0. */
static int read_escape(void)
{
	int c = read_byte(), d;

	if (c != '[' && c != 'O')
		return 0;
	d = read_byte();
	switch (d) {
	case 'A':
		return 'P' - '@';
	case 'B':
		return 'N' - '@';
	case 'C':
		return 'F' - '@';
	case 'D':
		return 'B' - '@';
	case 'H':
		return 'A' - '@';
	case 'F':
		return 'E' - '@';
	}
	if (d >= '0' && d <= '9') {
		int e = read_byte();

		while (e >= '0' && e <= '9')
			e = read_byte();
		if (e != '~')
			return 0;
		if (d == '3')
			return KEY_DELETE;
		if (d == '1' || d == '7')
			return 'A' - '@';
		if (d == '4' || d == '8')
			return 'E' - '@';
	}
	return 0;
}

static int plain_read(const char *prompt, struct strbuf *out)
{
	int c;

	xwrite(2, prompt, strlen(prompt));
	while ((c = read_byte()) >= 0) {
		sb_addc(out, c);
		if (c == '\n')
			return 0;
	}
	return out->len ? 0 : -1;
}

int lineedit_read(const char *prompt, struct strbuf *out)
{
	struct termios orig, raw;
	struct editor e = {.prompt = prompt, .fresh_line = true};
	int hidx = nhist, ret = 0;
	char *saved = NULL;

	sh.intr = 0;
	if (tcgetattr(0, &orig) < 0)
		return plain_read(prompt, out);
	raw = orig;
	raw.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(IXON | ICRNL | INLCR);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(0, TCSADRAIN, &raw);
	sb_adds(&e.buf, "");
	ed_refresh(&e);
	for (;;) {
		int c = read_byte();

		if (c == 27)
			c = read_escape();
		if (c < 0) {
			if (!e.buf.len) {
				ret = -1;
				break;
			}
			c = '\r';
		}
		switch (c) {
		case '\r':
		case '\n':
			e.pos = e.buf.len;
			ed_refresh(&e);
			xwrite(2, "\n", 1);
			sb_addn(out, e.buf.s, e.buf.len);
			sb_addc(out, '\n');
			lineedit_history_add(e.buf.s);
			goto done;
		case 'D' - '@':
			if (!e.buf.len) {
				xwrite(2, "\n", 1);
				ret = -1;
				goto done;
			}
			/* fall through */
		case KEY_DELETE:
			if (e.pos < e.buf.len)
				ed_delete(&e, e.pos, e.pos + 1);
			break;
		case 'C' - '@':
			xwrite(2, "^C\n", 3);
			e.buf.len = 0;
			e.buf.s[0] = 0;
			e.pos = 0;
			e.fresh_line = true;
			hidx = nhist;
			sh.status = 130;
			break;
		case 127:
		case 'H' - '@':
			if (e.pos > 0)
				ed_delete(&e, e.pos - 1, e.pos);
			break;
		case 'A' - '@':
			e.pos = 0;
			break;
		case 'E' - '@':
			e.pos = e.buf.len;
			break;
		case 'B' - '@':
			if (e.pos > 0)
				e.pos--;
			break;
		case 'F' - '@':
			if (e.pos < e.buf.len)
				e.pos++;
			break;
		case 'U' - '@':
			ed_delete(&e, 0, e.pos);
			break;
		case 'K' - '@':
			e.buf.len = e.pos;
			e.buf.s[e.pos] = 0;
			break;
		case 'W' - '@': {
			size_t p = e.pos;

			while (p > 0 && e.buf.s[p - 1] == ' ')
				p--;
			while (p > 0 && e.buf.s[p - 1] != ' ')
				p--;
			ed_delete(&e, p, e.pos);
			break;
		}
		case 'L' - '@':
			xwrite(2, "\033[H\033[2J", 7);
			e.fresh_line = true;
			break;
		case 'P' - '@':
			if (hidx > 0) {
				if (hidx == nhist) {
					free(saved);
					saved = xstrdup(e.buf.s);
				}
				ed_set(&e, hist[--hidx]);
			}
			break;
		case 'N' - '@':
			if (hidx < nhist) {
				hidx++;
				ed_set(&e, hidx == nhist ? (saved ? saved : "") : hist[hidx]);
			}
			break;
		default:
			if (c >= 32 && c < 127)
				ed_insert(&e, c);
			else if (c >= 128)
				ed_insert(&e, c);
			break;
		}
		ed_refresh(&e);
	}
done:
	tcsetattr(0, TCSADRAIN, &orig);
	free(saved);
	sb_free(&e.buf);
	sb_free(&e.shown);
	return ret;
}
