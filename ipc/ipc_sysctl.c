// SPDX-License-Identifier: MIT
/*
 * /proc/sys/kernel/{shmmax,shmall,shmmni,sem,msgmax,msgmnb,msgmni}: the
 * System V IPC limits, in Linux's formats (sem is "SEMMSL\tSEMMNS\tSEMOPM\tSEMMNI")
 * and ranges; writable by root. fs/proc/sysctl.c owns the files and
 * calls these by file name. The values are read without a lock
 * (READ_ONCE) where they are checked, as Linux reads its sysctls.
 */
#include <exo/compiler.h>
#include <exo/fs.h>
#include <exo/ipc.h>
#include <exo/kernel.h>
#include <exo/seq_file.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "util.h"

#define IPC_INT_MAX 0x7fffffff

struct ipc_sysctl {
	const char *name;
	int *ival;			/* an int knob, 0..max */
	unsigned long *lval;		/* or an unsigned long one */
	int max;
};

static const struct ipc_sysctl ipc_sysctls[] = {
	{ "shmmax", NULL, &shm_ctlmax, 0 },
	{ "shmall", NULL, &shm_ctlall, 0 },
	{ "shmmni", &shm_ctlmni, NULL, IPC_SEQ_MULTIPLIER },
	{ "msgmax", &msg_ctlmax, NULL, IPC_INT_MAX },
	{ "msgmnb", &msg_ctlmnb, NULL, IPC_INT_MAX },
	{ "msgmni", &msg_ctlmni, NULL, IPC_SEQ_MULTIPLIER },
};

static const struct ipc_sysctl *ipc_sysctl_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ipc_sysctls); i++)
		if (!strcmp(ipc_sysctls[i].name, name))
			return &ipc_sysctls[i];
	return NULL;
}

int ipc_sysctl_show(const char *name, struct seq_file *m)
{
	const struct ipc_sysctl *s = ipc_sysctl_find(name);

	if (!strcmp(name, "sem"))
		seq_printf(m, "%d\t%d\t%d\t%d\n", READ_ONCE(sem_ctls[0]), READ_ONCE(sem_ctls[1]),
			   READ_ONCE(sem_ctls[2]), READ_ONCE(sem_ctls[3]));
	else if (s && s->lval)
		seq_printf(m, "%lu\n", READ_ONCE(*s->lval));
	else if (s)
		seq_printf(m, "%d\n", READ_ONCE(*s->ival));
	else
		return -ENOENT;
	return 0;
}

/* Unsigned decimals separated by blanks, as proc_dointvec reads them; the count parsed or -EINVAL. */
static int ipc_parse_ulongs(const char *buf, size_t len, unsigned long *vals, int max)
{
	const char *p = buf, *end = buf + len;
	int n = 0;

	for (;;) {
		char *next;

		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
		if (p == end || !*p)
			return n;
		if (n == max || *p < '0' || *p > '9')
			return -EINVAL;
		vals[n++] = simple_strtoul(p, &next, 10);
		p = next;
	}
}

ssize_t ipc_sysctl_write(const char *name, const char *buf, size_t len)
{
	const struct ipc_sysctl *s = ipc_sysctl_find(name);
	bool sem = !strcmp(name, "sem");
	unsigned long vals[4];
	int n, i;

	if (current_cred()->euid != 0)
		return -EPERM;
	n = ipc_parse_ulongs(buf, len, vals, sem ? 4 : 1);
	if (n < 1)
		return -EINVAL;
	if (sem) {
		/* Linux takes the values given, in order; SEMMNI stays at most IPCMNI. */
		for (i = 0; i < n; i++)
			if (vals[i] > (i == 3 ? IPC_SEQ_MULTIPLIER : IPC_INT_MAX))
				return -EINVAL;
		for (i = 0; i < n; i++)
			WRITE_ONCE(sem_ctls[i], (int)vals[i]);
	} else if (s && s->lval) {
		WRITE_ONCE(*s->lval, vals[0]);
	} else if (s) {
		if (vals[0] > (unsigned long)s->max)
			return -EINVAL;
		WRITE_ONCE(*s->ival, (int)vals[0]);
	} else {
		return -ENOENT;
	}
	return (ssize_t)len;
}
