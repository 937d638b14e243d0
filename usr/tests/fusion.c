/*
 * Fusion rings (docs/fusion-rings.md), an Exo-OS device: on a kernel without
 * /dev/fusion (Linux) every test passes without checking anything, on
 * Exo-OS the device must be there. Covered: setup and mmap errors, inline
 * messages, full and empty rings, wrap-around, batches, blocking across
 * processes (the sleep/wake protocol), moved and shared page transfers with
 * exact page refcounts, poll, fdinfo, SCM_RIGHTS, peers killed
 * mid-transfer (nothing leaks), a hostile peer scribbling on the shared
 * ring and bad tokens and buffers, and 2 producers x 2 consumers with every
 * message checked (EXOTEST_FUSION_SECS seconds, 2 by default).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fusion.h"
#include "harness.h"

#define P FUSION_ROLE_PRODUCER
#define C FUSION_ROLE_CONSUMER
#define PAGE 4096

/* False (the test passes vacuously) where there is no fusion device: Linux. */
static bool have_fusion(void)
{
	if (access(FUSION_DEVICE, F_OK) == 0)
		return true;
	EXPECT_TRUE(!running_on_exo());
	return false;
}

static struct fusion_info info_of(struct fusion *f)
{
	struct fusion_info info;

	memset(&info, 0, sizeof(info));
	EXPECT_OK(ioctl(f->fd, FUSION_IOC_INFO, &info));
	return info;
}

/* In a forked child: a new endpoint of @parent's ring in @role, the inherited one closed. */
static void child_attach(struct fusion *parent, struct fusion *out, unsigned int role)
{
	if (fusion_attach(parent, out, role))
		_exit(100);
	close(parent->fd);
}

/* A message whose content depends on (id, seq): the receiver recomputes it. */
struct stamped {
	uint32_t id, seq;
	uint64_t sum;
	uint8_t fill[40];
};

static void stamp(struct stamped *m, uint32_t id, uint32_t seq)
{
	m->id = id;
	m->seq = seq;
	m->sum = 0;
	for (unsigned int i = 0; i < sizeof(m->fill); i++) {
		m->fill[i] = (uint8_t)(id * 31 + seq * 7 + i);
		m->sum = m->sum * 131 + m->fill[i];
	}
	m->sum ^= ((uint64_t)id << 32) | seq;
}

static bool stamp_ok(const struct stamped *m)
{
	struct stamped want;

	stamp(&want, m->id, m->seq);
	return !memcmp(&want, m, sizeof(want));
}

TEST(fusion, setup_and_mmap_errors)
{
	struct fusion_setup s = { .nslots = 64, .role = P | C };
	struct fusion_info info;
	int fd;

	if (!have_fusion())
		return;
	fd = ASSERT_OK(open(FUSION_DEVICE, O_RDWR));
	EXPECT_ERRNO(ioctl(fd, FUSION_IOC_INFO, &info), ENXIO);
	EXPECT_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0), ENXIO);
	for (unsigned int n = 0; n < 4; n++) {
		static const unsigned int bad[] = { 0, 63, 100, 131072 };
		struct fusion_setup b = { .nslots = bad[n], .role = P };

		EXPECT_ERRNO(ioctl(fd, FUSION_IOC_SETUP, &b), EINVAL);
	}
	s.role = 4;
	EXPECT_ERRNO(ioctl(fd, FUSION_IOC_SETUP, &s), EINVAL);
	s.role = P | C;
	EXPECT_ERRNO(ioctl(fd, FUSION_IOC_SETUP, (void *)8), EFAULT);
	ASSERT_OK(ioctl(fd, FUSION_IOC_SETUP, &s));
	EXPECT_ERRNO(ioctl(fd, FUSION_IOC_SETUP, &s), EBUSY);
	EXPECT_ERRNO(ioctl(fd, 0xF5ff, 0), ENOTTY);
	EXPECT_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0), EINVAL);
	EXPECT_ERRNO(mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd, 0), EINVAL);
	EXPECT_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, PAGE), EINVAL);
	ASSERT_OK(ioctl(fd, FUSION_IOC_INFO, &info));
	EXPECT_EQ(info.nslots, 64);
	EXPECT_EQ(info.producers, 1);
	EXPECT_EQ(info.consumers, 1);
	close(fd);
}

TEST(fusion, inline_full_empty_wrap)
{
	struct fusion f;
	char buf[64], want[64];
	int type;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, P | C), 0);
	EXPECT_EQ(f.hdr->magic, FUSION_MAGIC);
	EXPECT_EQ(fusion_recv(&f, buf, &type, false), -EAGAIN);
	EXPECT_EQ(fusion_send(&f, buf, 57, false), -EMSGSIZE);
	/* Ten laps of the ring: full at 64, empty after, every byte checked. */
	for (unsigned int lap = 0; lap < 10; lap++) {
		for (unsigned int i = 0; i < 64; i++) {
			memset(buf, (int)(lap * 64 + i), sizeof(buf));
			ASSERT_EQ(fusion_send(&f, buf, 1 + i % 56, false), 0);
		}
		EXPECT_EQ(fusion_send(&f, buf, 8, false), -EAGAIN);
		for (unsigned int i = 0; i < 64; i++) {
			memset(want, (int)(lap * 64 + i), sizeof(want));
			ASSERT_EQ(fusion_recv(&f, buf, &type, false), (int)(1 + i % 56));
			EXPECT_EQ(type, FUSION_SLOT_INLINE);
			EXPECT_MEMEQ(buf, want, 1 + i % 56);
		}
		EXPECT_EQ(fusion_recv(&f, buf, &type, false), -EAGAIN);
	}
	EXPECT_EQ(f.hdr->head, 640);
	EXPECT_EQ(f.hdr->tail, 640);
	/* Never entered the kernel: nobody slept, so nobody was woken. */
	EXPECT_EQ(f.sleeps, 0);
	EXPECT_EQ(f.wakes, 0);
	fusion_close(&f);
}

TEST(fusion, batches)
{
	static struct fusion_msg out[100], in[100];
	struct fusion f;
	unsigned int got = 0;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, P | C), 0);
	for (unsigned int i = 0; i < 100; i++) {
		out[i].len = 56;
		stamp((struct stamped *)out[i].data, 1, i);
	}
	/* One claim takes what fits: 64 of 100. */
	EXPECT_EQ(fusion_send_batch(&f, out, 100, false), 64);
	EXPECT_EQ(fusion_recv_batch(&f, in, 10, false), 10);
	EXPECT_EQ(fusion_send_batch(&f, out + 64, 36, false), 10);
	got = 10;
	while (got < 74) {
		int n = fusion_recv_batch(&f, in + got, 100 - got, false);

		ASSERT_GE(n, 1);
		got += (unsigned int)n;
	}
	EXPECT_EQ(got, 74);
	for (unsigned int i = 0; i < 74; i++) {
		EXPECT_TRUE(stamp_ok((struct stamped *)in[i].data));
		EXPECT_EQ(((struct stamped *)in[i].data)->seq, i);
	}
	fusion_close(&f);
}

/* The child: consumer of @f's ring through its own endpoint; checks @n stamped messages. */
static int consume_checked(struct fusion *parent, unsigned int n)
{
	struct fusion f;
	struct stamped m;
	int bad = 0;

	child_attach(parent, &f, C);
	for (unsigned int i = 0; i < n; i++) {
		if (fusion_recv(&f, &m, NULL, true) != sizeof(m) || m.seq != i || !stamp_ok(&m))
			bad++;
	}
	return bad ? 1 : 0;
}

TEST_TIMEOUT(fusion, two_processes_blocking, 60)
{
	struct fusion f;
	struct stamped m;
	int status;
	pid_t pid;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, P), 0);
	pid = ASSERT_OK(fork());
	if (!pid)
		_exit(consume_checked(&f, 20000));
	for (unsigned int i = 0; i < 20000; i++) {
		stamp(&m, 7, i);
		ASSERT_EQ(fusion_send(&f, &m, sizeof(m), true), 0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The child is gone: a full ring now reports the broken pipe. */
	for (unsigned int i = 0; i < 65; i++)
		if (fusion_send(&f, &m, sizeof(m), true) == -EPIPE)
			break;
	EXPECT_EQ(fusion_send(&f, &m, sizeof(m), true), -EPIPE);
	fusion_close(&f);
}

/*
 * Request ring @req (ours: producer) and reply ring @rep (ours: consumer),
 * and a child that answers each 4-byte request v with v + 1 until the
 * parent closes @req. Returns the child's pid.
 */
static pid_t start_echo(struct fusion *req, struct fusion *rep)
{
	pid_t pid;

	ASSERT_EQ(fusion_create(req, 64, P), 0);
	ASSERT_EQ(fusion_create(rep, 64, C), 0);
	pid = ASSERT_OK(fork());
	if (!pid) {
		struct fusion in, out;
		uint32_t v;

		child_attach(req, &in, C);
		child_attach(rep, &out, P);
		if (fusion_recv(&in, &v, NULL, true) != 4)
			_exit(1);
		/* Reply v + 1 and wait for the next request in one call, until the parent leaves. */
		do
			v++;
		while (fusion_call(&out, &v, 4, &in, &v) == 4);
		_exit(0);
	}
	return pid;
}

/* fusion_call: request and reply rings between two processes, each answer checked. */
TEST_TIMEOUT(fusion, call_round_trips, 60)
{
	struct fusion req, rep;
	int status;
	pid_t pid;

	if (!have_fusion())
		return;
	pid = start_echo(&req, &rep);
	for (uint32_t i = 0; i < 3000; i++) {
		uint32_t v = i * 3;

		ASSERT_EQ(fusion_call(&req, &v, 4, &rep, &v), 4);
		EXPECT_EQ(v, i * 3 + 1);
	}
	fusion_close(&req);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fusion_close(&rep);
}

static void fill_pages(char *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i += 64)
		p[i] = (char)(seed + i / 64);
}

/* @len bytes of fresh private anonymous memory, filled for pages_ok(@seed); ends the test on failure. */
static char *filled_anon(size_t len, unsigned int seed)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	fill_pages(p, len, seed);
	return p;
}

static bool pages_ok(const char *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i += 64)
		if (p[i] != (char)(seed + i / 64))
			return false;
	return true;
}

TEST(fusion, page_move)
{
	size_t len = 16 * PAGE, got;
	struct fusion_info info;
	struct fusion f;
	uint64_t cookie;
	char *buf, *rx;
	int err;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, P | C), 0);
	buf = filled_anon(len, 3);
	ASSERT_EQ(fusion_send_pages(&f, buf, len, FUSION_PAGES_MOVE, 99, false), 0);
	/* Unmapped from the sender; the kernel holds the only reference of each page. */
	EXPECT_ERRNO(msync(buf, PAGE, MS_ASYNC), ENOMEM);
	info = info_of(&f);
	EXPECT_EQ(info.xfers, 1);
	EXPECT_EQ(info.pages, 16);
	EXPECT_EQ(info.page_refs, 16);
	rx = fusion_recv_pages(&f, &got, &cookie, &err, false);
	ASSERT_TRUE(rx != NULL);
	EXPECT_EQ(err, 0);
	EXPECT_EQ(got, len);
	EXPECT_EQ(cookie, 99);
	EXPECT_TRUE(pages_ok(rx, len, 3));
	/* Moved pages are the receiver's own: writable in place. */
	rx[5] = 'w';
	EXPECT_EQ(rx[5], 'w');
	info = info_of(&f);
	EXPECT_EQ(info.xfers, 0);
	EXPECT_EQ(info.pages, 0);
	munmap(rx, len);
	fusion_close(&f);
}

TEST(fusion, page_share_copy_on_write)
{
	size_t len = 4 * PAGE, got;
	struct fusion_info info;
	struct fusion f;
	char *buf, *rx;
	int err;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, P | C), 0);
	buf = filled_anon(len, 9);
	ASSERT_EQ(fusion_send_pages(&f, buf, len, 0, 0, false), 0);
	/* Shared: the sender's mapping and the kernel's reference. */
	info = info_of(&f);
	EXPECT_EQ(info.pages, 4);
	EXPECT_EQ(info.page_refs, 8);
	rx = fusion_recv_pages(&f, &got, NULL, &err, false);
	ASSERT_TRUE(rx != NULL);
	EXPECT_TRUE(pages_ok(rx, len, 9));
	/* The receiver's write copies; the sender's data stays. */
	rx[0] = 'x';
	EXPECT_EQ(buf[0], (char)9);
	EXPECT_EQ(rx[0], 'x');
	munmap(rx, len);
	munmap(buf, len);
	fusion_close(&f);
}

TEST(fusion, pages_across_processes)
{
	struct fusion f;
	int status;
	pid_t pid;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, P), 0);
	pid = ASSERT_OK(fork());
	if (!pid) {
		struct fusion c;
		int bad = 0, err;
		size_t got;

		child_attach(&f, &c, C);
		for (unsigned int i = 0; i < 50; i++) {
			char *rx = fusion_recv_pages(&c, &got, NULL, &err, true);

			if (!rx || got != 16 * PAGE || !pages_ok(rx, got, i))
				bad++;
			if (rx)
				munmap(rx, got);
		}
		_exit(bad ? 1 : 0);
	}
	for (unsigned int i = 0; i < 50; i++) {
		char *buf = filled_anon(16 * PAGE, i);

		ASSERT_EQ(fusion_send_pages(&f, buf, 16 * PAGE, FUSION_PAGES_MOVE, i, true), 0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(info_of(&f).pages, 0);
	fusion_close(&f);
}

TEST(fusion, bad_buffers_and_tokens)
{
	struct fusion_pages p = { 0 };
	struct fusion f, g, cons;
	char *buf;
	int fd;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, P | C), 0);
	ASSERT_EQ(fusion_create(&g, 64, P | C), 0);
	buf = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(buf != MAP_FAILED);
	ASSERT_OK(munmap(buf + 2 * PAGE, PAGE));
	EXPECT_EQ(fusion_send_pages(&f, buf + 1, PAGE, 0, 0, false), -EINVAL);
	EXPECT_EQ(fusion_send_pages(&f, buf, 0, 0, 0, false), -EINVAL);
	EXPECT_EQ(fusion_send_pages(&f, buf, 257 * PAGE, 0, 0, false), -E2BIG);
	EXPECT_EQ(fusion_send_pages(&f, buf, PAGE, 8, 0, false), -EINVAL);
	EXPECT_EQ(fusion_send_pages(&f, unmapped_page(), PAGE, 0, 0, false), -EFAULT);
	/* Half mapped: nothing is taken, the mapped half stays. */
	EXPECT_EQ(fusion_send_pages(&f, buf + PAGE, 2 * PAGE, FUSION_PAGES_MOVE, 0, false), -EFAULT);
	EXPECT_OK(msync(buf, 2 * PAGE, MS_ASYNC));
	/* A page-cache page belongs to its file: neither the ring nor a file mapping may go. */
	EXPECT_EQ(fusion_send_pages(&f, f.hdr, PAGE, 0, 0, false), -EINVAL);
	fd = ASSERT_OK(open("data", O_RDWR | O_CREAT, 0600));
	ASSERT_OK(ftruncate(fd, PAGE));
	char *fm = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ASSERT_TRUE(fm != MAP_FAILED);
	EXPECT_EQ(fusion_send_pages(&f, fm, PAGE, FUSION_PAGES_MOVE, 0, false), -EINVAL);
	/* Tokens: made up, out of range, from another ring, reused. */
	for (unsigned int i = 0; i < 4; i++) {
		static const uint64_t bad[] = { 0, 1, 257, 0xffffffffffffffffULL };

		p.token = bad[i];
		EXPECT_TRUE(ioctl(f.fd, FUSION_IOC_RECV_PAGES, &p) == -1 &&
			    (errno == EINVAL || errno == ENOENT));
	}
	p = (struct fusion_pages){ .addr = (uintptr_t)buf, .len = PAGE };
	ASSERT_OK(ioctl(g.fd, FUSION_IOC_SEND_PAGES, &p));
	EXPECT_ERRNO(ioctl(f.fd, FUSION_IOC_RECV_PAGES, &p), ENOENT);
	p.token += 1ULL << 32;
	EXPECT_ERRNO(ioctl(g.fd, FUSION_IOC_RECV_PAGES, &p), ENOENT);
	p.token -= 1ULL << 32;
	p.flags = 0;
	EXPECT_OK(ioctl(g.fd, FUSION_IOC_RECV_PAGES, &p));
	munmap((void *)(uintptr_t)p.addr, PAGE);
	EXPECT_ERRNO(ioctl(g.fd, FUSION_IOC_RECV_PAGES, &p), ENOENT);
	EXPECT_ERRNO(ioctl(g.fd, FUSION_IOC_RECV_PAGES, unmapped_page()), EFAULT);
	/* Roles: a consumer cannot send pages, a producer cannot take them. */
	ASSERT_EQ(fusion_attach(&f, &cons, C), 0);
	p = (struct fusion_pages){ .addr = (uintptr_t)buf, .len = PAGE };
	EXPECT_ERRNO(ioctl(cons.fd, FUSION_IOC_SEND_PAGES, &p), EBADF);
	EXPECT_EQ(info_of(&f).all_pages, info_of(&g).all_pages);
	fusion_close(&cons);
	fusion_close(&g);
	fusion_close(&f);
	close(fd);
}

TEST(fusion, hostile_ring_contents)
{
	struct fusion_wait w = { .word = 0, .expected = 12345, .wake = FUSION_WORD_NONE, .wake_fd = -1 };
	struct pollfd pfd;
	char path[64], text[1024];
	struct fusion f;
	ssize_t n;
	int fd;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, P | C), 0);
	/* Everything the kernel might read, scribbled: it must only give wrong answers. */
	memset(f.hdr, 0xff, PAGE);
	memset(f.slots, 0xa5, 64 * FUSION_SLOT_SIZE);
	f.hdr->head = 0x7fffffff;
	f.hdr->tail = 0x80000001;
	pfd = (struct pollfd){ .fd = f.fd, .events = POLLIN | POLLOUT };
	EXPECT_GE(poll(&pfd, 1, 0), 0);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", f.fd);
	fd = ASSERT_OK(open(path, O_RDONLY));
	n = read(fd, text, sizeof(text) - 1);
	ASSERT_GE(n, 0);
	text[n] = 0;
	EXPECT_TRUE(strstr(text, "fusion-slots: 64") != NULL);
	EXPECT_TRUE(strstr(text, "fusion-head: 2147483647") != NULL);
	close(fd);
	EXPECT_ERRNO(ioctl(f.fd, FUSION_IOC_WAIT, &w), EAGAIN);
	w.word = 2;
	EXPECT_ERRNO(ioctl(f.fd, FUSION_IOC_WAIT, &w), EINVAL);
	w.word = 0;
	w.wake = 7;
	EXPECT_ERRNO(ioctl(f.fd, FUSION_IOC_WAIT, &w), EINVAL);
	/* Waking through an fd that is no ring. */
	w.wake = 0;
	w.wake_fd = ASSERT_OK(open("/dev/null", O_RDONLY));
	EXPECT_ERRNO(ioctl(f.fd, FUSION_IOC_WAIT, &w), EINVAL);
	close(w.wake_fd);
	w.wake_fd = 999;
	EXPECT_ERRNO(ioctl(f.fd, FUSION_IOC_WAIT, &w), EBADF);
	w.wake_fd = -1;
	w.wake = FUSION_WORD_NONE;
	w.expected = 0xffffffff;
	w.timeout_ns = 20000000;
	EXPECT_ERRNO(ioctl(f.fd, FUSION_IOC_WAIT, &w), ETIMEDOUT);
	uint32_t word = 9;
	EXPECT_ERRNO(ioctl(f.fd, FUSION_IOC_WAKE, &word), EINVAL);
	word = 1;
	EXPECT_OK(ioctl(f.fd, FUSION_IOC_WAKE, &word));
	EXPECT_EQ(info_of(&f).nslots, 64);
	fusion_close(&f);
}

TEST(fusion, pages_into_a_buffer)
{
	size_t len = 8 * PAGE, got;
	struct fusion_page_desc d;
	struct fusion f;
	char *src, *dst, *ro, m[64];
	int err, type;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, P | C), 0);
	dst = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(dst != MAP_FAILED && ro != MAP_FAILED);
	memset(dst, 'o', len);
	for (unsigned int round = 0; round < 20; round++) {
		src = filled_anon(len, round);
		ASSERT_EQ(fusion_send_pages(&f, src, len, FUSION_PAGES_MOVE, round, false), 0);
		ASSERT_EQ(fusion_recv(&f, m, &type, false), (int)sizeof(d));
		ASSERT_EQ(type, FUSION_SLOT_PAGES);
		memcpy(&d, m, sizeof(d));
		/* Bad destinations fail and leave the transfer to be taken. */
		EXPECT_TRUE(fusion_take_pages(&f, &d, dst + 1, &got, &err) == NULL);
		EXPECT_EQ(err, -EFAULT);
		EXPECT_TRUE(fusion_take_pages(&f, &d, ro, &got, &err) == NULL);
		EXPECT_EQ(err, -EACCES);
		EXPECT_TRUE(fusion_take_pages(&f, &d, f.hdr, &got, &err) == NULL);
		EXPECT_EQ(err, -EINVAL);
		EXPECT_TRUE(fusion_take_pages(&f, &d, dst + 4 * PAGE, &got, &err) == NULL);
		EXPECT_EQ(err, -EFAULT);
		EXPECT_TRUE(fusion_take_pages(&f, &d, dst, &got, &err) == dst);
		EXPECT_EQ(err, 0);
		EXPECT_TRUE(pages_ok(dst, len, round));
		dst[1] = 'w';
		EXPECT_EQ(info_of(&f).pages, 0);
	}
	munmap(dst, len);
	munmap(ro, len);
	fusion_close(&f);
}

static void *poll_in(void *arg)
{
	struct pollfd pfd = { .fd = *(int *)arg, .events = POLLIN };

	return (void *)(long)(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN));
}

TEST(fusion, poll_and_fdinfo)
{
	struct timespec ts = { 0, 50000000 };
	struct fusion f;
	struct pollfd pfd;
	pthread_t th;
	void *ret;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, P | C), 0);
	pfd = (struct pollfd){ .fd = f.fd, .events = POLLIN | POLLOUT };
	EXPECT_EQ(poll(&pfd, 1, 0), 1);
	EXPECT_EQ(pfd.revents, POLLOUT);
	/* A poller counts as a sleeper: the producer's send must wake it. */
	ASSERT_EQ(pthread_create(&th, NULL, poll_in, &f.fd), 0);
	nanosleep(&ts, NULL);
	ASSERT_EQ(fusion_send(&f, "hi", 2, false), 0);
	pthread_join(th, &ret);
	EXPECT_EQ((long)ret, 1);
	EXPECT_EQ(f.wakes, 1);
	EXPECT_STREQ(fd_link(f.fd), "/dev/fusion");
	fusion_close(&f);
}

TEST(fusion, scm_rights_peer)
{
	struct fusion f, mine;
	int sv[2], status;
	pid_t pid;

	if (!have_fusion())
		return;
	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = ASSERT_OK(fork());
	if (!pid) {
		char cbuf[CMSG_SPACE(sizeof(int))], c;
		struct iovec iov = { &c, 1 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct fusion peer;
		char buf[64];
		int fd;

		if (recvmsg(sv[1], &mh, 0) != 1 || !CMSG_FIRSTHDR(&mh))
			_exit(10);
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
		if (fusion_open_fd(&peer, fd))
			_exit(11);
		if (fusion_recv(&peer, buf, NULL, true) != 5 || memcmp(buf, "hello", 5))
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(fusion_create(&f, 64, P), 0);
	ASSERT_EQ(fusion_attach(&f, &mine, C), 0);
	{
		char cbuf[CMSG_SPACE(sizeof(int))], c = 'f';
		struct iovec iov = { &c, 1 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &mine.fd, sizeof(int));
		ASSERT_EQ(sendmsg(sv[0], &mh, 0), 1);
	}
	fusion_close(&mine);
	ASSERT_EQ(fusion_send(&f, "hello", 5, true), 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The passed endpoint died with the child: no consumer is left. */
	EXPECT_EQ(info_of(&f).consumers, 0);
	fusion_close(&f);
}

static long mem_free_kb(void)
{
	struct sysinfo si;

	ASSERT_OK(sysinfo(&si));
	return (long)(si.freeram * si.mem_unit / 1024);
}

static long mem_total_kb(void)
{
	struct sysinfo si;

	ASSERT_OK(sysinfo(&si));
	return (long)(si.totalram * si.mem_unit / 1024);
}

/*
 * Each round: a child consumer blocks, the parent moves 64 pages into the
 * ring, the child is killed with them in flight (or the producer is, while
 * the consumer waits for them). Afterwards no page may stay behind.
 */
TEST_TIMEOUT(fusion, peer_killed_mid_transfer, 120)
{
	long before, after, base_all;
	struct fusion probe;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&probe, 64, P | C), 0);
	base_all = (long)info_of(&probe).all_pages;
	before = mem_free_kb();
	for (unsigned int round = 0; round < 40; round++) {
		struct fusion f;
		struct fusion_info info;
		char *buf;
		pid_t pid;
		int status;

		ASSERT_EQ(fusion_create(&f, 64, P), 0);
		pid = ASSERT_OK(fork());
		if (!pid) {
			struct fusion c;
			char m[64];

			child_attach(&f, &c, C);
			for (;;)
				if (fusion_recv(&c, m, NULL, true) < 0)
					_exit(3);
		}
		while (info_of(&f).consumers != 1)
			usleep(1000);
		buf = filled_anon(64 * PAGE, round);
		struct fusion_pages p = { .addr = (uintptr_t)buf, .len = 64 * PAGE,
					  .flags = FUSION_PAGES_MOVE };
		ASSERT_OK(ioctl(f.fd, FUSION_IOC_SEND_PAGES, &p));
		info = info_of(&f);
		EXPECT_EQ(info.pages, 64);
		EXPECT_EQ(info.page_refs, 64);
		EXPECT_EQ((long)info.all_pages, base_all + 64);
		kill(pid, SIGKILL);
		ASSERT_EQ(waitpid(pid, &status, 0), pid);
		EXPECT_TRUE(WIFSIGNALED(status));
		info = info_of(&f);
		EXPECT_EQ(info.consumers, 0);
		EXPECT_EQ(info.pages, 0);
		EXPECT_EQ((long)info.all_pages, base_all);
		/* Sleepers and pollers learn it. */
		struct pollfd pfd = { .fd = f.fd, .events = POLLOUT };
		EXPECT_EQ(poll(&pfd, 1, 0), 1);
		EXPECT_TRUE(pfd.revents & POLLHUP);
		EXPECT_ERRNO(ioctl(f.fd, FUSION_IOC_SEND_PAGES, &p), EPIPE);
		fusion_close(&f);

		/* The producer dies instead: what it moved stays in flight, then is delivered. */
		ASSERT_EQ(fusion_create(&f, 64, C), 0);
		pid = ASSERT_OK(fork());
		if (!pid) {
			struct fusion pr;
			char *b = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			child_attach(&f, &pr, P);
			fill_pages(b, 8 * PAGE, 77);
			fusion_send_pages(&pr, b, 8 * PAGE, FUSION_PAGES_MOVE, 1, true);
			pause();
			_exit(0);
		}
		size_t got;
		int err;
		char *rx = fusion_recv_pages(&f, &got, NULL, &err, true);

		kill(pid, SIGKILL);
		ASSERT_EQ(waitpid(pid, &status, 0), pid);
		ASSERT_TRUE(rx != NULL);
		EXPECT_TRUE(pages_ok(rx, 8 * PAGE, 77));
		munmap(rx, got);
		char m[64];
		EXPECT_EQ(fusion_recv(&f, m, NULL, true), -EPIPE);
		fusion_close(&f);
	}
	after = mem_free_kb();
	/* MemFree back within 1% of RAM. */
	EXPECT_LE(before - after, mem_total_kb() / 100);
	EXPECT_EQ((long)info_of(&probe).all_pages, base_all);
	fusion_close(&probe);
}

/* 2 producers x 2 consumers, every message checked: per-producer order and checksum. */
struct soak_stats {
	uint64_t received[2][2];	/* [consumer][producer] */
	uint64_t sent[2];
	uint64_t bad;
};

static unsigned int soak_secs(void)
{
	const char *s = getenv("EXOTEST_FUSION_SECS");
	int n = s ? atoi(s) : 2;

	return n > 0 ? (unsigned int)n : 2;
}

TEST_TIMEOUT(fusion, two_by_two_checked, 900)
{
	struct soak_stats *st;
	unsigned int secs = soak_secs();
	struct fusion f;
	pid_t pids[4];
	int status;

	if (!have_fusion())
		return;
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(st != MAP_FAILED);
	ASSERT_EQ(fusion_create(&f, 256, P | C), 0);
	for (unsigned int i = 0; i < 4; i++) {
		pids[i] = ASSERT_OK(fork());
		if (pids[i])
			continue;
		struct fusion e;
		unsigned int id = i / 2;

		child_attach(&f, &e, i & 1 ? C : P);
		if (i & 1) {
			/* Consumer @id: per producer, the sequence numbers it sees rise. */
			uint32_t last[2] = { 0, 0 };
			bool seen[2] = { false, false };
			struct fusion_msg m[16];
			int n;

			while ((n = fusion_recv_batch(&e, m, 1 + (i * 7) % 16, true)) > 0) {
				for (int k = 0; k < n; k++) {
					struct stamped *s = (struct stamped *)m[k].data;

					if (m[k].len != sizeof(*s) || s->id > 1 || !stamp_ok(s) ||
					    (seen[s->id] && s->seq <= last[s->id])) {
						__atomic_fetch_add(&st->bad, 1, __ATOMIC_RELAXED);
						continue;
					}
					seen[s->id] = true;
					last[s->id] = s->seq;
					st->received[id][s->id]++;
				}
			}
			_exit(n == -EPIPE ? 0 : 2);
		}
		long long end = now_ns() + (long long)secs * 1000000000LL;
		uint32_t seq = 0;

		while (now_ns() < end) {
			struct fusion_msg m[8];
			unsigned int want = 1 + seq % 8;

			for (unsigned int k = 0; k < want; k++) {
				m[k].len = sizeof(struct stamped);
				stamp((struct stamped *)m[k].data, id, seq + k);
			}
			int n = fusion_send_batch(&e, m, want, true);

			if (n <= 0)
				_exit(3);
			seq += (unsigned int)n;
		}
		st->sent[id] = seq;
		_exit(0);
	}
	/* The producer ends come from the children alone: the parent's goes now. */
	fusion_close(&f);
	for (unsigned int i = 0; i < 4; i++) {
		ASSERT_EQ(waitpid(pids[i], &status, 0), pids[i]);
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	EXPECT_EQ(st->bad, 0);
	for (unsigned int p = 0; p < 2; p++) {
		EXPECT_GT(st->sent[p], 0);
		EXPECT_EQ(st->received[0][p] + st->received[1][p], st->sent[p]);
	}
	if (getenv("EXOTEST_FUSION_SECS"))
		printf("fusion 2x2: %llu + %llu messages in %u s\n",
		       (unsigned long long)st->sent[0], (unsigned long long)st->sent[1], secs);
}

/*
 * Who may attach: opening /dev/fusion is subject to its mode like any device
 * node, while holding an endpoint fd is enough to attach (the fd is the
 * capability: inherited by fork, passed with SCM_RIGHTS); O_CLOEXEC
 * endpoints do not survive exec.
 */
TEST(fusion, open_permissions_and_cloexec)
{
	struct fusion f;
	struct stat st;
	int status;
	pid_t pid;

	if (!have_fusion())
		return;
	ASSERT_OK(stat(FUSION_DEVICE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(st.st_mode & 07777, 0666);
	EXPECT_EQ(st.st_rdev, makedev(10, 240));
	ASSERT_EQ(fusion_create(&f, 64, P), 0);
	EXPECT_EQ(fcntl(f.fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ASSERT_OK(chmod(FUSION_DEVICE, 0600));
	pid = ASSERT_OK(fork());
	if (!pid) {
		struct fusion_attach a = { .role = C, .flags = 0 };
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		/* Mode 0600, owned by root: this user may not open it... */
		if (open(FUSION_DEVICE, O_RDWR) != -1 || errno != EACCES)
			_exit(11);
		/* ...but the endpoint it inherited is the right to attach. */
		fd = ioctl(f.fd, FUSION_IOC_ATTACH, &a);
		if (fd < 0)
			_exit(12);
		if (fcntl(fd, F_GETFD) & FD_CLOEXEC)
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_OK(chmod(FUSION_DEVICE, st.st_mode & 07777));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Back to 0666: anyone may open it again. */
	pid = ASSERT_OK(fork());
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(10);
		_exit(open(FUSION_DEVICE, O_RDWR) < 0 ? 11 : 0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* An O_CLOEXEC endpoint is gone after exec: the shell finds no such fd. */
	pid = ASSERT_OK(fork());
	if (!pid) {
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "test -e /proc/self/fd/%d && exit 1; exit 0", f.fd);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(20);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fusion_close(&f);
}

static long raw_fusion_wait(int fd, unsigned int word, uint32_t expected, unsigned int wake,
			    int wake_fd, uint64_t timeout_ns)
{
	return syscall(__NR_fusion_wait, fd, word, expected, wake, wake_fd, timeout_ns);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* The fusion_wait system call: its checks, EAGAIN, timeouts, signals and the wake-up it owes. */
TEST(fusion, wait_syscall)
{
	struct fusion f, g;
	struct sigaction sa = { .sa_handler = on_usr1 };
	int other, status, done[2];
	uint32_t w;
	pid_t pid;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, P | C), 0);
	ASSERT_EQ(fusion_create(&g, 64, P | C), 0);
	other = ASSERT_OK(open("/dev/null", O_RDONLY));
	w = f.hdr->words[FUSION_WORD_DATA];
	EXPECT_ERRNO(raw_fusion_wait(-1, 0, w, FUSION_WORD_NONE, -1, 0), EBADF);
	EXPECT_ERRNO(raw_fusion_wait(other, 0, w, FUSION_WORD_NONE, -1, 0), EINVAL);
	EXPECT_ERRNO(raw_fusion_wait(f.fd, 2, w, FUSION_WORD_NONE, -1, 0), EINVAL);
	EXPECT_ERRNO(raw_fusion_wait(f.fd, 0, w, 7, -1, 0), EINVAL);
	EXPECT_ERRNO(raw_fusion_wait(f.fd, 0, w, 0, 999, 0), EBADF);
	EXPECT_ERRNO(raw_fusion_wait(f.fd, 0, w, 0, other, 0), EINVAL);
	EXPECT_ERRNO(raw_fusion_wait(f.fd, 0, w + 2, FUSION_WORD_NONE, -1, 0), EAGAIN);
	EXPECT_ERRNO(raw_fusion_wait(f.fd, 0, w, FUSION_WORD_NONE, -1, 20000000), ETIMEDOUT);
	{
		int fresh = ASSERT_OK(open(FUSION_DEVICE, O_RDWR));

		EXPECT_ERRNO(raw_fusion_wait(fresh, 0, 0, FUSION_WORD_NONE, -1, 0), ENXIO);
		close(fresh);
	}
	/* A sleeper in fusion_wait: a signal ends it (EINTR), a wake of its word ends it (0). */
	ASSERT_OK(sigaction(SIGUSR1, &sa, NULL));
	ASSERT_OK(pipe(done));
	pid = ASSERT_OK(fork());
	if (!pid) {
		uint32_t v = __atomic_or_fetch(&f.hdr->words[FUSION_WORD_DATA], FUSION_WAITERS,
					       __ATOMIC_SEQ_CST);

		if (raw_fusion_wait(f.fd, FUSION_WORD_DATA, v, FUSION_WORD_NONE, -1, 0) != -1 ||
		    errno != EINTR)
			_exit(10);
		if (write(done[1], "i", 1) != 1)
			_exit(12);
		v = __atomic_or_fetch(&f.hdr->words[FUSION_WORD_DATA], FUSION_WAITERS,
				      __ATOMIC_SEQ_CST);
		/*
		 * Woken by the parent's fusion_wait on ring g, which owes ring f's
		 * sleepers a wake-up (EAGAIN: the parent changed the word first).
		 */
		if (raw_fusion_wait(f.fd, FUSION_WORD_DATA, v, FUSION_WORD_NONE, -1, 0) &&
		    errno != EAGAIN)
			_exit(11);
		_exit(0);
	}
	EXPECT_TRUE(wait_until_sleeping(pid));
	ASSERT_OK(kill(pid, SIGUSR1));
	{
		char c;

		/* Nothing changes f's word until the child's first wait has ended. */
		ASSERT_EQ(read(done[0], &c, 1), 1);
	}
	/*
	 * Until the child is done: change f's word, then wait on g (already
	 * moved on: EAGAIN) after waking f's sleepers, which happens anyway.
	 */
	status = -1;
	for (int i = 0; i < 200; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r) {
			if (r != pid)
				printf("wait_syscall: waitpid %d errno %d\n", (int)r, errno);
			break;
		}
		__atomic_add_fetch(&f.hdr->words[FUSION_WORD_DATA], 2, __ATOMIC_SEQ_CST);
		EXPECT_ERRNO(raw_fusion_wait(g.fd, FUSION_WORD_DATA,
					     g.hdr->words[FUSION_WORD_DATA] + 2, FUSION_WORD_DATA,
					     f.fd, 0), EAGAIN);
		usleep(50000);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		printf("wait_syscall: child status %#x\n", status);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	signal(SIGUSR1, SIG_DFL);
	close(done[0]);
	close(done[1]);
	close(other);
	fusion_close(&f);
	fusion_close(&g);
}

/*
 * Round trips hand the CPU straight to the peer, skipping the runqueue: a
 * third task on the same CPU must still get its share (the slices apply).
 */
TEST_TIMEOUT(fusion, call_hand_off_is_fair, 60)
{
	volatile uint64_t *spins = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct fusion req, rep;
	pid_t echo, spinner;
	cpu_set_t one, all;
	int status;

	if (!have_fusion())
		return;
	ASSERT_TRUE(spins != MAP_FAILED);
	/* All three on one CPU, as on -smp 1. */
	ASSERT_OK(sched_getaffinity(0, sizeof(all), &all));
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ASSERT_OK(sched_setaffinity(0, sizeof(one), &one));
	spinner = ASSERT_OK(fork());
	if (!spinner)
		for (;;)
			(*spins)++;
	echo = start_echo(&req, &rep);
	{
		uint64_t before = *spins;
		struct timespec t0, t;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (uint32_t i = 0;; i++) {
			uint32_t v = i;

			ASSERT_EQ(fusion_call(&req, &v, 4, &rep, &v), 4);
			ASSERT_EQ(v, i + 1);
			clock_gettime(CLOCK_MONOTONIC, &t);
			if (t.tv_sec - t0.tv_sec >= 1)
				break;
		}
		/* A second of round trips: the spinner ran too, for some of its slices. */
		if (*spins - before <= 1000)
			printf("spinner: %llu increments in a second of round trips\n",
			       (unsigned long long)(*spins - before));
		EXPECT_TRUE(*spins - before > 1000);
	}
	fusion_close(&req);
	ASSERT_EQ(waitpid(echo, &status, 0), echo);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	kill(spinner, SIGKILL);
	ASSERT_EQ(waitpid(spinner, &status, 0), spinner);
	EXPECT_OK(sched_setaffinity(0, sizeof(all), &all));
	fusion_close(&rep);
}

/* epoll readiness follows the ring: a watcher blocked in epoll_wait is woken by a plain send. */
static void *epoll_in(void *arg)
{
	struct epoll_event ev;
	int n = epoll_wait(*(int *)arg, &ev, 1, 5000);

	return (void *)(long)(n == 1 && (ev.events & EPOLLIN));
}

TEST(fusion, epoll_readiness)
{
	struct timespec ts = { 0, 50000000 };
	struct epoll_event ev = { .events = EPOLLIN };
	struct fusion f, out;
	pthread_t th;
	void *ret;
	int ep;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, C), 0);
	ASSERT_EQ(fusion_attach(&f, &out, P), 0);
	ep = ASSERT_OK(epoll_create1(EPOLL_CLOEXEC));
	ASSERT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, f.fd, &ev));
	EXPECT_EQ(epoll_wait(ep, &ev, 1, 0), 0);
	ASSERT_EQ(pthread_create(&th, NULL, epoll_in, &ep), 0);
	nanosleep(&ts, NULL);
	ASSERT_EQ(fusion_send(&out, "hi", 2, false), 0);
	pthread_join(th, &ret);
	EXPECT_EQ((long)ret, 1);
	/* The last producer gone: EPOLLHUP. */
	fusion_close(&out);
	ev.events = 0;
	EXPECT_EQ(epoll_wait(ep, &ev, 1, 0), 1);
	EXPECT_TRUE(ev.events & EPOLLHUP);
	close(ep);
	fusion_close(&f);
}

/* At most FUSION_MAX_XFERS transfers in flight: the next is ENOSPC, and one received frees a place. */
TEST(fusion, transfer_table_limit)
{
	struct fusion f;
	struct fusion_pages p;
	uint64_t first = 0;
	char *buf;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, P | C), 0);
	buf = filled_anon(PAGE, 1);
	for (unsigned int i = 0; i < FUSION_MAX_XFERS; i++) {
		p = (struct fusion_pages){ .addr = (uintptr_t)buf, .len = PAGE };
		ASSERT_OK(ioctl(f.fd, FUSION_IOC_SEND_PAGES, &p));
		if (!i)
			first = p.token;
	}
	EXPECT_EQ(info_of(&f).xfers, FUSION_MAX_XFERS);
	p = (struct fusion_pages){ .addr = (uintptr_t)buf, .len = PAGE };
	EXPECT_ERRNO(ioctl(f.fd, FUSION_IOC_SEND_PAGES, &p), ENOSPC);
	p = (struct fusion_pages){ .token = first };
	ASSERT_OK(ioctl(f.fd, FUSION_IOC_RECV_PAGES, &p));
	EXPECT_TRUE(pages_ok((char *)(uintptr_t)p.addr, PAGE, 1));
	munmap((void *)(uintptr_t)p.addr, PAGE);
	p = (struct fusion_pages){ .addr = (uintptr_t)buf, .len = PAGE };
	EXPECT_OK(ioctl(f.fd, FUSION_IOC_SEND_PAGES, &p));
	munmap(buf, PAGE);
	fusion_close(&f);
}

/*
 * In a child: sleeps on @f's data word until it changes (0 or EAGAIN), then
 * until the producers are gone (EPIPE); each wait announced on @ready.
 */
static void two_waits_child(struct fusion *parent, int ready)
{
	struct fusion f;
	uint32_t v;

	child_attach(parent, &f, C);
	for (int round = 0; round < 2; round++) {
		v = __atomic_or_fetch(&f.hdr->words[FUSION_WORD_DATA], FUSION_WAITERS,
				      __ATOMIC_SEQ_CST);
		if (write(ready, "r", 1) != 1)
			_exit(10);
		if (raw_fusion_wait(f.fd, FUSION_WORD_DATA, v, FUSION_WORD_NONE, -1, 0) == -1) {
			if (round == 0 && errno != EAGAIN)
				_exit(11);
			if (round == 1 && errno != EPIPE)
				_exit(12);
		} else if (round == 1) {
			_exit(13);	/* the word never changes again: only the exit ends this wait */
		}
	}
	_exit(0);
}

/*
 * A word's first sleeper waits in the ring's single-sleeper slot, a second
 * one on the wait queue: one wake-up ends both, and the other side's exit
 * ends both again, whichever took the slot the second time (a sleeper left
 * in the slot or on the queue would hang here until the timeout).
 */
TEST_TIMEOUT(fusion, slot_and_queue_sleepers, 60)
{
	struct fusion f;
	int ready[2], status;
	uint32_t word = FUSION_WORD_DATA;
	pid_t kids[2];
	char c;

	if (!have_fusion())
		return;
	ASSERT_EQ(fusion_create(&f, 64, P), 0);
	ASSERT_OK(pipe(ready));
	for (int i = 0; i < 2; i++) {
		kids[i] = ASSERT_OK(fork());
		if (!kids[i])
			two_waits_child(&f, ready[1]);
	}
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(read(ready[0], &c, 1), 1);
	}
	for (int i = 0; i < 2; i++)
		EXPECT_TRUE(wait_until_sleeping(kids[i]));
	/* Both asleep on the word: change it and wake it once (the publisher's half). */
	__atomic_add_fetch(&f.hdr->words[FUSION_WORD_DATA], 2, __ATOMIC_SEQ_CST);
	ASSERT_OK(ioctl(f.fd, FUSION_IOC_WAKE, &word));
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(read(ready[0], &c, 1), 1);
	for (int i = 0; i < 2; i++)
		EXPECT_TRUE(wait_until_sleeping(kids[i]));
	/* The last producer leaves: both waits end with EPIPE. */
	fusion_close(&f);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(waitpid(kids[i], &status, 0), kids[i]);
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	close(ready[0]);
	close(ready[1]);
}
