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
 * Each hash chain also has a lock (one of D_HASH_LOCKS, by chain number),
 * held with dcache_lock by whoever adds a dentry to or removes one from the
 * chain, and alone by d_lookup(): every path walk looks each component up,
 * and with dcache_lock there two CPUs opening files spent their time waiting
 * for each other (exobench --scale open_close, docs/BENCHMARKS.md). A
 * dentry's name, parent and hash value only change while it is off its
 * chain (d_move()), so the lookup's compare sees a stable name. The drop to
 * count 0 (dput()) and the shrinker's "only the pin holds it" test each hold
 * the chain lock from the test to the unhash, so d_lookup() never takes a
 * reference on a dentry that is going away.
 *
 * Lock order: i_rwsem -> mount_lock -> dcache_lock -> chain lock -> inode->i_lock.
 */
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/mutex.h>
#include <exo/shrinker.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "internal.h"

#define D_HASH_BITS 10
#define D_HASH_SIZE (1U << D_HASH_BITS)

#define D_HASH_LOCKS 64

DEFINE_SPINLOCK(dcache_lock);
static struct list_head dentry_hashtable[D_HASH_SIZE];	/* [dcache_lock + chain lock] */
static struct {
	struct spinlock lock;
} __aligned(64) d_hash_locks[D_HASH_LOCKS];
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
 * FNV-style, a word per step: names are hashed on every lookup of every
 * path component. A tail of a name of eight bytes or more is the name's
 * last word shifted down past the bytes already hashed, so no load leaves
 * the name.
 */
static unsigned int d_hash(const struct dentry *parent, const char *name, unsigned int len)
{
	u64 h = (u64)(unsigned long)parent * 0x9e3779b97f4a7c15ULL;
	unsigned int i = 0;
	u64 w;

	for (; i + 8 <= len; i += 8) {
		__builtin_memcpy(&w, name + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
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
		h = (h ^ w ^ len) * 0x100000001b3ULL;
	}
	return (unsigned int)(h ^ (h >> 32));
}

static struct list_head *d_bucket(unsigned int hash)
{
	return &dentry_hashtable[hash & (D_HASH_SIZE - 1)];
}

/* The lock of the chain of @hash. */
static struct spinlock *d_hash_lock(unsigned int hash)
{
	return &d_hash_locks[hash & (D_HASH_LOCKS - 1)].lock;
}

static int dcache_init_once(void)
{
	if (dcache_ready)
		return 0;
	dentry_cachep = kmem_cache_create("dentry", sizeof(struct dentry), 0, 0, NULL);
	if (IS_ERR(dentry_cachep))
		return PTR_ERR(dentry_cachep);
	for (unsigned int i = 0; i < D_HASH_SIZE; i++)
		INIT_LIST_HEAD(&dentry_hashtable[i]);
	for (unsigned int i = 0; i < D_HASH_LOCKS; i++)
		spin_lock_init(&d_hash_locks[i].lock);
	dcache_ready = true;
	return 0;
}

static int d_set_name(struct dentry *d, const char *name, unsigned int len)
{
	char *buf = d->d_iname;

	if (len >= DNAME_INLINE_LEN) {
		buf = kmalloc(len + 1, GFP_KERNEL);
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
	INIT_LIST_HEAD(&d->d_hash);
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

/* The hashed child @name of @parent, whose hash is @hash; the chain's lock held. */
static __always_inline struct dentry *__d_lookup(struct dentry *parent, const char *name,
						 unsigned int len, unsigned int hash)
{
	struct dentry *d;

	list_for_each_entry(d, d_bucket(hash), d_hash) {
		if (d->d_hash_val == hash && d->d_parent == parent && d->d_len == len &&
		    !memcmp(d->d_name, name, len))
			return d;
	}
	return NULL;
}

struct dentry *d_lookup(struct dentry *parent, const char *name, unsigned int len)
{
	struct dentry *d;

	unsigned int hash;
	struct spinlock *lock;

	if (!dcache_ready)
		return NULL;
	hash = d_hash(parent, name, len);
	lock = d_hash_lock(hash);
	spin_lock(lock);
	d = dget(__d_lookup(parent, name, len, hash));
	if (d && (READ_ONCE(d->d_flags) & DCACHE_LRU) && !READ_ONCE(d->d_referenced))
		WRITE_ONCE(d->d_referenced, true);
	spin_unlock(lock);
	return d;
}

void d_add(struct dentry *dentry, struct inode *inode)
{
	struct dentry *parent = dentry->d_parent;
	struct spinlock *lock = d_hash_lock(dentry->d_hash_val);
	bool dup = false;

	spin_lock(&dcache_lock);
	spin_lock(lock);
	/*
	 * One name, one dentry. Creations run under the parent's i_rwsem
	 * held exclusive after a lookup under it found the name missing, so
	 * for them a hashed twin is a broken contract (warned about below).
	 * Lookups (->lookup, procfs) run under it shared: two may both miss
	 * and both add; the second dentry then stays unhashed, and
	 * lookup_one_locked() hands out the first.
	 */
	if (!d_is_root(dentry) &&
	    __d_lookup(parent, dentry->d_name, dentry->d_len, dentry->d_hash_val)) {
		dentry->d_inode = inode;
		spin_unlock(lock);
		spin_unlock(&dcache_lock);
		dup = parent->d_inode && rwsem_write_held_by_current(&parent->d_inode->i_rwsem);
		goto out;
	}
	dentry->d_inode = inode;
	if (!d_is_root(dentry)) {
		dentry->d_flags |= DCACHE_HASHED;
		list_add_tail(&dentry->d_hash, d_bucket(dentry->d_hash_val));
		dentry->d_dirpos = parent->d_next_dirpos++;
		list_add_tail(&dentry->d_child, &parent->d_subdirs);
	}
	spin_unlock(lock);
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
		WRITE_ONCE(d->d_referenced, false);
	}
}

/* dcache_lock and @d's chain lock held. */
static void __d_unhash_locked(struct dentry *d)
{
	if (d->d_flags & DCACHE_HASHED) {
		list_del_init(&d->d_hash);
		list_del_init(&d->d_child);
		d->d_flags &= ~DCACHE_HASHED;
	}
}

/* dcache_lock held. */
static void __d_unhash(struct dentry *d)
{
	struct spinlock *lock = d_hash_lock(d->d_hash_val);

	spin_lock(lock);
	__d_unhash_locked(d);
	spin_unlock(lock);
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
	old_parent = dentry->d_parent;
	__d_unhash(dentry);
	if (old_name != dentry->d_iname)
		kfree(old_name);
	if (tmp.d_name == tmp.d_iname) {
		memcpy(dentry->d_iname, tmp.d_iname, len + 1);
		dentry->d_name = dentry->d_iname;
	} else {
		dentry->d_name = tmp.d_name;
	}
	dentry->d_len = len;
	dentry->d_parent = dget(new_parent);
	dentry->d_hash_val = d_hash(new_parent, name, len);
	dentry->d_flags |= DCACHE_HASHED;
	spin_lock(d_hash_lock(dentry->d_hash_val));
	list_add_tail(&dentry->d_hash, d_bucket(dentry->d_hash_val));
	spin_unlock(d_hash_lock(dentry->d_hash_val));
	dentry->d_dirpos = new_parent->d_next_dirpos++;
	list_add_tail(&dentry->d_child, &new_parent->d_subdirs);
	spin_unlock(&dcache_lock);
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
			struct spinlock *lock = d_hash_lock(c->d_hash_val);

			looked++;
			/*
			 * Only the pin: nobody else holds it, and nobody can
			 * find it without its chain lock, held from this test
			 * to the unhash, so it is ours to free. A user moves
			 * it to the tail (a parent goes after the children
			 * that hold it, and comes up again).
			 */
			spin_lock(lock);
			if (__atomic_load_n(&c->d_count, __ATOMIC_ACQUIRE) == 1 &&
			    (all || !READ_ONCE(c->d_referenced))) {
				d = c;
				__d_unhash_locked(d);
				spin_unlock(lock);
				break;
			}
			spin_unlock(lock);
			WRITE_ONCE(c->d_referenced, false);
			list_move_tail(&c->d_lru, &dentry_lru);
		}
		if (d) {
			__d_lru_del(d);
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

void dput(struct dentry *d)
{
	while (d) {
		struct dentry *parent;
		struct inode *inode;
		struct spinlock *lock;
		int c = __atomic_load_n(&d->d_count, __ATOMIC_RELAXED);

		/*
		 * Not the last reference: drop it without dcache_lock (every
		 * path walk puts each component it passes). Only the drop to
		 * zero needs the locks: the chain lock, against d_lookup()
		 * finding it.
		 */
		while (c > 1)
			if (__atomic_compare_exchange_n(&d->d_count, &c, c - 1, false,
							__ATOMIC_RELEASE, __ATOMIC_RELAXED))
				return;
		spin_lock(&dcache_lock);
		lock = d_hash_lock(d->d_hash_val);
		spin_lock(lock);
		if (__atomic_sub_fetch(&d->d_count, 1, __ATOMIC_ACQ_REL) > 0) {
			spin_unlock(lock);
			spin_unlock(&dcache_lock);
			return;
		}
		__d_unhash_locked(d);
		spin_unlock(lock);
		parent = d->d_parent;
		inode = d->d_inode;
		d->d_inode = NULL;
		spin_unlock(&dcache_lock);

		WARN_ON(!list_empty(&d->d_subdirs));
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

