/*
 * Setting the clock: clock_settime, settimeofday, adjtimex and
 * clock_adjtime. Errors and EFAULT everywhere; EPERM for an unprivileged
 * caller. The checks that change the clock (a jump and back, the NTP state
 * read back after a write, the time zone) run only on Exo-OS: on the host
 * they would disturb the machine's real clock.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/timex.h>
#include <poll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MS 1000000LL

static long long clock_ns(int clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long raw_clock_ns(int clock)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

TEST(timeset, clock_settime_errors)
{
	struct timespec ts = { 0, 0 };

	clock_gettime(CLOCK_REALTIME, &ts);
	EXPECT_ERRNO(syscall(SYS_clock_settime, 100, &ts), EINVAL);
	EXPECT_ERRNO(syscall(SYS_clock_settime, CLOCK_MONOTONIC, &ts), EINVAL);
	EXPECT_ERRNO(syscall(SYS_clock_settime, CLOCK_BOOTTIME, &ts), EINVAL);
	EXPECT_ERRNO(syscall(SYS_clock_settime, CLOCK_PROCESS_CPUTIME_ID, &ts), EINVAL);
	EXPECT_ERRNO(syscall(SYS_clock_settime, CLOCK_THREAD_CPUTIME_ID, &ts), EINVAL);
	EXPECT_ERRNO(syscall(SYS_clock_settime, CLOCK_MONOTONIC, unmapped_page()), EINVAL);
	EXPECT_ERRNO(syscall(SYS_clock_settime, CLOCK_REALTIME, unmapped_page()), EFAULT);
	ts.tv_nsec = 1000000000;
	EXPECT_ERRNO(syscall(SYS_clock_settime, CLOCK_REALTIME, &ts), EINVAL);
	ts.tv_nsec = -1;
	EXPECT_ERRNO(syscall(SYS_clock_settime, CLOCK_REALTIME, &ts), EINVAL);
	ts.tv_nsec = 0;
	ts.tv_sec = -1;
	EXPECT_ERRNO(syscall(SYS_clock_settime, CLOCK_REALTIME, &ts), EINVAL);
}

TEST(timeset, settimeofday_errors)
{
	struct timeval tv;
	struct timezone tz = { 16 * 60, 0 };

	gettimeofday(&tv, NULL);
	EXPECT_ERRNO(syscall(SYS_settimeofday, unmapped_page(), NULL), EFAULT);
	EXPECT_ERRNO(syscall(SYS_settimeofday, NULL, unmapped_page()), EFAULT);
	tv.tv_usec = 1000001;
	EXPECT_ERRNO(syscall(SYS_settimeofday, &tv, NULL), EINVAL);
	tv.tv_usec = -1;
	EXPECT_ERRNO(syscall(SYS_settimeofday, &tv, NULL), EINVAL);
	/* A zone beyond 15 hours (checked after the privilege). */
	EXPECT_ERRNO(syscall(SYS_settimeofday, NULL, &tz), EINVAL);
}

static void unprivileged(void *arg)
{
	struct timespec ts;
	struct timeval tv;
	struct timex tx;

	(void)arg;
	if (setuid(65534))
		_exit(2);
	clock_gettime(CLOCK_REALTIME, &ts);
	gettimeofday(&tv, NULL);
	EXPECT_ERRNO(syscall(SYS_clock_settime, CLOCK_REALTIME, &ts), EPERM);
	EXPECT_ERRNO(syscall(SYS_settimeofday, &tv, NULL), EPERM);
	EXPECT_ERRNO(syscall(SYS_settimeofday, NULL, NULL), EPERM);
	/* A bad time is EINVAL before the privilege check. */
	ts.tv_nsec = -5;
	EXPECT_ERRNO(syscall(SYS_clock_settime, CLOCK_REALTIME, &ts), EINVAL);
	memset(&tx, 0, sizeof(tx));
	EXPECT_GE(syscall(SYS_adjtimex, &tx), 0);
	tx.modes = ADJ_STATUS;
	tx.status = tx.status;
	EXPECT_ERRNO(syscall(SYS_adjtimex, &tx), EPERM);
	tx.modes = ADJ_FREQUENCY;
	EXPECT_ERRNO(syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx), EPERM);
	/* adjtime()'s read-only query is open to anyone. */
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_OFFSET_SS_READ;
	EXPECT_GE(syscall(SYS_adjtimex, &tx), 0);
	tx.modes = ADJ_OFFSET_SINGLESHOT;
	tx.offset = 0;
	EXPECT_ERRNO(syscall(SYS_adjtimex, &tx), EPERM);
}

TEST(timeset, unprivileged_eperm)
{
	int st = run_child(unprivileged, NULL);

	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

TEST(timeset, adjtimex_read)
{
	struct timex tx, tx2;
	struct timeval tv;
	int r, r2;

	memset(&tx, 0, sizeof(tx));
	r = (int)syscall(SYS_adjtimex, &tx);
	EXPECT_GE(r, TIME_OK);
	EXPECT_LE(r, TIME_ERROR);
	EXPECT_EQ(r == TIME_ERROR, (tx.status & (STA_UNSYNC | STA_CLOCKERR)) != 0);
	EXPECT_EQ(tx.tolerance, 500 << 16);
	EXPECT_EQ(tx.precision, 1);
	EXPECT_GE(tx.tick, 9000);
	EXPECT_LE(tx.tick, 11000);
	gettimeofday(&tv, NULL);
	EXPECT_LE(tx.time.tv_sec, tv.tv_sec);
	EXPECT_GE(tx.time.tv_sec, tv.tv_sec - 1);
	/* clock_adjtime on CLOCK_REALTIME is the same call. */
	memset(&tx2, 0, sizeof(tx2));
	r2 = (int)syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx2);
	EXPECT_EQ(r2 == TIME_ERROR, r == TIME_ERROR);
	EXPECT_EQ(tx2.tolerance, tx.tolerance);
	EXPECT_ERRNO(syscall(SYS_adjtimex, unmapped_page()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_clock_adjtime, CLOCK_REALTIME, unmapped_page()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_clock_adjtime, CLOCK_MONOTONIC, &tx), EOPNOTSUPP);
	EXPECT_ERRNO(syscall(SYS_clock_adjtime, CLOCK_PROCESS_CPUTIME_ID, &tx), EOPNOTSUPP);
	EXPECT_ERRNO(syscall(SYS_clock_adjtime, 100, &tx), EINVAL);
}

TEST(timeset, adjtimex_errors)
{
	struct timex tx;

	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_TICK;
	tx.tick = 5000;
	EXPECT_ERRNO(syscall(SYS_adjtimex, &tx), EINVAL);
	tx.tick = 20000;
	EXPECT_ERRNO(syscall(SYS_adjtimex, &tx), EINVAL);
	/* Old-style adjtime without the single-shot offset bit. */
	tx.modes = 0x8000;
	EXPECT_ERRNO(syscall(SYS_adjtimex, &tx), EINVAL);
	tx.modes = ADJ_SETOFFSET;
	tx.time.tv_sec = 0;
	tx.time.tv_usec = 1000000;
	EXPECT_ERRNO(syscall(SYS_adjtimex, &tx), EINVAL);
	tx.time.tv_usec = -1;
	EXPECT_ERRNO(syscall(SYS_adjtimex, &tx), EINVAL);
	tx.modes = ADJ_FREQUENCY;
	tx.freq = 0x7fffffffffffffffLL;
	EXPECT_ERRNO(syscall(SYS_adjtimex, &tx), EINVAL);
}

TEST(timeset, clock_jump)
{
	long long real0, mono0, jump = 1000LL * 1000000000LL;
	struct timespec ts;
	struct timeval tv;

	if (!running_on_exo())
		return;	/* would move the host's clock */
	real0 = clock_ns(CLOCK_REALTIME);
	mono0 = clock_ns(CLOCK_MONOTONIC);
	ts.tv_sec = (real0 + jump) / 1000000000LL;
	ts.tv_nsec = (real0 + jump) % 1000000000LL;
	ASSERT_OK(syscall(SYS_clock_settime, CLOCK_REALTIME, &ts));
	/* The system call and the vDSO (libc's clock_gettime) both see it. */
	EXPECT_GE(raw_clock_ns(CLOCK_REALTIME) - real0, jump);
	EXPECT_LT(raw_clock_ns(CLOCK_REALTIME) - real0, jump + 1000 * MS);
	EXPECT_GE(clock_ns(CLOCK_REALTIME) - real0, jump);
	EXPECT_LT(clock_ns(CLOCK_REALTIME) - real0, jump + 1000 * MS);
	gettimeofday(&tv, NULL);
	EXPECT_GE(tv.tv_sec, ts.tv_sec);
	EXPECT_GE(time(NULL), ts.tv_sec);
	/* The monotonic clock does not move. */
	EXPECT_LT(clock_ns(CLOCK_MONOTONIC) - mono0, 1000 * MS);
	/* settimeofday back, with microseconds. */
	tv.tv_sec = (clock_ns(CLOCK_REALTIME) - jump) / 1000000000LL;
	tv.tv_usec = 0;
	ASSERT_OK(syscall(SYS_settimeofday, &tv, NULL));
	EXPECT_LT(llabs(clock_ns(CLOCK_REALTIME) - real0), 2000 * MS);
	/* ADJ_SETOFFSET steps it too. */
	{
		struct timex tx;
		long long before = clock_ns(CLOCK_REALTIME);

		memset(&tx, 0, sizeof(tx));
		tx.modes = ADJ_SETOFFSET;
		tx.time.tv_sec = 50;
		ASSERT_GE(syscall(SYS_adjtimex, &tx), 0);
		EXPECT_GE(clock_ns(CLOCK_REALTIME) - before, 50000 * MS);
		EXPECT_LT(clock_ns(CLOCK_REALTIME) - before, 51000 * MS);
		tx.time.tv_sec = -50;
		ASSERT_GE(syscall(SYS_adjtimex, &tx), 0);
		EXPECT_LT(llabs(clock_ns(CLOCK_REALTIME) - before), 1000 * MS);
	}
}

TEST(timeset, timezone)
{
	struct timezone tz = { -120, 0 }, got = { 1, 1 }, zero = { 0, 0 };
	struct timeval tv;

	if (!running_on_exo())
		return;	/* Linux warps the host clock on the first zone set */
	ASSERT_OK(syscall(SYS_settimeofday, NULL, &tz));
	ASSERT_OK(syscall(SYS_gettimeofday, &tv, &got));
	EXPECT_EQ(got.tz_minuteswest, -120);
	ASSERT_OK(syscall(SYS_settimeofday, NULL, &zero));
}

TEST(timeset, adjtimex_write_readback)
{
	struct timex tx, saved;

	if (!running_on_exo())
		return;	/* would change the host's NTP state */
	memset(&saved, 0, sizeof(saved));
	ASSERT_GE(syscall(SYS_adjtimex, &saved), 0);
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_STATUS | ADJ_MICRO;
	tx.status = STA_PLL;
	/* STA_UNSYNC cleared: the clock state is TIME_OK. */
	EXPECT_EQ(syscall(SYS_adjtimex, &tx), TIME_OK);
	EXPECT_EQ(tx.status, STA_PLL);
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_OFFSET | ADJ_FREQUENCY | ADJ_MAXERROR | ADJ_ESTERROR | ADJ_TIMECONST;
	tx.offset = 1234;
	tx.freq = 5 << 16;
	tx.maxerror = 2000;
	tx.esterror = 100;
	tx.constant = 3;
	EXPECT_EQ(syscall(SYS_adjtimex, &tx), TIME_OK);
	memset(&tx, 0, sizeof(tx));
	EXPECT_EQ(syscall(SYS_adjtimex, &tx), TIME_OK);
	EXPECT_EQ(tx.offset, 1234);
	EXPECT_EQ(tx.freq, 5 << 16);
	EXPECT_EQ(tx.maxerror, 2000);
	EXPECT_EQ(tx.esterror, 100);
	EXPECT_EQ(tx.constant, 7);	/* microsecond mode adds 4 */
	/* The frequency is clamped to 500 ppm. */
	tx.modes = ADJ_FREQUENCY;
	tx.freq = 1000 << 16;
	EXPECT_EQ(syscall(SYS_adjtimex, &tx), TIME_OK);
	EXPECT_EQ(tx.freq, 500 << 16);
	/* Nanosecond mode reports the offset in ns. */
	tx.modes = ADJ_NANO;
	EXPECT_EQ(syscall(SYS_adjtimex, &tx), TIME_OK);
	EXPECT_TRUE(tx.status & STA_NANO);
	EXPECT_EQ(tx.offset, 1234000);
	/* Back as it was: PLL off resets to STA_UNSYNC, TIME_ERROR. */
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_STATUS | ADJ_MICRO | ADJ_FREQUENCY | ADJ_MAXERROR | ADJ_ESTERROR;
	tx.status = saved.status;
	tx.freq = saved.freq;
	tx.maxerror = saved.maxerror;
	tx.esterror = saved.esterror;
	EXPECT_EQ(syscall(SYS_adjtimex, &tx), TIME_ERROR);
}

/* Moves the wall clock by @delta_s seconds. */
static void clock_shift(long delta_s)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += delta_s;
	ASSERT_OK(syscall(SYS_clock_settime, CLOCK_REALTIME, &ts));
}

TEST(timeset, timerfd_cancel_on_set)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	struct pollfd pfd;
	uint64_t ticks;
	int fd;

	if (!running_on_exo())
		return;	/* would move the host's clock */
	fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	ASSERT_GE(fd, 0);
	clock_gettime(CLOCK_REALTIME, &its.it_value);
	its.it_value.tv_sec += 50;
	ASSERT_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL));
	EXPECT_ERRNO(read(fd, &ticks, sizeof(ticks)), EAGAIN);
	clock_shift(10);
	pfd.fd = fd;
	pfd.events = POLLIN;
	EXPECT_EQ(poll(&pfd, 1, 0), 1);
	/* Once: ECANCELED, then the timer goes on. */
	EXPECT_ERRNO(read(fd, &ticks, sizeof(ticks)), ECANCELED);
	EXPECT_ERRNO(read(fd, &ticks, sizeof(ticks)), EAGAIN);
	clock_shift(-10);
	close(fd);
}

TEST(timeset, timerfd_follows_clock)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } }, cur;
	struct pollfd pfd;
	uint64_t ticks = 0;
	int fd;

	if (!running_on_exo())
		return;	/* would move the host's clock */
	fd = timerfd_create(CLOCK_REALTIME, 0);
	ASSERT_GE(fd, 0);
	clock_gettime(CLOCK_REALTIME, &its.it_value);
	its.it_value.tv_sec += 100;
	ASSERT_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	/* The wall clock passes the deadline: it expires now, not in 100 s. */
	clock_shift(100);
	pfd.fd = fd;
	pfd.events = POLLIN;
	EXPECT_EQ(poll(&pfd, 1, 2000), 1);
	EXPECT_EQ(read(fd, &ticks, sizeof(ticks)), (long)sizeof(ticks));
	EXPECT_EQ(ticks, 1);
	clock_shift(-100);
	/* A relative timer does not move. */
	its.it_value.tv_sec = 30;
	its.it_value.tv_nsec = 0;
	ASSERT_OK(timerfd_settime(fd, 0, &its, NULL));
	clock_shift(100);
	ASSERT_OK(timerfd_gettime(fd, &cur));
	EXPECT_GT(cur.it_value.tv_sec, 25);
	clock_shift(-100);
	close(fd);
}

TEST(timeset, posix_timer_follows_clock)
{
	struct sigevent sev;
	struct itimerspec its = { { 0, 0 }, { 0, 0 } }, cur;
	struct timespec wait = { 2, 0 };
	siginfo_t si;
	sigset_t set;
	timer_t tm;

	if (!running_on_exo())
		return;	/* would move the host's clock */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	ASSERT_OK(timer_create(CLOCK_REALTIME, &sev, &tm));
	clock_gettime(CLOCK_REALTIME, &its.it_value);
	its.it_value.tv_sec += 100;
	ASSERT_OK(timer_settime(tm, TIMER_ABSTIME, &its, NULL));
	/* The wall clock passes the deadline: the signal comes now. */
	clock_shift(100);
	EXPECT_EQ(sigtimedwait(&set, &si, &wait), SIGUSR1);
	clock_shift(-100);
	/* A relative one keeps its monotonic length. */
	its.it_value.tv_sec = 30;
	its.it_value.tv_nsec = 0;
	ASSERT_OK(timer_settime(tm, 0, &its, NULL));
	clock_shift(100);
	ASSERT_OK(timer_gettime(tm, &cur));
	EXPECT_GT(cur.it_value.tv_sec, 25);
	clock_shift(-100);
	EXPECT_OK(timer_delete(tm));
}
