/* SPDX-License-Identifier: MIT */
/*
 * Included before the network sources in the host build: their initcalls
 * go to one section, "hostinit", that test_inet.c walks (the kernel's
 * .initcall.N names cannot be reached through __start_ symbols).
 */
#define __define_initcall(fn, level)                                             \
	static const initcall_t __hostinit_##fn __used __section("hostinit") = fn
