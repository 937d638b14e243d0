#!/usr/bin/python3
"""The function profiler's cost on the benchmark rows (docs/kprof.md).

  bench_kprof.py [--only ROW,ROW...] [--quick]

Builds the benchmark kernel (configs/bench_defconfig + CONFIG_SELFTEST, as
bench_kernel.py does) a second time with CONFIG_KPROF=y in build/bench-kprof/,
then boots exobench under the same deterministic QEMU as make bench on:

  out  the kernel without the profiler (build/bench-kernel/, bench_kernel.build())
  off  the kernel with the profiler compiled in, switched off
  on   the same, switched on from boot (kprof=1: tracing and sampling)

Under icount every figure repeats to the cycle, so one boot of each is enough;
with --reuse, "out" is make bench's own Exo-OS run (build/bench/results.json,
the same kernel and initramfs). Prints cost off and cost on per row and fails
if any row costs more than 1% with the profiler off. Then boots the profiled
kernel once more with /bin/kprof as init around "exobench --only ROW" (--row,
default open_close) and prints the row's top functions. make bench runs it
after bench.py.
"""
import json
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import bench_kernel  # noqa: E402
import qemu  # noqa: E402

KPROF_BUILD = os.path.join("build", "bench-kprof")
OFF_LIMIT = 0.01


def build_kprof():
    print(f"bench: building the benchmark kernel with CONFIG_KPROF in {KPROF_BUILD}/", flush=True)
    make = ["make", "--no-print-directory", f"BUILD={KPROF_BUILD}",
            f"KCONFIG_CONFIG={KPROF_BUILD}/.config", "DEFCONFIG=bench_defconfig"]
    subprocess.run(make + ["defconfig", "SET=SELFTEST=y KPROF=y"], cwd=qemu.ROOT, check=True)
    subprocess.run(make + [f"{KPROF_BUILD}/exo.elf"], cwd=qemu.ROOT, check=True)
    return os.path.join(qemu.ROOT, KPROF_BUILD, "exo.elf")


def boot(label, elf, initramfs, args, extra_cmdline=""):
    cmdline = " ".join(x for x in (bench.EXO_CMDLINE, extra_cmdline, "--", args) if x)
    print(f"bench: kprof {label}: {cmdline}", flush=True)
    r = qemu.boot_kernel(f"bench_kprof_{label}", *bench.exo_boot(elf, initramfs, cmdline),
                         mem=bench.MEM, smp=1,
                         timeout=900, cpu=bench.CPU, deterministic=True, done_marker=bench.DONE,
                         progress=bench.progress_printer(label))
    bench.check_boot(r, f"kprof {label}")
    return bench.parse_rows(r.log)


def profile_row(elf, initramfs, row):
    """The top functions of one row: kprof=trace from boot, printed when exobench (init) exits."""
    cmdline = f"{bench.EXO_CMDLINE} kprof=trace -- --only {row}"
    print(f"bench: kprof: the top functions of {row}: {cmdline}", flush=True)
    r = qemu.boot_kernel("bench_kprof_row", *bench.exo_boot(elf, initramfs, cmdline),
                         mem=bench.MEM, smp=1, timeout=900,
                         cpu=bench.CPU, deterministic=True)
    lines = re.findall(r"kprof: (\d+) (\d+) (\S+)$", r.log, re.MULTILINE)
    if r.timed_out or r.panicked or not lines:
        print(r.tail(30))
        sys.exit(f"bench: kprof: profiling {row} failed; log in {r.log_path}")
    print(f"\n{row} with the profiler on (the whole boot of exobench --only {row}; inclusive cycles):")
    print(f"{'calls':>10} {'cycles':>14} {'cyc/call':>10}  function")
    for calls, cycles, name in lines:
        print(f"{int(calls):>10} {int(cycles):>14} {int(cycles) // int(calls):>10}  {name}")


def compare(out, off, on):
    """Prints the table; returns the rows whose cost off is over the limit."""
    over = []
    print(f"\n| row | without | profiler off | cost off | profiler on | cost on |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for k, v in out.items():
        if not isinstance(v, int) or not isinstance(off.get(k), int):
            continue
        c_off = off[k] / v - 1 if v else 0.0
        c_on = on[k] / v - 1 if v and isinstance(on.get(k), int) else None
        if k != "mem_in_use_kib" and c_off > OFF_LIMIT:
            over.append(k)
        print(f"| {k} | {v:,} | {off[k]:,} | {c_off:+.2%} | "
              f"{on.get(k, '-') if not isinstance(on.get(k), int) else format(on[k], ',')} | "
              f"{'-' if c_on is None else format(c_on, '+.1%')} |")
    return over


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", help="run only these rows (comma-separated; no blk_* rows)")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reuse", action="store_true",
                    help="take the figures without the profiler from build/bench/results.json")
    ap.add_argument("--row", default="open_close", help="the row whose top functions to print")
    a = ap.parse_args(argv)
    bench_kernel.build()
    elf_kprof = build_kprof()
    tree = bench.bench_tree()
    initramfs = bench.mkinitramfs(os.path.join(bench.BENCH, "exo-initramfs.cpio"), tree)
    args = " ".join((["--quick"] if a.quick else []) +
                    (["--only", a.only] if a.only else ["--except", "blk_*"]))
    results = os.path.join(bench.BENCH, "results.json")
    if a.reuse and os.path.exists(results):
        with open(results) as fh:
            out = json.load(fh)["exo"]["rows"]
        out = {k: v for k, v in out.items() if not k.startswith("blk_")}
    else:
        out = boot("out", os.path.join(bench.KBUILD, "exo.elf"), initramfs, args)
    off = boot("off", elf_kprof, initramfs, args)
    on = boot("on", elf_kprof, initramfs, args, "kprof=1")
    over = compare(out, off, on)
    profile_row(elf_kprof, initramfs, a.row)
    if over:
        print(f"bench: kprof: compiled in but off costs more than {OFF_LIMIT:.0%} on: "
              f"{', '.join(over)}")
        return 1
    print(f"bench: kprof: compiled in but off costs at most {OFF_LIMIT:.0%} on every row")
    return 0


if __name__ == "__main__":
    sys.exit(main())
