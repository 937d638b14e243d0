// SPDX-License-Identifier: MIT
/*
 * ext4 extended attributes, read-only. Two places hold them: the inode's
 * tail after i_extra_isize (a magic word, then entries whose values sit
 * after the entries, offsets counted from the first entry) and one block
 * (a 32-byte header, entries, values at offsets from the block's start).
 * An entry: name length, name index (the prefix: 1 "user.", 4
 * "trusted.", 6 "security.", 7 "system."), value offset, value inode
 * (ea_inode: not read here), value size, hash, then the name.
 *
 * Every entry and value is checked against its area before use.
 */
#include <exo/buffer_head.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "ext4.h"
#include "xattr.h"

#define EXT4_XATTR_MAGIC	0xEA020000U
#define XATTR_ENTRY_HDR		16
#define XATTR_BLOCK_HDR		32
#define XATTR_INDEX_USER	1
#define XATTR_INDEX_TRUSTED	4
#define XATTR_INDEX_SECURITY	6
#define XATTR_INDEX_SYSTEM	7

static const char *xattr_prefix(unsigned int index)
{
	switch (index) {
	case XATTR_INDEX_USER:
		return "user.";
	case XATTR_INDEX_TRUSTED:
		return "trusted.";
	case XATTR_INDEX_SECURITY:
		return "security.";
	case XATTR_INDEX_SYSTEM:
		return "system.";
	default:
		return NULL;	/* POSIX ACLs (2, 3) need converting: not offered */
	}
}

struct xattr_entry {
	unsigned int index;
	const char *name;
	unsigned int name_len;
	const u8 *value;
	u32 value_size;
};

/*
 * Calls @fn on each entry of the area [@start, @end) whose values are at
 * offsets from @vbase; stops when @fn returns non-zero and returns that.
 */
typedef int (*xattr_fn)(void *arg, const struct xattr_entry *e);

static int xattr_walk(struct ext4_sb_info *s, const u8 *start, const u8 *end, const u8 *vbase,
		      xattr_fn fn, void *arg)
{
	for (const u8 *p = start; p + 4 <= end && get_le32(p) != 0;) {
		struct xattr_entry e;
		u32 voff, vsize;
		int r;

		if (p + XATTR_ENTRY_HDR > end || p + XATTR_ENTRY_HDR + p[0] > end)
			return ext4_error(s, "xattr entry past its area");
		voff = get_le16(p + 2);
		vsize = get_le32(p + 8);
		if (get_le32(p + 4) == 0 && (vbase + voff > end || vsize > (u32)(end - vbase - voff)))
			return ext4_error(s, "xattr value outside its area");
		e.index = p[1];
		e.name = (const char *)p + XATTR_ENTRY_HDR;
		e.name_len = p[0];
		e.value = get_le32(p + 4) ? NULL : vbase + voff;
		e.value_size = vsize;
		r = fn(arg, &e);
		if (r)
			return r;
		p += (XATTR_ENTRY_HDR + p[0] + 3) & ~3U;
	}
	return 0;
}

/* Walks the in-inode entries, then those of the xattr block. */
static int xattr_walk_inode(struct inode *inode, xattr_fn fn, void *arg)
{
	struct ext4_sb_info *s = EXT4_SB(inode->i_sb);
	struct ext4_inode_info *ei = EXT4_I(inode);
	int r = 0;

	if (s->inode_size > EXT4_GOOD_OLD_INODE_SIZE) {
		unsigned int off = EXT4_GOOD_OLD_INODE_SIZE + get_le16(ei->raw + I_EXTRA_ISIZE);

		if (off + 4 <= s->inode_size && get_le32(ei->raw + off) == EXT4_XATTR_MAGIC) {
			const u8 *first = ei->raw + off + 4;

			r = xattr_walk(s, first, ei->raw + s->inode_size, first, fn, arg);
			if (r)
				return r;
		}
	}
	if (ei->file_acl) {
		struct buffer_head *bh = ext4_bread(s, ei->file_acl);
		const u8 *b;

		if (IS_ERR(bh))
			return PTR_ERR(bh);
		b = (const u8 *)bh->b_data;
		if (get_le32(b) != EXT4_XATTR_MAGIC || get_le32(b + 8) != 1)
			r = ext4_error(s, "inode %lu: bad xattr block", inode->i_ino);
		else if (s->has_csum && !ext4_xattr_block_csum_ok(s, ei->file_acl, b))
			r = ext4_error(s, "inode %lu: xattr block checksum does not match",
				       inode->i_ino) ? -EBADMSG : 0;
		else
			r = xattr_walk(s, b + XATTR_BLOCK_HDR, b + s->block_size, b, fn, arg);
		ext4_brelse(bh);
	}
	return r;
}

struct inline_arg {
	u64 off;
	u8 *buf;
	size_t len;
};

static int inline_one(void *arg, const struct xattr_entry *e)
{
	struct inline_arg *a = arg;

	if (e->index != XATTR_INDEX_SYSTEM || e->name_len != 4 || memcmp(e->name, "data", 4))
		return 0;
	if (e->value && a->off < e->value_size)
		memcpy(a->buf, e->value + a->off, min((size_t)(e->value_size - a->off), a->len));
	return 1;
}

int ext4_xattr_inline_data(struct inode *inode, u64 off, u8 *buf, size_t len)
{
	struct inline_arg a = { .off = off, .buf = buf, .len = len };
	int r = xattr_walk_inode(inode, inline_one, &a);

	return r < 0 ? r : 0;
}

struct get_arg {
	unsigned int index;
	const char *name;
	size_t name_len;
	void *buf;
	size_t size;
	ssize_t result;
};

static int get_one(void *arg, const struct xattr_entry *e)
{
	struct get_arg *a = arg;

	if (e->index != a->index || e->name_len != a->name_len || memcmp(e->name, a->name, a->name_len))
		return 0;
	if (!e->value)
		a->result = -EOPNOTSUPP;	/* the value lives in an ea_inode */
	else if (a->size && a->size < e->value_size)
		a->result = -ERANGE;
	else {
		if (a->size)
			memcpy(a->buf, e->value, e->value_size);
		a->result = e->value_size;
	}
	return 1;
}

ssize_t ext4_xattr_get(struct inode *inode, const char *name, void *buf, size_t size)
{
	static const unsigned int indexes[] = { XATTR_INDEX_USER, XATTR_INDEX_TRUSTED,
						XATTR_INDEX_SECURITY, XATTR_INDEX_SYSTEM };
	struct get_arg a = { .buf = buf, .size = size, .result = -ENODATA };
	int r;

	for (unsigned int i = 0; i < ARRAY_SIZE(indexes); i++) {
		const char *prefix = xattr_prefix(indexes[i]);
		size_t plen = strlen(prefix);

		if (!strncmp(name, prefix, plen)) {
			a.index = indexes[i];
			a.name = name + plen;
			a.name_len = strlen(a.name);
			break;
		}
	}
	if (!a.index)
		return -EOPNOTSUPP;
	r = xattr_walk_inode(inode, get_one, &a);
	return r < 0 ? r : a.result;
}

struct list_arg {
	char *buf;
	size_t size;
	size_t used;
};

static int list_one(void *arg, const struct xattr_entry *e)
{
	struct list_arg *a = arg;
	const char *prefix = xattr_prefix(e->index);
	size_t plen, n;

	/* system.data is inline_data's own storage: Linux does not list it. */
	if (!prefix || (e->index == XATTR_INDEX_SYSTEM && e->name_len == 4 &&
			!memcmp(e->name, "data", 4)))
		return 0;
	plen = strlen(prefix);
	n = plen + e->name_len + 1;
	if (a->size) {
		if (a->used + n > a->size)
			return -ERANGE;
		memcpy(a->buf + a->used, prefix, plen);
		memcpy(a->buf + a->used + plen, e->name, e->name_len);
		a->buf[a->used + n - 1] = '\0';
	}
	a->used += n;
	return 0;
}

ssize_t ext4_xattr_list(struct inode *inode, char *buf, size_t size)
{
	struct list_arg a = { .buf = buf, .size = size };
	int r = xattr_walk_inode(inode, list_one, &a);

	return r < 0 ? r : (ssize_t)a.used;
}
