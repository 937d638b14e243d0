/*
 * Running the AST.
 *
 * exec_node() walks a tree and returns its exit status, which it also
 * leaves in $?. With EX_EXIT the node is the last thing this process will
 * do (a forked pipeline element or subshell), so an external command is
 * exec'd directly instead of forked once more.
 *
 * Simple commands: words are expanded in the shell; then special builtins,
 * functions, regular builtins and finally PATH are tried in that order
 * (XCU 2.9.1.1). Builtins and functions run in the shell process with
 * redirections that redir_restore() undoes; prefix assignments are
 * temporary for everything but special builtins.
 *
 * break/continue/return do not unwind the C stack: they set sh.skip and
 * every loop and list checks it on the way out.
 *
 * set -e: a failing simple command, pipeline or subshell exits the shell
 * unless sh.noerrexit says we are in a condition (if/while/until test,
 * left of && or ||, under !).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

struct func {
	struct func *next;
	char *name;
	struct node *body;
};

static struct func *funcs;

void func_define(const char *name, struct node *body)
{
	struct func *f;

	arena_pin(arena_current());
	for (f = funcs; f; f = f->next)
		if (!strcmp(f->name, name)) {
			f->body = body;
			return;
		}
	f = xmalloc(sizeof(*f));
	f->name = xstrdup(name);
	f->body = body;
	f->next = funcs;
	funcs = f;
}

struct node *func_lookup(const char *name)
{
	for (struct func *f = funcs; f; f = f->next)
		if (!strcmp(f->name, name))
			return f->body;
	return NULL;
}

int func_unset(const char *name)
{
	for (struct func **pp = &funcs; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->name, name)) {
			struct func *f = *pp;

			*pp = f->next;
			free(f->name);
			free(f);
			return 0;
		}
	return -1;
}

/* ---- external commands -------------------------------------------------- */

char *path_search(const char *name)
{
	const char *path = var_get("PATH");
	struct stat st;

	if (strchr(name, '/'))
		return xstrdup(name);
	if (!path)
		path = "";
	for (const char *p = path;;) {
		const char *colon = strchr(p, ':');
		size_t dl = colon ? (size_t)(colon - p) : strlen(p);
		char *full = xmalloc(dl + strlen(name) + 3);

		if (dl)
			sprintf(full, "%.*s/%s", (int)dl, p, name);
		else
			sprintf(full, "%s", name);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
			return full;
		free(full);
		if (!colon)
			return NULL;
		p = colon + 1;
	}
}

/* A file without #! and not ELF: run it as a script in this (child) process. */
__attribute__((noreturn)) static void exec_as_script(const char *path, char **argv)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int argc = 0;

	if (fd < 0) {
		sh_perror(path);
		_exit(126);
	}
	while (argv[argc])
		argc++;
	sh.arg0 = xstrdup(path);
	posp_set(argc - 1, argv + 1);
	sh.interactive = 0;
	sh.jobctl = 0;
	sh.in_subshell = 1;
	sh.funcnest = sh.loopnest = sh.dotnest = 0;
	sh.skip = SKIP_NONE;
	trap_reset_for_subshell();
	sh_exit(exec_file(path, fd_move_high(fd)));
}

void exec_external(char **argv, char **envp)
{
	const char *name = argv[0];
	int err = ENOENT;

	fflush(stdout);
	if (strchr(name, '/')) {
		execve(name, argv, envp);
		err = errno;
		if (err == ENOEXEC)
			exec_as_script(name, argv);
	} else {
		const char *path = var_get("PATH");
		const char *p = path ? path : "";

		for (;;) {
			const char *colon = strchr(p, ':');
			size_t dl = colon ? (size_t)(colon - p) : strlen(p);
			char *full = xmalloc(dl + strlen(name) + 3);

			if (dl)
				sprintf(full, "%.*s/%s", (int)dl, p, name);
			else
				sprintf(full, "%s", name);
			execve(full, argv, envp);
			if (errno == ENOEXEC)
				exec_as_script(full, argv);
			if (errno != ENOENT && errno != ENOTDIR)
				err = errno;
			free(full);
			if (!colon)
				break;
			p = colon + 1;
		}
	}
	if (err == ENOENT || err == ENOTDIR) {
		sh_warn("%s: not found", name);
		_exit(127);
	}
	sh_warn("%s: %s", name, strerror(err));
	_exit(126);
}

void child_reset_signals(void)
{
	static const int sigs[] = {SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction sa;

		sigaction(sigs[i], NULL, &sa);
		if (sa.sa_handler == SIG_IGN && !sh.interactive && !sh.jobctl)
			continue;
		if (sa.sa_handler != SIG_DFL)
			signal(sigs[i], SIG_DFL);
	}
	trap_reset_for_subshell();
}

/* ---- simple commands ---------------------------------------------------- */

struct assign {
	char *name;
	char *value;
};

static int expand_assigns(struct word *w, struct assign **out)
{
	int n = 0;

	for (struct word *x = w; x; x = x->next)
		n++;
	*out = xmalloc((n + 1) * sizeof(**out));
	n = 0;
	for (; w; w = w->next, n++) {
		const char *eq = strchr(w->text, '=');

		(*out)[n].name = xstrndup(w->text, eq - w->text);
		(*out)[n].value = expand_assign_value(eq + 1);
	}
	return n;
}

static void free_assigns(struct assign *a, int n)
{
	for (int i = 0; i < n; i++) {
		free(a[i].name);
		free(a[i].value);
	}
	free(a);
}

void xtrace_print(struct strvec *argv, struct node *cmd)
{
	struct strbuf sb = {0};
	const char *ps4 = var_get("PS4");

	(void)cmd;
	sb_adds(&sb, ps4 ? ps4 : "+ ");
	for (int i = 0; i < argv->n; i++) {
		if (i)
			sb_addc(&sb, ' ');
		sb_adds(&sb, argv->v[i]);
	}
	sb_addc(&sb, '\n');
	fflush(stdout);
	xwrite(2, sb.s, sb.len);
	sb_free(&sb);
}

static int call_function(struct node *body, int argc, char **argv)
{
	struct posparams saved = posp;
	int saved_loop = sh.loopnest;
	int mark = var_mark();
	int st;

	posp.n = 0;
	posp.v = NULL;
	posp_set(argc - 1, argv + 1);
	sh.loopnest = 0;
	sh.funcnest++;
	st = exec_node(body, 0);
	if (sh.skip == SKIP_RETURN) {
		sh.skip = SKIP_NONE;
		st = sh.status;
	}
	sh.funcnest--;
	sh.loopnest = saved_loop;
	var_pop_to(mark);
	posp_free(&posp);
	posp = saved;
	return st;
}

static int fork_external(char **argv, struct redir *redirs, struct assign *as, int nas,
			 const char *text)
{
	struct job *j = job_new(text, 0);
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		sh_perror("fork");
		return 2;
	}
	if (pid == 0) {
		jobs_child_setup(j, 1);
		child_reset_signals();
		sh.in_subshell = 1;
		if (redir_apply(redirs, NULL) < 0)
			_exit(2);
		for (int i = 0; i < nas; i++)
			var_set(as[i].name, as[i].value, V_EXPORT);
		exec_external(argv, var_environ());
	}
	job_add_proc(j, pid);
	return job_wait_fg(j);
}

int exec_run_external(char **argv)
{
	return fork_external(argv, NULL, NULL, 0, argv[0]);
}

/* "a=1 b=$a": each assignment is expanded after the previous one is made. */
static int exec_assigns_only(struct node *n, struct strvec *argv)
{
	struct redir_save *save = NULL;
	int st;

	for (struct word *w = n->assigns; w; w = w->next) {
		const char *eq = strchr(w->text, '=');
		char *name = xstrndup(w->text, eq - w->text);
		char *value = expand_assign_value(eq + 1);

		if (sh.opt_x) {
			struct strvec tr = {0};
			char *s = xmalloc(strlen(name) + strlen(value) + 2);

			sprintf(s, "%s=%s", name, value);
			sv_push(&tr, s);
			xtrace_print(&tr, n);
			sv_free(&tr);
		}
		if (var_set(name, value, 0) < 0)
			sh_abort(2);
		free(name);
		free(value);
	}
	st = sh.cmdsub_status;
	if (redir_apply(n->redirs, &save) < 0)
		st = 2;
	redir_restore(save);
	sv_free(argv);
	return st;
}

static int exec_simple(struct node *n, int flags)
{
	struct strvec argv = {0};
	struct assign *as;
	int nas, st;

	sh.cmdsub_status = 0;
	expand_words(n->args, &argv);
	if (argv.n == 0)
		return exec_assigns_only(n, &argv);
	nas = expand_assigns(n->assigns, &as);
	if (sh.opt_x) {
		struct strvec tr = {0};

		for (int i = 0; i < nas; i++) {
			char *s = xmalloc(strlen(as[i].name) + strlen(as[i].value) + 2);

			sprintf(s, "%s=%s", as[i].name, as[i].value);
			sv_push(&tr, s);
		}
		for (int i = 0; i < argv.n; i++)
			sv_push(&tr, xstrdup(argv.v[i]));
		xtrace_print(&tr, n);
		sv_free(&tr);
	}
	const struct builtin *b = builtin_lookup(argv.v[0]);
	struct node *fn = NULL;

	if (!b || !b->special)
		fn = func_lookup(argv.v[0]);
	if (b || fn) {
		int special = b && b->special && !fn;
		int mark = var_mark();
		struct redir_save *save = NULL;
		struct redir_save **savep = &save;

		if (special && !strcmp(argv.v[0], "exec") && argv.n == 1)
			savep = NULL;
		for (int i = 0; i < nas; i++) {
			if (special) {
				if (var_set(as[i].name, as[i].value, 0) < 0)
					sh_abort(2);
			} else {
				var_push_temp(as[i].name, as[i].value, 1);
			}
		}
		if (redir_apply(n->redirs, savep) < 0) {
			redir_restore(save);
			var_pop_to(mark);
			free_assigns(as, nas);
			sv_free(&argv);
			if (special && !sh.interactive)
				sh_exit(2);
			return 2;
		}
		if (fn)
			st = call_function(fn, argv.n, argv.v);
		else
			st = b->fn(argv.n, argv.v);
		fflush(stdout);
		clearerr(stdout);
		redir_restore(save);
		if (nas)
			var_pop_to(mark); /* not always: "local" pushes saves too */
		free_assigns(as, nas);
		sv_free(&argv);
		return st;
	}

	if (flags & EX_EXIT) {
		if (redir_apply(n->redirs, NULL) < 0)
			sh_exit(2);
		for (int i = 0; i < nas; i++)
			var_set(as[i].name, as[i].value, V_EXPORT);
		exec_external(argv.v, var_environ());
	}
	char *text = node_to_text(n);

	st = fork_external(argv.v, n->redirs, as, nas, text);
	free(text);
	free_assigns(as, nas);
	sv_free(&argv);
	return st;
}

/* ---- pipelines, background, subshells ----------------------------------- */

static void async_child_stdin(void)
{
	int fd;

	if (sh.jobctl)
		return;
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	fd = open("/dev/null", O_RDONLY);
	if (fd > 0) {
		dup2(fd, 0);
		close(fd);
	}
}

static pid_t fork_child(struct job *j, int fg)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		sh_perror("fork");
		return -1;
	}
	if (pid == 0) {
		jobs_child_setup(j, fg);
		child_reset_signals();
		sh.in_subshell = 1;
		sh.jobctl = 0;
		sh.interactive = 0;
		return 0;
	}
	job_add_proc(j, pid);
	return pid;
}

static int exec_pipeline(struct node *n, int async)
{
	char *text = node_to_text(n);
	struct job *j = job_new(text, async);
	int prevfd = -1, bang = n->flags & NF_BANG;
	pid_t pid = 0;
	int st;

	free(text);
	for (struct node *c = n->a; c; c = c->next) {
		int pfd[2] = {-1, -1};

		if (c->next && pipe(pfd) < 0) {
			sh_perror("pipe");
			break;
		}
		pid = fork_child(j, !async);
		if (pid == 0) {
			if (async && c == n->a)
				async_child_stdin();
			else if (async)
				signal(SIGINT, SIG_IGN), signal(SIGQUIT, SIG_IGN);
			if (prevfd >= 0) {
				dup2(prevfd, 0);
				close(prevfd);
			}
			if (pfd[1] >= 0) {
				close(pfd[0]);
				dup2(pfd[1], 1);
				close(pfd[1]);
			}
			sh_exit(exec_node(c, EX_EXIT));
		}
		if (prevfd >= 0)
			close(prevfd);
		if (pfd[1] >= 0)
			close(pfd[1]);
		prevfd = pfd[0];
		if (pid < 0)
			break;
	}
	if (prevfd >= 0)
		close(prevfd);
	if (async) {
		sh.lastbg = pid;
		job_background(j);
		return 0;
	}
	st = job_wait_fg(j);
	return bang ? !st : st;
}

static int exec_async(struct node *n)
{
	struct job *j;
	pid_t pid;

	if (n->type == N_PIPE && !(n->flags & NF_BANG))
		return exec_pipeline(n, 1);
	char *text = node_to_text(n);

	j = job_new(text, 1);
	free(text);
	pid = fork_child(j, 0);
	if (pid == 0) {
		async_child_stdin();
		sh_exit(exec_node(n, EX_EXIT));
	}
	if (pid > 0)
		sh.lastbg = pid;
	job_background(j);
	return 0;
}

static int exec_subshell(struct node *n, int flags)
{
	struct job *j;
	pid_t pid;

	if (flags & EX_EXIT) {
		if (redir_apply(n->redirs, NULL) < 0)
			sh_exit(2);
		sh_exit(exec_node(n->a, EX_EXIT));
	}
	char *text = node_to_text(n);

	j = job_new(text, 0);
	free(text);
	pid = fork_child(j, 1);
	if (pid == 0) {
		if (redir_apply(n->redirs, NULL) < 0)
			sh_exit(2);
		sh_exit(exec_node(n->a, EX_EXIT));
	}
	return job_wait_fg(j);
}

/* ---- compound commands -------------------------------------------------- */

/* After a loop body: returns 1 if the loop must stop. */
static int loop_skip(void)
{
	if (sh.skip == SKIP_BREAK || sh.skip == SKIP_CONTINUE) {
		if (--sh.skipcount > 0)
			return 1;
		if (sh.skip == SKIP_BREAK) {
			sh.skip = SKIP_NONE;
			return 1;
		}
		sh.skip = SKIP_NONE;
		return 0;
	}
	return sh.skip != SKIP_NONE;
}

static int exec_loop_node(struct node *n)
{
	int st = 0;

	sh.loopnest++;
	for (;;) {
		int c;

		sh.noerrexit++;
		c = exec_node(n->a, EX_TEST);
		sh.noerrexit--;
		if (sh.skip) {
			if (loop_skip())
				break;
			continue;
		}
		if ((c == 0) != (n->type == N_WHILE))
			break;
		st = exec_node(n->b, 0);
		if (sh.skip && loop_skip())
			break;
	}
	sh.loopnest--;
	return st;
}

static int exec_for(struct node *n)
{
	struct strvec items = {0};
	int st = 0;

	if (n->flags & NF_FOR_IN) {
		expand_words(n->args, &items);
	} else {
		for (int i = 0; i < posp.n; i++)
			sv_push(&items, xstrdup(posp.v[i]));
	}
	sh.loopnest++;
	for (int i = 0; i < items.n; i++) {
		if (var_set(n->name, items.v[i], 0) < 0) {
			st = 1;
			break;
		}
		st = exec_node(n->a, 0);
		if (sh.skip && loop_skip())
			break;
	}
	sh.loopnest--;
	sv_free(&items);
	return st;
}

static int exec_case(struct node *n, int flags)
{
	char *subject = expand_word_nosplit(n->args->text);
	int st = 0;

	for (struct case_item *ci = n->items; ci; ci = ci->next) {
		for (struct word *p = ci->pats; p; p = p->next) {
			char *pat = expand_pattern(p->text);
			int m = pattern_match(pat, subject);

			free(pat);
			if (m) {
				free(subject);
				return ci->body ? exec_node(ci->body, flags) : 0;
			}
		}
	}
	free(subject);
	return st;
}

static int exec_compound(struct node *n, int flags)
{
	switch (n->type) {
	case N_GROUP:
		return exec_node(n->a, flags);
	case N_IF: {
		int c;

		sh.noerrexit++;
		c = exec_node(n->a, EX_TEST);
		sh.noerrexit--;
		if (sh.skip)
			return c;
		if (c == 0)
			return exec_node(n->b, flags);
		return n->c ? exec_node(n->c, flags) : 0;
	}
	case N_WHILE:
	case N_UNTIL:
		return exec_loop_node(n);
	case N_FOR:
		return exec_for(n);
	case N_CASE:
		return exec_case(n, flags);
	default:
		return 0;
	}
}

int exec_node(struct node *n, int flags)
{
	int st = 0;

	if (!n)
		return 0;
	if (sh.intr && sh.interactive && !sh.in_subshell) {
		sh.intr = 0;
		xwrite(2, "\n", 1);
		sh_abort(130);
	}
	switch (n->type) {
	case N_CMD:
		st = exec_simple(n, flags);
		break;
	case N_PIPE:
		if (n->flags & NF_BANG)
			sh.noerrexit++;
		if (!n->a->next) {
			st = exec_node(n->a, flags & ~EX_EXIT);
			st = (n->flags & NF_BANG) ? !st : st;
		} else {
			st = exec_pipeline(n, 0);
		}
		if (n->flags & NF_BANG)
			sh.noerrexit--;
		break;
	case N_AND:
	case N_OR:
		sh.noerrexit++;
		st = exec_node(n->a, EX_TEST);
		sh.noerrexit--;
		if (!sh.skip && ((st == 0) == (n->type == N_AND)))
			st = exec_node(n->b, flags);
		break;
	case N_LIST:
		for (struct node *c = n->a; c; c = c->next) {
			if (c->flags & NF_ASYNC)
				st = exec_async(c);
			else
				st = exec_node(c, c->next ? flags & ~EX_EXIT : flags);
			sh.status = st;
			if (sh.skip)
				break;
		}
		break;
	case N_SUBSHELL:
		st = exec_subshell(n, flags);
		break;
	case N_FUNC:
		func_define(n->name, n->a);
		break;
	default:
		if (n->redirs) {
			struct redir_save *save = NULL;

			if (redir_apply(n->redirs, &save) < 0) {
				st = 2;
			} else {
				st = exec_compound(n, flags & ~EX_EXIT);
				fflush(stdout);
			}
			redir_restore(save);
		} else {
			st = exec_compound(n, flags);
		}
		break;
	}
	sh.status = st;
	if (trap_pending)
		trap_check();
	if (st && sh.opt_e && !sh.noerrexit && !(flags & EX_TEST) && !sh.skip &&
	    (n->type == N_CMD || n->type == N_SUBSHELL ||
	     (n->type == N_PIPE && !(n->flags & NF_BANG))))
		sh_exit(st);
	if (flags & EX_EXIT)
		sh_exit(st);
	return st;
}

/* ---- reading and running text ------------------------------------------- */

int exec_loop(void)
{
	int st = 0;

	for (;;) {
		struct arena *prev = arena_current();
		struct arena *ar = arena_new();
		struct node *n;
		int eof;

		arena_set_current(ar);
		n = parse_line(&eof);
		if (!eof && n && !sh.opt_n)
			st = exec_node(n, 0);
		arena_set_current(prev);
		arena_free(ar);
		if (eof || sh.skip)
			break;
	}
	return st;
}

int exec_string(const char *s)
{
	int st;

	input_push_string(s);
	st = exec_loop();
	input_pop();
	return st;
}

int exec_file(const char *path, int fd)
{
	int st;

	(void)path;
	input_push_fd(fd, 0);
	st = exec_loop();
	input_pop();
	return st;
}
