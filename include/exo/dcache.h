/* SPDX-License-Identifier: MIT */
/*
 * The dentry cache (fs/dcache.c): one struct dentry per name the kernel
 * knows, linking a (parent, name) pair to an inode, or to nothing for a
 * negative entry. Positive dentries of memory file systems (tmpfs, devfs)
 * are the file system: the file system pins each one with an extra
 * reference from creation to unlink, so they never leave the cache.
 *
 * A dentry holds a reference on its parent and on its inode. dget()/dput()
 * count users; the last dput() of an unpinned dentry unhashes it and frees it.
 *
 * Locking: dcache_lock (one global spinlock) guards the tree (d_parent,
 * d_child, d_subdirs), the hash chains, d_inode changes and d_flags. It nests
 * inside the directories' i_rwsem (fs/namei_ops.c) and outside inode->i_lock.
 */
#ifndef _EXO_DCACHE_H
#define _EXO_DCACHE_H

#include <exo/list.h>
#include <exo/spinlock.h>
#include <exo/fs_types.h>
#include <exo/types.h>
#include <exo/percpu.h>

struct inode;
struct super_block;
struct vfsmount;

#define NAME_MAX 255
#define PATH_MAX 4096
#define DNAME_INLINE_LEN 40

/* d_flags */
#define DCACHE_HASHED	0x1	/* reachable through d_lookup() */
#define DCACHE_MOUNTED	0x2	/* something is mounted here */
#define DCACHE_PINNED	0x4	/* the file system holds a reference (memory fs) */
#define DCACHE_LRU	0x8	/* kept by d_keep(): on the unused-dentry LRU */
#define DCACHE_WALKABLE	0x20	/* was hashed or a root: lockless walkers may hold it (fs/dcache.c) */

struct dentry {
	int d_count;			/* [atomic] */
	unsigned int d_flags;		/* [dcache_lock] DCACHE_* */
	unsigned int d_seq;		/* [dcache_lock] odd while d_parent, name, hashing change */
	bool d_referenced;		/* [racy hint] looked up since the shrinker last passed it */
	struct dentry *d_parent;	/* [dcache_lock] itself for a root */
	struct inode *d_inode;		/* [dcache_lock] NULL: negative */
	struct super_block *d_sb;	/* [immutable] */
	unsigned int d_len;		/* [dcache_lock] name length */
	unsigned int d_hash_val;	/* [dcache_lock] */
	char *d_name;			/* [dcache_lock] NUL-terminated; d_iname or kmalloc */
	struct dentry *d_hash_next;	/* [dcache_lock] hash chain; kept on unhash for walkers */
	struct dentry **d_hash_pprev;	/* [dcache_lock] NULL: unhashed */
	struct list_head d_child;	/* [dcache_lock] in d_parent->d_subdirs */
	struct list_head d_subdirs;	/* [dcache_lock] children, oldest first */
	loff_t d_dirpos;		/* [dcache_lock] readdir cookie in the parent (>= 3) */
	loff_t d_next_dirpos;		/* [dcache_lock] cookie the next child gets */
	struct list_head d_lru;		/* [dcache_lock] on dentry_lru while DCACHE_LRU */
	char d_iname[DNAME_INLINE_LEN];
};

/* A place in the tree: a mount and a dentry in it. Each path holds references on both. */
struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

extern struct spinlock dcache_lock;

/* New dentry named @name under @parent (NULL: a root), unhashed, negative, count 1; or ERR_PTR. */
struct dentry *d_alloc(struct dentry *parent, const char *name, unsigned int len);
/* Finds the hashed child @name of @parent and returns it referenced, or NULL. */
struct dentry *d_lookup(struct dentry *parent, const char *name, unsigned int len);
/* Attaches @inode (its reference passes to the dentry) and hashes the dentry. */
void d_add(struct dentry *dentry, struct inode *inode);
/* Unhashes @dentry and drops the file system's pin (unlink, rmdir). */
void d_delete_pinned(struct dentry *dentry);
/* Moves @dentry to be @name under @new_parent (rename); caller holds both parents' i_rwsem. */
int d_move(struct dentry *dentry, struct dentry *new_parent, const char *name, unsigned int len);
/* The root dentry of @sb, holding @root (the caller's reference passes to it); or ERR_PTR. */
struct dentry *d_make_root(struct super_block *sb, struct inode *root);
/* Pins a positive dentry for a memory file system. */
void d_pin(struct dentry *dentry);
/*
 * Keeps a hashed dentry (positive or negative) of a disk file system in the
 * cache after its last user: pinned like d_pin(), and on the LRU of kept
 * dentries that shrink_dcache() lets go of. Unhashed dentries are not kept.
 */
void d_keep(struct dentry *dentry);
/*
 * Frees kept dentries nobody else uses, oldest first, looking at up to
 * @nr_to_scan; @all: also those looked up lately (drop_caches), else they
 * get a second pass (the shrinker). Returns how many were freed. May sleep
 * (the file system's evict_inode).
 */
unsigned long shrink_dcache(unsigned long nr_to_scan, bool all);
/* drop_caches 2: every kept dentry nobody uses, repeated while parents become unused. */
unsigned long shrink_dcache_all(void);
/*
 * Unhashes every dentry below @root and drops its pin, leaves first, so a
 * memory file system's tree is freed with its inodes and pages (the
 * unmount of its last mount). Nobody else may use the tree. @root itself
 * is left to the caller.
 */
void d_drop_tree(struct dentry *root);

static inline struct dentry *dget(struct dentry *d)
{
	if (d)
		__atomic_fetch_add(&d->d_count, 1, __ATOMIC_RELAXED);
	return d;
}

void __dput(struct dentry *d);

/*
 * Drops a reference. Not the last one: one compare-and-swap, inline (every
 * walk and every stat puts its result); the last one frees (__dput()).
 */
static inline void dput(struct dentry *d)
{
	if (d) {
		int c = __atomic_load_n(&d->d_count, __ATOMIC_RELAXED);

		if (c > 1 && __atomic_compare_exchange_n(&d->d_count, &c, c - 1, false,
							 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			return;
	}
	__dput(d);
}

static inline bool d_is_root(const struct dentry *d)
{
	return d->d_parent == d;
}

/*
 * Lockless path walk support (fs/namei.c path_lookup_lockless(), docs/vfs.md
 * "Lockless walk"). A walker brackets its walk with dcache_walk_begin() and
 * dcache_walk_end() on its CPU (the kernel is not preemptible and the walk
 * does not sleep); whoever frees a dentry that was reachable, its long
 * name, or a mount first calls dcache_sync_walkers(), which waits for the
 * walks in progress. d_seq and rename_seq tell a walker that what it read
 * changed under it.
 */
struct walk_mark {
	unsigned long seq;		/* odd while this CPU walks */
} __attribute__((aligned(64)));

extern struct walk_mark walk_marks[];
extern unsigned int rename_seq;

static inline struct walk_mark *dcache_walk_begin(void)
{
	struct walk_mark *m = &walk_marks[smp_processor_id()];

	/* A locked add is a full barrier: the mark is seen before our loads. */
	__atomic_fetch_add(&m->seq, 1, __ATOMIC_SEQ_CST);
	return m;
}

static inline void dcache_walk_end(struct walk_mark *m)
{
	__atomic_store_n(&m->seq, m->seq + 1, __ATOMIC_RELEASE);
}

void dcache_sync_walkers(void);

/* d_seq of @d for a walk, or an odd number while it changes. */
static inline unsigned int d_seq_read(const struct dentry *d)
{
	unsigned int s = __atomic_load_n(&d->d_seq, __ATOMIC_ACQUIRE);

	return s;
}

static inline bool d_seq_changed(const struct dentry *d, unsigned int seq)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);	/* x86: a compiler barrier */
	return __atomic_load_n(&d->d_seq, __ATOMIC_RELAXED) != seq;
}


/*
 * The dentry hash of (parent, name), in steps (fs/dcache.c d_hash()): init
 * from the parent, one step per whole 8-byte word of the name, a last step
 * for the rest of it (the remaining bytes, zero-padded, with the length),
 * then folded to 32 bits.
 */
static inline u64 d_hash_init(const struct dentry *parent)
{
	return (u64)(unsigned long)parent * 0x9e3779b97f4a7c15ULL;
}

static inline u64 d_hash_word(u64 h, u64 w)
{
	return (h ^ w) * 0x100000001b3ULL;
}

static inline u64 d_hash_tail(u64 h, u64 w, unsigned int len)
{
	return (h ^ w ^ len) * 0x100000001b3ULL;
}

static inline unsigned int d_hash_fold(u64 h)
{
	return (unsigned int)(h ^ (h >> 32));
}
/* dget() unless the count already fell to zero (the dentry is being freed). */
bool dget_unless_dead(struct dentry *d);

void path_get(const struct path *p);
void path_put(const struct path *p);

static inline bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

#endif /* _EXO_DCACHE_H */
