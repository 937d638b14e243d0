/*
 * The static program ports_strace traces, in the guest and on the host:
 * a fixed set of system calls whose arguments and results do not depend on
 * the machine (no times, sizes of the host's files or addresses that the
 * normalisation in scripts/testsuite/ports.py does not cover). "fork" adds
 * a child, followed by strace -f; SIGCHLD is blocked first so its delivery
 * cannot fall at different places in the two runs. "threads" starts two
 * threads (strace -f follows them; only the counts are compared, the order
 * of their lines varies), "sleep" sleeps a second and exits 5 (strace -p
 * attaches to it meanwhile).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static void *thread_main(void *arg)
{
	write(1, "thread\n", 7);
	return arg;
}

int main(int argc, char **argv)
{
	char buf[16];
	int p[2], status;

	if (argc > 1 && !strcmp(argv[1], "threads")) {
		pthread_t t[2];

		for (int i = 0; i < 2; i++)
			if (pthread_create(&t[i], NULL, thread_main, NULL))
				return 1;
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "sleep")) {
		struct timespec ts = { 1, 0 };

		nanosleep(&ts, NULL);
		return 5;
	}

	write(1, "hello\n", 6);
	open("/nonexistent/file", O_RDONLY);
	close(-1);
	if (pipe(p) == 0) {
		write(p[1], "abc", 3);
		read(p[0], buf, sizeof(buf));
		close(p[0]);
		close(p[1]);
	}
	access("/", R_OK);
	kill(getpid(), 0);
	if (argc > 1 && !strcmp(argv[1], "fork")) {
		sigset_t s;
		pid_t c;

		sigemptyset(&s);
		sigaddset(&s, SIGCHLD);
		sigprocmask(SIG_BLOCK, &s, NULL);
		c = fork();
		if (c == 0) {
			write(1, "child\n", 6);
			_exit(3);
		}
		if (c < 0 || waitpid(c, &status, 0) != c)
			return 1;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 3)
			return 2;
	}
	return 0;
}
