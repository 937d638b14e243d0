/*
 * Pseudo-terminals: /dev/ptmx and devpts (TIOCGPTN, TIOCSPTLCK/TIOCGPTLCK,
 * TIOCGPTPEER), data both ways through N_TTY, the pair's default termios,
 * packet mode, window size and SIGWINCH, the signal characters, a pty as
 * the controlling terminal of a new session (TIOCSCTTY, /dev/tty,
 * /proc/PID/stat tty_nr), background job control (SIGTTIN, SIGTTOU),
 * TIOCNOTTY, hang-up in both directions, flow control, poll, and devpts
 * mount options. Every expectation is Linux's: the group passes natively.
 */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "harness.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

#define PTS_MAJOR 136
#define WAIT_MS 2000

/* A new master (locked slave) and its index. */
static int open_master(int *index)
{
	int fd = ASSERT_OK(open("/dev/ptmx", O_RDWR | O_NOCTTY));

	ASSERT_OK(ioctl(fd, TIOCGPTN, index));
	return fd;
}

static void slave_path(int index, char *buf, size_t size)
{
	snprintf(buf, size, "/dev/pts/%d", index);
}

/* Master and unlocked slave (O_NOCTTY), *@index set. */
static void open_pair(int *master, int *slave, int *index)
{
	char path[32];
	int unlock = 0;

	*master = open_master(index);
	ASSERT_OK(ioctl(*master, TIOCSPTLCK, &unlock));
	slave_path(*index, path, sizeof(path));
	*slave = ASSERT_OK(open(path, O_RDWR | O_NOCTTY));
}

/* Reads from @fd until @want bytes came or WAIT_MS passed with nothing; returns the count. */
static size_t read_until(int fd, char *buf, size_t want)
{
	size_t got = 0;

	while (got < want) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, WAIT_MS) <= 0 || !(pfd.revents & POLLIN))
			break;
		n = read(fd, buf + got, want - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = 0;
	return got;
}

/* Waits for @fd to have input (or anything in @events). */
static short wait_events(int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	if (poll(&pfd, 1, WAIT_MS) <= 0)
		return 0;
	return pfd.revents;
}

TEST(pty, ptmx_and_devpts_nodes)
{
	struct stat st;
	char path[32];
	int m, s, index = -1, lock = -1, unlock = 0;

	ASSERT_OK(stat("/dev/ptmx", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(major(st.st_rdev), 5);
	EXPECT_EQ(minor(st.st_rdev), 2);
	ASSERT_OK(stat("/dev/pts/ptmx", &st));
	EXPECT_EQ(major(st.st_rdev), 5);
	EXPECT_EQ(minor(st.st_rdev), 2);

	m = open_master(&index);
	EXPECT_GE(index, 0);
	slave_path(index, path, sizeof(path));
	ASSERT_OK(stat(path, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(major(st.st_rdev), PTS_MAJOR);
	EXPECT_EQ(minor(st.st_rdev), index);
	EXPECT_EQ(st.st_uid, geteuid());
	EXPECT_STREQ(ptsname(m), path);

	/* Locked until unlockpt(): opening the slave is EIO. */
	EXPECT_OK(ioctl(m, TIOCGPTLCK, &lock));
	EXPECT_EQ(lock, 1);
	EXPECT_ERRNO(open(path, O_RDWR | O_NOCTTY), EIO);
	EXPECT_OK(ioctl(m, TIOCSPTLCK, &unlock));
	EXPECT_OK(ioctl(m, TIOCGPTLCK, &lock));
	EXPECT_EQ(lock, 0);
	s = ASSERT_OK(open(path, O_RDWR | O_NOCTTY));
	EXPECT_TRUE(isatty(s));
	EXPECT_TRUE(isatty(m));
	EXPECT_STREQ(ttyname(s), path);

	/* The master's requests on the slave are not terminal requests. */
	EXPECT_ERRNO(ioctl(s, TIOCGPTN, &index), ENOTTY);
	EXPECT_ERRNO(ioctl(s, TIOCSPTLCK, &unlock), ENOTTY);
	EXPECT_ERRNO(ioctl(s, TIOCPKT, &unlock), ENOTTY);
	EXPECT_ERRNO(ioctl(s, TIOCGPTPEER, O_RDWR), EIO);
	close(s);
	close(m);
	/* The name goes with the master. */
	EXPECT_ERRNO(stat(path, &st), ENOENT);
}

TEST(pty, devpts_readdir)
{
	char name[16];
	bool saw_ptmx = false, saw_index = false;
	struct dirent *d;
	DIR *dir;
	int m, index;

	m = open_master(&index);
	snprintf(name, sizeof(name), "%d", index);
	dir = opendir("/dev/pts");
	ASSERT_TRUE(dir != NULL);
	while ((d = readdir(dir))) {
		if (!strcmp(d->d_name, "ptmx"))
			saw_ptmx = d->d_type == DT_CHR;
		if (!strcmp(d->d_name, name))
			saw_index = d->d_type == DT_CHR;
	}
	closedir(dir);
	EXPECT_TRUE(saw_ptmx);
	EXPECT_TRUE(saw_index);
	close(m);
}

TEST(pty, default_termios)
{
	struct termios t, t2;
	char buf[8];
	int m, s, index;

	/* TCGETS fills the kernel's 36-byte termios; the rest of libc's struct is ours. */
	memset(&t, 0, sizeof(t));
	memset(&t2, 0, sizeof(t2));
	open_pair(&m, &s, &index);
	ASSERT_OK(tcgetattr(s, &t));
	EXPECT_EQ(t.c_iflag, ICRNL | IXON);
	EXPECT_EQ(t.c_oflag, OPOST | ONLCR);
	EXPECT_EQ(t.c_lflag, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN);
	EXPECT_EQ(t.c_cflag, B38400 | CS8 | CREAD);
	EXPECT_EQ(t.c_cc[VINTR], 3);
	EXPECT_EQ(t.c_cc[VSUSP], 26);
	/* The master's termios requests are the slave's (its own side stays raw). */
	ASSERT_OK(tcgetattr(m, &t2));
	EXPECT_MEMEQ(&t2, &t, sizeof(t));
	t2.c_lflag &= ~ECHO;
	ASSERT_OK(tcsetattr(m, TCSANOW, &t2));
	ASSERT_OK(tcgetattr(s, &t));
	EXPECT_EQ(t.c_lflag & ECHO, 0);
	ASSERT_EQ(write(m, "q\n", 2), 2);
	EXPECT_EQ(read_until(s, buf, 2), 2);
	EXPECT_EQ(wait_events(m, POLLIN) & POLLIN, 0);
	close(s);
	close(m);
}

TEST(pty, data_both_ways)
{
	char buf[64];
	int m, s, index, n = -1;

	open_pair(&m, &s, &index);
	/* Master to slave: a canonical line, echoed back to the master with ONLCR. */
	ASSERT_EQ(write(m, "hello\r", 6), 6);
	EXPECT_EQ(read_until(s, buf, 6), 6);
	EXPECT_STREQ(buf, "hello\n");
	EXPECT_EQ(read_until(m, buf, 7), 7);
	EXPECT_STREQ(buf, "hello\r\n");
	/* Slave to master through OPOST. */
	ASSERT_EQ(write(s, "out\n", 4), 4);
	EXPECT_EQ(read_until(m, buf, 5), 5);
	EXPECT_STREQ(buf, "out\r\n");
	/* A partial line is not readable on the slave; FIONREAD counts complete lines. */
	ASSERT_EQ(write(m, "ab", 2), 2);
	EXPECT_EQ(read_until(m, buf, 2), 2);
	EXPECT_OK(ioctl(s, FIONREAD, &n));
	EXPECT_EQ(n, 0);
	EXPECT_EQ(wait_events(s, POLLIN) & POLLIN, 0);
	close(s);
	close(m);
}

TEST(pty, raw_slave)
{
	struct termios t;
	char buf[300], out[300];
	int m, s, index;

	open_pair(&m, &s, &index);
	ASSERT_OK(tcgetattr(s, &t));
	cfmakeraw(&t);
	ASSERT_OK(tcsetattr(s, TCSANOW, &t));
	for (int i = 0; i < 256; i++)
		out[i] = (char)i;
	ASSERT_EQ(write(m, out, 256), 256);
	EXPECT_EQ(read_until(s, buf, 256), 256);
	EXPECT_MEMEQ(buf, out, 256);
	ASSERT_EQ(write(s, out, 256), 256);
	EXPECT_EQ(read_until(m, buf, 256), 256);
	EXPECT_MEMEQ(buf, out, 256);
	close(s);
	close(m);
}

/*
 * A writer fills the pair until EAGAIN; the reader drains it and the writer
 * may go on. EAGAIN can also mean the receive worker has not yet moved the
 * last write from the flip ring into the slave's buffer (a loaded -smp 4
 * guest: the test once stopped at 4095 bytes), so the writer waits a while
 * for POLLOUT before it calls the pair full.
 */
TEST(pty, flow_control_nonblocking)
{
	struct termios t;
	char buf[4096];
	size_t total = 0, drained = 0;
	ssize_t n;
	int m, s, index;

	open_pair(&m, &s, &index);
	ASSERT_OK(tcgetattr(s, &t));
	cfmakeraw(&t);
	ASSERT_OK(tcsetattr(s, TCSANOW, &t));
	ASSERT_OK(fcntl(m, F_SETFL, O_NONBLOCK));
	memset(buf, 'x', sizeof(buf));
	for (int i = 0; i < 1000; i++) {
		struct pollfd pfd = { .fd = m, .events = POLLOUT };

		n = write(m, buf, sizeof(buf));
		if (n >= 0) {
			total += (size_t)n;
			continue;
		}
		EXPECT_EQ(errno, EAGAIN);
		if (poll(&pfd, 1, 200) <= 0 || !(pfd.revents & POLLOUT))
			break;
	}
	EXPECT_GT(total, 4096);
	EXPECT_LT(total, 1000 * sizeof(buf));
	ASSERT_OK(fcntl(s, F_SETFL, O_NONBLOCK));
	for (int idle = 0; idle < 100 && drained < total;) {
		n = read(s, buf, sizeof(buf));
		if (n > 0) {
			drained += (size_t)n;
			idle = 0;
		} else {
			usleep(10000);
			idle++;
		}
	}
	EXPECT_EQ(drained, total);
	EXPECT_TRUE(wait_events(m, POLLOUT) & POLLOUT);
	EXPECT_GT(write(m, buf, 16), 0);
	close(s);
	close(m);
}

TEST(pty, tiocgptpeer)
{
	struct stat st;
	int m, s, index, unlock = 0;

	m = open_master(&index);
	EXPECT_ERRNO(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY), EIO);
	ASSERT_OK(ioctl(m, TIOCSPTLCK, &unlock));
	s = ASSERT_OK(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
	ASSERT_OK(fstat(s, &st));
	EXPECT_EQ(major(st.st_rdev), PTS_MAJOR);
	EXPECT_EQ(minor(st.st_rdev), index);
	EXPECT_EQ(fcntl(s, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(write(s, "z", 1), 1);
	close(s);
	close(m);
}

/* ---- packet mode ------------------------------------------------------------- */

static int read_status(int m)
{
	unsigned char c[8];

	if (!(wait_events(m, POLLPRI) & POLLPRI))
		return -1;
	return read(m, c, sizeof(c)) == 1 ? c[0] : -2;
}

TEST(pty, packet_mode)
{
	struct termios t;
	char buf[16];
	int m, s, index, on = 1, v = -1;

	open_pair(&m, &s, &index);
	ASSERT_OK(ioctl(m, TIOCPKT, &on));
	EXPECT_OK(ioctl(m, TIOCGPKT, &v));
	EXPECT_EQ(v, 1);
	/* Data comes after a TIOCPKT_DATA byte. */
	ASSERT_EQ(write(s, "x", 1), 1);
	EXPECT_TRUE(wait_events(m, POLLIN) & POLLIN);
	EXPECT_EQ(read(m, buf, sizeof(buf)), 2);
	EXPECT_EQ(buf[0], TIOCPKT_DATA);
	EXPECT_EQ(buf[1], 'x');
	/* The slave's events, one status byte each. */
	EXPECT_OK(tcflush(s, TCIFLUSH));
	EXPECT_EQ(read_status(m), TIOCPKT_FLUSHREAD);
	EXPECT_OK(tcflush(s, TCOFLUSH));
	EXPECT_EQ(read_status(m), TIOCPKT_FLUSHWRITE);
	EXPECT_OK(tcflow(s, TCOOFF));
	EXPECT_EQ(read_status(m), TIOCPKT_STOP);
	EXPECT_OK(tcflow(s, TCOON));
	EXPECT_EQ(read_status(m), TIOCPKT_START);
	ASSERT_OK(tcgetattr(s, &t));
	t.c_iflag &= ~IXON;
	ASSERT_OK(tcsetattr(s, TCSANOW, &t));
	EXPECT_EQ(read_status(m), TIOCPKT_NOSTOP);
	t.c_iflag |= IXON;
	ASSERT_OK(tcsetattr(s, TCSANOW, &t));
	EXPECT_EQ(read_status(m), TIOCPKT_DOSTOP);
	/* Off again: plain data. */
	on = 0;
	ASSERT_OK(ioctl(m, TIOCPKT, &on));
	ASSERT_EQ(write(s, "y", 1), 1);
	EXPECT_TRUE(wait_events(m, POLLIN) & POLLIN);
	EXPECT_EQ(read(m, buf, sizeof(buf)), 1);
	EXPECT_EQ(buf[0], 'y');
	close(s);
	close(m);
}

/* ---- hang-up ------------------------------------------------------------------- */

TEST(pty, master_close_hangs_up_slave)
{
	struct termios t;
	char buf[8];
	int m, s, index;

	open_pair(&m, &s, &index);
	close(m);
	EXPECT_EQ(read(s, buf, sizeof(buf)), 0);
	EXPECT_ERRNO(write(s, "x", 1), EIO);
	EXPECT_ERRNO(tcgetattr(s, &t), EIO);
	EXPECT_EQ(wait_events(s, POLLIN | POLLOUT) & (POLLHUP | POLLIN | POLLOUT),
		  POLLHUP | POLLIN | POLLOUT);
	close(s);
}

TEST(pty, slave_close_master_eio)
{
	char buf[16];
	int m, s, index;

	m = open_master(&index);
	/* Never opened: the master just waits. */
	ASSERT_OK(fcntl(m, F_SETFL, O_NONBLOCK));
	EXPECT_ERRNO(read(m, buf, sizeof(buf)), EAGAIN);
	EXPECT_EQ(wait_events(m, POLLIN) & (POLLIN | POLLHUP), 0);
	close(m);

	open_pair(&m, &s, &index);
	ASSERT_EQ(write(s, "bye\n", 4), 4);
	EXPECT_TRUE(wait_events(m, POLLIN) & POLLIN);
	close(s);
	/* What the slave wrote is still there; then EIO. */
	EXPECT_EQ(read_until(m, buf, 5), 5);
	EXPECT_STREQ(buf, "bye\r\n");
	EXPECT_ERRNO(read(m, buf, sizeof(buf)), EIO);
	EXPECT_TRUE(wait_events(m, POLLIN) & POLLHUP);
	close(m);
}

/*
 * More than the master's read buffer holds, written before the slave closes:
 * every byte reads before EIO. The slave's last bytes wait in the master's
 * flip ring while the reader drains the read buffer; EIO overtook them (the
 * last line of `busybox script -c` was sometimes lost).
 */
TEST(pty, slave_close_master_reads_all_before_eio)
{
	static char chunk[6000], buf[8192];
	size_t total = 0;
	int m, s, index, status;
	ssize_t n;
	pid_t pid;

	open_pair(&m, &s, &index);
	memset(chunk, 'a', sizeof(chunk));
	pid = ASSERT_OK(fork());
	if (!pid) {
		close(m);
		_exit(write(s, chunk, sizeof(chunk)) == (ssize_t)sizeof(chunk) ? 0 : 1);
	}
	close(s);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
	while ((n = read(m, buf, sizeof(buf))) > 0)
		total += (size_t)n;
	EXPECT_EQ(n, -1);
	EXPECT_EQ(errno, EIO);
	EXPECT_EQ(total, sizeof(chunk));
	close(m);
}

/* ---- controlling terminal and job control ---------------------------------------- */

static int sigwinch_count;
static void on_sigwinch(int sig)
{
	(void)sig;
	sigwinch_count++;
}

struct session_arg {
	int master;
	int index;
};

/* A master with its slave unlocked, for a child to take as its terminal. */
static void session_master(struct session_arg *a)
{
	int unlock = 0;

	a->master = open_master(&a->index);
	ASSERT_OK(ioctl(a->master, TIOCSPTLCK, &unlock));
}

/* Runs @fn(a new pty) in a child, which must pass; closes the master after. */
static void run_in_session(void (*fn)(void *))
{
	struct session_arg a;

	session_master(&a);
	EXPECT_EQ(run_child(fn, &a), 0);
	close(a.master);
}

/* setsid, then the slave becomes the controlling terminal (opened without O_NOCTTY). */
static int become_session_on(const struct session_arg *a)
{
	char path[32];
	int s;

	ASSERT_OK(setsid());
	slave_path(a->index, path, sizeof(path));
	s = ASSERT_OK(open(path, O_RDWR));
	return s;
}

static void ctty_child(void *arg)
{
	const struct session_arg *a = arg;
	char path[32], stat_line[512], *p;
	int s, t, sid = -1, pgrp = -1, fd, n, pty_nr;
	unsigned long tty_nr = 0;
	long tpgid = 0;

	s = become_session_on(a);
	EXPECT_OK(ioctl(s, TIOCGSID, &sid));
	EXPECT_EQ(sid, getpid());
	EXPECT_EQ(tcgetpgrp(s), getpgrp());
	/* From the master, without it being our terminal: the slave's group and session. */
	EXPECT_OK(ioctl(a->master, TIOCGPGRP, &pgrp));
	EXPECT_EQ(pgrp, getpgrp());
	EXPECT_OK(ioctl(a->master, TIOCGSID, &sid));
	EXPECT_EQ(sid, getpid());
	EXPECT_ERRNO(ioctl(a->master, TIOCNOTTY), ENOTTY);
	t = open("/dev/tty", O_RDWR);
	EXPECT_GE(t, 0);
	if (t >= 0) {
		EXPECT_EQ(write(t, "T", 1), 1);
		close(t);
	}
	/* TIOCSCTTY on the terminal it already has: 0. On another pty: EPERM. */
	EXPECT_OK(ioctl(s, TIOCSCTTY, 0));
	{
		int m2 = ASSERT_OK(open("/dev/ptmx", O_RDWR | O_NOCTTY)), unlock = 0, s2;

		ASSERT_OK(ioctl(m2, TIOCSPTLCK, &unlock));
		ASSERT_OK(ioctl(m2, TIOCGPTN, &pty_nr));
		slave_path(pty_nr, path, sizeof(path));
		s2 = ASSERT_OK(open(path, O_RDWR | O_NOCTTY));
		EXPECT_ERRNO(ioctl(s2, TIOCSCTTY, 0), EPERM);
		close(s2);
		close(m2);
	}
	/* /proc/self/stat: tty_nr 136:N in new_encode_dev form, tpgid our group. */
	fd = ASSERT_OK(open("/proc/self/stat", O_RDONLY));
	n = (int)read(fd, stat_line, sizeof(stat_line) - 1);
	close(fd);
	ASSERT_GE(n, 0);
	stat_line[n] = 0;
	p = strrchr(stat_line, ')');
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ(sscanf(p + 2, "%*c %*d %*d %*d %lu %ld", &tty_nr, &tpgid), 2);
	EXPECT_EQ(tty_nr, (unsigned long)((PTS_MAJOR << 8) | (a->index & 0xff) |
					   ((a->index & ~0xff) << 12)));
	EXPECT_EQ(tpgid, getpgrp());
	close(s);
}

TEST(pty, controlling_terminal)
{
	struct session_arg a;
	char buf[8];

	session_master(&a);
	EXPECT_EQ(run_child(ctty_child, &a), 0);
	EXPECT_EQ(read_until(a.master, buf, 1), 1);
	EXPECT_EQ(buf[0], 'T');
	close(a.master);
}

/*
 * The slave's last bytes before its close are readable on the master, and
 * poll says so, even while they still wait in the flip ring for the
 * receive worker. Regression: poll reported POLLHUP alone then (the read
 * path drained the ring, poll did not), and pty.controlling_terminal lost
 * its byte under load. Running SCHED_FIFO (when allowed) keeps the worker,
 * a normal kernel thread, off this CPU on -smp 1, so the byte is still in
 * the ring when poll looks.
 */
TEST(pty, poll_sees_the_last_output_of_a_closed_slave)
{
	struct sched_param sp = { .sched_priority = 1 };
	bool fifo = sched_setscheduler(0, SCHED_FIFO, &sp) == 0;
	struct pollfd pfd;
	int m, s, index;
	char c = 0;

	open_pair(&m, &s, &index);
	EXPECT_EQ(write(s, "T", 1), 1);
	close(s);
	pfd = (struct pollfd){ .fd = m, .events = POLLIN };
	EXPECT_EQ(poll(&pfd, 1, WAIT_MS), 1);
	EXPECT_TRUE(pfd.revents & POLLIN);
	EXPECT_EQ(read(m, &c, 1), 1);
	EXPECT_EQ(c, 'T');
	close(m);
	if (fifo) {
		sp.sched_priority = 0;
		sched_setscheduler(0, SCHED_OTHER, &sp);
	}
}

/* Not a session leader: TIOCSCTTY is EPERM. */
TEST(pty, tiocsctty_not_leader)
{
	int m, s, index;

	open_pair(&m, &s, &index);
	EXPECT_ERRNO(ioctl(s, TIOCSCTTY, 0), EPERM);
	close(s);
	close(m);
}

static void winch_child(void *arg)
{
	const struct session_arg *a = arg;
	struct winsize ws = { .ws_row = 40, .ws_col = 132 }, got;
	struct sigaction sa = { .sa_handler = on_sigwinch };
	sigset_t mask, old;
	int s;

	sigemptyset(&mask);
	sigaddset(&mask, SIGWINCH);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sigaction(SIGWINCH, &sa, NULL);
	s = become_session_on(a);
	/* The master sets the size: SIGWINCH here, the slave sees it. */
	EXPECT_OK(ioctl(a->master, TIOCSWINSZ, &ws));
	sigsuspend(&old);
	EXPECT_EQ(sigwinch_count, 1);
	EXPECT_OK(ioctl(s, TIOCGWINSZ, &got));
	EXPECT_EQ(got.ws_row, 40);
	EXPECT_EQ(got.ws_col, 132);
	/* The same size again: no signal. From the slave: signal, the master sees it. */
	EXPECT_OK(ioctl(a->master, TIOCSWINSZ, &ws));
	ws.ws_col = 80;
	EXPECT_OK(ioctl(s, TIOCSWINSZ, &ws));
	sigsuspend(&old);
	EXPECT_EQ(sigwinch_count, 2);
	EXPECT_OK(ioctl(a->master, TIOCGWINSZ, &got));
	EXPECT_EQ(got.ws_col, 80);
	close(s);
}

TEST(pty, winsize_sigwinch)
{
	run_in_session(winch_child);
}

/* The session leader waits for its child, which the master's ^C, ^\ or ^Z hits. */
static void sigchar_child(void *arg)
{
	const struct session_arg *a = arg;
	char c = 0;
	int s, status, p[2];
	pid_t kid;

	s = become_session_on(a);
	ASSERT_OK(pipe(p));
	kid = fork();
	if (kid == 0) {
		close(p[0]);
		setpgid(0, 0);
		write(p[1], "r", 1);
		for (;;)
			pause();
	}
	close(p[1]);
	setpgid(kid, kid);
	ASSERT_EQ(read(p[0], &c, 1), 1);
	ASSERT_OK(tcsetpgrp(s, kid));
	/* Tell the test (which writes the characters) we are ready. */
	ASSERT_EQ(write(s, "R\n", 2), 2);
	ASSERT_EQ(waitpid(kid, &status, WUNTRACED), kid);
	EXPECT_TRUE(WIFSTOPPED(status));
	EXPECT_EQ(WSTOPSIG(status), SIGTSTP);
	kill(kid, SIGCONT);
	ASSERT_EQ(waitpid(kid, &status, 0), kid);
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(WTERMSIG(status), SIGINT);
	close(s);
}

TEST(pty, signal_characters)
{
	struct session_arg a;
	char buf[64];
	int status;
	pid_t pid;

	session_master(&a);
	pid = fork();
	if (pid == 0) {
		sigchar_child(&a);
		_exit(0);
	}
	ASSERT_EQ(read_until(a.master, buf, 3), 3);
	EXPECT_STREQ(buf, "R\r\n");
	ASSERT_EQ(write(a.master, "\x1a", 1), 1);
	EXPECT_EQ(read_until(a.master, buf, 2), 2);
	EXPECT_STREQ(buf, "^Z");
	usleep(100000);
	ASSERT_EQ(write(a.master, "\x03", 1), 1);
	EXPECT_EQ(read_until(a.master, buf, 2), 2);
	EXPECT_STREQ(buf, "^C");
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(a.master);
}

/* A background group reading gets SIGTTIN; writing under TOSTOP gets SIGTTOU. */
static void jobctl_child(void *arg)
{
	const struct session_arg *a = arg;
	struct termios t;
	int s, status;
	pid_t kid;

	s = become_session_on(a);
	kid = fork();
	if (kid == 0) {
		char c;

		setpgid(0, 0);
		read(s, &c, 1);
		_exit(3);
	}
	setpgid(kid, kid);
	ASSERT_EQ(waitpid(kid, &status, WUNTRACED), kid);
	EXPECT_TRUE(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTIN);
	kill(kid, SIGKILL);
	waitpid(kid, &status, 0);

	ASSERT_OK(tcgetattr(s, &t));
	t.c_lflag |= TOSTOP;
	ASSERT_OK(tcsetattr(s, TCSANOW, &t));
	kid = fork();
	if (kid == 0) {
		setpgid(0, 0);
		write(s, "bg\n", 3);
		_exit(4);
	}
	setpgid(kid, kid);
	ASSERT_EQ(waitpid(kid, &status, WUNTRACED), kid);
	EXPECT_TRUE(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTOU);
	/* Brought to the foreground it goes on and writes. */
	ASSERT_OK(tcsetpgrp(s, kid));
	kill(kid, SIGCONT);
	ASSERT_EQ(waitpid(kid, &status, 0), kid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 4);
	signal(SIGTTOU, SIG_IGN);
	EXPECT_OK(tcsetpgrp(s, getpgrp()));
	close(s);
}

TEST(pty, background_sigttin_sigttou)
{
	struct session_arg a;
	char buf[16];

	session_master(&a);
	EXPECT_EQ(run_child(jobctl_child, &a), 0);
	EXPECT_EQ(read_until(a.master, buf, 4), 4);
	EXPECT_STREQ(buf, "bg\r\n");
	close(a.master);
}

/* The master closes: the session leader gets SIGHUP, the slave reads EOF. */
static void hup_child(void *arg)
{
	const struct session_arg *a = arg;
	sigset_t mask;
	char c;
	int s, sig = 0;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	s = become_session_on(a);
	close(a->master);
	ASSERT_EQ(write(s, "H", 1), 1);
	EXPECT_OK(sigwait(&mask, &sig));
	EXPECT_EQ(sig, SIGHUP);
	EXPECT_EQ(read(s, &c, 1), 0);
	/* The terminal is no longer ours. */
	EXPECT_ERRNO(open("/dev/tty", O_RDWR), ENXIO);
	close(s);
}

TEST(pty, hangup_sends_sighup)
{
	struct session_arg a;
	char c;
	int status;
	pid_t pid;

	session_master(&a);
	pid = fork();
	if (pid == 0) {
		hup_child(&a);
		_exit(0);
	}
	EXPECT_EQ(read_until(a.master, &c, 1), 1);
	close(a.master);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* TIOCNOTTY by the leader: the foreground group gets SIGHUP, /dev/tty is ENXIO. */
static void notty_child(void *arg)
{
	const struct session_arg *a = arg;
	int s, status;
	pid_t kid;

	s = become_session_on(a);
	signal(SIGHUP, SIG_IGN);
	kid = fork();
	if (kid == 0) {
		signal(SIGHUP, SIG_DFL);
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(kid, kid);
	ASSERT_OK(tcsetpgrp(s, kid));
	EXPECT_EQ(tcgetpgrp(s), kid);
	/* The child restores SIGHUP's default action before it may be hung up. */
	usleep(50000);
	EXPECT_OK(ioctl(s, TIOCNOTTY));
	ASSERT_EQ(waitpid(kid, &status, 0), kid);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP);
	EXPECT_ERRNO(open("/dev/tty", O_RDWR), ENXIO);
	close(s);
}

TEST(pty, tiocnotty)
{
	run_in_session(notty_child);
}

/* ---- devpts mount options --------------------------------------------------------- */

TEST(pty, devpts_mount_options)
{
	struct stat st;
	char path[64];
	int m, index, unlock = 0;

	if (geteuid() != 0)
		return;
	ASSERT_OK(mkdir("pts", 0755));
	EXPECT_ERRNO(mount("devpts", "pts", "devpts", 0, "bogus=1"), EINVAL);
	ASSERT_OK(mount("devpts", "pts", "devpts", 0, "mode=620,gid=5,ptmxmode=666"));
	ASSERT_OK(stat("pts/ptmx", &st));
	EXPECT_EQ(st.st_mode, S_IFCHR | 0666);
	m = ASSERT_OK(open("pts/ptmx", O_RDWR | O_NOCTTY));
	ASSERT_OK(ioctl(m, TIOCGPTN, &index));
	ASSERT_OK(ioctl(m, TIOCSPTLCK, &unlock));
	snprintf(path, sizeof(path), "pts/%d", index);
	ASSERT_OK(stat(path, &st));
	EXPECT_EQ(st.st_mode, S_IFCHR | 0620);
	EXPECT_EQ(st.st_gid, 5);
	/* grantpt's chmod lasts as long as the pty. */
	EXPECT_OK(chmod(path, 0600));
	ASSERT_OK(stat(path, &st));
	EXPECT_EQ(st.st_mode, S_IFCHR | 0600);
	close(m);
	EXPECT_OK(umount("pts"));
	/* Back to the defaults the boot mount has (on Linux each mount is its own instance). */
	EXPECT_OK(mount("devpts", "pts", "devpts", 0, "mode=600,ptmxmode=000"));
	EXPECT_OK(umount("pts"));
	rmdir("pts");
}

/* A writer blocked on a stopped slave is woken by the hang-up with EIO (it was stuck before). */
TEST(pty, hangup_wakes_stopped_writer)
{
	int m, s, index, status;
	pid_t pid;

	open_pair(&m, &s, &index);
	ASSERT_OK(tcflow(s, TCOOFF));
	pid = fork();
	if (pid == 0) {
		close(m);
		_exit(write(s, "x", 1) < 0 && errno == EIO ? 0 : 1);
	}
	usleep(200000);
	close(m);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(s);
}

/* The lowest free index is reused; Exo-OS has 64 pairs and then ENOSPC (Linux: 4096). */
TEST(pty, index_reuse_and_limit)
{
	int fds[64], n = 0, index, first, again;

	fds[n++] = open_master(&first);
	close(fds[0]);
	n = 0;
	fds[n++] = open_master(&again);
	EXPECT_EQ(again, first);
	if (!running_on_exo()) {
		close(fds[0]);
		return;
	}
	while (n < 64) {
		int fd = open("/dev/ptmx", O_RDWR | O_NOCTTY);

		if (fd < 0)
			break;
		fds[n++] = fd;
	}
	EXPECT_ERRNO(open("/dev/ptmx", O_RDWR | O_NOCTTY), ENOSPC);
	ASSERT_OK(ioctl(fds[5], TIOCGPTN, &index));
	close(fds[5]);
	fds[5] = open_master(&again);
	EXPECT_EQ(again, index);
	while (n--)
		close(fds[n]);
}

/* A writer blocked on a full master is not disturbed when the slave closes (Linux: it stays blocked). */
TEST(pty, slave_close_with_blocked_master_writer)
{
	struct termios t;
	char buf[4096];
	int m, s, index, status;
	pid_t pid;

	open_pair(&m, &s, &index);
	ASSERT_OK(tcgetattr(s, &t));
	cfmakeraw(&t);
	ASSERT_OK(tcsetattr(s, TCSANOW, &t));
	memset(buf, 'w', sizeof(buf));
	pid = fork();
	if (pid == 0) {
		close(s);
		for (;;)
			if (write(m, buf, sizeof(buf)) < 0)
				_exit(1);
	}
	usleep(300000);
	close(s);
	usleep(300000);
	/* Still blocked, the machine still runs: timers fire, the writer can be killed. */
	EXPECT_EQ(waitpid(pid, &status, WNOHANG), 0);
	kill(pid, SIGKILL);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	close(m);
}
