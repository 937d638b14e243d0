/* SPDX-License-Identifier: MIT */
/*
 * Defining system calls. A call is written once, typed, beside the subsystem
 * it belongs to:
 *
 *	SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)
 *	{
 *		...return bytes or -errno...
 *	}
 *
 * which defines `long sys_read(SYSCALL_PARAMS)`: the table entry, which
 * takes the six argument words in C-ABI registers (the architecture's entry
 * code moves them there from its system call convention, and its slow path
 * from pt_regs: syscall_call() in asm/syscall.h) and calls the typed body
 * with each cast to its declared type. Then put `sys_read` in the entry
 * column of its line in the architecture's table,
 * arch/x86_64/entry/syscalls/syscall_64.tbl. A return value in [-4095, -1]
 * is an errno for user space. A call that needs the saved user registers
 * themselves (rt_sigreturn, fork, execve) reads task_pt_regs(current).
 */
#ifndef _EXO_SYSCALLS_H
#define _EXO_SYSCALLS_H

#include <exo/compiler.h>
#include <exo/types.h>
#include <asm/syscall.h>

/* Every table entry's parameters: the six argument words, whatever the call uses. */
#define SYSCALL_PARAMS                                                                  \
	unsigned long __a1, unsigned long __a2, unsigned long __a3, unsigned long __a4, \
	unsigned long __a5, unsigned long __a6

#define __SC_DECL1(t1, a1) t1 a1
#define __SC_DECL2(t1, a1, ...) t1 a1, __SC_DECL1(__VA_ARGS__)
#define __SC_DECL3(t1, a1, ...) t1 a1, __SC_DECL2(__VA_ARGS__)
#define __SC_DECL4(t1, a1, ...) t1 a1, __SC_DECL3(__VA_ARGS__)
#define __SC_DECL5(t1, a1, ...) t1 a1, __SC_DECL4(__VA_ARGS__)
#define __SC_DECL6(t1, a1, ...) t1 a1, __SC_DECL5(__VA_ARGS__)

/* Each argument word cast to its declared type, in argument order. */
#define __SC_CALL1(t1, a1) (t1)__a1
#define __SC_CALL2(t1, a1, t2, a2) (t1)__a1, (t2)__a2
#define __SC_CALL3(t1, a1, t2, a2, t3, a3) __SC_CALL2(t1, a1, t2, a2), (t3)__a3
#define __SC_CALL4(t1, a1, t2, a2, t3, a3, t4, a4) __SC_CALL3(t1, a1, t2, a2, t3, a3), (t4)__a4
#define __SC_CALL5(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	__SC_CALL4(t1, a1, t2, a2, t3, a3, t4, a4), (t5)__a5
#define __SC_CALL6(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
	__SC_CALL5(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5), (t6)__a6

#define SYSCALL_DEFINE0(name)                                                    \
	long sys_##name(SYSCALL_PARAMS);                                         \
	static long __do_sys_##name(void);                                       \
	long sys_##name(SYSCALL_PARAMS)                                          \
	{                                                                        \
		return __do_sys_##name();                                        \
	}                                                                        \
	static long __do_sys_##name(void)

#define __SYSCALL_DEFINEx(x, name, ...)                                          \
	long sys_##name(SYSCALL_PARAMS);                                         \
	static long __do_sys_##name(__SC_DECL##x(__VA_ARGS__));                  \
	long sys_##name(SYSCALL_PARAMS)                                          \
	{                                                                        \
		return __do_sys_##name(__SC_CALL##x(__VA_ARGS__));               \
	}                                                                        \
	static long __do_sys_##name(__SC_DECL##x(__VA_ARGS__))

#define SYSCALL_DEFINE1(name, ...) __SYSCALL_DEFINEx(1, name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...) __SYSCALL_DEFINEx(2, name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...) __SYSCALL_DEFINEx(3, name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...) __SYSCALL_DEFINEx(4, name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...) __SYSCALL_DEFINEx(5, name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...) __SYSCALL_DEFINEx(6, name, __VA_ARGS__)

#endif /* _EXO_SYSCALLS_H */
