#!/usr/bin/python3
"""SMP soak: boots Exo-OS on -smp 4 with /sbin/init running usr/tests/soak.sh, which
repeats exotest's stress groups and random block I/O on a scratch virtio-blk
disk (build/soak/scratch.img, 32 MiB) for the given minutes and then checks
that free memory came back within 1%. Shows each round as it finishes.

    scripts/soak.py [--minutes N] [--smp N]       (make soak SOAK_MINUTES=N)

Exits 0 when the guest printed "soak: ok" and shut down cleanly; otherwise
prints why (panic, hang, a failed test, a leak) with the end of the log.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402


def soak(minutes, smp, name="soak"):
    """Runs the soak; returns (ok, message, BootResult)."""
    def progress(line):
        if line.startswith(("soak:", "FAIL", "blkcheck")):
            print("  " + line.rstrip(), flush=True)

    # /sbin/init runs the script (its test mode) and, as PID 1 must, reaps every orphan: the
    # tests leave some on purpose (orphaned process groups), and a shell as PID 1 reaps only
    # its own children, which looked like a leak of one task per round.
    cmdline = ("debug_exit init=/init -- --no-rc --exit-after=sh "
               f"/usr/share/exotest/soak.sh {minutes}")
    # One round can take a few minutes when the host is busy: allow for it past the deadline.
    # The guest prints a line per test and every few seconds while fuzzing: three silent
    # minutes are a hang, reported with each vCPU's RIP.
    scratch = os.path.join(qemu.BUILD, "soak", "scratch.img")
    os.makedirs(os.path.dirname(scratch), exist_ok=True)
    with open(scratch, "wb") as f:
        f.write(os.urandom(32 << 20))
    r = qemu.boot_iso(name, qemu.iso_for_cmdline(cmdline), mem="512M", smp=smp,
                      timeout=minutes * 60 + 600, progress=progress, stall_timeout=180,
                      extra=qemu.disk_args([scratch]))
    if r.panicked:
        return False, "the kernel panicked", r
    if "# STALLED" in r.log:
        return False, "the guest went silent (hang); CPU registers at the end of the log", r
    if r.timed_out:
        return False, f"no end after {r.seconds:.0f} s (hang?)", r
    if "soak: ok" not in r.log:
        return False, "the soak script did not report success", r
    if r.status != qemu.EXIT_SUCCESS:
        return False, f"QEMU exit status {r.status}", r
    return True, f"{r.seconds:.0f} s", r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=int, default=30, help="how long to soak (default 30)")
    ap.add_argument("--smp", type=int, default=4, help="vCPUs (default 4)")
    args = ap.parse_args()
    print(f"soak: {args.minutes} min on -smp {args.smp}; log build/logs/soak.log", flush=True)
    ok, msg, r = soak(args.minutes, args.smp)
    if ok:
        print(f"soak: passed ({msg})")
        return 0
    print(f"soak: FAILED: {msg}\n--- end of build/logs/soak.log ---\n{r.tail(40)}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
