/*
 * Maps a file shared, writes through the mapping, unmaps, and reads the
 * file back with read(): the bytes must be there. Also maps it private and
 * checks a private write does not reach the file. Prints "mapfile: ok".
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SIZE 8192

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/mapfile.dat";
	char buf[SIZE];
	char *p;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || ftruncate(fd, SIZE)) {
		perror("mapfile: open/ftruncate");
		return 1;
	}
	p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mapfile: mmap shared");
		return 1;
	}
	memcpy(p, "written through a shared mapping", 32);
	memcpy(p + SIZE - 4, "END", 4);
	munmap(p, SIZE);

	if (pread(fd, buf, SIZE, 0) != SIZE || memcmp(buf, "written through a shared mapping", 32) ||
	    memcmp(buf + SIZE - 4, "END", 4)) {
		printf("mapfile: file does not hold what the shared mapping wrote\n");
		return 1;
	}
	p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		perror("mapfile: mmap private");
		return 1;
	}
	if (memcmp(p, "written", 7)) {
		printf("mapfile: private mapping does not show the file\n");
		return 1;
	}
	memcpy(p, "PRIVATE", 7);
	munmap(p, SIZE);
	if (pread(fd, buf, 7, 0) != 7 || memcmp(buf, "written", 7)) {
		printf("mapfile: a private write reached the file\n");
		return 1;
	}
	close(fd);
	unlink(path);
	printf("mapfile: ok\n");
	return 0;
}
