/* test and [: thin front ends to the shared evaluator in usr/lib/testexpr.c. */
#include <string.h>

#include "exobox.h"
#include "testexpr.h"

static void test_report(const char *msg)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s\n", applet->name, msg);
}

int test_main(int argc, char **argv)
{
	return test_expr_eval(argv + 1, argc - 1, test_report);
}

int bracket_main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		printf("Usage: [ EXPRESSION ]\n");
		return 0;
	}
	if (argc < 2 || strcmp(argv[argc - 1], "]")) {
		test_report("missing ']'");
		return 2;
	}
	return test_expr_eval(argv + 1, argc - 2, test_report);
}
