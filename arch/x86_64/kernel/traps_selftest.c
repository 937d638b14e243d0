// SPDX-License-Identifier: MIT
/*
 * selftest "traps": the exception and interrupt paths survive what they
 * promise to survive.
 *   - a load from an unmapped kernel page (#PF) and from a non-canonical
 *     address (#GP) with an exception-table entry returns -EFAULT;
 *   - int3 is logged and execution continues after it;
 *   - a software NMI (int $2, through the NMI IST stack) is logged and returns;
 *   - an interrupt on a vector without handler is counted and returns;
 *   - a registered vector handler runs with the right vector and regs, and
 *     every register the interrupted code had is back afterwards.
 * The double-fault path is not tested: getting it wrong resets the machine.
 */
#include <asm/desc.h>
#include <asm/extable.h>
#include <asm/irq.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/traps.h>
#include <exo/printk.h>
#include <exo/selftest.h>
#include <uapi/errno.h>

#define UNHANDLED_TEST_VECTOR 0x80
#define HANDLED_TEST_VECTOR 0x81
#define NON_CANONICAL_ADDR 0xdead000000000000UL

/* Unmapped by paging_init() (arch/x86_64/mm/pgtable.c). */
extern char boot_stack_guard[];

static unsigned int test_vector_seen;
static unsigned long test_vector_cs;

static void test_vector_handler(struct pt_regs *regs, unsigned int vector)
{
	test_vector_seen = vector;
	test_vector_cs = regs->cs;
}

static int traps_test_extable(void)
{
	static const u64 known = 0x0123456789abcdefULL;
	unsigned long pf = trap_count(X86_TRAP_PF), gp = trap_count(X86_TRAP_GP);
	u64 v;

	CHECK(read_kernel_nofault_u64(&v, &known) == 0 && v == known);
	CHECK(read_kernel_nofault_u64(&v, boot_stack_guard) == -EFAULT && v == 0);
	CHECK(trap_count(X86_TRAP_PF) == pf + 1);
	CHECK(read_kernel_nofault_u64(&v, (void *)NON_CANONICAL_ADDR) == -EFAULT);
	CHECK(trap_count(X86_TRAP_GP) == gp + 1);
	return 0;
}

static int traps_test_int3_nmi(void)
{
	unsigned long bp = trap_count(X86_TRAP_BP), nmi = trap_count(X86_TRAP_NMI);

	__asm__ __volatile__("int3" : : : "memory");
	CHECK(trap_count(X86_TRAP_BP) == bp + 1);
	__asm__ __volatile__("int $2" : : : "memory");
	CHECK(trap_count(X86_TRAP_NMI) == nmi + 1);
	return 0;
}

/* Loads distinct values into every caller-saved register, interrupts, checks them. */
static unsigned long int_clobber_check(void)
{
	unsigned long diff;

	__asm__ __volatile__("movq $0x1111, %%rax\n\t"
			     "movq $0x2222, %%rcx\n\t"
			     "movq $0x3333, %%rdx\n\t"
			     "movq $0x4444, %%rsi\n\t"
			     "movq $0x5555, %%rdi\n\t"
			     "movq $0x8888, %%r8\n\t"
			     "movq $0x9999, %%r9\n\t"
			     "movq $0xaaaa, %%r10\n\t"
			     "movq $0xbbbb, %%r11\n\t"
			     "int %[vec]\n\t"
			     "xorq $0x1111, %%rax\n\t"
			     "xorq $0x2222, %%rcx\n\t"
			     "xorq $0x3333, %%rdx\n\t"
			     "xorq $0x4444, %%rsi\n\t"
			     "xorq $0x5555, %%rdi\n\t"
			     "xorq $0x8888, %%r8\n\t"
			     "xorq $0x9999, %%r9\n\t"
			     "xorq $0xaaaa, %%r10\n\t"
			     "xorq $0xbbbb, %%r11\n\t"
			     "orq %%rcx, %%rax\n\t"
			     "orq %%rdx, %%rax\n\t"
			     "orq %%rsi, %%rax\n\t"
			     "orq %%rdi, %%rax\n\t"
			     "orq %%r8, %%rax\n\t"
			     "orq %%r9, %%rax\n\t"
			     "orq %%r10, %%rax\n\t"
			     "orq %%r11, %%rax\n\t"
			     : "=a"(diff)
			     : [vec] "i"(HANDLED_TEST_VECTOR)
			     : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
	return diff;
}

static int traps_test_vectors(void)
{
	unsigned long before = irq_unhandled_count(UNHANDLED_TEST_VECTOR);
	unsigned long diff;

	__asm__ __volatile__("int %0" : : "i"(UNHANDLED_TEST_VECTOR) : "memory");
	CHECK(irq_unhandled_count(UNHANDLED_TEST_VECTOR) == before + 1);

	CHECK(irq_set_vector_handler(X86_TRAP_PF, test_vector_handler) == -EINVAL);
	CHECK(irq_set_vector_handler(HANDLED_TEST_VECTOR, test_vector_handler) == 0);
	CHECK(irq_set_vector_handler(HANDLED_TEST_VECTOR, test_vector_handler) == -EBUSY);
	diff = int_clobber_check();
	irq_clear_vector_handler(HANDLED_TEST_VECTOR);
	CHECK(diff == 0);
	CHECK(test_vector_seen == HANDLED_TEST_VECTOR);
	CHECK(test_vector_cs == __KERNEL_CS);
	return 0;
}

static int traps_selftest(void)
{
	int err;

	err = traps_test_extable();
	if (!err)
		err = traps_test_int3_nmi();
	if (!err)
		err = traps_test_vectors();
	return err;
}
DEFINE_SELFTEST("traps", traps_selftest);
