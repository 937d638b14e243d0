/*
 * A host model of the fusion ring protocol (docs/fusion-rings.md, "Why no
 * message and no wake-up is lost"), built with ThreadSanitizer: the real
 * usr/lib/fusion.c runs on plain memory with threads for processes and a
 * model of FUSION_IOC_WAIT/WAKE as the kernel does them: a single-sleeper
 * slot per word and a wait queue for the others (below), with the kernel's
 * rule: sleep only while the word holds the expected value, looked at after
 * the sleeper registered.
 *
 * TSan reports any payload read not ordered after its write (the slot seq
 * release/acquire pairs); a lost wake-up shows as a consumer or producer
 * asleep with work pending, which the watchdog turns into a failure. Every
 * message carries its producer, sequence number and a checksum, and each
 * consumer checks that per producer the sequence rises, and the totals match.
 *
 *   fusion_model [messages per producer]
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../usr/lib/fusion.h"

/*
 * The kernel's side as built (docs/fusion-rings.md, "The kernel's side"):
 * per word a single-sleeper slot, entered by CAS, taken by the waker's
 * exchange, and a wait queue for the others, which the waker looks at
 * without its lock. A task's sleep is its own mutex and condition variable
 * (the runqueue lock and schedule()): the waker clears "sleeping" under the
 * mutex, so a wake-up that comes before the sleep leaves it running.
 */
struct mtask {
	pthread_mutex_t rq;
	pthread_cond_t cv;
	int sleeping;			/* [rq] TASK_INTERRUPTIBLE */
};

struct model {
	pthread_mutex_t lock;		/* the wait queues' */
	pthread_cond_t cond[2];
	int queued[2];			/* [atomic] sleepers on the queue of word i */
	struct mtask *slot[2];		/* [atomic] the single sleeper of word i */
	int hup[2];			/* [atomic] the other side of word i is gone */
};

static struct model km = {
	PTHREAD_MUTEX_INITIALIZER, { PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER },
	{ 0, 0 }, { NULL, NULL }, { 0, 0 }
};

static __thread struct mtask self = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };

static void set_sleeping(struct mtask *t, int v)
{
	pthread_mutex_lock(&t->rq);
	t->sleeping = v;
	pthread_mutex_unlock(&t->rq);
}

/* fusion_wait_queue(): the word's slot was taken; the kernel's wait_event rule under km.lock. */
static int model_wait_queue(uint32_t *w, unsigned int word, uint32_t expected)
{
	int ret = 0;

	pthread_mutex_lock(&km.lock);
	/* Registered before the look at the word (prepare_to_wait's fence). */
	__atomic_fetch_add(&km.queued[word], 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(w, __ATOMIC_SEQ_CST) != expected) {
		ret = -EAGAIN;
		goto out;
	}
	while (__atomic_load_n(w, __ATOMIC_SEQ_CST) == expected &&
	       !__atomic_load_n(&km.hup[word], __ATOMIC_SEQ_CST))
		pthread_cond_wait(&km.cond[word], &km.lock);
	if (__atomic_load_n(w, __ATOMIC_SEQ_CST) == expected)
		ret = -EPIPE;
out:
	__atomic_fetch_sub(&km.queued[word], 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&km.lock);
	return ret;
}

/* fusion_wait_slot(): state, CAS into the slot, then the looks; the queue if the slot is taken. */
static int model_wait(struct fusion *f, unsigned int word, uint32_t expected)
{
	uint32_t *w = &f->hdr->words[word];
	struct mtask *t = &self;
	int ret = -EAGAIN;

	for (;;) {
		struct mtask *none = NULL, *me = t;

		set_sleeping(t, 1);
		if (!__atomic_compare_exchange_n(&km.slot[word], &none, t, false, __ATOMIC_SEQ_CST,
						 __ATOMIC_RELAXED)) {
			set_sleeping(t, 0);
			return model_wait_queue(w, word, expected);
		}
		if (__atomic_load_n(w, __ATOMIC_SEQ_CST) != expected)
			break;
		if (__atomic_load_n(&km.hup[word], __ATOMIC_SEQ_CST)) {
			ret = -EPIPE;
			break;
		}
		/* schedule() */
		pthread_mutex_lock(&t->rq);
		while (t->sleeping)
			pthread_cond_wait(&t->cv, &t->rq);
		pthread_mutex_unlock(&t->rq);
		__atomic_compare_exchange_n(&km.slot[word], &me, NULL, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_RELAXED);
		if (__atomic_load_n(w, __ATOMIC_SEQ_CST) != expected)
			return 0;
	}
	set_sleeping(t, 0);
	{
		struct mtask *me = t;

		__atomic_compare_exchange_n(&km.slot[word], &me, NULL, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_RELAXED);
	}
	return ret;
}

/* fusion_wake(): exchange the slot, wake what it held, then the queue if anyone is on it. */
static void model_wake_word(unsigned int word)
{
	struct mtask *t = __atomic_exchange_n(&km.slot[word], NULL, __ATOMIC_SEQ_CST);

	if (t) {
		pthread_mutex_lock(&t->rq);
		t->sleeping = 0;
		pthread_cond_signal(&t->cv);
		pthread_mutex_unlock(&t->rq);
	}
	if (__atomic_load_n(&km.queued[word], __ATOMIC_SEQ_CST)) {
		pthread_mutex_lock(&km.lock);
		pthread_cond_broadcast(&km.cond[word]);
		pthread_mutex_unlock(&km.lock);
	}
}

static int model_wake(struct fusion *f, unsigned int word)
{
	(void)f;
	model_wake_word(word);
	return 0;
}

static void model_hangup(unsigned int word)
{
	__atomic_store_n(&km.hup[word], 1, __ATOMIC_SEQ_CST);
	model_wake_word(word);
}

#define PRODUCERS 2
#define CONSUMERS 2

static void *ring_mem;
static unsigned int nslots = 64, per_producer = 200000;
static unsigned long received[CONSUMERS][PRODUCERS], bad, progress;

struct stamped {
	uint32_t id, seq;
	uint64_t sum;
};

static uint64_t stamp_sum(uint32_t id, uint32_t seq)
{
	return ((uint64_t)id << 32 | seq) * 0x9e3779b97f4a7c15ULL;
}

static void handle(struct fusion *f)
{
	fusion_use_mem(f, ring_mem, nslots);
	f->wait = model_wait;
	f->wake = model_wake;
}

static void *producer(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg, seq = 0;
	struct fusion f;

	handle(&f);
	while (seq < per_producer) {
		struct fusion_msg m[8];
		unsigned int want = 1 + (seq + id) % 8;
		int n;

		if (want > per_producer - seq)
			want = per_producer - seq;
		for (unsigned int k = 0; k < want; k++) {
			struct stamped s = { id, seq + k, stamp_sum(id, seq + k) };

			m[k].len = sizeof(s);
			m[k].type = 0;
			memcpy(m[k].data, &s, sizeof(s));
		}
		n = fusion_send_batch(&f, m, want, true);
		if (n <= 0) {
			fprintf(stderr, "producer %u: send: %d\n", id, n);
			__atomic_fetch_add(&bad, 1, __ATOMIC_RELAXED);
			return NULL;
		}
		seq += (uint32_t)n;
		__atomic_fetch_add(&progress, (unsigned long)n, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg;
	uint32_t last[PRODUCERS] = { 0 };
	int seen[PRODUCERS] = { 0 };
	struct fusion_msg m[16];
	struct fusion f;
	int n;

	handle(&f);
	while ((n = fusion_recv_batch(&f, m, 1 + id * 5, true)) > 0) {
		for (int k = 0; k < n; k++) {
			struct stamped s;

			memcpy(&s, m[k].data, sizeof(s));
			if (m[k].len != sizeof(s) || s.id >= PRODUCERS || s.sum != stamp_sum(s.id, s.seq) ||
			    (seen[s.id] && s.seq <= last[s.id])) {
				__atomic_fetch_add(&bad, 1, __ATOMIC_RELAXED);
				continue;
			}
			seen[s.id] = 1;
			last[s.id] = s.seq;
			received[id][s.id]++;
		}
		__atomic_fetch_add(&progress, (unsigned long)n, __ATOMIC_RELAXED);
	}
	if (n != -EPIPE) {
		fprintf(stderr, "consumer %u: recv: %d\n", id, n);
		__atomic_fetch_add(&bad, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* A lost wake-up leaves everyone asleep: no progress for 10 s fails the run. */
static void *watchdog(void *arg)
{
	unsigned long last = (unsigned long)-1;

	(void)arg;
	for (;;) {
		unsigned long now;

		sleep(10);
		now = __atomic_load_n(&progress, __ATOMIC_RELAXED);
		if (now == last) {
			fprintf(stderr, "fusion_model: FAIL: no progress in 10 s (lost wake-up)\n");
			_exit(1);
		}
		last = now;
	}
	return NULL;
}

static int run(unsigned int slots)
{
	pthread_t p[PRODUCERS], c[CONSUMERS];
	struct fusion init;
	unsigned long total = 0;
	int fail = 0;

	nslots = slots;
	ring_mem = aligned_alloc(4096, FUSION_RING_BYTES(nslots));
	fusion_init_mem(&init, ring_mem, nslots);
	memset(received, 0, sizeof(received));
	__atomic_store_n(&km.hup[0], 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&km.hup[1], 0, __ATOMIC_SEQ_CST);
	for (uintptr_t i = 0; i < CONSUMERS; i++)
		pthread_create(&c[i], NULL, consumer, (void *)i);
	for (uintptr_t i = 0; i < PRODUCERS; i++)
		pthread_create(&p[i], NULL, producer, (void *)i);
	for (int i = 0; i < PRODUCERS; i++)
		pthread_join(p[i], NULL);
	/* The producers "exit": the kernel would now end the consumers' waits with EPIPE. */
	model_hangup(FUSION_WORD_DATA);
	for (int i = 0; i < CONSUMERS; i++)
		pthread_join(c[i], NULL);
	for (int pr = 0; pr < PRODUCERS; pr++) {
		unsigned long got = received[0][pr] + received[1][pr];

		total += got;
		if (got != per_producer) {
			fprintf(stderr, "producer %d: %lu of %u messages received\n", pr, got,
				per_producer);
			fail = 1;
		}
	}
	if (bad) {
		fprintf(stderr, "%lu bad messages or errors\n", bad);
		fail = 1;
	}
	printf("fusion_model: %u slots, %d producers x %d consumers: %lu messages %s\n", nslots,
	       PRODUCERS, CONSUMERS, total, fail ? "FAILED" : "ok");
	free(ring_mem);
	return fail;
}

int main(int argc, char **argv)
{
	pthread_t wd;
	int fail = 0;

	if (argc > 1)
		per_producer = (unsigned int)atoi(argv[1]);
	pthread_create(&wd, NULL, watchdog, NULL);
	/* The smallest ring sleeps most; a larger one exercises batches and wrap-around. */
	fail |= run(64);
	fail |= run(1024);
	return fail;
}
