// SPDX-License-Identifier: MIT
/*
 * Fast user-space mutexes: futex(2) WAIT, WAKE, REQUEUE, CMP_REQUEUE,
 * WAKE_OP, WAIT_BITSET, WAKE_BITSET; robust lists; the futex wake on
 * clear_child_tid at thread exit.
 *
 * A futex is named by a key: (mm, address) for private futexes and for any
 * futex on private memory (so that a "shared" wake and a private wait on
 * the same private word still meet, as on Linux), and the physical address
 * for words in shared mappings, which different processes reach at
 * different virtual addresses. Waiters sit in one of FUTEX_HASH_SIZE
 * buckets; a wake takes them off the list and marks them woken before
 * waking the task, so a waiter knows why it returned.
 *
 * The WAIT check reads the user word under the bucket lock: a concurrent
 * WAKE takes the same lock, so a waiter cannot miss a wake that follows a
 * change of the word. The read may fault; the fault path takes mm->lock and
 * never sleeps, so that is safe under a spinlock: futex_get_value_locked()
 * says so to the lock validator.
 *
 * Lock order: mm->lock (key lookup only, released before) -> bucket locks
 * (two in address order for requeue, the second spin_lock_nested()) ->
 * rq->lock (wake_up_process); a fault on the word read under a bucket lock
 * takes mm->lock under it.
 */
#include <exo/err.h>
#include <exo/init.h>
#include <exo/exit.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/timer.h>
#include <exo/uaccess.h>
#include <asm/futex.h>
#include <asm/mmu.h>
#include <uapi/errno.h>
#include <uapi/futex.h>
#include <uapi/time_types.h>

#define FUTEX_HASH_SIZE 256

struct futex_key {
	unsigned long word;	/* user address (private) or physical address (shared) */
	const struct mm *mm;	/* NULL for shared keys */
};

struct futex_bucket;

struct futex_waiter {
	struct list_head node;		/* [bucket->lock] */
	struct futex_key key;		/* [bucket->lock] requeue changes it */
	struct futex_bucket *bucket;	/* [bucket->lock] */
	struct task *task;		/* [immutable] */
	u32 bitset;			/* [immutable] */
	bool woken;			/* [bucket->lock] */
};

struct futex_bucket {
	struct spinlock lock;
	struct list_head waiters;	/* [lock] */
};

static struct futex_bucket buckets[FUTEX_HASH_SIZE];

static struct futex_bucket *bucket_of(const struct futex_key *k)
{
	unsigned long h = (k->word >> 2) ^ ((unsigned long)k->mm >> 6);

	h ^= h >> 17;
	return &buckets[h % FUTEX_HASH_SIZE];
}

/* Before any task can run a futex operation (user space, thread exit). */
static int futex_init(void)
{
	for (unsigned int i = 0; i < FUTEX_HASH_SIZE; i++) {
		spin_lock_init(&buckets[i].lock);
		INIT_LIST_HEAD(&buckets[i].waiters);
	}
	return 0;
}
core_initcall(futex_init);

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->word == b->word && a->mm == b->mm;
}

static int futex_key_get_shared(u32 __user *uaddr, struct mm *mm, struct futex_key *key);

/* Names the futex at @uaddr; 0, -EINVAL (misaligned) or -EFAULT. Private keys inline. */
static __always_inline int futex_key_get(u32 __user *uaddr, bool private, struct futex_key *key)
{
	unsigned long addr = (unsigned long)uaddr;
	struct mm *mm = current->mm;

	if (addr & 3)
		return -EINVAL;
	if (!access_ok(uaddr, sizeof(u32)) || !mm)
		return -EFAULT;
	key->word = addr;
	key->mm = mm;
	if (private)
		return 0;
	return futex_key_get_shared(uaddr, mm, key);
}

/* The key of a futex that may be in a shared mapping: its physical address there. */
static __noinline int futex_key_get_shared(u32 __user *uaddr, struct mm *mm, struct futex_key *key)
{
	unsigned long addr = (unsigned long)uaddr;

	for (int tries = 0; tries < 4; tries++) {
		struct vm_area *vma;
		u64 *pte;
		u32 probe;

		spin_lock(&mm->lock);
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr) {
			spin_unlock(&mm->lock);
			return -EFAULT;
		}
		if (!(vma->vm_flags & VM_SHARED)) {
			spin_unlock(&mm->lock);
			return 0;
		}
		pte = arch_user_pte(mm, addr, false);
		if (pte && pte_accessible(*pte)) {
			key->word = (pte_pfn(*pte) << PAGE_SHIFT) | (addr & ~PAGE_MASK);
			key->mm = NULL;
			spin_unlock(&mm->lock);
			return 0;
		}
		spin_unlock(&mm->lock);
		/* Not mapped in yet: fault it in and look again. */
		if (copy_from_user(&probe, uaddr, sizeof(probe)))
			return -EFAULT;
	}
	return -EFAULT;
}

/* Reads the futex word with @b's lock held (see the comment at the top). */
static int futex_get_value_locked(struct futex_bucket *b, u32 *val, u32 __user *uaddr)
{
	lockdep_assert_held(&b->lock);
	return __copy_from_user_inatomic(val, uaddr, sizeof(*val));
}

/* The waiter may return once woken is set, but waits for b->lock to be free first. */
static void futex_wake_waiter(struct futex_waiter *w)
{
	list_del_init(&w->node);
	__atomic_store_n(&w->woken, true, __ATOMIC_RELEASE);
	wake_up_process(w->task);
}

/* Wakes up to @n waiters on @key whose bitset meets @bitset; caller holds the bucket lock. */
static __always_inline int futex_wake_locked(struct futex_bucket *b, const struct futex_key *key, int n, u32 bitset)
{
	struct futex_waiter *w, *tmp;
	int woken = 0;

	lockdep_assert_held(&b->lock);
	list_for_each_entry_safe(w, tmp, &b->waiters, node) {
		if (woken >= n)
			break;
		if (key_eq(&w->key, key) && (w->bitset & bitset)) {
			futex_wake_waiter(w);
			woken++;
		}
	}
	return woken;
}

static long futex_wake(u32 __user *uaddr, bool private, int n, u32 bitset)
{
	struct futex_key key;
	struct futex_bucket *b;
	int err, woken;

	if (!bitset)
		return -EINVAL;
	err = futex_key_get(uaddr, private, &key);
	if (err)
		return err;
	b = bucket_of(&key);
	spin_lock(&b->lock);
	woken = futex_wake_locked(b, &key, n, bitset);
	spin_unlock(&b->lock);
	return woken;
}

static void futex_timeout_fn(struct timer *t)
{
	wake_up_process(t->data);
}

/* Locks the bucket @w is in now (requeue may move it meanwhile). */
static struct futex_bucket *waiter_lock(struct futex_waiter *w)
	__acquires(&w->bucket->lock)
{
	for (;;) {
		struct futex_bucket *b = READ_ONCE(w->bucket);

		spin_lock(&b->lock);
		if (b == w->bucket)
			return b;
		spin_unlock(&b->lock);
	}
}

/*
 * The sleep of futex_wait and futex_waitv, once the @n waiters at @w are
 * queued and the task is TASK_INTERRUPTIBLE: until one of them is woken
 * (0), @deadline_ns passes (-ETIMEDOUT; 0: none) or a signal comes
 * (-ERESTARTSYS). Leaves the task TASK_RUNNING.
 */
static bool futex_any_woken(const struct futex_waiter *w, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (READ_ONCE(w[i].woken))
			return true;
	return false;
}

static __always_inline long futex_sleep(struct futex_waiter *w, unsigned int n, u64 deadline_ns)
{
	struct timer timer;
	long ret = 0;

	if (deadline_ns) {
		timer = (struct timer){ .fn = futex_timeout_fn, .data = current };
		timer_add(&timer, deadline_ns);
	}
	for (;;) {
		if (futex_any_woken(w, n))
			break;
		if (deadline_ns && ktime_get_ns() >= deadline_ns) {
			ret = -ETIMEDOUT;
			break;
		}
		if (signal_pending_current()) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
		/* The usual wake-up: the waker marked us, and the state is running again. */
		if (futex_any_woken(w, n))
			break;
		set_current_state(TASK_INTERRUPTIBLE);
	}
	/* No barrier needed: whoever wakes us from here on finds us running. */
	WRITE_ONCE(current->state, TASK_RUNNING);
	if (deadline_ns)
		timer_del(&timer);
	return ret;
}

/* Sleeps while *uaddr == @val; @deadline_ns is on the monotonic clock, 0 for none. */
static long futex_wait(u32 __user *uaddr, bool private, u32 val, u64 deadline_ns, u32 bitset)
{
	struct futex_waiter w;	/* each field set below: no zeroing on the hot path */
	struct futex_bucket *b;
	long ret = 0;
	u32 cur;
	int err;

	w.task = current;
	w.bitset = bitset;
	w.woken = false;
	if (!bitset)
		return -EINVAL;
	err = futex_key_get(uaddr, private, &w.key);
	if (err)
		return err;
	INIT_LIST_HEAD(&w.node);
	b = bucket_of(&w.key);
	w.bucket = b;
	spin_lock(&b->lock);
	if (futex_get_value_locked(b, &cur, uaddr)) {
		spin_unlock(&b->lock);
		return -EFAULT;
	}
	if (cur != val) {
		spin_unlock(&b->lock);
		return -EAGAIN;
	}
	list_add_tail(&w.node, &b->waiters);
	/* Ordered before the signal check by the barrier (a signal's wake-up does not take b->lock). */
	WRITE_ONCE(current->state, TASK_INTERRUPTIBLE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	spin_unlock(&b->lock);

	ret = futex_sleep(&w, 1, deadline_ns);
	if (__atomic_load_n(&w.woken, __ATOMIC_ACQUIRE)) {
		/*
		 * Woken, so off the list: only the waker may still be using
		 * w, under the lock of the bucket it found w in (w.bucket
		 * does not change once woken). Wait for it to let go.
		 */
		spin_unlock_wait(&w.bucket->lock);
		return 0;	/* a wake that raced with the timeout or signal wins */
	}
	b = waiter_lock(&w);
	if (w.woken)
		ret = 0;
	else
		list_del(&w.node);
	spin_unlock(&b->lock);
	return ret;
}

/* Two bucket locks, one class: address order, the second annotated as nested. */
static void double_bucket_lock(struct futex_bucket *a, struct futex_bucket *b)
	__acquires(&a->lock) __acquires(&b->lock)
{
	if (a == b) {
		spin_lock(&a->lock);
		__acquire(&b->lock);	/* for sparse: one lock, counted as both */
	} else if (a < b) {
		spin_lock(&a->lock);
		spin_lock_nested(&b->lock, SINGLE_DEPTH_NESTING);
	} else {
		spin_lock(&b->lock);
		spin_lock_nested(&a->lock, SINGLE_DEPTH_NESTING);
	}
}

static void double_bucket_unlock(struct futex_bucket *a, struct futex_bucket *b)
	__releases(&a->lock) __releases(&b->lock)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
	else
		__release(&b->lock);	/* for sparse: see double_bucket_lock */
}

/* Wakes @nr_wake on uaddr and moves up to @nr_requeue of the rest to uaddr2. */
static long futex_requeue(u32 __user *uaddr, u32 __user *uaddr2, bool private, int nr_wake,
			  int nr_requeue, const u32 *cmpval)
{
	struct futex_key k1, k2;
	struct futex_bucket *b1, *b2;
	struct futex_waiter *w, *tmp;
	long done;
	u32 cur;
	int err;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	err = futex_key_get(uaddr, private, &k1);
	if (!err)
		err = futex_key_get(uaddr2, private, &k2);
	if (err)
		return err;
	b1 = bucket_of(&k1);
	b2 = bucket_of(&k2);
	double_bucket_lock(b1, b2);
	if (cmpval) {
		if (futex_get_value_locked(b1, &cur, uaddr)) {
			double_bucket_unlock(b1, b2);
			return -EFAULT;
		}
		if (cur != *cmpval) {
			double_bucket_unlock(b1, b2);
			return -EAGAIN;
		}
	}
	done = futex_wake_locked(b1, &k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	list_for_each_entry_safe(w, tmp, &b1->waiters, node) {
		if (!nr_requeue)
			break;
		if (!key_eq(&w->key, &k1))
			continue;
		list_del(&w->node);
		w->key = k2;
		w->bucket = b2;
		list_add_tail(&w->node, &b2->waiters);
		nr_requeue--;
		done++;
	}
	double_bucket_unlock(b1, b2);
	return done;
}

static bool futex_op_cmp(int cmp, u32 oldval, int cmparg)
{
	int old = (int)oldval;

	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		return old == cmparg;
	case FUTEX_OP_CMP_NE:
		return old != cmparg;
	case FUTEX_OP_CMP_LT:
		return old < cmparg;
	case FUTEX_OP_CMP_LE:
		return old <= cmparg;
	case FUTEX_OP_CMP_GT:
		return old > cmparg;
	default:
		return old >= cmparg;
	}
}

/* Sign-extends a 12-bit field of the WAKE_OP encoding. */
static int sext12(u32 v)
{
	return (int)(v << 20) >> 20;
}

static long futex_wake_op(u32 __user *uaddr, u32 __user *uaddr2, bool private, int nr_wake,
			  int nr_wake2, u32 encoded)
{
	int op = (int)((encoded >> 28) & 7), cmp = (int)((encoded >> 24) & 15);
	int oparg = sext12(encoded >> 12), cmparg = sext12(encoded);
	struct futex_key k1, k2;
	struct futex_bucket *b1, *b2;
	u32 oldval;
	long woken;
	int err;

	if (cmp > FUTEX_OP_CMP_GE)
		return -ENOSYS;
	if ((encoded >> 28) & FUTEX_OP_OPARG_SHIFT) {
		if (oparg < 0 || oparg > 31)
			return -EINVAL;
		oparg = 1 << oparg;
	}
	err = futex_key_get(uaddr, private, &k1);
	if (!err)
		err = futex_key_get(uaddr2, private, &k2);
	if (err)
		return err;
	/* The atomic op may fault: do it before taking the bucket locks. */
	err = futex_atomic_op(op, (u32)oparg, &oldval, uaddr2);
	if (err)
		return err;
	b1 = bucket_of(&k1);
	b2 = bucket_of(&k2);
	double_bucket_lock(b1, b2);
	woken = futex_wake_locked(b1, &k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (futex_op_cmp(cmp, oldval, cmparg))
		woken += futex_wake_locked(b2, &k2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	double_bucket_unlock(b1, b2);
	return woken;
}

/* The deadline for a timeout argument: relative for WAIT, absolute for WAIT_BITSET. */
static long futex_deadline(const struct __kernel_timespec __user *uts, bool absolute,
			   bool realtime, u64 *deadline)
{
	u64 ns, now;
	int err;

	*deadline = 0;
	if (!uts)
		return 0;
	err = get_timespec_ns(uts, &ns);
	if (err)
		return err;
	now = ktime_get_ns();
	if (!absolute)
		*deadline = now + ns;
	else if (realtime)
		*deadline = ns > ktime_get_real_ns() ? now + (ns - ktime_get_real_ns()) : now;
	else
		*deadline = ns;
	/* A deadline of 0 means "none": an expired one must still expire. */
	if (!*deadline)
		*deadline = 1;
	return 0;
}

static __noinline long do_futex(u32 __user *uaddr, int op, u32 val,
				const struct __kernel_timespec __user *utime, u32 __user *uaddr2,
				u32 val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool private = op & FUTEX_PRIVATE_FLAG, realtime = op & FUTEX_CLOCK_REALTIME;
	/* For the requeue and wake-op commands the timeout slot carries a count. */
	u32 val2 = (u32)(unsigned long)utime;
	u64 deadline;
	long err;

	if (realtime && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		err = futex_deadline(utime, realtime, realtime, &deadline);
		return err ? err : futex_wait(uaddr, private, val, deadline, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		err = futex_deadline(utime, true, realtime, &deadline);
		return err ? err : futex_wait(uaddr, private, val, deadline, val3);
	case FUTEX_WAKE:
		return futex_wake(uaddr, private, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, private, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, uaddr2, private, (int)val, (int)val2, NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, uaddr2, private, (int)val, (int)val2, &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, uaddr2, private, (int)val, (int)val2, val3);
	default:
		/* PI futexes are not implemented. */
		return -ENOSYS;
	}
}

SYSCALL_DEFINE6(futex, u32 __user *, uaddr, int, op, u32, val,
		const struct __kernel_timespec __user *, utime, u32 __user *, uaddr2, u32, val3)
{
	bool private = op & FUTEX_PRIVATE_FLAG;

	/* What every contended lock and condition variable does, without the decoding. */
	switch (op & ~FUTEX_PRIVATE_FLAG) {
	case FUTEX_WAKE:
		return futex_wake(uaddr, private, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT:
		if (!utime)
			return futex_wait(uaddr, private, val, 0, FUTEX_BITSET_MATCH_ANY);
		break;
	}
	return do_futex(uaddr, op, val, utime, uaddr2, val3);
}

/*
 * futex_waitv: sleeps on up to FUTEX_WAITV_MAX 32-bit futexes at once. Each
 * is queued under its bucket lock after its value is checked, as futex_wait
 * does for one; a wake on any of them ends the wait. Returns the index of a
 * woken futex, -EAGAIN when a value differs, -ETIMEDOUT at the absolute
 * deadline.
 */
static long futex_wait_multiple(struct futex_waitv *fw, struct futex_waiter *w, unsigned int n,
				u64 deadline_ns)
{
	struct futex_bucket *b;
	unsigned int i, queued = 0;
	long ret = 0, woken = -1;
	u32 cur;

	for (i = 0; i < n; i++) {
		u32 __user *uaddr = (u32 __user *)(unsigned long)fw[i].uaddr;

		w[i].task = current;
		w[i].bitset = FUTEX_BITSET_MATCH_ANY;
		INIT_LIST_HEAD(&w[i].node);
		ret = futex_key_get(uaddr, fw[i].flags & FUTEX2_PRIVATE, &w[i].key);
		if (ret)
			return ret;
	}
	for (i = 0; i < n; i++) {
		u32 __user *uaddr = (u32 __user *)(unsigned long)fw[i].uaddr;

		b = bucket_of(&w[i].key);
		w[i].bucket = b;
		spin_lock(&b->lock);
		if (futex_get_value_locked(b, &cur, uaddr))
			ret = -EFAULT;
		else if (cur != (u32)fw[i].val)
			ret = -EAGAIN;
		if (ret) {
			spin_unlock(&b->lock);
			goto out_unqueue;
		}
		list_add_tail(&w[i].node, &b->waiters);
		set_current_state(TASK_INTERRUPTIBLE);
		spin_unlock(&b->lock);
		queued++;
	}

	ret = futex_sleep(w, n, deadline_ns);
out_unqueue:
	set_current_state(TASK_RUNNING);
	for (i = 0; i < queued; i++) {
		b = waiter_lock(&w[i]);
		if (w[i].woken)
			woken = i;	/* a wake that raced with the error or timeout wins */
		else
			list_del(&w[i].node);
		spin_unlock(&b->lock);
	}
	return woken >= 0 ? woken : ret;
}

SYSCALL_DEFINE5(futex_waitv, struct futex_waitv __user *, waiters, unsigned int, nr_futexes,
		unsigned int, flags, const struct __kernel_timespec __user *, timeout, int, clockid)
{
	struct futex_waitv *fw;
	struct futex_waiter *w;
	u64 deadline = 0;
	unsigned int i;
	long err;

	if (flags)
		return -EINVAL;
	if (!nr_futexes || nr_futexes > FUTEX_WAITV_MAX || !waiters)
		return -EINVAL;
	if (timeout) {
		if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC)
			return -EINVAL;
		err = futex_deadline(timeout, true, clockid == CLOCK_REALTIME, &deadline);
		if (err)
			return err;
	}
	fw = kmalloc(nr_futexes * sizeof(*fw), GFP_KERNEL);
	w = kzalloc(nr_futexes * sizeof(*w), GFP_KERNEL);
	err = -ENOMEM;
	if (!fw || !w)
		goto out;
	err = -EFAULT;
	if (copy_from_user(fw, waiters, nr_futexes * sizeof(*fw)))
		goto out;
	err = -EINVAL;
	for (i = 0; i < nr_futexes; i++) {
		/* Only 32-bit futexes exist (FUTEX2_SIZE_U32); the value must fit in one. */
		if ((fw[i].flags & ~(FUTEX2_SIZE_MASK | FUTEX2_PRIVATE)) || fw[i].__reserved ||
		    (fw[i].flags & FUTEX2_SIZE_MASK) != FUTEX2_SIZE_U32 || fw[i].val >> 32)
			goto out;
	}
	err = futex_wait_multiple(fw, w, nr_futexes, deadline);
out:
	kfree(w);
	kfree(fw);
	return err;
}

/* --- robust lists and thread exit ------------------------------------------ */

SYSCALL_DEFINE2(set_robust_list, struct robust_list_head __user *, head, size_t, len)
{
	if (len != sizeof(struct robust_list_head))
		return -EINVAL;
	current->robust_list = head;
	return 0;
}

SYSCALL_DEFINE3(get_robust_list, int, pid, struct robust_list_head __user *__user *, head_ptr,
		size_t __user *, len_ptr)
{
	struct task *t = pid ? find_task_by_pid(pid) : current;
	size_t len = sizeof(struct robust_list_head);

	if (!t)
		return -ESRCH;
	if (t != current && current->cred.euid != 0 && current->cred.euid != t->cred.uid)
		return -EPERM;
	if (put_user(len, len_ptr) || put_user(t->robust_list, head_ptr))
		return -EFAULT;
	return 0;
}

/* The owner died holding the futex at @uaddr: mark it and wake a waiter. */
static void futex_owner_died(u32 __user *uaddr, int tid)
{
	u32 cur, seen;

	for (int tries = 0; tries < 8; tries++) {
		if (get_user(cur, uaddr) || (cur & FUTEX_TID_MASK) != (u32)tid)
			return;
		if (futex_atomic_cmpxchg(&seen, uaddr, cur, (cur & FUTEX_WAITERS) | FUTEX_OWNER_DIED))
			return;
		if (seen == cur)
			break;
	}
	if (cur & FUTEX_WAITERS)
		futex_wake(uaddr, false, 1, FUTEX_BITSET_MATCH_ANY);
}

void futex_exit(struct task *t)
{
	struct robust_list_head __user *head = t->robust_list;
	struct robust_list __user *entry, *pending;
	long offset;

	if (head && !get_user(entry, &head->list.next) && !get_user(offset, &head->futex_offset) &&
	    !get_user(pending, &head->list_op_pending)) {
		for (int n = 0; entry != &head->list && n < ROBUST_LIST_LIMIT; n++) {
			struct robust_list __user *next;

			if (get_user(next, &entry->next))
				break;
			if (entry != pending)
				futex_owner_died((u32 __user *)((unsigned long)entry + offset), t->pid);
			entry = next;
		}
		if (pending)
			futex_owner_died((u32 __user *)((unsigned long)pending + offset), t->pid);
	}
	if (t->clear_child_tid) {
		int zero = 0;

		/* pthread_join waits on this word: clear it and wake the joiner. */
		if (!copy_to_user(t->clear_child_tid, &zero, sizeof(zero)))
			futex_wake((u32 __user *)t->clear_child_tid, false, 1, FUTEX_BITSET_MATCH_ANY);
		t->clear_child_tid = NULL;
	}
}
