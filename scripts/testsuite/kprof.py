"""The function profiler (docs/kprof.md): exact call counts for a known call chain on
-smp 4, sites restored when off, per-CPU counts, timer samples inside a busy kernel loop."""
import re

from testsuite.common import test, check, expect_clean_exit, expect_line, init_test_mode, qemu


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


@test
def kprof_tool_top_functions():
    """usr/bin/kprof around cat: the table lists sys_read with calls and cycles, and samples."""
    r = init_test_mode("kprof_tool_top_functions", "kprof -n 400 -o /tmp/folded cat /proc/version",
                       timeout=120)
    expect_line(r, r"calls\s+cycles\s+cyc/call\s+function", "the functions table")
    m = expect_line(r, r"^\s*(\d+)\s+(\d+)\s+\d+\s+sys_read$", "sys_read in the table")
    check(int(m.group(1)) >= 1 and int(m.group(2)) > 0, f"sys_read row {m.group(0)!r}")
    expect_line(r, r"samples\s+%\s+function", "the samples table")
    expect_clean_exit(r)
