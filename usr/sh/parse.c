/*
 * The parser: tokens -> AST, by recursive descent over the POSIX grammar
 * (XCU 2.10), one complete command line at a time:
 *
 *   line      : list? NEWLINE | list? EOF
 *   list      : and_or ((';' | '&' | NEWLINE) and_or)* [';' | '&']
 *   and_or    : pipeline (('&&' | '||') linebreak pipeline)*
 *   pipeline  : ['!'] command ('|' linebreak command)*
 *   command   : simple | compound redirect* | NAME '(' ')' linebreak command
 *   compound  : '{' list '}' | '(' list ')' | if | while | until | for | case
 *
 * Reserved words are recognised only where a command may start, and only
 * unquoted. Nodes and word text are allocated in the current arena; the
 * read-eval loop frees a line's arena after running it unless a function
 * definition pinned it (a function body must outlive its line).
 *
 * parse_line() stops right after the newline that ends the line: it must
 * not read ahead, since the commands on this line may read the same input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

#define ARENA_BLOCK 8192

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	char data[];
};

struct arena {
	struct arena_block *blocks;
	int pinned;
};

static struct arena *cur_arena;

struct arena *arena_new(void)
{
	struct arena *ar = xmalloc(sizeof(*ar));

	ar->blocks = NULL;
	ar->pinned = 0;
	return ar;
}

void arena_free(struct arena *ar)
{
	if (!ar || ar->pinned)
		return;
	while (ar->blocks) {
		struct arena_block *b = ar->blocks;

		ar->blocks = b->next;
		free(b);
	}
	free(ar);
}

void arena_pin(struct arena *ar)
{
	if (ar)
		ar->pinned = 1;
}

struct arena *arena_current(void)
{
	return cur_arena;
}

void arena_set_current(struct arena *ar)
{
	cur_arena = ar;
}

void *arena_alloc(size_t n)
{
	struct arena_block *b;

	n = (n + 15) & ~(size_t)15;
	if (!cur_arena)
		cur_arena = arena_new();
	b = cur_arena->blocks;
	if (!b || b->used + n > b->size) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		b = xmalloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		b->next = cur_arena->blocks;
		cur_arena->blocks = b;
	}
	b->used += n;
	return memset(b->data + b->used - n, 0, n);
}

char *arena_strndup(const char *s, size_t n)
{
	char *p = arena_alloc(n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

/* ---- token stream ------------------------------------------------------- */

static struct token tok;
static int have_tok;

static struct token *peek(void)
{
	if (!have_tok) {
		lex_next(&tok);
		have_tok = 1;
	}
	return &tok;
}

static void consume(void)
{
	have_tok = 0;
	input_set_ps2(1);
}

static const char *tok_desc(struct token *t)
{
	static const char *names[] = {
		[T_EOF] = "end of file",
		[T_NEWLINE] = "newline",
		[T_SEMI] = ";",
		[T_AMP] = "&",
		[T_PIPE] = "|",
		[T_AND] = "&&",
		[T_OR] = "||",
		[T_DSEMI] = ";;",
		[T_LPAREN] = "(",
		[T_RPAREN] = ")",
		[T_REDIR] = "redirection",
	};

	if (t->type == T_WORD)
		return t->text;
	return names[t->type];
}

__attribute__((noreturn)) static void syntax_error(void)
{
	struct token *t = peek();
	int line = input_lineno() - (t->type == T_NEWLINE);

	have_tok = 0;
	lex_reset();
	sh_error("%d: Syntax error: \"%s\" unexpected", line, tok_desc(t));
}

static int is_kw(const char *kw)
{
	struct token *t = peek();

	return t->type == T_WORD && !t->quoted && !strcmp(t->text, kw);
}

static void expect_kw(const char *kw)
{
	if (!is_kw(kw))
		syntax_error();
	consume();
}

static void skip_newlines(void)
{
	while (peek()->type == T_NEWLINE)
		consume();
}

static struct node *node_new(enum node_type type)
{
	struct node *n = arena_alloc(sizeof(*n));

	n->type = type;
	n->lineno = input_lineno();
	return n;
}

static struct word *word_new(const char *text)
{
	struct word *w = arena_alloc(sizeof(*w));

	w->text = (char *)text;
	return w;
}

static int at_list_end(int top)
{
	static const char *const ends[] = {"then", "else", "elif", "fi", "do",
					   "done", "esac", "}",	   NULL};
	struct token *t = peek();

	if (t->type == T_EOF)
		return 1;
	if (top)
		return t->type == T_NEWLINE;
	if (t->type == T_RPAREN || t->type == T_DSEMI)
		return 1;
	for (int i = 0; ends[i]; i++)
		if (is_kw(ends[i]))
			return 1;
	return 0;
}

static struct node *parse_list(int top);
static struct node *parse_command(void);

static struct node *parse_pipeline(void)
{
	struct node *first, *last, *p;
	int bang = 0;

	if (is_kw("!")) {
		consume();
		bang = 1;
	}
	first = last = parse_command();
	while (peek()->type == T_PIPE) {
		consume();
		skip_newlines();
		last->next = parse_command();
		last = last->next;
	}
	if (!bang && first == last)
		return first;
	p = node_new(N_PIPE);
	p->a = first;
	p->flags = bang ? NF_BANG : 0;
	return p;
}

static struct node *parse_and_or(void)
{
	struct node *left = parse_pipeline();

	for (;;) {
		enum token_type t = peek()->type;
		struct node *n;

		if (t != T_AND && t != T_OR)
			return left;
		consume();
		skip_newlines();
		n = node_new(t == T_AND ? N_AND : N_OR);
		n->a = left;
		n->b = parse_pipeline();
		left = n;
	}
}

/* Returns NULL for an empty list; the caller decides whether that is ok. */
static struct node *parse_list(int top)
{
	struct node *list = NULL, **tail = &list;
	int count = 0;

	for (;;) {
		if (!top)
			skip_newlines();
		if (at_list_end(top))
			break;
		struct node *n = parse_and_or();
		struct token *t = peek();

		*tail = n;
		tail = &n->next;
		count++;
		if (t->type == T_AMP) {
			n->flags |= NF_ASYNC;
			consume();
		} else if (t->type == T_SEMI) {
			consume();
		} else if (t->type != T_NEWLINE || top) {
			break;
		}
	}
	if (count == 1 && !(list->flags & NF_ASYNC))
		return list;
	if (!list)
		return NULL;
	struct node *l = node_new(N_LIST);

	l->a = list;
	return l;
}

static struct node *parse_body(void)
{
	struct node *n = parse_list(0);

	if (!n)
		syntax_error();
	return n;
}

static void parse_redir(struct redir ***tail)
{
	struct token *t = peek();
	struct redir *r = arena_alloc(sizeof(*r));

	r->type = t->redir;
	r->fd = t->fd;
	r->strip_tabs = t->heredoc_strip;
	if (r->fd < 0)
		r->fd = (r->type == R_IN || r->type == R_DUPIN || r->type == R_RDWR ||
			 r->type == R_HEREDOC)
				? 0
				: 1;
	consume();
	t = peek();
	if (t->type != T_WORD)
		syntax_error();
	r->target = t->text;
	r->quoted = t->quoted;
	if (r->type == R_HEREDOC)
		lex_heredoc_add(r);
	consume();
	**tail = r;
	*tail = &r->next;
}

static void parse_redirs_opt(struct node *n)
{
	struct redir **tail = &n->redirs;

	while (peek()->type == T_REDIR)
		parse_redir(&tail);
}

static int is_assignment(struct token *t)
{
	const char *eq = strchr(t->text, '=');

	return eq && is_name_n(t->text, eq - t->text);
}

static struct node *parse_simple(void)
{
	struct node *n = node_new(N_CMD);
	struct word **atail = &n->args, **vtail = &n->assigns;
	struct redir **rtail = &n->redirs;
	int any = 0;

	for (;;) {
		struct token *t = peek();

		if (t->type == T_REDIR) {
			parse_redir(&rtail);
		} else if (t->type == T_WORD) {
			struct word *w = word_new(t->text);

			if (!n->args && is_assignment(t)) {
				*vtail = w;
				vtail = &w->next;
				consume();
			} else {
				*atail = w;
				atail = &w->next;
				consume();
				if (n->args == w && !n->assigns && !n->redirs &&
				    peek()->type == T_LPAREN) {
					struct node *f = node_new(N_FUNC);

					if (!is_name(w->text))
						syntax_error();
					consume();
					if (peek()->type != T_RPAREN)
						syntax_error();
					consume();
					skip_newlines();
					f->name = w->text;
					f->a = parse_command();
					return f;
				}
			}
		} else {
			break;
		}
		any = 1;
	}
	if (!any)
		syntax_error();
	return n;
}

static struct node *parse_if_rest(void)
{
	struct node *n = node_new(N_IF);

	n->a = parse_body();
	expect_kw("then");
	n->b = parse_body();
	if (is_kw("elif")) {
		consume();
		n->c = parse_if_rest();
		return n;
	}
	if (is_kw("else")) {
		consume();
		n->c = parse_body();
	}
	expect_kw("fi");
	return n;
}

static struct node *parse_for(void)
{
	struct node *n = node_new(N_FOR);
	struct word **tail = &n->args;
	struct token *t = peek();

	if (t->type != T_WORD || !is_name(t->text))
		syntax_error();
	n->name = t->text;
	consume();
	skip_newlines();
	if (is_kw("in")) {
		consume();
		n->flags |= NF_FOR_IN;
		while ((t = peek())->type == T_WORD) {
			*tail = word_new(t->text);
			tail = &(*tail)->next;
			consume();
		}
		if (t->type != T_SEMI && t->type != T_NEWLINE)
			syntax_error();
		consume();
	} else if (peek()->type == T_SEMI) {
		consume();
	}
	skip_newlines();
	expect_kw("do");
	n->a = parse_body();
	expect_kw("done");
	return n;
}

static struct node *parse_case(void)
{
	struct node *n = node_new(N_CASE);
	struct case_item **tail = &n->items;
	struct token *t = peek();

	if (t->type != T_WORD)
		syntax_error();
	n->args = word_new(t->text);
	consume();
	skip_newlines();
	expect_kw("in");
	for (;;) {
		skip_newlines();
		if (is_kw("esac"))
			break;
		struct case_item *ci = arena_alloc(sizeof(*ci));
		struct word **ptail = &ci->pats;

		if (peek()->type == T_LPAREN)
			consume();
		for (;;) {
			t = peek();
			if (t->type != T_WORD)
				syntax_error();
			*ptail = word_new(t->text);
			ptail = &(*ptail)->next;
			consume();
			if (peek()->type != T_PIPE)
				break;
			consume();
		}
		if (peek()->type != T_RPAREN)
			syntax_error();
		consume();
		ci->body = parse_list(0);
		*tail = ci;
		tail = &ci->next;
		skip_newlines();
		if (peek()->type == T_DSEMI) {
			consume();
			continue;
		}
		if (!is_kw("esac"))
			syntax_error();
	}
	consume();
	return n;
}

static struct node *parse_command(void)
{
	struct token *t = peek();
	struct node *n;

	if (t->type == T_LPAREN) {
		consume();
		n = node_new(N_SUBSHELL);
		n->a = parse_body();
		if (peek()->type != T_RPAREN)
			syntax_error();
		consume();
	} else if (is_kw("{")) {
		consume();
		n = node_new(N_GROUP);
		n->a = parse_body();
		expect_kw("}");
	} else if (is_kw("if")) {
		consume();
		n = parse_if_rest();
	} else if (is_kw("while") || is_kw("until")) {
		n = node_new(is_kw("while") ? N_WHILE : N_UNTIL);
		consume();
		n->a = parse_body();
		expect_kw("do");
		n->b = parse_body();
		expect_kw("done");
	} else if (is_kw("for")) {
		consume();
		n = parse_for();
	} else if (is_kw("case")) {
		consume();
		n = parse_case();
	} else {
		if (t->type == T_WORD && !t->quoted) {
			static const char *const bad[] = {"then", "else", "elif", "fi", "do",
							  "done", "esac", "}",	  NULL};

			for (int i = 0; bad[i]; i++)
				if (!strcmp(t->text, bad[i]))
					syntax_error();
		}
		return parse_simple();
	}
	parse_redirs_opt(n);
	return n;
}

struct node *parse_line(int *eof)
{
	struct node *n;
	struct token *t;

	*eof = 0;
	have_tok = 0;
	input_set_ps2(0);
	t = peek();
	if (t->type == T_EOF) {
		have_tok = 0;
		*eof = 1;
		return NULL;
	}
	n = parse_list(1);
	t = peek();
	if (t->type != T_NEWLINE && t->type != T_EOF)
		syntax_error();
	if (t->type == T_EOF && lex_heredoc_pending()) {
		/* here-document at end of input without a newline: body is empty */
		lex_reset();
	}
	if (t->type == T_NEWLINE)
		have_tok = 0;
	return n;
}

/* ---- deparsing, for job listings ---------------------------------------- */

static void deparse(struct strbuf *sb, struct node *n);

static void deparse_list(struct strbuf *sb, struct node *n, const char *sep)
{
	for (; n; n = n->next) {
		deparse(sb, n);
		if (n->flags & NF_ASYNC)
			sb_adds(sb, " &");
		if (n->next)
			sb_adds(sb, sep);
	}
}

static void deparse_redirs(struct strbuf *sb, struct redir *r)
{
	static const char *const ops[] = {
		[R_IN] = "<",	 [R_OUT] = ">",	   [R_CLOBBER] = ">|", [R_APPEND] = ">>",
		[R_RDWR] = "<>", [R_DUPIN] = "<&", [R_DUPOUT] = ">&",  [R_HEREDOC] = "<<",
	};

	for (; r; r = r->next) {
		int deffd = (r->type == R_IN || r->type == R_DUPIN || r->type == R_RDWR ||
			     r->type == R_HEREDOC)
				    ? 0
				    : 1;
		char buf[16];

		sb_addc(sb, ' ');
		if (r->fd != deffd) {
			snprintf(buf, sizeof(buf), "%d", r->fd);
			sb_adds(sb, buf);
		}
		sb_adds(sb, ops[r->type]);
		sb_adds(sb, r->target);
	}
}

static void deparse(struct strbuf *sb, struct node *n)
{
	switch (n->type) {
	case N_CMD: {
		const char *sep = "";

		for (struct word *w = n->assigns; w; w = w->next, sep = " ")
			sb_adds(sb, sep), sb_adds(sb, w->text);
		for (struct word *w = n->args; w; w = w->next, sep = " ")
			sb_adds(sb, sep), sb_adds(sb, w->text);
		break;
	}
	case N_PIPE:
		if (n->flags & NF_BANG)
			sb_adds(sb, "! ");
		deparse_list(sb, n->a, " | ");
		break;
	case N_AND:
	case N_OR:
		deparse(sb, n->a);
		sb_adds(sb, n->type == N_AND ? " && " : " || ");
		deparse(sb, n->b);
		break;
	case N_LIST:
		deparse_list(sb, n->a, "; ");
		break;
	case N_SUBSHELL:
		sb_adds(sb, "(");
		deparse(sb, n->a);
		sb_adds(sb, ")");
		break;
	case N_GROUP:
		sb_adds(sb, "{ ");
		deparse(sb, n->a);
		sb_adds(sb, "; }");
		break;
	case N_IF:
		sb_adds(sb, "if ");
		deparse(sb, n->a);
		sb_adds(sb, "; then ");
		deparse(sb, n->b);
		if (n->c) {
			sb_adds(sb, "; else ");
			deparse(sb, n->c);
		}
		sb_adds(sb, "; fi");
		break;
	case N_WHILE:
	case N_UNTIL:
		sb_adds(sb, n->type == N_WHILE ? "while " : "until ");
		deparse(sb, n->a);
		sb_adds(sb, "; do ");
		deparse(sb, n->b);
		sb_adds(sb, "; done");
		break;
	case N_FOR:
		sb_adds(sb, "for ");
		sb_adds(sb, n->name);
		if (n->flags & NF_FOR_IN) {
			sb_adds(sb, " in");
			for (struct word *w = n->args; w; w = w->next)
				sb_addc(sb, ' '), sb_adds(sb, w->text);
		}
		sb_adds(sb, "; do ");
		deparse(sb, n->a);
		sb_adds(sb, "; done");
		break;
	case N_CASE:
		sb_adds(sb, "case ");
		sb_adds(sb, n->args->text);
		sb_adds(sb, " in ... esac");
		break;
	case N_FUNC:
		sb_adds(sb, n->name);
		sb_adds(sb, "() ");
		deparse(sb, n->a);
		break;
	}
	deparse_redirs(sb, n->redirs && n->type != N_FUNC ? n->redirs : NULL);
}

char *node_to_text(struct node *n)
{
	struct strbuf sb = {0};

	deparse(&sb, n);
	return sb_str(&sb);
}
