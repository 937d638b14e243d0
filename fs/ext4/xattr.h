/* SPDX-License-Identifier: MIT */
/*
 * Extended attributes of ext4 inodes (fs/ext4/xattr.c): in the inode after
 * its extra fields, and in one xattr block (i_file_acl). Read-only.
 */
#ifndef _FS_EXT4_XATTR_H
#define _FS_EXT4_XATTR_H

#include <exo/types.h>

struct inode;

/* Bytes [@off, @off + @len) of the system.data value (inline data past i_block); zeros past it. */
int ext4_xattr_inline_data(struct inode *inode, u64 off, u8 *buf, size_t len);
/*
 * getxattr: the value of @name ("user.foo") into @buf (@size 0: just its
 * length). Its length, -ENODATA, -ERANGE, -EUCLEAN.
 */
ssize_t ext4_xattr_get(struct inode *inode, const char *name, void *buf, size_t size);
/* listxattr: the NUL-separated names into @buf (@size 0: the length needed); or -ERANGE. */
ssize_t ext4_xattr_list(struct inode *inode, char *buf, size_t size);

#endif /* _FS_EXT4_XATTR_H */
