"""Stress: a minute of the soak and the random system-call fuzzer."""
import soak  # noqa: E402

from testsuite.common import test, check, expect_clean_exit, expect_line, qemu


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
