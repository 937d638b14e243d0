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
#define __weak __attribute__((weak))
#define __noreturn __attribute__((noreturn))
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __section(s) __attribute__((section(s)))
#define __used __attribute__((used))
#define __unused __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __maybe_unused __attribute__((unused))
#define __cold __attribute__((cold))
/* Never hooked by the function profiler (CONFIG_KPROF, docs/kprof.md). */
#define notrace __attribute__((patchable_function_entry(0, 0)))

/*
 * Address spaces and lock contexts for sparse (`make check`; sparse defines
 * __CHECKER__). A __user pointer holds a user-space address: sparse rejects
 * dereferencing it (noderef) and mixing it with kernel pointers
 * (address_space), so only the uaccess helpers touch user memory. __force
 * marks a cast between address spaces that is meant (the uaccess
 * implementation, a syscall argument turned into a pointer). __must_hold,
 * __acquires and __releases state a function's effect on a lock's context
 * (-Wcontext). To the compiler all of these are empty.
 */
#ifdef __CHECKER__
#define __user __attribute__((noderef, address_space(__user)))
#define __kernel __attribute__((address_space(0)))
#define __force __attribute__((force))
/* Device memory from ioremap(): reached through readl()/writel() only. */
#define __iomem __attribute__((noderef, address_space(__iomem)))
#define __must_hold(x) __attribute__((context(x, 1, 1)))
#define __acquires(x) __attribute__((context(x, 0, 1)))
#define __releases(x) __attribute__((context(x, 1, 0)))
#define __acquire(x) __context__(x, 1)
#define __release(x) __context__(x, -1)
#define __cond_lock(x, c) ((c) ? ({ __acquire(x); 1; }) : 0)
#else
#define __user
#define __kernel
#define __force
#define __iomem
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __acquire(x) (void)0
#define __release(x) (void)0
#define __cond_lock(x, c) (c)
#endif

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
