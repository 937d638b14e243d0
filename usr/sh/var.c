/*
 * Shell variables and positional parameters.
 *
 * Variables live in a small chained hash table. A variable may exist with
 * flags but no value (e.g. "export x" before x is set): value == NULL.
 *
 * Temporary values (prefix assignments for builtins and functions, and
 * "local" inside functions) are recorded on a save stack; var_mark() takes
 * its depth and var_pop_to() puts back every saved value above the mark,
 * newest first, so nested saves of the same name unwind correctly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

#define VAR_BUCKETS 128

struct var {
	struct var *next;
	char *name;
	char *value;
	int flags;
};

struct var_save {
	char *name;
	char *value;
	int flags;
	int existed;
};

static struct var *buckets[VAR_BUCKETS];
static struct var_save *saves;
static int nsaves, capsaves;

struct posparams posp;

static unsigned var_hash(const char *s)
{
	unsigned h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % VAR_BUCKETS;
}

static struct var *var_find(const char *name, int create)
{
	unsigned h = var_hash(name);
	struct var *v;

	for (v = buckets[h]; v; v = v->next)
		if (!strcmp(v->name, name))
			return v;
	if (!create)
		return NULL;
	v = xmalloc(sizeof(*v));
	v->name = xstrdup(name);
	v->value = NULL;
	v->flags = 0;
	v->next = buckets[h];
	buckets[h] = v;
	return v;
}

const char *var_get(const char *name)
{
	struct var *v = var_find(name, 0);

	return v ? v->value : NULL;
}

int var_set(const char *name, const char *value, int flags)
{
	struct var *v = var_find(name, 1);

	if (v->flags & V_READONLY) {
		sh_warn("%s: is read only", name);
		return -1;
	}
	if (value) {
		char *nv = xstrdup(value);

		free(v->value);
		v->value = nv;
	}
	v->flags |= flags;
	return 0;
}

int var_unset(const char *name)
{
	unsigned h = var_hash(name);
	struct var **pp, *v;

	for (pp = &buckets[h]; (v = *pp); pp = &v->next) {
		if (strcmp(v->name, name))
			continue;
		if (v->flags & V_READONLY) {
			sh_warn("%s: is read only", name);
			return -1;
		}
		*pp = v->next;
		free(v->name);
		free(v->value);
		free(v);
		return 0;
	}
	return 0;
}

int var_flags(const char *name)
{
	struct var *v = var_find(name, 0);

	return v ? v->flags : 0;
}

void var_set_flags(const char *name, int flags)
{
	var_find(name, 1)->flags |= flags;
}

static int var_cmp(const void *a, const void *b)
{
	return strcmp((*(struct var *const *)a)->name, (*(struct var *const *)b)->name);
}

static void print_quoted(const char *s)
{
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

void var_print(int flag, const char *prefix)
{
	struct var **all = NULL;
	int n = 0;

	for (int i = 0; i < VAR_BUCKETS; i++)
		for (struct var *v = buckets[i]; v; v = v->next)
			if (!flag || (v->flags & flag)) {
				all = xrealloc(all, (n + 1) * sizeof(*all));
				all[n++] = v;
			}
	qsort(all, n, sizeof(*all), var_cmp);
	for (int i = 0; i < n; i++) {
		if (!flag && !all[i]->value)
			continue;
		fputs(prefix, stdout);
		fputs(all[i]->name, stdout);
		if (all[i]->value) {
			putchar('=');
			print_quoted(all[i]->value);
		}
		putchar('\n');
	}
	fflush(stdout);
	free(all);
}

char **var_environ(void)
{
	struct strvec sv = {0};

	for (int i = 0; i < VAR_BUCKETS; i++)
		for (struct var *v = buckets[i]; v; v = v->next) {
			if (!(v->flags & V_EXPORT) || !v->value)
				continue;
			char *e = xmalloc(strlen(v->name) + strlen(v->value) + 2);

			sprintf(e, "%s=%s", v->name, v->value);
			sv_push(&sv, e);
		}
	sv_term(&sv);
	return sv.v;
}

int var_mark(void)
{
	return nsaves;
}

static void var_save(const char *name)
{
	struct var *v = var_find(name, 0);
	struct var_save *s;

	if (nsaves == capsaves) {
		capsaves = capsaves ? capsaves * 2 : 16;
		saves = xrealloc(saves, capsaves * sizeof(*saves));
	}
	s = &saves[nsaves++];
	s->name = xstrdup(name);
	s->existed = v != NULL;
	s->value = v && v->value ? xstrdup(v->value) : NULL;
	s->flags = v ? v->flags : 0;
}

void var_push_temp(const char *name, const char *value, int export)
{
	var_save(name);
	var_set(name, value, export ? V_EXPORT : 0);
}

void var_local(const char *name)
{
	var_save(name);
}

void var_pop_to(int mark)
{
	while (nsaves > mark) {
		struct var_save *s = &saves[--nsaves];

		if (!s->existed) {
			struct var *v = var_find(s->name, 0);

			if (v)
				v->flags &= ~V_READONLY;
			var_unset(s->name);
		} else {
			struct var *v = var_find(s->name, 1);

			free(v->value);
			v->value = s->value;
			v->flags = s->flags;
			s->value = NULL;
		}
		free(s->name);
		free(s->value);
	}
}

const char *var_ifs(void)
{
	const char *ifs = var_get("IFS");

	return ifs ? ifs : " \t\n";
}

void posp_set(int n, char **v)
{
	char **nv = xmalloc((n + 1) * sizeof(char *));

	for (int i = 0; i < n; i++)
		nv[i] = xstrdup(v[i]);
	nv[n] = NULL;
	posp_free(&posp);
	posp.n = n;
	posp.v = nv;
}

void posp_free(struct posparams *p)
{
	for (int i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

void var_init(char **envp)
{
	char buf[32];

	for (char **e = envp; e && *e; e++) {
		char *eq = strchr(*e, '=');

		if (!eq || !is_name_n(*e, eq - *e))
			continue;
		char *name = xstrndup(*e, eq - *e);

		var_set(name, eq + 1, V_EXPORT);
		free(name);
	}
	var_set("IFS", " \t\n", 0);
	if (!var_get("PATH"))
		var_set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 0);
	if (!var_get("PS1"))
		var_set("PS1", geteuid() == 0 ? "# " : "$ ", 0);
	var_set("PS2", "> ", 0);
	var_set("PS4", "+ ", 0);
	var_set("OPTIND", "1", 0);
	snprintf(buf, sizeof(buf), "%d", (int)getppid());
	var_set("PPID", buf, 0);
}
