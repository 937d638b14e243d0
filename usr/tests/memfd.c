/*
 * memfd tests: memfd_create's flags and name rules, the file it gives
 * (/proc/self/fd link, O_RDWR, read/write/lseek/ftruncate, a shared mapping
 * seen across fork), and each seal: F_SEAL_SEAL, SHRINK, GROW, WRITE (EBUSY
 * while a writable shared mapping lives, then write/ftruncate/mmap fail
 * with EPERM), FUTURE_WRITE; F_ADD_SEALS on other files (EINVAL) and on a
 * read-only descriptor (EPERM).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

static int memfd(const char *name, unsigned int flags)
{
	return (int)syscall(SYS_memfd_create, name, flags);
}

TEST(memfd, create_flags_and_names)
{
	char name[300];
	int fd;

	EXPECT_ERRNO(memfd("x", 0x100), EINVAL);
	EXPECT_ERRNO(memfd("x", MFD_EXEC | MFD_NOEXEC_SEAL), EINVAL);
	EXPECT_ERRNO(memfd(unmapped_page(), 0), EFAULT);
	EXPECT_ERRNO(memfd(NULL, 0), EFAULT);
	/* NAME_MAX less "memfd:": 249 characters fit, 250 do not. */
	memset(name, 'a', sizeof(name));
	name[250] = '\0';
	EXPECT_ERRNO(memfd(name, 0), EINVAL);
	name[249] = '\0';
	fd = ASSERT_OK(memfd(name, 0));
	close(fd);

	fd = ASSERT_OK(memfd("hello", MFD_CLOEXEC));
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	EXPECT_STREQ(fd_link(fd), "/memfd:hello (deleted)");
	close(fd);
	fd = ASSERT_OK(memfd("", 0));
	EXPECT_EQ(fcntl(fd, F_GETFD), 0);
	EXPECT_STREQ(fd_link(fd), "/memfd: (deleted)");
	close(fd);
}

TEST(memfd, file_io_and_fork_sharing)
{
	int fd = ASSERT_OK(memfd("io", 0));
	struct stat st;
	char buf[16] = { 0 };
	char *p;
	int status;
	pid_t pid;

	ASSERT_OK(fstat(fd, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(st.st_size, 0);
	EXPECT_EQ(write(fd, "hello world", 11), 11);
	EXPECT_EQ(lseek(fd, 6, SEEK_SET), 6);
	EXPECT_EQ(read(fd, buf, sizeof(buf)), 5);
	EXPECT_STREQ(buf, "world");
	EXPECT_EQ(pread(fd, buf, 5, 0), 5);
	EXPECT_MEMEQ(buf, "hello", 5);
	ASSERT_OK(ftruncate(fd, 4096));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	pid = fork();
	if (pid == 0) {
		memcpy(p, "child", 5);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
	EXPECT_MEMEQ(p, "child", 5);
	EXPECT_EQ(pread(fd, buf, 5, 0), 5);
	EXPECT_MEMEQ(buf, "child", 5);
	munmap(p, 4096);
	close(fd);
}

TEST(memfd, sealing_allowed_or_not)
{
	int fd = ASSERT_OK(memfd("nosealing", 0));
	int fd2;

	/* Without MFD_ALLOW_SEALING the file is born with F_SEAL_SEAL. */
	EXPECT_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SEAL);
	EXPECT_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM);
	close(fd);

	fd = ASSERT_OK(memfd("sealing", MFD_ALLOW_SEALING));
	EXPECT_EQ(fcntl(fd, F_GET_SEALS), 0);
	EXPECT_ERRNO(fcntl(fd, F_ADD_SEALS, 0x1000), EINVAL);
	/* A read-only descriptor of the same file may not add seals. */
	{
		char path[64];

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		fd2 = ASSERT_OK(open(path, O_RDONLY));
	}
	EXPECT_ERRNO(fcntl(fd2, F_ADD_SEALS, F_SEAL_GROW), EPERM);
	EXPECT_EQ(fcntl(fd2, F_GET_SEALS), 0);
	close(fd2);
	EXPECT_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	EXPECT_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SEAL);
	EXPECT_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), EPERM);
	close(fd);

	/* MFD_NOEXEC_SEAL: sealable, F_SEAL_EXEC already, no exec bits. */
	fd = ASSERT_OK(memfd("noexec", MFD_NOEXEC_SEAL));
	EXPECT_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_EXEC);
	{
		struct stat st;

		ASSERT_OK(fstat(fd, &st));
		EXPECT_EQ(st.st_mode & 0111, 0);
	}
	close(fd);
}

TEST(memfd, seals_on_other_files)
{
	int p[2];
	int fd = ASSERT_OK(open("/dev/null", O_RDWR));

	EXPECT_ERRNO(fcntl(fd, F_GET_SEALS), EINVAL);
	EXPECT_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL), EINVAL);
	close(fd);
	/* Write access is checked first. */
	fd = ASSERT_OK(open("/proc/self/stat", O_RDONLY));
	EXPECT_ERRNO(fcntl(fd, F_GET_SEALS), EINVAL);
	EXPECT_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL), EPERM);
	close(fd);
	ASSERT_OK(pipe(p));
	EXPECT_ERRNO(fcntl(p[0], F_GET_SEALS), EINVAL);
	close(p[0]);
	close(p[1]);
}

TEST(memfd, seal_shrink_and_grow)
{
	int fd = ASSERT_OK(memfd("size", MFD_ALLOW_SEALING));

	ASSERT_OK(ftruncate(fd, 8192));
	ASSERT_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	EXPECT_ERRNO(ftruncate(fd, 4096), EPERM);
	EXPECT_OK(ftruncate(fd, 12288));
	EXPECT_OK(ftruncate(fd, 12288));
	ASSERT_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	EXPECT_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_GROW);
	EXPECT_ERRNO(ftruncate(fd, 16384), EPERM);
	EXPECT_ERRNO(ftruncate(fd, 0), EPERM);
	/* Writes inside the size are fine; past it they would grow the file. */
	EXPECT_EQ(pwrite(fd, "abc", 3, 100), 3);
	/* A write across the end is cut at the size (Linux checks page by page). */
	EXPECT_EQ(pwrite(fd, "abc", 3, 12287), 1);
	EXPECT_ERRNO(pwrite(fd, "abc", 3, 12288), EPERM);
	{
		struct stat st;

		ASSERT_OK(fstat(fd, &st));
		EXPECT_EQ(st.st_size, 12288);
	}
	close(fd);
}

TEST(memfd, seal_write)
{
	int fd = ASSERT_OK(memfd("write", MFD_ALLOW_SEALING));
	char *p, *ro;

	ASSERT_OK(ftruncate(fd, 4096));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	p[0] = 'x';
	/* A live writable shared mapping: EBUSY, and nothing is sealed. */
	EXPECT_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY);
	EXPECT_EQ(fcntl(fd, F_GET_SEALS), 0);
	ASSERT_OK(munmap(p, 4096));
	/* A private mapping does not count. */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	EXPECT_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_WRITE);
	p[1] = 'y';	/* copy-on-write: still allowed */
	munmap(p, 4096);

	EXPECT_ERRNO(write(fd, "a", 1), EPERM);
	EXPECT_ERRNO(pwrite(fd, "a", 1, 0), EPERM);
	EXPECT_ERRNO(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED
			     ? -1 : 0, EPERM);
	/* A read-only shared mapping works but mprotect cannot make it writable. */
	ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_TRUE(ro != MAP_FAILED);
	EXPECT_EQ(ro[0], 'x');
	EXPECT_ERRNO(mprotect(ro, 4096, PROT_READ | PROT_WRITE), EACCES);
	munmap(ro, 4096);
	/* Size changes are not covered by F_SEAL_WRITE. */
	EXPECT_OK(ftruncate(fd, 8192));
	close(fd);
}

TEST(memfd, seal_future_write)
{
	int fd = ASSERT_OK(memfd("future", MFD_ALLOW_SEALING));
	char *p;

	ASSERT_OK(ftruncate(fd, 4096));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	/* Existing writable mappings are allowed to stay and keep writing. */
	ASSERT_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
	p[0] = 'z';
	EXPECT_ERRNO(write(fd, "a", 1), EPERM);
	EXPECT_ERRNO(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED
			     ? -1 : 0, EPERM);
	{
		char c = 0;

		EXPECT_EQ(pread(fd, &c, 1, 0), 1);
		EXPECT_EQ(c, 'z');
	}
	munmap(p, 4096);
	close(fd);
}

TEST(memfd, shared_anonymous_memory_is_dev_zero)
{
	/* Its backing is an unlinked file of the same kernel tmpfs instance; Linux names it so. */
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char line[512], want[32];
	FILE *f;
	int found = 0;

	ASSERT_TRUE(p != MAP_FAILED);
	snprintf(want, sizeof(want), "%lx-", (unsigned long)p);
	f = fopen("/proc/self/maps", "r");
	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, want, strlen(want)))
			continue;
		found = 1;
		EXPECT_TRUE(strstr(line, " rw-s ") != NULL);
		EXPECT_TRUE(strstr(line, "/dev/zero (deleted)\n") != NULL);
	}
	fclose(f);
	EXPECT_TRUE(found);
	munmap(p, 4096);
}
