// SPDX-License-Identifier: MIT
/*
 * kprof: run a command under the kernel's function profiler (docs/kprof.md)
 * and print where the kernel spent its cycles.
 *
 *   kprof [-n TOP] [-o FOLDED] [-t|-s] COMMAND [ARG]...
 *   kprof -r [-n TOP] [-o FOLDED]
 *
 * Switches /proc/kprof/enable on (tracing and sampling; -t tracing only,
 * -s sampling only), runs COMMAND, switches it off and prints the TOP
 * (default 20) functions by inclusive cycles and the TOP sampled functions;
 * -o writes the sampled stacks in flamegraph.pl's folded format. -r only
 * reports what the profiler holds. Exits with COMMAND's status.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define KPROF_DIR "/proc/kprof/"

struct row {
	unsigned long long calls, cycles;
	char *name;
};

static char *slurp(const char *path)
{
	size_t len = 0, size = 1 << 16;
	char *buf = malloc(size);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0 || !buf) {
		fprintf(stderr, "kprof: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	while ((n = read(fd, buf + len, size - len - 1)) > 0) {
		len += n;
		if (size - len < 4096 && !(buf = realloc(buf, size *= 2))) {
			fprintf(stderr, "kprof: out of memory\n");
			exit(1);
		}
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

static void set_enable(const char *what)
{
	int fd = open(KPROF_DIR "enable", O_WRONLY);

	if (fd < 0 || write(fd, what, strlen(what)) < 0) {
		fprintf(stderr, "kprof: " KPROF_DIR "enable: %s\n", strerror(errno));
		exit(1);
	}
	close(fd);
}

static int by_cycles(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->cycles != y->cycles)
		return x->cycles < y->cycles ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Adds @count to @name's row, appending one if new. */
static size_t add_row(struct row **rows, size_t n, size_t *cap, char *name,
		      unsigned long long calls, unsigned long long cycles)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp((*rows)[i].name, name)) {
			(*rows)[i].calls += calls;
			(*rows)[i].cycles += cycles;
			return n;
		}
	}
	if (n == *cap && !(*rows = realloc(*rows, (*cap = *cap ? *cap * 2 : 256) * sizeof(**rows)))) {
		fprintf(stderr, "kprof: out of memory\n");
		exit(1);
	}
	(*rows)[n] = (struct row){ calls, cycles, name };
	return n + 1;
}

static void report_functions(int top)
{
	char *text = slurp(KPROF_DIR "functions"), *line, *save;
	struct row *rows = NULL;
	size_t n = 0, cap = 0;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long calls, cycles;
		int off;

		if (sscanf(line, "%llu %llu %n", &calls, &cycles, &off) == 2)
			n = add_row(&rows, n, &cap, line + off, calls, cycles);
	}
	qsort(rows, n, sizeof(*rows), by_cycles);
	printf("%12s %14s %10s  function (inclusive cycles)\n", "calls", "cycles", "cyc/call");
	for (size_t i = 0; i < n && (int)i < top; i++)
		printf("%12llu %14llu %10llu  %s\n", rows[i].calls, rows[i].cycles,
		       rows[i].cycles / rows[i].calls, rows[i].name);
}

static void report_samples(int top, const char *folded_out)
{
	char *text = slurp(KPROF_DIR "folded"), *line, *save;
	unsigned long long total = 0;
	struct row *rows = NULL;
	size_t n = 0, cap = 0;
	FILE *out = NULL;

	if (folded_out && !(out = fopen(folded_out, "w"))) {
		fprintf(stderr, "kprof: %s: %s\n", folded_out, strerror(errno));
		exit(1);
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strrchr(line, ' '), *leaf;
		unsigned long long count;

		if (out)
			fprintf(out, "%s\n", line);
		if (!sp || sscanf(sp + 1, "%llu", &count) != 1)
			continue;
		*sp = 0;
		leaf = strrchr(line, ';');
		n = add_row(&rows, n, &cap, leaf ? leaf + 1 : line, count, count);
		total += count;
	}
	if (out)
		fclose(out);
	qsort(rows, n, sizeof(*rows), by_cycles);
	printf("%12s %6s  function (timer samples, where the CPU was)\n", "samples", "%");
	for (size_t i = 0; i < n && (int)i < top; i++)
		printf("%12llu %6.2f  %s\n", rows[i].calls, 100.0 * rows[i].calls / total, rows[i].name);
}

int main(int argc, char **argv)
{
	const char *mode = "1", *folded_out = NULL;
	int top = 20, opt, status = 0;
	int report_only = 0;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+n:o:tsr")) != -1) {
		switch (opt) {
		case 'n':
			top = atoi(optarg);
			break;
		case 'o':
			folded_out = optarg;
			break;
		case 't':
			mode = "trace";
			break;
		case 's':
			mode = "sample";
			break;
		case 'r':
			report_only = 1;
			break;
		default:
			fprintf(stderr, "usage: kprof [-n TOP] [-o FOLDED] [-t|-s] COMMAND [ARG]...\n"
					"       kprof -r [-n TOP] [-o FOLDED]\n");
			return 2;
		}
	}
	/* As init (make bench's profiled row), nothing has mounted /proc yet. */
	if (access(KPROF_DIR, F_OK)) {
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
	}
	if (!report_only) {
		if (optind >= argc) {
			fprintf(stderr, "kprof: no command\n");
			return 2;
		}
		set_enable(mode);
		pid = fork();
		if (pid == 0) {
			execvp(argv[optind], argv + optind);
			fprintf(stderr, "kprof: %s: %s\n", argv[optind], strerror(errno));
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0)
			perror("kprof");
		set_enable("0");
	}
	if (strcmp(mode, "sample"))
		report_functions(top);
	if (strcmp(mode, "trace"))
		report_samples(top, folded_out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
