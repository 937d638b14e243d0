// SPDX-License-Identifier: MIT
/*
 * show_state(): every task with its state and, when it is switched out, its
 * kernel stack, like Linux's SysRq-T. For hangs: the serial console calls
 * it when it receives "\x1dsysrq-t" (the test driver sends that to a guest
 * gone silent), from the interrupt, so it works while the scheduler does
 * not. It takes tasklist_lock only if free: a hang may be holding it.
 */
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/spinlock.h>
#include <asm/stacktrace.h>

static char state_letter(const struct task *t)
{
	unsigned int state = READ_ONCE(t->state);

	if (t->exit_state)
		return 'Z';
	if (state & TASK_DEAD)
		return 'X';
	if (state & TASK_STOPPED)
		return 'T';
	if (state & TASK_UNINTERRUPTIBLE)
		return 'D';
	return (state & TASK_INTERRUPTIBLE) ? 'S' : 'R';
}

static void show_tasks(void)
{
	struct task *t;

	list_for_each_entry(t, &task_list, all_node) {
		int on_cpu = READ_ONCE(t->on_cpu);

		printk(KERN_EMERG "task %d tgid %d %s %c cpu %d%s pending %llx shared %llx blocked %llx\n",
		       t->pid, t->tgid, t->comm, state_letter(t), READ_ONCE(t->cpu),
		       on_cpu ? " (running)" : "", (unsigned long long)t->pending.signal,
		       t->signal ? (unsigned long long)t->signal->shared_pending.signal : 0ULL,
		       (unsigned long long)t->blocked);
		if (!on_cpu && t->stack)
			show_task_backtrace(t);
	}
}

void show_state(void)
{
	unsigned long flags;

	/*
	 * tasklist_lock is also taken from interrupts (kill_tgid): from a
	 * system call (/proc/sysrq-trigger) hold it with interrupts off too.
	 */
	local_irq_save(flags);
	if (spin_trylock(&tasklist_lock)) {
		printk(KERN_EMERG "show_state: every task (under tasklist_lock)\n");
		show_tasks();
		spin_unlock(&tasklist_lock);
	} else {
		printk(KERN_EMERG "show_state: every task (WITHOUT tasklist_lock)\n");
		show_tasks();
	}
	printk(KERN_EMERG "show_state: end\n");
	local_irq_restore(flags);
}
