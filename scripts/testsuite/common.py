"""What every test module uses: the @test registry, checks on a boot's log,
and the ways of booting a test (as init, /init in test mode, one exotest group,
a config of configs/)."""
import functools
import os
import re
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import qemu  # noqa: E402

ROOT = qemu.ROOT
TESTS = []
# One usr/tests group in a boot of its own: the in-guest suite at the end of make test already
# runs every group on -smp 1 and 4, so these run only when asked for by name (run_tests.py -k).
GROUP_TESTS = []


class TestFailure(Exception):
    pass


def test(fn):
    TESTS.append(fn)
    return fn


# The host work a test needs before its boot (kernel builds, disk images, the host's side of a
# suite) is CPU work that does not touch QEMU. run_tests.py hands it to a background thread,
# in test order and at a lower priority, while earlier tests boot: most boots keep one of
# the machine's two CPUs busy, and the lane uses the other. A test calls the same function
# and gets what the lane made (waiting if the lane is still on it); with nothing ahead
# (run_tests.py -k) it makes it in place. Such functions must not print: their output would
# land in another test's lines.
class _Made:
    def __init__(self):
        self.done = threading.Event()
        self.result = self.error = None


_made = {}
_made_lock = threading.Lock()


def ahead(fn):
    """Decorator for such work: calls with the same arguments share one run (the first
    caller's, in whichever thread), and its exception is raised to every caller."""
    @functools.wraps(fn)
    def shared(*args):
        with _made_lock:
            made = _made.get((fn, args))
            first = made is None
            if first:
                made = _made[(fn, args)] = _Made()
        if first:
            try:
                made.result = fn(*args)
            except BaseException as e:  # noqa: B036 - raised again to every caller
                made.error = e
            finally:
                made.done.set()
        made.done.wait()
        if made.error is not None:
            raise made.error
        return made.result
    return shared


def needs(fn, *args):
    """Test decorator: @fn(*args) (an @ahead function) may run in the background lane
    before the test does."""
    def mark(test_fn):
        test_fn.ahead = getattr(test_fn, "ahead", []) + [(fn, args)]
        return test_fn
    return mark


def run_ahead(tests, first=()):
    """Starts the background lane over @first's (fn, args) and then the @needs work of
    @tests, in their order."""
    def lane():
        try:
            os.nice(5)      # this thread only (Linux): boots keep most of the CPU they need
        except OSError:
            pass
        work = list(first) + [w for t in tests for w in getattr(t, "ahead", ())]
        for fn, args in work:
            try:
                fn(*args)
            except BaseException:  # noqa: B036 - the test raises it when it calls fn
                pass
    threading.Thread(target=lane, name="ahead", daemon=True).start()


def group_test(fn):
    GROUP_TESTS.append(fn)
    return fn


def check(cond, msg):
    if not cond:
        raise TestFailure(msg)


def expect_clean_exit(r, status=qemu.EXIT_SUCCESS):
    check(not r.timed_out, f"timed out after {r.seconds:.0f}s")
    check(not r.panicked or status == qemu.EXIT_PANIC, "kernel panicked")
    check(r.status == status, f"QEMU exit status {r.status}, expected {status}")


def lockdep_failure(first):
    """The lock validator's reports and kernel WARNINGs logged since qemu.lockdep_reports[@first],
    as a message."""
    new = qemu.lockdep_reports[first:]
    if not new:
        return None
    names = sorted({name for name, _ in new})
    lines = "\n".join(line for _, line in new[:12])
    return f"lock validator report or kernel WARNING in {', '.join(names)}:\n{lines}"


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


@ahead
def build_config(defconfig):
    """Builds the kernel of configs/@defconfig in build/cfg-@defconfig; returns (kernel, initramfs)."""
    build = os.path.join("build", "cfg-" + defconfig)
    config = os.path.join(ROOT, build, ".config")
    source = os.path.join(ROOT, "configs", defconfig)
    # A .config older than its defconfig is made again from it: olddefconfig
    # alone would keep the old values of the symbols the defconfig changed.
    if os.path.exists(config) and os.path.getmtime(config) < os.path.getmtime(source):
        os.remove(config)
    p = subprocess.run(["make", "--no-print-directory", "-j2", f"BUILD={build}",
                        f"KCONFIG_CONFIG={build}/.config", f"DEFCONFIG={defconfig}",
                        f"{build}/exo.elf", f"{build}/initramfs.cpio"], cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, f"configs/{defconfig} does not build:\n" + p.stdout[-3000:])
    return (os.path.join(ROOT, build, "exo.elf"), os.path.join(ROOT, build, "initramfs.cpio"))


def boot_config(name, defconfig, smp):
    kernel, initramfs = build_config(defconfig)
    iso = qemu.iso_for_cmdline("debug_exit selftest=all", kernel, initramfs)
    r = qemu.boot_iso(name, iso, smp=smp, extra=["-rtc", "base=2024-01-01T00:00:00"])
    expect_clean_exit(r)
    m = expect_line(r, r"selftests: (\d+) passed, (\d+) failed", "self-test summary")
    check(int(m.group(2)) == 0, f"{m.group(2)} self-tests failed with configs/{defconfig}")
    return r


def run_as_init(name, path, args=""):
    """Boots with @path as PID 1 (arguments after --); init exiting 0 ends QEMU with success."""
    cmdline = f"debug_exit init={path}" + (f" -- {args}" if args else "")
    r = qemu.boot(name, cmdline)
    if r.status != qemu.EXIT_SUCCESS and not r.timed_out and not r.panicked:
        # CI shows only the end of the output: the program's own verdict goes into the message.
        said = re.findall(r"^.*\bFAIL\b.*$", r.log, re.MULTILINE)
        check(False, f"QEMU exit status {r.status} (init failed)" +
              (": " + " / ".join(s.strip() for s in said[-3:]) if said else ""))
    expect_clean_exit(r)
    expect_line(r, r"init exited with status 0x0$", "init's exit status")
    return r


def init_test_mode(name, command, timeout=600):
    """Boots /init in test mode (docs/userland.md): it runs @command with /bin/sh -c on the
    console and exits with its status, which debug_exit turns into QEMU's."""
    r = qemu.boot(name, f"debug_exit init=/init -- --no-rc --exit-after={command}", mem="512M",
                  timeout=timeout, extra=["-rtc", "base=2024-01-01T00:00:00"])
    check(not r.timed_out and not r.panicked, f"the guest {'timed out' if r.timed_out else 'panicked'}")
    return r


def suite_counts(r, what):
    """Checks an 'N passed, N failed' summary against the FAIL lines; returns N passed."""
    fails = re.findall(r"^FAIL (.*)$", r.log, re.MULTILINE)
    m = re.search(r"^(\d+) passed, (\d+) failed$", r.log, re.MULTILINE)
    check(m, f"no summary from {what}")
    check(int(m.group(2)) == len(fails), f"{what}: summary {m.group(0)!r} but {len(fails)} FAIL lines")
    check(not fails, f"{what}: {len(fails)} failed in the guest: " + "; ".join(fails[:8]))
    check(r.status == qemu.EXIT_SUCCESS, f"QEMU exit status {r.status} (init's status not 0)")
    check(int(m.group(1)) > 0, f"{what}: no test ran")
    return int(m.group(1))


def guest_group(name, group, smp=1, timeout=300):
    """Runs one usr/tests group in the guest (exotest as init) and requires every test to pass."""
    r = qemu.boot(name, f"debug_exit init=/bin/exotest -- {group}", mem="512M", smp=smp,
                  timeout=timeout, extra=["-rtc", "base=2024-01-01T00:00:00"])
    fails = re.findall(r"^FAIL (.*)$", r.log, re.MULTILINE)
    check(not fails, f"{len(fails)} in-guest failures: " + "; ".join(fails[:5]))
    expect_clean_exit(r)
    m = expect_line(r, r"^(\d+) passed, 0 failed$", f"exotest {group} summary")
    check(int(m.group(1)) > 0, "no test ran")
    return r
