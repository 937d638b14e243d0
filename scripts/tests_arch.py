#!/usr/bin/python3
"""Tests that x86 stays in arch/ (docs/arch.md). No QEMU: they run the checker.

  tests_arch.py            runs every test_* here
"""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKER = os.path.join(ROOT, "scripts", "check_arch_leaks.py")


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def run_checker(root):
    return subprocess.run([sys.executable, CHECKER, root], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def test_arch_leaks():
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


def test_arch_leak_checker_catches_leaks():
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


if __name__ == "__main__":
    failed = 0
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_") and callable(f)]
    for name, fn in tests:
        try:
            fn()
            print(f"PASS {name}")
        except Exception as e:  # noqa: BLE001
            failed += 1
            print(f"FAIL {name}: {e}")
    print(f"{len(tests) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
