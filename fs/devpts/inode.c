// SPDX-License-Identifier: MIT
/*
 * devpts: /dev/pts, the names of the pseudo-terminal slaves (see
 * include/exo/devpts.h for the interface and drivers/tty/pty.c for ptys).
 *
 * One instance, as devtmpfs: the kernel mounts it on /dev/pts at boot and
 * every mount shows the same tree; a mount's options (Linux's: uid=, gid=,
 * mode= for new slaves, default 0600; ptmxmode= for /dev/pts/ptmx, default
 * 0000; newinstance and max= are accepted) apply from then on. An unknown
 * option is EINVAL, as in Linux.
 *
 * The root is a directory with no dentries of its own: lookup makes a
 * dentry for "ptmx" or for the decimal index of a live slave from the
 * inode pty.c holds (so chmod/chown of /dev/pts/N, grantpt's, last as long
 * as the pty), and the dentry goes with its last dput(). Readdir cookies:
 * 0 ".", 1 "..", 2 "ptmx", 3 + N for slave N.
 *
 * Locking: devpts_lock (a spinlock, leaf) guards the options; lookups and
 * readdir call into pty.c, which takes pty_mutex.
 */
#include <exo/devpts.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/string.h>
#include <uapi/dirent.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "../internal.h"

#define DEVPTS_SUPER_MAGIC 0x1cd1
#define DEVPTS_ROOT_INO 1
#define DEVPTS_PTMX_INO 2
#define DEVPTS_FIRST_INO 3	/* slave N is inode 3 + N, as in Linux */
#define DEVPTS_PTMX_COOKIE 2
#define DEVPTS_NAME_LEN 16

struct devpts_options {
	bool set_uid, set_gid;
	u32 uid, gid;
	umode_t mode;		/* of new slaves */
	umode_t ptmxmode;
};

static struct devpts_options devpts_opts = { .mode = 0600, .ptmxmode = 0 };	/* [devpts_lock] */
static DEFINE_SPINLOCK(devpts_lock);
static struct super_block *devpts_sb;		/* [atomic] the instance, once mounted */
static struct inode *devpts_ptmx;		/* [immutable once devpts_sb is set] */

struct inode *devpts_pty_new(unsigned int index)
{
	struct super_block *sb = __atomic_load_n(&devpts_sb, __ATOMIC_ACQUIRE);
	const struct cred *cred = current_cred();
	struct devpts_options o;
	struct inode *inode;

	if (!sb)
		return ERR_PTR(-ENODEV);	/* Linux's ptmx without devpts */
	inode = new_inode(sb);
	if (IS_ERR(inode))
		return inode;
	spin_lock(&devpts_lock);
	o = devpts_opts;
	spin_unlock(&devpts_lock);
	inode->i_ino = DEVPTS_FIRST_INO + index;
	inode->i_uid = o.set_uid ? o.uid : cred->fsuid;
	inode->i_gid = o.set_gid ? o.gid : cred->fsgid;
	init_special_inode(inode, S_IFCHR | o.mode, MKDEV(UNIX98_PTY_SLAVE_MAJOR, index));
	return inode;
}

/* "ptmx" or a live slave's index; anything else stays a negative dentry. */
static int devpts_lookup(struct inode *dir, struct dentry *dentry)
{
	const char *name = dentry->d_name;
	struct inode *inode = NULL;
	unsigned long index;
	char *end;

	if (dentry->d_len == 4 && !memcmp(name, "ptmx", 4)) {
		inode = igrab(devpts_ptmx);
	} else if (name[0] >= '0' && name[0] <= '9' && (name[0] != '0' || dentry->d_len == 1)) {
		index = simple_strtoul(name, &end, 10);
		if (end == name + dentry->d_len && index <= 0xffffffffUL)
			inode = pty_devpts_inode((unsigned int)index);
	}
	if (inode)
		d_add(dentry, inode);
	return 0;
}

static int devpts_readdir(struct file *file, struct dir_context *ctx)
{
	char name[DEVPTS_NAME_LEN];
	int index, len;

	if (ctx->pos < 1) {
		if (!ctx->emit(ctx, ".", 1, 1, DEVPTS_ROOT_INO, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos < DEVPTS_PTMX_COOKIE) {
		/* devpts is mounted on /dev/pts: the parent is another file system's. */
		if (!ctx->emit(ctx, "..", 2, DEVPTS_PTMX_COOKIE, DEVPTS_ROOT_INO, DT_DIR))
			return 0;
		ctx->pos = DEVPTS_PTMX_COOKIE;
	}
	if (ctx->pos < DEVPTS_FIRST_INO) {
		if (!ctx->emit(ctx, "ptmx", 4, DEVPTS_FIRST_INO, DEVPTS_PTMX_INO, DT_CHR))
			return 0;
		ctx->pos = DEVPTS_FIRST_INO;
	}
	while ((index = pty_next_index((unsigned int)(ctx->pos - DEVPTS_FIRST_INO))) >= 0) {
		len = snprintf(name, sizeof(name), "%d", index);
		if (!ctx->emit(ctx, name, (unsigned int)len, DEVPTS_FIRST_INO + index + 1,
			       DEVPTS_FIRST_INO + (u64)index, DT_CHR))
			return 0;
		ctx->pos = DEVPTS_FIRST_INO + index + 1;
	}
	return 0;
}

static const struct inode_operations devpts_dir_iops = { .lookup = devpts_lookup };
static const struct file_operations devpts_dir_fops = {
	.iterate = devpts_readdir,
	.llseek = dir_cookie_llseek,
};

/* One "key=value" or "key" option in [@opt, @end) into @arg, a struct devpts_options. */
static int devpts_parse_one(void *arg, const char *opt, const char *end)
{
	struct devpts_options *o = arg;
	const char *eq = opt;
	unsigned long n = 0;
	char *num_end;
	size_t klen;

	while (eq < end && *eq != '=')
		eq++;
	klen = (size_t)(eq - opt);
	if (eq == end)
		eq = NULL;

#define KEY_IS(k) (klen == sizeof(k) - 1 && !memcmp(opt, k, klen))
	if (KEY_IS("newinstance") && !eq)
		return 0;	/* one instance here: every mount is the same tree */
	if (!eq || eq + 1 == end)
		return -EINVAL;
	n = simple_strtoul(eq + 1, &num_end, KEY_IS("mode") || KEY_IS("ptmxmode") ? 8 : 10);
	if (num_end != end)
		return -EINVAL;
	if (KEY_IS("uid") || KEY_IS("gid")) {
		if (n > 0xfffffffeUL)
			return -EINVAL;
		if (KEY_IS("uid")) {
			o->uid = (u32)n;
			o->set_uid = true;
		} else {
			o->gid = (u32)n;
			o->set_gid = true;
		}
	} else if (KEY_IS("mode")) {
		o->mode = (umode_t)(n & 0777);
	} else if (KEY_IS("ptmxmode")) {
		o->ptmxmode = (umode_t)(n & 0777);
	} else if (!KEY_IS("max")) {
		return -EINVAL;
	}
#undef KEY_IS
	return 0;
}

/* Linux's devpts defaults for what @data does not say. */
static int devpts_parse_options(const char *data, struct devpts_options *o)
{
	*o = (struct devpts_options){ .mode = 0600, .ptmxmode = 0 };
	return mount_options_parse(data, devpts_parse_one, o);
}

static struct super_block *devpts_fill_super(struct file_system_type *type)
{
	struct super_block *sb = sget_anon(type);
	struct inode *root, *ptmx;

	if (IS_ERR(sb))
		return sb;
	sb->s_magic = DEVPTS_SUPER_MAGIC;
	ptmx = new_inode(sb);
	if (IS_ERR(ptmx))
		return sb_set_root(sb, ptmx);
	ptmx->i_ino = DEVPTS_PTMX_INO;
	init_special_inode(ptmx, S_IFCHR | devpts_opts.ptmxmode, MKDEV(PTMX_MAJOR, PTMX_MINOR));
	devpts_ptmx = ptmx;
	root = new_inode(sb);
	if (!IS_ERR(root)) {
		root->i_ino = DEVPTS_ROOT_INO;
		root->i_mode = S_IFDIR | 0755;
		root->i_nlink = 2;
		root->i_op = &devpts_dir_iops;
		root->i_fop = &devpts_dir_fops;
	}
	return sb_set_root(sb, root);
}

static struct super_block *devpts_mount(struct file_system_type *type, unsigned long flags,
				       const char *data)
{
	struct super_block *sb = __atomic_load_n(&devpts_sb, __ATOMIC_ACQUIRE);
	struct devpts_options o;
	int err = devpts_parse_options(data, &o);

	if (err)
		return ERR_PTR(err);
	spin_lock(&devpts_lock);
	devpts_opts = o;
	spin_unlock(&devpts_lock);
	if (!sb) {
		/* The first mount is the kernel's at boot (fs/init.c): no race to lose. */
		sb = devpts_fill_super(type);
		if (IS_ERR(sb))
			return sb;
		__atomic_store_n(&devpts_sb, sb, __ATOMIC_RELEASE);
	}
	spin_lock(&devpts_ptmx->i_lock);
	devpts_ptmx->i_mode = S_IFCHR | o.ptmxmode;
	spin_unlock(&devpts_ptmx->i_lock);
	return sb;
}

static struct file_system_type devpts_fs_type = { .name = "devpts", .mount = devpts_mount };

int devpts_init(void)
{
	return register_filesystem(&devpts_fs_type);
}
