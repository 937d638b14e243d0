/*
 * The evaluator behind test and [ (POSIX XCU "test"), shared by the exobox
 * applet and the shell's builtin so that both give the same answers.
 */
#ifndef EXO_USR_TESTEXPR_H
#define EXO_USR_TESTEXPR_H

/*
 * Evaluates the expression in args[0..nargs-1] (without the command name or
 * the closing "]"). Returns the exit status: 0 true, 1 false, 2 error. On an
 * error, report() is called once with a message that names the culprit; it
 * never exits, so a shell can call this in-process.
 */
int test_expr_eval(char **args, int nargs, void (*report)(const char *msg));

#endif
