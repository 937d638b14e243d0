/*
 * exobox's entry point: finds the applet named by argv[0] (or argv[1]) in the
 * table built from applets.h and runs it.
 *
 *   exobox --list        print every applet name, one per line
 *   exobox NAME ARGS...  run applet NAME
 *   NAME ARGS...         the same, through a symlink NAME -> exobox
 *
 * "NAME --help" prints the usage to stdout and exits 0, except for applets
 * that must treat "--help" as an operand (echo, printf, test, true, ...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exobox.h"

static const struct applet applets[] = {
#define APPLET(n, u, h, bad, nohelp) { #n, n##_main, u, h, bad, nohelp },
#include "applets.h"
#undef APPLET
	{ "[", bracket_main, "EXPRESSION ]", NULL, 2, 1 },
};

#define NR_APPLETS (sizeof(applets) / sizeof(applets[0]))

const struct applet *applet;

static const struct applet *applet_find(const char *name)
{
	for (size_t i = 0; i < NR_APPLETS; i++)
		if (!strcmp(applets[i].name, name))
			return &applets[i];
	return NULL;
}

static void help_print(void)
{
	printf("Usage: %s %s\n", applet->name, applet->usage);
	if (applet->help)
		fputs(applet->help, stdout);
}

int main(int argc, char **argv)
{
	const char *name = path_base(argv[0]);

	if (!strcmp(name, "exobox")) {
		if (argc < 2 || !strcmp(argv[1], "--help")) {
			fputs("Usage: exobox NAME [ARG]...  or  exobox --list\n", argc < 2 ? stderr : stdout);
			return argc < 2;
		}
		if (!strcmp(argv[1], "--list")) {
			for (size_t i = 0; i < NR_APPLETS; i++)
				puts(applets[i].name);
			return 0;
		}
		argv++;
		argc--;
		name = path_base(argv[0]);
	}
	applet = applet_find(name);
	if (!applet) {
		fprintf(stderr, "exobox: %s: applet not found\n", name);
		return 127;
	}
	argv[0] = (char *)applet->name;
	if (argc == 2 && !strcmp(argv[1], "--help") && !applet->no_help) {
		help_print();
		return 0;
	}
	return applet->main(argc, argv);
}
