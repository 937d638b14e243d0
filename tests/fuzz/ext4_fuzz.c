// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the whole read-only ext4 driver (fs/ext4/ *.c: super
 * block and group descriptors, journal replay, inodes, extent trees and
 * indirect maps, directory blocks and htrees, inline data, xattrs,
 * symlinks, metadata_csum) on the host under ASan and UBSan. The input is
 * a disk image; each run mounts it as the kernel would, then walks it as
 * fswalk does in the guest: readdir of every directory, a lookup of every
 * name (and of names that are not there, through the htree), the data of
 * every regular file, symlink targets, xattr lists and values. Any outcome
 * is fine but a sanitizer report, a crash or a hang (libFuzzer's -timeout).
 *
 * The kernel around the driver is stood in for here: __bread() copies a
 * block of the input into its own heap buffer (so ASan bounds every block),
 * kmalloc() is malloc() (tests/fuzz/slab.h), inodes and dentries are plain
 * heap objects. super.c is #included for its static mount and unmount.
 *
 * Built by tests/Makefile (fuzz target, clang -fsanitize=fuzzer); run by
 * scripts/ext4_fuzz.py: make fuzz (FUZZ_SECONDS, default 600) and the host
 * test in make test (a short budget), with seeds made by mke2fs.
 */
#include <stdarg.h>

#include "../../fs/ext4/super.c"
#include "../../fs/internal.h"

/* libc, declared by hand: its headers' types (loff_t, dev_t) clash with the kernel's. */
void *malloc(unsigned long size);
void *calloc(unsigned long n, unsigned long size);
void *realloc(void *p, unsigned long size);
void free(void *p);
void abort(void) __attribute__((noreturn));
char *getenv(const char *name);
long write(int fd, const void *buf, unsigned long n);
int vsnprintf(char *buf, unsigned long size, const char *fmt, va_list ap);
int snprintf(char *buf, unsigned long size, const char *fmt, ...);

static void eprint(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0)
		write(2, buf, (unsigned long)n);
}

/* ---- the host's stand-ins for the kernel ------------------------------- */

unsigned long host_direct_map_base;
unsigned int host_cpu_id;
static long fake_task[64];
struct task *host_current = (struct task *)fake_task;
int host_irqs_off;
u64 jiffies;
struct page *mem_map;

void *kmalloc(size_t size, gfp_t gfp)
{
	return (gfp & __GFP_ZERO) ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return calloc(1, size ? size : 1);
}

void *krealloc(const void *p, size_t size, gfp_t gfp)
{
	return realloc((void *)p, size ? size : 1);
}

void kfree(const void *p)
{
	free((void *)p);
}

void *vzalloc(unsigned long size)
{
	return calloc(1, size ? size : 1);
}

void vfree(const void *p)
{
	free((void *)p);
}

static int verbose;

int printk(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return 0;
	va_start(ap, fmt);
	eprint(fmt, ap);
	va_end(ap);
	return 0;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	eprint(fmt, ap);
	va_end(ap);
	abort();
}

void __warn(const char *file, int line, const char *cond)
{
	panic("WARN_ON(%s) at %s:%d\n", cond, file, line);
}

void lockdep_acquire(struct lockdep_map *map, const void *lock, unsigned int subclass,
		     unsigned int flags, unsigned int kind) { }
void lockdep_release(struct lockdep_map *map, const void *lock, unsigned int kind) { }
void lockdep_spin_acquire(struct lockdep_map *map, const void *lock, unsigned int subclass) { }
void lockdep_spin_release(struct lockdep_map *map, const void *lock) { }
void lockdep_might_sleep(const char *file, int line) { }
void init_waitqueue_head(struct wait_queue_head *wq) { }

void mutex_lock_slowpath(struct mutex *m)
{
	panic("ext4 fuzz: a mutex taken twice on one thread");
}

void mutex_unlock(struct mutex *m)
{
	__atomic_store_n(&m->owner, NULL, __ATOMIC_RELEASE);
}

/* The disk: the fuzz input, whole 512-byte sectors of it. */
static const u8 *disk;
static struct gendisk fake_disk;
static struct request_queue fake_queue;
static struct block_device fake_bdev = { .bd_name = "fuzz", .bd_disk = &fake_disk };
static struct inode fake_dev_inode = { .i_mode = S_IFBLK | 0600 };
static struct dentry fake_dev_dentry = { .d_inode = &fake_dev_inode };

int kern_path(const char *name, struct path *out)
{
	out->mnt = NULL;
	out->dentry = &fake_dev_dentry;
	return 0;
}

void path_put(const struct path *p) { }

struct block_device *blkdev_get_by_dev(u32 dev)
{
	return &fake_bdev;
}

struct buffer_head *__bread(struct block_device *bdev, sector_t block, unsigned int size)
{
	struct buffer_head *bh;
	u64 pos = block * size;

	if (size < 512 || size > PAGE_SIZE || (size & (size - 1)))
		return ERR_PTR(-EINVAL);
	if (pos / size != block || pos + size > bdev_nr_bytes(bdev))
		return ERR_PTR(-ENXIO);
	bh = calloc(1, sizeof(*bh));
	bh->b_bdev = bdev;
	bh->b_blocknr = block;
	bh->b_size = size;
	bh->b_data = malloc(size);	/* exactly the block: ASan bounds it */
	bh->b_page = (struct page *)bh;	/* not NULL: a device block (jbd2_brelse()) */
	memcpy(bh->b_data, disk + pos, size);
	return bh;
}

void bdev_readahead_range(struct block_device *bdev, u64 pos, u64 len) { }
void blk_start_plug(struct blk_plug *plug) { }
void blk_finish_plug(struct blk_plug *plug) { }

/*
 * File read-ahead (ext4_file_readahead) builds bios of file pages straight
 * from the blocks it maps. Here each page it would read is checked: inside
 * the image, and the same bytes the buffer-cache path (ext4_read_data)
 * gives for that page, else abort() (a libFuzzer crash).
 */
static struct page ra_page;
static struct inode *ra_inode;
static unsigned long ra_index;
static u8 *ra_buf;

struct page *readahead_lock_page(struct address_space *mapping, unsigned long index)
{
	ra_index = index;
	return &ra_page;
}

bool ra_bio_add(struct ra_bio *rb, struct page *page, sector_t sector, unsigned int bytes,
		unsigned int valid, bool mark)
{
	u64 pos = sector * SECTOR_SIZE;

	if (pos / SECTOR_SIZE != sector || bytes > PAGE_SIZE || valid > bytes ||
	    pos + bytes > bdev_nr_bytes(rb->bdev) || pos + bytes < pos) {
		printk("ra_bio_add: page %lu: %u bytes at sector %llu, outside the image\n",
		       ra_index, bytes, (unsigned long long)sector);
		abort();
	}
	if (!ext4_read_data(ra_inode, (u64)ra_index * PAGE_SIZE, ra_buf, valid) &&
	    memcmp(ra_buf, disk + pos, valid)) {
		printk("ra_bio_add: page %lu: read-ahead and ext4_read_data disagree\n", ra_index);
		abort();
	}
	return true;
}

void ra_bio_submit(struct ra_bio *rb) { }
void memcpy_large(void *dst, const void *src, size_t n) { memcpy(dst, src, n); }

void brelse(struct buffer_head *bh)
{
	if (bh && !IS_ERR(bh)) {
		free(bh->b_data);
		free(bh);
	}
}

struct super_block *sget_anon(struct file_system_type *type)
{
	struct super_block *sb = calloc(1, sizeof(*sb));

	sb->s_type = type;
	return sb;
}

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode = calloc(1, sizeof(*inode));

	inode->i_sb = sb;
	inode->i_data.host = inode;
	inode->i_count = 1;
	inode->i_nlink = 1;
	return inode;
}

void iput(struct inode *inode)
{
	if (!inode || --inode->i_count > 0)
		return;
	if (inode->i_sb->s_op && inode->i_sb->s_op->evict_inode)
		inode->i_sb->s_op->evict_inode(inode);
	free(inode->i_link);
	free(inode);
}

void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev)
{
	inode->i_mode = mode;
	inode->i_rdev = rdev;
}

static struct dentry *new_dentry(const char *name, unsigned int len)
{
	struct dentry *d = calloc(1, sizeof(*d));

	d->d_name = d->d_iname;
	if (len >= DNAME_INLINE_LEN)
		d->d_name = malloc(len + 1);
	memcpy(d->d_name, name, len);
	d->d_name[len] = '\0';
	d->d_len = len;
	d->d_count = 1;
	return d;
}

struct super_block *sb_set_root(struct super_block *sb, struct inode *root)
{
	if (IS_ERR(root)) {
		free(sb);
		return ERR_CAST(root);
	}
	sb->s_root = new_dentry("/", 1);
	sb->s_root->d_inode = root;
	sb->s_root->d_sb = sb;
	return sb;
}

void d_add(struct dentry *dentry, struct inode *inode)
{
	dentry->d_inode = inode;
}

void d_keep(struct dentry *dentry) { }
void d_drop_tree(struct dentry *root) { }

/* The last reference (dput() in <exo/dcache.h> drops the others inline). */
void __dput(struct dentry *d)
{
	if (!d || --d->d_count > 0)
		return;
	iput(d->d_inode);
	if (d->d_name != d->d_iname)
		free(d->d_name);
	free(d);
}

int register_filesystem(struct file_system_type *fs) { return 0; }
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence) { return -EINVAL; }
ssize_t generic_file_read_iter(struct file *file, struct iov_iter *to, loff_t *pos)
{
	return -EINVAL;
}
int filemap_fault(struct file *file, unsigned long pgoff, struct page **out)
{
	return -EINVAL;
}

/* ---- the walk ------------------------------------------------------------ */

#define MAX_ENTRIES 512		/* per image: enough for every seed's tree */
#define MAX_NAMES 128		/* per directory */
#define MAX_DEPTH 8
#define READ_MAX (256 * 1024)	/* bytes of each regular file */

struct names {
	struct dir_context ctx;
	unsigned int n;
	char name[MAX_NAMES][256];
	unsigned char len[MAX_NAMES];
};

static bool collect(struct dir_context *ctx, const char *name, unsigned int len, loff_t off,
		    u64 ino, unsigned int type)
{
	struct names *n = (struct names *)ctx;

	if (n->n == MAX_NAMES || len > 255)
		return false;
	memcpy(n->name[n->n], name, len);
	n->len[n->n++] = (unsigned char)len;
	return true;
}

static unsigned int budget;
static u8 *readbuf;

static void visit_inode(struct inode *inode)
{
	static char xbuf[65536];
	ssize_t n;

	if (inode->i_op && inode->i_op->disk_blocks)
		(void)inode->i_op->disk_blocks(inode);
	if (S_ISLNK(inode->i_mode) && inode->i_op->get_link) {
		const char *t = inode->i_op->get_link(inode, xbuf, sizeof(xbuf));

		if (!IS_ERR(t) && t)
			(void)strlen(t);
	}
	if (S_ISREG(inode->i_mode) && inode->i_size > 0) {
		size_t len = inode->i_size < READ_MAX ? (size_t)inode->i_size : READ_MAX;

		(void)ext4_read_data(inode, 0, readbuf, len);
		ra_inode = inode;
		inode->i_data.a_ops->readahead(&inode->i_data, 0, len / PAGE_SIZE + 1, ~0UL);
		if (inode->i_size > READ_MAX)
			inode->i_data.a_ops->readahead(&inode->i_data,
						       (unsigned long)((inode->i_size - 1) / PAGE_SIZE),
						       1, ~0UL);
		if (inode->i_size > READ_MAX)	/* and the last bytes, far out in the tree */
			(void)ext4_read_data(inode, (u64)inode->i_size - 4096, readbuf, 4096);
	}
	n = ext4_xattr_list(inode, xbuf, sizeof(xbuf));
	for (ssize_t off = 0; n > 0 && off < n;) {
		static char val[65536];
		size_t l = strnlen(xbuf + off, (size_t)(n - off));

		if (off + (ssize_t)l >= n)
			break;
		(void)ext4_xattr_get(inode, xbuf + off, val, sizeof(val));
		(void)ext4_xattr_get(inode, xbuf + off, NULL, 0);
		off += (ssize_t)l + 1;
	}
	(void)ext4_xattr_get(inode, "user.absent", xbuf, sizeof(xbuf));
}

static void walk(struct dentry *dir, int depth)
{
	struct names *names = calloc(1, sizeof(*names));
	struct file file = { .f_inode = dir->d_inode };
	struct inode *di = dir->d_inode;

	names->ctx.emit = collect;
	/* Twice: the second continues from the cookie where a full buffer would stop. */
	if (di->i_fop && di->i_fop->iterate) {
		di->i_fop->iterate(&file, &names->ctx);
		di->i_fop->iterate(&file, &names->ctx);
	}
	for (unsigned int i = 0; i < names->n + 2 && budget; i++) {
		char absent[32];
		const char *name = i < names->n ? names->name[i] : absent;
		unsigned int len = i < names->n ? names->len[i] : 0;
		struct dentry *d;

		if (i >= names->n)
			len = (unsigned int)snprintf(absent, sizeof(absent), "absent-%u", i);
		if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
			continue;
		budget--;
		d = new_dentry(name, len);
		d->d_sb = dir->d_sb;
		if (di->i_op && di->i_op->lookup && di->i_op->lookup(di, d) == 0 && d->d_inode) {
			visit_inode(d->d_inode);
			if (S_ISDIR(d->d_inode->i_mode) && depth < MAX_DEPTH)
				walk(d, depth + 1);
		}
		dput(d);
	}
	free(names);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	verbose = getenv("EXT4_FUZZ_VERBOSE") != NULL;
	fake_queue.limits.logical_block_size = 512;
	fake_disk.queue = &fake_queue;
	readbuf = malloc(READ_MAX);
	ra_buf = malloc(PAGE_SIZE);
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct super_block *sb;
	static const char *const opts[] = { NULL, "noload" };

	if (size < 2048)
		return 0;
	disk = data;
	fake_bdev.bd_nr_sectors = size / 512;
	/* The option comes from the input too: replay and noload both get fuzzed. */
	sb = ext4_mount_dev(&ext4_fs_type, MS_SILENT, "/dev/fuzz", opts[data[size - 1] & 1]);
	if (IS_ERR(sb))
		return 0;
	budget = MAX_ENTRIES;
	walk(sb->s_root, 0);
	{
		struct statfs st;

		if (sb->s_op->statfs)
			sb->s_op->statfs(sb, &st);
	}
	ext4_kill_sb(sb);
	return 0;
}
