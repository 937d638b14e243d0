#!/usr/bin/python3
"""Run every Exo-OS test: host unit tests (in the background lane, docs/testing.md),
boots in QEMU, then the in-guest suite.

Usage: run_tests.py [-k SUBSTRING] [--list]

Each QEMU test boots the kernel with a command line that selects what to
run, reads the serial log and checks it; the log is kept in build/logs/.
A panic or a timeout fails the test and prints the log's tail; so does a
report of the lock validator ("lockdep: " lines) or a kernel WARNING in any boot. The last
line printed is "N passed, N failed"; the exit status is 1 on any failure.

The tests live in testsuite/, one module per area (boot, config, smp, user,
tty, shell, guest, stress; testsuite/__init__.py gives their order); a new
test is a function decorated with @test in the module of its area.
"""
import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib  # noqa: E402
import qemu  # noqa: E402
import testsuite  # noqa: E402
from testsuite.common import TESTS, GROUP_TESTS, ROOT, TestFailure, check, lockdep_failure, \
    run_ahead, ahead  # noqa: E402

for _area in testsuite.ORDER:
    importlib.import_module("testsuite." + _area)
from testsuite.guest import run_guest_suite  # noqa: E402


@ahead
def host_unit_tests():
    """tests/ under ASan + UBSan (make host-tests), in the background lane: its output is
    printed after the QEMU tests."""
    return subprocess.run(["make", "--no-print-directory", "host-tests"], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def report_host_tests(failures):
    """Prints the host unit tests' output; returns (passed, failed) from its closing line
    and appends the FAIL lines it printed to failures."""
    if not os.path.exists(os.path.join(ROOT, "tests", "Makefile")):
        return 0, 0
    print("== host unit tests (tests/, AddressSanitizer + UBSan; run beside the QEMU tests)",
          flush=True)
    p = host_unit_tests()
    sys.stdout.write(p.stdout)
    failures += ["host " + f for f in re.findall(r"^FAIL\b:? *(.*)$", p.stdout, re.MULTILINE)]
    m = re.findall(r"^(\d+) passed, (\d+) failed$", p.stdout, re.MULTILINE)
    if not m:
        print("FAIL host unit tests: no 'N passed, N failed' line (build failure?)")
        failures.append("host unit tests: no summary line")
        return 0, 1
    # One closing line per program (the unit tests, the fusion model, ...): all of them count.
    passed, failed = sum(int(n) for n, _ in m), sum(int(n) for _, n in m)
    if p.returncode != 0 and failed == 0:
        failures.append(f"host unit tests: make exited {p.returncode}")
        failed = 1
    return passed, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", default="", help="run only tests whose name contains this")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--no-host", action="store_true", help="skip the host unit tests")
    ap.add_argument("--no-guest", action="store_true", help="skip the in-guest suite (usr/tests)")
    a = ap.parse_args()
    # A group test runs only by name: the in-guest suite covers its group in make test.
    tests = [t for t in TESTS + (GROUP_TESTS if a.k else []) if a.k in t.__name__]
    if a.list:
        for t in tests:
            print(f"{t.__name__}: {t.__doc__}")
        return 0
    host = not a.no_host and not a.k
    run_ahead(tests, [(host_unit_tests, ())] if host else [])
    passed = failed = 0
    # Named again just above the closing line: CI shows only the tail of the output.
    failures = []
    print(f"== QEMU tests ({len(tests)}), logs in build/logs/", flush=True)
    for i, t in enumerate(tests, 1):
        start = time.monotonic()
        first_report = len(qemu.lockdep_reports)
        try:
            t()
            report = lockdep_failure(first_report)
            check(not report, report)
        except TestFailure as e:
            failed += 1
            # The reason too: the summary may be all of the output a reader gets.
            failures.append(f"{t.__name__}: {' '.join(str(e).split())}")
            print(f"[{i}/{len(tests)}] FAIL {t.__name__}: {e}")
            log = os.path.join(qemu.BUILD, "logs", t.__name__ + ".log")
            if os.path.exists(log):
                print(f"---- tail of {os.path.relpath(log, ROOT)} ----")
                print("\n".join(open(log).read().splitlines()[-30:]))
                print("----")
            continue
        except subprocess.CalledProcessError as e:
            failed += 1
            failures.append(t.__name__)
            print(f"[{i}/{len(tests)}] FAIL {t.__name__}: {e}")
            continue
        passed += 1
        print(f"[{i}/{len(tests)}] PASS {t.__name__} ({time.monotonic() - start:.1f}s)", flush=True)
    if host:
        hp, hf = report_host_tests(failures)
        passed += hp
        failed += hf
    if not a.no_guest and not a.k:
        # The whole usr/tests suite on one CPU and on four: the SMP run is where
        # races show (it found the timer, kernel-TLB and lazy-mm bugs).
        for smp in (1, 4):
            first_report = len(qemu.lockdep_reports)
            gp, gf, r = run_guest_suite(smp=smp)
            guest_fails = re.findall(r"^FAIL (.*)$", r.log, re.MULTILINE)
            failures += [f"guest -smp {smp}: {f}" for f in guest_fails]
            if gf > len(guest_fails):
                failures.append(f"guest suite -smp {smp}: did not end cleanly, see {r.log_path}")
            report = lockdep_failure(first_report)
            if report:
                print(f"FAIL guest suite -smp {smp}: {report}")
                failures.append(f"guest suite -smp {smp}: lockdep")
                gf += 1
            passed += gp
            failed += gf
    for f in failures:
        print(f"FAILED: {f[:400]}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
