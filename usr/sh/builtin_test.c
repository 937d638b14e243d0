/* The test and [ builtins: the evaluator is shared with exobox (usr/lib/testexpr.c). */
#include <string.h>

#include "sh.h"
#include "testexpr.h"

static void test_report(const char *msg)
{
	sh_warn("test: %s", msg);
}

int bltin_test(int argc, char **argv)
{
	if (!strcmp(argv[0], "[")) {
		if (strcmp(argv[argc - 1], "]")) {
			sh_warn("[: missing ]");
			return 2;
		}
		argc--;
	}
	return test_expr_eval(argv + 1, argc - 1, test_report);
}
