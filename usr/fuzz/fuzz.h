/*
 * exofuzz: random system calls from unprivileged worker processes, to show
 * that the kernel refuses bad input with an error and stays up.
 *
 * main.c runs the workers and their watchdog, worker.c is one worker's
 * loop, args.c makes the arguments. A worker's call sequence is a function
 * of its seed only, so a crash found with -s SEED -w 1 repeats with it.
 */
#ifndef EXOFUZZ_H
#define EXOFUZZ_H

#include <stdint.h>

#define NR_SYSCALLS_TRIED 460	/* past the last x86_64 number: unknown ones too */
#define ARENA_PAGES 16
#define MAX_WORKERS 16

/* xorshift64*: small, fast, and the same sequence on every machine. */
struct rng {
	uint64_t s;
};

static inline uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

static inline unsigned rng_below(struct rng *r, unsigned n)
{
	return (unsigned)(rng_next(r) % n);
}

/* What a worker shows the parent through shared memory. */
struct worker_slot {
	volatile uint64_t calls;	/* completed calls, all generations */
	volatile uint64_t budget;	/* calls this slot is to make */
	volatile long nr;		/* the call in progress, -1 between calls */
	volatile uint64_t args[6];
	volatile uint64_t seed;		/* of the running generation */
};

/* The pieces of a worker's world the argument maker draws from. */
struct fuzz_world {
	unsigned char *arena;		/* ARENA_PAGES read-write pages, then a guard page */
	int fds[24];
	int nr_fds;
	int nr_paths;			/* path strings in the arena's last page */
};

struct fuzz_options {
	int verbose;			/* print each call before making it */
	int as_root;			/* keep uid 0 (-r): a guest of its own only */
};

void world_init(struct fuzz_world *w, struct rng *r, int as_root);
void arena_fill(struct fuzz_world *w, struct rng *r);
uint64_t arg_value(struct fuzz_world *w, struct rng *r);
const char *syscall_skip_reason(long nr, int as_root);

void worker_main(struct worker_slot *slot, uint64_t seed, const struct fuzz_options *opt)
	__attribute__((noreturn));

#endif
