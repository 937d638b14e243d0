/* SPDX-License-Identifier: MIT */
/*
 * Program execution from the kernel. kernel_execve() replaces the current
 * kernel thread's (empty) program with @filename, argv and envp given as
 * kernel arrays; on success the thread leaves for user mode with
 * arch_kthread_return_to_user(). Returns -errno on failure.
 */
#ifndef _EXO_BINFMTS_H
#define _EXO_BINFMTS_H

int kernel_execve(const char *filename, const char *const *argv, const char *const *envp);

#endif /* _EXO_BINFMTS_H */
