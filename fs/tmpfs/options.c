// SPDX-License-Identifier: MIT
/*
 * tmpfs mount options (CONFIG_TMPFS), Linux's: size= (bytes with a k/m/g
 * suffix, or a percentage of RAM), nr_blocks=, nr_inodes= (accepted, not
 * enforced), mode=, uid=, gid=, huge= (accepted: there are no huge pages).
 * An unknown option or a malformed value is -EINVAL.
 */
#include <exo/mm.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "../internal.h"
#include "tmpfs.h"

/* A decimal (or, with @base 8, octal) number filling [@s, @end); false if it does not. */
static bool parse_number(const char *s, const char *end, unsigned int base, unsigned long long *out)
{
	unsigned long long n = 0;

	if (s == end)
		return false;
	for (; s < end; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (d >= base || n > (~0ULL - d) / base)
			return false;
		n = n * base + d;
	}
	*out = n;
	return true;
}

/* size=: bytes with an optional k/m/g/t/p/e suffix (powers of 1024), or a percentage of RAM. */
static bool parse_size_pages(const char *s, const char *end, unsigned long *pages)
{
	static const char suffixes[] = "kmgtpe";
	const char *digits_end = s, *suffix;
	unsigned long long n;
	unsigned int shift = 0;

	while (digits_end < end && *digits_end >= '0' && *digits_end <= '9')
		digits_end++;
	if (!parse_number(s, digits_end, 10, &n))
		return false;
	if (digits_end + 1 == end && *digits_end == '%') {
		*pages = (unsigned long)(n * totalram_pages() / 100);
		return true;
	}
	if (digits_end + 1 == end && (suffix = strchr(suffixes, *digits_end | 0x20)) && *suffix)
		shift = 10 * (unsigned int)(suffix - suffixes + 1);
	else if (digits_end != end)
		return false;
	if (shift && n > (~0ULL >> shift))
		return false;
	*pages = (unsigned long)DIV_ROUND_UP(n << shift, PAGE_SIZE);
	return true;
}

/* Linux's tmpfs options: size, nr_blocks, nr_inodes (accepted, not enforced), mode, uid, gid, huge. */
static int parse_one_option(struct tmpfs_options *o, const char *opt, const char *end)
{
	const char *eq = opt, *v;
	unsigned long long n;
	size_t klen;

	while (eq < end && *eq != '=')
		eq++;
	if (eq == end)
		return -EINVAL;
	v = eq + 1;
	klen = (size_t)(eq - opt);
#define KEY_IS(k) (klen == sizeof(k) - 1 && !memcmp(opt, k, klen))
	if (KEY_IS("size"))
		return parse_size_pages(v, end, &o->max_blocks) ? 0 : -EINVAL;
	if (KEY_IS("nr_blocks")) {
		if (!parse_number(v, end, 10, &n))
			return -EINVAL;
		o->max_blocks = (unsigned long)n;
		return 0;
	}
	if (KEY_IS("nr_inodes")) {
		unsigned long ignored;

		return parse_size_pages(v, end, &ignored) ? 0 : -EINVAL;
	}
	if (KEY_IS("mode")) {
		if (!parse_number(v, end, 8, &n))
			return -EINVAL;
		o->root_mode = (umode_t)(n & 07777);
		return 0;
	}
	if (KEY_IS("uid") || KEY_IS("gid")) {
		if (!parse_number(v, end, 10, &n) || n > 0xfffffffeULL)
			return -EINVAL;
		*(KEY_IS("uid") ? &o->uid : &o->gid) = (u32)n;
		return 0;
	}
	if (KEY_IS("huge"))	/* no huge pages here: every policy means 4 KiB pages */
		return 0;
#undef KEY_IS
	return -EINVAL;
}

static int tmpfs_parse_one(void *o, const char *opt, const char *end)
{
	return parse_one_option(o, opt, end);
}

int tmpfs_parse_options(struct tmpfs_options *o, const char *data)
{
	return mount_options_parse(data, tmpfs_parse_one, o);
}
