"""SMP boots: every CPU online, nosmp, a panic that stops the other CPUs; races on -smp 4."""
import re

from testsuite.common import test, check, expect_clean_exit, expect_line, guest_group, qemu


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


@test
def smp_procfs_lookup_race():
    """-smp 4: four threads looking up the same new procfs names at once add one dentry per name
    (the lookup of a missing name is serialized; d_add() warns about a second one)."""
    r = guest_group("smp_procfs_lookup_race", "procrace", smp=4)
    expect_line(r, r"smp: 4 CPUs online", "4 CPUs online")
    dup = re.search(r"dcache: a second dentry for .*", r.log)
    check(not dup, f"duplicate dentry: {dup and dup.group(0)}")


@test
def smp_vfs_race():
    """-smp 4 under the lock validator: rename storms within and across two directories,
    create/unlink storms beside names that stay, O_EXCL creators of one name and directory
    renames in opposite directions (usr/tests/vfsrace.c) keep their invariants, without a
    deadlock, a lockdep report or a WARNING."""
    r = guest_group("smp_vfs_race", "vfsrace", smp=4, timeout=600)
    expect_line(r, r"smp: 4 CPUs online", "4 CPUs online")
    bad = re.search(r"^\[[ \d.]+\] (lockdep: .*|WARNING: .*|dcache: a second dentry .*)$", r.log,
                    re.MULTILINE)
    check(not bad, f"kernel report: {bad and bad.group(1)}")
