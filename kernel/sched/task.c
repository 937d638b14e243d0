// SPDX-License-Identifier: MIT
/*
 * Task objects: allocation with a kernel stack, the global task list and
 * pid table, the idle task, and kernel threads.
 *
 * Kernel stacks come from vmalloc, so each has an unmapped guard page below
 * it: an overflow faults (and the double-fault handler names it) instead of
 * corrupting the next stack. A dead task's stack is freed by the task that
 * runs after it (finish_task_switch), never by the task itself.
 *
 * Each CPU keeps the last STACK_CACHE freed stacks for the next tasks it
 * allocates (Linux's cached_stacks): a fork then takes no vmap_lock, maps no
 * pages and, above all, its exit frees no vmalloc area, whose purge flushes
 * the kernel TLB of every CPU and waits for them (exobench --scale fork_exit
 * on -smp 2 spent most of its time there).
 *
 * Lock order: tasklist_lock -> rq->lock.
 */
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/irqflags.h>
#include <exo/kprof.h>
#include <exo/mmap.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/pidfd.h>
#include <exo/sched.h>
#include <exo/seccomp.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/vmalloc.h>
#include <asm/memlayout.h>
#include <asm/switch_to.h>
#include <uapi/errno.h>
#include "sched.h"

#define PID_MAX 32768
#define PID_HASH_SIZE 256

DEFINE_SPINLOCK(tasklist_lock);
LIST_HEAD(task_list);
static struct list_head pid_hash[PID_HASH_SIZE];	/* [tasklist_lock] */
static int last_pid;					/* [tasklist_lock] */
static struct kmem_cache *task_cache;
static struct task init_task;

static struct list_head *pid_bucket(int pid)
{
	return &pid_hash[(unsigned int)pid % PID_HASH_SIZE];
}

struct task *find_task_by_pid_locked(int pid)
{
	struct task *t;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(t, pid_bucket(pid), pid_node)
		if (t->pid == pid)
			return t;
	return NULL;
}

struct task *find_task_by_pid(int pid)
{
	unsigned long flags;
	struct task *t;

	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid_locked(pid);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return t;
}

/* Takes the next free pid after the last one handed out, wrapping at PID_MAX. */
static int pid_alloc_locked(void)
{
	lockdep_assert_held(&tasklist_lock);
	for (int tries = 0; tries < PID_MAX; tries++) {
		int pid = last_pid + 1 >= PID_MAX ? 2 : last_pid + 1;

		last_pid = pid;
		if (!find_task_by_pid_locked(pid))
			return pid;
	}
	return -EAGAIN;
}

int pid_last(void)
{
	return READ_ONCE(last_pid);
}

/* Links a new task into the pid table and task list; returns its pid or -EAGAIN. */
int task_register(struct task *t)
{
	unsigned long flags;
	int pid;

	spin_lock_irqsave(&tasklist_lock, flags);
	pid = pid_alloc_locked();
	if (pid > 0) {
		t->pid = pid;
		list_add_tail(&t->pid_node, pid_bucket(pid));
		list_add_tail(&t->all_node, &task_list);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return pid;
}

/* Removes a task from the pid table and task list. Caller holds tasklist_lock. */
void task_unregister_locked(struct task *t)
{
	lockdep_assert_held(&tasklist_lock);
	list_del(&t->pid_node);
	list_del(&t->all_node);
	WRITE_ONCE(t->pid_dead, true);
	pidfd_notify_exit();
}

void thread_group_init(struct task *t)
{
	t->group_leader = t;
	INIT_LIST_HEAD(&t->thread_node);
	INIT_LIST_HEAD(&t->thread_list);
	t->nr_threads = 1;
	t->group_exiting = false;
	init_waitqueue_head(&t->group_wq);
}

/*
 * Gives @t the pid of @old (a zombie leader being replaced by exec in one of
 * its threads); @old leaves the pid table and task list. tasklist_lock held.
 */
void task_reassign_pid_locked(struct task *t, struct task *old)
{
	lockdep_assert_held(&tasklist_lock);
	list_del(&t->pid_node);
	list_del(&old->pid_node);
	list_del(&old->all_node);
	t->pid = old->pid;
	list_add_tail(&t->pid_node, pid_bucket(t->pid));
}

unsigned int nr_threads(void)
{
	unsigned long flags;
	unsigned int n = 0;
	struct task *t;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, all_node)
		n++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return n;
}

void set_task_comm(struct task *t, const char *name, size_t len)
{
	char comm[TASK_COMM_LEN] = { 0 };

	memcpy(comm, name, min(len, sizeof(comm) - 1));
	task_lock(t);
	memcpy(t->comm, comm, sizeof(comm));
	task_unlock(t);
}

#define STACK_CACHE 2

/*
 * [this CPU, irqs off; drop_caches empties any CPU's] Slots are taken with
 * an exchange and filled with a compare-exchange from NULL, so a drain from
 * another CPU and the owner never both get one stack.
 */
static void *stack_cache[NR_CPUS][STACK_CACHE];

static void *stack_alloc(void)
{
	unsigned long flags;
	void *stack = NULL;

	local_irq_save(flags);
	for (unsigned int i = 0; i < STACK_CACHE && !stack; i++)
		stack = __atomic_exchange_n(&stack_cache[smp_processor_id()][i], NULL,
					    __ATOMIC_ACQ_REL);
	local_irq_restore(flags);
	return stack ? stack : vmalloc(KERNEL_STACK_SIZE);
}

/* May run with interrupts off (finish_task_switch); vfree() then defers its purge. */
static void stack_free(void *stack)
{
	unsigned long flags;

	local_irq_save(flags);
	for (unsigned int i = 0; i < STACK_CACHE && stack; i++) {
		void *empty = NULL;

		if (__atomic_compare_exchange_n(&stack_cache[smp_processor_id()][i], &empty, stack,
						false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			stack = NULL;
	}
	local_irq_restore(flags);
	vfree(stack);
}

void task_stack_cache_drain(void)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		for (unsigned int i = 0; i < STACK_CACHE; i++)
			vfree(__atomic_exchange_n(&stack_cache[cpu][i], NULL, __ATOMIC_ACQ_REL));
	vm_unmap_aliases();
}

struct task *task_alloc(void)
{
	struct task *t;

	if (!task_cache) {
		/* The first call is at boot, before any other CPU runs. */
		struct kmem_cache *c = kmem_cache_create("task", sizeof(struct task), 64, 0, NULL);

		if (IS_ERR(c))
			return ERR_PTR(-ENOMEM);
		task_cache = c;
	}
	t = kmem_cache_zalloc(task_cache, GFP_KERNEL);
	if (!t)
		return ERR_PTR(-ENOMEM);
	t->stack = stack_alloc();
	if (!t->stack) {
		kmem_cache_free(task_cache, t);
		return ERR_PTR(-ENOMEM);
	}
	kprof_task_init(t);
	if (arch_task_alloc(t))
		goto out_free_stack;
	if (signal_task_init(t))
		goto out_free_arch;
	INIT_LIST_HEAD(&t->run_node);
	spin_lock_init(&t->alloc_lock);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->ptraced);
	INIT_LIST_HEAD(&t->ptrace_entry);
	init_waitqueue_head(&t->wait_child);
	thread_group_init(t);
	t->start_time_ns = ktime_get_ns();
	return t;

out_free_arch:
	arch_task_free(t);
out_free_stack:
	stack_free(t->stack);
	kmem_cache_free(task_cache, t);
	return ERR_PTR(-ENOMEM);
}

void task_free(struct task *t)
{
	signal_task_free(t);
	seccomp_task_free(t);
	arch_task_free(t);
	stack_free(t->stack);
	kmem_cache_free(task_cache, t);
}

struct task *task_init_idle(void)
{
	struct task *idle = &init_task;

	for (unsigned int i = 0; i < PID_HASH_SIZE; i++)
		INIT_LIST_HEAD(&pid_hash[i]);
	idle->state = TASK_RUNNING;
	idle->flags = PF_KTHREAD | PF_IDLE;
	idle->on_rq = true;
	INIT_LIST_HEAD(&idle->run_node);
	spin_lock_init(&idle->alloc_lock);
	INIT_LIST_HEAD(&idle->children);
	INIT_LIST_HEAD(&idle->sibling);
	init_waitqueue_head(&idle->wait_child);
	thread_group_init(idle);
	strlcpy(idle->comm, "swapper/0", sizeof(idle->comm));
	rlimits_init_default(idle->rlim);
	cpumask_set_cpu(0, &idle->cpus_allowed);
	this_cpu_info()->current_task = idle;
	return idle;
}

struct mm *get_task_mm(struct task *t)
{
	struct mm *mm;

	task_lock(t);
	mm = (t->flags & PF_KTHREAD) ? NULL : t->mm;
	if (mm)
		mmget(mm);
	task_unlock(t);
	return mm;
}

/* The idle task of an AP: runs ap_start_kernel() and then the idle loop on its stack. */
struct task *idle_task_create(unsigned int cpu)
{
	struct task *idle = task_alloc();

	if (IS_ERR(idle))
		return idle;
	idle->state = TASK_RUNNING;
	idle->flags = PF_KTHREAD | PF_IDLE;
	idle->on_rq = true;
	idle->cpu = (int)cpu;
	idle->usage = 1;
	cpumask_set_cpu(cpu, &idle->cpus_allowed);
	rlimits_init_default(idle->rlim);
	snprintf(idle->comm, sizeof(idle->comm), "swapper/%u", cpu);
	return idle;
}

struct task *kthread_create(int (*fn)(void *), void *arg, const char *name)
{
	struct task *t = task_alloc();

	if (IS_ERR(t))
		return t;
	t->flags = PF_KTHREAD;
	t->state = TASK_UNINTERRUPTIBLE;
	t->usage = 2;	/* running + unreaped: do_exit autoreaps kernel threads */
	t->cpus_allowed = cpu_online_mask;
	rlimits_init_default(t->rlim);
	strlcpy(t->comm, name, sizeof(t->comm));
	arch_kthread_setup(t, fn, arg);
	if (task_register(t) < 0) {
		task_free(t);
		return ERR_PTR(-EAGAIN);
	}
	t->tgid = t->pid;
	return t;
}
