// SPDX-License-Identifier: MIT
/*
 * ipc/util.c on the host: the System V id registry against a model.
 *   - ids are seq * 32768 + index; indexes are handed out cyclically below
 *     max(in_use * 3 / 2, 64) and seq goes up on every wrap, so a removed
 *     object's id stays invalid while its slot is reused;
 *   - ipc_get(): IPC_PRIVATE, keys, IPC_CREAT|IPC_EXCL, ENOENT, ENOSPC at
 *     the limit, more_checks;
 *   - ipc_perms() and ipc_check_owner() for the owner, the group, others
 *     and root.
 * The credentials and the clock are this file's (renamed: test_inet.c has
 * the suite's root-only current_cred()).
 */
#define loff_t kernel_loff_t
#define dev_t kernel_dev_t
#define current_cred ipc_test_cred
#define capable_root ipc_test_capable
#define ktime_get_real_ns ipc_test_real_ns
#include "../ipc/util.c"
#undef loff_t
#undef dev_t
#include "test_mm.h"
#include <uapi/linux/ipc.h>

static struct cred test_cred;

const struct cred *ipc_test_cred(void)
{
	return &test_cred;
}

bool ipc_test_capable(void)
{
	return test_cred.euid == 0;
}

u64 ipc_test_real_ns(void)
{
	return 1700000000ULL * NSEC_PER_SEC;
}

static int test_mni = 200;
static struct ipc_ids test_ids = IPC_IDS_INIT(test_ids, &test_mni);

struct test_obj {
	struct kern_ipc_perm perm;
	unsigned long size;
};

static int nr_live;

static struct kern_ipc_perm *obj_alloc(const struct ipc_params *p)
{
	struct test_obj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	CHECK(o);
	o->size = p->size;
	nr_live++;
	return &o->perm;
}

static void obj_free(struct kern_ipc_perm *perm)
{
	nr_live--;
	kfree(container_of(perm, struct test_obj, perm));
}

static int obj_more_checks(struct kern_ipc_perm *perm, const struct ipc_params *p)
{
	return container_of(perm, struct test_obj, perm)->size < p->size ? -EINVAL : 0;
}

static const struct ipc_ops test_ops = {
	.alloc = obj_alloc, .more_checks = obj_more_checks, .free = obj_free,
};

static void ipc_boot(void)
{
	test_boot(64 * MB, false);
	slab_init();
	memset(&test_cred, 0, sizeof(test_cred));
}

static int get(int key, int flg, unsigned long size)
{
	struct ipc_params p = { .key = key, .flg = flg, .size = size };

	return ipc_get(&test_ids, &test_ops, &p);
}

static void rmid(int id)
{
	struct kern_ipc_perm *perm;
	bool free;

	spin_lock(&test_ids.lock);
	perm = ipc_find_id(&test_ids, id);
	CHECK(perm);
	free = ipc_rmid_locked(&test_ids, perm);
	spin_unlock(&test_ids.lock);
	CHECK(free);
	obj_free(perm);
}

static bool exists(int id)
{
	bool found;

	spin_lock(&test_ids.lock);
	found = ipc_find_id(&test_ids, id) != NULL;
	spin_unlock(&test_ids.lock);
	return found;
}

TEST(ipc_ids_cycle_and_seq)
{
	int ids[3], i, id, max_idx;

	ipc_boot();
	for (i = 0; i < 3; i++) {
		ids[i] = get(IPC_PRIVATE, 0600, 1);
		CHECK(ids[i] == i);
	}
	/* A freed slot is not reused before the cycle wraps. */
	rmid(ids[1]);
	CHECK(!exists(ids[1]));
	id = get(IPC_PRIVATE, 0600, 1);
	CHECK(id == 3);
	/* Indexes go on up to 63 (below max(in_use * 3 / 2, 64)), then wrap to slot 1 with seq 1. */
	for (i = 4; i < 64; i++) {
		id = get(IPC_PRIVATE, 0600, 1);
		CHECK(id == i);
		rmid(id);
	}
	id = get(IPC_PRIVATE, 0600, 1);
	CHECK(id == 32768 + 1);
	CHECK(!exists(1));
	CHECK(exists(32769));
	CHECK(get(IPC_PRIVATE, 0600, 1) == 32768 + 4);
	/* Then on from the last index handed out, past 59 (the cycle is max(in_use * 3 / 2, 64)). */
	for (i = 5; i < 60; i++)
		CHECK(get(IPC_PRIVATE, 0600, 1) == 32768 + i);
	CHECK(get(IPC_PRIVATE, 0600, 1) == 32768 + 60);
	CHECK(get(IPC_PRIVATE, 0600, 1) == 32768 + 61);
	spin_lock(&test_ids.lock);
	max_idx = ipc_max_idx_locked(&test_ids);
	spin_unlock(&test_ids.lock);
	CHECK(max_idx == 61);
	/* The limit: ENOSPC at mni objects. */
	for (i = test_ids.in_use; i < test_mni; i++)
		CHECK(get(IPC_PRIVATE, 0600, 1) >= 0);
	CHECK(get(IPC_PRIVATE, 0600, 1) == -ENOSPC);
	CHECK(nr_live == test_mni);
	for (i = 0; i < test_ids.size; i++)
		if (test_ids.entries[i])
			rmid(test_ids.entries[i]->id);
	CHECK(nr_live == 0 && test_ids.in_use == 0);
}

TEST(ipc_get_keys)
{
	int a, b;

	ipc_boot();
	a = get(0x1234, IPC_CREAT | 0640, 100);
	CHECK(a >= 0);
	CHECK(get(0x1234, 0, 50) == a);
	CHECK(get(0x1234, IPC_CREAT, 100) == a);
	CHECK(get(0x1234, IPC_CREAT | IPC_EXCL, 100) == -EEXIST);
	CHECK(get(0x1234, 0, 101) == -EINVAL);
	CHECK(get(0x4321, 0, 1) == -ENOENT);
	b = get(IPC_PRIVATE, IPC_CREAT | IPC_EXCL, 1);
	CHECK(b >= 0 && b != a);
	/* A removed object's key is free again; its id is not reused at once. */
	rmid(a);
	CHECK(get(0x1234, 0, 1) == -ENOENT);
	CHECK(get(0x1234, IPC_CREAT | 0600, 1) != a);
	CHECK(nr_live == 2);
}

TEST(ipc_permissions)
{
	struct kern_ipc_perm perm = { .uid = 100, .gid = 200, .cuid = 300, .cgid = 400,
				      .mode = 0640 };

	ipc_boot();
	test_cred.euid = 100;			/* owner: rw- */
	CHECK(ipc_perms(&perm, 0666) == 0);
	CHECK(ipc_perms(&perm, 0111) == -EACCES);
	CHECK(ipc_check_owner(&perm) == 0);
	test_cred.euid = 300;			/* creator: the owner bits too */
	CHECK(ipc_perms(&perm, 0222) == 0);
	CHECK(ipc_check_owner(&perm) == 0);
	test_cred.euid = 5;
	test_cred.fsgid = 400;			/* creator's group: r-- */
	CHECK(ipc_perms(&perm, 0444) == 0);
	CHECK(ipc_perms(&perm, 0222) == -EACCES);
	CHECK(ipc_check_owner(&perm) == -EPERM);
	test_cred.fsgid = 7;			/* others: --- */
	CHECK(ipc_perms(&perm, 0444) == -EACCES);
	/* Asking for nothing (flags without permission bits) is always granted. */
	CHECK(ipc_perms(&perm, IPC_CREAT | IPC_EXCL | IPC_NOWAIT) == 0);
	test_cred.euid = 0;			/* root: CAP_IPC_OWNER, CAP_SYS_ADMIN */
	CHECK(ipc_perms(&perm, 0777) == 0);
	CHECK(ipc_check_owner(&perm) == 0);
}
