/*
 * Redirections (XCU 2.7). redir_apply() performs a command's redirections
 * in order; for commands that run inside the shell (builtins, functions,
 * compound commands) it first copies each affected descriptor to fd >= 10
 * (close-on-exec) so redir_restore() can put everything back, newest first.
 *
 * Here-document bodies go through a pipe; a body larger than what a pipe is
 * sure to hold is fed by a forked writer so the shell never blocks on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

/* Linux guarantees at least one page in a pipe; assume no more. */
#define HEREDOC_INLINE_MAX 4096

struct redir_save {
	struct redir_save *next;
	int fd;
	int copy; /* -1: fd was closed before */
};

static int heredoc_fd(struct redir *r)
{
	char *text = r->quoted ? xstrdup(r->body) : expand_heredoc(r->body);
	size_t len = strlen(text);
	int pfd[2];

	if (pipe(pfd) < 0) {
		free(text);
		return -1;
	}
	if (len <= HEREDOC_INLINE_MAX) {
		xwrite(pfd[1], text, len);
	} else {
		/* the writer is a grandchild, so nobody has to reap it later */
		pid_t pid = fork();

		if (pid == 0) {
			if (fork() == 0) {
				close(pfd[0]);
				xwrite(pfd[1], text, len);
			}
			_exit(0);
		}
		if (pid > 0)
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
	}
	close(pfd[1]);
	free(text);
	return pfd[0];
}

static void save_fd(struct redir_save **save, int fd)
{
	struct redir_save *s = xmalloc(sizeof(*s));

	s->fd = fd;
	s->copy = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	s->next = *save;
	*save = s;
}

static int open_target(struct redir *r, const char *path)
{
	int flags;

	switch (r->type) {
	case R_IN:
		flags = O_RDONLY;
		break;
	case R_OUT:
		flags = O_WRONLY | O_CREAT | O_TRUNC | (sh.opt_C ? O_EXCL : 0);
		break;
	case R_CLOBBER:
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case R_APPEND:
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		flags = O_RDWR | O_CREAT;
		break;
	}
	int fd = open(path, flags, 0666);

	if (fd < 0)
		sh_warn("cannot %s %s: %s", r->type == R_IN ? "open" : "create", path,
			strerror(errno));
	return fd;
}

int redir_apply(struct redir *r, struct redir_save **save)
{
	for (; r; r = r->next) {
		int newfd;

		if (r->type == R_DUPIN || r->type == R_DUPOUT) {
			char *t = expand_word_nosplit(r->target);
			long n;

			if (save)
				save_fd(save, r->fd);
			if (!strcmp(t, "-")) {
				close(r->fd);
				free(t);
				continue;
			}
			if (str_to_int(t, &n) < 0 || n < 0) {
				sh_warn("%s: bad fd number", t);
				free(t);
				return -1;
			}
			free(t);
			if (n != r->fd && dup2(n, r->fd) < 0) {
				sh_warn("%ld: %s", n, strerror(errno));
				return -1;
			}
			continue;
		}
		if (r->type == R_HEREDOC) {
			newfd = heredoc_fd(r);
			if (newfd < 0) {
				sh_perror("pipe");
				return -1;
			}
		} else {
			char *path = expand_word_nosplit(r->target);

			newfd = open_target(r, path);
			free(path);
			if (newfd < 0)
				return -1;
		}
		if (save)
			save_fd(save, r->fd);
		if (newfd != r->fd) {
			dup2(newfd, r->fd);
			close(newfd);
		} else {
			fcntl(newfd, F_SETFD, 0);
		}
	}
	return 0;
}

void redir_restore(struct redir_save *save)
{
	while (save) {
		struct redir_save *next = save->next;

		if (save->copy >= 0) {
			dup2(save->copy, save->fd);
			close(save->copy);
		} else {
			close(save->fd);
		}
		free(save);
		save = next;
	}
}
