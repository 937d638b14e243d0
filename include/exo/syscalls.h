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
 * which defines `long sys_read(const struct pt_regs *regs)`: the table entry,
 * which takes the arguments from the registers of the Linux x86_64 syscall
 * convention (rdi, rsi, rdx, r10, r8, r9) and calls the typed body. Then put
 * `sys_read` in the entry column of its line in kernel/syscalls.tbl.
 * A return value in [-4095, -1] is an errno for user space.
 */
#ifndef _EXO_SYSCALLS_H
#define _EXO_SYSCALLS_H

#include <exo/compiler.h>
#include <exo/types.h>
#include <asm/ptrace.h>

#define __SC_ARG1(r) ((r)->rdi)
#define __SC_ARG2(r) ((r)->rsi)
#define __SC_ARG3(r) ((r)->rdx)
#define __SC_ARG4(r) ((r)->r10)
#define __SC_ARG5(r) ((r)->r8)
#define __SC_ARG6(r) ((r)->r9)

#define __SC_DECL1(t1, a1) t1 a1
#define __SC_DECL2(t1, a1, ...) t1 a1, __SC_DECL1(__VA_ARGS__)
#define __SC_DECL3(t1, a1, ...) t1 a1, __SC_DECL2(__VA_ARGS__)
#define __SC_DECL4(t1, a1, ...) t1 a1, __SC_DECL3(__VA_ARGS__)
#define __SC_DECL5(t1, a1, ...) t1 a1, __SC_DECL4(__VA_ARGS__)
#define __SC_DECL6(t1, a1, ...) t1 a1, __SC_DECL5(__VA_ARGS__)

/* Each register cast to its declared type, in argument order. */
#define __SC_CALL1(r, t1, a1) (t1)__SC_ARG1(r)
#define __SC_CALL2(r, t1, a1, t2, a2) (t1)__SC_ARG1(r), (t2)__SC_ARG2(r)
#define __SC_CALL3(r, t1, a1, t2, a2, t3, a3) __SC_CALL2(r, t1, a1, t2, a2), (t3)__SC_ARG3(r)
#define __SC_CALL4(r, t1, a1, t2, a2, t3, a3, t4, a4) \
	__SC_CALL3(r, t1, a1, t2, a2, t3, a3), (t4)__SC_ARG4(r)
#define __SC_CALL5(r, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	__SC_CALL4(r, t1, a1, t2, a2, t3, a3, t4, a4), (t5)__SC_ARG5(r)
#define __SC_CALL6(r, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
	__SC_CALL5(r, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5), (t6)__SC_ARG6(r)

#define SYSCALL_DEFINE0(name)                                                    \
	long sys_##name(const struct pt_regs *regs);                             \
	static long __do_sys_##name(void);                                       \
	long sys_##name(const struct pt_regs *regs)                              \
	{                                                                        \
		(void)regs;                                                      \
		return __do_sys_##name();                                        \
	}                                                                        \
	static long __do_sys_##name(void)

#define __SYSCALL_DEFINEx(x, name, ...)                                          \
	long sys_##name(const struct pt_regs *regs);                             \
	static long __do_sys_##name(__SC_DECL##x(__VA_ARGS__));                  \
	long sys_##name(const struct pt_regs *regs)                              \
	{                                                                        \
		return __do_sys_##name(__SC_CALL##x(regs, __VA_ARGS__));         \
	}                                                                        \
	static long __do_sys_##name(__SC_DECL##x(__VA_ARGS__))

#define SYSCALL_DEFINE1(name, ...) __SYSCALL_DEFINEx(1, name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...) __SYSCALL_DEFINEx(2, name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...) __SYSCALL_DEFINEx(3, name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...) __SYSCALL_DEFINEx(4, name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...) __SYSCALL_DEFINEx(5, name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...) __SYSCALL_DEFINEx(6, name, __VA_ARGS__)

#endif /* _EXO_SYSCALLS_H */
