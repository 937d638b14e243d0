// SPDX-License-Identifier: MIT
/*
 * lib/checksum.c against a byte-wise model of RFC 1071, and the packet
 * buffer operations of net/core/skbuff.c: push/pull bounds, clones sharing
 * data until copy on write, queue order and socket charging.
 */
/* <exo/net.h> brings <exo/fs.h>, whose loff_t and dev_t differ from glibc's (harness.h). */
#define loff_t kernel_loff_t
#define dev_t kernel_dev_t
#include <exo/checksum.h>
#include <exo/fs.h>
#include <exo/net.h>
#include <exo/skbuff.h>
#include <exo/wait.h>
#include <exo/slab.h>
#undef loff_t
#undef dev_t
#include "test_mm.h"
#include <string.h>

/* What skbuff.c calls outside itself. */
/* (__wake_up is test_block.c's no-op; sock_put() is inline, and calls this at the last put.) */
static int destructs_seen;
static void count_destruct(struct sock *sk)
{
	(void)sk;
	destructs_seen++;
}
size_t copy_to_iter(const void *src, size_t bytes, struct iov_iter *it)
{
	memcpy(it->kvec->iov_base, src, bytes);	/* the tests pass one kvec */
	return bytes;
}

/* The allocators the buffers come from. */
static void net_boot(void)
{
	test_boot(64 * MB, false);
	slab_init();
	CHECK(skb_init() == 0);
}

/* RFC 1071 on big-endian 16-bit words, one at a time. */
static u16 model_csum(const u8 *p, int len, u32 pseudo)
{
	u32 s = pseudo;

	for (int i = 0; i + 1 < len; i += 2)
		s += (u32)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (u32)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (u16)~s;
}

static u16 wire16(__sum16 v)	/* a stored checksum as the big-endian value on the wire */
{
	const u8 *b = (const u8 *)&v;

	return (u16)(b[0] << 8 | b[1]);
}

TEST(csum_rfc1071_example)
{
	/* RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (checksum 220d). */
	const u8 data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	CHECK(wire16(ip_compute_csum(data, sizeof(data))) == 0x220d);
}

TEST(csum_matches_model_for_every_length_and_offset)
{
	static u8 buf[2100];

	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(rand() >> 7);
	for (int off = 0; off < 8; off++)
		for (int len = 0; len < 2048; len += (len < 80 ? 1 : 37))
			CHECK(wire16(ip_compute_csum(buf + off, len)) == model_csum(buf + off, len, 0));
	/* All ones: the carries must fold completely. */
	memset(buf, 0xff, sizeof(buf));
	CHECK(wire16(ip_compute_csum(buf, 2000)) == model_csum(buf, 2000, 0));
}

TEST(csum_ip_header_and_pseudo_header)
{
	/* A real IPv4 header (checksum field b861) checks to 0. */
	const u8 iph[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			     0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
	u8 seg[37];
	__be32 sa, da;
	u32 pseudo;

	CHECK(ip_fast_csum(iph, 5) == 0);
	for (unsigned int i = 0; i < sizeof(seg); i++)
		seg[i] = (u8)(i * 7 + 3);
	memcpy(&sa, iph + 12, 4);
	memcpy(&da, iph + 16, 4);
	pseudo = 0xc0a8 + 0x0001 + 0xc0a8 + 0x00c7 + 17 + sizeof(seg);
	CHECK(wire16(csum_tcpudp_magic(sa, da, sizeof(seg), 17, csum_partial(seg, sizeof(seg), 0))) ==
	      model_csum(seg, sizeof(seg), pseudo));
}

TEST(skb_push_pull_put_bounds)
{
	struct sk_buff *skb;

	net_boot();
	skb = alloc_skb(100, GFP_KERNEL);
	CHECK(skb && skb_in_use == 1);
	skb_reserve(skb, 40);
	CHECK(skb_headroom(skb) == 40 && skb->len == 0);
	CHECK(skb_tailroom(skb) >= 60);
	memcpy(skb_put(skb, 10), "0123456789", 10);
	memcpy(skb_push(skb, 4), "HDR:", 4);
	CHECK(skb->len == 14 && memcmp(skb->data, "HDR:0123456789", 14) == 0);
	skb_reset_network_header(skb);
	CHECK(skb_pull(skb, 4) && skb->len == 10 && skb->data[0] == '0');
	CHECK(memcmp(skb_network_header(skb), "HDR:", 4) == 0);	/* pulled headers stay addressable */
	CHECK(!skb_pull(skb, 11) && skb->len == 10);
	CHECK(!pskb_may_pull(skb, 11) && pskb_may_pull(skb, 10));
	skb_trim(skb, 3);
	CHECK(skb->len == 3 && skb->tail == skb->data + 3);
	EXPECT_PANIC(skb_push(skb, 1000), "BUG_ON");
}

TEST(skb_clone_shares_until_cow)
{
	struct sk_buff *skb, *clone;

	net_boot();
	skb = alloc_skb(200, GFP_KERNEL);
	skb_reserve(skb, 64);
	skb_put_data(skb, "payload", 7);
	clone = skb_clone(skb, GFP_KERNEL);
	CHECK(clone && clone->data == skb->data && skb_cloned(skb) && skb_cloned(clone));
	CHECK(skb_shinfo(skb)->dataref == 2 && skb_in_use == 2);
	/* Writing the clone's headers copies its data first; the original keeps its bytes. */
	CHECK(skb_cow_head(clone, 80) == 0);
	CHECK(clone->data != skb->data && skb_headroom(clone) >= 80);
	memcpy(skb_push(clone, 4), "HDR:", 4);
	CHECK(memcmp(clone->data, "HDR:payload", 11) == 0);
	CHECK(memcmp(skb->data, "payload", 7) == 0 && !skb_cloned(skb));
	kfree_skb(clone);
	kfree_skb(skb);
	CHECK(skb_in_use == 0);
}

/*
 * TCP's write queue: the original gives up its headroom, so one clone pushes its
 * headers in place (no copy of the payload), while a second sharer makes the
 * headers cloned again; the data area is freed once, whichever goes first.
 */
TEST(skb_header_release_lets_one_clone_push_in_place)
{
	struct sk_buff *skb, *clone, *second;

	net_boot();
	for (int order = 0; order < 2; order++) {
		skb = alloc_skb(200, GFP_KERNEL);
		skb_reserve(skb, 64);
		skb_put_data(skb, "payload", 7);
		skb_header_release(skb);
		CHECK(!skb_cloned(skb) && !skb_header_cloned(skb));
		clone = skb_clone(skb, GFP_KERNEL);
		CHECK(skb_cloned(skb) && skb_cloned(clone) && !skb_header_cloned(clone));
		CHECK(skb_cow_head(clone, 40) == 0 && clone->data == skb->data);
		memcpy(skb_push(clone, 4), "HDR:", 4);
		CHECK(memcmp(skb->data, "payload", 7) == 0);
		/* A second sharer of the headers: the first clone must copy before writing. */
		second = skb_clone(clone, GFP_KERNEL);
		CHECK(skb_header_cloned(clone) && skb_header_cloned(second));
		kfree_skb(second);
		CHECK(!skb_header_cloned(clone));
		if (order) {
			kfree_skb(skb);
			CHECK(!skb_cloned(clone) && memcmp(clone->data, "HDR:payload", 11) == 0);
			kfree_skb(clone);
		} else {
			kfree_skb(clone);
			CHECK(!skb_cloned(skb));
			kfree_skb(skb);
		}
		CHECK(skb_in_use == 0);
	}
}

TEST(skb_clone_freed_in_either_order)
{
	struct sk_buff *a, *b;

	net_boot();
	a = alloc_skb(50, GFP_KERNEL);
	skb_put_zero(a, 20);
	b = skb_clone(a, GFP_KERNEL);
	kfree_skb(a);
	CHECK(b->len == 20 && b->data[19] == 0);	/* ASan catches a freed data area */
	kfree_skb(b);
	CHECK(skb_in_use == 0);
}

TEST(skb_copy_keeps_header_offsets)
{
	struct sk_buff *skb, *copy;

	net_boot();
	skb = alloc_skb(128, GFP_KERNEL);
	skb_reserve(skb, 32);
	skb_put_data(skb, "ETHERNETIPV4TCPDATA", 19);
	skb_reset_mac_header(skb);
	skb_pull(skb, 8);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, 4);
	copy = skb_copy(skb, GFP_KERNEL);
	CHECK(copy && copy->len == 11);
	CHECK(memcmp(skb_network_header(copy), "IPV4", 4) == 0);
	CHECK(memcmp(skb_transport_header(copy), "TCP", 3) == 0);
	kfree_skb(copy);
	kfree_skb(skb);
}

TEST(skb_queue_order_and_purge)
{
	struct sk_buff_head q;
	struct sk_buff *s[4];

	net_boot();
	skb_queue_head_init(&q);
	for (int i = 0; i < 4; i++) {
		s[i] = alloc_skb(16, GFP_KERNEL);
		s[i]->priority = (u32)i;
	}
	skb_queue_tail(&q, s[1]);
	skb_queue_tail(&q, s[2]);
	skb_queue_head(&q, s[0]);
	__skb_queue_after(&q, s[2], s[3]);
	CHECK(skb_queue_len(&q) == 4 && skb_peek(&q) == s[0] && skb_peek_tail(&q) == s[3]);
	skb_unlink(s[1], &q);
	CHECK(skb_dequeue(&q) == s[0] && skb_dequeue(&q) == s[2]);
	kfree_skb(s[0]);
	kfree_skb(s[1]);
	kfree_skb(s[2]);
	skb_queue_purge(&q);
	CHECK(skb_queue_empty(&q) && skb_in_use == 0);
}

TEST(skb_owner_charge_and_release)
{
	struct sock sk = { .refcnt = 1, .sndbuf = 10000, .destruct = count_destruct };
	struct sk_buff *skb;

	net_boot();
	skb = alloc_skb(500, GFP_KERNEL);
	skb_set_owner_w(skb, &sk);
	CHECK(sk.wmem_alloc == (int)skb->truesize && sk.refcnt == 2);
	kfree_skb(skb);
	CHECK(sk.wmem_alloc == 0 && sk.refcnt == 1 && destructs_seen == 0);
	skb = alloc_skb(500, GFP_KERNEL);
	skb_set_owner_r(skb, &sk);
	CHECK(sk.rmem_alloc > 500);
	skb_orphan(skb);
	CHECK(sk.rmem_alloc == 0 && !skb->sk);
	kfree_skb(skb);
	/* The creator's reference, the last: the socket's destructor runs once. */
	sock_put(&sk);
	CHECK(sk.refcnt == 0 && destructs_seen == 1);
}

TEST(skb_checksum_help_fills_partial)
{
	struct sk_buff *skb;
	__sum16 stored;
	u8 *p;

	net_boot();
	skb = alloc_skb(64, GFP_KERNEL);
	p = skb_put_zero(skb, 21);
	for (int i = 4; i < 21; i++)
		p[i] = (u8)(i * 13);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u16)(skb->data - skb->head);
	skb->csum_offset = 2;
	CHECK(skb_checksum_help(skb) == 0 && skb->ip_summed == CHECKSUM_NONE);
	memcpy(&stored, p + 2, 2);
	CHECK(stored != 0 && ip_compute_csum(p, 21) == 0);
	kfree_skb(skb);
}
