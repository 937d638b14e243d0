/* SPDX-License-Identifier: MIT */
/* AF_UNIX addresses (linux/un.h). */
#ifndef _UAPI_UN_H
#define _UAPI_UN_H

#include <uapi/socket.h>

#define UNIX_PATH_MAX	108

/*
 * sun_path is a file name (NUL-terminated within the address length), an
 * abstract name (sun_path[0] == 0: the remaining bytes of the address
 * length, NULs included), or absent (address length sizeof(sa_family_t)).
 */
struct sockaddr_un {
	sa_family_t sun_family;
	char sun_path[UNIX_PATH_MAX];
};

#endif /* _UAPI_UN_H */
