// SPDX-License-Identifier: MIT
/*
 * Unpacks a newc ("070701") cpio archive into a directory of the tmpfs
 * root: the initramfs the boot loader passes as module 0.
 *
 * newc layout: a 110-byte ASCII header (magic and 13 eight-digit hex
 * fields: ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
 * rdevmajor, rdevminor, namesize, check), the NUL-terminated name padded so
 * header + name is a multiple of 4, then filesize bytes of data padded to 4.
 * "TRAILER!!!" ends the archive; zero padding may follow.
 *
 * The archive is untrusted input: every field is checked against the bytes
 * that remain before it is used, names must be NUL-terminated, shorter than
 * PATH_MAX and free of ".." components. The first malformed entry stops
 * unpacking with -EINVAL and an error in the log; what was unpacked stays.
 * Directories, regular files, symlinks, device nodes and FIFOs are made;
 * other types are skipped with a warning. Modes, owners and mtimes are kept.
 *
 * The module's memory stays reserved after unpacking (it is memblock-
 * reserved and would need a free_reserved_area() from mm to go back).
 */
#include <exo/fs.h>
#include <exo/bootinfo.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include "internal.h"

#define CPIO_HDR_LEN 110
#define CPIO_NFIELDS 13

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJ, F_DEVMIN,
       F_RDEVMAJ, F_RDEVMIN, F_NAMESIZE, F_CHECK };

static int parse_hex8(const char *s, u32 *out)
{
	u32 v = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];
		u32 d;

		if (c >= '0' && c <= '9')
			d = (u32)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (u32)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (u32)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static bool name_is_safe(const char *name)
{
	const char *p = name;

	while (*p) {
		const char *e = p;

		while (*e && *e != '/')
			e++;
		if (e - p == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p = *e ? e + 1 : e;
	}
	return true;
}

static int write_file(int dfd, const char *name, umode_t mode, const char *data, size_t size)
{
	struct file *f = do_filp_openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, mode & 07777);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	n = size ? kernel_write(f, data, size, &pos) : 0;
	fput(f);
	if (n < 0)
		return (int)n;
	return (size_t)n == size ? 0 : -EIO;
}

static int make_entry(int dfd, const char *name, const u32 *h, const char *data)
{
	umode_t mode = (umode_t)h[F_MODE];
	size_t size = h[F_FILESIZE];
	char *target;
	int err;

	switch (mode & S_IFMT) {
	case S_IFDIR:
		err = do_mkdirat(dfd, name, mode & 07777);
		if (err == -EEXIST)
			err = 0;
		break;
	case S_IFREG:
		err = write_file(dfd, name, mode, data, size);
		break;
	case S_IFLNK:
		if (!size || size >= PATH_MAX)
			return -EINVAL;
		target = kmalloc(size + 1, GFP_KERNEL);
		if (!target)
			return -ENOMEM;
		memcpy(target, data, size);
		target[size] = '\0';
		err = do_symlinkat(target, dfd, name);
		kfree(target);
		return err;	/* a symlink's mode and owner do not matter */
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		err = do_mknodat(dfd, name, mode, MKDEV(h[F_RDEVMAJ], h[F_RDEVMIN]));
		break;
	default:
		pr_warn("initramfs: %s: unknown file type %#o, skipped\n", name, mode & S_IFMT);
		return 0;
	}
	if (err)
		return err;
	/* Exact mode (no umask), owner and mtime, as the archive says. */
	err = do_fchmodat(dfd, name, mode & 07777, 0);
	if (!err)
		err = do_fchownat(dfd, name, h[F_UID], h[F_GID], AT_SYMLINK_NOFOLLOW);
	if (!err) {
		struct timespec64 t[2] = { { .tv_sec = h[F_MTIME] }, { .tv_sec = h[F_MTIME] } };

		err = do_utimensat(dfd, name, t, AT_SYMLINK_NOFOLLOW);
	}
	return err;
}

static int unpack_into(int dfd, const char *buf, size_t size)
{
	size_t off = 0;
	unsigned int entries = 0;

	for (;;) {
		u32 h[CPIO_NFIELDS];
		const char *name, *data;
		size_t name_end, data_off, data_end;
		int err;

		/* Zero padding between and after archives. */
		while (off < size && buf[off] == '\0')
			off++;
		if (off == size) {
			pr_err("initramfs: archive ends without a trailer\n");
			return -EINVAL;
		}
		if (size - off < CPIO_HDR_LEN) {
			pr_err("initramfs: truncated header at offset %zu\n", off);
			return -EINVAL;
		}
		if (memcmp(buf + off, "070701", 6) && memcmp(buf + off, "070702", 6)) {
			pr_err("initramfs: bad magic at offset %zu\n", off);
			return -EINVAL;
		}
		for (int i = 0; i < CPIO_NFIELDS; i++) {
			if (parse_hex8(buf + off + 6 + 8 * i, &h[i])) {
				pr_err("initramfs: bad header field %d at offset %zu\n", i, off);
				return -EINVAL;
			}
		}
		if (h[F_NAMESIZE] == 0 || h[F_NAMESIZE] > PATH_MAX ||
		    h[F_NAMESIZE] > size - off - CPIO_HDR_LEN) {
			pr_err("initramfs: name size %u at offset %zu runs past the archive\n",
			       h[F_NAMESIZE], off);
			return -EINVAL;
		}
		name = buf + off + CPIO_HDR_LEN;
		name_end = off + CPIO_HDR_LEN + h[F_NAMESIZE];
		if (name[h[F_NAMESIZE] - 1] != '\0' || strlen(name) != h[F_NAMESIZE] - 1) {
			pr_err("initramfs: malformed name at offset %zu\n", off);
			return -EINVAL;
		}
		data_off = ALIGN(name_end, 4);
		if (data_off > size || h[F_FILESIZE] > size - data_off) {
			pr_err("initramfs: %s: file size %u runs past the archive\n", name,
			       h[F_FILESIZE]);
			return -EINVAL;
		}
		data = buf + data_off;
		data_end = data_off + h[F_FILESIZE];
		off = ALIGN(data_end, 4);
		if (off > size)
			off = size;
		if (!strcmp(name, "TRAILER!!!"))
			break;
		while (name[0] == '.' && name[1] == '/')
			name += 2;
		while (name[0] == '/')
			name++;
		if (!name[0] || !strcmp(name, "."))
			continue;
		if (!name_is_safe(name)) {
			pr_err("initramfs: %s: \"..\" in a name\n", name);
			return -EINVAL;
		}
		err = make_entry(dfd, name, h, data);
		if (err) {
			pr_err("initramfs: %s: error %d\n", name, err);
			return err;
		}
		entries++;
	}
	pr_info("initramfs: unpacked %u entries\n", entries);
	return 0;
}

int initramfs_unpack(const void *data, size_t size, const struct path *root)
{
	struct files_struct *files = current_files();
	struct file *dir;
	int dfd, err;

	dir = alloc_file(root, O_RDONLY | O_DIRECTORY, root->dentry->d_inode->i_fop);
	if (IS_ERR(dir))
		return (int)PTR_ERR(dir);
	dfd = fd_install_new(files, dir, O_CLOEXEC);
	if (dfd < 0) {
		fput(dir);
		return dfd;
	}
	err = unpack_into(dfd, data, size);
	close_fd(files, (unsigned int)dfd);
	return err;
}

int initramfs_unpack_boot(const struct path *root)
{
	const struct boot_module *m = &boot_info.modules[0];

	if (!boot_info.nr_modules || m->end <= m->start) {
		pr_warn("initramfs: none given\n");
		return 0;
	}
	return initramfs_unpack(phys_to_virt(m->start), (size_t)(m->end - m->start), root);
}
