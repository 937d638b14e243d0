// SPDX-License-Identifier: MIT
/*
 * Generated files. A /proc file is one show() function that prints its
 * whole content into a struct seq_file; the read side serves any offset and
 * size from that text.
 *
 * The text is built on the first read and again on every read at offset 0
 * (so "lseek(fd, 0); read" sees fresh values, as top and uptime expect),
 * and kept until then, so a reader going through the file in small pieces
 * sees one consistent snapshot and the same bytes as one big read. When
 * show() overflows the buffer, it is run again with twice the space, up to
 * SEQ_MAX_SIZE. Linux's seq_file regenerates per read() and walks records;
 * whole-file snapshots are simpler and no /proc file here is large.
 *
 * Locking: the snapshot belongs to the open file; f_lock guards it against
 * two readers sharing the file (one may rebuild while the other copies out,
 * so they copy under no lock but each from the buffer it got a reference
 * of: a snapshot is freed only when no reader holds it).
 */
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/vmalloc.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>
#include "internal.h"

#define SEQ_MAX_SIZE	(4UL << 20)
#define SEQ_KMALLOC_MAX	(8 * PAGE_SIZE)		/* larger snapshots come from vmalloc */
#define PROC_WRITE_MAX	PAGE_SIZE

/* One generated text; readers hold references while copying out of it. */
struct seq_snapshot {
	int refs;			/* [atomic] the open file's + readers' */
	size_t len;
	size_t size;
	char *buf;
};

static char *seq_buf_alloc(size_t size, gfp_t gfp)
{
	return size <= SEQ_KMALLOC_MAX ? kmalloc(size, gfp) : vmalloc(size);
}

static void seq_buf_free(char *buf, size_t size)
{
	if (size <= SEQ_KMALLOC_MAX)
		kfree(buf);
	else
		vfree(buf);
}

static void snapshot_put(struct seq_snapshot *s)
{
	if (s && __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		seq_buf_free(s->buf, s->size);
		kfree(s);
	}
}

/* Runs show() into a buffer big enough; the new snapshot or ERR_PTR. */
static struct seq_snapshot *seq_build(struct file *file)
{
	const struct proc_entry *e = PROC_I(file->f_inode)->entry;
	struct seq_snapshot *s;
	size_t size = PAGE_SIZE;
	/* Reading fail-nth must not count as one of the allocations it counts. */
	gfp_t gfp = (e->flags & PROC_NOFAULT) ? __GFP_NOFAULT : GFP_KERNEL;
	int err;

	s = kzalloc(sizeof(*s), gfp);
	if (!s)
		return ERR_PTR(-ENOMEM);
	for (;;) {
		struct seq_file m = { .size = size, .file = file, .inode = file->f_inode };

		m.buf = seq_buf_alloc(size, gfp);
		if (!m.buf) {
			err = -ENOMEM;
			break;
		}
		err = e->show(&m);
		if (!err && m.overflow) {
			seq_buf_free(m.buf, size);
			size <<= 1;
			if (size > SEQ_MAX_SIZE) {
				err = -EFBIG;
				break;
			}
			continue;
		}
		if (err) {
			seq_buf_free(m.buf, size);
			break;
		}
		s->buf = m.buf;
		s->size = size;
		s->len = m.count;
		s->refs = 1;
		return s;
	}
	kfree(s);
	return ERR_PTR(err);
}

static int proc_seq_open(struct inode *inode, struct file *file)
{
	struct proc_inode *pi = PROC_I(inode);

	if (pi->pid && (pi->entry->flags & PROC_PTRACE)) {
		struct task *t = proc_get_task(pi->pid, true);

		if (IS_ERR(t))
			return (int)PTR_ERR(t);
		put_task(t);
	}
	if ((file->f_mode & FMODE_WRITE) && !pi->entry->write)
		return -EACCES;
	file->private_data = NULL;
	return 0;
}

static int proc_seq_release(struct inode *inode, struct file *file)
{
	snapshot_put(file->private_data);
	return 0;
}

static ssize_t proc_seq_read_iter(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct seq_snapshot *s, *old = NULL;
	size_t n = 0;

	if (!PROC_I(file->f_inode)->entry->show)
		return -EINVAL;
	spin_lock(&file->f_lock);
	s = file->private_data;
	if (s)
		__atomic_fetch_add(&s->refs, 1, __ATOMIC_RELAXED);
	spin_unlock(&file->f_lock);
	if (!s || *pos == 0) {
		snapshot_put(s);
		s = seq_build(file);
		if (IS_ERR(s))
			return PTR_ERR(s);
		__atomic_fetch_add(&s->refs, 1, __ATOMIC_RELAXED);	/* ours; the file has the first */
		spin_lock(&file->f_lock);
		old = file->private_data;
		file->private_data = s;
		spin_unlock(&file->f_lock);
		snapshot_put(old);
	}
	if (*pos >= 0 && (size_t)*pos < s->len) {
		n = copy_to_iter(s->buf + *pos, s->len - (size_t)*pos, to);
		if (!n) {
			snapshot_put(s);
			return -EFAULT;
		}
		*pos += (loff_t)n;
	}
	snapshot_put(s);
	return (ssize_t)n;
}

static ssize_t proc_seq_write_iter(struct file *file, struct iov_iter *from, loff_t *pos)
{
	const struct proc_entry *e = PROC_I(file->f_inode)->entry;
	size_t len = min(from->count, (size_t)PROC_WRITE_MAX);
	ssize_t ret;
	char *buf;

	if (!e->write)
		return -EINVAL;
	buf = kmalloc(len + 1, (e->flags & PROC_NOFAULT) ? __GFP_NOFAULT : GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (copy_from_iter(buf, len, from) != len) {
		kfree(buf);
		return -EFAULT;
	}
	buf[len] = '\0';
	ret = e->write(file, buf, len);
	if (ret > 0)
		*pos += ret;
	kfree(buf);
	return ret;
}

/* Linux's seq_lseek: SEEK_SET and SEEK_CUR only, the size being unknown. */
static loff_t proc_seq_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t pos;

	spin_lock(&file->f_lock);
	if (whence == SEEK_CUR)
		offset += file->f_pos;
	if (whence != SEEK_SET && whence != SEEK_CUR) {
		pos = -EINVAL;
	} else if (offset < 0) {
		pos = -EINVAL;
	} else {
		file->f_pos = offset;
		pos = offset;
	}
	spin_unlock(&file->f_lock);
	return pos;
}

const struct file_operations proc_seq_fops = {
	.open = proc_seq_open,
	.release = proc_seq_release,
	.read_iter = proc_seq_read_iter,
	.write_iter = proc_seq_write_iter,
	.llseek = proc_seq_llseek,
};
