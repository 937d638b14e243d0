"""The function profiler (docs/kprof.md): exact call counts for a known call chain on
-smp 4, sites restored when off, per-CPU counts, timer samples inside a busy kernel loop."""
import re

from testsuite.common import test, check, expect_clean_exit, expect_line, qemu


@test
def kprof_call_chain_smp():
    """kprofcheck as init on -smp 4: getppid N times counts N in sys_getppid, per CPU too."""
    r = qemu.boot("kprof_call_chain_smp", "debug_exit init=/usr/bin/kprofcheck", smp=4,
                  mem="512M", timeout=240, extra=["-rtc", "base=2024-01-01T00:00:00"])
    fails = re.findall(r"^FAIL (.*)$", r.log, re.MULTILINE)
    check(not fails, f"{len(fails)} failures: " + "; ".join(fails[:5]))
    expect_line(r, r"kprof: (\d+) functions can be profiled", "the profiler's sites")
    expect_line(r, r"^kprof: 4 CPUs each counted 1000 calls$", "per-CPU counts")
    expect_line(r, r"^kprofcheck: ok$", "kprofcheck's verdict")
    expect_clean_exit(r)
