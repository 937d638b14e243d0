// SPDX-License-Identifier: MIT
/*
 * "#!" scripts: the first line names an interpreter and at most one
 * argument; the interpreter runs with argv = [interpreter, (argument),
 * script path, original argv[1..]]. Interpreters may themselves be scripts,
 * up to BINPRM_MAX_RECURSION levels (then -ELOOP), as in Linux.
 */
#include <exo/fs.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "binfmt.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int load_script(struct linux_binprm *bprm)
{
	char line[BINPRM_BUF_SIZE], *interp, *arg = NULL, *end;
	const char *args[3];
	int n = 0, err;

	if (bprm->buf[0] != '#' || bprm->buf[1] != '!')
		return -ENOEXEC;
	if (++bprm->recursion > BINPRM_MAX_RECURSION)
		return -ELOOP;
	memcpy(line, bprm->buf + 2, sizeof(line) - 2);
	line[sizeof(line) - 2] = '\0';
	end = strchr(line, '\n');
	/* A first line longer than the buffer would be cut: Linux refuses it. */
	if (!end)
		return -ENOEXEC;
	*end = '\0';
	while (end > line && is_blank(end[-1]))
		*--end = '\0';
	for (interp = line; is_blank(*interp); interp++)
		;
	if (!*interp)
		return -ENOEXEC;
	for (end = interp; *end && !is_blank(*end); end++)
		;
	if (*end) {
		*end++ = '\0';
		while (is_blank(*end))
			end++;
		if (*end)
			arg = end;
	}

	args[n++] = interp;
	if (arg)
		args[n++] = arg;
	args[n++] = bprm->filename;
	err = bprm_replace_leading_args(bprm, 1, args, n);
	if (err)
		return err;
	fput(bprm->file);
	bprm->file = NULL;
	return bprm_open(bprm, interp);
}
