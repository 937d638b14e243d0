/*
 * /proc/net/unix in Linux's format: the header, and the line of each
 * socket (a listener bound to a path, an abstract datagram socket, a
 * connected socketpair) with its flags, type, state, inode and name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness.h"

/* The /proc/net/unix line whose inode is @fd's; 0 when found. */
static int unix_line(int fd, unsigned int *flags, unsigned int *type, unsigned int *st,
		     char *path, size_t pathlen)
{
	char line[512], num[64], p[256];
	unsigned int ref, proto;
	unsigned long ino;
	struct stat sb;
	FILE *f;
	int ret = -1;

	if (fstat(fd, &sb))
		return -1;
	f = fopen("/proc/net/unix", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		p[0] = 0;
		if (sscanf(line, "%63s %x %x %x %x %x %lu %255s", num, &ref, &proto, flags, type, st,
			   &ino, p) < 7 || ino != sb.st_ino)
			continue;
		snprintf(path, pathlen, "%s", p);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

TEST(socket, proc_net_unix)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char line[256], path[256], abs[64];
	unsigned int flags, type, st;
	int l, d, sv[2];
	socklen_t len;
	FILE *f;

	f = fopen("/proc/net/unix", "r");
	ASSERT_TRUE(f != NULL);
	ASSERT_TRUE(fgets(line, sizeof(line), f) != NULL);
	EXPECT_EQ(strcmp(line, "Num       RefCount Protocol Flags    Type St Inode Path\n"), 0);
	fclose(f);

	l = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	strcpy(sun.sun_path, "listener.sock");
	ASSERT_OK(bind(l, (struct sockaddr *)&sun, sizeof(sun)));
	ASSERT_OK(listen(l, 4));
	ASSERT_EQ(unix_line(l, &flags, &type, &st, path, sizeof(path)), 0);
	EXPECT_EQ(flags, 0x10000);		/* __SO_ACCEPTCON */
	EXPECT_EQ(type, 1);			/* SOCK_STREAM */
	EXPECT_EQ(st, 1);			/* SS_UNCONNECTED */
	EXPECT_EQ(strcmp(path, "listener.sock"), 0);

	d = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	snprintf(abs, sizeof(abs), "exotest-abs-%d", (int)getpid());
	memset(sun.sun_path, 0, sizeof(sun.sun_path));
	memcpy(sun.sun_path + 1, abs, strlen(abs));
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(abs));
	ASSERT_OK(bind(d, (struct sockaddr *)&sun, len));
	ASSERT_EQ(unix_line(d, &flags, &type, &st, path, sizeof(path)), 0);
	EXPECT_EQ(flags, 0);
	EXPECT_EQ(type, 2);			/* SOCK_DGRAM */
	EXPECT_EQ(path[0], '@');
	EXPECT_EQ(strcmp(path + 1, abs), 0);

	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(unix_line(sv[1], &flags, &type, &st, path, sizeof(path)), 0);
	EXPECT_EQ(st, 3);			/* SS_CONNECTED */
	EXPECT_EQ(path[0], 0);			/* unbound: no name */
	close(sv[0]);
	close(sv[1]);
	close(d);
	close(l);
}
