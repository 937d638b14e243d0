/*
 * Process rows: fork+exit, fork+execve, fork+execve of /bin/sh -c exit
 * (lmbench's lat_proc fork, exec and shell). Each iteration includes the
 * parent's waitpid, as lmbench's does. The exec target is this same binary
 * with --exit, a static program that exits at the top of main().
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exobench.h"

extern char **environ;

static void fork_exit_once(void)
{
	pid_t pid = fork();

	if (pid < 0)
		row_errno("fork");
	if (pid == 0)
		_exit(0);
	reap_ok(pid, "fork+exit");
}

void bench_fork_exit(void)
{
	fork_exit_once();
	MEASURE(it(100), fork_exit_once());
}

static void fork_exec_once(const char *path, char *const argv[])
{
	pid_t pid = fork();

	if (pid < 0)
		row_errno("fork");
	if (pid == 0) {
		execve(path, argv, environ);
		_exit(errno == ENOSYS ? 126 : 127);
	}
	reap_ok(pid, path);
}

void bench_fork_execve(void)
{
	char *argv[] = { (char *)bench_self, "--exit", NULL };

	fork_exec_once(bench_self, argv);
	MEASURE(it(50), fork_exec_once(bench_self, argv));
}

void bench_fork_sh(void)
{
	char *argv[] = { "sh", "-c", "exit", NULL };

	if (access("/bin/sh", X_OK) < 0)
		row_skip("/bin/sh absent");
	fork_exec_once("/bin/sh", argv);
	MEASURE(it(20), fork_exec_once("/bin/sh", argv));
}
