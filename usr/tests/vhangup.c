/*
 * vhangup(2): EPERM without privilege; a session leader whose controlling
 * terminal is a pty slave hangs it up: it gets SIGHUP, its open slave
 * file reads EOF and fails writes with EIO, and the terminal no longer
 * controls the session. Without a controlling terminal it does nothing.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "harness.h"

static volatile sig_atomic_t got_hup;

static void on_hup(int sig)
{
	(void)sig;
	got_hup = 1;
}

static void unprivileged(void *arg)
{
	(void)arg;
	if (setuid(65534))
		_exit(2);
	EXPECT_ERRNO(syscall(SYS_vhangup), EPERM);
}

TEST(vhangup, eperm)
{
	int st = run_child(unprivileged, NULL);

	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void hangup_child(void *arg)
{
	int master = *(int *)arg, slave;
	char buf[8];
	pid_t sid;

	sid = setsid();
	if (sid < 0)
		_exit(2);
	signal(SIGHUP, on_hup);
	slave = open(ptsname(master), O_RDWR);	/* a session leader's first tty: its ctty */
	ASSERT_GE(slave, 0);
	EXPECT_EQ(tcgetsid(slave), sid);
	EXPECT_EQ(syscall(SYS_vhangup), 0);
	EXPECT_EQ(got_hup, 1);
	EXPECT_EQ(read(slave, buf, sizeof(buf)), 0);
	EXPECT_ERRNO(write(slave, "x", 1), EIO);
	/* The terminal controls nothing now; a second vhangup has nothing to do. */
	EXPECT_ERRNO(open("/dev/tty", O_RDWR), ENXIO);
	EXPECT_EQ(syscall(SYS_vhangup), 0);
}

TEST(vhangup, hangs_up_controlling_pty)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY), st;

	ASSERT_GE(master, 0);
	ASSERT_OK(grantpt(master));
	ASSERT_OK(unlockpt(master));
	st = run_child(hangup_child, &master);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(master);
}

static void no_ctty_child(void *arg)
{
	(void)arg;
	if (setsid() < 0)
		_exit(2);
	EXPECT_EQ(syscall(SYS_vhangup), 0);
}

TEST(vhangup, without_ctty)
{
	int st = run_child(no_ctty_child, NULL);

	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
