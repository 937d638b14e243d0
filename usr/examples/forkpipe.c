/*
 * fork + pipe between two processes: the child writes a message and its
 * pid into a pipe and exits 7; the parent reads it, checks it, waits for the
 * child and checks the exit status. Prints "forkpipe: ok" or the mismatch
 * and exits non-zero.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	char buf[128] = { 0 }, want[128];
	int fds[2], status;
	pid_t pid;
	ssize_t n;

	if (pipe(fds)) {
		perror("forkpipe: pipe");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("forkpipe: fork");
		return 1;
	}
	if (pid == 0) {
		close(fds[0]);
		snprintf(buf, sizeof(buf), "child %d says hello", getpid());
		if (write(fds[1], buf, strlen(buf)) != (ssize_t)strlen(buf))
			_exit(2);
		_exit(7);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	snprintf(want, sizeof(want), "child %d says hello", pid);
	if (n < 0 || strcmp(buf, want)) {
		printf("forkpipe: read %zd bytes \"%s\", wanted \"%s\"\n", n, buf, want);
		return 1;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 7) {
		printf("forkpipe: child status %#x, wanted exit 7\n", status);
		return 1;
	}
	printf("forkpipe: ok (%s)\n", buf);
	return 0;
}
