/*
 * ps: processes from /proc/<pid>/{stat,cmdline,status}, in procps' layouts:
 *   ps         PID TTY TIME CMD, for our euid and our terminal
 *   ps -e|-A   the same for every process
 *   ps -f      UID PID PPID C STIME TTY TIME CMD (with -e: everyone)
 *   ps aux     USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND
 * Without /proc it says so and exits 1.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "exobox.h"

struct proc {
	int pid, ppid, pgrp, sid, tty;
	char state;
	char comm[64];
	char cmd[4096];		/* argv joined with spaces, or "[comm]" */
	unsigned long long utime, stime, start, vsize;
	long rss;
	unsigned uid;
};

static long clk_tck, page_kb;
static unsigned long long boot_time;
static unsigned long long mem_total_kb;

static int proc_read(int pid, struct proc *p)
{
	char path[64], buf[2048], *s, *e;
	ssize_t n;

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_small_file(path, buf, sizeof(buf)) < 0)
		return -1;
	/* comm may hold spaces and parentheses: it ends at the last ')'. */
	s = strchr(buf, '(');
	e = strrchr(buf, ')');
	if (!s || !e || e < s)
		return -1;
	snprintf(p->comm, sizeof(p->comm), "%.*s", (int)(e - s - 1), s + 1);
	p->pid = pid;
	if (sscanf(e + 2, "%c %d %d %d %d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d %*d "
			  "%llu %llu %ld", &p->state, &p->ppid, &p->pgrp, &p->sid, &p->tty,
		   &p->utime, &p->stime, &p->start, &p->vsize, &p->rss) < 5)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	n = read_small_file(path, p->cmd, sizeof(p->cmd));
	if (n > 0) {
		while (n > 0 && !p->cmd[n - 1])
			n--;
		for (ssize_t i = 0; i < n; i++)
			if ((unsigned char)p->cmd[i] < ' ')
				p->cmd[i] = ' ';
		p->cmd[n] = '\0';
	} else {
		snprintf(p->cmd, sizeof(p->cmd), "[%s]", p->comm);
	}
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_small_file(path, buf, sizeof(buf)) >= 0 && (s = strstr(buf, "\nUid:")))
		sscanf(s + 5, "%*u %u", &p->uid);
	else {
		struct stat st;

		snprintf(path, sizeof(path), "/proc/%d", pid);
		if (!stat(path, &st))
			p->uid = st.st_uid;
	}
	return 0;
}

static void tty_name(int tty, char *buf, size_t len)
{
	unsigned maj = (tty >> 8) & 0xfff, min = (tty & 0xff) | ((tty >> 12) & 0xfff00);

	if (!tty)
		snprintf(buf, len, "?");
	else if (maj == 136)
		snprintf(buf, len, "pts/%u", min);
	else if (maj == 4 && min < 64)
		snprintf(buf, len, "tty%u", min);
	else if (maj == 4)
		snprintf(buf, len, "ttyS%u", min - 64);
	else if (maj == 5 && min == 1)
		snprintf(buf, len, "console");
	else
		snprintf(buf, len, "%u,%u", maj, min);
}

static void cpu_time(const struct proc *p, char *buf, size_t len, int short_form)
{
	unsigned long long t = (p->utime + p->stime) / clk_tck;

	if (short_form)
		snprintf(buf, len, "%llu:%02llu", t / 60, t % 60);
	else if (t >= 86400)
		snprintf(buf, len, "%llu-%02llu:%02llu:%02llu", t / 86400, t / 3600 % 24, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%02llu:%02llu:%02llu", t / 3600, t / 60 % 60, t % 60);
}

static void start_time(const struct proc *p, char *buf, size_t len)
{
	time_t t = boot_time + p->start / clk_tck, now = time(NULL);
	struct tm *tm = localtime(&t);

	if (!tm)
		snprintf(buf, len, "?");
	else
		strftime(buf, len, now - t < 86400 ? "%H:%M" : "%b%d", tm);
}

static const char *user_of(unsigned uid, char *buf)
{
	struct passwd *pw = getpwuid(uid);

	if (pw && strlen(pw->pw_name) <= 8)
		return pw->pw_name;
	sprintf(buf, "%u", uid);
	return buf;
}

static int my_tty(void)
{
	struct proc self;

	return proc_read(getpid(), &self) ? 0 : self.tty;
}

static void times_init(void)
{
	char buf[4096], *s;
	struct sysinfo si;

	clk_tck = sysconf(_SC_CLK_TCK);
	page_kb = sysconf(_SC_PAGESIZE) / 1024;
	if (read_small_file("/proc/stat", buf, sizeof(buf)) > 0 && (s = strstr(buf, "btime ")))
		boot_time = strtoull(s + 6, NULL, 10);
	else if (!sysinfo(&si))
		boot_time = time(NULL) - si.uptime;
	if (read_small_file("/proc/meminfo", buf, sizeof(buf)) > 0 && (s = strstr(buf, "MemTotal:")))
		mem_total_kb = strtoull(s + 9, NULL, 10);
}

int ps_main(int argc, char **argv)
{
	int all = 0, full = 0, bsd = 0, tty = 0;
	unsigned euid = geteuid();
	struct dirent *de;
	DIR *d;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-') {
			/* BSD options: a, u, x in any mix. */
			if (strspn(a, "aux") != strlen(a))
				usage();
			all = bsd = 1;
			continue;
		}
		for (a++; *a; a++) {
			if (*a == 'e' || *a == 'A')
				all = 1;
			else if (*a == 'f')
				full = 1;
			else
				usage();
		}
	}
	d = opendir("/proc");
	if (!d)
		die_errno("cannot open /proc (is procfs mounted? try: mount -t proc proc /proc)");
	times_init();
	if (!all)
		tty = my_tty();
	if (bsd)
		printf("USER       PID %%CPU %%MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n");
	else if (full)
		printf("UID        PID  PPID  C STIME TTY          TIME CMD\n");
	else
		printf("  PID TTY          TIME CMD\n");
	while ((de = readdir(d))) {
		char t[32], tm[32], ub[16], st[16];
		struct proc p;

		if (!isdigit((unsigned char)de->d_name[0]) || proc_read(atoi(de->d_name), &p))
			continue;
		if (!all && (p.uid != euid || p.tty != tty))
			continue;
		tty_name(p.tty, t, sizeof(t));
		if (bsd) {
			struct sysinfo si;
			double up = sysinfo(&si) ? 0 : si.uptime - (double)p.start / clk_tck;
			double cpu = up > 0 ? 100.0 * (p.utime + p.stime) / clk_tck / up : 0;
			double mem = mem_total_kb ? 100.0 * p.rss * page_kb / mem_total_kb : 0;

			cpu_time(&p, tm, sizeof(tm), 1);
			start_time(&p, st, sizeof(st));
			printf("%-8s %5d %4.1f %4.1f %6llu %5ld %-8s %-4c %-5s %6s %s\n",
			       user_of(p.uid, ub), p.pid, cpu, mem, p.vsize / 1024, p.rss * page_kb, t,
			       p.state, st, tm, p.cmd);
		} else if (full) {
			struct sysinfo si;
			double up = sysinfo(&si) ? 0 : si.uptime - (double)p.start / clk_tck;
			int cpu = up > 0 ? (int)(100.0 * (p.utime + p.stime) / clk_tck / up) : 0;

			cpu_time(&p, tm, sizeof(tm), 0);
			start_time(&p, st, sizeof(st));
			printf("%-8s %5d %5d %2d %5s %-8s %8s %s\n", user_of(p.uid, ub), p.pid, p.ppid,
			       cpu, st, t, tm, p.cmd);
		} else {
			cpu_time(&p, tm, sizeof(tm), 0);
			printf("%5d %-8s %8s %s\n", p.pid, t, tm, p.comm);
		}
	}
	closedir(d);
	return 0;
}
