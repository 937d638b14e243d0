// SPDX-License-Identifier: MIT
/*
 * capget, capset: Linux's ABI over Exo-OS's one privilege, euid 0.
 *
 * There are no per-process capability sets (cred_capabilities()): capget
 * reports all 41 capabilities as effective and permitted for euid 0 and
 * none otherwise, nothing inheritable, which is what Linux reports for a
 * process that never changed its sets. capset accepts only the sets a
 * process already has; dropping or raising one is EPERM rather than a
 * silent success, so a program that sandboxes itself learns it could not.
 *
 * Header checks are Linux's, in its order: an unknown version is EINVAL
 * with the kernel's preferred version written back (a NULL data pointer
 * then probes it), a negative pid EINVAL, a missing one ESRCH.
 */
#include <exo/cred.h>
#include <exo/sched.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/capability.h>
#include <uapi/errno.h>

/* How many 32-bit data structs @version carries; writes v3 back for an unknown one. */
static int cap_header_words(struct __user_cap_header_struct __user *header, unsigned int *words)
{
	u32 version;

	if (get_user(version, &header->version))
		return -EFAULT;
	switch (version) {
	case _LINUX_CAPABILITY_VERSION_1:
		*words = 1;
		return 0;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		*words = 2;
		return 0;
	default:
		if (put_user((u32)_LINUX_CAPABILITY_VERSION_3, &header->version))
			return -EFAULT;
		return -EINVAL;
	}
}

static void caps_to_data(u64 caps, struct __user_cap_data_struct data[2])
{
	for (int i = 0; i < 2; i++) {
		data[i].effective = (u32)(caps >> (32 * i));
		data[i].permitted = data[i].effective;
		data[i].inheritable = 0;
	}
}

/* The capabilities of process or thread @pid (0: the caller). */
static int caps_of(int pid, u64 *caps)
{
	unsigned long flags;
	struct task *t;

	if (pid == 0 || pid == current->pid) {
		*caps = cred_capabilities(&current->cred);
		return 0;
	}
	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid_locked(pid);
	if (t)
		*caps = cred_capabilities(&t->cred);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return t ? 0 : -ESRCH;
}

SYSCALL_DEFINE2(capget, struct __user_cap_header_struct __user *, header,
		struct __user_cap_data_struct __user *, dataptr)
{
	struct __user_cap_data_struct data[2];
	unsigned int words;
	int pid, err;
	u64 caps;

	err = cap_header_words(header, &words);
	if (err || !dataptr)
		return err;
	if (get_user(pid, &header->pid))
		return -EFAULT;
	if (pid < 0)
		return -EINVAL;
	err = caps_of(pid, &caps);
	if (err)
		return err;
	caps_to_data(caps, data);
	return copy_to_user(dataptr, data, words * sizeof(data[0])) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(capset, struct __user_cap_header_struct __user *, header,
		const struct __user_cap_data_struct __user *, data)
{
	struct __user_cap_data_struct want[2] = { 0 }, have[2];
	unsigned int words;
	int pid, err;

	err = cap_header_words(header, &words);
	if (err)
		return err;
	if (get_user(pid, &header->pid))
		return -EFAULT;
	/* Only the caller's own sets can be set (Linux: EPERM for another). */
	if (pid != 0 && pid != current->pid)
		return -EPERM;
	if (copy_from_user(want, data, words * sizeof(want[0])))
		return -EFAULT;
	/* A version-1 caller leaves the upper sets empty, as Linux reads it. */
	caps_to_data(cred_capabilities(&current->cred), have);
	for (unsigned int i = 0; i < 2; i++)
		if (want[i].effective != have[i].effective || want[i].permitted != have[i].permitted ||
		    want[i].inheritable != have[i].inheritable)
			return -EPERM;
	return 0;
}

bool capable_root(void)
{
	return current->cred.euid == 0;
}
