// SPDX-License-Identifier: MIT
/*
 * The network threads: one kernel thread per CPU, "knetd/N", bound to its
 * CPU, doing what Linux does in the NET_RX softirq, in process context:
 *   - NAPI polls scheduled on its CPU (napi_schedule from a driver's
 *     interrupt), each with its weight as budget, round robin;
 *   - the netif_rx backlog of its CPU, itself a NAPI instance;
 *   - transmit restarts of devices whose queue a driver woke;
 *   - expired net_timers armed on its CPU;
 *   - on CPU 0, carrier changes (linkwatch).
 * Protocol code therefore never runs in an interrupt, and its locks are
 * plain spinlocks and mutexes.
 *
 * NAPI states: SCHED is set while the instance is on a poll list or being
 * polled (so an interrupt that schedules it again only sets MISSED, and
 * napi_complete_done() then puts it back on the list, still SCHED, and
 * returns false). A poll that used its whole budget has not completed and
 * goes to the tail of the list.
 *
 * net_timer: a struct timer fires in the timer interrupt and only moves
 * the net_timer onto its CPU's work list; the thread runs fn, and records
 * which one in running_timer (never touching the timer after fn returns:
 * fn may free it) so that net_timer_del() can wait for it.
 *
 * Lock order: nc->lock (irq-safe: interrupts schedule NAPI and timers) is a
 * leaf apart from the wait-queue lock of the wake-up and timer_lock in
 * net_timer_mod. Nothing else is held while a poll, a restart or a timer
 * function runs.
 */
#include <exo/cpumask.h>
#include <exo/err.h>
#include <exo/init.h>
#include <exo/irqflags.h>
#include <exo/netdevice.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/time.h>
#include <exo/wait.h>
#include "internal.h"

/* Linux's net.core.netdev_max_backlog. */
#define NETDEV_MAX_BACKLOG	1000

/* napi->state bits of the core's own (beside NAPI_STATE_SCHED/DISABLE). */
#define NAPI_STATE_MISSED	8

/* net_timer->flags */
#define NT_QUEUED	0x1	/* on nc->timers */

struct netcpu {
	struct spinlock lock;
	struct list_head poll_list;	/* [lock] scheduled napi_structs */
	struct list_head timers;	/* [lock] expired net_timers */
	struct list_head tx_list;	/* [lock] devices to restart */
	bool work;			/* [lock] something was queued */
	bool linkwatch;			/* [lock] CPU 0: a carrier changed */
	struct wait_queue_head wq;
	struct sk_buff_head backlog;	/* netif_rx; its own lock */
	struct napi_struct backlog_napi;
	struct task *thread;		/* [immutable after init] */
	struct net_timer *running_timer; /* [lock] whose fn the thread runs now */
};

static struct netcpu netcpus[NR_CPUS];
static bool netthreads_ready;	/* [immutable after init] */

/* This CPU's (interrupts off or no sleep since), or CPU 0's when it has no thread. */
static struct netcpu *netcpu_this(void)
{
	unsigned int cpu = smp_processor_id();

	return netcpus[cpu].thread ? &netcpus[cpu] : &netcpus[0];
}

/* Marks work for @nc and wakes its thread; nc->lock held. */
static void netcpu_kick_locked(struct netcpu *nc)
{
	nc->work = true;
	__wake_up(&nc->wq, NULL);
}

/* ---- NAPI ----------------------------------------------------------------- */

static bool test_and_set_state(unsigned long *state, int bit)
{
	return __atomic_fetch_or(state, 1UL << bit, __ATOMIC_ACQ_REL) & (1UL << bit);
}

static void clear_state(unsigned long *state, int bit)
{
	__atomic_fetch_and(state, ~(1UL << bit), __ATOMIC_RELEASE);
}

static bool test_state(const unsigned long *state, int bit)
{
	return __atomic_load_n(state, __ATOMIC_ACQUIRE) & (1UL << bit);
}

void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *napi, int budget))
{
	INIT_LIST_HEAD(&napi->poll_list);
	napi->poll = poll;
	napi->dev = dev;
	napi->weight = NAPI_POLL_WEIGHT;
	/* Disabled until napi_enable(), as Linux's. */
	napi->state = 1UL << NAPI_STATE_SCHED;
}

void napi_enable(struct napi_struct *napi)
{
	__atomic_store_n(&napi->state, 0, __ATOMIC_RELEASE);
}

void napi_disable(struct napi_struct *napi)
{
	test_and_set_state(&napi->state, NAPI_STATE_DISABLE);
	while (test_and_set_state(&napi->state, NAPI_STATE_SCHED))
		schedule_timeout_ns(NSEC_PER_MSEC, false);
	clear_state(&napi->state, NAPI_STATE_DISABLE);
}

static void __napi_schedule(struct netcpu *nc, struct napi_struct *napi)
{
	unsigned long flags;

	spin_lock_irqsave(&nc->lock, flags);
	list_add_tail(&napi->poll_list, &nc->poll_list);
	netcpu_kick_locked(nc);
	spin_unlock_irqrestore(&nc->lock, flags);
}

bool napi_schedule(struct napi_struct *napi)
{
	unsigned long flags;

	if (test_state(&napi->state, NAPI_STATE_DISABLE))
		return false;
	if (test_and_set_state(&napi->state, NAPI_STATE_SCHED)) {
		/* Being polled: the poll's napi_complete_done() will go round again. */
		test_and_set_state(&napi->state, NAPI_STATE_MISSED);
		return false;
	}
	local_irq_save(flags);
	__napi_schedule(netcpu_this(), napi);
	local_irq_restore(flags);
	return true;
}

bool napi_complete_done(struct napi_struct *napi, int work_done)
{
	unsigned long flags;

	(void)work_done;
	if (__atomic_fetch_and(&napi->state, ~(1UL << NAPI_STATE_MISSED), __ATOMIC_ACQ_REL) &
	    (1UL << NAPI_STATE_MISSED))
		goto again;
	clear_state(&napi->state, NAPI_STATE_SCHED);
	/* An interrupt between the check and the clear set MISSED on a clear SCHED: */
	if (!test_state(&napi->state, NAPI_STATE_MISSED))
		return true;
	clear_state(&napi->state, NAPI_STATE_MISSED);
	if (test_and_set_state(&napi->state, NAPI_STATE_SCHED))
		return true;	/* scheduled anew meanwhile: it is on a list already */
again:
	/* Scheduled while it was being polled: still SCHED, back on the list for another poll. */
	local_irq_save(flags);
	__napi_schedule(netcpu_this(), napi);
	local_irq_restore(flags);
	return false;
}

/* ---- the backlog ------------------------------------------------------------ */

static int process_backlog(struct napi_struct *napi, int budget)
{
	struct netcpu *nc = container_of(napi, struct netcpu, backlog_napi);
	struct sk_buff *skb;
	int done = 0;

	while (done < budget && (skb = skb_dequeue(&nc->backlog))) {
		netif_receive_skb(skb);
		done++;
	}
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

int netif_rx(struct sk_buff *skb)
{
	struct netcpu *nc;
	unsigned long flags;

	local_irq_save(flags);
	nc = netcpu_this();
	if (skb_queue_len(&nc->backlog) >= NETDEV_MAX_BACKLOG) {
		local_irq_restore(flags);
		__atomic_fetch_add(&skb->dev->stats.rx_dropped, 1, __ATOMIC_RELAXED);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	skb_queue_tail(&nc->backlog, skb);
	if (!test_and_set_state(&nc->backlog_napi.state, NAPI_STATE_SCHED))
		__napi_schedule(nc, &nc->backlog_napi);
	else
		test_and_set_state(&nc->backlog_napi.state, NAPI_STATE_MISSED);
	local_irq_restore(flags);
	return NET_RX_SUCCESS;
}

/* ---- transmit restarts and carrier changes ---------------------------------- */

void netthread_schedule_tx(struct net_device *dev)
{
	struct netcpu *nc;
	unsigned long flags;

	if (test_and_set_state(&dev->state, __LINK_STATE_SCHED))
		return;
	dev_hold(dev);
	local_irq_save(flags);
	nc = netcpu_this();
	spin_lock(&nc->lock);
	list_add_tail(&dev->tx_node, &nc->tx_list);
	netcpu_kick_locked(nc);
	spin_unlock(&nc->lock);
	local_irq_restore(flags);
}

void linkwatch_fire(struct net_device *dev)
{
	struct netcpu *nc = &netcpus[0];
	unsigned long flags;

	if (test_and_set_state(&dev->state, __LINK_STATE_LINKWATCH))
		return;
	spin_lock_irqsave(&nc->lock, flags);
	nc->linkwatch = true;
	netcpu_kick_locked(nc);
	spin_unlock_irqrestore(&nc->lock, flags);
}

/* CPU 0's thread: every device with a carrier change pending, one at a time without locks. */
static void linkwatch_do(void)
{
	struct net_device *dev, *found;

	do {
		found = NULL;
		spin_lock(&dev_base_lock);
		for_each_netdev(dev)
			if (__atomic_fetch_and(&dev->state, ~(1UL << __LINK_STATE_LINKWATCH),
					       __ATOMIC_ACQ_REL) & (1UL << __LINK_STATE_LINKWATCH)) {
				found = dev;
				dev_hold(dev);
				break;
			}
		spin_unlock(&dev_base_lock);
		if (found) {
			linkwatch_run(found);
			dev_put(found);
		}
	} while (found);
}

void netthread_flush_dev(struct net_device *dev)
{
	/* A queued restart holds a reference: unregister waits for it through refcnt. */
	(void)dev;
}

/* ---- net_timer ------------------------------------------------------------------ */

static void net_timer_fire(struct timer *tm)
{
	struct net_timer *t = container_of(tm, struct net_timer, timer);
	struct netcpu *nc = &netcpus[t->cpu];

	spin_lock(&nc->lock);
	/* Re-armed meanwhile (net_timer_mod on another CPU): the new expiry stands. */
	if (!READ_ONCE(tm->pending) && !(t->flags & NT_QUEUED)) {
		t->flags |= NT_QUEUED;
		list_add_tail(&t->work, &nc->timers);
		netcpu_kick_locked(nc);
	}
	spin_unlock(&nc->lock);
}

void net_timer_init(struct net_timer *t, void (*fn)(struct net_timer *t), void *data)
{
	t->timer = (struct timer){ .fn = net_timer_fire };
	INIT_LIST_HEAD(&t->timer.node);
	INIT_LIST_HEAD(&t->work);
	t->fn = fn;
	t->data = data;
	t->cpu = -1;
	t->flags = 0;
}

/* The CPU a timer runs on: fixed at its first arming, so one lock guards its state. */
static struct netcpu *net_timer_cpu(struct net_timer *t)
{
	int none = -1;
	int cpu = (int)(netcpu_this() - netcpus);

	__atomic_compare_exchange_n(&t->cpu, &none, cpu, false, __ATOMIC_ACQ_REL,
				    __ATOMIC_ACQUIRE);
	return &netcpus[__atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE)];
}

void net_timer_mod(struct net_timer *t, u64 expires_ns)
{
	struct netcpu *nc = net_timer_cpu(t);
	unsigned long flags;

	spin_lock_irqsave(&nc->lock, flags);
	timer_cancel(&t->timer);
	if (t->flags & NT_QUEUED) {
		list_del_init(&t->work);
		t->flags &= ~NT_QUEUED;
	}
	timer_add(&t->timer, expires_ns);
	spin_unlock_irqrestore(&nc->lock, flags);
}

bool net_timer_del(struct net_timer *t)
{
	struct netcpu *nc;
	unsigned long flags;
	bool pending;

	if (t->cpu < 0)
		return false;
	nc = &netcpus[t->cpu];
	pending = timer_del(&t->timer);
	spin_lock_irqsave(&nc->lock, flags);
	if (t->flags & NT_QUEUED) {
		list_del_init(&t->work);
		t->flags &= ~NT_QUEUED;
		pending = true;
	}
	/* A run in progress elsewhere finishes first (fn itself must not call this). */
	while (nc->running_timer == t && nc->thread != current) {
		spin_unlock_irqrestore(&nc->lock, flags);
		schedule_timeout_ns(NSEC_PER_MSEC / 10, false);
		spin_lock_irqsave(&nc->lock, flags);
	}
	spin_unlock_irqrestore(&nc->lock, flags);
	return pending;
}

bool net_timer_pending(const struct net_timer *t)
{
	return READ_ONCE(t->timer.pending) || (READ_ONCE(t->flags) & NT_QUEUED);
}

/* ---- the thread -------------------------------------------------------------------- */

static void netcpu_run_timers(struct netcpu *nc)
{
	struct net_timer *t;
	unsigned long flags;

	spin_lock_irqsave(&nc->lock, flags);
	while (!list_empty(&nc->timers)) {
		t = list_first_entry(&nc->timers, struct net_timer, work);
		list_del_init(&t->work);
		t->flags &= ~NT_QUEUED;
		nc->running_timer = t;
		spin_unlock_irqrestore(&nc->lock, flags);
		t->fn(t);
		spin_lock_irqsave(&nc->lock, flags);
		nc->running_timer = NULL;
	}
	spin_unlock_irqrestore(&nc->lock, flags);
}

static void netcpu_run_tx(struct netcpu *nc)
{
	struct net_device *dev;
	unsigned long flags;

	spin_lock_irqsave(&nc->lock, flags);
	while (!list_empty(&nc->tx_list)) {
		dev = list_first_entry(&nc->tx_list, struct net_device, tx_node);
		list_del_init(&dev->tx_node);
		clear_state(&dev->state, __LINK_STATE_SCHED);
		spin_unlock_irqrestore(&nc->lock, flags);
		dev_tx_restart(dev);
		dev_put(dev);
		spin_lock_irqsave(&nc->lock, flags);
	}
	spin_unlock_irqrestore(&nc->lock, flags);
}

/* One round over the poll list: each scheduled instance polled once with its weight. */
static void netcpu_run_polls(struct netcpu *nc)
{
	struct napi_struct *napi;
	unsigned long flags;
	LIST_HEAD(round);
	int done;

	spin_lock_irqsave(&nc->lock, flags);
	if (!list_empty(&nc->poll_list))
		list_replace_init(&nc->poll_list, &round);
	spin_unlock_irqrestore(&nc->lock, flags);
	while (!list_empty(&round)) {
		napi = list_first_entry(&round, struct napi_struct, poll_list);
		list_del_init(&napi->poll_list);
		done = napi->poll(napi, napi->weight);
		/* The whole budget used: not completed, still SCHED; poll again next round. */
		if (done >= napi->weight) {
			spin_lock_irqsave(&nc->lock, flags);
			list_add_tail(&napi->poll_list, &nc->poll_list);
			nc->work = true;
			spin_unlock_irqrestore(&nc->lock, flags);
		}
	}
}

static bool netcpu_has_work(struct netcpu *nc)
{
	return READ_ONCE(nc->work);
}

static int netthread(void *arg)
{
	struct netcpu *nc = arg;
	unsigned long flags;
	bool linkwatch;

	for (;;) {
		wait_event_interruptible(nc->wq, netcpu_has_work(nc));
		spin_lock_irqsave(&nc->lock, flags);
		nc->work = false;
		linkwatch = nc->linkwatch;
		nc->linkwatch = false;
		spin_unlock_irqrestore(&nc->lock, flags);
		netcpu_run_polls(nc);
		netcpu_run_tx(nc);
		netcpu_run_timers(nc);
		if (linkwatch)
			linkwatch_do();
		/* Busy: let the rest of this CPU run between rounds (the kernel does not preempt). */
		if (READ_ONCE(nc->work) && need_resched())
			schedule();
	}
	return 0;
}

static void netcpu_init(struct netcpu *nc)
{
	spin_lock_init(&nc->lock);
	INIT_LIST_HEAD(&nc->poll_list);
	INIT_LIST_HEAD(&nc->timers);
	INIT_LIST_HEAD(&nc->tx_list);
	init_waitqueue_head(&nc->wq);
	skb_queue_head_init(&nc->backlog);
	netif_napi_add(NULL, &nc->backlog_napi, process_backlog);
	nc->backlog_napi.weight = NAPI_POLL_WEIGHT;
	napi_enable(&nc->backlog_napi);
}

static int netthreads_init(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		netcpu_init(&netcpus[cpu]);
	for_each_online_cpu(cpu) {
		struct cpumask mask = { 0 };
		char name[16];
		struct task *t;

		snprintf(name, sizeof(name), "knetd/%u", cpu);
		t = kthread_create(netthread, &netcpus[cpu], name);
		if (IS_ERR(t)) {
			pr_err("net: cannot start %s (%ld)\n", name, PTR_ERR(t));
			if (cpu == 0)
				return (int)PTR_ERR(t);
			continue;
		}
		cpumask_set_cpu(cpu, &mask);
		t->cpus_allowed = mask;
		netcpus[cpu].thread = t;
		wake_up_new_task(t);
	}
	netthreads_ready = true;
	return 0;
}
core_initcall(netthreads_init);
