// SPDX-License-Identifier: MIT
/*
 * Inodes: allocation, reference counting, eviction, link counts, and the
 * permission check every path walk and open makes.
 *
 * An inode lives while i_count > 0 (dentries, open files through their
 * dentries, the page cache's users). When the last reference goes and
 * i_nlink is 0, the inode is evicted: its pages leave the page cache (each
 * page is freed when nobody else, e.g. a mapping, holds it) and the file
 * system frees its private part. Memory file systems keep linked inodes
 * alive through their pinned dentries.
 *
 * Lock order: inode->i_lock, then inode->i_data.lock.
 */
#include <exo/fs.h>
#include <exo/cred.h>
#include <exo/mm.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/blkdev.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "internal.h"

static struct kmem_cache *inode_cachep;

struct timespec64 current_time(void)
{
	u64 ns = ktime_get_real_ns();

	return (struct timespec64){ .tv_sec = (s64)(ns / NSEC_PER_SEC),
				    .tv_nsec = (long)(ns % NSEC_PER_SEC) };
}

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode;

	if (!inode_cachep) {
		inode_cachep = kmem_cache_create("inode", sizeof(struct inode), 0, 0, NULL);
		if (IS_ERR(inode_cachep)) {
			inode_cachep = NULL;
			return ERR_PTR(-ENOMEM);
		}
	}
	inode = kmem_cache_zalloc(inode_cachep, GFP_KERNEL);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&inode->i_lock);
	init_rwsem(&inode->i_rwsem);
	spin_lock_init(&inode->i_data.lock);
	inode->i_data.host = inode;
	inode->i_sb = sb;
	inode->i_ino = __atomic_add_fetch(&sb->s_next_ino, 1, __ATOMIC_RELAXED);
	inode->i_count = 1;
	inode->i_nlink = 1;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
	return inode;
}

struct inode *igrab(struct inode *inode)
{
	__atomic_fetch_add(&inode->i_count, 1, __ATOMIC_RELAXED);
	return inode;
}

static void evict(struct inode *inode)
{
	truncate_inode_pages(&inode->i_data, 0);
	if (inode->i_sb->s_op && inode->i_sb->s_op->evict_inode)
		inode->i_sb->s_op->evict_inode(inode);
	kfree(inode->i_link);
	kmem_cache_free(inode_cachep, inode);
}

/*
 * Without an LRU of unused inodes, an inode whose last reference goes is
 * always evicted; memory file systems hold a reference through the pinned
 * dentry of every link, so only unlinked inodes get here.
 */
void iput(struct inode *inode)
{
	if (!inode)
		return;
	if (__atomic_sub_fetch(&inode->i_count, 1, __ATOMIC_ACQ_REL) == 0)
		evict(inode);
}

void inc_nlink(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	inode->i_nlink++;
	spin_unlock(&inode->i_lock);
}

void drop_nlink(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	WARN_ON(inode->i_nlink == 0);
	if (inode->i_nlink)
		inode->i_nlink--;
	inode->i_ctime = current_time();
	spin_unlock(&inode->i_lock);
}

void inode_touch_mc(struct inode *inode)
{
	struct timespec64 now = current_time();

	spin_lock(&inode->i_lock);
	inode->i_mtime = inode->i_ctime = now;
	spin_unlock(&inode->i_lock);
}

/* A socket file is reached with connect(), not open(): Linux's bad_sock_fops says ENXIO. */
static int sock_file_open(struct inode *inode, struct file *file)
{
	return -ENXIO;
}

static const struct file_operations bad_sock_fops = { .open = sock_file_open };

void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev)
{
	inode->i_mode = mode;
	if (S_ISCHR(mode)) {
		inode->i_fop = &def_chr_fops;
		inode->i_rdev = rdev;
	} else if (S_ISFIFO(mode)) {
		inode->i_fop = &pipefifo_fops;
	} else if (S_ISSOCK(mode)) {
		inode->i_fop = &bad_sock_fops;
	} else if (S_ISBLK(mode)) {
		inode->i_rdev = rdev;
#ifdef CONFIG_BLOCK
		inode->i_fop = &def_blk_fops;	/* ENXIO unless a disk has that number */
#endif
	}
}

int inode_permission(const struct cred *cred, struct inode *inode, int mask)
{
	umode_t mode;
	u32 uid, gid, fsuid, fsgid;
	unsigned int bits;

	spin_lock(&inode->i_lock);
	mode = inode->i_mode;
	uid = inode->i_uid;
	gid = inode->i_gid;
	spin_unlock(&inode->i_lock);

	fsuid = (mask & MAY_ACCESS) ? cred->uid : cred->fsuid;
	fsgid = (mask & MAY_ACCESS) ? cred->gid : cred->fsgid;
	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;

	if (fsuid == 0) {
		/* CAP_DAC_OVERRIDE: everything but executing a file nobody may execute. */
		if ((mask & MAY_EXEC) && !S_ISDIR(mode) && !(mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
			return -EACCES;
		return 0;
	}
	if (fsuid == uid)
		bits = (mode >> 6) & 7;
	else if (fsgid == gid)
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	return (mask & ~bits) ? -EACCES : 0;
}
