/*
 * The lexer: characters from input.c -> tokens for parse.c.
 *
 * Words are not interpreted here. A word token carries its raw source text
 * with every quote, $(...), ${...} and `...` intact; expand.c interprets it
 * when the command runs. The lexer only has to find where a word ends,
 * which means skipping over quoted and nested text.
 *
 * Here-documents: the parser registers each << redirection with
 * lex_heredoc_add(); when the lexer next hands out a newline token it first
 * reads the bodies, in order, from the lines that follow.
 *
 * Inside $(...) parentheses are counted, with a rule for case patterns
 * (see scan_nested).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

#define MAX_HEREDOCS 32

static struct redir *heredocs[MAX_HEREDOCS];
static int nheredocs;

void lex_heredoc_add(struct redir *r)
{
	if (nheredocs == MAX_HEREDOCS)
		sh_error("too many here-documents");
	heredocs[nheredocs++] = r;
}

int lex_heredoc_pending(void)
{
	return nheredocs;
}

void lex_reset(void)
{
	nheredocs = 0;
}

static int is_meta(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' ||
	       c == '>' || c == '(' || c == ')' || c < 0;
}

static void eof_error(const char *what)
{
	sh_error("syntax error: unterminated %s", what);
}

static void scan_dollar(struct strbuf *sb);
static void scan_backquote(struct strbuf *sb);

static void scan_squote(struct strbuf *sb)
{
	int c;

	while ((c = input_getc()) != '\'') {
		if (c < 0)
			eof_error("quoted string");
		sb_addc(sb, c);
	}
	sb_addc(sb, c);
}

static void scan_dquote(struct strbuf *sb)
{
	int c;

	while ((c = input_getc()) != '"') {
		if (c < 0)
			eof_error("quoted string");
		if (c == '\\') {
			int d = input_getc();

			if (d == '\n')
				continue;
			sb_addc(sb, c);
			if (d < 0)
				eof_error("quoted string");
			sb_addc(sb, d);
			continue;
		}
		sb_addc(sb, c);
		if (c == '$')
			scan_dollar(sb);
		else if (c == '`')
			scan_backquote(sb);
	}
	sb_addc(sb, c);
}

static void scan_backquote(struct strbuf *sb)
{
	int c;

	while ((c = input_getc()) != '`') {
		if (c < 0)
			eof_error("`...`");
		sb_addc(sb, c);
		if (c == '\\') {
			c = input_getc();
			if (c < 0)
				eof_error("`...`");
			sb_addc(sb, c);
		}
	}
	sb_addc(sb, c);
}

/* Does text[start..len) end with the word w, preceded by a separator? */
static int ends_with_word(const char *text, size_t start, size_t len, const char *w)
{
	size_t n = strlen(w);

	if (len < start + n || memcmp(text + len - n, w, n))
		return 0;
	return len == start + n || strchr(" \t\n;&|(", text[len - n - 1]);
}

/*
 * Copies up to and including the bracket closing 'close', counting 'open'.
 * In $(...), a "case" whose patterns end in ')' would close the bracket
 * early; inside case ... esac a ')' at the outer level is taken as the end
 * of a pattern instead.
 */
static void scan_nested(struct strbuf *sb, int open, int close, const char *what)
{
	int depth = 1, c, cases = 0;
	size_t start = sb->len;

	while ((c = input_getc()) >= 0) {
		if (open == '(' && strchr(" \t\n;&|()", c)) {
			if (ends_with_word(sb->s, start, sb->len, "case"))
				cases++;
			else if (cases && ends_with_word(sb->s, start, sb->len, "esac"))
				cases--;
		}
		sb_addc(sb, c);
		if (c == '\\') {
			c = input_getc();
			if (c < 0)
				break;
			sb_addc(sb, c);
		} else if (c == '\'') {
			scan_squote(sb);
		} else if (c == '"') {
			scan_dquote(sb);
		} else if (c == '`') {
			scan_backquote(sb);
		} else if (c == '$') {
			scan_dollar(sb);
		} else if (c == open) {
			depth++;
		} else if (c == close && depth == 1 && cases) {
			continue;
		} else if (c == close && --depth == 0) {
			return;
		}
	}
	eof_error(what);
}

/* After a '$' has been copied: copies the construct that follows, if any. */
static void scan_dollar(struct strbuf *sb)
{
	int c = input_getc();

	if (c == '{') {
		sb_addc(sb, c);
		scan_nested(sb, '{', '}', "${...}");
	} else if (c == '(') {
		sb_addc(sb, c);
		scan_nested(sb, '(', ')', "$(...)");
	} else {
		input_ungetc(c);
	}
}

/* Reads the rest of a word whose text so far is in sb; c is the next char. */
static void lex_word(struct strbuf *sb, int c, int *quoted)
{
	for (; !is_meta(c); c = input_getc()) {
		switch (c) {
		case '\\':
			c = input_getc();
			if (c == '\n')
				continue;
			*quoted = 1;
			sb_addc(sb, '\\');
			if (c < 0)
				return;
			sb_addc(sb, c);
			break;
		case '\'':
			*quoted = 1;
			sb_addc(sb, c);
			scan_squote(sb);
			break;
		case '"':
			*quoted = 1;
			sb_addc(sb, c);
			scan_dquote(sb);
			break;
		case '`':
			sb_addc(sb, c);
			scan_backquote(sb);
			break;
		case '$':
			sb_addc(sb, c);
			scan_dollar(sb);
			break;
		default:
			sb_addc(sb, c);
		}
	}
	input_ungetc(c);
}

/* The delimiter with quote characters removed. */
static char *heredoc_delim(const char *raw)
{
	struct strbuf sb = {0};

	for (const char *p = raw; *p; p++) {
		if (*p == '\\' && p[1])
			sb_addc(&sb, *++p);
		else if (*p != '\'' && *p != '"')
			sb_addc(&sb, *p);
	}
	sb_str(&sb);
	return sb.s;
}

static void heredoc_read(struct redir *r)
{
	char *delim = heredoc_delim(r->target);
	struct strbuf body = {0}, line = {0};
	int c;

	for (;;) {
		line.len = 0;
		while ((c = input_getc()) >= 0 && c != '\n')
			sb_addc(&line, c);
		const char *l = sb_str(&line);

		if (r->strip_tabs)
			while (*l == '\t')
				l++;
		if (!strcmp(l, delim) || (c < 0 && !*l))
			break;
		sb_adds(&body, l);
		sb_addc(&body, '\n');
		if (c < 0)
			break;
	}
	r->body = arena_strndup(body.s ? body.s : "", body.len);
	sb_free(&body);
	sb_free(&line);
	free(delim);
}

static void lex_op(struct token *t, int c)
{
	int d = input_getc();

	t->type = T_REDIR;
	t->heredoc_strip = 0;
	switch (c) {
	case ';':
		if (d == ';') {
			t->type = T_DSEMI;
			return;
		}
		t->type = T_SEMI;
		break;
	case '&':
		if (d == '&') {
			t->type = T_AND;
			return;
		}
		t->type = T_AMP;
		break;
	case '|':
		if (d == '|') {
			t->type = T_OR;
			return;
		}
		t->type = T_PIPE;
		break;
	case '(':
		t->type = T_LPAREN;
		break;
	case ')':
		t->type = T_RPAREN;
		break;
	case '<':
		if (d == '<') {
			t->redir = R_HEREDOC;
			d = input_getc();
			if (d == '-') {
				t->heredoc_strip = 1;
				return;
			}
			break;
		}
		if (d == '&') {
			t->redir = R_DUPIN;
			return;
		}
		if (d == '>') {
			t->redir = R_RDWR;
			return;
		}
		t->redir = R_IN;
		break;
	case '>':
		if (d == '>') {
			t->redir = R_APPEND;
			return;
		}
		if (d == '&') {
			t->redir = R_DUPOUT;
			return;
		}
		if (d == '|') {
			t->redir = R_CLOBBER;
			return;
		}
		t->redir = R_OUT;
		break;
	}
	input_ungetc(d);
}

void lex_next(struct token *t)
{
	struct strbuf sb = {0};
	int c, quoted = 0;

	t->fd = -1;
	t->text = NULL;
	t->quoted = 0;
	for (;;) {
		c = input_getc();
		if (c == ' ' || c == '\t')
			continue;
		if (c == '\\') {
			int d = input_getc();

			if (d == '\n')
				continue;
			input_ungetc(d);
		}
		break;
	}
	if (c == '#') {
		while ((c = input_getc()) >= 0 && c != '\n')
			;
	}
	if (c < 0) {
		t->type = T_EOF;
		return;
	}
	if (c == '\n') {
		int n = nheredocs;

		nheredocs = 0;
		for (int i = 0; i < n; i++)
			heredoc_read(heredocs[i]);
		t->type = T_NEWLINE;
		return;
	}
	if (strchr(";&|()<>", c)) {
		lex_op(t, c);
		return;
	}
	if (isdigit(c)) {
		while (isdigit(c)) {
			sb_addc(&sb, c);
			c = input_getc();
		}
		if ((c == '<' || c == '>') && sb.len < 4) {
			t->fd = atoi(sb.s);
			sb_free(&sb);
			lex_op(t, c);
			return;
		}
	}
	lex_word(&sb, c, &quoted);
	t->type = T_WORD;
	t->quoted = quoted;
	t->text = arena_strndup(sb.s ? sb.s : "", sb.len);
	sb_free(&sb);
}
