/* SPDX-License-Identifier: MIT */
/*
 * Included first in every hooked object of a CONFIG_KPROF kernel (Makefile,
 * KPROF_CFLAGS; docs/kprof.md, "Sites").
 *
 * gcc turns -fipa-ra off for the whole compilation when
 * -fpatchable-function-entry is on the command line (as it does for -pg):
 * a patched entry might call code that clobbers more than the function's
 * own registers. Without IPA-RA a caller keeps fewer values in
 * call-clobbered registers across calls to functions of the same object, so
 * the CONFIG_KPROF kernel's code differed from the production kernel's in
 * about a hundred functions (rb_insert_color: 82 -> 92 instructions;
 * mmap_munmap_1m +1.9% with the profiler off). Both trampolines save every
 * call-clobbered register and the flags (arch/x86_64/kernel/kprof_64.S), so
 * IPA-RA's assumptions hold with the hooks on: switch it back on, per
 * function, as gcc allows. The pragma re-derives the other optimisation
 * flags from -O2 too, which turns on the loop distribution (loops into
 * memset calls, inlined as rep stos) that the command line leaves off: keep
 * it off. kprof_same_code_as_without checks the result.
 */
#pragma GCC optimize("ipa-ra", "no-tree-loop-distribute-patterns")
