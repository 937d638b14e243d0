/*
 * The smallest user program: prints a line through musl's stdio (writev on
 * stdout) and exits 0. Used by the test suite as the first sign that a
 * static musl binary runs unchanged.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello from %s, argc=%d\n", argc > 0 ? argv[0] : "?", argc);
	return 0;
}
