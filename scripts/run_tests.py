#!/usr/bin/python3
"""Run every Exo-OS test: host unit tests, then boots in QEMU.

Usage: run_tests.py [-k SUBSTRING] [--list]

Each QEMU test boots the kernel with a command line that selects what to
run, reads the serial log and checks it; the log is kept in build/logs/.
A panic or a timeout fails the test and prints the log's tail; so does a
report of the lock validator ("lockdep: " lines) in any boot. The last
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
import soak  # noqa: E402

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


def lockdep_failure(first):
    """The lock validator's reports logged since qemu.lockdep_reports[@first], as a message."""
    new = qemu.lockdep_reports[first:]
    if not new:
        return None
    names = sorted({name for name, _ in new})
    lines = "\n".join(line for _, line in new[:12])
    return f"lock validator report in {', '.join(names)}:\n{lines}"


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
    """Every in-kernel self-test passes; the lockdep one's provoked reports name both classes."""
    r = qemu.boot("selftests_all", "debug_exit selftest=all",
                  extra=["-rtc", "base=2024-01-01T00:00:00"])
    expect_clean_exit(r)
    m = expect_line(r, r"selftests: (\d+) passed, (\d+) failed", "self-test summary")
    check(int(m.group(2)) == 0, f"{m.group(2)} self-tests failed")
    failed = re.findall(r"selftest (\S+): FAILED", r.log)
    check(not failed, f"failed: {failed}")
    expect_line(r, r"lockdep \(expected\): possible circular locking dependency: "
                r"lockdep_test_b -> lockdep_test_a$", "the provoked inversion")
    expect_line(r, r"lockdep \(expected\):   lockdep_test_a \(taken at lockdep_selftest_\w+\+\S+\) "
                r"-> lockdep_test_b \(taken at lockdep_selftest_\w+\+\S+\)$",
                "the recorded dependency of the inversion, symbolized")
    expect_line(r, r"lockdep \(expected\):   holding lockdep_test_a, taken at "
                r"lockdep_selftest_sleep\+", "the provoked sleep with a spinlock held")
    expect_line(r, r"selftest lockdep: ok", "the lockdep self-test ran")
    expect_line(r, r"selftest ist: NMI and #DB with a junk GS base checked on 1 CPU$",
                "the IST entry self-test ran")


def build_config(defconfig):
    """Builds the kernel of configs/@defconfig in build/cfg-@defconfig; returns (kernel, initramfs)."""
    build = os.path.join("build", "cfg-" + defconfig)
    p = subprocess.run(["make", "--no-print-directory", f"BUILD={build}",
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


@test
def config_no_debug():
    """configs/bench_defconfig (no CONFIG_DEBUG, what benchmarks use) builds warning-free and passes every self-test."""
    boot_config("config_no_debug", "bench_defconfig", smp=2)


@test
def config_no_smp():
    """configs/nosmp_defconfig (CONFIG_SMP=n) builds and boots on a 2-CPU machine with the boot CPU only."""
    r = boot_config("config_no_smp", "nosmp_defconfig", smp=2)
    check("smp:" not in r.log or "smp: 1 CPU online" in r.log, "a second CPU came up without CONFIG_SMP")


@test
def smp_four_cpus():
    """-smp 4: every CPU the MADT lists comes online; all self-tests pass, the IST one on each CPU."""
    r = qemu.boot("smp_four_cpus", "debug_exit selftest=all", smp=4,
                  extra=["-rtc", "base=2024-01-01T00:00:00"])
    expect_clean_exit(r)
    expect_line(r, r"smp: 4 CPUs online", "4 CPUs online")
    m = expect_line(r, r"selftests: (\d+) passed, (\d+) failed", "self-test summary")
    check(int(m.group(2)) == 0, f"{m.group(2)} self-tests failed on -smp 4")
    expect_line(r, r"selftest ist: NMI and #DB with a junk GS base checked on 4 CPUs$",
                "the IST entry self-test ran on every CPU")


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
def user_out_of_memory_smp():
    """Four processes on -smp 4 touch memory until none is left: each is killed (SIGKILL),
    the kernel stays up, free memory comes back and fork+exec works; a file filling /tmp
    gets ENOSPC at half of RAM (tmpfs's default size); three rounds.
    Regression: the first queued signal created its slab cache then, and an out-of-memory
    create was used as the cache (a NULL-page panic in kmem_cache_alloc)."""
    r = qemu.boot("user_out_of_memory_smp", "debug_exit init=/usr/bin/memhog -- 3 4",
                  mem="256M", smp=4, timeout=180)
    check(not r.panicked and not r.timed_out, f"the kernel did not survive:\n{r.tail(40)}")
    expect_clean_exit(r)
    expect_line(r, r"^memhog: ok$", "memhog's verdict")


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


class TtySession:
    """/usr/bin/ttytest as init, typed at through the serial port (usr/examples/ttytest.c)."""

    def __init__(self, name):
        self.name = name
        self.s = None

    def __enter__(self):
        import pexpect
        self.pexpect = pexpect
        self.s = qemu.spawn_interactive(self.name, "debug_exit init=/usr/bin/ttytest")
        self.wait_for("cmd> ", "the first prompt", timeout=60)
        return self

    def wait_for(self, text, what, timeout=10):
        """Waits for the exact @text; returns what the guest sent before it."""
        try:
            self.s.expect_exact(text, timeout=timeout)
        except (self.pexpect.TIMEOUT, self.pexpect.EOF):
            raise TestFailure(f"no {text!r} ({what}); the guest sent {self.s.before[-300:]!r}")
        return self.s.before

    def wait_re(self, pattern, what, timeout=10):
        """Waits for the regex @pattern; returns the match."""
        try:
            self.s.expect(pattern, timeout=timeout)
        except (self.pexpect.TIMEOUT, self.pexpect.EOF):
            raise TestFailure(f"no match for {pattern!r} ({what}); "
                              f"the guest sent {self.s.before[-300:]!r}")
        return self.s.match

    def command(self, cmd, ready=None):
        """Runs a ttytest command at the prompt; waits for @ready when given."""
        self.s.sendline(cmd)
        if ready:
            self.wait_for(ready, f"{cmd} starting")

    def prompt(self):
        self.wait_for("cmd> ", "the prompt after a command")

    def send(self, data):
        self.s.send(data)

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.s.sendline("exit")
                status = self.s.wait_exit()
                check(status == qemu.EXIT_SUCCESS, f"QEMU exit status {status} after exit")
        finally:
            self.s.close()
        return False


def tty_line(t, typed, expect_got, cmd="line"):
    """Types @typed at ttytest's canonical read (@cmd: line, lineh); checks what read() returned;
    returns the echo."""
    t.command(cmd, "line: ready")
    t.send(typed)
    echo = t.wait_for(f"got {expect_got}\r\n", f"read() of {typed!r}")
    t.prompt()
    return echo


@test
def tty_canonical_editing():
    """Canonical mode: ERASE, WERASE, KILL, LNEXT with their echoes, ^D at and after line start,
    ECHOCTL, and ^H erasing only when it is VERASE."""
    cases = [  # command, typed, what read() returns, what the echo must contain ("" for no check)
        ("line", "abc\x7fd\r", "4 [abd\\n]", "abc\b \bd\r\n"),                     # ERASE
        ("line", "one two\x17three\r", "10 [one three\\n]", "two\b \b\b \b\b \bthree"),  # WERASE
        ("line", "xyz\x15kl\r", "3 [kl\\n]", "xyz\b \b\b \b\b \bkl"),                # KILL
        ("line", "\x04", "0 []", ""),                                               # ^D alone: EOF
        ("line", "ab\x04", "2 [ab]", ""),                                           # ^D after text
        ("line", "p\x01q\r", "4 [p\\x01q\\n]", "p^Aq"),                            # ECHOCTL
        ("line", "p\x01\x7fq\r", "3 [pq\\n]", "p^A\b \b\b \bq"),                     # erase "^A"
        ("line", "a\x16\x7fb\r", "4 [a\\x7fb\\n]", "a^\b^?b"),                       # LNEXT
        # ^H is data by default (VERASE is ^?), and erases once VERASE is ^H.
        ("line", "ab\x08c\r", "5 [ab\\x08c\\n]", ""),
        ("lineh", "ab\x08c\r", "3 [ac\\n]", ""),
    ]
    with TtySession("tty_canonical_editing") as t:
        for cmd, typed, got, shown in cases:
            echo = tty_line(t, typed, got, cmd)
            check(shown in echo, f"echo of {typed!r}: {echo!r}, expected {shown!r} in it")


@test
def tty_echo_and_output():
    """ECHO off hides typing; OPOST|ONLCR turns \\n into \\r\\n and OPOST off sends it raw."""
    with TtySession("tty_echo_and_output") as t:
        t.command("noecho", "line: ready\r\n")
        t.send("secret\r")
        before = t.wait_for("got 7 [secret\\n]", "the hidden line")
        check("secret" not in before, f"typed text was echoed: {before!r}")
        t.prompt()
        t.command("output")
        t.wait_for("out1:a\r\nb\r\nout2:c\nd\n\r\noutput: done", "output post-processing")
        t.prompt()


@test
def tty_raw_mode():
    """Non-canonical: byte-at-a-time reads (VMIN 1) with and without echo; VMIN 0 VTIME 3 times out."""
    with TtySession("tty_raw_mode") as t:
        t.command("raw", "raw: ready\r\n")
        for typed, seen in (("a", "a"), ("\r", "\\x0d"), ("\x03", "\\x03"), ("\x7f", "\\x7f")):
            t.send(typed)
            before = t.wait_for(f"raw 1 [{seen}]\r\n", f"raw read of {typed!r}")
            check(before == "", f"echo in raw mode without ECHO: {before!r}")
        t.send("q")
        t.prompt()
        t.command("rawecho", "raw: ready\r\n")
        t.send("x")
        before = t.wait_for("raw 1 [x]", "raw read with ECHO")
        check(before == "x", f"echo with ECHO on: {before!r}")
        t.send("\r")
        t.wait_for("\r\nraw 1 [\\n]", "ICRNL and the echoed newline")
        t.send("q")
        t.prompt()
        t.command("vtime")
        m = t.wait_re(r"vtime n=(-?\d+) ms=(\d+)\r?\n", "the timed read")
        check(m.group(1) == "0", f"VTIME read returned {m.group(1)}, not 0")
        check(250 <= int(m.group(2)) <= 2000, f"VTIME 3 took {m.group(2)} ms")
        t.prompt()


@test
def tty_bulk_input_not_lost():
    """12000 bytes typed at a reader that sleeps first (more than N_TTY and the flip ring hold):
    every byte arrives, in order of sum and count, through throttling and the UART's hold-off."""
    import random
    rnd = random.Random(1)
    data = "".join(chr(rnd.randrange(0x20, 0x7f)) for _ in range(12000))
    with TtySession("tty_bulk_input_not_lost") as t:
        t.command(f"bulk {len(data)}", "bulk: ready")
        t.send(data)
        m = t.wait_re(r"bulk n=(\d+) sum=(\d+)\r?\n", "the bulk read", timeout=30)
        got = (int(m.group(1)), int(m.group(2)))
        check(got == (len(data), sum(map(ord, data))), f"read {got}, sent {(len(data), sum(map(ord, data)))}")
        t.prompt()


@test
def tty_ioctls():
    """Default termios, TIOCSWINSZ/TIOCGWINSZ, isatty, FIONREAD on typed input, TCFLSH."""
    with TtySession("tty_ioctls") as t:
        t.command("ioctls")
        t.wait_for("termios lflag_canon=1 echo=1 isig=1 icrnl=1 onlcr=1 intr=3 erase=127 vmin=1",
                   "Linux's default termios")
        t.wait_for("winsize 33x111", "the window size set")
        t.wait_for("isatty=1", "isatty")
        t.wait_for("fionread: ready", "the FIONREAD step")
        t.send("xyz")
        t.wait_for("fionread 3", "FIONREAD counting typed bytes")
        t.wait_for("after flush 0", "TCFLSH emptying the input")
        t.prompt()


@test
def tty_signals():
    """^C, ^\\ and ^Z signal the foreground process group, echoed as ^C, ^\\, ^Z."""
    with TtySession("tty_signals") as t:
        for cmd, key, shown, sig in (("sigint", "\x03", "^C", 2), ("sigquit", "\x1c", "^\\", 3),
                                     ("sigtstp", "\x1a", "^Z", 20)):
            t.command(cmd, "fg: ready")
            t.send(key)
            m = t.wait_re(rf"{cmd}: child (signaled|stopped) (\d+)\r?\n", f"the child after {shown}")
            check(int(m.group(2)) == sig, f"{cmd}: child {m.group(1)} by {m.group(2)}, not {sig}")
            check(shown in t.s.before, f"{shown} not echoed: {t.s.before!r}")
            t.prompt()


@test
def tty_job_control():
    """Background read -> SIGTTIN, background write under TOSTOP -> SIGTTOU, hang-up of the
    foreground group when the session leader exits, /dev/tty only with a controlling tty."""
    with TtySession("tty_job_control") as t:
        for cmd, sig in (("ttin", 21), ("ttou", 22)):
            t.command(cmd)
            m = t.wait_re(rf"{cmd}: child (signaled|stopped|exited) (\d+)\r?\n", f"{cmd}'s child")
            check(m.group(1) != "exited" and int(m.group(2)) == sig,
                  f"{cmd}: child {m.group(1)} {m.group(2)}, expected signal {sig}")
            t.prompt()
        t.command("hup")
        m = t.wait_re(r"hup: child (signaled|exited) (\d+)\r?\n", "the foreground child of a dead leader")
        check(m.group(1) == "signaled" and m.group(2) == "1", f"child {m.group(1)} {m.group(2)}, not SIGHUP")
        t.prompt()
        t.command("devtty")
        t.wait_for("devtty before: No such device or address", "/dev/tty without a controlling tty")
        t.wait_for("devtty in session: ok", "/dev/tty in a session that has the console")
        t.wait_for("devtty sid=self", "TIOCGSID")
        t.wait_for("devtty foreground=self", "TIOCGPGRP")
        t.wait_for("devtty after: No such device or address", "the tty left with its session")
        t.prompt()


class ShellSession:
    """The default boot (no init=, no debug_exit): /init starts -sh on the console, and the test
    types at it like a user. Every wait is bounded; a failure shows the end of the transcript."""

    # The line editor starts each prompt with a carriage return.
    PROMPT = "\r# "

    def __init__(self, name):
        import pexpect
        self.pexpect = pexpect
        self.name = name
        self.s = None
        self.prompt_seconds = None

    def __enter__(self):
        start = time.monotonic()
        self.s = qemu.spawn_interactive(self.name, "")
        self.wait_for("# ", "the first prompt", timeout=90)
        self.prompt_seconds = time.monotonic() - start
        return self

    def wait_for(self, text, what, timeout=20):
        """Waits for the exact @text; returns what came before it, with \r\n made \n."""
        try:
            self.s.expect_exact(text, timeout=timeout)
        except (self.pexpect.TIMEOUT, self.pexpect.EOF) as e:
            why = "timed out" if isinstance(e, self.pexpect.TIMEOUT) else "QEMU ended"
            raise TestFailure(f"no {text!r} ({what}, {why}); the guest sent "
                              f"{self.s.before[-600:]!r}")
        return self.s.before.replace("\r\n", "\n")

    def type_line(self, line, timeout=20):
        """Types @line and Enter; returns once the shell has echoed the whole line."""
        self.s.sendline(line)
        # The line editor redraws the line on every key; the last redraw and the newline
        # show that the shell has read all of it.
        self.wait_for(line + "\r\n", f"the echo of {line!r}", timeout)

    def run(self, line, timeout=30):
        """Runs @line at the prompt; returns its output (\n line ends)."""
        self.type_line(line)
        return self.wait_for(self.PROMPT, f"the prompt after {line!r}", timeout)

    def expect_output(self, line, expected, timeout=30):
        out = self.run(line, timeout)
        check(out == expected, f"{line!r} printed {out!r}, expected {expected!r}")

    def send(self, data):
        self.s.send(data)

    def __exit__(self, exc_type, exc, tb):
        self.s.close()
        return False


@test
def session_shell():
    """Boot to the login shell and use it like a user: a five-program pipeline, redirection,
    a here-document, a for loop, ^C, background jobs with jobs/fg/^Z/kill, ps, /proc/meminfo,
    uname -a, ls -l /, then poweroff ends QEMU through ACPI with status 0."""
    with ShellSession("session_shell") as sh:
        print(f"    boot to the first prompt: {sh.prompt_seconds:.2f}s (QEMU start to '# ')",
              flush=True)
        sh.expect_output(r"printf 'c\na\nb\na\n' | sort | uniq | tr a-z A-Z | wc -l", "3\n")
        sh.expect_output(r"printf 'c\na\nb\na\n' | sort | uniq | tr a-z A-Z | head -n 2",
                         "A\nB\n")
        sh.expect_output("echo hi > /tmp/f; cat < /tmp/f", "hi\n")
        sh.expect_output("echo there >> /tmp/f; wc -l < /tmp/f", "2\n")
        # A here-document typed at the prompt: the shell asks for each body line with PS2.
        sh.type_line("x=4; cat <<EOF")
        for body in ("one $x", "two $((x * 2))", "EOF"):
            sh.wait_for("> ", "the here-document prompt")
            sh.type_line(body)
        out = sh.wait_for(sh.PROMPT, "the prompt after the here-document")
        check(out == "one 4\ntwo 8\n", f"here-document printed {out!r}")
        sh.expect_output("for i in 1 2 3; do echo n$i; done", "n1\nn2\nn3\n")

        # ^C interrupts the foreground job; the prompt returns and $? is 128 + SIGINT.
        sh.type_line("sleep 100")
        time.sleep(1)
        sh.send("\x03")
        out = sh.wait_for(sh.PROMPT, "the prompt after ^C")
        check("^C" in out, f"^C not echoed: {out!r}")
        sh.expect_output("echo $?", "130\n")

        # A background job, jobs, fg, ^Z, ps while it is stopped, then kill it.
        out = sh.run("sleep 100 &")
        m = re.fullmatch(r"\[1\] (\d+)\n", out)
        check(m, f"'sleep 100 &' printed {out!r}, expected '[1] PID'")
        pid = m.group(1)
        out = sh.run("jobs")
        check(re.fullmatch(r"\[1\]\+ +Running +sleep 100\n", out), f"jobs printed {out!r}")
        sh.type_line("fg")
        sh.wait_for("sleep 100\r\n", "fg naming the job")
        time.sleep(1)
        sh.send("\x1a")
        out = sh.wait_for(sh.PROMPT, "the prompt after ^Z")
        check("^Z" in out and re.search(r"\[1\]\+ +Stopped +sleep 100", out),
              f"^Z did not report the stopped job: {out!r}")
        out = sh.run("ps")
        rows = out.splitlines()
        check(rows and rows[0].split() == ["PID", "TTY", "TIME", "CMD"], f"ps header: {out!r}")
        cmds = {r.split()[0]: r.split()[-1] for r in rows[1:]}
        check(cmds.get(pid) == "sleep", f"ps does not show sleep as {pid}: {out!r}")
        for name in ("sh", "ps"):
            check(name in cmds.values(), f"ps does not show {name}: {out!r}")
        out = sh.run(f"grep State /proc/{pid}/status")
        check(out.startswith("State:\tT (stopped)"), f"the stopped sleep: {out!r}")
        # The shell reports the end of the job once, at a prompt or in jobs.
        out = sh.run("kill -KILL %1; sleep 1") + sh.run("jobs") + sh.run("jobs")
        check(re.fullmatch(r"\[1\]\+ +Killed +sleep 100\n", out),
              f"kill -KILL %1 then jobs printed {out!r}, expected one 'Killed' report")
        out = sh.run(f"ls /proc/{pid}")
        check("No such file or directory" in out, f"the killed sleep is still there: {out!r}")

        out = sh.run("cat /proc/meminfo")
        m = re.search(r"^MemTotal: +(\d+) kB$", out, re.MULTILINE)
        check(m and 200 * 1024 <= int(m.group(1)) <= 256 * 1024, f"/proc/meminfo: {out[:300]!r}")
        check(re.search(r"^MemFree: +\d+ kB$", out, re.MULTILINE), "no MemFree line")
        out = sh.run("uname -a")
        check(re.fullmatch(r"Linux \S+ \S+ .* x86_64 .*\n", out), f"uname -a printed {out!r}")
        out = sh.run("ls -l /")
        for d in ("bin", "dev", "proc", "tmp"):
            check(re.search(rf"^d[rwxsStT-]{{9}} +\d+ +\S+ +\S+ .* {d}$", out, re.MULTILINE),
                  f"ls -l / has no directory {d}: {out!r}")
        check(re.search(r"^l[rwx-]{9} .* init -> sbin/init$", out, re.MULTILINE),
              f"ls -l / does not show the /init link: {out!r}")

        sh.type_line("poweroff")
        status = sh.s.wait_exit(timeout=60)
        check(status == 0, f"QEMU exit status {status} after poweroff, expected 0 (ACPI S5)")
        check("reboot: power down" in sh.s.before, "no 'reboot: power down' from the kernel")


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


@test
def guest_sh_suite():
    """The shell's own suite (usr/sh/tests, expectations from dash) run by /bin/sh in the guest."""
    r = init_test_mode("guest_sh_suite", "/bin/sh /usr/share/sh-tests/run")
    n = suite_counts(r, "the sh suite")
    cases = len([f for f in os.listdir(os.path.join(ROOT, "usr", "sh", "tests")) if f.endswith(".sh")])
    check(n == cases, f"{n} shell tests passed, but usr/sh/tests has {cases}")


@test
def guest_coreutils_suite():
    """The core utilities' suite (usr/coreutils/tests, expectations from GNU) in the guest."""
    r = init_test_mode("guest_coreutils_suite", "sh /usr/share/coreutils-tests/run.sh")
    n = suite_counts(r, "the coreutils suite")
    cases = 0
    tdir = os.path.join(ROOT, "usr", "coreutils", "tests")
    for f in os.listdir(tdir):
        if f.endswith(".t"):
            cases += len(re.findall(r"^t ", open(os.path.join(tdir, f)).read(), re.MULTILINE))
    check(n == cases, f"{n} coreutils cases passed, but usr/coreutils/tests has {cases}")


def guest_group(name, group, smp=1, timeout=300):
    """Runs one usr/tests group in the guest (exotest as init) and requires every test to pass."""
    r = qemu.boot(name, f"debug_exit init=/bin/exotest -- {group}", mem="512M", smp=smp,
                  timeout=timeout, extra=["-rtc", "base=2024-01-01T00:00:00"])
    fails = re.findall(r"^FAIL (.*)$", r.log, re.MULTILINE)
    check(not fails, f"{len(fails)} in-guest failures: " + "; ".join(fails[:5]))
    expect_clean_exit(r)
    m = expect_line(r, r"^(\d+) passed, 0 failed$", f"exotest {group} summary")
    check(int(m.group(1)) > 0, "no test ran")


@test
def guest_tty():
    """usr/tests tty group: ENOTTY on non-terminals, /dev/tty rules, the console as a controlling tty."""
    guest_group("guest_tty", "tty")


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


@test
def soak_one_minute():
    """make soak for one minute on -smp 4: stress rounds pass, no panic or hang, no leak over 1%."""
    ok, msg, r = soak.soak(1, 4, name="soak_one_minute")
    check(ok, f"{msg}\n{r.tail(30)}")


def run_exofuzz(name, args, calls):
    """Boots exofuzz as init on -smp 4 with @args for @calls calls; the kernel must survive,
    exofuzz must make every call and exit 0 (a worker SIGKILL cannot end fails it)."""
    r = qemu.boot(name, f"debug_exit init=/bin/exofuzz -- {args} -n {calls} -w 4",
                  mem="512M", smp=4, timeout=300, extra=["-rtc", "base=2024-01-01T00:00:00"])
    check(not r.panicked and not r.timed_out,
          f"the kernel did not survive the random calls:\n{r.tail(40)}")
    expect_clean_exit(r)
    m = expect_line(r, r"^exofuzz: (\d+) calls in ", "exofuzz's summary")
    check(int(m.group(1)) == calls, f"exofuzz made {m.group(1)} calls, not {calls}")
    expect_line(r, r"^exofuzz: done$", "exofuzz's closing line")


@test
def fuzz_random_syscalls():
    """exofuzz as init on -smp 4: 40000 random system calls (seed 1) from four workers
    running as uid 65534; the kernel stays up and every worker dies when killed."""
    run_exofuzz("fuzz_random_syscalls", "-s 1", 40000)


@test
def fuzz_random_syscalls_as_root():
    """exofuzz -r on -smp 4: 30000 random calls (seed 1) from workers that stay root, so the
    privileged paths are reached too (they skip kill, mount, the clock and reboot).
    Regression: a root worker truncated /proc/self/exe, the running exofuzz binary, and
    exofuzz died of SIGBUS; it is ETXTBSY now, as on Linux."""
    run_exofuzz("fuzz_random_syscalls_as_root", "-r -s 1", 30000)


def run_guest_suite(smp=1, mem="512M"):
    """Boots with /bin/exotest (usr/tests) as init; returns (passed, failed, BootResult)."""
    name = f"guest_suite_smp{smp}"
    print(f"== in-guest suite: /bin/exotest as PID 1 (-smp {smp}), log build/logs/{name}.log",
          flush=True)
    r = qemu.boot(name, "debug_exit init=/bin/exotest", mem=mem, smp=smp, timeout=900,
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
    ap.add_argument("--no-guest", action="store_true", help="skip the in-guest suite (usr/tests)")
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
        first_report = len(qemu.lockdep_reports)
        try:
            t()
            report = lockdep_failure(first_report)
            check(not report, report)
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
    if not a.no_guest and not a.k:
        # The whole usr/tests suite on one CPU and on four: the SMP run is where
        # races show (it found the timer, kernel-TLB and lazy-mm bugs).
        for smp in (1, 4):
            first_report = len(qemu.lockdep_reports)
            gp, gf, _ = run_guest_suite(smp=smp)
            report = lockdep_failure(first_report)
            if report:
                print(f"FAIL guest suite -smp {smp}: {report}")
                gf += 1
            passed += gp
            failed += gf
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
