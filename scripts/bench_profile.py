#!/usr/bin/python3
"""Where a benchmark row's cycles go: an exact instruction profile, by function.

  bench_profile.py ROW [--kernel exo|debug|kprof|linux] [--per SYMBOL] [--top N]

Run after make bench (it reuses build/bench/). Boots the same guest as make
bench with exobench --quick --only ROW, stopped under QEMU's gdb stub; a
breakpoint on the row's function (bench_<row> in exobench) switches QEMU to
one instruction per translation block and turns on -d exec,nochain, and a
breakpoint on row_report() turns them off. Every executed instruction of the
row, user and kernel, both processes, is then one "Trace" line: the script
symbolizes each (exo.syms, or Linux's /proc/kallsyms read once from the
guest booted nokaslr) and prints
the instruction count per function divided by the number of times SYMBOL's
first instruction ran (default: the syscall entry, i.e. per system call).
Under -icount shift=0 that count is exactly what the row's rdtsc figures
measure. --kernel debug profiles the debug column's kernel (bench.py's
build/bench-debug, the CONFIG_DEBUG kernel of make run); --kernel kprof the
kernel of bench_kprof.py (build/bench-kprof, CONFIG_KPROF compiled in, off),
to compare with the production kernel where the profiler's off cost goes.
--after SYMBOL counts only what runs after SYMBOL last ran: --after
clock_nanosleep leaves out the first, uncached pass of a blk_*_cached row
(its settle() sleeps after it).
"""
import argparse
import bisect
import collections
import os
import re
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import qemu  # noqa: E402

TRACE_RE = re.compile(rb"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
KPROF_BUILD = os.path.join("build", "bench-kprof")  # bench_kprof.py's kernel
EXOBENCH = os.path.join(bench.KBUILD, "usr", "root", "bin", "exobench")


def load_syms(lines, out):
    for line in lines:
        parts = line.split()
        if len(parts) >= 3 and parts[-2].lower() in "tw":
            out.append((int(parts[0], 16), parts[-1]))


def exo_build(kernel, row):
    """The build directory of @kernel ("exo" or "debug") for @row: the production tcp_*/udp_*
    rows boot the INET kernel."""
    if kernel == "debug":
        return os.path.join(qemu.ROOT, bench.DEBUG_BUILD)
    if kernel == "kprof":
        return os.path.join(qemu.ROOT, KPROF_BUILD)
    return os.path.join(qemu.ROOT, bench.NET_KBUILD) if bench.row_group(row) == "net" else bench.KBUILD


def symbols(kernel, row):
    syms = []
    if kernel != "linux":
        with open(os.path.join(exo_build(kernel, row), "exo.syms")) as fh:
            load_syms(fh, syms)
    else:
        with open(linux_kallsyms()) as fh:
            load_syms(fh, syms)
    nm = subprocess.run(["nm", "-n", EXOBENCH], stdout=subprocess.PIPE, text=True, check=True)
    load_syms(nm.stdout.splitlines(), syms)
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


LINUX_APPEND = bench.LINUX_APPEND.replace(" quiet", " quiet nokaslr")


def linux_kallsyms():
    """Debian ships no System.map (only a stub); ask the kernel itself, booted nokaslr."""
    path = os.path.join(bench.BENCH, "linux-kallsyms.txt")
    if not os.path.exists(path):
        print("profile: reading /proc/kallsyms from the Linux guest (once)", flush=True)
        r = qemu.boot_kernel("bench_linux_kallsyms", bench.linux_kernel(),
                             os.path.join(bench.BENCH, "linux-initramfs.cpio"),
                             LINUX_APPEND + " --kallsyms", mem=bench.MEM, smp=1, timeout=900,
                             cpu=bench.CPU, deterministic=True, done_marker=bench.DONE)
        lines = [l for l in r.log.splitlines() if re.match(r"^[0-9a-f]{16} [tTwW] \S+", l)]
        if len(lines) < 1000:
            sys.exit(f"profile: no kallsyms in {r.log_path}")
        with open(path, "w") as fh:
            fh.write("\n".join(lines) + "\n")
    return path


def user_addr(name):
    nm = subprocess.run(["nm", EXOBENCH], stdout=subprocess.PIPE, text=True, check=True)
    for line in nm.stdout.splitlines():
        parts = line.split()
        if parts[-1] == name:
            return int(parts[0], 16)
    sys.exit(f"profile: no symbol {name} in {EXOBENCH}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def row_function(row):
    names = {"mmap_munmap_1m": "mmap_munmap",
             "ext4_read_64m_cold_kib": "ext4_read_cold", "ext4_read_64m_warm_kib": "ext4_read_warm"}
    row = names.get(row, row)
    return "bench_" + (row[:-len("_kib")] if row.endswith("_kib") else row)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("row")
    ap.add_argument("--kernel", choices=["exo", "debug", "kprof", "linux"], default="exo")
    ap.add_argument("--per", default="entry_SYSCALL_64")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--after", help="count only after this function last ran")
    a = ap.parse_args()

    bench.build(bench.linux_kernel())
    if a.kernel == "debug":
        bench.build_debug()
    args = f"--quick --only {a.row}"
    trace = os.path.join(bench.BENCH, f"profile-{a.kernel}-{a.row}.trace")
    port = free_port()
    common = ["-m", bench.MEM, "-smp", "1", "-display", "none", "-no-reboot",
              "-accel", "tcg", "-cpu", bench.CPU, "-serial", "file:" + trace + ".serial",
              "-monitor", "none", "-gdb", f"tcp:127.0.0.1:{port}", "-S", "-D", trace,
              "-device", "isa-debug-exit,iobase=0xf4,iosize=4"] + qemu.DETERMINISTIC
    common += qemu.disk_args([bench.DISK, bench.EXT4_DISK])	# as bench.py attaches them
    if a.kernel != "linux":
        kernel, initrd, append = bench.exo_boot(os.path.join(exo_build(a.kernel, a.row), "exo.elf"),
                                                os.path.join(bench.BENCH, "exo-initramfs.cpio"),
                                                f"{bench.EXO_CMDLINE} -- {args}")
        cmd = [qemu.QEMU, "-kernel", kernel, "-initrd", initrd, "-append", append] + common
    else:
        cmd = [qemu.QEMU, "-kernel", bench.linux_kernel(), "-initrd",
               os.path.join(bench.BENCH, "linux-initramfs.cpio"),
               "-append", f"{LINUX_APPEND} {args}"] + common
    if os.path.exists(trace):
        os.remove(trace)
    start, stop = user_addr(row_function(a.row)), user_addr("row_report")
    gdb_script = f"""set pagination off
set confirm off
target remote 127.0.0.1:{port}
hbreak *{start:#x}
continue
delete
monitor singlestep on
monitor log exec,nochain
hbreak *{stop:#x}
continue
monitor log none
kill
"""
    print(f"profile: {a.row} on {a.kernel}; trace in {os.path.relpath(trace, qemu.ROOT)}",
          flush=True)
    q = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    with tempfile.NamedTemporaryFile("w", suffix=".gdb") as fh:
        fh.write(gdb_script)
        fh.flush()
        subprocess.run(["gdb", "-nx", "-batch", "-x", fh.name], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=900)
    try:
        q.wait(timeout=10)
    except subprocess.TimeoutExpired:
        q.kill()

    addrs, names = symbols(a.kernel, a.row)
    counts = collections.Counter()
    per_addr = None
    after = (0, 0)
    for i, n in enumerate(names):
        if n == a.per:
            per_addr = addrs[i]
        if n == a.after:
            after = (addrs[i], addrs[i + 1] if i + 1 < len(addrs) else addrs[i] + 1)
    if a.after and after == (0, 0):
        sys.exit(f"profile: no symbol {a.after}")
    entries = total = 0
    with open(trace, "rb") as fh:
        for line in fh:
            m = TRACE_RE.match(line)
            if not m:
                continue
            pc = int(m.group(1), 16)
            if after[0] <= pc < after[1]:
                counts.clear()
                entries = total = 0
                continue
            total += 1
            if pc == per_addr:
                entries += 1
            i = bisect.bisect_right(addrs, pc) - 1
            counts[names[i] if i >= 0 else hex(pc)] += 1
    if not total:
        sys.exit("profile: no instructions traced (did the row run?)")
    div = entries or 1
    print(f"{total} instructions traced; {entries} executions of {a.per}; "
          f"{total / div:.0f} instructions per {a.per if entries else 'run'}")
    print(f"{'function':<40} {'per ' + a.per if entries else 'total':>22}  share")
    for name, c in counts.most_common(a.top):
        print(f"{name:<40} {c / div:>22.1f}  {100 * c / total:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
