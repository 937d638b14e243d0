/* SPDX-License-Identifier: MIT */
/*
 * Fusion rings (docs/fusion-rings.md): Exo-OS's zero-copy IPC. open()
 * /dev/fusion, FUSION_IOC_SETUP, mmap() FUSION_RING_BYTES(nslots) at offset
 * 0 MAP_SHARED, and exchange 64-byte slots without system calls. The layout
 * and the numbers below are ABI: fixed sizes, no pointers, no padding holes.
 */
#ifndef _UAPI_FUSION_H
#define _UAPI_FUSION_H

#include <uapi/types.h>

#define FUSION_DEVICE		"/dev/fusion"
#define FUSION_MAJOR		10	/* misc */
#define FUSION_MINOR		240

#define FUSION_MAGIC		0x46555331U	/* "FUS1" */
#define FUSION_SLOT_SIZE	64
#define FUSION_INLINE_MAX	56
#define FUSION_MIN_SLOTS	64
#define FUSION_MAX_SLOTS	65536
#define FUSION_HDR_BYTES	4096
#define FUSION_RING_BYTES(nslots) (FUSION_HDR_BYTES + (unsigned long)(nslots) * FUSION_SLOT_SIZE)
/* One transfer carries at most this many pages (1 MiB); a ring holds this many transfers. */
#define FUSION_XFER_MAX_PAGES	256
#define FUSION_MAX_XFERS	256

/*
 * A slot (Vyukov's bounded queue): seq == position when free for the
 * producer of that position, position + 1 once it holds a message, and
 * position + nslots when its consumer has released it.
 */
struct fusion_slot {
	__u32 seq;
	__u16 len;		/* payload bytes (inline) */
	__u8 type;		/* FUSION_SLOT_* */
	__u8 flags;
	__u8 data[FUSION_INLINE_MAX];
};

#define FUSION_SLOT_INLINE	0
#define FUSION_SLOT_PAGES	1	/* data holds a struct fusion_page_desc */

struct fusion_page_desc {
	__u64 token;		/* from FUSION_IOC_SEND_PAGES */
	__u64 len;		/* bytes */
	__u64 cookie;		/* the sender's, untouched */
};

/*
 * Page 0 of the mapping. Each index and each wait word has a cache line of
 * its own, so producers and consumers never write the same line.
 * A wait word: bit 0 set while someone sleeps (or is about to) on it; the
 * waker adds 2 and clears the bit before FUSION_IOC_WAKE.
 */
struct fusion_ring_hdr {
	__u32 magic;
	__u32 nslots;
	__u32 mask;
	__u32 slot_offset;	/* FUSION_HDR_BYTES */
	__u8 pad0[48];
	__u32 head;		/* next position to produce */
	__u8 pad1[60];
	__u32 tail;		/* next position to consume */
	__u8 pad2[60];
	__u32 words[2];		/* FUSION_WORD_DATA: consumers sleep; FUSION_WORD_SPACE: producers */
	__u8 pad3[56];
};

#define FUSION_WORD_DATA	0
#define FUSION_WORD_SPACE	1
#define FUSION_WORD_NONE	0xffffffffU
#define FUSION_WAITERS		1U

#define FUSION_ROLE_PRODUCER	1U
#define FUSION_ROLE_CONSUMER	2U

struct fusion_setup {
	__u32 nslots;		/* power of two, FUSION_MIN_SLOTS..FUSION_MAX_SLOTS */
	__u32 role;		/* FUSION_ROLE_* of this file */
	__u64 reserved;		/* 0 */
};

struct fusion_attach {
	__u32 role;		/* FUSION_ROLE_* of the new file */
	__u32 flags;		/* O_CLOEXEC */
};

/*
 * Sleep while words[word] == expected. First, unless @wake is
 * FUSION_WORD_NONE, wake the sleepers of words[wake] of the ring of fusion
 * file @wake_fd (-1: this ring): a round trip's reply and its wait for the
 * next request are then one system call.
 */
/*
 * The same as a system call of its own, arguments in registers:
 * fusion_wait(fd, word, expected, wake, wake_fd, timeout_ns). The round
 * trip's path (docs/fusion-rings.md); the ioctl stays for everything else.
 */
#define __NR_fusion_wait	1024

struct fusion_wait {
	__u32 word;
	__u32 expected;
	__u32 wake;
	__s32 wake_fd;
	__u64 timeout_ns;	/* 0: no limit */
};

#define FUSION_PAGES_MOVE	1U	/* unmap from the sender (else shared, read-only for the receiver) */

struct fusion_pages {
	__u64 addr;		/* send: page-aligned source; recv: 0 (a new mapping, returned
				 * here) or a buffer of the caller's whose pages they replace */
	__u64 len;		/* send: bytes (rounded up to pages); recv: out */
	__u64 token;		/* send: out; recv: in */
	__u32 flags;		/* FUSION_PAGES_* */
	__u32 reserved;		/* 0 */
};

struct fusion_info {
	__u32 nslots;
	__u32 role;
	__u32 producers;	/* files attached as producer */
	__u32 consumers;
	__u32 xfers;		/* transfers in flight */
	__u32 pages;		/* pages in flight */
	__u64 page_refs;	/* sum of their page counts (== pages when each was moved) */
	__u64 all_pages;	/* pages in flight in every ring */
};

#define FUSION_IOC_MAGIC	0xF5
#define __FUSION_IOC(dir, nr, size) (((dir) << 30) | ((size) << 16) | (FUSION_IOC_MAGIC << 8) | (nr))
#define FUSION_IOC_SETUP	__FUSION_IOC(1U, 1, sizeof(struct fusion_setup))
#define FUSION_IOC_ATTACH	__FUSION_IOC(1U, 2, sizeof(struct fusion_attach))
#define FUSION_IOC_WAIT		__FUSION_IOC(1U, 3, sizeof(struct fusion_wait))
#define FUSION_IOC_WAKE		__FUSION_IOC(1U, 4, sizeof(__u32))
#define FUSION_IOC_SEND_PAGES	__FUSION_IOC(3U, 5, sizeof(struct fusion_pages))
#define FUSION_IOC_RECV_PAGES	__FUSION_IOC(3U, 6, sizeof(struct fusion_pages))
#define FUSION_IOC_INFO		__FUSION_IOC(2U, 7, sizeof(struct fusion_info))

#endif /* _UAPI_FUSION_H */
