/*
 * Fusion rings from user space: see fusion.h and docs/fusion-rings.md.
 *
 * Ordering (the doc's argument, checked by tests/fusion_model.c under
 * ThreadSanitizer):
 *   - a producer claims positions by CAS on head, writes the payload, then
 *     publishes with a release store of slot->seq = pos + 1; a consumer
 *     reads seq with acquire before the payload. The consumer releases a
 *     slot with seq = pos + nslots (release), which a producer acquires
 *     before writing. head and tail are only claims: no data is published
 *     through them, so they are relaxed.
 *   - sleeping is Dekker's pattern on one word: the sleeper sets
 *     FUSION_WAITERS with an RMW, then re-checks the ring; the publisher
 *     stores seq, then reads the word with an RMW (fetch_add 0). The two
 *     RMWs are ordered in the word's modification order: if the
 *     publisher's is later it reads the bit; if earlier, the sleeper's RMW
 *     reads from its release sequence, so the seq store happens before the
 *     re-check, which sees the message. Either the sleeper finds the
 *     message or the publisher finds the bit, changes the word and wakes;
 *     the kernel sleeps only while the word still holds what the sleeper
 *     saw (futex rules), so the wake-up cannot be lost. No fences: the
 *     argument is in RMWs and release/acquire, which ThreadSanitizer
 *     models exactly.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fusion.h"

#define LOAD_ACQ(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define LOAD_RLX(p) __atomic_load_n(p, __ATOMIC_RELAXED)
#define STORE_REL(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)

/* fusion_wait(): raw, as errno is not needed: 0 or -errno. */
static inline long fusion_wait_call(int fd, unsigned int word, uint32_t expected, unsigned int wake,
				    int wake_fd)
{
	register long r10 __asm__("r10") = wake;
	register long r8 __asm__("r8") = wake_fd;
	register long r9 __asm__("r9") = 0;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)__NR_fusion_wait), "D"((long)fd), "S"((long)word),
			   "d"((long)expected), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static int fusion_sys_wait(struct fusion *f, unsigned int word, uint32_t expected)
{
	struct fusion_wait w = { .word = word, .expected = expected, .wake = FUSION_WORD_NONE,
				  .wake_fd = -1 };

	return ioctl(f->fd, FUSION_IOC_WAIT, &w) ? -errno : 0;
}

static int fusion_sys_wake(struct fusion *f, unsigned int word)
{
	uint32_t w = word;

	return ioctl(f->fd, FUSION_IOC_WAKE, &w) ? -errno : 0;
}

static void fusion_set(struct fusion *f, void *mem, unsigned int nslots)
{
	f->hdr = mem;
	f->slots = (struct fusion_slot *)((char *)mem + FUSION_HDR_BYTES);
	f->nslots = nslots;
	f->mask = nslots - 1;
	f->map_len = FUSION_RING_BYTES(nslots);
	f->wait = fusion_sys_wait;
	f->wake = fusion_sys_wake;
	f->sleeps = f->wakes = 0;
}

void fusion_use_mem(struct fusion *f, void *mem, unsigned int nslots)
{
	fusion_set(f, mem, nslots);
	f->fd = -1;
	f->role = FUSION_ROLE_PRODUCER | FUSION_ROLE_CONSUMER;
}

void fusion_init_mem(struct fusion *f, void *mem, unsigned int nslots)
{
	memset(mem, 0, FUSION_RING_BYTES(nslots));
	fusion_use_mem(f, mem, nslots);
	for (unsigned int i = 0; i < nslots; i++)
		f->slots[i].seq = i;
}

/* Map the ring behind f->fd; its size comes from the kernel, not from the shared header. */
static int fusion_map(struct fusion *f)
{
	struct fusion_info info;
	void *mem;

	if (ioctl(f->fd, FUSION_IOC_INFO, &info))
		return -errno;
	mem = mmap(NULL, FUSION_RING_BYTES(info.nslots), PROT_READ | PROT_WRITE, MAP_SHARED,
		   f->fd, 0);
	if (mem == MAP_FAILED)
		return -errno;
	fusion_set(f, mem, info.nslots);
	f->role = info.role;
	return 0;
}

int fusion_open_fd(struct fusion *f, int fd)
{
	f->fd = fd;
	return fusion_map(f);
}

int fusion_create(struct fusion *f, unsigned int nslots, unsigned int role)
{
	struct fusion_setup s = { .nslots = nslots, .role = role };
	int err;

	f->fd = open(FUSION_DEVICE, O_RDWR | O_CLOEXEC);
	if (f->fd < 0)
		return -errno;
	if (ioctl(f->fd, FUSION_IOC_SETUP, &s) || (errno = -fusion_map(f))) {
		err = -errno;
		close(f->fd);
		return err;
	}
	return 0;
}

int fusion_attach(struct fusion *f, struct fusion *out, unsigned int role)
{
	struct fusion_attach a = { .role = role, .flags = O_CLOEXEC };
	int fd = ioctl(f->fd, FUSION_IOC_ATTACH, &a), err;

	if (fd < 0)
		return -errno;
	err = fusion_open_fd(out, fd);
	if (err)
		close(fd);
	return err;
}

void fusion_close(struct fusion *f)
{
	munmap(f->hdr, f->map_len);
	close(f->fd);
}

/*
 * The publisher's half of Dekker: true if a sleeper of @word announced
 * itself, whose wake-up the caller now owes (the word has been changed).
 */
static bool fusion_must_wake(struct fusion *f, unsigned int word)
{
	uint32_t *wp = &f->hdr->words[word], w;

	/*
	 * An RMW, not a plain load: it reads the latest value of the word, and
	 * its release heads a release sequence the sleeper's fetch_or joins.
	 */
	w = __atomic_fetch_add(wp, 0, __ATOMIC_SEQ_CST);
	if (!(w & FUSION_WAITERS))
		return false;
	/* Odd to even: the bit goes, the value changes, so the sleeper's expected value is stale. */
	while ((w & FUSION_WAITERS) &&
	       !__atomic_compare_exchange_n(wp, &w, w + 1, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_RELAXED))
		;
	f->wakes++;
	return true;
}

static int fusion_notify(struct fusion *f, unsigned int word)
{
	return fusion_must_wake(f, word) ? f->wake(f, word) : 0;
}

/* The sleeper's half: announce, re-check with @ready, sleep while nothing changed. */
static int fusion_sleep(struct fusion *f, unsigned int word, bool (*ready)(struct fusion *))
{
	uint32_t w = __atomic_or_fetch(&f->hdr->words[word], FUSION_WAITERS, __ATOMIC_SEQ_CST);
	int err;

	if (ready(f))
		return 0;
	f->sleeps++;
	err = f->wait(f, word, w);
	/* EAGAIN: the word moved on before we slept, i.e. a wake-up happened. */
	if (err == -EAGAIN || err == -EINTR)
		err = 0;
	/* The other side is gone, but what it left in the ring is still ours. */
	if (err == -EPIPE && ready(f))
		err = 0;
	return err;
}

/* Claims up to @n consecutive positions whose slots are in state seq == pos + @off. */
static unsigned int fusion_claim(struct fusion *f, uint32_t *index, uint32_t off, unsigned int n,
				 uint32_t *start)
{
	uint32_t pos = LOAD_RLX(index);

	for (;;) {
		uint32_t seq = LOAD_ACQ(&f->slots[pos & f->mask].seq);
		int32_t diff = (int32_t)(seq - (pos + off));
		unsigned int k = 1;

		if (diff < 0)
			return 0;	/* full (producer) or empty (consumer) */
		if (diff > 0) {
			pos = LOAD_RLX(index);	/* another claimed it: catch up */
			continue;
		}
		if (n > f->nslots)
			n = f->nslots;
		while (k < n && LOAD_ACQ(&f->slots[(pos + k) & f->mask].seq) == pos + k + off)
			k++;
		if (__atomic_compare_exchange_n(index, &pos, pos + k, true, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED)) {
			*start = pos;
			return k;
		}
	}
}

static bool fusion_has_room(struct fusion *f)
{
	uint32_t pos = LOAD_RLX(&f->hdr->head);

	return (int32_t)(LOAD_ACQ(&f->slots[pos & f->mask].seq) - pos) >= 0;
}

static bool fusion_has_data(struct fusion *f)
{
	uint32_t pos = LOAD_RLX(&f->hdr->tail);

	return (int32_t)(LOAD_ACQ(&f->slots[pos & f->mask].seq) - (pos + 1)) >= 0;
}

/*
 * Claims up to @n positions of @index whose slots are in state @off (0: free
 * for a producer, 1: full for a consumer), sleeping on the matching wait word while there are
 * none if @block. Returns how many, from *@pos, or -errno.
 */
static int fusion_claim_wait(struct fusion *f, uint32_t *index, uint32_t off, unsigned int n,
			     bool block, uint32_t *pos)
{
	unsigned int word = off ? FUSION_WORD_DATA : FUSION_WORD_SPACE;
	unsigned int k;
	int err;

	while (!(k = fusion_claim(f, index, off, n, pos))) {
		if (!block)
			return -EAGAIN;
		err = fusion_sleep(f, word, off ? fusion_has_data : fusion_has_room);
		if (err)
			return err;
	}
	return (int)k;
}

/* Claims and fills up to @n slots; the caller notifies FUSION_WORD_DATA. */
static int fusion_put_quiet(struct fusion *f, const struct fusion_msg *msgs, unsigned int n,
			    bool block)
{
	uint32_t pos;
	int k = fusion_claim_wait(f, &f->hdr->head, 0, n, block, &pos);

	for (int i = 0; i < k; i++) {
		struct fusion_slot *s = &f->slots[(pos + i) & f->mask];

		s->len = msgs[i].len;
		s->type = msgs[i].type;
		memcpy(s->data, msgs[i].data, msgs[i].len);
		STORE_REL(&s->seq, pos + i + 1);
	}
	return k;
}

static int fusion_put(struct fusion *f, const struct fusion_msg *msgs, unsigned int n, bool block)
{
	int k = fusion_put_quiet(f, msgs, n, block), err;

	if (k <= 0)
		return k;
	err = fusion_notify(f, FUSION_WORD_DATA);
	return err ? err : k;
}

static int fusion_get(struct fusion *f, struct fusion_msg *msgs, unsigned int n, bool block)
{
	uint32_t pos;
	int k = fusion_claim_wait(f, &f->hdr->tail, 1, n, block, &pos), err;

	if (k < 0)
		return k;
	for (int i = 0; i < k; i++) {
		struct fusion_slot *s = &f->slots[(pos + i) & f->mask];
		uint16_t len = s->len;

		/* A peer wrote this slot: never trust its length. */
		msgs[i].len = len > FUSION_INLINE_MAX ? FUSION_INLINE_MAX : len;
		msgs[i].type = s->type;
		memcpy(msgs[i].data, s->data, msgs[i].len);
		STORE_REL(&s->seq, pos + i + f->nslots);
	}
	err = fusion_notify(f, FUSION_WORD_SPACE);
	return err ? err : k;
}

int fusion_send_batch(struct fusion *f, const struct fusion_msg *msgs, unsigned int n, bool block)
{
	for (unsigned int i = 0; i < n; i++)
		if (msgs[i].len > FUSION_INLINE_MAX)
			return -EMSGSIZE;
	return n ? fusion_put(f, msgs, n, block) : 0;
}

int fusion_recv_batch(struct fusion *f, struct fusion_msg *msgs, unsigned int n, bool block)
{
	return n ? fusion_get(f, msgs, n, block) : 0;
}

int fusion_send(struct fusion *f, const void *buf, size_t len, bool block)
{
	struct fusion_msg m = { .len = (uint16_t)len, .type = FUSION_SLOT_INLINE };
	int ret;

	if (len > FUSION_INLINE_MAX)
		return -EMSGSIZE;
	memcpy(m.data, buf, len);
	ret = fusion_put(f, &m, 1, block);
	return ret < 0 ? ret : 0;
}

int fusion_recv(struct fusion *f, void *buf, int *type, bool block)
{
	struct fusion_msg m;
	int ret = fusion_get(f, &m, 1, block);

	if (ret < 0)
		return ret;
	memcpy(buf, m.data, m.len);
	if (type)
		*type = m.type;
	return m.len;
}

int fusion_send_pages(struct fusion *f, void *addr, size_t len, unsigned int flags,
		      uint64_t cookie, bool block)
{
	struct fusion_pages p = { .addr = (uintptr_t)addr, .len = len, .flags = flags };
	struct fusion_msg m = { .len = sizeof(struct fusion_page_desc), .type = FUSION_SLOT_PAGES };
	struct fusion_page_desc d;
	int ret;

	if (ioctl(f->fd, FUSION_IOC_SEND_PAGES, &p))
		return -errno;
	d.token = p.token;
	d.len = len;
	d.cookie = cookie;
	memcpy(m.data, &d, sizeof(d));
	ret = fusion_put(f, &m, 1, block);
	return ret < 0 ? ret : 0;
}

void *fusion_take_pages(struct fusion *f, const struct fusion_page_desc *d, void *dst, size_t *len,
			int *err)
{
	struct fusion_pages p = { .token = d->token, .addr = (uintptr_t)dst };

	if (ioctl(f->fd, FUSION_IOC_RECV_PAGES, &p)) {
		*err = -errno;
		return NULL;
	}
	*len = d->len < p.len ? d->len : p.len;
	*err = 0;
	return (void *)(uintptr_t)p.addr;
}

void *fusion_recv_pages(struct fusion *f, size_t *len, uint64_t *cookie, int *err, bool block)
{
	return fusion_recv_pages_into(f, NULL, len, cookie, err, block);
}

void *fusion_recv_pages_into(struct fusion *f, void *dst, size_t *len, uint64_t *cookie, int *err,
			     bool block)
{
	struct fusion_page_desc d;
	struct fusion_msg m;
	int ret = fusion_get(f, &m, 1, block);

	if (ret < 0 || m.type != FUSION_SLOT_PAGES || m.len != sizeof(d)) {
		*err = ret < 0 ? ret : -EBADMSG;
		return NULL;
	}
	memcpy(&d, m.data, sizeof(d));
	if (cookie)
		*cookie = d.cookie;
	return fusion_take_pages(f, &d, dst, len, err);
}

/* fusion_claim() of one position, inlined into the round trip. */
static inline bool fusion_claim1(struct fusion *f, uint32_t *index, uint32_t off, uint32_t *start)
{
	uint32_t pos = LOAD_RLX(index);

	for (;;) {
		int32_t diff = (int32_t)(LOAD_ACQ(&f->slots[pos & f->mask].seq) - (pos + off));

		if (diff < 0)
			return false;
		if (diff > 0) {
			pos = LOAD_RLX(index);
			continue;
		}
		if (__atomic_compare_exchange_n(index, &pos, pos + 1, true, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED)) {
			*start = pos;
			return true;
		}
	}
}

/* A 56-byte message (the common size) copied with a fixed-size copy, others by memcpy(). */
static inline void fusion_copy(void *dst, const void *src, size_t len)
{
	if (len == FUSION_INLINE_MAX)
		__builtin_memcpy(dst, src, FUSION_INLINE_MAX);
	else
		memcpy(dst, src, len);
}

int fusion_call(struct fusion *out, const void *msg, size_t len, struct fusion *in, void *reply)
{
	uint32_t *wp = &in->hdr->words[FUSION_WORD_DATA];
	struct fusion_slot *s;
	uint32_t pos;
	bool owe;
	int ret;

	if (len > FUSION_INLINE_MAX)
		return -EMSGSIZE;
	/* Straight into and out of the slots: a round trip is latency, every copy counts. */
	if (!fusion_claim1(out, &out->hdr->head, 0, &pos)) {
		ret = fusion_claim_wait(out, &out->hdr->head, 0, 1, true, &pos);
		if (ret < 0)
			return ret;
	}
	s = &out->slots[pos & out->mask];
	s->len = (uint16_t)len;
	s->type = FUSION_SLOT_INLINE;
	fusion_copy(s->data, msg, len);
	STORE_REL(&s->seq, pos + 1);
	owe = fusion_must_wake(out, FUSION_WORD_DATA);
	/*
	 * Owing a wake-up, the peer was asleep: the reply is not there yet (but
	 * for a race the claim below catches), so announce at once. Else the
	 * reply may be (another CPU answered): look first.
	 */
	if (owe || !fusion_claim1(in, &in->hdr->tail, 1, &pos)) {
		for (;;) {
			uint32_t w = __atomic_or_fetch(wp, FUSION_WAITERS, __ATOMIC_SEQ_CST);

			/* The re-check after announcing is the claim itself. */
			if (fusion_claim1(in, &in->hdr->tail, 1, &pos))
				break;
			in->sleeps++;
			/* The kernel wakes @out's consumer before it looks at the word, whatever it returns. */
			ret = (int)fusion_wait_call(in->fd, FUSION_WORD_DATA, w,
						    owe ? FUSION_WORD_DATA : FUSION_WORD_NONE, out->fd);
			owe = false;
			if (ret && ret != -EAGAIN && ret != -EINTR &&
			    !(ret == -EPIPE && fusion_has_data(in)))
				return ret;
			/* Woken (the usual case): take the reply without announcing again. */
			if (fusion_claim1(in, &in->hdr->tail, 1, &pos))
				break;
		}
		if (owe)
			out->wake(out, FUSION_WORD_DATA);
	}
	s = &in->slots[pos & in->mask];
	ret = s->len > FUSION_INLINE_MAX ? FUSION_INLINE_MAX : s->len;
	fusion_copy(reply, s->data, (size_t)ret);
	STORE_REL(&s->seq, pos + in->nslots);
	if (fusion_must_wake(in, FUSION_WORD_SPACE))
		in->wake(in, FUSION_WORD_SPACE);
	return ret;
}
