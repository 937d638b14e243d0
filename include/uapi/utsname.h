/* SPDX-License-Identifier: MIT */
/* struct new_utsname (Linux include/uapi/linux/utsname.h): what uname(2) fills. */
#ifndef _UAPI_UTSNAME_H
#define _UAPI_UTSNAME_H

#define __NEW_UTS_LEN 64

struct new_utsname {
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};

#endif /* _UAPI_UTSNAME_H */
