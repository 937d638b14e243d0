/* SPDX-License-Identifier: MIT */
/*
 * panic() is for broken kernel invariants only. It prints the reason, the
 * registers and a symbolized backtrace, stops every CPU, and prints the line
 * PANIC_MARKER, which the test harness treats as an immediate failure.
 * BUG_ON/WARN_ON check invariants; both are always compiled in (they are
 * cheap), while the costlier debug checks depend on CONFIG_DEBUG.
 */
#ifndef _EXO_PANIC_H
#define _EXO_PANIC_H

#include <exo/compiler.h>
#include <exo/printk.h>

#define PANIC_MARKER "---[ end Kernel panic ]---"

struct pt_regs;

void panic(const char *fmt, ...) __noreturn __cold __printf(1, 2);
/* panic() with the register state of an exception instead of the caller's. */
void panic_regs(struct pt_regs *regs, const char *fmt, ...) __noreturn __cold __printf(2, 3);

void __warn(const char *file, int line, const char *cond) __cold;

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(cond) do { if (unlikely(cond)) panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); } while (0)
#define WARN_ON(cond) ({ bool __w = !!(cond); if (unlikely(__w)) __warn(__FILE__, __LINE__, #cond); __w; })

#endif /* _EXO_PANIC_H */
