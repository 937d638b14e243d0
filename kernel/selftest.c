// SPDX-License-Identifier: MIT
/* Runs the self-tests chosen by selftest= (see <exo/selftest.h>). */
#include <exo/selftest.h>
#include <exo/cmdline.h>
#include <exo/printk.h>
#include <exo/string.h>

extern const struct selftest __selftest_start[], __selftest_end[];

static bool selftest_selected(const char *list, const char *name)
{
	size_t n = strlen(name);

	if (!strcmp(list, "all"))
		return true;
	for (const char *p = list; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == n && !strncmp(p, name, n))
			return true;
		p += len + (comma ? 1 : 0);
	}
	return false;
}

int selftests_run(void)
{
	char list[256];
	int passed = 0, failed = 0;

	if (!cmdline_get("selftest", list, sizeof(list)))
		return 0;
	for (const struct selftest *t = __selftest_start; t < __selftest_end; t++) {
		int err;

		if (!selftest_selected(list, t->name))
			continue;
		pr_info("selftest %s: running\n", t->name);
		err = t->run();
		if (err) {
			pr_err("selftest %s: FAILED (%d)\n", t->name, err);
			failed++;
		} else {
			pr_info("selftest %s: ok\n", t->name);
			passed++;
		}
	}
	if (!passed && !failed) {
		pr_err("selftests: no test matches selftest=%s\n", list);
		failed = 1;
	}
	pr_info("selftests: %d passed, %d failed\n", passed, failed);
	return failed;
}
