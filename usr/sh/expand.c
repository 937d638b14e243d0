/*
 * Word expansion (XCU 2.6): raw word text -> fields.
 *
 * One pass over the raw text does tilde expansion, parameter expansion,
 * command substitution, arithmetic expansion and quote removal together,
 * writing characters into an xbuf where each character carries a flag:
 *
 *   F_LIT     unquoted text from the word itself: globbed, never split
 *   F_QUOTED  quoted text, or an expansion inside double quotes: neither
 *   F_EXP     the result of an unquoted expansion: split on IFS and globbed
 *
 * plus two zero-width markers: F_BREAK ends a field unconditionally (between
 * the words of "$@") and F_QMARK says "a field exists here even if empty"
 * (so "" and '' make an empty argument). Field splitting and pathname
 * expansion then work from the flags alone, never re-reading quotes.
 *
 * The raw text comes from the lexer, so quotes and brackets are balanced.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

enum {
	F_LIT = 0,
	F_QUOTED = 1,
	F_EXP = 2,
	F_BREAK = 4,
	F_QMARK = 8,
};

#define X_DQ 1	    /* inside double quotes */
#define X_SPLIT 2   /* result will be field split: "$@" makes breaks */
#define X_HEREDOC 4 /* here-document body: '"' is an ordinary char */
#define X_WORDEXP 8 /* the word of ${x-word}: its literals act as expansions */
#define X_ASSIGN 16 /* tilde expansion after ':' too */

struct xbuf {
	char *s, *f;
	size_t len, cap;
};

static void xb_put(struct xbuf *x, char c, int flag)
{
	if (x->len + 1 >= x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		x->s = xrealloc(x->s, x->cap);
		x->f = xrealloc(x->f, x->cap);
	}
	x->s[x->len] = c;
	x->f[x->len++] = flag;
}

static void xb_puts(struct xbuf *x, const char *s, int flag)
{
	while (*s)
		xb_put(x, *s++, flag);
}

static void xb_free(struct xbuf *x)
{
	free(x->s);
	free(x->f);
}

/* The xbuf as a plain string (markers dropped); pattern: quote specials. */
static char *xb_string(struct xbuf *x, int pattern)
{
	struct strbuf sb = {0};

	for (size_t i = 0; i < x->len; i++) {
		if (x->f[i] & (F_BREAK | F_QMARK))
			continue;
		if (pattern && (x->f[i] == F_QUOTED || x->s[i] == '\\') &&
		    strchr("*?[]\\", x->s[i]))
			sb_addc(&sb, '\\');
		sb_addc(&sb, x->s[i]);
	}
	sb_str(&sb);
	return sb.s;
}

/* ---- scanning raw text -------------------------------------------------- */

static size_t scan_close(const char *s, size_t i, size_t n, char open, char close);

static size_t skip_squote(const char *s, size_t i, size_t n)
{
	for (i++; i < n && s[i] != '\''; i++)
		;
	return i + 1;
}

static size_t skip_backquote(const char *s, size_t i, size_t n)
{
	for (i++; i < n && s[i] != '`'; i++)
		if (s[i] == '\\')
			i++;
	return i + 1;
}

static size_t skip_dollar(const char *s, size_t i, size_t n)
{
	if (i + 1 < n && s[i + 1] == '(')
		return scan_close(s, i + 2, n, '(', ')') + 1;
	if (i + 1 < n && s[i + 1] == '{')
		return scan_close(s, i + 2, n, '{', '}') + 1;
	return i + 1;
}

/* i at the opening '"': returns the index of the closing one. */
static size_t find_dquote_end(const char *s, size_t i, size_t n)
{
	for (i++; i < n && s[i] != '"';) {
		if (s[i] == '\\')
			i += 2;
		else if (s[i] == '`')
			i = skip_backquote(s, i, n);
		else if (s[i] == '$')
			i = skip_dollar(s, i, n);
		else
			i++;
	}
	return i;
}

static int ends_with_word(const char *s, size_t start, size_t end, const char *w)
{
	size_t n = strlen(w);

	if (end < start + n || memcmp(s + end - n, w, n))
		return 0;
	return end == start + n || strchr(" \t\n;&|(", s[end - n - 1]);
}

/*
 * Index of the 'close' matching an already-open bracket, or n. Same rule
 * as the lexer's: inside case ... esac a ')' at the outer level of $(...)
 * ends a pattern, not the substitution.
 */
static size_t scan_close(const char *s, size_t i, size_t n, char open, char close)
{
	size_t start = i;
	int depth = 1, cases = 0;

	while (i < n) {
		char c = s[i];

		if (open == '(' && strchr(" \t\n;&|()", c)) {
			if (ends_with_word(s, start, i, "case"))
				cases++;
			else if (cases && ends_with_word(s, start, i, "esac"))
				cases--;
		}
		if (c == '\\') {
			i += 2;
		} else if (c == '\'' && open == '(') {
			i = skip_squote(s, i, n);
		} else if (c == '"') {
			i = find_dquote_end(s, i, n) + 1;
		} else if (c == '`') {
			i = skip_backquote(s, i, n);
		} else if (c == '$' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == '{')) {
			i = skip_dollar(s, i, n);
		} else {
			if (c == open)
				depth++;
			else if (c == close && depth == 1 && cases)
				;
			else if (c == close && --depth == 0)
				return i;
			i++;
		}
	}
	return n;
}

/* ---- command substitution ----------------------------------------------- */

char *cmdsub_run(const char *text)
{
	struct strbuf out = {0};
	int pfd[2], st;
	pid_t pid;
	char buf[4096];
	ssize_t r;

	fflush(stdout);
	if (pipe(pfd) < 0) {
		sh_perror("pipe");
		return xstrdup("");
	}
	pid = fork();
	if (pid < 0) {
		sh_perror("fork");
		close(pfd[0]);
		close(pfd[1]);
		return xstrdup("");
	}
	if (pid == 0) {
		close(pfd[0]);
		if (pfd[1] != 1) {
			dup2(pfd[1], 1);
			close(pfd[1]);
		}
		sh.in_subshell = 1;
		sh.jobctl = 0;
		trap_reset_for_subshell();
		sh_exit(exec_string(text));
	}
	close(pfd[1]);
	for (;;) {
		r = read(pfd[0], buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		sb_addn(&out, buf, r);
	}
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	sh.cmdsub_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	sb_str(&out);
	while (out.len && out.s[out.len - 1] == '\n')
		out.s[--out.len] = 0;
	return out.s;
}

/* ---- parameters --------------------------------------------------------- */

static void expand_text(struct xbuf *x, const char *s, size_t n, int mode);

/* Value of a parameter other than @ and *, malloc'd; NULL if unset. */
static char *param_value(const char *name, size_t len)
{
	char buf[32];
	long idx;

	if (len == 1) {
		switch (name[0]) {
		case '?':
			snprintf(buf, sizeof(buf), "%d", sh.status);
			return xstrdup(buf);
		case '$':
			snprintf(buf, sizeof(buf), "%d", (int)sh.pid);
			return xstrdup(buf);
		case '!':
			if (!sh.lastbg)
				return NULL;
			snprintf(buf, sizeof(buf), "%d", (int)sh.lastbg);
			return xstrdup(buf);
		case '#':
			snprintf(buf, sizeof(buf), "%d", posp.n);
			return xstrdup(buf);
		case '-': {
			char *p = buf;

			if (sh.opt_e)
				*p++ = 'e';
			if (sh.opt_f)
				*p++ = 'f';
			if (sh.interactive)
				*p++ = 'i';
			if (sh.jobctl)
				*p++ = 'm';
			if (sh.opt_u)
				*p++ = 'u';
			if (sh.opt_v)
				*p++ = 'v';
			if (sh.opt_x)
				*p++ = 'x';
			*p = 0;
			return xstrdup(buf);
		}
		case '0':
			return xstrdup(sh.arg0);
		}
	}
	if (name[0] >= '0' && name[0] <= '9') {
		char *num = xstrndup(name, len);
		int bad = str_to_int(num, &idx);

		free(num);
		if (bad || idx < 1 || idx > posp.n)
			return NULL;
		return xstrdup(posp.v[idx - 1]);
	}
	char *nm = xstrndup(name, len);
	const char *v = var_get(nm);

	free(nm);
	return v ? xstrdup(v) : NULL;
}

static char *join_params(const char *sep)
{
	struct strbuf sb = {0};

	for (int i = 0; i < posp.n; i++) {
		if (i)
			sb_adds(&sb, sep);
		sb_adds(&sb, posp.v[i]);
	}
	sb_str(&sb);
	return sb.s;
}

static void ifs_first(char sep[2])
{
	const char *ifs = var_get("IFS");

	sep[0] = ifs ? ifs[0] : ' ';
	sep[1] = 0;
}

static int result_flag(int mode)
{
	return (mode & X_DQ) ? F_QUOTED : F_EXP;
}

/* $@ and $*: each parameter becomes its own field where that is wanted. */
static void emit_params(struct xbuf *x, int star, int mode)
{
	char sep[2];

	if ((mode & X_DQ) && star) {
		ifs_first(sep);
		char *j = join_params(sep);

		xb_puts(x, j, F_QUOTED);
		free(j);
		return;
	}
	for (int i = 0; i < posp.n; i++) {
		if (i) {
			if (mode & X_SPLIT)
				xb_put(x, 0, F_BREAK);
			else
				xb_put(x, ' ', result_flag(mode));
		}
		if (mode & X_DQ)
			xb_put(x, 0, F_QMARK);
		xb_puts(x, posp.v[i], result_flag(mode));
	}
}

static int name_len(const char *s, size_t n)
{
	size_t i = 0;

	if (n && (s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
		while (i < n && (s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
				 (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			i++;
		return i;
	}
	if (n && s[0] >= '0' && s[0] <= '9')
		return 1;
	if (n && strchr("?$!#-@*", s[0]))
		return 1;
	return 0;
}

static void unset_error(const char *name, size_t len)
{
	sh_error("%.*s: parameter not set", (int)len, name);
}

/* Removes the shortest/longest prefix/suffix matching pat from val. */
static char *trim_pattern(const char *val, const char *pat, int suffix, int longest)
{
	size_t len = strlen(val);
	char *tmp = xstrdup(val);

	for (size_t k = 0; k <= len; k++) {
		size_t i = longest ? len - k : k;

		if (!suffix) {
			char c = tmp[i];

			tmp[i] = 0;
			int m = pattern_match(pat, tmp);

			tmp[i] = c;
			if (m) {
				char *r = xstrdup(val + i);

				free(tmp);
				return r;
			}
		} else {
			size_t j = len - i;

			if (pattern_match(pat, val + j)) {
				free(tmp);
				return xstrndup(val, j);
			}
		}
	}
	free(tmp);
	return xstrdup(val);
}

/* Expands the word of ${x-word} on its own, to a string. */
static char *expand_sub(const char *w, size_t n, int mode, int pattern)
{
	struct xbuf t = {0};
	char *r;

	expand_text(&t, w, n, mode);
	r = xb_string(&t, pattern);
	xb_free(&t);
	return r;
}

/* s points just after "${"; n is the length up to the closing '}'. */
static void expand_braced(struct xbuf *x, const char *s, size_t n, int mode)
{
	int len_op = 0, colon = 0;
	size_t nl;
	char op = 0, op2 = 0;
	char *val = NULL;

	if (n > 1 && s[0] == '#') {
		len_op = 1;
		s++, n--;
	} else if (n == 1 && s[0] == '#') {
		nl = 1;
		goto name_done;
	}
	nl = name_len(s, n);
	if (s[0] >= '0' && s[0] <= '9')
		while (nl < n && s[nl] >= '0' && s[nl] <= '9')
			nl++;
name_done:
	if (!nl)
		sh_error("${%.*s}: bad substitution", (int)n, s);
	const char *w = s + nl;
	size_t wn = n - nl;

	if (wn && w[0] == ':') {
		colon = 1;
		w++, wn--;
		if (!wn || !strchr("-=?+", w[0]))
			sh_error("bad substitution");
	}
	if (wn) {
		op = w[0];
		if (!strchr("-=?+%#", op) || len_op)
			sh_error("bad substitution");
		w++, wn--;
		if ((op == '%' || op == '#') && wn && w[0] == op) {
			op2 = op;
			w++, wn--;
		}
	}

	int special_at = nl == 1 && (s[0] == '@' || s[0] == '*');

	if (special_at) {
		val = posp.n ? join_params(" ") : NULL;
		if (!posp.n && !op)
			val = NULL;
	} else {
		val = param_value(s, nl);
	}
	if (len_op) {
		char buf[32];

		if (!val && sh.opt_u && !special_at)
			unset_error(s, nl);
		snprintf(buf, sizeof(buf), "%zu", val ? strlen(val) : (size_t)0);
		xb_puts(x, buf, result_flag(mode));
		free(val);
		return;
	}
	int isnull = !val || (colon && !*val);
	int wmode = (mode & X_DQ) ? mode : (mode | X_WORDEXP);

	switch (op) {
	case 0:
		if (special_at) {
			emit_params(x, s[0] == '*', mode);
			free(val);
			return;
		}
		if (!val && sh.opt_u)
			unset_error(s, nl);
		break;
	case '-':
		if (isnull) {
			expand_text(x, w, wn, wmode);
			free(val);
			return;
		}
		break;
	case '+':
		if (!isnull)
			expand_text(x, w, wn, wmode);
		free(val);
		return;
	case '=':
		if (isnull) {
			free(val);
			val = expand_sub(w, wn, mode & ~X_SPLIT, 0);
			if (!is_name_n(s, nl))
				sh_error("%.*s: cannot assign in this way", (int)nl, s);
			char *nm = xstrndup(s, nl);

			if (var_set(nm, val, 0) < 0)
				sh_abort(2);
			free(nm);
		}
		break;
	case '?':
		if (isnull) {
			char *msg = wn ? expand_sub(w, wn, mode & ~X_SPLIT, 0)
				       : xstrdup("parameter null or not set");

			if (!wn && !colon)
				strcpy(msg, "parameter not set");
			sh_warn("%.*s: %s", (int)nl, s, msg);
			free(msg);
			sh_abort(2);
		}
		break;
	case '%':
	case '#': {
		char *pat = expand_sub(w, wn, mode & ~(X_DQ | X_SPLIT), 1);

		if (!val && sh.opt_u)
			unset_error(s, nl);
		if (val) {
			char *r = trim_pattern(val, pat, op == '%', op2 != 0);

			free(val);
			val = r;
		}
		free(pat);
		break;
	}
	}
	if (special_at && (op == '-' || op == '=' || op == '?')) {
		free(val);
		emit_params(x, s[0] == '*', mode);
		return;
	}
	if (val)
		xb_puts(x, val, result_flag(mode));
	free(val);
}

/* s[*ip] is '$': expands what follows and advances *ip past it. */
static void expand_dollar(struct xbuf *x, const char *s, size_t *ip, size_t n, int mode)
{
	size_t i = *ip + 1;

	if (i < n && s[i] == '(') {
		size_t end = scan_close(s, i + 1, n, '(', ')');

		*ip = end + 1;
		if (s[i + 1] == '(' && end > i + 2 && s[end - 1] == ')' &&
		    scan_close(s, i + 2, n, '(', ')') == end - 1) {
			char *e = expand_sub(s + i + 2, end - 1 - (i + 2), X_HEREDOC | X_DQ, 0);
			char buf[32];

			snprintf(buf, sizeof(buf), "%ld", arith_eval(e));
			free(e);
			xb_puts(x, buf, result_flag(mode));
			return;
		}
		char *text = xstrndup(s + i + 1, end - i - 1);
		char *out = cmdsub_run(text);

		xb_puts(x, out, result_flag(mode));
		free(text);
		free(out);
		return;
	}
	if (i < n && s[i] == '{') {
		size_t end = scan_close(s, i + 1, n, '{', '}');

		*ip = end + 1;
		expand_braced(x, s + i + 1, end - i - 1, mode);
		return;
	}
	size_t nl = name_len(s + i, n - i);

	if (!nl) {
		xb_put(x, '$', (mode & X_DQ) ? F_QUOTED : F_LIT);
		*ip = i;
		return;
	}
	*ip = i + nl;
	if (nl == 1 && (s[i] == '@' || s[i] == '*')) {
		emit_params(x, s[i] == '*', mode);
		return;
	}
	char *v = param_value(s + i, nl);

	if (!v && sh.opt_u)
		unset_error(s + i, nl);
	if (v)
		xb_puts(x, v, result_flag(mode));
	free(v);
}

static void expand_backquote(struct xbuf *x, const char *s, size_t n, int mode)
{
	struct strbuf sb = {0};

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n &&
		    (s[i + 1] == '\\' || s[i + 1] == '`' || s[i + 1] == '$' ||
		     ((mode & X_DQ) && s[i + 1] == '"')))
			i++;
		sb_addc(&sb, s[i]);
	}
	char *out = cmdsub_run(sb_str(&sb));

	xb_puts(x, out, result_flag(mode));
	free(out);
	sb_free(&sb);
}

/* s[i] is an unquoted '~' at a tilde position; returns the index after the prefix. */
static size_t expand_tilde(struct xbuf *x, const char *s, size_t i, size_t n, int mode)
{
	size_t j = i + 1;

	while (j < n && s[j] != '/' && !((mode & X_ASSIGN) && s[j] == ':')) {
		if (strchr("\\'\"$`", s[j])) {
			xb_put(x, '~', F_LIT);
			return i + 1;
		}
		j++;
	}
	const char *home = NULL;

	if (j == i + 1) {
		home = var_get("HOME");
	} else {
		char *user = xstrndup(s + i + 1, j - i - 1);
		struct passwd *pw = getpwnam(user);

		free(user);
		if (pw)
			home = pw->pw_dir;
	}
	if (!home) {
		xb_put(x, '~', F_LIT);
		return i + 1;
	}
	xb_puts(x, home, F_QUOTED);
	return j;
}

static void expand_text(struct xbuf *x, const char *s, size_t n, int mode)
{
	int lit = (mode & X_DQ) ? F_QUOTED : (mode & X_WORDEXP) ? F_EXP : F_LIT;
	size_t i = 0;

	while (i < n) {
		char c = s[i];

		if (c == '~' && !(mode & (X_DQ | X_HEREDOC)) &&
		    (i == 0 || ((mode & X_ASSIGN) && s[i - 1] == ':'))) {
			i = expand_tilde(x, s, i, n, mode);
			continue;
		}
		switch (c) {
		case '\'':
			if (mode & (X_DQ | X_HEREDOC))
				break;
			xb_put(x, 0, F_QMARK);
			for (i++; i < n && s[i] != '\''; i++)
				xb_put(x, s[i], F_QUOTED);
			i++;
			continue;
		case '"': {
			if (mode & X_HEREDOC)
				break;
			size_t end = find_dquote_end(s, i, n);
			const char *in = s + i + 1;
			size_t inlen = end - i - 1;
			int at_only = (inlen == 2 && !memcmp(in, "$@", 2)) ||
				      (inlen == 4 && !memcmp(in, "${@}", 4));

			if (!(at_only && posp.n == 0))
				xb_put(x, 0, F_QMARK);
			expand_text(x, in, inlen, (mode | X_DQ) & ~X_WORDEXP);
			i = end + 1;
			continue;
		}
		case '\\':
			if (i + 1 >= n) {
				xb_put(x, c, lit);
				i++;
				continue;
			}
			if (mode & (X_DQ | X_HEREDOC)) {
				char d = s[i + 1];

				if (d == '\n') {
					i += 2;
					continue;
				}
				if (!(d == '$' || d == '`' || d == '\\' ||
				      (d == '"' && !(mode & X_HEREDOC))))
					break;
			}
			xb_put(x, s[i + 1], F_QUOTED);
			i += 2;
			continue;
		case '$':
			expand_dollar(x, s, &i, n, mode);
			continue;
		case '`': {
			size_t end = skip_backquote(s, i, n);

			expand_backquote(x, s + i + 1, end - i - 2, mode);
			i = end;
			continue;
		}
		}
		xb_put(x, c, lit);
		i++;
	}
}

/* ---- field splitting and globbing --------------------------------------- */

struct field {
	struct strbuf s;
	struct strbuf f;
};

static void field_push(struct field *fl, struct strvec *out)
{
	char *str = sb_str(&fl->s);
	int magic = 0;

	/* '[' is only special with a ']' after it: "[ $x ]" needs no readdir */
	if (!sh.opt_f)
		for (size_t i = 0; i < fl->s.len && !magic; i++)
			if (fl->f.s[i] != F_QUOTED && (str[i] == '*' || str[i] == '?' ||
						       (str[i] == '[' && strchr(str + i, ']'))))
				magic = 1;
	if (magic) {
		struct strbuf pat = {0};

		for (size_t i = 0; i < fl->s.len; i++) {
			if ((fl->f.s[i] == F_QUOTED || str[i] == '\\') && strchr("*?[]\\", str[i]))
				sb_addc(&pat, '\\');
			sb_addc(&pat, str[i]);
		}
		int n = glob_expand(sb_str(&pat), out);

		sb_free(&pat);
		if (n > 0) {
			sb_free(&fl->s);
			sb_free(&fl->f);
			return;
		}
	}
	sv_push(out, str);
	fl->s.s = NULL;
	fl->s.len = fl->s.cap = 0;
	sb_free(&fl->f);
}

static void split_fields(struct xbuf *x, struct strvec *out)
{
	const char *ifs = var_ifs();
	struct field fl = {0};
	int exists = 0;
	enum { P_START, P_CHAR, P_WS, P_NWS } prev = P_START;

	for (size_t i = 0; i < x->len; i++) {
		char c = x->s[i];
		int f = x->f[i];

		if (f == F_BREAK) {
			if (exists)
				field_push(&fl, out);
			exists = 0;
			prev = P_START;
			continue;
		}
		if (f == F_QMARK) {
			exists = 1;
			continue;
		}
		if (f == F_EXP && c && strchr(ifs, c)) {
			int ws = c == ' ' || c == '\t' || c == '\n';

			if (ws) {
				if (exists)
					field_push(&fl, out);
				exists = 0;
				if (prev != P_NWS)
					prev = P_WS;
				continue;
			}
			if (exists || prev != P_WS)
				field_push(&fl, out);
			exists = 0;
			prev = P_NWS;
			continue;
		}
		sb_addc(&fl.s, c);
		sb_addc(&fl.f, f);
		exists = 1;
		prev = P_CHAR;
	}
	if (exists)
		field_push(&fl, out);
	sb_free(&fl.s);
	sb_free(&fl.f);
}

void expand_words(struct word *w, struct strvec *out)
{
	for (; w; w = w->next) {
		struct xbuf x = {0};

		expand_text(&x, w->text, strlen(w->text), X_SPLIT);
		split_fields(&x, out);
		xb_free(&x);
	}
	sv_term(out);
}

static char *expand_mode(const char *raw, int mode, int pattern)
{
	struct xbuf x = {0};
	char *r;

	expand_text(&x, raw, strlen(raw), mode);
	r = xb_string(&x, pattern);
	xb_free(&x);
	return r;
}

char *expand_word_nosplit(const char *raw)
{
	return expand_mode(raw, 0, 0);
}

char *expand_assign_value(const char *raw)
{
	return expand_mode(raw, X_ASSIGN, 0);
}

char *expand_pattern(const char *raw)
{
	return expand_mode(raw, 0, 1);
}

char *expand_heredoc(const char *body)
{
	return expand_mode(body, X_HEREDOC | X_DQ, 0);
}
