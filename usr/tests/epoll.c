/*
 * epoll tests: epoll_create/create1/ctl/wait/pwait/pwait2 errors in
 * Linux's order, the packed struct epoll_event, level- and edge-triggered
 * reports, EPOLLONESHOT, EPOLLEXCLUSIVE across several waiting threads,
 * nested sets with ELOOP and the depth limit, pipes, AF_UNIX sockets,
 * eventfd, timerfd and signalfd as targets, close removing an item, and
 * poll/select on an epoll fd.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MS 1000000LL

static int ep_add(int ep, int fd, unsigned int events, unsigned long long data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int ep_mod(int ep, int fd, unsigned int events, unsigned long long data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* epoll_wait with a 0 timeout; the first event in *ev. */
static int ep_poll0(int ep, struct epoll_event *ev, int max)
{
	return epoll_wait(ep, ev, max, 0);
}

TEST(epoll, create_errors_and_file)
{
	struct stat st;
	int ep;

	EXPECT_ERRNO(syscall(SYS_epoll_create, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_epoll_create, -1), EINVAL);
	EXPECT_ERRNO(epoll_create1(1), EINVAL);
	EXPECT_ERRNO(epoll_create1(O_NONBLOCK), EINVAL);
	ep = ASSERT_OK(epoll_create(1));
	EXPECT_EQ(fcntl(ep, F_GETFD), 0);
	close(ep);
	ep = ASSERT_OK(epoll_create1(EPOLL_CLOEXEC));
	EXPECT_EQ(fcntl(ep, F_GETFD), FD_CLOEXEC);
	ASSERT_OK(fstat(ep, &st));
	EXPECT_EQ(st.st_mode, 0600);
	EXPECT_STREQ(fd_link(ep), "anon_inode:[eventpoll]");
	close(ep);
}

TEST(epoll, event_is_packed)
{
	EXPECT_EQ(sizeof(struct epoll_event), 12);
	EXPECT_EQ(offsetof(struct epoll_event, data), 4);
	EXPECT_EQ(EPOLLEXCLUSIVE, 1u << 28);
	EXPECT_EQ(EPOLLONESHOT, 1u << 30);
	EXPECT_EQ((unsigned int)EPOLLET, 1u << 31);
}

TEST(epoll, ctl_errors)
{
	int ep = ASSERT_OK(epoll_create1(0)), ep2 = ASSERT_OK(epoll_create1(0));
	struct epoll_event ev = { .events = EPOLLIN };
	int p[2], reg;

	ASSERT_OK(pipe(p));
	reg = ASSERT_OK(open("f", O_CREAT | O_RDWR, 0600));
	EXPECT_ERRNO(epoll_ctl(-1, EPOLL_CTL_ADD, p[0], &ev), EBADF);
	EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev), EBADF);
	EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev), EPERM);
	EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
	EXPECT_ERRNO(epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &ev), EINVAL);
	EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], (void *)1), EFAULT);
	EXPECT_ERRNO(epoll_ctl(ep, 99, p[0], &ev), EINVAL);
	EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);
	EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), ENOENT);
	EXPECT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
	EXPECT_OK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	EXPECT_OK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);

	/* EPOLLEXCLUSIVE: only with ADD, only with in/out/err/hup/et, never on an epoll fd. */
	EXPECT_ERRNO(ep_add(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0), EINVAL);
	EXPECT_ERRNO(ep_add(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLRDHUP, 0), EINVAL);
	EXPECT_ERRNO(ep_add(ep, ep2, EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL);
	EXPECT_OK(ep_add(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLET, 0));
	EXPECT_ERRNO(ep_mod(ep, p[0], EPOLLIN, 0), EINVAL);
	EXPECT_ERRNO(ep_mod(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL);
	EXPECT_ERRNO(ep_mod(ep, p[1], EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL);
	close(reg);
	close(p[0]);
	close(p[1]);
	close(ep);
	close(ep2);
}

TEST(epoll, wait_errors)
{
	int ep = ASSERT_OK(epoll_create1(0)), p[2];
	struct timespec bad = { 0, 1000000000 };
	struct epoll_event ev[2];
	sigset_t set;

	ASSERT_OK(pipe(p));
	sigemptyset(&set);
	EXPECT_ERRNO(epoll_wait(ep, ev, 0, 0), EINVAL);
	EXPECT_ERRNO(epoll_wait(ep, ev, -1, 0), EINVAL);
	/* Nothing ready: nothing is copied, so a bad buffer goes unnoticed (Linux). */
	EXPECT_EQ(epoll_wait(ep, (void *)8, 1, 0), 0);
	EXPECT_ERRNO(epoll_wait(-1, ev, 1, 0), EBADF);
	EXPECT_ERRNO(epoll_wait(p[0], ev, 1, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_epoll_pwait, ep, ev, 1, 0, &set, 4), EINVAL);
	EXPECT_ERRNO(syscall(SYS_epoll_pwait, ep, ev, 1, 0, (void *)1, 8), EFAULT);
	EXPECT_ERRNO(syscall(441, ep, ev, 1, &bad, NULL, 8), EINVAL);
	EXPECT_ERRNO(syscall(441, ep, ev, 1, (void *)1, NULL, 8), EFAULT);
	EXPECT_EQ(syscall(SYS_epoll_pwait, ep, ev, 1, 0, &set, 8), 0);
	/* A ready event and a bad buffer: EFAULT, and the event is still there. */
	ASSERT_OK(ep_add(ep, p[1], EPOLLOUT, 9));
	EXPECT_ERRNO(epoll_wait(ep, (void *)8, 1, 0), EFAULT);
	ASSERT_EQ(epoll_wait(ep, ev, 2, 0), 1);
	EXPECT_EQ(ev[0].data.u64, 9);
	close(p[0]);
	close(p[1]);
	close(ep);
}

TEST(epoll, level_triggered_pipe)
{
	int ep = ASSERT_OK(epoll_create1(0)), p[2];
	struct epoll_event ev[4];
	char c;

	ASSERT_OK(pipe(p));
	ASSERT_OK(ep_add(ep, p[0], EPOLLIN, 0x1122334455667788ULL));
	EXPECT_EQ(ep_poll0(ep, ev, 4), 0);
	ASSERT_EQ(write(p[1], "ab", 2), 2);
	ASSERT_EQ(ep_poll0(ep, ev, 4), 1);
	EXPECT_EQ(ev[0].events, EPOLLIN);
	EXPECT_EQ(ev[0].data.u64, 0x1122334455667788ULL);
	/* Level-triggered: still reported while data is there. */
	EXPECT_EQ(ep_poll0(ep, ev, 4), 1);
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(ep_poll0(ep, ev, 4), 1);
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(ep_poll0(ep, ev, 4), 0);
	/* The write end: EPOLLOUT, and EPOLLERR once the reader is gone. */
	ASSERT_OK(ep_add(ep, p[1], EPOLLOUT, 2));
	ASSERT_EQ(ep_poll0(ep, ev, 4), 1);
	EXPECT_EQ(ev[0].events, EPOLLOUT);
	close(p[0]);
	ASSERT_EQ(ep_poll0(ep, ev, 4), 1);
	EXPECT_EQ(ev[0].events, EPOLLOUT | EPOLLERR);
	close(p[1]);
	close(ep);
}

TEST(epoll, edge_triggered_reports_once)
{
	int ep = ASSERT_OK(epoll_create1(0)), p[2];
	struct epoll_event ev[4];

	ASSERT_OK(pipe(p));
	ASSERT_OK(ep_add(ep, p[0], EPOLLIN | EPOLLET, 7));
	EXPECT_EQ(ep_poll0(ep, ev, 4), 0);
	ASSERT_EQ(write(p[1], "a", 1), 1);
	ASSERT_EQ(ep_poll0(ep, ev, 4), 1);
	EXPECT_EQ(ev[0].data.u64, 7);
	/* No new data: no new report, though the pipe is still readable. */
	EXPECT_EQ(ep_poll0(ep, ev, 4), 0);
	ASSERT_EQ(write(p[1], "b", 1), 1);
	EXPECT_EQ(ep_poll0(ep, ev, 4), 1);
	EXPECT_EQ(ep_poll0(ep, ev, 4), 0);
	/* MOD re-arms an edge item: the state is looked at again. */
	ASSERT_OK(ep_mod(ep, p[0], EPOLLIN | EPOLLET, 8));
	ASSERT_EQ(ep_poll0(ep, ev, 4), 1);
	EXPECT_EQ(ev[0].data.u64, 8);
	close(p[0]);
	close(p[1]);
	close(ep);
}

TEST(epoll, oneshot_disabled_until_mod)
{
	int ep = ASSERT_OK(epoll_create1(0)), p[2];
	struct epoll_event ev[4];

	ASSERT_OK(pipe(p));
	ASSERT_OK(ep_add(ep, p[0], EPOLLIN | EPOLLONESHOT, 1));
	ASSERT_EQ(write(p[1], "a", 1), 1);
	EXPECT_EQ(ep_poll0(ep, ev, 4), 1);
	EXPECT_EQ(ep_poll0(ep, ev, 4), 0);
	ASSERT_EQ(write(p[1], "b", 1), 1);
	EXPECT_EQ(ep_poll0(ep, ev, 4), 0);
	/* Still in the set while disabled. */
	EXPECT_ERRNO(ep_add(ep, p[0], EPOLLIN, 1), EEXIST);
	ASSERT_OK(ep_mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 2));
	ASSERT_EQ(ep_poll0(ep, ev, 4), 1);
	EXPECT_EQ(ev[0].data.u64, 2);
	EXPECT_EQ(ep_poll0(ep, ev, 4), 0);
	close(p[0]);
	close(p[1]);
	close(ep);
}

TEST(epoll, maxevents_and_round_robin)
{
	int ep = ASSERT_OK(epoll_create1(0)), p[3][2];
	struct epoll_event ev[4];

	for (int i = 0; i < 3; i++) {
		ASSERT_OK(pipe(p[i]));
		ASSERT_OK(ep_add(ep, p[i][0], EPOLLIN, (unsigned long long)i));
		ASSERT_EQ(write(p[i][1], "x", 1), 1);
	}
	ASSERT_EQ(epoll_wait(ep, ev, 2, 0), 2);
	EXPECT_EQ(ev[0].data.u64, 0);
	EXPECT_EQ(ev[1].data.u64, 1);
	/* Level-triggered items go to the back: the third comes first now. */
	ASSERT_EQ(epoll_wait(ep, ev, 2, 0), 2);
	EXPECT_EQ(ev[0].data.u64, 2);
	EXPECT_EQ(ev[1].data.u64, 0);
	EXPECT_EQ(epoll_wait(ep, ev, 4, 0), 3);
	for (int i = 0; i < 3; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	close(ep);
}

static void *write_later(void *arg)
{
	int fd = *(int *)arg;
	struct timespec ts = { 0, 50 * MS };

	nanosleep(&ts, NULL);
	if (write(fd, "w", 1) != 1)
		return (void *)1;
	return NULL;
}

TEST(epoll, wait_blocks_until_woken)
{
	int ep = ASSERT_OK(epoll_create1(0)), p[2];
	struct epoll_event ev;
	long long t0 = now_ns();
	pthread_t th;

	ASSERT_OK(pipe(p));
	ASSERT_OK(ep_add(ep, p[0], EPOLLIN, 5));
	ASSERT_EQ(pthread_create(&th, NULL, write_later, &p[1]), 0);
	ASSERT_EQ(epoll_wait(ep, &ev, 1, 5000), 1);
	EXPECT_GE(now_ns() - t0, 40 * MS);
	EXPECT_EQ(ev.data.u64, 5);
	pthread_join(th, NULL);
	close(p[0]);
	close(p[1]);
	close(ep);
}

TEST(epoll, timeouts)
{
	int ep = ASSERT_OK(epoll_create1(0));
	struct timespec ts = { 0, 60 * MS };
	struct epoll_event ev;
	long long t0 = now_ns();

	EXPECT_EQ(epoll_wait(ep, &ev, 1, 50), 0);
	EXPECT_GE(now_ns() - t0, 45 * MS);
	t0 = now_ns();
	EXPECT_EQ(syscall(441, ep, &ev, 1, &ts, NULL, 8), 0);
	EXPECT_GE(now_ns() - t0, 55 * MS);
	ts.tv_nsec = 0;
	t0 = now_ns();
	EXPECT_EQ(syscall(441, ep, &ev, 1, &ts, NULL, 8), 0);
	EXPECT_LT(now_ns() - t0, 1000 * MS);
	close(ep);
}

static void on_usr1(int sig)
{
	(void)sig;
}

TEST(epoll, pwait_mask_lets_signal_in)
{
	int ep = ASSERT_OK(epoll_create1(0));
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct epoll_event ev;
	sigset_t block, none;

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&none);
	ASSERT_OK(sigaction(SIGUSR1, &sa, NULL));
	ASSERT_OK(sigprocmask(SIG_BLOCK, &block, NULL));
	ASSERT_OK(kill(getpid(), SIGUSR1));
	/* Blocked: epoll_wait does not see it. */
	EXPECT_EQ(epoll_wait(ep, &ev, 1, 10), 0);
	/* epoll_pwait unblocks it for the wait: EINTR, the handler runs. */
	EXPECT_ERRNO(epoll_pwait(ep, &ev, 1, 1000, &none), EINTR);
	close(ep);
}

/* A thread in epoll_wait(ep, 1 event, @timeout ms); got is what it returned. */
struct waiter_arg {
	int ep;
	int timeout;
	int got;
};

static void *epoll_waiter(void *a)
{
	struct waiter_arg *arg = a;
	struct epoll_event ev;

	arg->got = epoll_wait(arg->ep, &ev, 1, arg->timeout);
	return NULL;
}

/* Starts @n epoll_waiter threads on @args (ep already set), then waits 100 ms for them to sleep. */
static void start_waiters(struct waiter_arg *args, pthread_t *th, int n, int timeout)
{
	struct timespec ts = { 0, 100 * MS };

	for (int i = 0; i < n; i++) {
		args[i].timeout = timeout;
		args[i].got = -2;
		pthread_create(&th[i], NULL, epoll_waiter, &args[i]);
	}
	nanosleep(&ts, NULL);
}

/* EPOLLEXCLUSIVE: several sets wait on one eventfd; one write wakes one of them. */
static int woken_sets(unsigned int extra)
{
	struct waiter_arg args[4];
	pthread_t th[4];
	uint64_t one = 1;
	int efd = eventfd(0, 0), woken = 0;

	for (int i = 0; i < 4; i++) {
		args[i].ep = epoll_create1(0);
		ep_add(args[i].ep, efd, EPOLLIN | extra, (unsigned long long)i);
	}
	start_waiters(args, th, 4, 400);
	if (write(efd, &one, 8) != 8)
		return -1;
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		woken += args[i].got == 1;
		close(args[i].ep);
	}
	close(efd);
	return woken;
}

TEST(epoll, exclusive_wakes_one_set)
{
	EXPECT_EQ(woken_sets(EPOLLEXCLUSIVE), 1);
	EXPECT_EQ(woken_sets(0), 4);
}

TEST(epoll, nested_sets)
{
	int outer = ASSERT_OK(epoll_create1(0)), inner = ASSERT_OK(epoll_create1(0)), p[2];
	struct pollfd pfd = { .events = POLLIN };
	struct epoll_event ev[2];
	char c;

	ASSERT_OK(pipe(p));
	ASSERT_OK(ep_add(inner, p[0], EPOLLIN, 1));
	ASSERT_OK(ep_add(outer, inner, EPOLLIN, 2));
	EXPECT_EQ(ep_poll0(outer, ev, 2), 0);
	pfd.fd = inner;
	EXPECT_EQ(poll(&pfd, 1, 0), 0);
	ASSERT_EQ(write(p[1], "a", 1), 1);
	ASSERT_EQ(ep_poll0(outer, ev, 2), 1);
	EXPECT_EQ(ev[0].data.u64, 2);
	EXPECT_EQ(ev[0].events, EPOLLIN);
	EXPECT_EQ(poll(&pfd, 1, 0), 1);
	EXPECT_EQ(pfd.revents, POLLIN);
	/* The inner set's readiness is its items' now: drained, it is not ready. */
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(ep_poll0(outer, ev, 2), 0);
	EXPECT_EQ(poll(&pfd, 1, 0), 0);
	close(p[0]);
	close(p[1]);
	close(inner);
	close(outer);
}

static void *write_later_nested(void *arg)
{
	return write_later(arg);
}

TEST(epoll, nested_wakes_outer_waiter)
{
	int outer = ASSERT_OK(epoll_create1(0)), inner = ASSERT_OK(epoll_create1(0)), p[2];
	struct epoll_event ev;
	pthread_t th;

	ASSERT_OK(pipe(p));
	ASSERT_OK(ep_add(inner, p[0], EPOLLIN, 1));
	ASSERT_OK(ep_add(outer, inner, EPOLLIN, 2));
	ASSERT_EQ(pthread_create(&th, NULL, write_later_nested, &p[1]), 0);
	ASSERT_EQ(epoll_wait(outer, &ev, 1, 5000), 1);
	EXPECT_EQ(ev.data.u64, 2);
	ASSERT_EQ(epoll_wait(inner, &ev, 1, 0), 1);
	EXPECT_EQ(ev.data.u64, 1);
	pthread_join(th, NULL);
	close(p[0]);
	close(p[1]);
	close(inner);
	close(outer);
}

TEST(epoll, loops_and_depth_are_eloop)
{
	int a = ASSERT_OK(epoll_create1(0)), b = ASSERT_OK(epoll_create1(0));
	int c = ASSERT_OK(epoll_create1(0)), e[7];

	ASSERT_OK(ep_add(a, b, EPOLLIN, 0));
	EXPECT_ERRNO(ep_add(b, a, EPOLLIN, 0), ELOOP);
	ASSERT_OK(ep_add(b, c, EPOLLIN, 0));
	EXPECT_ERRNO(ep_add(c, a, EPOLLIN, 0), ELOOP);
	close(a);
	close(b);
	close(c);

	/* A chain e0 <- e1 <- ... : five levels are allowed, the sixth is ELOOP. */
	for (int i = 0; i < 7; i++)
		e[i] = ASSERT_OK(epoll_create1(0));
	for (int i = 0; i < 4; i++)
		EXPECT_OK(ep_add(e[i + 1], e[i], EPOLLIN, 0));
	EXPECT_ERRNO(ep_add(e[5], e[4], EPOLLIN, 0), ELOOP);
	/* Adding below the chain counts the levels above too. */
	EXPECT_ERRNO(ep_add(e[0], e[6], EPOLLIN, 0), ELOOP);
	EXPECT_OK(ep_add(e[1], e[6], EPOLLIN, 0));
	for (int i = 0; i < 7; i++)
		close(e[i]);
}

TEST(epoll, close_removes_item)
{
	int ep = ASSERT_OK(epoll_create1(0)), p[2], dupfd;
	struct epoll_event ev[2];

	ASSERT_OK(pipe(p));
	ASSERT_EQ(write(p[1], "a", 1), 1);
	ASSERT_OK(ep_add(ep, p[0], EPOLLIN, 1));
	dupfd = ASSERT_OK(dup(p[0]));
	/* Another fd on the same file keeps the item. */
	close(p[0]);
	ASSERT_EQ(ep_poll0(ep, ev, 2), 1);
	EXPECT_EQ(ev[0].data.u64, 1);
	EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, dupfd, NULL), ENOENT);
	/* The last close removes it. */
	close(dupfd);
	EXPECT_EQ(ep_poll0(ep, ev, 2), 0);
	/* One file in two sets: its last close takes it out of both. */
	{
		int ep2 = ASSERT_OK(epoll_create1(0)), q[2];

		ASSERT_OK(pipe(q));
		ASSERT_EQ(write(q[1], "a", 1), 1);
		ASSERT_OK(ep_add(ep, q[0], EPOLLIN, 5));
		ASSERT_OK(ep_add(ep2, q[0], EPOLLIN, 6));
		EXPECT_EQ(ep_poll0(ep2, ev, 2), 1);
		close(q[0]);
		EXPECT_EQ(ep_poll0(ep, ev, 2), 0);
		EXPECT_EQ(ep_poll0(ep2, ev, 2), 0);
		close(q[1]);
		close(ep2);
	}
	/* The fd number can be added again for a new file. */
	ASSERT_OK(pipe(p));
	ASSERT_OK(ep_add(ep, p[0], EPOLLIN, 3));
	close(p[0]);
	close(p[1]);
	close(ep);
}

TEST(epoll, closing_epoll_with_items)
{
	int ep = ASSERT_OK(epoll_create1(0)), outer = ASSERT_OK(epoll_create1(0)), p[2];
	struct epoll_event ev;

	ASSERT_OK(pipe(p));
	ASSERT_OK(ep_add(ep, p[0], EPOLLIN, 1));
	ASSERT_OK(ep_add(ep, p[1], EPOLLOUT, 2));
	ASSERT_OK(ep_add(outer, ep, EPOLLIN, 3));
	EXPECT_EQ(ep_poll0(outer, &ev, 1), 1);
	close(ep);
	EXPECT_EQ(ep_poll0(outer, &ev, 1), 0);
	/* The pipe lives on and works. */
	EXPECT_EQ(write(p[1], "a", 1), 1);
	close(p[0]);
	close(p[1]);
	close(outer);
}

TEST(epoll, unix_socket_events)
{
	int ep = ASSERT_OK(epoll_create1(0)), sv[2];
	struct epoll_event ev;
	char c;

	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_OK(ep_add(ep, sv[0], EPOLLIN | EPOLLRDHUP, 1));
	EXPECT_EQ(ep_poll0(ep, &ev, 1), 0);
	ASSERT_EQ(write(sv[1], "a", 1), 1);
	ASSERT_EQ(ep_poll0(ep, &ev, 1), 1);
	EXPECT_EQ(ev.events, EPOLLIN);
	EXPECT_EQ(read(sv[0], &c, 1), 1);
	EXPECT_EQ(ep_poll0(ep, &ev, 1), 0);
	ASSERT_OK(shutdown(sv[1], SHUT_WR));
	ASSERT_EQ(ep_poll0(ep, &ev, 1), 1);
	EXPECT_EQ(ev.events, EPOLLIN | EPOLLRDHUP);
	close(sv[1]);
	ASSERT_EQ(ep_poll0(ep, &ev, 1), 1);
	EXPECT_EQ(ev.events, EPOLLIN | EPOLLRDHUP | EPOLLHUP);
	close(sv[0]);
	close(ep);
}

/*
 * Edge-triggered EPOLLOUT on a stream socket fires again each time the
 * peer reads what it sent, though the socket never stopped being writable
 * (Linux wakes the writer on every free while there is room).
 */
TEST(epoll, unix_stream_epollout_edge_on_peer_read)
{
	int ep = ASSERT_OK(epoll_create1(0)), sv[2];
	struct epoll_event ev;
	char c;

	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_OK(ep_add(ep, sv[0], EPOLLOUT | EPOLLET, 1));
	ASSERT_EQ(ep_poll0(ep, &ev, 1), 1);
	EXPECT_EQ(ev.events, EPOLLOUT);
	EXPECT_EQ(ep_poll0(ep, &ev, 1), 0);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(write(sv[0], "a", 1), 1);
		EXPECT_EQ(ep_poll0(ep, &ev, 1), 0);
		EXPECT_EQ(read(sv[1], &c, 1), 1);
		ASSERT_EQ(ep_poll0(ep, &ev, 1), 1);
		EXPECT_EQ(ev.events, EPOLLOUT);
		EXPECT_EQ(ep_poll0(ep, &ev, 1), 0);
	}
	close(sv[0]);
	close(sv[1]);
	close(ep);
}

TEST(epoll, event_file_targets)
{
	int ep = ASSERT_OK(epoll_create1(0));
	int efd = ASSERT_OK(eventfd(0, 0));
	int tfd = ASSERT_OK(timerfd_create(CLOCK_MONOTONIC, 0));
	struct itimerspec its = { .it_value = { 0, 20 * MS } };
	struct epoll_event ev;
	uint64_t v = 3;
	sigset_t set;
	int sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	ASSERT_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	sfd = ASSERT_OK(signalfd(-1, &set, 0));
	ASSERT_OK(ep_add(ep, efd, EPOLLIN, 1));
	ASSERT_OK(ep_add(ep, tfd, EPOLLIN, 2));
	ASSERT_OK(ep_add(ep, sfd, EPOLLIN, 3));
	EXPECT_EQ(ep_poll0(ep, &ev, 1), 0);

	ASSERT_EQ(write(efd, &v, 8), 8);
	ASSERT_EQ(epoll_wait(ep, &ev, 1, 1000), 1);
	EXPECT_EQ(ev.data.u64, 1);
	ASSERT_EQ(read(efd, &v, 8), 8);

	ASSERT_OK(timerfd_settime(tfd, 0, &its, NULL));
	ASSERT_EQ(epoll_wait(ep, &ev, 1, 2000), 1);
	EXPECT_EQ(ev.data.u64, 2);
	ASSERT_EQ(read(tfd, &v, 8), 8);

	ASSERT_OK(kill(getpid(), SIGUSR2));
	ASSERT_EQ(epoll_wait(ep, &ev, 1, 1000), 1);
	EXPECT_EQ(ev.data.u64, 3);
	EXPECT_EQ(ep_poll0(ep, &ev, 1), 1);
	{
		struct signalfd_siginfo si;

		ASSERT_EQ(read(sfd, &si, sizeof(si)), sizeof(si));
	}
	EXPECT_EQ(ep_poll0(ep, &ev, 1), 0);
	close(sfd);
	close(tfd);
	close(efd);
	close(ep);
}

TEST(epoll, poll_and_select_on_epoll_fd)
{
	int ep = ASSERT_OK(epoll_create1(0)), p[2];
	struct pollfd pfd = { .fd = ep, .events = POLLIN | POLLOUT };
	struct timeval tv = { 0, 0 };
	fd_set rd, wr;

	ASSERT_OK(pipe(p));
	ASSERT_OK(ep_add(ep, p[0], EPOLLIN, 1));
	EXPECT_EQ(poll(&pfd, 1, 0), 0);
	FD_ZERO(&rd);
	FD_SET(ep, &rd);
	FD_ZERO(&wr);
	FD_SET(ep, &wr);
	EXPECT_EQ(select(ep + 1, &rd, &wr, NULL, &tv), 0);
	ASSERT_EQ(write(p[1], "a", 1), 1);
	EXPECT_EQ(poll(&pfd, 1, 0), 1);
	EXPECT_EQ(pfd.revents, POLLIN);
	FD_ZERO(&rd);
	FD_SET(ep, &rd);
	EXPECT_EQ(select(ep + 1, &rd, NULL, NULL, &tv), 1);
	EXPECT_TRUE(FD_ISSET(ep, &rd));
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void *poll_waiter(void *arg)
{
	struct pollfd pfd = { .fd = *(int *)arg, .events = POLLIN };

	return (void *)(long)poll(&pfd, 1, 5000);
}

TEST(epoll, poll_on_epoll_fd_is_woken)
{
	int ep = ASSERT_OK(epoll_create1(0)), p[2];
	struct timespec ts = { 0, 50 * MS };
	pthread_t th;
	void *ret;

	ASSERT_OK(pipe(p));
	ASSERT_OK(ep_add(ep, p[0], EPOLLIN, 1));
	ASSERT_EQ(pthread_create(&th, NULL, poll_waiter, &ep), 0);
	nanosleep(&ts, NULL);
	ASSERT_EQ(write(p[1], "a", 1), 1);
	pthread_join(th, &ret);
	EXPECT_EQ((long)ret, 1);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/* Several threads in epoll_wait on one set: an edge event wakes at least one, all return. */
TEST(epoll, threads_share_one_set)
{
	int ep = ASSERT_OK(epoll_create1(0)), efd = ASSERT_OK(eventfd(0, 0)), got = 0;
	struct waiter_arg args[3];
	pthread_t th[3];
	uint64_t one = 1;

	ASSERT_OK(ep_add(ep, efd, EPOLLIN | EPOLLET, 1));
	for (int i = 0; i < 3; i++)
		args[i].ep = ep;
	start_waiters(args, th, 3, 300);
	ASSERT_EQ(write(efd, &one, 8), 8);
	for (int i = 0; i < 3; i++) {
		pthread_join(th[i], NULL);
		EXPECT_GE(args[i].got, 0);
		got += args[i].got;
	}
	/* Edge-triggered: exactly one of them got the one edge. */
	EXPECT_EQ(got, 1);
	close(efd);
	close(ep);
}

/*
 * An item registered by a process whose signal handlers go away: the
 * signalfd's wait queue lives in the child's sighand, freed when it is
 * reaped; the set lets go of it (POLLFREE) and can still remove the item.
 */
TEST(epoll, signalfd_item_outlives_registering_process)
{
	int ep = ASSERT_OK(epoll_create1(0)), status;
	struct epoll_event ev;
	sigset_t set;
	pid_t child;
	int sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sfd = ASSERT_OK(signalfd(-1, &set, SFD_NONBLOCK));
	child = fork();
	ASSERT_GE(child, 0);
	if (!child)
		_exit(ep_add(ep, sfd, EPOLLIN, 1) ? 1 : 0);
	ASSERT_EQ(waitpid(child, &status, 0), child);
	ASSERT_EQ(status, 0);
	EXPECT_EQ(ep_poll0(ep, &ev, 1), 0);
	EXPECT_OK(epoll_ctl(ep, EPOLL_CTL_DEL, sfd, NULL));
	close(sfd);
	close(ep);
}

/* Items added, woken and closed on one CPU while others wait on and scan the set. */
struct race_arg {
	int ep;
	volatile int stop;
	long rounds;
};

static void *race_waiter(void *a)
{
	struct race_arg *arg = a;
	struct epoll_event ev[8];

	while (!arg->stop) {
		if (epoll_wait(arg->ep, ev, 8, 1) < 0)
			return (void *)1;
		arg->rounds++;
	}
	return NULL;
}

TEST_TIMEOUT(epoll, close_and_wake_race, 30)
{
	struct race_arg arg = { .ep = ASSERT_OK(epoll_create1(0)) };
	long long end = now_ns() + 1000 * MS;
	pthread_t th[2];
	void *ret;
	long made = 0;

	for (int i = 0; i < 2; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, race_waiter, &arg), 0);
	while (now_ns() < end) {
		int p[2], efd = eventfd(0, EFD_NONBLOCK);
		uint64_t one = 1;

		ASSERT_OK(pipe(p));
		ASSERT_OK(ep_add(arg.ep, p[0], EPOLLIN | (made & 1 ? EPOLLET : 0), 1));
		ASSERT_OK(ep_add(arg.ep, efd, EPOLLIN | EPOLLONESHOT, 2));
		ASSERT_EQ(write(p[1], "x", 1), 1);
		ASSERT_EQ(write(efd, &one, 8), 8);
		if (made % 3 == 0)
			epoll_ctl(arg.ep, EPOLL_CTL_DEL, p[0], NULL);
		close(p[0]);
		close(p[1]);
		close(efd);
		made++;
	}
	arg.stop = 1;
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], &ret);
		EXPECT_EQ((long)ret, 0);
	}
	/* Progress on both sides (slow emulated CPUs make few rounds: no fixed count). */
	EXPECT_GT(made, 0);
	EXPECT_GT(arg.rounds, 0);
	/* Every item went with its file. */
	{
		struct epoll_event ev;

		EXPECT_EQ(epoll_wait(arg.ep, &ev, 1, 0), 0);
	}
	close(arg.ep);
}

/* Many items, and one file through two fds: each (file, fd) pair is its own item. */
TEST(epoll, many_items_and_dup_fds)
{
	int ep = ASSERT_OK(epoll_create1(0)), p[64][2], d;
	struct epoll_event ev[128];

	for (int i = 0; i < 64; i++) {
		ASSERT_OK(pipe(p[i]));
		ASSERT_OK(ep_add(ep, p[i][0], EPOLLIN, (unsigned long long)i));
	}
	d = ASSERT_OK(dup(p[7][0]));
	ASSERT_OK(ep_add(ep, d, EPOLLIN, 1000));
	for (int i = 0; i < 64; i += 2)
		ASSERT_EQ(write(p[i][1], "x", 1), 1);
	for (int i = 1; i < 64; i += 4)
		EXPECT_OK(epoll_ctl(ep, EPOLL_CTL_DEL, p[i][0], NULL));
	EXPECT_EQ(ep_poll0(ep, ev, 128), 32);
	ASSERT_EQ(write(p[7][1], "x", 1), 1);
	EXPECT_EQ(ep_poll0(ep, ev, 128), 34);
	EXPECT_OK(epoll_ctl(ep, EPOLL_CTL_DEL, p[7][0], NULL));
	ASSERT_EQ(ep_poll0(ep, ev, 128), 33);
	EXPECT_ERRNO(ep_add(ep, d, EPOLLIN, 0), EEXIST);
	for (int i = 0; i < 64; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	/* The dup keeps p[7]'s read end, and so its item. */
	EXPECT_EQ(ep_poll0(ep, ev, 128), 1);
	EXPECT_EQ(ev[0].data.u64, 1000);
	close(d);
	EXPECT_EQ(ep_poll0(ep, ev, 128), 0);
	close(ep);
}

/* A listening AF_UNIX socket is readable while a connection waits for accept. */
TEST(epoll, unix_listener_and_datagrams)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX, .sun_path = "sock" };
	int ep = ASSERT_OK(epoll_create1(0)), ls, c, a, dg[2];
	struct epoll_event ev;
	char buf[8];

	ls = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	ASSERT_OK(bind(ls, (struct sockaddr *)&addr, sizeof(addr)));
	ASSERT_OK(listen(ls, 4));
	ASSERT_OK(ep_add(ep, ls, EPOLLIN, 1));
	EXPECT_EQ(ep_poll0(ep, &ev, 1), 0);
	c = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	ASSERT_OK(connect(c, (struct sockaddr *)&addr, sizeof(addr)));
	ASSERT_EQ(epoll_wait(ep, &ev, 1, 1000), 1);
	EXPECT_EQ(ev.events, EPOLLIN);
	a = ASSERT_OK(accept(ls, NULL, NULL));
	EXPECT_EQ(ep_poll0(ep, &ev, 1), 0);
	/* The accepted socket is writable at once. */
	ASSERT_OK(ep_add(ep, a, EPOLLOUT | EPOLLET, 2));
	ASSERT_EQ(ep_poll0(ep, &ev, 1), 1);
	EXPECT_EQ(ev.events, EPOLLOUT);
	EXPECT_OK(epoll_ctl(ep, EPOLL_CTL_DEL, a, NULL));

	ASSERT_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, dg));
	ASSERT_OK(ep_add(ep, dg[0], EPOLLIN, 3));
	EXPECT_EQ(ep_poll0(ep, &ev, 1), 0);
	ASSERT_EQ(send(dg[1], "d", 1, 0), 1);
	ASSERT_EQ(ep_poll0(ep, &ev, 1), 1);
	EXPECT_EQ(ev.data.u64, 3);
	EXPECT_EQ(recv(dg[0], buf, sizeof(buf), 0), 1);
	EXPECT_EQ(ep_poll0(ep, &ev, 1), 0);
	close(dg[0]);
	close(dg[1]);
	close(a);
	close(c);
	close(ls);
	close(ep);
}

/* Level-triggered: every thread waiting on the set gets an event while one is ready. */
TEST(epoll, threads_share_level_items)
{
	int ep = ASSERT_OK(epoll_create1(0)), efd = ASSERT_OK(eventfd(0, 0));
	struct waiter_arg args[3];
	long long t0 = now_ns();
	pthread_t th[3];
	uint64_t one = 1;

	ASSERT_OK(ep_add(ep, efd, EPOLLIN, 1));
	for (int i = 0; i < 3; i++)
		args[i].ep = ep;
	start_waiters(args, th, 3, 3000);
	ASSERT_EQ(write(efd, &one, 8), 8);
	for (int i = 0; i < 3; i++) {
		pthread_join(th[i], NULL);
		EXPECT_EQ(args[i].got, 1);
	}
	EXPECT_LT(now_ns() - t0, 2500 * MS);
	close(efd);
	close(ep);
}
