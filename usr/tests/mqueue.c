/*
 * POSIX message queue tests: names and attributes, priorities (highest
 * first, FIFO within one), EMSGSIZE, O_NONBLOCK, timeouts, blocking send
 * and receive across processes, EINTR, mq_notify by signal (si_code,
 * si_value, si_pid, si_uid) and by thread (musl's SIGEV_THREAD over a
 * netlink socket), EBUSY, the rules for when a notification fires, the
 * mqueue file system (mount -t mqueue, the QSIZE line, unlink), unlink
 * while open, fork inheritance, poll and epoll, permissions, bad pointers
 * and /proc/sys/fs/mqueue.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MS 1000000LL
#ifndef MQ_PRIO_MAX
#define MQ_PRIO_MAX 32768
#endif

static char qname_buf[64];

/* A queue name of this process for @tag, removed first in case a previous run left it. */
static const char *qname(const char *tag)
{
	snprintf(qname_buf, sizeof(qname_buf), "/exotest-%d-%s", (int)getpid(), tag);
	mq_unlink(qname_buf);
	return qname_buf;
}

static mqd_t mq_new(const char *tag, int flags, long maxmsg, long msgsize)
{
	struct mq_attr attr = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };

	return mq_open(qname(tag), O_CREAT | O_EXCL | O_RDWR | flags, 0600, &attr);
}

static struct timespec abs_in(long long ns)
{
	struct timespec ts;
	long long t;

	clock_gettime(CLOCK_REALTIME, &ts);
	t = ts.tv_sec * 1000000000LL + ts.tv_nsec + ns;
	ts.tv_sec = t / 1000000000LL;
	ts.tv_nsec = t % 1000000000LL;
	return ts;
}

static long read_knob(const char *name)
{
	char path[96], buf[32] = { 0 };
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/fs/mqueue/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(fd);
	return atol(buf);
}

static int write_knob(const char *name, long val)
{
	char path[96], buf[32];
	int fd, n, r;

	snprintf(path, sizeof(path), "/proc/sys/fs/mqueue/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%ld\n", val);
	r = (int)write(fd, buf, (size_t)n);
	close(fd);
	return r < 0 ? -1 : 0;
}

TEST(mqueue, open_names_and_attributes)
{
	struct mq_attr attr = { 0 }, got;
	char longname[300];
	const char *name;
	mqd_t q;

	name = qname("open");
	EXPECT_ERRNO(mq_open(name, O_RDWR), ENOENT);
	q = ASSERT_OK(mq_open(name, O_CREAT | O_RDWR, 0600, NULL));
	/* Queue descriptors are always close-on-exec. */
	EXPECT_EQ(fcntl(q, F_GETFD), FD_CLOEXEC);
	ASSERT_OK(mq_getattr(q, &got));
	EXPECT_EQ(got.mq_maxmsg, read_knob("msg_default"));
	EXPECT_EQ(got.mq_msgsize, read_knob("msgsize_default"));
	EXPECT_EQ(got.mq_curmsgs, 0);
	EXPECT_EQ(got.mq_flags, 0);
	EXPECT_ERRNO(mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, NULL), EEXIST);
	/* O_CREAT on an existing queue opens it; its attributes stay. */
	attr.mq_maxmsg = 3;
	attr.mq_msgsize = 16;
	{
		mqd_t q2 = ASSERT_OK(mq_open(name, O_CREAT | O_RDONLY, 0600, &attr));

		ASSERT_OK(mq_getattr(q2, &got));
		EXPECT_EQ(got.mq_maxmsg, read_knob("msg_default"));
		mq_close(q2);
	}
	mq_close(q);
	EXPECT_OK(mq_unlink(name));
	EXPECT_ERRNO(mq_unlink(name), ENOENT);

	/* Attribute checks on creation. */
	name = qname("attr");
	attr.mq_maxmsg = 0;
	EXPECT_ERRNO(mq_open(name, O_CREAT | O_RDWR, 0600, &attr), EINVAL);
	attr.mq_maxmsg = 4;
	attr.mq_msgsize = -1;
	EXPECT_ERRNO(mq_open(name, O_CREAT | O_RDWR, 0600, &attr), EINVAL);
	attr.mq_msgsize = 16 * 1024 * 1024 + 1;	/* over the hard limit, root or not */
	EXPECT_ERRNO(mq_open(name, O_CREAT | O_RDWR, 0600, &attr), EINVAL);
	attr.mq_msgsize = 64;
	attr.mq_maxmsg = 65537;
	EXPECT_ERRNO(mq_open(name, O_CREAT | O_RDWR, 0600, &attr), EINVAL);
	attr.mq_maxmsg = 4;
	q = ASSERT_OK(mq_open(name, O_CREAT | O_RDWR, 0600, &attr));
	ASSERT_OK(mq_getattr(q, &got));
	EXPECT_EQ(got.mq_maxmsg, 4);
	EXPECT_EQ(got.mq_msgsize, 64);
	/* mq_setattr: only O_NONBLOCK changes; the old attributes come back. */
	attr.mq_flags = O_NONBLOCK;
	attr.mq_maxmsg = 99;
	ASSERT_OK(mq_setattr(q, &attr, &got));
	EXPECT_EQ(got.mq_flags, 0);
	ASSERT_OK(mq_getattr(q, &got));
	EXPECT_EQ(got.mq_flags, O_NONBLOCK);
	EXPECT_EQ(got.mq_maxmsg, 4);
	EXPECT_EQ(fcntl(q, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	attr.mq_flags = O_APPEND;
	EXPECT_ERRNO(syscall(SYS_mq_getsetattr, q, &attr, NULL), EINVAL);
	mq_close(q);
	mq_unlink(name);

	/* Names: the C library strips the leading '/'; the kernel refuses '/' inside. */
	EXPECT_ERRNO(mq_open("/a/b", O_CREAT | O_RDWR, 0600, NULL), EACCES);
	EXPECT_ERRNO(syscall(SYS_mq_open, "", O_CREAT | O_RDWR, 0600, NULL), ENOENT);
	EXPECT_ERRNO(syscall(SYS_mq_open, ".", O_CREAT | O_RDWR, 0600, NULL), EACCES);
	EXPECT_ERRNO(syscall(SYS_mq_open, "..", O_CREAT | O_RDWR, 0600, NULL), EACCES);
	memset(longname, 'x', sizeof(longname));
	longname[0] = '/';
	longname[257] = '\0';
	EXPECT_ERRNO(mq_open(longname, O_CREAT | O_RDWR, 0600, NULL), ENAMETOOLONG);
	longname[256] = '\0';	/* 255 characters after the slash: fits */
	q = ASSERT_OK(mq_open(longname, O_CREAT | O_RDWR, 0600, NULL));
	mq_close(q);
	EXPECT_OK(mq_unlink(longname));
}

TEST(mqueue, priorities_and_sizes)
{
	static const unsigned int prios[] = { 1, 5, 0, 5, 3, MQ_PRIO_MAX - 1, 1 };
	static const char *const want[] = { "p32767", "p5a", "p5b", "p3", "p1a", "p1b", "p0" };
	mqd_t q = ASSERT_OK(mq_new("prio", 0, 10, 32));
	char buf[64];
	unsigned int prio;
	const char *txt[] = { "p1a", "p5a", "p0", "p5b", "p3", "p32767", "p1b" };
	struct mq_attr got;
	int i;

	for (i = 0; i < 7; i++)
		ASSERT_OK(mq_send(q, txt[i], strlen(txt[i]), prios[i]));
	ASSERT_OK(mq_getattr(q, &got));
	EXPECT_EQ(got.mq_curmsgs, 7);
	EXPECT_ERRNO(mq_send(q, "x", 1, MQ_PRIO_MAX), EINVAL);
	EXPECT_ERRNO(mq_send(q, buf, 33, 0), EMSGSIZE);
	/* A buffer smaller than mq_msgsize is refused even for a short message. */
	EXPECT_ERRNO(mq_receive(q, buf, 31, &prio), EMSGSIZE);
	for (i = 0; i < 7; i++) {
		ssize_t n = mq_receive(q, buf, sizeof(buf), &prio);

		ASSERT_EQ(n, (ssize_t)strlen(want[i]));
		buf[n] = '\0';
		EXPECT_STREQ(buf, want[i]);
	}
	EXPECT_EQ(prio, 0);
	/* Empty messages are messages. */
	ASSERT_OK(mq_send(q, "", 0, 7));
	EXPECT_EQ(mq_receive(q, buf, sizeof(buf), &prio), 0);
	EXPECT_EQ(prio, 7);
	mq_close(q);
	mq_unlink(qname_buf);
}

TEST(mqueue, nonblock_and_timeouts)
{
	mqd_t q = ASSERT_OK(mq_new("timeo", O_NONBLOCK, 2, 8));
	struct timespec ts, bad = { .tv_sec = 0, .tv_nsec = 1000000000 };
	char buf[8];
	long long t0;

	EXPECT_ERRNO(mq_receive(q, buf, sizeof(buf), NULL), EAGAIN);
	ASSERT_OK(mq_send(q, "a", 1, 0));
	ASSERT_OK(mq_send(q, "b", 1, 0));
	EXPECT_ERRNO(mq_send(q, "c", 1, 0), EAGAIN);
	/* tv_nsec out of range is EINVAL before anything else, even with room. */
	EXPECT_ERRNO(mq_timedreceive(q, buf, sizeof(buf), NULL, &bad), EINVAL);
	bad.tv_nsec = -1;
	EXPECT_ERRNO(mq_timedsend(q, "c", 1, 0, &bad), EINVAL);
	EXPECT_EQ(mq_timedreceive(q, buf, sizeof(buf), NULL, &bad) < 0 ? errno : 0, EINVAL);

	/* Blocking descriptor: a timeout in the past ends at once, a near one after waiting. */
	struct mq_attr a = { .mq_flags = 0 };
	ASSERT_OK(mq_setattr(q, &a, NULL));
	ts = abs_in(-1000 * MS);
	EXPECT_ERRNO(mq_timedsend(q, "c", 1, 0, &ts), ETIMEDOUT);
	t0 = now_ns();
	ts = abs_in(50 * MS);
	EXPECT_ERRNO(mq_timedsend(q, "c", 1, 0, &ts), ETIMEDOUT);
	EXPECT_GE(now_ns() - t0, 40 * MS);
	EXPECT_EQ(mq_receive(q, buf, sizeof(buf), NULL), 1);
	EXPECT_EQ(mq_receive(q, buf, sizeof(buf), NULL), 1);
	t0 = now_ns();
	ts = abs_in(50 * MS);
	EXPECT_ERRNO(mq_timedreceive(q, buf, sizeof(buf), NULL, &ts), ETIMEDOUT);
	EXPECT_GE(now_ns() - t0, 40 * MS);
	mq_close(q);
	mq_unlink(qname_buf);
}

TEST(mqueue, blocking_across_processes)
{
	mqd_t q = ASSERT_OK(mq_new("block", 0, 1, 16));
	char name[64], buf[16];
	unsigned int prio;
	int status;
	pid_t pid;

	strcpy(name, qname_buf);
	/* A child blocks in receive until we send. */
	pid = fork();
	if (pid == 0) {
		mqd_t c = mq_open(name, O_RDONLY);
		ssize_t n = mq_receive(c, buf, sizeof(buf), &prio);

		_exit(n == 5 && !memcmp(buf, "hello", 5) && prio == 9 ? 0 : 1);
	}
	usleep(50000);
	ASSERT_OK(mq_send(q, "hello", 5, 9));
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);

	/* A child blocks in send on a full queue until we receive. */
	ASSERT_OK(mq_send(q, "first", 5, 0));
	pid = fork();
	if (pid == 0) {
		mqd_t c = mq_open(name, O_WRONLY);

		_exit(mq_send(c, "second", 6, 1) == 0 ? 0 : 1);
	}
	usleep(50000);
	EXPECT_EQ(mq_receive(q, buf, sizeof(buf), NULL), 5);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
	EXPECT_EQ(mq_receive(q, buf, sizeof(buf), &prio), 6);
	EXPECT_MEMEQ(buf, "second", 6);
	mq_close(q);
	mq_unlink(name);
}

/* A child that lowers its priority by @nice, waits for one message and reports "tag:msg" on @out. */
static pid_t waiting_receiver(const char *name, int nice_by, char tag, int out)
{
	pid_t pid = fork();

	if (pid == 0) {
		mqd_t c = mq_open(name, O_RDONLY);
		char msg[16], line[2] = { tag, 0 };
		ssize_t n;

		if (nice_by && nice(nice_by) < 0)
			_exit(1);
		n = mq_receive(c, msg, sizeof(msg), NULL);
		if (n != 1)
			_exit(2);
		line[1] = msg[0];
		_exit(write(out, line, 2) == 2 ? 0 : 3);
	}
	return pid;
}

/* Sends @c and returns the "tag:msg" the receiver that got it reports. */
static int handed_to(mqd_t q, char c, int in)
{
	char line[2] = { 0 };

	if (mq_send(q, &c, 1, 0) || read(in, line, 2) != 2 || line[1] != c)
		return '?';
	return line[0];
}

/*
 * Receiver A (nice @nice_a) waits, then B (nice 0); two messages are sent:
 * returns the tags of who got the first and the second, as "AB" or "BA".
 */
static const char *wake_order(mqd_t q, const char *name, int nice_a, int p[2])
{
	static char order[3];
	int status, ok = 1;
	pid_t a, b;

	a = waiting_receiver(name, nice_a, 'A', p[1]);
	usleep(50000);
	b = waiting_receiver(name, 0, 'B', p[1]);
	usleep(50000);
	order[0] = (char)handed_to(q, '1', p[0]);
	order[1] = (char)handed_to(q, '2', p[0]);
	ok &= waitpid(a, &status, 0) == a && status == 0;
	ok &= waitpid(b, &status, 0) == b && status == 0;
	return ok ? order : "children failed";
}

TEST(mqueue, waiters_woken_in_priority_order)
{
	mqd_t q = ASSERT_OK(mq_new("order", 0, 4, 16));
	char name[64];
	int p[2];

	strcpy(name, qname_buf);
	ASSERT_OK(pipe(p));
	/* Equal priorities: first come, first served. */
	EXPECT_STREQ(wake_order(q, name, 0, p), "AB");
	/* A lower priority (nice 10) waiting first is overtaken. */
	EXPECT_STREQ(wake_order(q, name, 10, p), "BA");
	close(p[0]);
	close(p[1]);
	mq_close(q);
	mq_unlink(name);
}

static void on_alarm(int sig)
{
	(void)sig;
}

TEST(mqueue, eintr)
{
	mqd_t q = ASSERT_OK(mq_new("eintr", 0, 1, 8));
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct itimerval it = { .it_value = { .tv_usec = 50000 } };
	char buf[8];

	ASSERT_OK(sigaction(SIGALRM, &sa, &old));	/* no SA_RESTART */
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_ERRNO(mq_receive(q, buf, sizeof(buf), NULL), EINTR);
	ASSERT_OK(mq_send(q, "x", 1, 0));
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_ERRNO(mq_send(q, "y", 1, 0), EINTR);
	sigaction(SIGALRM, &old, NULL);
	mq_close(q);
	mq_unlink(qname_buf);
}

static volatile sig_atomic_t got_sig, got_code, got_pid, got_uid, got_value;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_uid = (sig_atomic_t)si->si_uid;
	got_value = si->si_value.sival_int;
}

/* waitpid that rides over the notification signals these tests receive meanwhile. */
static pid_t wait_child(pid_t pid, int *status)
{
	pid_t r;

	do
		r = waitpid(pid, status, 0);
	while (r < 0 && errno == EINTR);
	return r;
}

static int wait_for(volatile sig_atomic_t *flag, int ms)
{
	while (!*flag && ms-- > 0)
		usleep(1000);
	return *flag;
}

TEST(mqueue, notify_signal)
{
	mqd_t q = ASSERT_OK(mq_new("notsig", 0, 4, 8));
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO }, old;
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	char name[64], buf[8];
	int status;
	pid_t pid;

	strcpy(name, qname_buf);
	ASSERT_OK(sigaction(SIGUSR1, &sa, &old));
	sev.sigev_value.sival_int = 4242;
	ASSERT_OK(mq_notify(q, &sev));
	EXPECT_ERRNO(mq_notify(q, &sev), EBUSY);
	/* Another process cannot register either, nor remove ours. */
	pid = fork();
	if (pid == 0) {
		struct sigevent s2 = { .sigev_notify = SIGEV_NONE };

		if (mq_notify(q, &s2) != -1 || errno != EBUSY)
			_exit(1);
		_exit(mq_notify(q, NULL) == 0 ? 0 : 2);
	}
	ASSERT_EQ(wait_child(pid, &status), pid);
	EXPECT_EQ(status, 0);

	/* A message from a child fires it: SI_MESGQ with the child's pid and uid. */
	got_sig = 0;
	pid = fork();
	if (pid == 0) {
		mqd_t c = mq_open(name, O_WRONLY);

		_exit(mq_send(c, "m", 1, 0) == 0 ? 0 : 1);
	}
	ASSERT_EQ(wait_child(pid, &status), pid);
	EXPECT_EQ(status, 0);
	ASSERT_TRUE(wait_for(&got_sig, 2000));
	EXPECT_EQ(got_sig, SIGUSR1);
	EXPECT_EQ(got_code, SI_MESGQ);
	EXPECT_EQ(got_pid, pid);
	EXPECT_EQ(got_uid, (sig_atomic_t)getuid());
	EXPECT_EQ(got_value, 4242);

	/* It fired once: the registration is gone, a new one is allowed. */
	got_sig = 0;
	EXPECT_EQ(mq_receive(q, buf, sizeof(buf), NULL), 1);
	ASSERT_OK(mq_send(q, "n", 1, 0));
	usleep(20000);
	EXPECT_EQ(got_sig, 0);
	ASSERT_OK(mq_notify(q, &sev));
	/* Only a message arriving on an empty queue fires it. */
	ASSERT_OK(mq_send(q, "o", 1, 0));
	usleep(20000);
	EXPECT_EQ(got_sig, 0);
	EXPECT_EQ(mq_receive(q, buf, sizeof(buf), NULL), 1);
	EXPECT_EQ(mq_receive(q, buf, sizeof(buf), NULL), 1);
	ASSERT_OK(mq_send(q, "p", 1, 0));
	EXPECT_TRUE(wait_for(&got_sig, 2000));
	EXPECT_EQ(mq_receive(q, buf, sizeof(buf), NULL), 1);

	/* Removal with NULL: nothing fires. */
	got_sig = 0;
	ASSERT_OK(mq_notify(q, &sev));
	ASSERT_OK(mq_notify(q, NULL));
	ASSERT_OK(mq_send(q, "q", 1, 0));
	usleep(20000);
	EXPECT_EQ(got_sig, 0);
	EXPECT_EQ(mq_receive(q, buf, sizeof(buf), NULL), 1);

	/* Bad requests. */
	sev.sigev_notify = 77;
	EXPECT_ERRNO(mq_notify(q, &sev), EINVAL);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = 65;
	EXPECT_ERRNO(mq_notify(q, &sev), EINVAL);
	EXPECT_ERRNO(syscall(SYS_mq_notify, q, unmapped_page()), EFAULT);
	EXPECT_ERRNO(mq_notify((mqd_t)-1, NULL), EBADF);
	sigaction(SIGUSR1, &old, NULL);
	mq_close(q);
	mq_unlink(name);
}

struct recv_arg {
	mqd_t q;
	ssize_t n;
};

static void *receiver(void *p)
{
	struct recv_arg *a = p;
	char buf[8];

	a->n = mq_receive(a->q, buf, sizeof(buf), NULL);
	return NULL;
}

TEST(mqueue, notify_not_with_a_waiting_receiver)
{
	mqd_t q = ASSERT_OK(mq_new("notrecv", 0, 4, 8));
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO }, old;
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct recv_arg a = { .q = q, .n = -2 };
	pthread_t t;
	char buf[8];

	ASSERT_OK(sigaction(SIGUSR1, &sa, &old));
	ASSERT_OK(mq_notify(q, &sev));
	got_sig = 0;
	ASSERT_EQ(pthread_create(&t, NULL, receiver, &a), 0);
	usleep(50000);
	ASSERT_OK(mq_send(q, "r", 1, 0));
	pthread_join(t, NULL);
	EXPECT_EQ(a.n, 1);
	usleep(20000);
	EXPECT_EQ(got_sig, 0);
	/* The registration is still there: it fires for the next message. */
	EXPECT_ERRNO(mq_notify(q, &sev), EBUSY);
	ASSERT_OK(mq_send(q, "s", 1, 0));
	EXPECT_TRUE(wait_for(&got_sig, 2000));
	EXPECT_EQ(mq_receive(q, buf, sizeof(buf), NULL), 1);
	sigaction(SIGUSR1, &old, NULL);
	mq_close(q);
	mq_unlink(qname_buf);
}

static volatile sig_atomic_t thread_fired, thread_value;

static void notify_fn(union sigval v)
{
	thread_value = v.sival_int;
	thread_fired = 1;
}

TEST(mqueue, notify_thread)
{
	mqd_t q = ASSERT_OK(mq_new("notthr", 0, 4, 8));
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD };
	char buf[8];

	sev.sigev_notify_function = notify_fn;
	sev.sigev_value.sival_int = 77;
	thread_fired = 0;
	ASSERT_OK(mq_notify(q, &sev));
	EXPECT_ERRNO(mq_notify(q, &sev), EBUSY);
	usleep(20000);
	EXPECT_EQ(thread_fired, 0);
	ASSERT_OK(mq_send(q, "t", 1, 0));
	ASSERT_TRUE(wait_for(&thread_fired, 2000));
	EXPECT_EQ(thread_value, 77);
	EXPECT_EQ(mq_receive(q, buf, sizeof(buf), NULL), 1);

	/* Removed before a message: the function does not run. */
	thread_fired = 0;
	ASSERT_OK(mq_notify(q, &sev));
	ASSERT_OK(mq_notify(q, NULL));
	ASSERT_OK(mq_send(q, "u", 1, 0));
	usleep(50000);
	EXPECT_EQ(thread_fired, 0);
	mq_close(q);
	mq_unlink(qname_buf);
}

TEST(mqueue, notify_thread_raw_cookie)
{
	/* What the C library does by hand: the cookie comes back on the netlink socket. */
	mqd_t q = ASSERT_OK(mq_new("cookie", 0, 4, 8));
	unsigned char cookie[32], got[64];
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD };
	int s = ASSERT_OK(socket(16 /* AF_NETLINK */, SOCK_RAW | SOCK_CLOEXEC, 0));
	int p[2];

	for (int i = 0; i < 32; i++)
		cookie[i] = (unsigned char)(i + 1);
	sev.sigev_signo = s;
	sev.sigev_value.sival_ptr = cookie;
	ASSERT_OK(syscall(SYS_mq_notify, q, &sev));
	EXPECT_ERRNO(recv(s, got, sizeof(got), MSG_DONTWAIT), EAGAIN);
	ASSERT_OK(mq_send(q, "v", 1, 0));
	ASSERT_EQ(recv(s, got, sizeof(got), 0), 32);
	EXPECT_MEMEQ(got, cookie, 31);
	EXPECT_EQ(got[31], 1);	/* NOTIFY_WOKENUP */
	mq_receive(q, (char *)got, 8, NULL);
	/* Removal: NOTIFY_REMOVED. */
	ASSERT_OK(syscall(SYS_mq_notify, q, &sev));
	ASSERT_OK(mq_notify(q, NULL));
	ASSERT_EQ(recv(s, got, sizeof(got), MSG_DONTWAIT), 32);
	EXPECT_EQ(got[31], 2);
	/* The fd must be a netlink socket; the cookie must be readable. */
	ASSERT_OK(pipe(p));
	sev.sigev_signo = p[0];
	EXPECT_ERRNO(syscall(SYS_mq_notify, q, &sev), ENOTSOCK);
	sev.sigev_signo = 9999;
	EXPECT_ERRNO(syscall(SYS_mq_notify, q, &sev), EBADF);
	sev.sigev_signo = s;
	sev.sigev_value.sival_ptr = unmapped_page();
	EXPECT_ERRNO(syscall(SYS_mq_notify, q, &sev), EFAULT);
	close(p[0]);
	close(p[1]);
	close(s);
	mq_close(q);
	mq_unlink(qname_buf);
}

TEST(mqueue, netlink_socket)
{
	struct sockaddr_nl_ {
		unsigned short nl_family, nl_pad;
		unsigned int nl_pid, nl_groups;
	} addr = { .nl_family = 16 };
	socklen_t len = sizeof(addr);
	int s = ASSERT_OK(socket(16, SOCK_RAW, 0));
	int rcvbuf = 0;

	ASSERT_OK(getsockname(s, (struct sockaddr *)&addr, &len));
	EXPECT_EQ(len, sizeof(addr));
	EXPECT_EQ(addr.nl_family, 16);
	EXPECT_EQ(addr.nl_pid, 0);
	addr.nl_pid = 0;
	ASSERT_OK(bind(s, (struct sockaddr *)&addr, sizeof(addr)));
	len = sizeof(addr);
	ASSERT_OK(getsockname(s, (struct sockaddr *)&addr, &len));
	EXPECT_NE(addr.nl_pid, 0);
	len = sizeof(rcvbuf);
	ASSERT_OK(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &(int){ 32768 }, sizeof(int)));
	ASSERT_OK(getsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len));
	EXPECT_EQ(rcvbuf, 65536);
	{
		struct pollfd pfd = { .fd = s, .events = POLLIN | POLLOUT };

		EXPECT_EQ(poll(&pfd, 1, 0), 1);
		EXPECT_EQ(pfd.revents, POLLOUT);
	}
	EXPECT_ERRNO(recv(s, &rcvbuf, 4, MSG_DONTWAIT), EAGAIN);
	close(s);
	EXPECT_ERRNO(socket(16, SOCK_STREAM, 0), ESOCKTNOSUPPORT);
	EXPECT_ERRNO(socket(16, SOCK_RAW, 32), EPROTONOSUPPORT);
}

TEST(mqueue, unlink_while_open_and_fork)
{
	mqd_t q = ASSERT_OK(mq_new("unlink", 0, 4, 8));
	char name[64], buf[8];
	int status;
	pid_t pid;

	strcpy(name, qname_buf);
	ASSERT_OK(mq_unlink(name));
	EXPECT_ERRNO(mq_open(name, O_RDWR), ENOENT);
	/* The open descriptor still works, and a child inherits it. */
	ASSERT_OK(mq_send(q, "w", 1, 0));
	pid = fork();
	if (pid == 0) {
		char b[8];

		if (mq_receive(q, b, sizeof(b), NULL) != 1 || b[0] != 'w')
			_exit(1);
		_exit(mq_send(q, "child", 5, 2) == 0 ? 0 : 2);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
	EXPECT_EQ(mq_receive(q, buf, sizeof(buf), NULL), 5);
	EXPECT_MEMEQ(buf, "child", 5);
	/* A new queue of the same name is another queue. */
	{
		mqd_t q2 = ASSERT_OK(mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, NULL));
		struct mq_attr a;

		ASSERT_OK(mq_send(q, "x", 1, 0));
		ASSERT_OK(mq_getattr(q2, &a));
		EXPECT_EQ(a.mq_curmsgs, 0);
		mq_close(q2);
		mq_unlink(name);
	}
	mq_close(q);
	EXPECT_ERRNO(mq_send(q, "x", 1, 0), EBADF);
}

TEST(mqueue, poll_and_epoll)
{
	mqd_t q = ASSERT_OK(mq_new("poll", 0, 2, 8));
	struct pollfd pfd = { .fd = q, .events = POLLIN | POLLOUT };
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int ep = ASSERT_OK(epoll_create1(0));
	char buf[8];
	pid_t pid;
	int status;

	EXPECT_EQ(poll(&pfd, 1, 0), 1);
	EXPECT_EQ(pfd.revents, POLLOUT);
	ASSERT_OK(mq_send(q, "a", 1, 0));
	EXPECT_EQ(poll(&pfd, 1, 0), 1);
	EXPECT_EQ(pfd.revents, POLLIN | POLLOUT);
	ASSERT_OK(mq_send(q, "b", 1, 0));
	EXPECT_EQ(poll(&pfd, 1, 0), 1);
	EXPECT_EQ(pfd.revents, POLLIN);
	mq_receive(q, buf, sizeof(buf), NULL);
	mq_receive(q, buf, sizeof(buf), NULL);

	ASSERT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, q, &ev));
	EXPECT_EQ(epoll_wait(ep, &out, 1, 0), 0);
	/* A send from another process wakes the waiter. */
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		_exit(mq_send(q, "c", 1, 0) == 0 ? 0 : 1);
	}
	EXPECT_EQ(epoll_wait(ep, &out, 1, 5000), 1);
	EXPECT_EQ(out.events, EPOLLIN);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
	close(ep);
	mq_close(q);
	mq_unlink(qname_buf);
}

TEST(mqueue, bad_pointers_and_descriptors)
{
	mqd_t q = ASSERT_OK(mq_new("efault", 0, 2, 8));
	mqd_t ro;
	struct mq_attr a;
	char buf[8];
	int fd;

	EXPECT_ERRNO(syscall(SYS_mq_open, unmapped_page(), O_RDWR, 0, NULL), EFAULT);
	EXPECT_ERRNO(syscall(SYS_mq_open, "x", O_CREAT | O_RDWR, 0600, unmapped_page()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_mq_unlink, unmapped_page()), EFAULT);
	EXPECT_ERRNO(mq_send(q, unmapped_page(), 4, 0), EFAULT);
	EXPECT_ERRNO(mq_timedsend(q, "x", 1, 0, unmapped_page()), EFAULT);
	ASSERT_OK(mq_send(q, "y", 1, 0));
	/* As Linux: the message is taken off the queue before the copy fails. */
	EXPECT_ERRNO(mq_receive(q, unmapped_page(), sizeof(buf), NULL), EFAULT);
	EXPECT_ERRNO(syscall(SYS_mq_getsetattr, q, unmapped_page(), NULL), EFAULT);
	EXPECT_ERRNO(syscall(SYS_mq_getsetattr, q, NULL, unmapped_page()), EFAULT);
	ASSERT_OK(mq_getattr(q, &a));
	EXPECT_EQ(a.mq_curmsgs, 0);
	/* Descriptors: closed, not a queue, wrong access mode. */
	EXPECT_ERRNO(mq_send((mqd_t)9999, "x", 1, 0), EBADF);
	fd = ASSERT_OK(open("/dev/null", O_RDWR));
	EXPECT_ERRNO(mq_send(fd, "x", 1, 0), EBADF);
	EXPECT_ERRNO(mq_getattr(fd, &a), EBADF);
	close(fd);
	ro = ASSERT_OK(mq_open(qname_buf, O_RDONLY));
	EXPECT_ERRNO(mq_send(ro, "x", 1, 0), EBADF);
	mq_close(ro);
	ro = ASSERT_OK(mq_open(qname_buf, O_WRONLY));
	EXPECT_ERRNO(mq_receive(ro, buf, sizeof(buf), NULL), EBADF);
	mq_close(ro);
	mq_close(q);
	mq_unlink(qname_buf);
}

TEST(mqueue, permissions)
{
	mqd_t q;
	char name[64];
	int status;
	pid_t pid;

	if (getuid() != 0)
		return;		/* needs a second user */
	q = ASSERT_OK(mq_open(qname("perm"), O_CREAT | O_RDWR, 0640, NULL));
	strcpy(name, qname_buf);
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(9);
		if (mq_open(name, O_RDONLY) != -1 || errno != EACCES)
			_exit(1);
		/* The root is sticky: the kernel's EPERM, which the C library reports as EACCES. */
		if (mq_unlink(name) != -1 || errno != EACCES)
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
	mq_close(q);
	mq_unlink(name);
}

TEST(mqueue, mqueue_filesystem)
{
	char dir[] = "/tmp/exotest-mqueue-XXXXXX", path[160], buf[128] = { 0 };
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2 };
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	mqd_t q;
	int fd;
	ssize_t n;
	struct stat st;
	const char *base;

	if (getuid() != 0)
		return;
	ASSERT_TRUE(mkdtemp(dir) != NULL);
	ASSERT_OK(mount("none", dir, "mqueue", 0, NULL));
	q = ASSERT_OK(mq_new("fs", 0, 4, 16));
	base = qname_buf + 1;
	snprintf(path, sizeof(path), "%s/%s", dir, base);
	ASSERT_OK(stat(path, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(st.st_mode & 07777, 0600);
	EXPECT_EQ(st.st_size, 80);	/* Linux's FILENT_SIZE */
	ASSERT_OK(mq_send(q, "12345", 5, 0));
	ASSERT_OK(mq_send(q, "678", 3, 0));
	fd = ASSERT_OK(open(path, O_RDONLY));
	n = read(fd, buf, sizeof(buf) - 1);
	ASSERT_GE(n, 0);
	EXPECT_STREQ(buf, "QSIZE:8          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n");
	close(fd);
	ASSERT_OK(sigaction(SIGUSR2, &sa, &old));
	mq_receive(q, buf, 16, NULL);
	mq_receive(q, buf, 16, NULL);
	ASSERT_OK(mq_notify(q, &sev));
	fd = ASSERT_OK(open(path, O_RDONLY));
	n = read(fd, buf, sizeof(buf) - 1);
	ASSERT_GE(n, 0);
	buf[n] = '\0';
	{
		char want[128];

		snprintf(want, sizeof(want), "QSIZE:0          NOTIFY:0     SIGNO:%-5d NOTIFY_PID:%-6d\n",
			 SIGUSR2, (int)getpid());
		EXPECT_STREQ(buf, want);
	}
	/* A descriptor from open(2) is a queue descriptor too. */
	{
		mqd_t q2 = ASSERT_OK(open(path, O_RDWR));

		ASSERT_OK(mq_send(q2, "z", 1, 0));
		EXPECT_EQ(mq_receive(q2, buf, 16, NULL), 1);
		close(q2);
	}
	sigaction(SIGUSR2, &old, NULL);
	/* The directory lists the queue; unlink(2) there is mq_unlink. */
	ASSERT_OK(unlink(path));
	EXPECT_ERRNO(mq_open(qname_buf, O_RDWR), ENOENT);
	EXPECT_ERRNO(stat(path, &st), ENOENT);
	/* open(O_CREAT) there makes a queue with the default attributes. */
	fd = ASSERT_OK(open(path, O_CREAT | O_RDWR, 0600));
	{
		struct mq_attr a;

		ASSERT_OK(mq_getattr(fd, &a));
		EXPECT_EQ(a.mq_maxmsg, read_knob("msg_default"));
	}
	close(fd);
	EXPECT_OK(mq_unlink(qname_buf));
	mq_close(q);
	/* Detached: /tmp may propagate mounts to peers that keep it busy (Linux). */
	ASSERT_OK(umount2(dir, MNT_DETACH));
	rmdir(dir);
}

static void rlimit_child(void *arg)
{
	/* Room for one big queue and a small one, not two big ones (Linux's own count is a little higher). */
	struct rlimit rl = { 150000, 150000 };
	struct mq_attr big = { .mq_maxmsg = 10, .mq_msgsize = 8192 };
	struct mq_attr small = { .mq_maxmsg = 1, .mq_msgsize = 128 };
	const char *base = arg;
	char n1[80], n2[80], n3[80];
	mqd_t q1, q2, q3;

	snprintf(n1, sizeof(n1), "%s-1", base);
	snprintf(n2, sizeof(n2), "%s-2", base);
	snprintf(n3, sizeof(n3), "%s-3", base);
	if (setrlimit(RLIMIT_MSGQUEUE, &rl))
		_exit(10);
	q1 = mq_open(n1, O_CREAT | O_EXCL | O_RDWR, 0600, &big);
	if (q1 < 0)
		_exit(11);
	if (mq_open(n2, O_CREAT | O_EXCL | O_RDWR, 0600, &big) != -1 || errno != EMFILE)
		_exit(12);
	q3 = mq_open(n3, O_CREAT | O_EXCL | O_RDWR, 0600, &small);
	if (q3 < 0)
		_exit(13);
	/* A queue's charge goes with the queue: unlinked and closed, there is room again. */
	mq_unlink(n1);
	mq_close(q1);
	q2 = mq_open(n2, O_CREAT | O_EXCL | O_RDWR, 0600, &big);
	if (q2 < 0)
		_exit(14);
	mq_unlink(n2);
	mq_unlink(n3);
	_exit(0);
}

TEST(mqueue, rlimit_msgqueue)
{
	char base[64];

	snprintf(base, sizeof(base), "/exotest-%d-rlimit", (int)getpid());
	EXPECT_EQ(run_child(rlimit_child, base), 0);
}

TEST(mqueue, proc_sys_limits)
{
	long old_def = read_knob("msg_default");
	struct mq_attr a;
	mqd_t q;

	EXPECT_GE(read_knob("msg_max"), 1);
	EXPECT_GE(read_knob("msgsize_max"), 128);
	EXPECT_GE(read_knob("queues_max"), 0);
	EXPECT_GE(read_knob("msgsize_default"), 128);
	if (getuid() != 0)
		return;
	ASSERT_OK(write_knob("msg_default", 3));
	EXPECT_EQ(read_knob("msg_default"), 3);
	q = ASSERT_OK(mq_open(qname("knob"), O_CREAT | O_RDWR, 0600, NULL));
	ASSERT_OK(mq_getattr(q, &a));
	EXPECT_EQ(a.mq_maxmsg, 3);
	mq_close(q);
	mq_unlink(qname_buf);
	EXPECT_EQ(write_knob("msg_default", 0), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(write_knob("msgsize_max", 127), -1);
	EXPECT_EQ(errno, EINVAL);
	ASSERT_OK(write_knob("msg_default", old_def));
}
