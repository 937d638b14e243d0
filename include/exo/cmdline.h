/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line. Subsystems declare the options they take with
 * early_param("name", handler): handlers run from parse_early_params(),
 * right after the console is up and before memory set-up, and get the text
 * after "name=" (or "" for a bare flag). cmdline_get() and cmdline_has()
 * query the line directly. Words after "--" are the init's arguments.
 */
#ifndef _EXO_CMDLINE_H
#define _EXO_CMDLINE_H

#include <exo/compiler.h>
#include <exo/types.h>

#define COMMAND_LINE_SIZE 2048

struct early_param {
	const char *name;
	int (*setup)(const char *val);
};

#define early_param(str, fn)                                                     \
	static const struct early_param __early_param_##fn __used                \
		__section(".early_params") __aligned(8) = { str, fn }

extern char boot_command_line[COMMAND_LINE_SIZE];

void cmdline_set(const char *line);
void parse_early_params(void);
/* Copies the value of "name=value" into @buf; returns false when absent. */
bool cmdline_get(const char *name, char *buf, size_t len);
/* True when the word "name" or "name=..." appears before "--". */
bool cmdline_has(const char *name);

#endif /* _EXO_CMDLINE_H */
