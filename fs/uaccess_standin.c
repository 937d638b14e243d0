// SPDX-License-Identifier: MIT
/*
 * Weak stand-ins for interfaces fs/ calls whose real implementations land
 * from other branches (user copies from arch/, wall-clock time from the
 * platform code). The real, strong definitions replace these at link time;
 * delete this file once both are merged. Until then there is no user space,
 * so every user access fails and inode times count from boot.
 */
#include <exo/compiler.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>

__attribute__((weak)) int copy_from_user(void *dst, const void __user *src, size_t n)
{
	return -EFAULT;
}

__attribute__((weak)) int copy_to_user(void __user *dst, const void *src, size_t n)
{
	return -EFAULT;
}

__attribute__((weak)) int clear_user(void __user *dst, size_t n)
{
	return -EFAULT;
}

__attribute__((weak)) long strncpy_from_user(char *dst, const char __user *src, long count)
{
	return -EFAULT;
}

__attribute__((weak)) u64 ktime_get_real_ns(void)
{
	return ktime_get_ns();
}
