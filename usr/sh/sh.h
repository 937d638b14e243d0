/*
 * Shared declarations of the shell, internal to usr/sh/.
 *
 * The shell is a pipeline of layers, one file (or two) each:
 *   input.c     where command text comes from (file, string, line editor)
 *   lex.c       characters -> tokens; words are kept as raw source text
 *   parse.c     tokens -> AST (struct node), allocated in an arena
 *   expand.c    raw words -> fields (parameters, $(...), $((...)), quotes,
 *               field splitting, tilde); glob.c does patterns and pathnames
 *   arith.c     $((...)) evaluation
 *   exec.c      runs the AST; redir.c applies redirections
 *   jobs.c      process groups, the job table, waiting
 *   trap.c      signal dispositions and the trap builtin
 *   var.c       variables, positional parameters, the environment
 *   builtin*.c  built-in commands
 *   lineedit.c  the interactive line editor and history
 *   main.c      options, startup, the read-eval loop
 *
 * Errors that abort a command (syntax errors, ${x?}, set -u, a failing
 * special builtin) go through sh_abort(): an interactive shell jumps back
 * to its prompt, anything else exits with the given status.
 */
#ifndef SH_H
#define SH_H

#include <setjmp.h>
#include <stddef.h>
#include <sys/types.h>

/* ---- util.c ------------------------------------------------------------- */

struct strbuf {
	char *s;
	size_t len, cap;
};

struct strvec {
	char **v;
	int n, cap;
};

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void sb_addc(struct strbuf *sb, int c);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
char *sb_str(struct strbuf *sb); /* NUL-terminated view, stays owned */
void sb_free(struct strbuf *sb);
void sv_push(struct strvec *sv, char *s);
void sv_term(struct strvec *sv); /* append the NULL terminator (not counted) */
void sv_free(struct strvec *sv);
void sh_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sh_perror(const char *what); /* "sh: what: strerror(errno)" */
__attribute__((noreturn)) void sh_abort(int status);
__attribute__((noreturn)) void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int is_name(const char *s);
int is_name_n(const char *s, size_t n);
int str_to_int(const char *s, long *out);
int fd_move_high(int fd); /* dup to >= 10 with FD_CLOEXEC, close the old one */
ssize_t xwrite(int fd, const void *buf, size_t n);

/* ---- global shell state (main.c) ----------------------------------------- */

enum sh_skip {
	SKIP_NONE,
	SKIP_BREAK,
	SKIP_CONTINUE,
	SKIP_RETURN,
};

struct shell {
	int status;   /* $? */
	pid_t pid;    /* $$ (the top shell's pid, also in subshells) */
	pid_t lastbg; /* $! */
	int interactive;
	int jobctl;	 /* set -m: process groups and the terminal */
	int in_subshell; /* forked, never returns to a prompt */
	int opt_e, opt_x, opt_u, opt_f, opt_n, opt_v, opt_C;
	int noerrexit;	   /* > 0 inside if/while conditions, && || lists, ! */
	enum sh_skip skip; /* pending break/continue/return */
	int skipcount;	   /* levels left for break/continue */
	int loopnest;
	int funcnest;
	int dotnest;
	int cmdsub_status; /* status of the last $(...) in this command */
	char *arg0;	   /* $0 */
	jmp_buf *toplevel; /* where sh_abort() lands when interactive */
	int intr;	   /* SIGINT arrived while interactive */
	int ttyfd;
	pid_t pgid; /* the shell's own process group */
};

extern struct shell sh;

__attribute__((noreturn)) void sh_exit(int status); /* runs the EXIT trap */

/* ---- input.c ------------------------------------------------------------ */

void input_push_fd(int fd, int interactive);
void input_push_string(const char *s);
void input_pop(void);
int input_getc(void);
void input_ungetc(int c);
void input_set_ps2(int on); /* next line read gets PS2 instead of PS1 */
int input_lineno(void);
void input_discard_line(void); /* interactive: forget the rest after an error */

/* ---- lineedit.c --------------------------------------------------------- */

/* Reads one line (with its '\n') into *out; returns 0, or -1 on EOF. */
int lineedit_read(const char *prompt, struct strbuf *out);
void lineedit_history_add(const char *line);

/* ---- AST (parse.c) ------------------------------------------------------ */

enum node_type {
	N_CMD,	    /* simple command: assigns, args, redirs */
	N_PIPE,	    /* a: first command, linked by next; flags NF_BANG */
	N_AND,	    /* a && b */
	N_OR,	    /* a || b */
	N_LIST,	    /* a: first item, linked by next; items may be NF_ASYNC */
	N_SUBSHELL, /* ( a ) */
	N_GROUP,    /* { a; } */
	N_IF,	    /* if a then b else c */
	N_WHILE,    /* while a do b */
	N_UNTIL,    /* until a do b */
	N_FOR,	    /* for name in args do a */
	N_CASE,	    /* case args->text in items esac */
	N_FUNC,	    /* name() a */
};

#define NF_ASYNC 1
#define NF_BANG 2
#define NF_FOR_IN 4 /* for loop has an explicit "in" list */

struct word {
	struct word *next;
	char *text; /* raw source text, quotes included */
};

enum redir_type {
	R_IN,	   /* <   */
	R_OUT,	   /* >   */
	R_CLOBBER, /* >|  */
	R_APPEND,  /* >>  */
	R_RDWR,	   /* <>  */
	R_DUPIN,   /* <&  */
	R_DUPOUT,  /* >&  */
	R_HEREDOC, /* << and <<- */
};

struct redir {
	struct redir *next;
	enum redir_type type;
	int fd;
	char *target;	/* raw word; for here-documents the delimiter */
	char *body;	/* here-document text */
	int quoted;	/* here-document delimiter was quoted: no expansion */
	int strip_tabs; /* <<- */
};

struct case_item {
	struct case_item *next;
	struct word *pats;
	struct node *body;
};

struct node {
	enum node_type type;
	int flags;
	int lineno;
	struct node *next;
	struct node *a, *b, *c;
	struct word *args;
	struct word *assigns;
	struct redir *redirs;
	char *name;
	struct case_item *items;
};

struct arena;
struct arena *arena_new(void);
void arena_free(struct arena *ar); /* no-op if pinned */
void arena_pin(struct arena *ar);  /* a function body lives in it */
struct arena *arena_current(void);
void arena_set_current(struct arena *ar);
void *arena_alloc(size_t n);
char *arena_strndup(const char *s, size_t n);

/*
 * Parses the next complete command line from the current input into the
 * current arena. Returns NULL at end of input; *eof is set then. A syntax
 * error calls sh_abort(2).
 */
struct node *parse_line(int *eof);
char *node_to_text(struct node *n); /* approximate source, for jobs */

/* ---- lex.c -------------------------------------------------------------- */

enum token_type {
	T_EOF,
	T_NEWLINE,
	T_WORD,
	T_SEMI,	 /* ; */
	T_AMP,	 /* & */
	T_PIPE,	 /* | */
	T_AND,	 /* && */
	T_OR,	 /* || */
	T_DSEMI, /* ;; */
	T_LPAREN,
	T_RPAREN,
	T_REDIR, /* tok.redir and tok.fd say which */
};

struct token {
	enum token_type type;
	char *text; /* T_WORD: raw text (arena) */
	int quoted; /* T_WORD: contains quoting characters */
	enum redir_type redir;
	int fd;		   /* T_REDIR: explicit fd or -1 */
	int heredoc_strip; /* T_REDIR: <<- */
};

void lex_next(struct token *t);
void lex_reset(void);
/* Registers a here-document to read after the next newline token. */
void lex_heredoc_add(struct redir *r);
int lex_heredoc_pending(void);

/* ---- expand.c ----------------------------------------------------------- */

void expand_words(struct word *w, struct strvec *out); /* split + glob */
char *expand_word_nosplit(const char *raw);	       /* assignments, redirections */
char *expand_pattern(const char *raw);		       /* case patterns: quotes -> '\' */
char *expand_heredoc(const char *body);
char *expand_assign_value(const char *raw); /* tilde after ':' too */
char *cmdsub_run(const char *text);	    /* output, trailing newlines removed */

/* ---- arith.c ------------------------------------------------------------ */

long arith_eval(const char *expr);

/* ---- glob.c ------------------------------------------------------------- */

/* Pattern matching as in case and ${x#p}: '\' quotes the next character. */
int pattern_match(const char *pat, const char *str);
int pattern_has_magic(const char *pat);
/* Pathname expansion: appends sorted matches; returns their count. */
int glob_expand(const char *pat, struct strvec *out);

/* ---- var.c -------------------------------------------------------------- */

#define V_EXPORT 1
#define V_READONLY 2

void var_init(char **envp);
const char *var_get(const char *name);			     /* NULL if unset */
int var_set(const char *name, const char *value, int flags); /* -1 if readonly */
int var_unset(const char *name);
int var_flags(const char *name);
void var_set_flags(const char *name, int flags);
void var_print(int flag, const char *prefix); /* export -p, readonly -p, set */
char **var_environ(void);
/* Temporary assignments (cmd prefixes, local): saved and restored. */
int var_mark(void);
void var_push_temp(const char *name, const char *value, int export);
void var_pop_to(int mark);
void var_local(const char *name);
const char *var_ifs(void);

struct posparams {
	int n;
	char **v;
};
extern struct posparams posp;
void posp_set(int n, char **v); /* copies */
void posp_free(struct posparams *p);

/* ---- exec.c / redir.c --------------------------------------------------- */

#define EX_EXIT 1 /* last thing this process does: may exec directly */
#define EX_TEST 2 /* a condition: set -e does not apply */

int exec_node(struct node *n, int flags);
int exec_string(const char *s);		 /* eval */
int exec_file(const char *path, int fd); /* . and scripts: runs to EOF */
int exec_loop(void);			 /* read-eval loop on the current input */
__attribute__((noreturn)) void exec_external(char **argv, char **envp);
int exec_run_external(char **argv);  /* fork, exec via PATH, wait */
char *path_search(const char *name); /* malloc'd, NULL if not found */
void child_reset_signals(void);
void func_define(const char *name, struct node *body);
struct node *func_lookup(const char *name);
int func_unset(const char *name);
void xtrace_print(struct strvec *argv, struct node *cmd);

struct redir_save;
/* Applies redirections; with save != NULL remembers how to undo them.
 * Returns 0 or -1 after printing the error. */
int redir_apply(struct redir *r, struct redir_save **save);
void redir_restore(struct redir_save *save);

/* ---- jobs.c ------------------------------------------------------------- */

struct job;
struct job *job_new(const char *cmd, int async);
void job_add_proc(struct job *j, pid_t pid);
pid_t job_pgid(struct job *j);
int job_wait_fg(struct job *j); /* status of the last process */
void job_background(struct job *j);
void jobs_update(void); /* collect status changes without blocking */
void jobs_notify(void); /* interactive: print Done/Stopped lines */
void jobs_init_tty(void);
void jobs_child_setup(struct job *j, int fg); /* in the forked child */
int jobs_running(void);
int jobs_spec_to_pid(const char *spec, pid_t *pid); /* %job -> -pgid or pid */

/* ---- trap.c ------------------------------------------------------------- */

void trap_init(void);
void trap_check(void); /* run pending trap actions */
void trap_run_exit(void);
void trap_reset_for_subshell(void);
int signal_by_name(const char *s); /* -1 if unknown */
const char *signal_name(int sig);
extern volatile int trap_pending;

/* ---- builtins ----------------------------------------------------------- */

typedef int (*builtin_fn)(int argc, char **argv);

struct builtin {
	const char *name;
	builtin_fn fn;
	int special; /* POSIX special builtin: assignments persist */
};

const struct builtin *builtin_lookup(const char *name);

int bltin_test(int argc, char **argv);
int bltin_read(int argc, char **argv);
int bltin_echo(int argc, char **argv);
int bltin_printf(int argc, char **argv);
int bltin_jobs(int argc, char **argv);
int bltin_fg(int argc, char **argv);
int bltin_bg(int argc, char **argv);
int bltin_wait(int argc, char **argv);
int bltin_kill(int argc, char **argv);
int bltin_trap(int argc, char **argv);
int bltin_set(int argc, char **argv);

#endif
