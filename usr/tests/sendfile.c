/*
 * sendfile tests: from a file to a pipe, a file and an AF_UNIX socket,
 * with and without an offset pointer (which moves the pointer, not the
 * file position), short counts at end of file, and the errors in Linux's
 * order (EBADF, ESPIPE, EINVAL for non-file sources and O_APPEND
 * targets, EFAULT for a bad offset pointer).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness.h"

#define BIG (200 * 1024)

static int make_src(const char *name, size_t len, char **data)
{
	char *buf = malloc(len);

	for (size_t i = 0; i < len; i++)
		buf[i] = (char)(i * 7 + i / 251);
	write_file(name, buf, len, 0600);
	*data = buf;
	return open(name, O_RDONLY);
}

TEST(sendfile, file_to_pipe)
{
	char *data, out[64];
	int in = ASSERT_OK(make_src("src", 100, &data)), p[2];
	off_t off = 10;

	ASSERT_OK(pipe(p));
	/* No offset: the file position moves. */
	EXPECT_EQ(sendfile(p[1], in, NULL, 30), 30);
	EXPECT_EQ(lseek(in, 0, SEEK_CUR), 30);
	ASSERT_EQ(read(p[0], out, sizeof(out)), 30);
	EXPECT_MEMEQ(out, data, 30);
	/* An offset: it moves, the file position does not. */
	EXPECT_EQ(sendfile(p[1], in, &off, 20), 20);
	EXPECT_EQ(off, 30);
	EXPECT_EQ(lseek(in, 0, SEEK_CUR), 30);
	ASSERT_EQ(read(p[0], out, sizeof(out)), 20);
	EXPECT_MEMEQ(out, data + 10, 20);
	/* Past the end: what is left, then 0. */
	off = 90;
	EXPECT_EQ(sendfile(p[1], in, &off, 50), 10);
	EXPECT_EQ(off, 100);
	EXPECT_EQ(sendfile(p[1], in, &off, 50), 0);
	EXPECT_EQ(sendfile(p[1], in, NULL, 0), 0);
	/* Counts: above MAX_RW_COUNT is cut; negative, or past the largest offset, EINVAL. */
	off = 95;
	EXPECT_EQ(sendfile(p[1], in, &off, (size_t)1 << 40), 5);
	off = 10;
	EXPECT_ERRNO(sendfile(p[1], in, &off, (size_t)-1), EINVAL);
	EXPECT_ERRNO(sendfile(p[1], in, &off, (size_t)0x7ffffffffffffffcULL), EINVAL);
	EXPECT_EQ(off, 10);
	free(data);
	close(in);
	close(p[0]);
	close(p[1]);
}

TEST(sendfile, file_to_file)
{
	char *data, *back = malloc(BIG);
	int in = ASSERT_OK(make_src("src", BIG, &data));
	int out = ASSERT_OK(open("dst", O_CREAT | O_RDWR | O_TRUNC, 0600));
	long done = 0;

	ASSERT_OK(lseek(out, 5, SEEK_SET));
	while (done < BIG) {
		long n = sendfile(out, in, NULL, BIG - done);

		ASSERT_GE(n, 1);
		done += n;
	}
	EXPECT_EQ(lseek(out, 0, SEEK_CUR), BIG + 5);
	ASSERT_EQ(pread(out, back, BIG, 5), BIG);
	EXPECT_MEMEQ(back, data, BIG);
	free(back);
	free(data);
	close(in);
	close(out);
}

TEST(sendfile, file_to_unix_socket)
{
	char *data, buf[4096];
	int in = ASSERT_OK(make_src("src", 3000, &data)), sv[2];
	off_t off = 0;
	long got = 0;

	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	EXPECT_EQ(sendfile(sv[0], in, &off, 3000), 3000);
	while (got < 3000) {
		long n = read(sv[1], buf + got, sizeof(buf) - (size_t)got);

		ASSERT_GE(n, 1);
		got += n;
	}
	EXPECT_MEMEQ(buf, data, 3000);
	free(data);
	close(in);
	close(sv[0]);
	close(sv[1]);
}

TEST(sendfile, errors)
{
	char *data;
	int in = ASSERT_OK(make_src("src", 100, &data)), p[2], sv[2], efd, wo, app;
	off_t off = 0;

	ASSERT_OK(pipe(p));
	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	efd = ASSERT_OK(eventfd(0, 0));
	wo = ASSERT_OK(open("wo", O_CREAT | O_WRONLY, 0600));
	app = ASSERT_OK(open("app", O_CREAT | O_WRONLY | O_APPEND, 0600));
	EXPECT_ERRNO(sendfile(p[1], -1, NULL, 10), EBADF);
	EXPECT_ERRNO(sendfile(-1, in, NULL, 10), EBADF);
	EXPECT_ERRNO(sendfile(p[1], wo, NULL, 10), EBADF);
	EXPECT_ERRNO(sendfile(in, in, NULL, 10), EBADF);
	EXPECT_ERRNO(sendfile(p[1], in, (off_t *)8, 10), EFAULT);
	off = -1;
	EXPECT_ERRNO(sendfile(p[1], in, &off, 10), EINVAL);
	/* Sources without pages: a pipe, an eventfd; with an offset a pipe is ESPIPE first. */
	EXPECT_ERRNO(sendfile(sv[0], p[0], NULL, 10), EINVAL);
	off = 0;
	EXPECT_ERRNO(sendfile(sv[0], p[0], &off, 10), ESPIPE);
	EXPECT_ERRNO(sendfile(p[1], efd, NULL, 10), EINVAL);
	EXPECT_ERRNO(sendfile(app, in, NULL, 10), EINVAL);
	/* Nothing moved. */
	EXPECT_EQ(lseek(in, 0, SEEK_CUR), 0);
	free(data);
	close(app);
	close(wo);
	close(efd);
	close(in);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

TEST(sendfile, nonblocking_full_pipe)
{
	char *data;
	int in = ASSERT_OK(make_src("src", BIG, &data)), p[2];
	long n;

	ASSERT_OK(pipe2(p, O_NONBLOCK));
	n = sendfile(p[1], in, NULL, BIG);
	EXPECT_EQ(n, 65536);
	EXPECT_EQ(lseek(in, 0, SEEK_CUR), 65536);
	EXPECT_ERRNO(sendfile(p[1], in, NULL, BIG), EAGAIN);
	EXPECT_EQ(lseek(in, 0, SEEK_CUR), 65536);
	free(data);
	close(in);
	close(p[0]);
	close(p[1]);
}
