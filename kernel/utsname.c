// SPDX-License-Identifier: MIT
/*
 * uname, and the host and domain names sethostname/setdomainname change
 * (also /proc/sys/kernel/hostname, through uts_get/set_nodename).
 */
#include <exo/cred.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <exo/utsname.h>
#include <uapi/errno.h>
#include <uapi/utsname.h>

static char uts_nodename[__NEW_UTS_LEN + 1] = "exo";		/* [uts_lock] */
static char uts_domainname[__NEW_UTS_LEN + 1] = "(none)";	/* [uts_lock] */
static DEFINE_SPINLOCK(uts_lock);				/* leaf */

SYSCALL_DEFINE1(uname, struct new_utsname __user *, name)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, UTS_SYSNAME, sizeof(u.sysname));
	strlcpy(u.release, UTS_RELEASE, sizeof(u.release));
	strlcpy(u.version, UTS_VERSION, sizeof(u.version));
	strlcpy(u.machine, UTS_MACHINE, sizeof(u.machine));
	spin_lock(&uts_lock);
	strlcpy(u.nodename, uts_nodename, sizeof(u.nodename));
	strlcpy(u.domainname, uts_domainname, sizeof(u.domainname));
	spin_unlock(&uts_lock);
	return copy_to_user(name, &u, sizeof(u));
}

void uts_get_nodename(char *buf, size_t size)
{
	spin_lock(&uts_lock);
	strlcpy(buf, uts_nodename, size);
	spin_unlock(&uts_lock);
}

static int uts_set(char *dst, const char *name, size_t len)
{
	if (len > __NEW_UTS_LEN)
		return -EINVAL;
	spin_lock(&uts_lock);
	memcpy(dst, name, len);
	dst[len] = '\0';
	spin_unlock(&uts_lock);
	return 0;
}

int uts_set_nodename(const char *name, size_t len)
{
	return uts_set(uts_nodename, name, len);
}

static long set_uts_string(char *dst, const char __user *src, int len)
{
	char buf[__NEW_UTS_LEN + 1];

	if (!capable_root())
		return -EPERM;
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	if (copy_from_user(buf, src, len))
		return -EFAULT;
	return uts_set(dst, buf, (size_t)len);
}

SYSCALL_DEFINE2(sethostname, const char __user *, name, int, len)
{
	return set_uts_string(uts_nodename, name, len);
}

SYSCALL_DEFINE2(setdomainname, const char __user *, name, int, len)
{
	return set_uts_string(uts_domainname, name, len);
}
