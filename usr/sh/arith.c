/*
 * Arithmetic expansion $((...)) (XCU 2.6.4): signed long arithmetic with
 * the C operators the standard lists, by precedence climbing.
 *
 *   primary : NUMBER | NAME | '(' expr ')' | unary primary
 *   binary  : * / %  + -  << >>  < <= > >=  == !=  &  ^  |  &&  ||
 *   then ?: and the assignments = *= /= %= += -= <<= >>= &= ^= |=
 *
 * Names are read as variables whose value is itself a number (unset or
 * empty is 0). && || and ?: evaluate their unused side with assignments
 * suppressed, so "x && (y = 1)" does not assign when x is 0.
 * Errors (division by zero, bad syntax) abort the command.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct arith {
	const char *p;
	const char *expr;
	int noeval;
};

static long arith_expr(struct arith *a);

__attribute__((noreturn)) static void arith_error(struct arith *a, const char *msg)
{
	sh_error("arithmetic expression: %s: \"%s\"", msg, a->expr);
}

static void skip_ws(struct arith *a)
{
	while (isspace((unsigned char)*a->p))
		a->p++;
}

static long parse_number(struct arith *a, const char *s, const char **end)
{
	char *e;
	long v = strtol(s, &e, 0);

	if (e == s)
		arith_error(a, "expecting primary");
	*end = e;
	return v;
}

static long var_number(struct arith *a, const char *name)
{
	const char *v = var_get(name);
	const char *end;
	long n;

	if (!v || !*v) {
		if (sh.opt_u && !v)
			sh_error("%s: parameter not set", name);
		return 0;
	}
	while (isspace((unsigned char)*v))
		v++;
	n = parse_number(a, v, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		arith_error(a, "bad number");
	return n;
}

static void assign(struct arith *a, const char *name, long v)
{
	char buf[32];

	if (a->noeval)
		return;
	snprintf(buf, sizeof(buf), "%ld", v);
	if (var_set(name, buf, 0) < 0)
		sh_abort(2);
}

static long arith_unary(struct arith *a)
{
	skip_ws(a);
	char c = *a->p;

	if (c == '(') {
		a->p++;
		long v = arith_expr(a);

		skip_ws(a);
		if (*a->p != ')')
			arith_error(a, "expecting ')'");
		a->p++;
		return v;
	}
	if (c == '-' && a->p[1] != '-') {
		a->p++;
		return -arith_unary(a);
	}
	if (c == '+' && a->p[1] != '+') {
		a->p++;
		return arith_unary(a);
	}
	if (c == '!') {
		a->p++;
		return !arith_unary(a);
	}
	if (c == '~') {
		a->p++;
		return ~arith_unary(a);
	}
	if (isdigit((unsigned char)c)) {
		const char *end;
		long v = parse_number(a, a->p, &end);

		a->p = end;
		if (isalnum((unsigned char)*a->p))
			arith_error(a, "bad number");
		return v;
	}
	if (isalpha((unsigned char)c) || c == '_') {
		const char *s = a->p;

		while (isalnum((unsigned char)*a->p) || *a->p == '_')
			a->p++;
		char *name = xstrndup(s, a->p - s);

		skip_ws(a);
		static const char *const ops[] = {
			"<<=", ">>=", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", NULL};
		for (int i = 0; ops[i]; i++) {
			size_t l = strlen(ops[i]);

			if (strncmp(a->p, ops[i], l))
				continue;
			a->p += l;
			long r = arith_expr(a);
			long v = var_number(a, name);

			switch (ops[i][0]) {
			case '<':
				v <<= r;
				break;
			case '>':
				v >>= r;
				break;
			case '*':
				v *= r;
				break;
			case '/':
			case '%':
				if (!r && !a->noeval)
					arith_error(a, "division by zero");
				if (r)
					v = ops[i][0] == '/' ? v / r : v % r;
				break;
			case '+':
				v += r;
				break;
			case '-':
				v -= r;
				break;
			case '&':
				v &= r;
				break;
			case '^':
				v ^= r;
				break;
			case '|':
				v |= r;
				break;
			}
			assign(a, name, v);
			free(name);
			return v;
		}
		if (a->p[0] == '=' && a->p[1] != '=') {
			a->p++;
			long v = arith_expr(a);

			assign(a, name, v);
			free(name);
			return v;
		}
		long v = var_number(a, name);

		free(name);
		return v;
	}
	arith_error(a, "expecting primary");
}

struct binop {
	const char *op;
	int prec;
};

/* Longest operators first so "<=" is not read as "<". */
static const struct binop binops[] = {
	{"||", 1}, {"&&", 2}, {"==", 6}, {"!=", 6}, {"<=", 7}, {">=", 7}, {"<<", 8},
	{">>", 8}, {"|", 3},  {"^", 4},	 {"&", 5},  {"<", 7},  {">", 7},  {"+", 9},
	{"-", 9},  {"*", 10}, {"/", 10}, {"%", 10}, {NULL, 0},
};

static const struct binop *peek_binop(struct arith *a)
{
	skip_ws(a);
	for (const struct binop *b = binops; b->op; b++) {
		size_t l = strlen(b->op);

		if (strncmp(a->p, b->op, l))
			continue;
		/* "a = b" style assignment or "<<=" is not a binary operator here */
		if (a->p[l] == '=' && b->prec >= 3 && strcmp(b->op, "==") && strcmp(b->op, "!=") &&
		    strcmp(b->op, "<=") && strcmp(b->op, ">="))
			return NULL;
		return b;
	}
	return NULL;
}

static long apply(struct arith *a, const char *op, long l, long r)
{
	switch (op[0]) {
	case '|':
		return op[1] ? (l || r) : (l | r);
	case '&':
		return op[1] ? (l && r) : (l & r);
	case '^':
		return l ^ r;
	case '=':
		return l == r;
	case '!':
		return l != r;
	case '<':
		return op[1] == '<' ? l << r : op[1] == '=' ? l <= r : l < r;
	case '>':
		return op[1] == '>' ? l >> r : op[1] == '=' ? l >= r : l > r;
	case '+':
		return l + r;
	case '-':
		return l - r;
	case '*':
		return l * r;
	case '/':
	case '%':
		if (!r) {
			if (a->noeval)
				return 0;
			arith_error(a, "division by zero");
		}
		return op[0] == '/' ? l / r : l % r;
	}
	return 0;
}

static long arith_binary(struct arith *a, int minprec)
{
	long l = arith_unary(a);
	const struct binop *b;

	while ((b = peek_binop(a)) && b->prec >= minprec) {
		a->p += strlen(b->op);
		int short_circ = (b->prec == 1 && l) || (b->prec == 2 && !l);

		a->noeval += short_circ;
		long r = arith_binary(a, b->prec + 1);

		a->noeval -= short_circ;
		if (b->prec <= 2)
			l = b->prec == 1 ? (l || r) : (l && r);
		else
			l = apply(a, b->op, l, r);
	}
	return l;
}

static long arith_expr(struct arith *a)
{
	long c = arith_binary(a, 1);

	skip_ws(a);
	if (*a->p != '?')
		return c;
	a->p++;
	a->noeval += !c;
	long t = arith_expr(a);

	a->noeval -= !c;
	skip_ws(a);
	if (*a->p != ':')
		arith_error(a, "expecting ':'");
	a->p++;
	a->noeval += !!c;
	long f = arith_expr(a);

	a->noeval -= !!c;
	return c ? t : f;
}

long arith_eval(const char *expr)
{
	struct arith a = {.p = expr, .expr = expr};
	long v;

	skip_ws(&a);
	if (!*a.p)
		return 0;
	v = arith_expr(&a);
	skip_ws(&a);
	if (*a.p)
		arith_error(&a, "syntax error");
	return v;
}
