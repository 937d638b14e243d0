// SPDX-License-Identifier: MIT
/*
 * Command-line storage and parsing. The boot loader's string is copied once
 * (the Multiboot2 info lives in memory the page allocator will reuse).
 * Words are separated by spaces; "--" ends the kernel's part.
 */
#include <exo/cmdline.h>
#include <exo/printk.h>
#include <exo/string.h>

char boot_command_line[COMMAND_LINE_SIZE];

extern const struct early_param __early_param_start[], __early_param_end[];

void cmdline_set(const char *line)
{
	strlcpy(boot_command_line, line, sizeof(boot_command_line));
}

/*
 * Calls @fn(word, len) for each kernel word (before "--"); stops early when
 * @fn returns true and returns true in that case.
 */
static bool cmdline_for_each_word(bool (*fn)(const char *w, size_t len, void *arg), void *arg)
{
	const char *p = boot_command_line;

	while (*p) {
		size_t len;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		for (len = 0; p[len] && p[len] != ' '; len++)
			;
		if (len == 2 && p[0] == '-' && p[1] == '-')
			break;
		if (fn(p, len, arg))
			return true;
		p += len;
	}
	return false;
}

struct cmdline_query {
	const char *name;
	char *buf;
	size_t len;
	bool need_value;
};

static bool cmdline_match(const char *w, size_t len, void *arg)
{
	struct cmdline_query *q = arg;
	size_t n = strlen(q->name);

	if (len < n || strncmp(w, q->name, n))
		return false;
	if (len == n)
		return !q->need_value;
	if (w[n] != '=')
		return false;
	if (q->buf) {
		size_t vlen = len - n - 1;

		if (vlen >= q->len)
			vlen = q->len - 1;
		memcpy(q->buf, w + n + 1, vlen);
		q->buf[vlen] = '\0';
	}
	return true;
}

bool cmdline_get(const char *name, char *buf, size_t len)
{
	struct cmdline_query q = { name, buf, len, true };

	return len && cmdline_for_each_word(cmdline_match, &q);
}

bool cmdline_has(const char *name)
{
	struct cmdline_query q = { name, NULL, 0, false };

	return cmdline_for_each_word(cmdline_match, &q);
}

void parse_early_params(void)
{
	char val[256];

	for (const struct early_param *p = __early_param_start; p < __early_param_end; p++) {
		if (cmdline_get(p->name, val, sizeof(val)))
			p->setup(val);
		else if (cmdline_has(p->name))
			p->setup("");
	}
}
