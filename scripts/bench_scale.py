#!/usr/bin/python3
"""make bench-scale (and the end of make bench): throughput with 1 and 2 CPUs, Exo-OS and
Linux side by side (issue 17 item 4, "Scale with CPUs").

  bench_scale.py [--quick] [--rounds N] [--only ROW,ROW...]

Boots the bench kernel (configs/bench_defconfig, built as scripts/bench.py builds it) and
Debian's Linux with the same initramfs images, QEMU command lines and exobench binary as
bench.py, but with multi-threaded TCG (-accel tcg,thread=multi) and no -icount, on -smp 1
and on -smp 2 (these machines have 2 cores: more vCPUs would only oversubscribe them).
exobench --scale runs each workload (fork_exit, pipe_pairs, open_close, page_fault:
usr/bench/scale.c) from 1 process and from N = online CPUs processes at once, each for
0.8 s of wall time, and prints ops/s in total.

Without -icount these are real-time figures: they vary from run to run with the host's
load (other QEMUs, builds). Each boot is repeated --rounds times (2 by default), in the
order Exo-OS smp1, Linux smp1, Exo-OS smp2, Linux smp2 per round, so both kernels see the
same conditions; each figure is the best of its rounds. The ratios Exo/Linux are of
ops/s (higher is better for Exo-OS) and come from this one run.

Prints the table and writes build/bench/scale.json.
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import qemu  # noqa: E402

SCALE_RE = re.compile(r"^SCALE (\S+) (\d+) (.*)$", re.MULTILINE)
ROWS = ["fork_exit", "pipe_pairs", "open_close", "page_fault"]
SMPS = (1, 2)


def parse_scale(log):
    """{(row, N): ops/s or "FAIL reason"} from exobench --scale's lines."""
    got = {}
    for name, n, value in SCALE_RE.findall(log):
        value = value.strip()
        got[(name, int(n))] = int(value) if value.isdigit() else value
    return got


def boot(who, smp, rnd, kernel, initramfs, args):
    if who == "exo":
        boot_args = bench.exo_boot(os.path.join(bench.KBUILD, "exo.elf"), initramfs,
                                   bench.EXO_CMDLINE + " -- " + args)
    else:
        boot_args = (kernel, initramfs, bench.LINUX_APPEND + " " + args)
    label = "Exo-OS" if who == "exo" else "Linux"
    print(f"bench-scale: {label} -smp {smp} round {rnd}", flush=True)

    def show(line):
        if line.startswith(("SCALE ", "END ")):
            print(f"  {who:<6} {line.rstrip()}", flush=True)
    r = qemu.boot_kernel(f"bench_scale_{who}_smp{smp}_{rnd}", *boot_args, mem=bench.MEM,
                         smp=smp, timeout=300, cpu=bench.CPU, mttcg=True,
                         done_marker=bench.DONE,
                         progress=show)
    bench.check_boot(r, f"{label} -smp {smp}")
    return parse_scale(r.log), r


def best(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return max(a, b)
    return a if isinstance(a, int) else b if b is not None else a


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, int):
        return str(v)
    return v.split(" ", 1)[0]


def quotient(a, b):
    if isinstance(a, int) and isinstance(b, int) and b > 0:
        return a / b
    return None


def qfmt(q):
    return f"{q:.2f}" if q is not None else "-"


def table(res, rows):
    """res[who][smp][(row, N)]. Columns: each kernel's smp1 N=1 and smp2 N=2 ops/s and its
    scaling factor (smp2 N=2 / smp1 N=1), then Exo/Linux of each figure and of the factors."""
    head = (f"{'ops/s':<11} | {'Exo smp1':>9} | {'Exo smp2':>9} | {'Exo x':>5} | "
            f"{'Lin smp1':>9} | {'Lin smp2':>9} | {'Lin x':>5} | "
            f"{'E/L smp1':>8} | {'E/L smp2':>8} | {'E/L x':>5}")
    lines = [head, "-" * len(head)]
    summary = {}
    for row in rows:
        e1, e2 = res["exo"][1].get((row, 1)), res["exo"][2].get((row, 2))
        l1, l2 = res["linux"][1].get((row, 1)), res["linux"][2].get((row, 2))
        ex, lx = quotient(e2, e1), quotient(l2, l1)
        q1, q2 = quotient(e1, l1), quotient(e2, l2)
        qx = ex / lx if ex is not None and lx else None
        lines.append(f"{row:<11} | {fmt(e1):>9} | {fmt(e2):>9} | {qfmt(ex):>5} | "
                     f"{fmt(l1):>9} | {fmt(l2):>9} | {qfmt(lx):>5} | "
                     f"{qfmt(q1):>8} | {qfmt(q2):>8} | {qfmt(qx):>5}")
        summary[row] = {"exo_smp1": e1, "exo_smp2": e2, "exo_scaling": ex,
                        "linux_smp1": l1, "linux_smp2": l2, "linux_scaling": lx,
                        "exo_linux_smp1": q1, "exo_linux_smp2": q2, "exo_linux_scaling": qx,
                        "exo_smp2_n1": res["exo"][2].get((row, 1)),
                        "linux_smp2_n1": res["linux"][2].get((row, 1))}
    return "\n".join(lines), summary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="exobench --quick (0.16 s a figure)")
    ap.add_argument("--rounds", type=int, default=2, help="boots of each kernel and -smp")
    ap.add_argument("--only", help="these rows only (comma-separated)")
    a = ap.parse_args()
    kernel = bench.linux_kernel()
    exo_initramfs, linux_initramfs = bench.build(kernel)
    args = "--scale" + (" --quick" if a.quick else "") + (f" --only {a.only}" if a.only else "")
    rows = a.only.split(",") if a.only else ROWS
    res = {who: {smp: {} for smp in SMPS} for who in ("exo", "linux")}
    logs = {}
    for rnd in range(1, a.rounds + 1):
        for smp in SMPS:
            for who, image in (("exo", exo_initramfs), ("linux", linux_initramfs)):
                got, r = boot(who, smp, rnd, kernel, image, args)
                logs.setdefault(who, []).append(os.path.relpath(r.log_path, qemu.ROOT))
                mine = res[who][smp]
                for key, v in got.items():
                    mine[key] = best(mine.get(key), v)
    text, summary = table(res, rows)
    print()
    print(f"Scaling with CPUs (ops/s, best of {a.rounds} boots each; multi-threaded TCG, no "
          "icount: real time, noisy; x = smp2 N=2 / smp1 N=1; E/L = Exo-OS / Linux)")
    print(text)
    failed = [f"{who} -smp {smp} {row} N={n}: {v}" for who in res for smp in SMPS
              for (row, n), v in res[who][smp].items() if not isinstance(v, int)]
    missing = [f"{who} -smp {smp} {row} N={n}" for who in res for smp in SMPS for row in rows
               for n in sorted({1, smp}) if (row, n) not in res[who][smp]]
    for f in failed + [m + ": no SCALE line" for m in missing]:
        print(f"bench-scale: {f}")
    results = {
        "qemu": {"cpu": bench.CPU, "mem": bench.MEM, "accel": "tcg,thread=multi", "smp": SMPS},
        "guest_args": args, "rounds": a.rounds, "logs": logs,
        "rows": summary,
        "raw": {who: {f"smp{smp}": {f"{row} {n}": v for (row, n), v in res[who][smp].items()}
                      for smp in SMPS} for who in res},
    }
    with open(os.path.join(bench.BENCH, "scale.json"), "w") as fh:
        json.dump(results, fh, indent=2)
    print("bench-scale: wrote build/bench/scale.json")
    return 1 if failed or missing else 0


if __name__ == "__main__":
    sys.exit(main())
