// SPDX-License-Identifier: MIT
/*
 * The function profiler (docs/kprof.md; interface in <exo/kprof.h>).
 *
 * Sites: __patchable_function_entries lists the 5 bytes of NOPs at the
 * entry of every function built with -fpatchable-function-entry=5 (folders
 * opt files out with notrace-y, functions with `notrace`). It is sorted
 * once at boot, so a site's index is a binary search away and indexes the
 * per-CPU tables, and its five 1-byte NOPs become one 5-byte NOP.
 *
 * Tracing: kprof_patch_all() parks every CPU with interrupts off (the
 * others in kprof_park(), the caller waiting for them), the last to arrive
 * rewrites every site and lets them go; each executes a serialising
 * instruction before it runs any code again (Intel SDM 3A, 8.1.3,
 * cross-modifying code). A hooked call enters kprof_entry(), which
 * counts it on this CPU and pushes (return address, site, TSC) on the
 * task's shadow stack, replacing the return address by the exit
 * trampoline; kprof_exit() pops it and adds the elapsed TSC to the site's
 * cycles on the CPU the function returns on. The shadow stack is per task
 * (a sleeping function returns on the task that called it) and lives at
 * the bottom of the task's kernel stack, so a task costs nothing more when
 * the profiler is off. Interrupts push and pop above the interrupted
 * entries, so the stack stays last-in first-out; each hook keeps
 * interrupts off while it touches it. After tracing stops, tasks asleep
 * in hooked functions still return through the trampoline, which keeps
 * working: the tables are never freed.
 *
 * Sampling: at each timer tick, the interrupted call chain (frame
 * pointers, exit-trampoline addresses put back from the shadow stack) is
 * reduced to function starts and counted in this CPU's hash table of
 * stacks, which /proc/kprof/folded prints for flamegraph.pl.
 *
 * Locking: kprof_mutex serialises kprof_set() and the readers; the hooks
 * write only this CPU's tables with interrupts off. Built without -pg
 * (notrace-y): nothing here may call a hooked function from a hook.
 */
#include <asm/kprof.h>
#include <asm/memlayout.h>
#include <asm/timex.h>
#include <exo/cmdline.h>
#include <exo/cpumask.h>
#include <exo/init.h>
#include <exo/irqflags.h>
#include <exo/kprof.h>
#include <exo/ksym.h>
#include <exo/mutex.h>
#include <exo/panic.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/seq_file.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/vmalloc.h>
#include <uapi/errno.h>

#define KPROF_SHADOW_DEPTH	24	/* timed calls nested per task */
#define KPROF_STACK_DEPTH	12	/* frames kept per sample */
#define KPROF_STACKS		512	/* distinct sampled stacks per CPU */
#define KPROF_PROBES		16	/* hash slots tried before a sample is dropped */

struct kprof_stat {
	u64 calls;
	u64 cycles;			/* inclusive TSC cycles of the calls that returned */
};

struct kprof_frame {
	u64 tsc;			/* at entry */
	unsigned long *slot;		/* where the return address was on the stack */
	u32 ret_off;			/* real return address - _text */
	u32 site;
};

/* At t->stack, the lowest bytes of the kernel stack. */
struct kprof_shadow {
	u32 depth;
	u32 overflows;			/* calls counted but not timed: shadow stack full */
	struct kprof_frame frames[KPROF_SHADOW_DEPTH];
};

struct kprof_stack {
	u32 count;
	u32 depth;
	unsigned long pc[KPROF_STACK_DEPTH];	/* function starts, innermost first; 0 = user mode */
};

struct kprof_cpu {
	struct kprof_stat *stats;	/* [this cpu] one per site */
	struct kprof_stack *stacks;	/* [this cpu] KPROF_STACKS */
	u64 samples, dropped;		/* [this cpu] */
};

extern unsigned long __start_mcount_loc[], __stop_mcount_loc[];
extern char _text[];

unsigned int kprof_flags;
/* Made once, at the first switch-on (kprof_prepare_sites), under kprof_mutex; then immutable. */
static unsigned long *kprof_sites;	/* sorted */
static unsigned int kprof_nr_sites;
static unsigned int kprof_unhookable;	/* functions left out */
static bool kprof_available;		/* [immutable after boot] the text can be patched */
static struct kprof_cpu kprof_cpus[NR_CPUS];	/* pointers [kprof_mutex], set once */
static DEFINE_MUTEX(kprof_mutex);
static int kprof_parked;		/* [atomic] CPUs in kprof_park() */
static int kprof_release;		/* [atomic] kprof_park() may return */
static bool kprof_patch_on;		/* [kprof_mutex] what kprof_park() writes */

void kprof_entry(unsigned long ip, unsigned long *parent);
unsigned long kprof_exit(unsigned long *slot);

static struct kprof_shadow *task_shadow(struct task *t)
{
	return t && t->stack ? t->stack : NULL;
}

void kprof_task_init(struct task *t)
{
	struct kprof_shadow *sh = task_shadow(t);

	if (sh) {
		sh->depth = 0;
		sh->overflows = 0;
	}
}

static long kprof_site_index(unsigned long ip)
{
	unsigned int lo = 0, hi = kprof_nr_sites;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (kprof_sites[mid] == ip)
			return mid;
		if (kprof_sites[mid] < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void kprof_entry(unsigned long ip, unsigned long *parent)
{
	struct kprof_stat *stats;
	struct kprof_shadow *sh;
	unsigned long flags;
	long i;

	local_irq_save(flags);
	stats = kprof_cpus[smp_processor_id()].stats;
	i = kprof_site_index(ip);
	if (!stats || i < 0 || !(kprof_flags & KPROF_TRACE))
		goto out;
	stats[i].calls++;
	sh = task_shadow(current);
	if (!sh)
		goto out;
	if (sh->depth >= KPROF_SHADOW_DEPTH) {
		sh->overflows++;
		goto out;
	}
	sh->frames[sh->depth].ret_off = (u32)(*parent - (unsigned long)_text);
	sh->frames[sh->depth].site = (u32)i;
	sh->frames[sh->depth].slot = parent;
	*parent = (unsigned long)kprof_exit_tramp;
	sh->frames[sh->depth].tsc = get_cycles();
	sh->depth++;
out:
	local_irq_restore(flags);
}

/*
 * @slot: where the return address that led here was. Entries for deeper
 * slots belong to frames left without a return (a task that went to user
 * mode from a kernel thread, an exception fixup): they are dropped.
 */
unsigned long kprof_exit(unsigned long *slot)
{
	struct kprof_shadow *sh = task_shadow(current);
	struct kprof_stat *stats;
	struct kprof_frame *f;
	unsigned long flags, ret;
	u64 now = get_cycles();

	local_irq_save(flags);
	while (sh && sh->depth && sh->frames[sh->depth - 1].slot < slot)
		sh->depth--;
	if (!sh || !sh->depth || sh->frames[sh->depth - 1].slot != slot)
		panic("kprof: return through the trampoline at %lx without its entry (depth %u)",
		      (unsigned long)slot, sh ? sh->depth : 0);
	f = &sh->frames[--sh->depth];
	stats = kprof_cpus[smp_processor_id()].stats;
	if (stats)
		stats[f->site].cycles += now - f->tsc;
	/* Read before interrupts are back: an interrupt's first hook reuses the entry. */
	ret = (unsigned long)_text + f->ret_off;
	local_irq_restore(flags);
	return ret;
}

/* The function containing @pc (a return address when @ret), or @pc itself if unknown. */
static unsigned long kprof_func_start(unsigned long pc, bool ret)
{
	unsigned long off;
	unsigned int lo = 0, hi = kprof_nr_sites;

	/* In the bytes before a hooked entry (its moved first instructions): that function. */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (kprof_sites[mid] <= pc - ret)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < kprof_nr_sites && kprof_sites[lo] - (pc - ret) <= KPROF_PRE_SIZE)
		return kprof_sites[lo];

	if (!ksym_lookup(pc - ret, &off, NULL))
		return pc;
	return pc - ret - off;
}

static bool kprof_stack_equal(const struct kprof_stack *a, const struct kprof_stack *b)
{
	if (a->depth != b->depth)
		return false;
	for (u32 i = 0; i < a->depth; i++)
		if (a->pc[i] != b->pc[i])
			return false;
	return true;
}

static u32 kprof_stack_hash(const struct kprof_stack *s)
{
	u64 h = s->depth;

	for (u32 i = 0; i < s->depth; i++)
		h = (h ^ s->pc[i]) * 0x100000001b3UL;
	return (u32)(h ^ (h >> 29));
}

void kprof_sample(struct pt_regs *regs)
{
	struct kprof_cpu *kc = &kprof_cpus[smp_processor_id()];
	struct task *t = current;
	struct kprof_shadow *sh = task_shadow(t);
	struct kprof_stack s = { .count = 1 };
	unsigned int swapped = 0;

	if (!kc->stacks)
		return;
	kc->samples++;
	if (sh)
		s.depth = arch_kprof_walk(regs, (unsigned long)t->stack + sizeof(*sh),
					  (unsigned long)t->stack + KERNEL_STACK_SIZE, s.pc,
					  KPROF_STACK_DEPTH);
	if (!s.depth)
		s.depth = 1;	/* user mode (s.pc[0] stays 0) */
	for (u32 i = 0; i < s.depth && s.pc[0]; i++) {
		/* The innermost trampoline return is the newest shadow entry. */
		if (i && s.pc[i] == (unsigned long)kprof_exit_tramp && swapped < sh->depth)
			s.pc[i] = (unsigned long)_text + sh->frames[sh->depth - ++swapped].ret_off;
		s.pc[i] = kprof_func_start(s.pc[i], i > 0);
	}
	for (u32 probe = 0, h = kprof_stack_hash(&s); probe < KPROF_PROBES; probe++) {
		struct kprof_stack *e = &kc->stacks[(h + probe) % KPROF_STACKS];

		if (!e->count) {
			/* Field by field: a struct copy may become a call of the hooked memcpy. */
			for (u32 i = 0; i < s.depth; i++)
				e->pc[i] = s.pc[i];
			e->depth = s.depth;
			e->count = 1;
			return;
		}
		if (kprof_stack_equal(e, &s)) {
			e->count++;
			return;
		}
	}
	kc->dropped++;
}

static void kprof_patch_sites(bool on)
{
	for (unsigned int i = 0; i < kprof_nr_sites; i++)
		arch_kprof_patch(kprof_sites[i], on);
	arch_sync_core();
}

/*
 * Runs on every CPU but the caller, from the call-function IPI. The last to
 * arrive rewrites the sites while the others spin here with interrupts off
 * and the caller spins in smp_call_function_many() with interrupts off too,
 * so no CPU can be executing a half-written call.
 */
static void kprof_park(void *others)
{
	unsigned long flags;

	local_irq_save(flags);
	if (__atomic_add_fetch(&kprof_parked, 1, __ATOMIC_ACQ_REL) == (int)(long)others) {
		kprof_patch_sites(kprof_patch_on);
		__atomic_store_n(&kprof_release, 1, __ATOMIC_RELEASE);
	} else {
		while (!__atomic_load_n(&kprof_release, __ATOMIC_ACQUIRE))
			cpu_relax();
		arch_sync_core();
	}
	local_irq_restore(flags);
}

/*
 * Rewrites every site with all CPUs quiesced (Intel SDM 3A, 8.1.3: the
 * modifying CPU writes, the others wait for its flag and serialise). The
 * kernel does not migrate a task while interrupts are off, so the mask of
 * the others stays right. An NMI taken meanwhile could still meet a
 * half-written site: no NMI handler runs while the kernel is up except the
 * one that stops CPUs for panic.
 */
static void kprof_patch_all(bool on)
{
	struct cpumask others = cpu_online_mask;
	unsigned int n = nr_cpus_online - 1;
	unsigned long flags;

	kprof_patch_on = on;
	__atomic_store_n(&kprof_parked, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&kprof_release, 0, __ATOMIC_RELEASE);
	local_irq_save(flags);
	cpumask_clear_cpu(smp_processor_id(), &others);
	/* Returns once every other CPU has left kprof_park(). */
	if (n)
		smp_call_function_many(&others, kprof_park, (void *)(long)n, false);
	else
		kprof_patch_sites(on);
	arch_sync_core();
	local_irq_restore(flags);
}

/* Allocates the tables of every online CPU the first time; they are never freed. */
static int kprof_alloc(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct kprof_cpu *kc = &kprof_cpus[cpu];

		if (!kc->stats)
			kc->stats = vzalloc(kprof_nr_sites * sizeof(*kc->stats) + 1);
		if (!kc->stacks)
			kc->stacks = vzalloc(KPROF_STACKS * sizeof(*kc->stacks));
		if (!kc->stats || !kc->stacks)
			return -ENOMEM;
	}
	return 0;
}

static void kprof_reset(unsigned int flags)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct kprof_cpu *kc = &kprof_cpus[cpu];

		if (flags & KPROF_TRACE)
			memset(kc->stats, 0, kprof_nr_sites * sizeof(*kc->stats));
		if (flags & KPROF_SAMPLE) {
			memset(kc->stacks, 0, KPROF_STACKS * sizeof(*kc->stacks));
			kc->samples = kc->dropped = 0;
		}
	}
}

static void kprof_prepare_sites(void);

int kprof_set(unsigned int flags)
{
	unsigned int old, on;
	int err = 0;

	if (flags & ~(KPROF_TRACE | KPROF_SAMPLE))
		return -EINVAL;
	mutex_lock(&kprof_mutex);
	old = kprof_flags;
	on = flags & ~old;
	if (!kprof_available) {
		err = flags ? -ENODEV : 0;
		goto out;
	}
	if (!kprof_sites && flags)
		kprof_prepare_sites();
	if (on) {
		err = kprof_alloc();
		if (err)
			goto out;
	}
	__atomic_store_n(&kprof_flags, old & flags, __ATOMIC_RELEASE);
	if ((old & KPROF_TRACE) && !(flags & KPROF_TRACE))
		kprof_patch_all(false);
	kprof_reset(on);
	if (on & KPROF_TRACE) {
		__atomic_store_n(&kprof_flags, kprof_flags | KPROF_TRACE, __ATOMIC_RELEASE);
		kprof_patch_all(true);
	}
	__atomic_store_n(&kprof_flags, flags, __ATOMIC_RELEASE);
out:
	mutex_unlock(&kprof_mutex);
	return err;
}

static const char *kprof_site_name(unsigned int i)
{
	const char *name = ksym_lookup(kprof_sites[i], NULL, NULL);

	return name ? name : "?";
}

int kprof_show_functions(struct seq_file *m)
{
	unsigned int cpu;

	mutex_lock(&kprof_mutex);
	for (unsigned int i = 0; i < kprof_nr_sites; i++) {
		u64 calls = 0, cycles = 0;

		for_each_online_cpu(cpu) {
			if (!kprof_cpus[cpu].stats)
				continue;
			calls += kprof_cpus[cpu].stats[i].calls;
			cycles += kprof_cpus[cpu].stats[i].cycles;
		}
		if (calls)
			seq_printf(m, "%lu %lu %s\n", calls, cycles, kprof_site_name(i));
	}
	mutex_unlock(&kprof_mutex);
	return 0;
}

int kprof_show_functions_cpu(struct seq_file *m)
{
	unsigned int cpu;

	mutex_lock(&kprof_mutex);
	for_each_online_cpu(cpu) {
		const struct kprof_stat *st = kprof_cpus[cpu].stats;

		for (unsigned int i = 0; st && i < kprof_nr_sites; i++)
			if (st[i].calls || st[i].cycles)
				seq_printf(m, "%u %lu %lu %s\n", cpu, st[i].calls, st[i].cycles,
					   kprof_site_name(i));
	}
	mutex_unlock(&kprof_mutex);
	return 0;
}

int kprof_show_folded(struct seq_file *m)
{
	unsigned int cpu;

	mutex_lock(&kprof_mutex);
	for_each_online_cpu(cpu) {
		const struct kprof_stack *s = kprof_cpus[cpu].stacks;

		for (unsigned int i = 0; s && i < KPROF_STACKS; i++) {
			if (!s[i].count)
				continue;
			for (u32 d = s[i].depth; d-- > 0;) {
				const char *name = s[i].pc[d] ? ksym_lookup(s[i].pc[d], NULL, NULL)
							       : "[user]";

				if (name)
					seq_printf(m, "%s%c", name, d ? ';' : ' ');
				else
					seq_printf(m, "0x%lx%c", s[i].pc[d], d ? ';' : ' ');
			}
			seq_printf(m, "%u\n", s[i].count);
		}
	}
	mutex_unlock(&kprof_mutex);
	return 0;
}

int kprof_show_status(struct seq_file *m)
{
	u64 samples = 0, dropped = 0;
	unsigned int cpu;

	mutex_lock(&kprof_mutex);
	for_each_online_cpu(cpu) {
		samples += kprof_cpus[cpu].samples;
		dropped += kprof_cpus[cpu].dropped;
	}
	seq_printf(m, "tracing %u\nsampling %u\nsites %u\nunhookable %u\nsamples %lu\ndropped %lu\n",
		   !!(kprof_flags & KPROF_TRACE), !!(kprof_flags & KPROF_SAMPLE), kprof_nr_sites,
		   kprof_unhookable, samples, dropped);
	mutex_unlock(&kprof_mutex);
	return 0;
}

/* Heapsort in place: the table is a few thousand entries, sorted once. */
static void kprof_sift(unsigned long *a, unsigned int root, unsigned int n)
{
	for (unsigned int child; (child = 2 * root + 1) < n; root = child) {
		unsigned long t;

		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		t = a[root];
		a[root] = a[child];
		a[child] = t;
	}
}

/*
 * The site table, made at the first switch-on rather than at boot, where
 * sorting and checking two thousand functions would cost every boot ~10%
 * of boot_to_init for a profiler most boots never use. gcc records the
 * first NOP before each entry; kept are the entries whose first
 * instructions can move into those bytes (arch_kprof_hookable), sorted
 * (heapsort, in place), so a site's index is a binary search away.
 * kprof_mutex held.
 */
static void kprof_prepare_sites(void)
{
	unsigned long *a = __start_mcount_loc;
	unsigned int n = __stop_mcount_loc - __start_mcount_loc, kept = 0;

	for (unsigned int i = 0; i < n; i++) {
		unsigned long f = a[i] + KPROF_PRE_SIZE;

		if (arch_kprof_hookable(f))
			a[kept++] = f;
	}
	for (unsigned int i = kept / 2; i-- > 0;)
		kprof_sift(a, i, kept);
	for (unsigned int end = kept; end-- > 1;) {
		unsigned long t = a[0];

		a[0] = a[end];
		a[end] = t;
		kprof_sift(a, 0, end);
	}
	kprof_nr_sites = kept;
	kprof_unhookable = n - kept;
	kprof_sites = a;
	pr_info("kprof: %u functions can be profiled (/proc/kprof), %u cannot\n",
		kprof_nr_sites, kprof_unhookable);
}

static int kprof_init(void)
{
	int err = arch_kprof_init();

	if (err) {
		pr_warn("kprof: no writable alias of the kernel text (%d): profiler off\n", err);
		return 0;
	}
	kprof_available = true;
	return 0;
}
core_initcall(kprof_init);

static bool kprof_from_cmdline;		/* [immutable after boot] */

#define KPROF_REPORT_TOP 25

/*
 * kprof=... on the command line: when init exits, the profile goes to the
 * console, as "kprof: calls cycles name" lines for the functions with the
 * most cycles (how make bench shows one row's profile without a /proc
 * reader in its guest).
 */
void kprof_report_boot(void)
{
	u64 last = ~0UL;
	unsigned int cpu;

	if (!kprof_from_cmdline)
		return;
	kprof_set(0);
	pr_info("kprof: top functions by inclusive cycles (calls cycles name)\n");
	for (unsigned int rank = 0; rank < KPROF_REPORT_TOP; rank++) {
		u64 best = 0, best_calls = 0;
		long best_i = -1;

		/* Selection by rank: the next largest total below the last one printed. */
		for (unsigned int i = 0; i < kprof_nr_sites; i++) {
			u64 calls = 0, cycles = 0;

			for_each_online_cpu(cpu) {
				if (kprof_cpus[cpu].stats) {
					calls += kprof_cpus[cpu].stats[i].calls;
					cycles += kprof_cpus[cpu].stats[i].cycles;
				}
			}
			if (calls && cycles < last && cycles >= best) {
				best = cycles;
				best_calls = calls;
				best_i = i;
			}
		}
		if (best_i < 0)
			break;
		pr_info("kprof: %lu %lu %s\n", best_calls, best, kprof_site_name(best_i));
		last = best;
	}
}

/* kprof=1|trace|sample on the command line profiles from the end of boot (make bench's on-cost run). */
static int kprof_boot_enable(void)
{
	char val[16];

	if (!cmdline_get("kprof", val, sizeof(val)))
		return 0;
	kprof_from_cmdline = true;
	if (kprof_set(!strcmp(val, "trace") ? KPROF_TRACE : !strcmp(val, "sample") ? KPROF_SAMPLE :
		      KPROF_TRACE | KPROF_SAMPLE))
		pr_warn("kprof: cannot switch on at boot\n");
	return 0;
}
late_initcall(kprof_boot_enable);
