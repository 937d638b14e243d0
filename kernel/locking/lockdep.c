// SPDX-License-Identifier: MIT
/*
 * The lock validator (CONFIG_DEBUG only; interface in <exo/lockdep.h>,
 * how to read a report in docs/locking.md).
 *
 * Classes: a struct lock_class_key per init site (or per static
 * definition) gets a class number the first time one of its locks is
 * taken, one per subclass. Held locks: spinlocks on a per-CPU stack, which
 * makes the runqueue lock handoff of schedule() (taken by one task,
 * released by the next on the same CPU) need no special case; mutexes on a
 * per-task stack. An interrupt pushes onto the stack of the CPU it hits and
 * pops before it returns. Rw-semaphores share the per-task stack, a
 * shared acquisition marked as read; order is checked the same for both
 * modes (with writers preferred, a reader waits behind a queued writer,
 * so A(read) -> B, B -> A(write) deadlocks like two exclusive locks).
 *
 * IRQ safety: each class remembers where it was first taken in hard-IRQ
 * context (do_irq brackets handlers with lockdep_hardirq_enter/exit) and
 * where it was first taken with interrupts enabled; a class with both is
 * reported once, naming both sites: the interrupt can arrive on the CPU
 * that holds the lock with interrupts on and spin on it forever.
 *
 * Order: taking class B while holding class A records the dependency
 * A -> B (from the top of the held stack, and from below a trylock, whose
 * own acquisition has no order). A dependency is looked up lock-free in a
 * hash of (A, B) pairs; only a new one takes the graph lock and searches,
 * breadth first over the fixed edge table, whether B already reaches A.
 * If it does, that is a possible deadlock. Nothing is allocated.
 *
 * Cost: the hooks run on every lock operation of the debug kernel that
 * make run boots, which must stay within 3x the production kernel's
 * cycles (make bench's debug column). So what is already known is a
 * straight line, the rest out of line: a registered class, an IRQ state
 * already recorded, the top held lock's dependency already in the hash
 * (one probe), the top of the stack released. Every acquisition is still
 * checked; nothing is sampled.
 *
 * Reports (inversion, same class taken twice, sleeping with a spinlock
 * held, a table full) print the classes and the acquire sites, WARN, and
 * turn the checking off: one report per boot, as Linux does. Recursion on
 * one lock and release by a non-owner panic, as they did before the
 * validator existed: they are certain bugs, not possible ones. The held
 * stacks are kept even while checking is off, so the self-test can turn
 * it back on.
 *
 * Lock order: graph_lock is a raw test-and-set lock with interrupts off,
 * not itself validated; nothing is printed and no lock is taken under it.
 */
#include <exo/irqflags.h>
#include <exo/lockdep.h>
#include <exo/mutex.h>
#include <exo/panic.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/rwsem.h>
#include <exo/sched.h>
#include <exo/spinlock.h>
#include <exo/string.h>	/* strcmp */
#include <uapi/errno.h>

#define MAX_CLASSES	1024		/* class 0 means "not tracked" */
#define MAX_EDGES	4096
#define EDGE_HASH_BITS	13		/* twice MAX_EDGES slots: probes stay short */
#define EDGE_HASH_SIZE	(1u << EDGE_HASH_BITS)
#define CPU_DEPTH	16		/* spinlocks one CPU may hold, interrupts included */
#define MAX_CHAIN	8		/* dependencies a report prints */

struct lock_class {
	const char *name;		/* [immutable once set] */
	unsigned int subclass;		/* [immutable once set] */
	u32 first_out;			/* [graph_lock] index + 1 of its newest edge, 0: none */
	unsigned long irq_ip;		/* [atomic, set once] first taken in hard-IRQ context */
	unsigned long irqs_on_ip;	/* [atomic, set once] first taken with interrupts on */
};

/* "from was held (taken at from_ip) when to was taken (at to_ip)". */
struct lock_edge {
	u16 from, to;
	u32 next_out;			/* index + 1 of from's next edge */
	unsigned long from_ip, to_ip;
};

struct cpu_held {
	struct held_lock held[CPU_DEPTH];	/* [this CPU, irqs off] */
	unsigned int depth;			/* [this CPU, irqs off] */
};

static struct lock_class classes[MAX_CLASSES];	/* [graph_lock] */
static unsigned int nr_classes = 1;		/* [graph_lock] */
static struct lock_edge edges[MAX_EDGES];	/* [graph_lock] */
static unsigned int nr_edges;			/* [graph_lock] */
static u32 edge_hash[EDGE_HASH_SIZE];		/* [graph_lock] to write; from << 16 | to */
static struct cpu_held cpu_held[NR_CPUS];
static unsigned int hardirq_depth[NR_CPUS];	/* [this CPU] nested interrupt handlers */
static int graph_lock;				/* [atomic] 1 when held */
static bool checking = true;			/* [atomic] off after the first report */
static struct task *expecting;			/* [atomic] self-test task provoking reports */
static struct lockdep_report last_report;	/* [written by the one reporter] */

/* BFS state, [graph_lock]. */
static u32 bfs_gen;
static u32 bfs_seen[MAX_CLASSES];
static u32 bfs_via[MAX_CLASSES];		/* edge index + 1 the class was reached by */
static u16 bfs_queue[MAX_CLASSES];

static void graph_lock_acquire(void)
{
	while (__atomic_exchange_n(&graph_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void graph_lock_release(void)
{
	__atomic_store_n(&graph_lock, 0, __ATOMIC_RELEASE);
}

static u32 edge_hash_slot(u32 k)
{
	return (k * 2654435761u) >> (32 - EDGE_HASH_BITS);
}

/* Lock-free: an edge once inserted stays until a self-test removes its classes. */
static __always_inline bool edge_exists(u16 from, u16 to)
{
	u32 k = (u32)from << 16 | to;

	for (u32 i = edge_hash_slot(k);; i = (i + 1) & (EDGE_HASH_SIZE - 1)) {
		u32 v = __atomic_load_n(&edge_hash[i], __ATOMIC_RELAXED);

		if (v == k)
			return true;
		if (!v)
			return false;
	}
}

static void edge_hash_insert(u16 from, u16 to)
{
	u32 k = (u32)from << 16 | to, i = edge_hash_slot(k);

	while (edge_hash[i])
		i = (i + 1) & (EDGE_HASH_SIZE - 1);
	__atomic_store_n(&edge_hash[i], k, __ATOMIC_RELAXED);
}

/* Caller holds graph_lock and has checked there is room. */
static void edge_add(const struct lock_edge *e)
{
	struct lock_edge *n = &edges[nr_edges];

	*n = *e;
	n->next_out = classes[e->from].first_out;
	classes[e->from].first_out = ++nr_edges;
	edge_hash_insert(e->from, e->to);
}

/*
 * Breadth first from @start: if @target is reachable, stores the edges of
 * the shortest path (at most @max, the first ones) in @path and returns its
 * length; else 0. Bounded: each class is queued once. Caller holds graph_lock.
 */
static unsigned int graph_find_path(u16 start, u16 target, struct lock_edge *path,
				    unsigned int max)
{
	unsigned int head = 0, tail = 0, len = 0;

	bfs_gen++;
	bfs_seen[start] = bfs_gen;
	bfs_queue[tail++] = start;
	while (head < tail) {
		u16 c = bfs_queue[head++];

		for (u32 e = classes[c].first_out; e; e = edges[e - 1].next_out) {
			u16 to = edges[e - 1].to;

			if (bfs_seen[to] == bfs_gen)
				continue;
			bfs_seen[to] = bfs_gen;
			bfs_via[to] = e;
			if (to != target) {
				bfs_queue[tail++] = to;
				continue;
			}
			for (u16 x = target; x != start; x = edges[bfs_via[x] - 1].from)
				len++;
			unsigned int i = len;

			for (u16 x = target; x != start; x = edges[bfs_via[x] - 1].from)
				if (--i < max)
					path[i] = edges[bfs_via[x] - 1];
			return len;
		}
	}
	return 0;
}

static __noinline u16 lockdep_class_register(struct lockdep_map *map, unsigned int subclass);

/* The class of @map at @subclass, registered on first use; 0 when none is left. */
static __always_inline u16 lockdep_class_of(struct lockdep_map *map, unsigned int subclass)
{
	struct lock_class_key *key = map->key;
	u16 idx;

	if (!key)
		return 0;
	if (subclass >= LOCKDEP_SUBCLASSES)
		subclass = LOCKDEP_SUBCLASSES - 1;
	idx = __atomic_load_n(&key->class_idx[subclass], __ATOMIC_ACQUIRE);
	if (likely(idx))
		return idx;
	return lockdep_class_register(map, subclass);
}

static __noinline u16 lockdep_class_register(struct lockdep_map *map, unsigned int subclass)
{
	struct lock_class_key *key = map->key;
	u16 idx;

	graph_lock_acquire();
	idx = key->class_idx[subclass];
	if (!idx && nr_classes < MAX_CLASSES) {
		idx = (u16)nr_classes++;
		classes[idx].name = map->name ? map->name : "(unnamed)";
		classes[idx].subclass = subclass;
		__atomic_store_n(&key->class_idx[subclass], idx, __ATOMIC_RELEASE);
	}
	graph_lock_release();
	return idx;
}

/*
 * Turns checking off and returns true for the one caller that gets to
 * report; false when checking is already off. Callable under graph_lock.
 */
static bool report_begin(const char *kind, const char *held, const char *taking)
{
	bool on = true;

	if (!__atomic_compare_exchange_n(&checking, &on, false, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_RELAXED))
		return false;
	last_report.kind = kind;
	last_report.held = held;
	last_report.taking = taking;
	__atomic_fetch_add(&last_report.count, 1, __ATOMIC_RELEASE);
	return true;
}

/*
 * Every report line starts with the prefix the test harness looks for;
 * a report a self-test provokes on purpose says so instead, so that the
 * harness can tell it from a real one.
 */
static const char *report_prefix(void)
{
	struct task *t = __atomic_load_n(&expecting, __ATOMIC_RELAXED);

	return t && t == current ? "lockdep (expected):" : "lockdep:";
}

static const char *class_suffix(u16 idx)
{
	static const char *const suffix[LOCKDEP_SUBCLASSES] = { "", "/1", "/2", "/3",
								"/4", "/5", "/6", "/7" };

	return suffix[classes[idx].subclass];
}

static void report_end(void)
{
	const char *p = report_prefix();

	pr_err("%s the validator is off from here on%s\n", p,
	       strcmp(p, "lockdep:") ? " (the self-test turns it back on)" : "");
	/* The harness fails a test on any WARNING but a provoked one. */
	__warn(__FILE__, __LINE__, strcmp(p, "lockdep:") ? "lock validator report (expected)"
						      : "lock validator report");
}

static void report_task(const char *p)
{
	struct task *t = current;

	pr_err("%s CPU %lu, task %s (pid %d)\n", p, smp_processor_id(), t ? t->comm : "none",
	       t ? t->pid : 0);
}

static void report_inversion(const struct held_lock *held, u16 taking, unsigned long ip,
			     const struct lock_edge *path, unsigned int len)
{
	const char *p = report_prefix();

	pr_err("%s possible circular locking dependency: %s%s -> %s%s\n", p,
	       classes[held->class_idx].name, class_suffix(held->class_idx), classes[taking].name,
	       class_suffix(taking));
	report_task(p);
	pr_err("%s is taking %s%s at %pS\n", p, classes[taking].name, class_suffix(taking),
	       (void *)ip);
	pr_err("%s while holding %s%s, taken at %pS\n", p, classes[held->class_idx].name,
	       class_suffix(held->class_idx), (void *)held->ip);
	pr_err("%s but this order was already recorded the other way:\n", p);
	for (unsigned int i = 0; i < len && i < MAX_CHAIN; i++)
		pr_err("%s   %s%s (taken at %pS) -> %s%s (taken at %pS)\n", p,
		       classes[path[i].from].name, class_suffix(path[i].from),
		       (void *)path[i].from_ip, classes[path[i].to].name, class_suffix(path[i].to),
		       (void *)path[i].to_ip);
	if (len > MAX_CHAIN)
		pr_err("%s   ... %u more\n", p, len - MAX_CHAIN);
	report_end();
}

static void report_recursive(const struct held_lock *held, u16 taking, unsigned long ip)
{
	const char *p = report_prefix();

	pr_err("%s possible recursive locking: a second lock of class %s%s\n", p,
	       classes[taking].name, class_suffix(taking));
	report_task(p);
	pr_err("%s is taking it at %pS while holding one taken at %pS\n", p, (void *)ip,
	       (void *)held->ip);
	pr_err("%s two locks of one class need a fixed order and spin_lock_nested()\n", p);
	report_end();
}

/* A task taking a read lock it already holds for reading: a queued writer deadlocks it. */
static void report_recursive_read(const struct lockdep_map *map, const struct held_lock *held,
				  unsigned long ip)
{
	const char *p;

	if (!report_begin("recursive read", map->name, map->name))
		return;
	p = report_prefix();
	pr_err("%s possible recursive locking: %s taken for reading twice\n", p, map->name);
	report_task(p);
	pr_err("%s is taking it at %pS while holding it, taken at %pS\n", p, (void *)ip,
	       (void *)held->ip);
	pr_err("%s a writer waiting between the two acquisitions deadlocks both\n", p);
	report_end();
}

void lockdep_hardirq_enter(void)
{
	hardirq_depth[smp_processor_id()]++;
}

void lockdep_hardirq_exit(void)
{
	hardirq_depth[smp_processor_id()]--;
}

bool lockdep_in_hardirq(void)
{
	return READ_ONCE(hardirq_depth[smp_processor_id()]) != 0;
}

/*
 * Records where class @cls was taken in an interrupt handler or with
 * interrupts on (@irqs_on), and reports a class that has been both.
 */
static __noinline void lockdep_irq_state_first(u16 cls, bool in_irq, unsigned long ip);

static __always_inline void lockdep_check_irq_safety(u16 cls, bool in_irq, bool irqs_on,
						     unsigned long ip)
{
	struct lock_class *c = &classes[cls];

	/* Each state is recorded once: later acquisitions in it have nothing to add. */
	if (in_irq) {
		if (likely(__atomic_load_n(&c->irq_ip, __ATOMIC_RELAXED)))
			return;
	} else if (!irqs_on || likely(__atomic_load_n(&c->irqs_on_ip, __ATOMIC_RELAXED))) {
		return;
	}
	lockdep_irq_state_first(cls, in_irq, ip);
}

/* The first acquisition of @cls in hard-IRQ context (@in_irq) or with interrupts on. */
static __noinline void lockdep_irq_state_first(u16 cls, bool in_irq, unsigned long ip)
{
	struct lock_class *c = &classes[cls];
	unsigned long *mine = in_irq ? &c->irq_ip : &c->irqs_on_ip, other, zero = 0;
	const char *p;

	__atomic_compare_exchange_n(mine, &zero, ip, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
	other = __atomic_load_n(in_irq ? &c->irqs_on_ip : &c->irq_ip, __ATOMIC_SEQ_CST);
	if (!other || !report_begin("irq-safety", c->name, c->name))
		return;
	p = report_prefix();
	pr_err("%s inconsistent IRQ state: %s%s is taken in an interrupt handler and with interrupts on\n",
	       p, c->name, class_suffix(cls));
	report_task(p);
	pr_err("%s taken in hard-IRQ context at %pS\n", p, (void *)c->irq_ip);
	pr_err("%s taken with interrupts enabled at %pS\n", p, (void *)c->irqs_on_ip);
	pr_err("%s an interrupt on the CPU holding it with interrupts on spins forever: take it irqsave\n",
	       p);
	report_end();
}

static void report_limit(const char *what)
{
	if (!report_begin("limit", what, what))
		return;
	pr_err("%s %s: lock validation stops\n", report_prefix(), what);
	report_end();
}

/*
 * Records @held -> @taking (taken at @ip), or reports when the reverse
 * order is known. Interrupts are off.
 */
static __noinline void lockdep_add_dependency(const struct held_lock *held, u16 taking,
					      unsigned long ip);

static void lockdep_check_dependency(const struct held_lock *held, u16 taking, unsigned long ip)
{
	if (unlikely(held->class_idx == taking)) {
		if (report_begin("recursive", classes[taking].name, classes[taking].name))
			report_recursive(held, taking, ip);
		return;
	}
	if (likely(edge_exists(held->class_idx, taking)))
		return;
	lockdep_add_dependency(held, taking, ip);
}

/* A dependency not seen before: searched for a cycle, then recorded. */
static __noinline void lockdep_add_dependency(const struct held_lock *held, u16 taking,
					      unsigned long ip)
{
	struct lock_edge path[MAX_CHAIN];
	unsigned int len;

	graph_lock_acquire();
	if (!__atomic_load_n(&checking, __ATOMIC_RELAXED) ||
	    edge_exists(held->class_idx, taking)) {
		graph_lock_release();
		return;
	}
	len = graph_find_path(taking, held->class_idx, path, MAX_CHAIN);
	if (len) {
		bool first = report_begin("inversion", classes[held->class_idx].name,
					  classes[taking].name);

		graph_lock_release();
		if (first)
			report_inversion(held, taking, ip, path, len);
		return;
	}
	if (nr_edges == MAX_EDGES) {
		graph_lock_release();
		report_limit("dependency table full (MAX_EDGES)");
		return;
	}
	edge_add(&(struct lock_edge){ .from = held->class_idx, .to = taking,
				      .from_ip = held->ip, .to_ip = ip });
	graph_lock_release();
}

/* Checks @taking against the held stack top down, past trylocks. */
static __noinline void lockdep_check_order(const struct held_lock *stack, unsigned int depth,
					   u16 taking, unsigned long ip)
{
	while (depth--) {
		const struct held_lock *h = &stack[depth];

		if (h->class_idx)
			lockdep_check_dependency(h, taking, ip);
		if (!h->trylock)
			break;
	}
}

/* The entry of @lock on the current task's held stack, or NULL. */
static struct held_lock *task_held(const void *lock)
{
	struct task *t = current;

	if (!t)
		return NULL;
	for (unsigned int i = t->lockdep.depth; i--;)
		if (t->lockdep.held[i].lock == lock)
			return &t->lockdep.held[i];
	return NULL;
}

/*
 * Certain bugs, not possible ones: they panic, as before the validator.
 * A read lock taken again for reading is a report: it deadlocks only if a
 * writer queues in between. Returns false when the acquisition is not to
 * be pushed (a panic would have stopped it anyway).
 */
static void lockdep_check_recursion(const struct lockdep_map *map, const void *lock,
				    unsigned int kind, unsigned int flags, unsigned long ip)
{
	if (kind == LOCKDEP_RWSEM) {
		const struct held_lock *h = task_held(lock);

		if (likely(!h))
			return;
		if (h->read && (flags & LOCKDEP_READ)) {
			if (__atomic_load_n(&checking, __ATOMIC_RELAXED))
				report_recursive_read(map, h, ip);
			return;
		}
		panic("rwsem %s: recursive lock by %s (pid %d)", map->name, current->comm,
		      current->pid);
	} else if (kind == LOCKDEP_MUTEX) {
		const struct mutex *m = lock;

		if (unlikely(mutex_held_by_current(m)))
			panic("mutex %s: recursive lock by %s (pid %d)", map->name, current->comm,
			      current->pid);
	} else {
		const struct spinlock *s = lock;

		if (unlikely(READ_ONCE(s->holder_cpu) == (int)smp_processor_id()))
			panic("spinlock recursion on %s", map->name);
	}
}

static void lockdep_check_owner(const struct lockdep_map *map, const void *lock,
				unsigned int kind)
{
	if (kind == LOCKDEP_RWSEM) {
		const struct rw_semaphore *s = lock;
		const struct held_lock *h = task_held(lock);
		struct task *owner = __atomic_load_n(&s->owner, __ATOMIC_RELAXED);

		if (unlikely(!h && current && current->lockdep.depth < LOCKDEP_MUTEX_DEPTH))
			panic("rwsem %s: released by %s (pid %d), which does not hold it", map->name,
			      current->comm, current->pid);
		if (unlikely(h && !h->read && owner != current))
			panic("rwsem %s: write lock released by %s (pid %d), owner %s", map->name,
			      current->comm, current->pid, owner ? owner->comm : "none");
	} else if (kind == LOCKDEP_MUTEX) {
		const struct mutex *m = lock;
		struct task *owner = __atomic_load_n(&m->owner, __ATOMIC_RELAXED);

		if (unlikely(owner != current))
			panic("mutex %s: unlocked by %s (pid %d), owner %s (pid %d)", map->name,
			      current->comm, current->pid, owner ? owner->comm : "none",
			      owner ? owner->pid : 0);
	} else {
		const struct spinlock *s = lock;

		if (unlikely(s->holder_cpu != (int)smp_processor_id()))
			panic("spinlock %s released by CPU %lu, held by %d", map->name,
			      smp_processor_id(), s->holder_cpu);
	}
}

/*
 * The order check of an acquisition of @cls on top of @stack: in the common
 * case the top entry is a plain lock of another class whose dependency on
 * @cls is already recorded, one hash probe; everything else (trylocks below
 * which to look further, a new dependency, the same class) goes the long way.
 */
static __always_inline void lockdep_order(const struct held_lock *stack, unsigned int depth,
					  u16 cls, unsigned long ip)
{
	const struct held_lock *top = &stack[depth - 1];

	if (likely(top->class_idx && !top->trylock && top->class_idx != cls &&
		   edge_exists(top->class_idx, cls)))
		return;
	lockdep_check_order(stack, depth, cls, ip);
}

/*
 * The body of every acquisition hook; inlined into each so that the
 * spinlock one, the most frequent, is compiled for its constant kind and
 * flags. @ip: the hook's return address, in the lock's caller.
 */
static __always_inline void __lockdep_acquire(struct lockdep_map *map, const void *lock,
					      unsigned int subclass, unsigned int flags,
					      unsigned int kind, unsigned long ip)
{
	bool mutex = kind != LOCKDEP_SPIN;
	struct held_lock *stack;
	unsigned int *depth, max;
	unsigned long irqflags;
	struct task *t = current;
	u16 cls;

	if (!(flags & LOCKDEP_TRYLOCK))
		lockdep_check_recursion(map, lock, kind, flags, ip);
	local_irq_save(irqflags);
	cls = lockdep_class_of(map, subclass);
	if (mutex) {
		if (!t)
			goto out;
		stack = t->lockdep.held;
		depth = &t->lockdep.depth;
		max = LOCKDEP_MUTEX_DEPTH;
	} else {
		struct cpu_held *ch = &cpu_held[smp_processor_id()];

		stack = ch->held;
		depth = &ch->depth;
		max = CPU_DEPTH;
	}
	if (cls && __atomic_load_n(&checking, __ATOMIC_RELAXED)) {
		if (!mutex)
			lockdep_check_irq_safety(cls, hardirq_depth[smp_processor_id()] != 0,
						 !irqs_disabled_flags(irqflags), ip);
		if (flags & LOCKDEP_TRYLOCK)
			;
		else if (*depth)
			lockdep_order(stack, *depth, cls, ip);
		else if (!mutex && t && t->lockdep.depth)
			/* The first spinlock under the task's mutexes. */
			lockdep_order(t->lockdep.held, t->lockdep.depth, cls, ip);
	}
	if (unlikely(*depth == max)) {
		report_limit(mutex ? "too many mutexes held (LOCKDEP_MUTEX_DEPTH)"
				   : "too many spinlocks held (CPU_DEPTH)");
		goto out;
	}
	stack[(*depth)++] = (struct held_lock){ .lock = lock, .ip = ip, .class_idx = cls,
						 .trylock = flags & LOCKDEP_TRYLOCK,
						 .read = flags & LOCKDEP_READ };
out:
	local_irq_restore(irqflags);
}

void lockdep_acquire(struct lockdep_map *map, const void *lock, unsigned int subclass,
		     unsigned int flags, unsigned int kind)
{
	__lockdep_acquire(map, lock, subclass, flags, kind,
			  (unsigned long)__builtin_return_address(0));
}

void lockdep_spin_acquire(struct lockdep_map *map, const void *lock, unsigned int subclass)
{
	__lockdep_acquire(map, lock, subclass, 0, LOCKDEP_SPIN,
			  (unsigned long)__builtin_return_address(0));
}

/* Drops @lock from the held stack; usually the top, but locks may be released out of order. */
static __noinline void lockdep_pop_below(struct held_lock *stack, unsigned int *depth,
					 const void *lock)
{
	for (unsigned int i = *depth - 1; i--;) {
		if (stack[i].lock != lock)
			continue;
		for (unsigned int j = i + 1; j < *depth; j++)
			stack[j - 1] = stack[j];
		(*depth)--;
		return;
	}
	/* Only a push dropped on overflow, which turned checking off, is missing. */
	report_limit("released a lock that is not on the held stack");
}

static __always_inline void __lockdep_release(struct lockdep_map *map, const void *lock,
					      unsigned int kind)
{
	bool mutex = kind != LOCKDEP_SPIN;
	struct held_lock *stack;
	unsigned int *depth;
	unsigned long irqflags;
	struct task *t = current;

	lockdep_check_owner(map, lock, kind);
	local_irq_save(irqflags);
	if (mutex) {
		if (!t)
			goto out;
		stack = t->lockdep.held;
		depth = &t->lockdep.depth;
	} else {
		struct cpu_held *ch = &cpu_held[smp_processor_id()];

		stack = ch->held;
		depth = &ch->depth;
	}
	if (likely(*depth && stack[*depth - 1].lock == lock))
		(*depth)--;
	else if (*depth)
		lockdep_pop_below(stack, depth, lock);
	else
		report_limit("released a lock that is not on the held stack");
out:
	local_irq_restore(irqflags);
}

void lockdep_release(struct lockdep_map *map, const void *lock, unsigned int kind)
{
	__lockdep_release(map, lock, kind);
}

void lockdep_spin_release(struct lockdep_map *map, const void *lock)
{
	__lockdep_release(map, lock, LOCKDEP_SPIN);
}

void lockdep_sleep_check(const char *what, const char *file, int line)
{
	struct cpu_held *ch;
	struct held_lock top;
	unsigned long irqflags;
	const char *p;

	local_irq_save(irqflags);
	ch = &cpu_held[smp_processor_id()];
	if (likely(!ch->depth) || !__atomic_load_n(&checking, __ATOMIC_RELAXED)) {
		local_irq_restore(irqflags);
		return;
	}
	top = ch->held[ch->depth - 1];
	if (!report_begin("sleep", classes[top.class_idx].name, what)) {
		local_irq_restore(irqflags);
		return;
	}
	local_irq_restore(irqflags);
	p = report_prefix();
	pr_err("%s sleeping function called with a spinlock held: %s at %s:%d\n", p, what, file,
	       line);
	report_task(p);
	for (unsigned int i = ch->depth; i--;)
		pr_err("%s   holding %s%s, taken at %pS\n", p, classes[ch->held[i].class_idx].name,
		       class_suffix(ch->held[i].class_idx), (void *)ch->held[i].ip);
	report_end();
}

/*
 * might_sleep(): a sleeping primitive was called. Besides a spinlock held
 * (lockdep_sleep_check()), interrupts off or an interrupt handler are
 * reported: the sleep would switch away with them off, or from a context
 * that cannot sleep. The boot CPU's idle task (pid 0) runs the
 * initcalls with interrupts still off and nothing to switch to, as Linux
 * before SYSTEM_SCHEDULING: it is not checked for that.
 */
void lockdep_might_sleep(const char *file, int line)
{
	bool in_irq, irqs_off;
	unsigned long irqflags;
	unsigned int cpu, spinlocks;
	const char *p;

	if (!__atomic_load_n(&checking, __ATOMIC_RELAXED))
		return;
	/* One look at this CPU's state with interrupts off; the report itself looks again. */
	local_irq_save(irqflags);
	cpu = smp_processor_id();
	spinlocks = cpu_held[cpu].depth;
	in_irq = hardirq_depth[cpu] != 0;
	local_irq_restore(irqflags);
	if (unlikely(spinlocks)) {
		lockdep_sleep_check("might_sleep", file, line);
		return;
	}
	if (!current || !current->pid)
		return;
	irqs_off = irqs_disabled_flags(irqflags);
	if (likely(!in_irq && !irqs_off))
		return;
	if (!report_begin("sleep", in_irq ? "hard-IRQ context" : "interrupts off", "might_sleep"))
		return;
	p = report_prefix();
	pr_err("%s sleeping function called %s: might_sleep at %s:%d\n", p,
	       in_irq ? "from an interrupt handler" : "with interrupts off", file, line);
	report_task(p);
	pr_err("%s   called from %pS\n", p, __builtin_return_address(0));
	report_end();
}

void __lockdep_assert_held(const struct lockdep_map *map, const void *lock, unsigned int kind,
			   const char *file, int line)
{
	bool mutex = kind != LOCKDEP_SPIN;
	int holder = -1;
	const char *p;

	if (kind == LOCKDEP_RWSEM) {
		if (likely(task_held(lock)))
			return;
	} else if (mutex) {
		if (likely(mutex_held_by_current(lock)))
			return;
	} else {
		holder = READ_ONCE(((const struct spinlock *)lock)->holder_cpu);
		if (likely(holder == (int)smp_processor_id()))
			return;
	}
	if (!report_begin("not held", map->name, map->name))
		return;
	p = report_prefix();
	pr_err("%s %s is not held by this %s at %s:%d (its contract says the caller holds it)\n",
	       p, map->name, mutex ? "task" : "CPU", file, line);
	report_task(p);
	if (kind == LOCKDEP_RWSEM) {
		pr_err("%s count %ld (-1: a writer)\n", p,
		       __atomic_load_n(&((const struct rw_semaphore *)lock)->count, __ATOMIC_RELAXED));
	} else if (mutex) {
		struct task *owner = __atomic_load_n(&((const struct mutex *)lock)->owner,
						     __ATOMIC_RELAXED);

		pr_err("%s its owner: %s (pid %d)\n", p, owner ? owner->comm : "none",
		       owner ? owner->pid : 0);
	} else {
		pr_err("%s held by CPU %d (-1: nobody)\n", p, holder);
	}
	report_end();
}

int lockdep_selftest_begin(void)
{
	if (!__atomic_load_n(&checking, __ATOMIC_ACQUIRE))
		return -EBUSY;
	__atomic_store_n(&expecting, current, __ATOMIC_RELAXED);
	return 0;
}

static bool class_in(u16 idx, const u16 *set, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (set[i] == idx)
			return true;
	return false;
}

void lockdep_selftest_end(struct lockdep_map *const *maps, unsigned int n)
{
	u16 forget[8 * LOCKDEP_SUBCLASSES];
	unsigned int nf = 0, kept = 0;
	unsigned long irqflags;

	local_irq_save(irqflags);
	graph_lock_acquire();
	for (unsigned int i = 0; i < n && nf + LOCKDEP_SUBCLASSES <= ARRAY_SIZE(forget); i++)
		for (unsigned int s = 0; s < LOCKDEP_SUBCLASSES; s++)
			if (maps[i]->key && maps[i]->key->class_idx[s])
				forget[nf++] = maps[i]->key->class_idx[s];
	/* Rebuild without the self-test's edges; a lock-free reader that misses retries locked. */
	for (unsigned int i = 0; i < nr_classes; i++) {
		classes[i].first_out = 0;
		if (class_in((u16)i, forget, nf)) {
			classes[i].irq_ip = 0;
			classes[i].irqs_on_ip = 0;
		}
	}
	for (unsigned int i = 0; i < EDGE_HASH_SIZE; i++)
		__atomic_store_n(&edge_hash[i], 0, __ATOMIC_RELAXED);
	for (unsigned int i = 0, total = nr_edges; i < total; i++) {
		struct lock_edge e = edges[i];

		if (class_in(e.from, forget, nf) || class_in(e.to, forget, nf))
			continue;
		nr_edges = kept;
		edge_add(&e);
		kept++;
	}
	nr_edges = kept;
	__atomic_store_n(&expecting, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&checking, true, __ATOMIC_RELEASE);
	graph_lock_release();
	local_irq_restore(irqflags);
}

void lockdep_last_report(struct lockdep_report *r)
{
	*r = last_report;
	r->count = __atomic_load_n(&last_report.count, __ATOMIC_ACQUIRE);
}

bool lockdep_enabled(void)
{
	return __atomic_load_n(&checking, __ATOMIC_ACQUIRE);
}
