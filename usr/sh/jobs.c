/*
 * Jobs: every command the shell forks belongs to a job (one process, or one
 * per pipeline element). Foreground jobs live only while the shell waits
 * for them; background and stopped jobs sit in the job table with a number.
 *
 * With job control (interactive, set -m) each job is its own process group,
 * set by both parent and child (whichever runs first wins the race), and a
 * foreground job is given the terminal with tcsetpgrp() before it can read.
 * The shell ignores SIGTSTP/SIGTTIN/SIGTTOU itself and takes the terminal
 * back when the job stops or ends.
 *
 * Status is collected only with waitpid() on pids we know, never
 * waitpid(-1), so $(...) and here-document writers are never reaped here.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "sh.h"

enum job_state {
	JS_RUNNING,
	JS_STOPPED,
	JS_DONE,
};

struct proc {
	pid_t pid;
	int status; /* raw wait status */
	enum job_state state;
};

struct job {
	struct job *next;
	int id; /* 0 until it enters the table */
	pid_t pgid;
	struct proc *procs;
	int nproc;
	char *cmd;
	enum job_state state;
	int changed; /* state changed since last reported */
	int async;
};

static struct job *jobs;
static int cur_id, prev_id;

struct job *job_new(const char *cmd, int async)
{
	struct job *j = xmalloc(sizeof(*j));

	memset(j, 0, sizeof(*j));
	j->cmd = xstrdup(cmd);
	j->async = async;
	return j;
}

void job_add_proc(struct job *j, pid_t pid)
{
	if (sh.jobctl) {
		if (!j->pgid)
			j->pgid = pid;
		setpgid(pid, j->pgid);
	}
	j->procs = xrealloc(j->procs, (j->nproc + 1) * sizeof(*j->procs));
	j->procs[j->nproc].pid = pid;
	j->procs[j->nproc].status = 0;
	j->procs[j->nproc].state = JS_RUNNING;
	j->nproc++;
}

pid_t job_pgid(struct job *j)
{
	return j->pgid;
}

void jobs_child_setup(struct job *j, int fg)
{
	pid_t pgid;

	if (!sh.jobctl)
		return;
	pgid = j->pgid ? j->pgid : getpid();
	setpgid(0, pgid);
	if (fg)
		tcsetpgrp(sh.ttyfd, pgid);
}

static void job_free(struct job *j)
{
	free(j->procs);
	free(j->cmd);
	free(j);
}

static void job_unlink(struct job *j)
{
	for (struct job **pp = &jobs; *pp; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	if (cur_id == j->id) {
		cur_id = prev_id;
		prev_id = 0;
	} else if (prev_id == j->id) {
		prev_id = 0;
	}
}

static void job_make_current(struct job *j)
{
	if (cur_id != j->id) {
		prev_id = cur_id;
		cur_id = j->id;
	}
}

static void job_enter_table(struct job *j)
{
	struct job **pp;
	int id = 1;

	if (j->id)
		return;
	for (pp = &jobs; *pp; pp = &(*pp)->next)
		if ((*pp)->id >= id)
			id = (*pp)->id + 1;
	j->id = id;
	j->next = NULL;
	*pp = j;
}

static int status_of(int raw)
{
	if (WIFEXITED(raw))
		return WEXITSTATUS(raw);
	if (WIFSIGNALED(raw))
		return 128 + WTERMSIG(raw);
	if (WIFSTOPPED(raw))
		return 128 + WSTOPSIG(raw);
	return 0;
}

static void job_recompute(struct job *j)
{
	int running = 0, stopped = 0;
	enum job_state old = j->state;

	for (int i = 0; i < j->nproc; i++) {
		if (j->procs[i].state == JS_RUNNING)
			running++;
		else if (j->procs[i].state == JS_STOPPED)
			stopped++;
	}
	j->state = running ? JS_RUNNING : stopped ? JS_STOPPED : JS_DONE;
	if (j->state != old)
		j->changed = 1;
}

static void proc_update(struct proc *p, int raw)
{
	if (WIFSTOPPED(raw)) {
		p->state = JS_STOPPED;
	} else if (WIFCONTINUED(raw)) {
		p->state = JS_RUNNING;
	} else {
		p->state = JS_DONE;
		p->status = raw;
	}
}

static void job_state_text(struct job *j, char *buf, size_t n)
{
	int raw = j->nproc ? j->procs[j->nproc - 1].status : 0;

	if (j->state == JS_RUNNING) {
		snprintf(buf, n, "Running");
	} else if (j->state == JS_STOPPED) {
		snprintf(buf, n, "Stopped");
	} else if (WIFSIGNALED(raw)) {
		const char *s = strsignal(WTERMSIG(raw));

		snprintf(buf, n, "%s", s ? s : "Killed");
	} else if (WEXITSTATUS(raw)) {
		snprintf(buf, n, "Done(%d)", WEXITSTATUS(raw));
	} else {
		snprintf(buf, n, "Done");
	}
}

static void job_print(struct job *j, FILE *f)
{
	char st[64];
	char mark = j->id == cur_id ? '+' : j->id == prev_id ? '-' : ' ';

	job_state_text(j, st, sizeof(st));
	fprintf(f, "[%d]%c  %-24s%s\n", j->id, mark, st, j->cmd);
	fflush(f);
}

static void tty_take_back(void)
{
	if (sh.jobctl)
		tcsetpgrp(sh.ttyfd, sh.pgid);
}

/* Blocks until every process of j has ended or stopped. */
static void job_wait_blocking(struct job *j, int untraced)
{
	for (int i = 0; i < j->nproc; i++) {
		struct proc *p = &j->procs[i];
		int raw;

		while (p->state == JS_RUNNING) {
			pid_t r = waitpid(p->pid, &raw, untraced ? WUNTRACED : 0);

			if (r < 0 && errno == EINTR) {
				if (!untraced && trap_pending)
					return;
				continue;
			}
			if (r < 0) {
				p->state = JS_DONE;
				break;
			}
			proc_update(p, raw);
		}
	}
	job_recompute(j);
}

int job_wait_fg(struct job *j)
{
	int st;

	job_wait_blocking(j, sh.jobctl);
	tty_take_back();
	if (j->state == JS_STOPPED) {
		job_enter_table(j);
		job_make_current(j);
		j->changed = 0;
		fprintf(stderr, "\n");
		job_print(j, stderr);
		return 128 + SIGTSTP;
	}
	st = j->nproc ? status_of(j->procs[j->nproc - 1].status) : 0;
	if (j->nproc && WIFSIGNALED(j->procs[j->nproc - 1].status)) {
		int sig = WTERMSIG(j->procs[j->nproc - 1].status);

		if (sig == SIGINT) {
			if (sh.interactive)
				fputc('\n', stderr);
			else
				sh.intr = 1;
		} else if (sig != SIGPIPE) {
			fprintf(stderr, "%s\n", strsignal(sig));
		}
	}
	if (j->id)
		job_unlink(j);
	job_free(j);
	return st;
}

void job_background(struct job *j)
{
	job_enter_table(j);
	job_make_current(j);
	if (sh.interactive && j->nproc) {
		fprintf(stderr, "[%d] %d\n", j->id, (int)j->procs[j->nproc - 1].pid);
		fflush(stderr);
	}
}

void jobs_update(void)
{
	for (struct job *j = jobs; j; j = j->next) {
		for (int i = 0; i < j->nproc; i++) {
			struct proc *p = &j->procs[i];
			int raw;

			if (p->state == JS_DONE)
				continue;
			if (waitpid(p->pid, &raw, WNOHANG | WUNTRACED | WCONTINUED) > 0)
				proc_update(p, raw);
		}
		job_recompute(j);
	}
}

void jobs_notify(void)
{
	struct job *j, *next;

	jobs_update();
	for (j = jobs; j; j = next) {
		next = j->next;
		if (!j->changed)
			continue;
		j->changed = 0;
		if (sh.interactive)
			job_print(j, stderr);
		if (j->state == JS_DONE) {
			job_unlink(j);
			job_free(j);
		}
	}
}

int jobs_running(void)
{
	for (struct job *j = jobs; j; j = j->next)
		if (j->state != JS_DONE)
			return 1;
	return 0;
}

static int fcntl_dup_tty(void)
{
	int fd = isatty(0) ? 0 : isatty(2) ? 2 : -1;

	return fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 10);
}

void jobs_init_tty(void)
{
	int fd;

	if (!sh.interactive)
		return;
	fd = fcntl_dup_tty();
	if (fd < 0) {
		sh.jobctl = 0;
		return;
	}
	sh.ttyfd = fd;
	if (tcgetpgrp(fd) < 0) {
		/* No controlling terminal (e.g. we are init): try to take this one. */
		setsid();
		ioctl(fd, TIOCSCTTY, 0);
	}
	for (;;) {
		pid_t fg = tcgetpgrp(fd);

		if (fg < 0) {
			sh.jobctl = 0;
			return;
		}
		if (fg == getpgrp())
			break;
		kill(0, SIGTTIN);
	}
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	sh.pgid = getpid();
	if (getpgrp() != sh.pgid && setpgid(0, sh.pgid) < 0) {
		sh.pgid = getpgrp();
	}
	tcsetpgrp(fd, sh.pgid);
	sh.jobctl = 1;
}

/* ---- job specs and builtins --------------------------------------------- */

static struct job *job_find(const char *spec, int quiet)
{
	struct job *j;

	if (!spec || !strcmp(spec, "%%") || !strcmp(spec, "%+") || !strcmp(spec, "%")) {
		for (j = jobs; j; j = j->next)
			if (j->id == cur_id)
				return j;
		if (!quiet)
			sh_warn("no current job");
		return NULL;
	}
	if (!strcmp(spec, "%-")) {
		for (j = jobs; j; j = j->next)
			if (j->id == prev_id)
				return j;
	} else if (spec[0] == '%') {
		long n;

		if (str_to_int(spec + 1, &n) == 0) {
			for (j = jobs; j; j = j->next)
				if (j->id == n)
					return j;
		} else {
			for (j = jobs; j; j = j->next)
				if (!strncmp(j->cmd, spec + 1, strlen(spec + 1)))
					return j;
		}
	} else {
		long pid;

		if (str_to_int(spec, &pid) == 0)
			for (j = jobs; j; j = j->next)
				for (int i = 0; i < j->nproc; i++)
					if (j->procs[i].pid == pid)
						return j;
	}
	if (!quiet)
		sh_warn("%s: no such job", spec);
	return NULL;
}

int bltin_jobs(int argc, char **argv)
{
	struct job *j, *next;

	(void)argc;
	(void)argv;
	jobs_update();
	for (j = jobs; j; j = next) {
		next = j->next;
		job_print(j, stdout);
		j->changed = 0;
		if (j->state == JS_DONE) {
			job_unlink(j);
			job_free(j);
		}
	}
	return 0;
}

static void job_continue(struct job *j)
{
	for (int i = 0; i < j->nproc; i++)
		if (j->procs[i].state == JS_STOPPED)
			j->procs[i].state = JS_RUNNING;
	j->state = JS_RUNNING;
	if (j->pgid)
		kill(-j->pgid, SIGCONT);
	else
		for (int i = 0; i < j->nproc; i++)
			kill(j->procs[i].pid, SIGCONT);
}

int bltin_fg(int argc, char **argv)
{
	struct job *j = job_find(argc > 1 ? argv[1] : NULL, 0);

	if (!j)
		return 1;
	if (!sh.jobctl) {
		sh_warn("fg: no job control");
		return 1;
	}
	printf("%s\n", j->cmd);
	fflush(stdout);
	tcsetpgrp(sh.ttyfd, j->pgid);
	job_continue(j);
	return job_wait_fg(j);
}

int bltin_bg(int argc, char **argv)
{
	int st = 0;

	if (!sh.jobctl) {
		sh_warn("bg: no job control");
		return 1;
	}
	for (int i = 1; i < argc || i == 1; i++) {
		struct job *j = job_find(argc > 1 ? argv[i] : NULL, 0);

		if (!j) {
			st = 1;
			continue;
		}
		job_continue(j);
		job_make_current(j);
		printf("[%d] %s &\n", j->id, j->cmd);
		if (argc <= 1)
			break;
	}
	return st;
}

int bltin_wait(int argc, char **argv)
{
	int st = 0;

	if (argc == 1) {
		for (struct job *j = jobs, *next; j; j = next) {
			next = j->next;
			job_wait_blocking(j, 0);
			if (trap_pending)
				return 128 + SIGINT;
			if (j->state == JS_DONE) {
				job_unlink(j);
				job_free(j);
			}
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		struct job *j = job_find(argv[i], 1);
		long pid = 0;

		if (!j) {
			st = 127;
			continue;
		}
		job_wait_blocking(j, 0);
		st = status_of(j->procs[j->nproc - 1].status);
		if (argv[i][0] != '%' && str_to_int(argv[i], &pid) == 0)
			for (int k = 0; k < j->nproc; k++)
				if (j->procs[k].pid == pid)
					st = status_of(j->procs[k].status);
		if (j->state == JS_DONE) {
			job_unlink(j);
			job_free(j);
		}
	}
	return st;
}

/* kill accepts job specs, which only this file can resolve. */
int jobs_spec_to_pid(const char *spec, pid_t *pid)
{
	struct job *j = job_find(spec, 0);

	if (!j)
		return -1;
	*pid = j->pgid ? -j->pgid : j->procs[0].pid;
	return 0;
}
