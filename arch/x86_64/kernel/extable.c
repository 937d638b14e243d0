// SPDX-License-Identifier: MIT
/*
 * Exception-table search (<asm/extable.h>). The table is the linker's
 * concatenation of every __ex_table entry, in link order, so the search is
 * linear. It runs only when a kernel instruction faults, which is rare; when
 * the user-copy helpers make the table long, sort it at boot and bisect.
 */
#include <asm/extable.h>
#include <asm/ptrace.h>

extern const struct exception_table_entry __ex_table_start[], __ex_table_end[];

const struct exception_table_entry *search_exception_tables(unsigned long addr)
{
	for (const struct exception_table_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == addr)
			return e;
	return NULL;
}

bool fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e = search_exception_tables(regs->rip);

	if (!e)
		return false;
	regs->rip = e->fixup;
	return true;
}
