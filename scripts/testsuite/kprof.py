"""The function profiler (docs/kprof.md): exact call counts for a known call chain on
-smp 4, sites restored when off, per-CPU counts, timer samples inside a busy kernel loop."""
import os
import re

from testsuite.common import (TestFailure, test, check, expect_clean_exit, expect_line,
                               init_test_mode, qemu)


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


def elf_reader(path):
    """(read(vaddr, n) -> bytes) over @path's PT_LOAD segments (ELF64 little-endian)."""
    import struct
    data = open(path, "rb").read()
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads = []
    for i in range(phnum):
        ptype, _, off, vaddr, _, filesz, _, _ = struct.unpack_from("<IIQQQQQQ", data,
                                                                  phoff + i * phentsize)
        if ptype == 1:
            loads.append((vaddr, off, filesz))

    def read(vaddr, n):
        for base, off, size in loads:
            if base <= vaddr and vaddr + n <= base + size:
                return data[off + vaddr - base:off + vaddr - base + n]
        raise TestFailure(f"{vaddr:#x} is in no loaded segment of {path}")
    return read


@test
def kprof_off_costs_no_instruction():
    """The profiler off adds no executed instruction (docs/kprof.md): in build/exo.elf (built
    with CONFIG_KPROF) each of __patchable_function_entries' entries is 16 NOP bytes that
    end where a function starts, and no such function starts with a NOP."""
    import struct
    import subprocess
    elf = os.path.join(qemu.BUILD, "exo.elf")
    syms, funcs = {}, set()
    for line in subprocess.run(["nm", elf], stdout=subprocess.PIPE, text=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms.setdefault(parts[2], int(parts[0], 16))
            if parts[1] in ("t", "T"):
                funcs.add(int(parts[0], 16))
    check("__start_mcount_loc" in syms, "no __start_mcount_loc: is CONFIG_KPROF off in "
          "configs/defconfig?")
    read = elf_reader(elf)
    start, stop = syms["__start_mcount_loc"], syms["__stop_mcount_loc"]
    sites = struct.unpack(f"<{(stop - start) // 8}Q", read(start, stop - start))
    check(len(sites) > 1000, f"only {len(sites)} patchable entries")
    bad, unnamed = [], 0
    for pre in sites:
        body = read(pre, 17)
        if body[:16] != b"\x90" * 16 or body[16] == 0x90:
            bad.append(f"{pre:#x}: {body.hex()}")
        # A __weak default that a strong definition replaced keeps its code, not its name.
        unnamed += pre + 16 not in funcs
    check(not bad, f"{len(bad)} of {len(sites)} entries are not 16 NOPs before an entry "
          "that starts with real code: " + "; ".join(bad[:5]))
    check(unnamed < len(sites) // 100, f"{unnamed} of {len(sites)} entries start no function")
    print(f"    {len(sites)} entries, each 16 NOPs before its function ({unnamed} replaced "
          "__weak defaults)", flush=True)


# Objects whose code once differed with CONFIG_KPROF: rbtree.c (gcc turned -fipa-ra off, so
# rb_insert_color kept fewer values in registers across rb_rotate_left: mmap_munmap_1m +1.9%
# with the profiler off), n_tty.c (a "#pragma GCC optimize" without no-tree-loop-distribute-patterns
# turns its zeroing loops into rep stos), and the mmap path.
SAME_CODE_SOURCES = ["lib/rbtree.c", "drivers/tty/n_tty.c", "mm/vma.c", "mm/mmap.c"]


def objdump_functions(obj):
    """{function: [instruction, ...]} of @obj, without NOPs, with branch targets symbolic
    and a relocated operand named by its relocation."""
    import subprocess
    out = subprocess.run(["objdump", "-dr", "--no-show-raw-insn", obj], stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    funcs, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if m:
            # The NOPs before a section's first entry get a symbol of their own (f-0x10).
            cur = None if re.search(r"-0x[0-9a-f]+$", m.group(1)) else m.group(1)
            if cur:
                funcs[cur] = []
            continue
        m = re.match(r"^\s*[0-9a-f]+: (R_X86_64_\S+\s+\S+)$", line)
        if m and cur and funcs[cur]:
            # Unrelocated, the target is whatever symbol lies near the placeholder; a
            # section-relative one moves with the NOPs before each function.
            funcs[cur][-1] = (re.sub(r"\s*<[^>]+>$", "", funcs[cur][-1]) + " " +
                              re.sub(r"(\s\.text\S*)\+0x[0-9a-f]+$", r"\1", m.group(1)))
            continue
        m = re.match(r"^\s*[0-9a-f]+:\s+(.*)$", line)
        if m and cur:
            insn = re.sub(r"\b[0-9a-f]+ <([^>]+)>", r"<\1>", m.group(1)).strip()
            if not re.match(r"(nop|xchg\s+%ax,%ax|cs nop|data16)", insn):
                funcs[cur].append(insn)
    return funcs


@test
def kprof_same_code_as_without():
    """The profiler compiled in changes no function's code (docs/kprof.md): a few objects of
    the CONFIG_KPROF kernel (build/) are compiled again without the profiler's flags, and
    each function must hold the same instructions (NOPs aside)."""
    import shlex
    import subprocess
    import tempfile
    diffs = []
    for src in SAME_CODE_SOURCES:
        obj = os.path.relpath(os.path.join(qemu.BUILD, src[:-2] + ".o"), qemu.ROOT)
        dry = subprocess.run(["make", "--no-print-directory", "-n", "-W", src, obj], cwd=qemu.ROOT,
                             stdout=subprocess.PIPE, text=True, check=True).stdout
        cmd = next((shlex.split(c) for c in dry.replace("\\\n", " ").splitlines()
                    if f" -c {src} " in c and "-fpatchable-function-entry" in c), None)
        check(cmd, f"no CONFIG_KPROF compile command for {src} in make -n (is CONFIG_KPROF "
              "off in configs/defconfig?)")
        plain = [a for a in cmd if not a.startswith("-fpatchable-function-entry")]
        i = plain.index("include/exo/kprof_ipa_ra.h") if "include/exo/kprof_ipa_ra.h" in plain else -1
        if i > 0 and plain[i - 1] == "-include":
            del plain[i - 1:i + 1]
        with tempfile.TemporaryDirectory() as tmp:
            objs = []
            for n, argv in enumerate((cmd, plain)):
                out = os.path.join(tmp, f"{n}.o")
                argv = argv[:argv.index("-o") + 1] + [out] + argv[argv.index("-o") + 2:]
                subprocess.run(argv, cwd=qemu.ROOT, check=True)
                objs.append(objdump_functions(out))
        kprof, without = objs
        check(set(kprof) == set(without), f"{src}: functions differ: "
              f"{sorted(set(kprof) ^ set(without))[:5]}")
        diffs += [f"{src}:{f} ({len(without[f])} -> {len(kprof[f])} instructions)"
                  for f in without if kprof[f] != without[f]]
        check(len(without) > 5, f"{src}: only {len(without)} functions disassembled")
    check(not diffs, f"{len(diffs)} functions compile differently with CONFIG_KPROF: "
          + "; ".join(diffs[:5]))
    print(f"    {len(SAME_CODE_SOURCES)} objects, the same code with and without the profiler",
          flush=True)


@test
def kprof_on_mem_group_smp():
    """exotest's mem group on -smp 4 with the profiler on from boot (kprof=1): every hooked
    function runs through the trampolines. The hooked objects are built with -fipa-ra, so a
    caller may keep a value in a call-clobbered register its callee never writes: an exit
    trampoline that kept only %rax and %rdx crashed here in rb_insert_color."""
    r = qemu.boot("kprof_on_mem_group_smp", "debug_exit kprof=1 init=/bin/exotest -- mem",
                  mem="512M", smp=4, timeout=300, extra=["-rtc", "base=2024-01-01T00:00:00"])
    fails = re.findall(r"^FAIL (.*)$", r.log, re.MULTILINE)
    check(not fails, f"{len(fails)} in-guest failures: " + "; ".join(fails[:5]))
    expect_line(r, r"kprof: (\d+) functions can be profiled", "the profiler's sites")
    expect_clean_exit(r)
    m = expect_line(r, r"^(\d+) passed, 0 failed$", "exotest mem summary")
    check(int(m.group(1)) > 0, "no test ran")
