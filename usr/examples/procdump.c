/*
 * Prints /proc files to the console: run as init (init=/usr/bin/procdump)
 * to look at procfs before the in-guest harness can, or natively to
 * compare. Arguments name the files; without any, a standard set.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void dump(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	printf("==> %s\n", path);
	fflush(stdout);
	if (fd < 0) {
		perror(path);
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		write(1, buf, (size_t)n);
	close(fd);
}

static void list(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	printf("==> ls %s:", path);
	if (!d) {
		perror(path);
		return;
	}
	while ((e = readdir(d))) {
		char full[512], target[512];
		ssize_t n;

		snprintf(full, sizeof(full), "%s/%s", path, e->d_name);
		n = readlink(full, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n] = 0;
			printf(" %s->%s", e->d_name, target);
		} else {
			printf(" %s", e->d_name);
		}
	}
	printf("\n");
	closedir(d);
}

int main(int argc, char **argv)
{
	static const char *const files[] = {
		"/proc/self/stat", "/proc/self/status", "/proc/self/cmdline", "/proc/self/maps",
		"/proc/self/environ", "/proc/meminfo", "/proc/cpuinfo", "/proc/stat",
		"/proc/uptime", "/proc/loadavg", "/proc/mounts", "/proc/filesystems",
		"/proc/version", "/proc/sys/kernel/hostname", "/proc/self/statm",
	};

	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			dump(argv[i]);
		return 0;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		dump(files[i]);
	list("/proc");
	list("/proc/self");
	list("/proc/self/fd");
	sbrk(8192);
	dump("/proc/self/maps");
	return 0;
}
