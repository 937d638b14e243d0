/*
 * Fusion rings from user space (docs/fusion-rings.md): the ring protocol
 * (a bounded multi-producer multi-consumer queue of 64-byte slots, after
 * Vyukov) and the sleep/wake-up protocol around FUSION_IOC_WAIT/WAKE.
 *
 * Sending and receiving touch only shared memory while the ring has room
 * or data; the kernel is entered to sleep on an empty (full) ring and, by
 * the other side, to wake such a sleeper. Every call returns a count or 0,
 * or a negative errno: -EAGAIN (nothing now, non-blocking), -EPIPE (the
 * other side is gone and the ring is drained/full), -EMSGSIZE.
 *
 * The wait and wake calls go through f->wait and f->wake, which the host
 * model test (tests/fusion_model.c) replaces with its own kernel model.
 */
#ifndef USR_FUSION_H
#define USR_FUSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uapi/fusion.h>

struct fusion {
	int fd;
	uint32_t nslots, mask, role;
	struct fusion_ring_hdr *hdr;
	struct fusion_slot *slots;
	size_t map_len;
	/* Sleep while words[word] == expected: 0 (woken or changed), -EPIPE, -EINTR... */
	int (*wait)(struct fusion *f, unsigned int word, uint32_t expected);
	int (*wake)(struct fusion *f, unsigned int word);
	uint64_t sleeps, wakes;		/* statistics: kernel entries of this handle */
};

/* One inline message for the batch calls. */
struct fusion_msg {
	uint16_t len;
	uint8_t type;
	uint8_t data[FUSION_INLINE_MAX];
};

/* Open /dev/fusion, make a ring of @nslots slots with this handle in @role, map it. */
int fusion_create(struct fusion *f, unsigned int nslots, unsigned int role);
/* A new endpoint (its own fd) of @f's ring in @role, mapped; for a forked child or a peer. */
int fusion_attach(struct fusion *f, struct fusion *out, unsigned int role);
/* Map the ring of endpoint @fd (e.g. received over SCM_RIGHTS) into @f. */
int fusion_open_fd(struct fusion *f, int fd);
void fusion_close(struct fusion *f);
/* Lay out a ring in memory the caller provides (the host model test): no kernel. */
void fusion_init_mem(struct fusion *f, void *mem, unsigned int nslots);
/* Another handle on a ring fusion_init_mem() laid out. */
void fusion_use_mem(struct fusion *f, void *mem, unsigned int nslots);

/* Send one inline message (len <= FUSION_INLINE_MAX); blocks while full if @block. */
int fusion_send(struct fusion *f, const void *buf, size_t len, bool block);
/* Receive one message into buf (56 bytes fit any); returns its length. *type if non-NULL. */
int fusion_recv(struct fusion *f, void *buf, int *type, bool block);
/* Up to @n messages in one claim; returns how many went (>= 1 if @block). */
int fusion_send_batch(struct fusion *f, const struct fusion_msg *msgs, unsigned int n, bool block);
int fusion_recv_batch(struct fusion *f, struct fusion_msg *msgs, unsigned int n, bool block);

/*
 * A round trip: send @len bytes on @out, then wait for the reply on @in
 * (56 bytes fit any); waking @out's consumer and sleeping on @in are one
 * system call. Returns the reply's length.
 */
int fusion_call(struct fusion *out, const void *msg, size_t len, struct fusion *in, void *reply);

/*
 * Hand the pages of [addr, addr + len) (page-aligned, private anonymous
 * memory) to the ring: moved (unmapped here) with FUSION_PAGES_MOVE, else
 * shared read-only. The receiver gets them from fusion_recv_pages().
 */
int fusion_send_pages(struct fusion *f, void *addr, size_t len, unsigned int flags,
		      uint64_t cookie, bool block);
/* Receive the next message, which must be a page transfer: returns the mapping, *len, *cookie. */
void *fusion_recv_pages(struct fusion *f, size_t *len, uint64_t *cookie, int *err, bool block);
/*
 * The same into @dst (page-aligned private anonymous memory, at least the
 * transfer's size), whose pages are replaced: no new mapping each time.
 */
void *fusion_recv_pages_into(struct fusion *f, void *dst, size_t *len, uint64_t *cookie, int *err,
			     bool block);
/*
 * Map the pages a FUSION_SLOT_PAGES message names (its payload is a struct
 * fusion_page_desc): at @dst if not NULL, else in a new mapping.
 */
void *fusion_take_pages(struct fusion *f, const struct fusion_page_desc *d, void *dst, size_t *len,
			int *err);

#endif /* USR_FUSION_H */
