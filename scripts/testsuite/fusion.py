"""Fusion rings (docs/fusion-rings.md): the usr/tests fusion group on one and four CPUs, a
one-minute 2 producers x 2 consumers run with every message checked, and the tests that a
killed peer leaks nothing and that a hostile peer cannot hurt the kernel."""
import re

from testsuite.common import group_test, test, guest_group, check, expect_clean_exit, expect_line, qemu


@group_test
def guest_fusion():
    """usr/tests fusion group (-smp 1): inline and page transfers, wrap-around, full and empty
    rings, batches, blocking across processes, poll, fdinfo, SCM_RIGHTS, bad input, peers
    killed mid-transfer (MemFree within 1%, in-flight page counts exact)."""
    guest_group("guest_fusion", "fusion")


@group_test
def smp_fusion():
    """The fusion group on -smp 4: producers, consumers and wake-ups on different CPUs."""
    guest_group("smp_fusion", "fusion", smp=4)


@test
def fusion_soak_2x2():
    """2 producer and 2 consumer processes on -smp 4 hammer one ring for 20 s; every message's
    sequence and checksum is checked and the counts sent and received must match (make soak
    does the same for a minute each round)."""
    r = qemu.boot("fusion_soak_2x2",
                  "debug_exit init=/bin/env -- EXOTEST_FUSION_SECS=20 /bin/exotest "
                  "fusion.two_by_two_checked", mem="512M", smp=4, timeout=400)
    fails = re.findall(r"^FAIL (.*)$", r.log, re.MULTILINE)
    check(not fails, "in-guest failures: " + "; ".join(fails[:5]))
    expect_clean_exit(r)
    m = expect_line(r, r"^fusion 2x2: (\d+) \+ (\d+) messages in 20 s$", "soak summary")
    check(int(m.group(1)) > 1000 and int(m.group(2)) > 1000, "too few messages")
    expect_line(r, r"^1 passed, 0 failed$", "exotest summary")
