#!/usr/bin/python3
"""make bench-kernel: in-kernel allocator costs in guest cycles.

Builds a non-debug kernel (configs/bench_defconfig with CONFIG_SELFTEST, since
mm_bench is a self-test) in build/bench-kernel/, boots it
twice under QEMU's deterministic mode (-icount shift=0,sleep=off, fixed -rtc
and -seed, one vCPU, -cpu max,-erms,-fsrm), runs the mm_bench self-test, and
prints each figure with its target. In this mode the guest TSC advances with
instructions executed, so both runs must print identical figures: the script
checks that and fails if they differ. Results go to build/bench-kernel/kernel.json.
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

BENCH_BUILD = os.path.join("build", "bench-kernel")
TARGETS = {
    "kmalloc64+kfree": 40,
    "page alloc+free": 150,
}


def build():
    print(f"bench: building the non-debug kernel in {BENCH_BUILD}/ "
          "(configs/bench_defconfig + CONFIG_SELFTEST)", flush=True)
    make = ["make", "--no-print-directory", f"BUILD={BENCH_BUILD}",
            f"KCONFIG_CONFIG={BENCH_BUILD}/.config", "DEFCONFIG=bench_defconfig"]
    subprocess.run(make + ["defconfig", "SET=SELFTEST=y"], cwd=qemu.ROOT, check=True)
    subprocess.run(make + [f"{BENCH_BUILD}/exo.elf", f"{BENCH_BUILD}/initramfs.cpio"],
                   cwd=qemu.ROOT, check=True)


def run_once(n):
    kernel = os.path.join(qemu.ROOT, BENCH_BUILD, "exo.elf")
    initramfs = os.path.join(qemu.ROOT, BENCH_BUILD, "initramfs.cpio")
    qemu_iso = qemu.iso_for_cmdline("debug_exit loglevel=6 selftest=mm_bench", kernel, initramfs)
    print(f"bench: run {n} (deterministic QEMU, 1 vCPU)", flush=True)
    r = qemu.boot_iso(f"bench_kernel_{n}", qemu_iso, mem="1G", smp=1, timeout=300,
                      cpu="max,-erms,-fsrm", deterministic=True)
    if r.timed_out or r.panicked or r.status != qemu.EXIT_SUCCESS:
        print(r.tail())
        sys.exit(f"bench: run {n} failed (status {r.status}); log in {r.log_path}")
    figures = {m.group(1): int(m.group(2))
               for m in re.finditer(r"bench: (.+?): (\d+) cycles/pair", r.log)}
    missing = [k for k in TARGETS if k not in figures]
    if missing:
        sys.exit(f"bench: no figure for {missing} in {r.log_path}")
    return figures


def main():
    build()
    first = run_once(1)
    second = run_once(2)
    print()
    print(f"{'benchmark':<22} {'cycles':>8} {'target':>8}  status")
    ok = True
    for name, target in TARGETS.items():
        status = "ok" if first[name] <= target else "OVER TARGET"
        print(f"{name:<22} {first[name]:>8} {target:>8}  {status}")
    if first != second:
        ok = False
        print(f"bench: figures differ between identical runs: {first} vs {second}")
    else:
        print("bench: second run identical to the cycle (deterministic mode holds)")
    os.makedirs(os.path.join(qemu.ROOT, BENCH_BUILD), exist_ok=True)
    with open(os.path.join(qemu.ROOT, BENCH_BUILD, "kernel.json"), "w") as fh:
        json.dump({"cycles": first, "targets": TARGETS, "repeatable": first == second}, fh,
                  indent=2)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
