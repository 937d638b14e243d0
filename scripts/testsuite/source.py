"""Checks on the source tree, no QEMU: the generated syscall table docs, x86 kept
inside arch/ (scripts/check_arch_leaks.py, docs/arch.md), and sparse (make check)."""
import os
import shutil
import subprocess
import sys
import tempfile

from testsuite.common import ROOT, test, check

CHECKER = os.path.join(ROOT, "scripts", "check_arch_leaks.py")


@test
def syscall_docs_current():
    """docs/syscalls.md is what arch/x86_64/entry/syscalls/syscall_64.tbl generates (make syscall-docs)."""
    p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gensyscalls.py"), "check",
                        os.path.join(ROOT, "docs", "syscalls.md")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, p.stdout.strip())



def run_checker(root):
    return subprocess.run([sys.executable, CHECKER, root], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


@test
def arch_leaks():
    """No file outside arch/ uses an x86 register, instruction, MSR or x86-only header."""
    p = run_checker(ROOT)
    check(p.returncode == 0, f"x86 leaks outside arch/:\n{p.stdout}")


# One leak per line, each of a kind the checker must catch, and lines it must not flag.
PROBE_LEAKS = """\
#include <asm/apic.h>
void probe(struct pt_regs *regs, struct task *t)
{
	regs->rax = 0;
	t->thread.fsbase = regs->rsp;
	asm volatile("" ::: "memory");
	const char *s = "rep stosq";
	wrmsr(MSR_FS_BASE, 0);
	const char *h = "sti; hlt";
}
"""
PROBE_CLEAN = """\
#include <asm/ptrace.h>
/* regs->rax, asm("cli"), MSR_EFER and rep movsq in a comment are fine. */
static const char *names[] = { "pause", "cli tool", "%d rsp" };
void probe(struct pt_regs *regs, struct sock *sk, struct task *t)
{
	sk->flags = t->fs ? regs_return_value(regs) : user_stack_pointer(regs);
}
"""


@test
def arch_leak_checker_catches_leaks():
    """The checker flags each kind of leak in a generic directory and nothing in clean code."""
    tmp = tempfile.mkdtemp(prefix="archleak")
    try:
        os.makedirs(os.path.join(tmp, "kernel"))
        os.makedirs(os.path.join(tmp, "arch", "x86_64"))
        open(os.path.join(tmp, "kernel", "clean.c"), "w").write(PROBE_CLEAN)
        # The same leaks under arch/ are where they belong.
        open(os.path.join(tmp, "arch", "x86_64", "ok.c"), "w").write(PROBE_LEAKS)
        p = run_checker(tmp)
        check(p.returncode == 0, f"false positives:\n{p.stdout}")
        open(os.path.join(tmp, "kernel", "leak.c"), "w").write(PROBE_LEAKS)
        p = run_checker(tmp)
        check(p.returncode == 1, f"checker exited {p.returncode} on leaks:\n{p.stdout}")
        flagged = {int(l.split(":")[1]) for l in p.stdout.splitlines()
                   if l.startswith("kernel/leak.c:")}
        check(flagged == {1, 4, 5, 6, 7, 8, 9},
              f"flagged lines {sorted(flagged)}, expected 1 and 4-9:\n{p.stdout}")
        check("kernel/clean.c" not in p.stdout, f"clean.c flagged:\n{p.stdout}")
    finally:
        shutil.rmtree(tmp)


@test
def sparse_check():
    """make check: sparse over every kernel .c file of the config (__user address space,
    lock contexts) reports no warning."""
    p = subprocess.run(["make", "--no-print-directory", "check"], cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    warnings = [l for l in p.stdout.splitlines() if not l.startswith("  CHECK ")]
    check(p.returncode == 0, "sparse warnings (run make check):\n" + "\n".join(warnings[-40:]))
