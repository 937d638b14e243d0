/* SPDX-License-Identifier: MIT */
/*
 * Compiler attributes and small generic macros. No kernel state lives here,
 * so host unit tests include this header unchanged.
 */
#ifndef _EXO_COMPILER_H
#define _EXO_COMPILER_H

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define __always_inline inline __attribute__((always_inline))
#define __noinline __attribute__((noinline))
#define __noreturn __attribute__((noreturn))
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __section(s) __attribute__((section(s)))
#define __used __attribute__((used))
#define __unused __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __maybe_unused __attribute__((unused))
#define __cold __attribute__((cold))

/* Marks a pointer that holds a user-space address; only uaccess helpers dereference it. */
#ifndef __user
#define __user
#endif
/* Device memory from ioremap(): reached through readl()/writel() only. */
#define __iomem

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define barrier() __asm__ __volatile__("" ::: "memory")

/*
 * Makes gcc forget what it knows about @var's value (an empty asm that may
 * change it), so it keeps @var in a register instead of recomputing it.
 */
#define OPTIMIZER_HIDE_VAR(var) __asm__("" : "+r"(var))

#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)

#endif /* _EXO_COMPILER_H */
