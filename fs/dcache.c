// SPDX-License-Identifier: MIT
/*
 * The dentry cache: names to inodes, hashed by (parent, name).
 *
 * Lifetime: d_count counts users; every dentry holds a reference on its
 * parent and on its inode. Memory file systems pin each positive dentry
 * (DCACHE_PINNED, one extra reference) from creation until unlink. The
 * last dput() of a dentry unhashes it, unlinks it from its parent and frees
 * it, which drops its inode and parent in turn.
 *
 * Disk file systems (ext4) keep their dentries, positive and negative, with
 * d_keep(): a pin as above, plus a place on dentry_lru, oldest first. A kept
 * dentry whose only reference is the pin is unused: drop_caches 2 frees all
 * of those (shrink_dcache_all()), kswapd the oldest (the dcache shrinker,
 * with a second pass for the ones looked up since). Freeing a dentry drops
 * its inode, whose pages go with it, and a reference on its parent, which
 * may then be unused in turn. Unmount drops the whole tree (d_drop_tree()).
 *
 * Locking: dcache_lock, a spinlock, guards the hash chains, the child
 * lists, d_inode and d_flags; it is only ever held for a few list
 * operations, never across a file system's ->lookup or anything else that
 * may sleep. Changes to a directory's names are serialized by the
 * directory's i_rwsem (fs/namei_ops.c), taken outside it.
 *
 * Lockless readers (fs/namei.c path_lookup_lockless()): the hash chains,
 * d_parent, the names, d_inode and d_flags are also read without
 * dcache_lock; writers bump d_seq around an unhash or a move, and
 * rename_seq around d_move(). A dentry that was ever hashed (or a root) is
 * freed only after dcache_sync_walkers(): no walker holds it then.
 *
 * Lock order: i_rwsem -> mount_lock -> dcache_lock -> inode->i_lock.
 */
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/mutex.h>
#include <exo/shrinker.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "internal.h"

#define D_HASH_SIZE (1U << D_HASH_BITS)

DEFINE_SPINLOCK(dcache_lock);
/*
 * Singly linked chains ending in NULL, as Linux's hlist: an unhashed
 * dentry keeps its d_hash_next, so a lockless walker standing on it goes on
 * to the rest of the chain (or, if it moved, to the end of another chain and
 * misses, which sends the walk to the locked path).
 */
struct dentry *dentry_hashtable[D_HASH_SIZE];	/* [dcache_lock] */
unsigned int rename_seq;		/* [dcache_lock] odd while d_move() runs */
struct walk_mark walk_marks[NR_CPUS];
static bool dcache_ready;
static struct kmem_cache *dentry_cachep;
static LIST_HEAD(dentry_lru);		/* [dcache_lock] kept dentries, oldest first */
static unsigned long nr_kept;		/* [dcache_lock] on dentry_lru */
/*
 * Held by a shrink while it frees dentries (their inodes' evict_inode runs
 * outside dcache_lock) and by d_drop_tree(): an unmount's tree is gone, and
 * no shrink is inside one of its inodes, before the file system frees what
 * those inodes use.
 */
static DEFINE_MUTEX(dcache_shrink_mutex);

/*
 * FNV-style, a word per step (<exo/dcache.h> d_hash_*): names are hashed on
 * every lookup of every path component. A tail of a name of eight bytes or
 * more is the name's last word shifted down past the bytes already hashed,
 * so no load leaves the name. The lockless walk computes the same hash
 * while it scans a component for its end (fs/namei.c).
 */
static unsigned int d_hash(const struct dentry *parent, const char *name, unsigned int len)
{
	u64 h = d_hash_init(parent);
	unsigned int i = 0;
	u64 w;

	for (; i + 8 <= len; i += 8) {
		__builtin_memcpy(&w, name + i, 8);
		h = d_hash_word(h, w);
	}
	if (i < len) {
		if (len >= 8) {
			__builtin_memcpy(&w, name + len - 8, 8);
			w >>= 8 * (8 - (len - i));
		} else {
			w = 0;
			for (unsigned int j = 0; j < len; j++)
				w |= (u64)(u8)name[j] << (8 * j);
		}
		h = d_hash_tail(h, w, len);
	}
	return d_hash_fold(h);
}

unsigned int d_hash_name(const struct dentry *parent, const char *name, unsigned int len)
{
	return d_hash(parent, name, len);
}

static struct dentry **d_bucket(unsigned int hash)
{
	return &dentry_hashtable[hash & (D_HASH_SIZE - 1)];
}

/* Writers of what a lockless walker reads (d_seq), under dcache_lock. */
static void d_seq_write_begin(struct dentry *d)
{
	WRITE_ONCE(d->d_seq, d->d_seq + 1);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);	/* x86: stores stay in order */
}

static void d_seq_write_end(struct dentry *d)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(d->d_seq, d->d_seq + 1);
}

/* Links @d at the head of its chain; every field is set before it is published. */
static void __d_hash_add(struct dentry *d)
{
	struct dentry **head = d_bucket(d->d_hash_val);
	struct dentry *first = *head;

	d->d_hash_next = first;
	d->d_hash_pprev = head;
	if (first)
		first->d_hash_pprev = &d->d_hash_next;
	d->d_flags |= DCACHE_HASHED | DCACHE_WALKABLE;
	__atomic_store_n(head, d, __ATOMIC_RELEASE);
}

static void __d_hash_del(struct dentry *d)
{
	struct dentry *next = d->d_hash_next;

	WRITE_ONCE(*d->d_hash_pprev, next);
	if (next)
		next->d_hash_pprev = d->d_hash_pprev;
	d->d_hash_pprev = NULL;		/* d_hash_next stays for walkers */
}

/*
 * Waits until no CPU is inside a lockless walk that began before this call
 * (dcache_walk_begin() in fs/internal.h): afterwards no walker can hold a
 * pointer to anything unhashed or unmounted before it, so it may be freed.
 * The kernel is not preemptible and a walk neither sleeps nor takes a lock
 * that a caller of this holds, so the wait is short; the caller must not
 * be in a walk itself.
 */
void dcache_sync_walkers(void)
{
	unsigned int self = smp_processor_id();

	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* our unhashing before their marks */
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		unsigned long s = __atomic_load_n(&walk_marks[c].seq, __ATOMIC_ACQUIRE);

		if (c == self || !(s & 1))
			continue;
		while (__atomic_load_n(&walk_marks[c].seq, __ATOMIC_ACQUIRE) == s)
			cpu_relax();
	}
}

static int dcache_init_once(void)
{
	if (dcache_ready)
		return 0;
	dentry_cachep = kmem_cache_create("dentry", sizeof(struct dentry), 0, 0, NULL);
	if (IS_ERR(dentry_cachep))
		return PTR_ERR(dentry_cachep);
	dcache_ready = true;
	return 0;
}

static int d_set_name(struct dentry *d, const char *name, unsigned int len)
{
	char *buf = d->d_iname;

	/*
	 * A long name gets NAME_MAX + 1 bytes whatever its length: a lockless
	 * walker may pair a name pointer with the length of the name d_move()
	 * replaced (its d_seq check then fails), and must not read past it.
	 */
	if (len >= DNAME_INLINE_LEN) {
		buf = kmalloc(NAME_MAX + 1, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}
	memcpy(buf, name, len);
	buf[len] = '\0';
	d->d_name = buf;
	d->d_len = len;
	return 0;
}

static void d_free_name(struct dentry *d)
{
	if (d->d_name != d->d_iname)
		kfree(d->d_name);
}

struct dentry *d_alloc(struct dentry *parent, const char *name, unsigned int len)
{
	struct dentry *d;
	int err = dcache_init_once();

	if (err)
		return ERR_PTR(err);
	d = kmem_cache_zalloc(dentry_cachep, GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	if (d_set_name(d, name, len)) {
		kmem_cache_free(dentry_cachep, d);
		return ERR_PTR(-ENOMEM);
	}
	d->d_count = 1;
	INIT_LIST_HEAD(&d->d_child);
	INIT_LIST_HEAD(&d->d_subdirs);
	INIT_LIST_HEAD(&d->d_lru);
	d->d_next_dirpos = 3;
	if (parent) {
		d->d_parent = dget(parent);
		d->d_sb = parent->d_sb;
		d->d_hash_val = d_hash(parent, name, len);
	} else {
		d->d_parent = d;
	}
	return d;
}

static struct dentry *__d_lookup(struct dentry *parent, const char *name, unsigned int len)
{
	unsigned int hash = d_hash(parent, name, len);
	struct dentry *d;

	for (d = *d_bucket(hash); d; d = d->d_hash_next) {
		if (d->d_hash_val == hash && d->d_parent == parent && d->d_len == len &&
		    !memcmp(d->d_name, name, len))
			return d;
	}
	return NULL;
}

bool dget_unless_dead(struct dentry *d)
{
	int c = __atomic_load_n(&d->d_count, __ATOMIC_RELAXED);

	do {
		if (c <= 0)
			return false;	/* dput() is freeing it */
	} while (!__atomic_compare_exchange_n(&d->d_count, &c, c + 1, false, __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
}

struct dentry *d_lookup(struct dentry *parent, const char *name, unsigned int len)
{
	struct dentry *d;

	if (!dcache_ready)
		return NULL;
	spin_lock(&dcache_lock);
	d = dget(__d_lookup(parent, name, len));
	if (d && (d->d_flags & DCACHE_LRU) && !d->d_referenced)
		WRITE_ONCE(d->d_referenced, true);
	spin_unlock(&dcache_lock);
	return d;
}

void d_add(struct dentry *dentry, struct inode *inode)
{
	struct dentry *parent = dentry->d_parent;
	bool dup = false;

	spin_lock(&dcache_lock);
	/*
	 * One name, one dentry. Creations run under the parent's i_rwsem
	 * held exclusive after a lookup under it found the name missing, so
	 * for them a hashed twin is a broken contract (warned about below).
	 * Lookups (->lookup, procfs) run under it shared: two may both miss
	 * and both add; the second dentry then stays unhashed, and
	 * lookup_one_locked() hands out the first.
	 */
	if (!d_is_root(dentry) && __d_lookup(parent, dentry->d_name, dentry->d_len)) {
		dentry->d_inode = inode;
		spin_unlock(&dcache_lock);
		dup = parent->d_inode && rwsem_write_held_by_current(&parent->d_inode->i_rwsem);
		goto out;
	}
	dentry->d_inode = inode;
	if (d_is_root(dentry)) {
		dentry->d_flags |= DCACHE_WALKABLE;	/* reached through mnt_root */
	} else {
		__d_hash_add(dentry);
		dentry->d_dirpos = parent->d_next_dirpos++;
		list_add_tail(&dentry->d_child, &parent->d_subdirs);
	}
	spin_unlock(&dcache_lock);
out:
	if (dup) {
		pr_err("dcache: a second dentry for \"%s\" in \"%s\"\n", dentry->d_name,
		       parent->d_name);
		WARN_ON(dup);
	}
}

struct dentry *d_make_root(struct super_block *sb, struct inode *root)
{
	struct dentry *d = d_alloc(NULL, "/", 1);

	if (IS_ERR(d))
		return d;
	d->d_sb = sb;
	d_add(d, root);
	return d;
}

void d_pin(struct dentry *dentry)
{
	dget(dentry);
	spin_lock(&dcache_lock);
	dentry->d_flags |= DCACHE_PINNED;
	spin_unlock(&dcache_lock);
}

void d_keep(struct dentry *dentry)
{
	bool keep;

	spin_lock(&dcache_lock);
	keep = (dentry->d_flags & (DCACHE_HASHED | DCACHE_PINNED)) == DCACHE_HASHED;
	if (keep) {
		dget(dentry);
		dentry->d_flags |= DCACHE_PINNED | DCACHE_LRU;
		list_add_tail(&dentry->d_lru, &dentry_lru);
		nr_kept++;
	}
	spin_unlock(&dcache_lock);
}

/* Off the LRU if it is on it; dcache_lock held. */
static void __d_lru_del(struct dentry *d)
{
	if (d->d_flags & DCACHE_LRU) {
		list_del_init(&d->d_lru);
		nr_kept--;
		d->d_flags &= ~DCACHE_LRU;
		d->d_referenced = false;
	}
}

static void __d_unhash(struct dentry *d)
{
	if (d->d_flags & DCACHE_HASHED) {
		d_seq_write_begin(d);
		__d_hash_del(d);
		list_del_init(&d->d_child);
		d->d_flags &= ~DCACHE_HASHED;
		d_seq_write_end(d);
	}
}

void d_delete_pinned(struct dentry *dentry)
{
	bool pinned;

	spin_lock(&dcache_lock);
	__d_unhash(dentry);
	pinned = dentry->d_flags & DCACHE_PINNED;
	dentry->d_flags &= ~DCACHE_PINNED;
	__d_lru_del(dentry);
	spin_unlock(&dcache_lock);
	if (pinned)
		dput(dentry);
}

void d_drop_tree(struct dentry *root)
{
	struct dentry *d = root, *child, *parent;

	/*
	 * Iterative, not recursive: a tree may be deeper than a kernel stack.
	 * No references taken on the way down: the pins keep the tree alive,
	 * and each child holds one on its parent until it is freed.
	 */
	mutex_lock(&dcache_shrink_mutex);
	for (;;) {
		spin_lock(&dcache_lock);
		child = list_empty(&d->d_subdirs) ? NULL :
			list_first_entry(&d->d_subdirs, struct dentry, d_child);
		if (child) {
			spin_unlock(&dcache_lock);
			d = child;
			continue;
		}
		parent = d->d_parent;
		spin_unlock(&dcache_lock);
		if (d == root)
			break;
		/* Unhashing takes it off parent->d_subdirs even if someone still holds it. */
		d_delete_pinned(d);
		d = parent;
	}
	mutex_unlock(&dcache_shrink_mutex);
}

int d_move(struct dentry *dentry, struct dentry *new_parent, const char *name, unsigned int len)
{
	struct dentry *old_parent;
	char *old_name = dentry->d_name;
	struct dentry tmp;

	/* Build the new name first so that failure leaves the dentry as it was. */
	tmp.d_name = NULL;
	if (d_set_name(&tmp, name, len))
		return -ENOMEM;

	spin_lock(&dcache_lock);
	WRITE_ONCE(rename_seq, rename_seq + 1);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	old_parent = dentry->d_parent;
	__d_unhash(dentry);
	d_seq_write_begin(dentry);
	if (tmp.d_name == tmp.d_iname) {
		memcpy(dentry->d_iname, tmp.d_iname, len + 1);
		dentry->d_name = dentry->d_iname;
	} else {
		dentry->d_name = tmp.d_name;
	}
	dentry->d_len = len;
	dentry->d_parent = dget(new_parent);
	dentry->d_hash_val = d_hash(new_parent, name, len);
	__d_hash_add(dentry);
	dentry->d_dirpos = new_parent->d_next_dirpos++;
	list_add_tail(&dentry->d_child, &new_parent->d_subdirs);
	d_seq_write_end(dentry);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(rename_seq, rename_seq + 1);
	spin_unlock(&dcache_lock);
	if (old_name != dentry->d_iname) {
		/* A lockless walker may be comparing it. */
		dcache_sync_walkers();
		kfree(old_name);
	}
	dput(old_parent);
	return 0;
}

unsigned long shrink_dcache(unsigned long nr_to_scan, bool all)
{
	unsigned long freed = 0, looked = 0;

	mutex_lock(&dcache_shrink_mutex);
	while (looked < nr_to_scan) {
		struct dentry *d = NULL;

		spin_lock(&dcache_lock);
		while (looked < nr_to_scan && !list_empty(&dentry_lru)) {
			struct dentry *c = list_first_entry(&dentry_lru, struct dentry, d_lru);

			looked++;
			/*
			 * Only the pin: nobody else holds it, and nobody can
			 * find it without dcache_lock, so it is ours to free.
			 * (A lockless walk may still take a reference before
			 * our dput(); the unhash below changes d_seq, so it
			 * drops that reference again, and that frees it.)
			 * A user moves it to the tail (a parent goes after
			 * the children that hold it, and comes up again).
			 */
			if (__atomic_load_n(&c->d_count, __ATOMIC_ACQUIRE) == 1 &&
			    (all || !c->d_referenced)) {
				d = c;
				break;
			}
			c->d_referenced = false;
			list_move_tail(&c->d_lru, &dentry_lru);
		}
		if (d) {
			__d_lru_del(d);
			__d_unhash(d);
			d->d_flags &= ~DCACHE_PINNED;
		}
		spin_unlock(&dcache_lock);
		if (!d)
			break;
		dput(d);	/* frees it, its inode, and its parent's reference */
		freed++;
	}
	mutex_unlock(&dcache_shrink_mutex);
	return freed;
}

unsigned long shrink_dcache_all(void)
{
	unsigned long freed = 0, got;

	do {
		got = shrink_dcache(2 * READ_ONCE(nr_kept) + 1, true);
		freed += got;
	} while (got);
	return freed;
}

static unsigned long dcache_count(struct shrinker *s, struct shrink_control *sc)
{
	return READ_ONCE(nr_kept);
}

/*
 * Only from kswapd: an allocation that reclaims directly may hold a
 * directory's lock or be inside the file system whose inodes this evicts.
 */
static unsigned long dcache_scan(struct shrinker *s, struct shrink_control *sc)
{
	if (!sc->kswapd)
		return SHRINK_STOP;
	return shrink_dcache(sc->nr_to_scan, false);
}

static struct shrinker dcache_shrinker = {
	.count_objects = dcache_count,
	.scan_objects = dcache_scan,
	.name = "dcache",
	.seeks = DEFAULT_SEEKS,
};

static int dcache_shrinker_init(void)
{
	return register_shrinker(&dcache_shrinker);
}
core_initcall(dcache_shrinker_init);

void __dput(struct dentry *d)
{
	while (d) {
		struct dentry *parent;
		struct inode *inode;
		bool walkable;
		int c = __atomic_load_n(&d->d_count, __ATOMIC_RELAXED);

		/*
		 * Not the last reference: drop it without dcache_lock (every
		 * path walk puts each component it passes). Only the drop to
		 * zero needs the lock, against d_lookup() finding it.
		 */
		while (c > 1)
			if (__atomic_compare_exchange_n(&d->d_count, &c, c - 1, false,
							__ATOMIC_RELEASE, __ATOMIC_RELAXED))
				return;
		spin_lock(&dcache_lock);
		if (__atomic_sub_fetch(&d->d_count, 1, __ATOMIC_ACQ_REL) > 0) {
			spin_unlock(&dcache_lock);
			return;
		}
		__d_unhash(d);
		parent = d->d_parent;
		inode = d->d_inode;
		walkable = d->d_flags & DCACHE_WALKABLE;
		spin_unlock(&dcache_lock);

		WARN_ON(!list_empty(&d->d_subdirs));
		/* A lockless walker may still read it, its name and its inode. */
		if (walkable)
			dcache_sync_walkers();
		iput(inode);
		d_free_name(d);
		kmem_cache_free(dentry_cachep, d);
		d = parent == d ? NULL : parent;
	}
}

void path_get(const struct path *p)
{
	mntget(p->mnt);
	dget(p->dentry);
}

void path_put(const struct path *p)
{
	dput(p->dentry);
	mntput(p->mnt);
}

