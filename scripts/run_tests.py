#!/usr/bin/python3
"""Run every Exo-OS test: host unit tests, then boots in QEMU.

Usage: run_tests.py [-k SUBSTRING] [--list]

Each QEMU test boots the kernel with a command line that selects what to
run, reads the serial log and checks it; the log is kept in build/logs/.
A panic or a timeout fails the test and prints the log's tail. The last
line printed is "N passed, N failed"; the exit status is 1 on any failure.
"""
import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

ROOT = qemu.ROOT
TESTS = []


class TestFailure(Exception):
    pass


def test(fn):
    TESTS.append(fn)
    return fn


def check(cond, msg):
    if not cond:
        raise TestFailure(msg)


def expect_clean_exit(r, status=qemu.EXIT_SUCCESS):
    check(not r.timed_out, f"timed out after {r.seconds:.0f}s")
    check(not r.panicked or status == qemu.EXIT_PANIC, "kernel panicked")
    check(r.status == status, f"QEMU exit status {r.status}, expected {status}")


def expect_line(r, pattern, what):
    m = re.search(pattern, r.log, re.MULTILINE)
    check(m, f"no line matching {pattern!r} ({what})")
    return m


def memory_total_kib(r):
    m = expect_line(r, r"^\[[ \d.]+\] Memory: (\d+)K/(\d+)K available", "memory summary")
    return int(m.group(1)), int(m.group(2))


def boot_and_check_memory(name, mem, lo_mib, hi_mib):
    r = qemu.boot(name, "debug_exit selftest=boot", mem=mem)
    expect_clean_exit(r)
    expect_line(r, r"Exo-OS version \S+ \(gcc", "banner")
    avail, total = memory_total_kib(r)
    check(lo_mib * 1024 <= total <= hi_mib * 1024,
          f"-m {mem}: reported total {total}K outside [{lo_mib}M, {hi_mib}M]")
    # The kernel image, struct pages and early tables are all that may be missing.
    check(avail >= total - total // 16 - 8 * 1024,
          f"-m {mem}: only {avail}K of {total}K available")
    return r


@test
def syscall_docs_current():
    """docs/syscalls.md is what kernel/syscalls.tbl generates (make syscall-docs)."""
    p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gensyscalls.py"), "check",
                        os.path.join(ROOT, "docs", "syscalls.md")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, p.stdout.strip())


@test
def boot_128m_memory():
    """Boots with 128 MiB; the banner and a memory total that matches QEMU's map."""
    boot_and_check_memory("boot_128m_memory", "128M", 126, 128)


@test
def boot_2g_memory():
    """Boots with 2 GiB (tables and RAM above 1 GiB); the total is reported right."""
    boot_and_check_memory("boot_2g_memory", "2G", 2040, 2048)


@test
def boot_cpu_features():
    """CPUID features are detected and the protections are switched on."""
    r = qemu.boot("boot_cpu_features", "debug_exit selftest=boot")
    expect_clean_exit(r)
    m = expect_line(r, r"CPU features: (.*) enabled", "CPU features line")
    enabled = m.group(1).split()
    for feature in ("nx", "smep", "smap", "umip", "fsgsbase", "xsave"):
        check(feature in enabled, f"{feature} not enabled under -cpu max: {enabled}")
    expect_line(r, r"^\[[ \d.]+\] CPU: ", "CPU identity line")


@test
def selftests_all():
    """Every in-kernel self-test passes."""
    r = qemu.boot("selftests_all", "debug_exit selftest=all",
                  extra=["-rtc", "base=2024-01-01T00:00:00"])
    expect_clean_exit(r)
    m = expect_line(r, r"selftests: (\d+) passed, (\d+) failed", "self-test summary")
    check(int(m.group(2)) == 0, f"{m.group(2)} self-tests failed")
    failed = re.findall(r"selftest (\S+): FAILED", r.log)
    check(not failed, f"failed: {failed}")


@test
def smp_four_cpus():
    """-smp 4: every CPU the MADT lists comes online, and all self-tests pass on it."""
    r = qemu.boot("smp_four_cpus", "debug_exit selftest=all", smp=4,
                  extra=["-rtc", "base=2024-01-01T00:00:00"])
    expect_clean_exit(r)
    expect_line(r, r"smp: 4 CPUs online", "4 CPUs online")
    m = expect_line(r, r"selftests: (\d+) passed, (\d+) failed", "self-test summary")
    check(int(m.group(2)) == 0, f"{m.group(2)} self-tests failed on -smp 4")


@test
def smp_nosmp():
    """nosmp on the command line keeps the other CPUs down."""
    r = qemu.boot("smp_nosmp", "debug_exit nosmp selftest=boot", smp=2)
    expect_clean_exit(r)
    expect_line(r, r"smp: 1 CPU online \(nosmp\)", "nosmp honoured")


@test
def smp_panic_stops_cpus():
    """A panic on -smp 4 stops the other CPUs and still ends with the full report."""
    r = qemu.boot("smp_panic_stops_cpus", "debug_exit crash=panic", smp=4)
    check(r.status == qemu.EXIT_PANIC, f"QEMU exit status {r.status}, expected {qemu.EXIT_PANIC}")
    expect_line(r, r"smp: 4 CPUs online", "4 CPUs online before the panic")
    expect_line(r, r"RIP: [0-9a-f]+:crash_test_panic\+", "the report")
    expect_line(r, re.escape(qemu.PANIC_MARKER), "panic marker")


def crash_test(name, kind, function):
    r = qemu.boot(name, f"debug_exit crash={kind}")
    check(not r.timed_out, "timed out: the panic did not end QEMU")
    check(r.status == qemu.EXIT_PANIC, f"QEMU exit status {r.status}, expected {qemu.EXIT_PANIC}")
    expect_line(r, re.escape(qemu.PANIC_MARKER), "panic marker")
    expect_line(r, r"RIP: [0-9a-f]+:" + re.escape(function) + r"\+0x[0-9a-f]+/0x[0-9a-f]+",
                f"RIP naming {function}")
    expect_line(r, r"Call Trace:", "backtrace")
    expect_line(r, r"\] +\[<[0-9a-f]+>\] start_kernel\+", "backtrace reaching start_kernel")
    return r


@test
def panic_explicit():
    """panic() reports its caller, the registers and a symbolized backtrace."""
    crash_test("panic_explicit", "panic", "crash_test_panic")


@test
def panic_null_dereference():
    """A kernel NULL dereference is reported as a page fault naming the function."""
    r = crash_test("panic_null_dereference", "null", "crash_test_null_deref")
    # Linux's wording: a fault below PAGE_SIZE is reported as a NULL dereference.
    expect_line(r, r"(kernel NULL pointer dereference|unable to handle page fault for)"
                r", address: 0+\b", "fault address")
    expect_line(r, r"not-present page", "decoded error code")


@test
def panic_invalid_opcode():
    """ud2 in the kernel is reported as an invalid opcode in the right function."""
    crash_test("panic_invalid_opcode", "ud2", "crash_test_invalid_opcode")


@test
def panic_general_protection():
    """A non-canonical access is reported as a general protection fault."""
    crash_test("panic_general_protection", "gpf", "crash_test_gpf")


@test
def panic_divide_error():
    """Division by zero in the kernel is reported as a divide error."""
    crash_test("panic_divide_error", "divide", "crash_test_divide_error")


def run_as_init(name, path, args=""):
    """Boots with @path as PID 1 (arguments after --); init exiting 0 ends QEMU with success."""
    cmdline = f"debug_exit init={path}" + (f" -- {args}" if args else "")
    r = qemu.boot(name, cmdline)
    expect_clean_exit(r)
    expect_line(r, r"init exited with status 0x0$", "init's exit status")
    return r


@test
def user_hello():
    """A musl static hello-world runs as init and gets its arguments."""
    r = run_as_init("user_hello", "/usr/bin/hello", "one two")
    expect_line(r, r"^hello from /usr/bin/hello, argc=3$", "hello's output")


@test
def user_forkpipe():
    """fork + pipe + wait between two musl processes; the child's exit status arrives intact."""
    r = run_as_init("user_forkpipe", "/usr/bin/forkpipe")
    expect_line(r, r"^forkpipe: ok \(child \d+ says hello\)$", "forkpipe's verdict")


@test
def user_forkpipe_smp():
    """The same on -smp 4, where parent and child may run on different CPUs."""
    r = qemu.boot("user_forkpipe_smp", "debug_exit init=/usr/bin/forkpipe", smp=4)
    expect_clean_exit(r)
    expect_line(r, r"^forkpipe: ok", "forkpipe's verdict")


@test
def user_mapfile():
    """A program maps a tmpfs file shared and private; writes land exactly where they should."""
    r = run_as_init("user_mapfile", "/usr/bin/mapfile")
    expect_line(r, r"^mapfile: ok$", "mapfile's verdict")


@test
def user_poweroff():
    """reboot(RB_POWER_OFF) powers off through ACPI S5: QEMU ends by itself with status 0."""
    r = qemu.boot("user_poweroff", "init=/usr/bin/powerdown")
    check(not r.timed_out and not r.panicked, "timed out or panicked instead of powering off")
    check(r.status == 0, f"QEMU exit status {r.status}, expected 0 (ACPI power-off)")
    expect_line(r, r"^powerdown: powering off$", "the program's own checks")
    expect_line(r, r"reboot: power down", "the kernel's power-off path")


@test
def user_no_init():
    """A missing init= program is reported with advice, not a panic."""
    r = qemu.boot("user_no_init", "debug_exit init=/no/such/program")
    check(not r.panicked and not r.timed_out, "panicked or hung")
    check(r.status == qemu.EXIT_FAILURE, f"QEMU exit status {r.status}, expected {qemu.EXIT_FAILURE}")
    expect_line(r, r"init: cannot run init=/no/such/program \(-2\)", "the ENOENT report")


@test
def bench_rows():
    """exobench --quick as init: every row prints a figure or an explained SKIP, none FAILs."""
    exobench = os.path.join(qemu.BUILD, "usr", "root", "bin", "exobench")
    names = subprocess.run([exobench, "--list"], stdout=subprocess.PIPE, text=True,
                           check=True).stdout.split()
    check(len(names) >= 27, f"exobench --list gave only {len(names)} rows")
    r = run_as_init("bench_rows", "/bin/exobench", "--quick")
    expect_line(r, r"^END exobench$", "exobench's closing line")
    rows = dict(re.findall(r"^ROW (\S+) (.*)$", r.log, re.MULTILINE))
    for name in ["boot_to_init", "mem_in_use_kib"] + names:
        check(name in rows, f"no ROW line for {name}")
        value = rows[name].strip()
        check(value.isdigit() or re.fullmatch(r"SKIP \S.*", value),
              f"row {name}: {value!r} is neither a figure nor SKIP with a reason")


def run_guest_suite(smp=1, mem="512M"):
    """Boots with /bin/exotest (usr/tests) as init; returns (passed, failed, BootResult)."""
    print(f"== in-guest suite: /bin/exotest as PID 1 (-smp {smp}), log build/logs/guest_suite.log",
          flush=True)
    r = qemu.boot("guest_suite", "debug_exit init=/bin/exotest", mem=mem, smp=smp, timeout=900,
                  extra=["-rtc", "base=2024-01-01T00:00:00"])
    passed = len(re.findall(r"^PASS ", r.log, re.MULTILINE))
    fails = re.findall(r"^FAIL (.*)$", r.log, re.MULTILINE)
    for f in fails:
        print(f"FAIL guest {f}")
    summary = re.search(r"^(\d+) passed, (\d+) failed$", r.log, re.MULTILINE)
    failed = len(fails)
    if r.panicked or r.timed_out or not summary:
        why = "panicked" if r.panicked else "timed out" if r.timed_out else "ended without its summary"
        print(f"FAIL guest suite: the guest {why}; tail of {os.path.relpath(r.log_path, ROOT)}:")
        print(r.tail(30))
        failed += 1
    elif int(summary.group(1)) != passed or int(summary.group(2)) != len(fails):
        print(f"FAIL guest suite: summary {summary.group(0)!r} disagrees with the PASS/FAIL lines")
        failed += 1
    print(f"guest suite: {passed} passed, {len(fails)} failed ({r.seconds:.0f}s)", flush=True)
    return passed, failed, r


def run_host_tests():
    """Runs tests/ (ASan + UBSan); returns (passed, failed) from its closing line."""
    if not os.path.exists(os.path.join(ROOT, "tests", "Makefile")):
        return 0, 0
    print("== host unit tests (tests/, AddressSanitizer + UBSan)", flush=True)
    p = subprocess.run(["make", "--no-print-directory", "host-tests"], cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(p.stdout)
    m = re.findall(r"^(\d+) passed, (\d+) failed$", p.stdout, re.MULTILINE)
    if not m:
        print("FAIL host unit tests: no 'N passed, N failed' line (build failure?)")
        return 0, 1
    passed, failed = int(m[-1][0]), int(m[-1][1])
    if p.returncode != 0 and failed == 0:
        failed = 1
    return passed, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", default="", help="run only tests whose name contains this")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--no-host", action="store_true", help="skip the host unit tests")
    ap.add_argument("--guest", action="store_true", help="also run the in-guest suite (usr/tests)")
    a = ap.parse_args()
    tests = [t for t in TESTS if a.k in t.__name__]
    if a.list:
        for t in tests:
            print(f"{t.__name__}: {t.__doc__}")
        return 0
    passed = failed = 0
    if not a.no_host and not a.k:
        passed, failed = run_host_tests()
    print(f"== QEMU tests ({len(tests)}), logs in build/logs/", flush=True)
    for i, t in enumerate(tests, 1):
        start = time.monotonic()
        try:
            t()
        except TestFailure as e:
            failed += 1
            print(f"[{i}/{len(tests)}] FAIL {t.__name__}: {e}")
            log = os.path.join(qemu.BUILD, "logs", t.__name__ + ".log")
            if os.path.exists(log):
                print(f"---- tail of {os.path.relpath(log, ROOT)} ----")
                print("\n".join(open(log).read().splitlines()[-30:]))
                print("----")
            continue
        except subprocess.CalledProcessError as e:
            failed += 1
            print(f"[{i}/{len(tests)}] FAIL {t.__name__}: {e}")
            continue
        passed += 1
        print(f"[{i}/{len(tests)}] PASS {t.__name__} ({time.monotonic() - start:.1f}s)", flush=True)
    if a.guest and not a.k:
        gp, gf, _ = run_guest_suite()
        passed += gp
        failed += gf
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
