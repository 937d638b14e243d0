/*
 * Terminal tests that need no one typing: terminal ioctls on files that are
 * not terminals (ENOTTY), /dev/tty without a controlling terminal (ENXIO),
 * the device numbers, and, when /dev/console can become the controlling
 * terminal of a new session, the controlling-terminal rules (TIOCSCTTY,
 * TIOCGSID, TIOCGPGRP/TIOCSPGRP errors, TIOCNOTTY hanging up the foreground
 * group), a termios round trip and poll.
 *
 * Line editing, echo, raw mode and the signal characters need input: the
 * tty_* tests of scripts/run_tests.py type them at usr/examples/ttytest.c.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "harness.h"

/* A pid no process has: above the largest pid_max Linux allows (4M). */
#define NO_SUCH_PID 0x7ffffff0

/* Every terminal request on @fd fails with ENOTTY. */
static void expect_not_a_tty(int fd)
{
	struct termios t;
	struct winsize ws = { 0 };
	int v = 0;

	EXPECT_ERRNO(tcgetattr(fd, &t), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, TCSETS, &t), ENOTTY);
	EXPECT_EQ(isatty(fd), 0);
	EXPECT_EQ(errno, ENOTTY);
	EXPECT_ERRNO(ioctl(fd, TIOCGWINSZ, &ws), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, TIOCSWINSZ, &ws), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, TIOCGPGRP, &v), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, TIOCSPGRP, &v), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, TIOCGSID, &v), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, TIOCSCTTY, 0), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, TIOCNOTTY), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, TCFLSH, TCIFLUSH), ENOTTY);
	EXPECT_ERRNO(tcgetpgrp(fd), ENOTTY);
}

TEST(tty, enotty_regular_file)
{
	int fd;

	write_file("f", "data", 4, 0644);
	fd = ASSERT_OK(open("f", O_RDWR));
	expect_not_a_tty(fd);
	close(fd);
}

TEST(tty, enotty_pipe)
{
	int p[2], n = -1;

	ASSERT_OK(pipe(p));
	expect_not_a_tty(p[0]);
	expect_not_a_tty(p[1]);
	/* FIONREAD is not a terminal request: pipes answer it. */
	EXPECT_OK(ioctl(p[0], FIONREAD, &n));
	EXPECT_EQ(n, 0);
	close(p[0]);
	close(p[1]);
}

TEST(tty, enotty_dev_null)
{
	int fd = ASSERT_OK(open("/dev/null", O_RDWR));

	expect_not_a_tty(fd);
	close(fd);
}

TEST(tty, device_numbers)
{
	struct stat st;

	ASSERT_OK(stat("/dev/tty", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(major(st.st_rdev), 5);
	EXPECT_EQ(minor(st.st_rdev), 0);
	ASSERT_OK(stat("/dev/console", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(major(st.st_rdev), 5);
	EXPECT_EQ(minor(st.st_rdev), 1);
}

static void devtty_in_new_session(void *arg)
{
	(void)arg;
	ASSERT_OK(setsid());
	EXPECT_ERRNO(open("/dev/tty", O_RDWR), ENXIO);
	EXPECT_ERRNO(open("/dev/tty", O_RDONLY | O_NOCTTY), ENXIO);
}

TEST(tty, dev_tty_enxio_without_ctty)
{
	EXPECT_EQ(run_child(devtty_in_new_session, NULL), 0);
}

/* A member of the session that is not its leader may not take a terminal. */
static void sctty_not_leader(void *arg)
{
	int fd = *(int *)arg;

	EXPECT_ERRNO(ioctl(fd, TIOCSCTTY, 0), EPERM);
}

/* Blocks until killed (the test hangs up its process group). */
static void wait_for_hangup(void *arg)
{
	int *p = arg;
	char c;

	close(p[1]);
	setpgid(0, 0);
	read(p[0], &c, 1);
}

static void console_session(void *arg)
{
	struct termios saved, t;
	struct pollfd pfd;
	int fd, dev, sid = -1, pgrp = -1, bad, status, p[2];
	pid_t child;

	(void)arg;
	ASSERT_OK(setsid());
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	/* No usable console (not root, or not a terminal): nothing to check here. */
	if (fd < 0 || !isatty(fd) || ioctl(fd, TIOCSCTTY, 0))
		return;

	EXPECT_OK(ioctl(fd, TIOCGSID, &sid));
	EXPECT_EQ(sid, getpid());
	EXPECT_OK(ioctl(fd, TIOCGPGRP, &pgrp));
	EXPECT_EQ(pgrp, getpgrp());
	EXPECT_EQ(tcgetsid(fd), getpid());
	EXPECT_OK(ioctl(fd, TIOCSCTTY, 0));	/* already ours */
	dev = ASSERT_OK(open("/dev/tty", O_RDWR));
	EXPECT_EQ(isatty(dev), 1);
	close(dev);
	EXPECT_EQ(run_child(sctty_not_leader, &fd), 0);

	bad = NO_SUCH_PID;
	EXPECT_ERRNO(ioctl(fd, TIOCSPGRP, &bad), ESRCH);
	bad = -1;
	EXPECT_ERRNO(ioctl(fd, TIOCSPGRP, &bad), EINVAL);
	bad = 1;	/* init's group, in another session */
	EXPECT_ERRNO(ioctl(fd, TIOCSPGRP, &bad), EPERM);

	ASSERT_OK(tcgetattr(fd, &saved));
	t = saved;
	t.c_cc[VMIN] = 5;
	t.c_cc[VTIME] = 7;
	EXPECT_OK(tcsetattr(fd, TCSANOW, &t));
	memset(&t, 0, sizeof(t));
	EXPECT_OK(tcgetattr(fd, &t));
	EXPECT_EQ(t.c_cc[VMIN], 5);
	EXPECT_EQ(t.c_cc[VTIME], 7);
	EXPECT_EQ(t.c_lflag, saved.c_lflag);
	EXPECT_OK(tcsetattr(fd, TCSANOW, &saved));

	pfd.fd = fd;
	pfd.events = POLLOUT;
	EXPECT_EQ(poll(&pfd, 1, 0), 1);
	EXPECT_TRUE(pfd.revents & POLLOUT);

	/* Give the foreground to a child's group; TIOCNOTTY then hangs it up. */
	ASSERT_OK(pipe(p));
	child = ASSERT_OK(fork());
	if (child == 0) {
		wait_for_hangup(p);
		_exit(0);
	}
	close(p[0]);
	setpgid(child, child);
	EXPECT_OK(tcsetpgrp(fd, child));
	EXPECT_OK(ioctl(fd, TIOCNOTTY));
	ASSERT_EQ(waitpid(child, &status, 0), child);
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(WTERMSIG(status), SIGHUP);
	close(p[1]);

	EXPECT_ERRNO(open("/dev/tty", O_RDWR), ENXIO);
	EXPECT_ERRNO(ioctl(fd, TIOCGSID, &sid), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, TIOCGPGRP, &pgrp), ENOTTY);
	close(fd);
}

TEST(tty, console_controlling_terminal)
{
	EXPECT_EQ(run_child(console_session, NULL), 0);
}
