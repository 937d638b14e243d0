#!/usr/bin/python3
"""Write the kernel symbol table as assembly for the .ksymtab section.

Usage: mksymtab.py NM_OUTPUT OUT.S
NM_OUTPUT is `nm -n -S --defined-only exo.elf` of the first link. Only text
symbols (t/T/w/W in .text) go in: they are what backtraces need. The layout
matches kernel/ksym.c.
"""
import sys

MAGIC = 0x4d59534b4f584555


def main():
    src, dst = sys.argv[1], sys.argv[2]
    syms = []
    for line in open(src):
        parts = line.split()
        if len(parts) == 4:
            addr, size, kind, name = parts
        elif len(parts) == 3:
            addr, kind, name = parts
            size = "0"
        else:
            continue
        if kind not in "tTwW":
            continue
        syms.append((int(addr, 16), int(size, 16), name))
    syms.sort()
    # One name per address: prefer the global, sized symbol.
    uniq = {}
    for addr, size, name in syms:
        if addr not in uniq or (size and not uniq[addr][0]):
            uniq[addr] = (size, name)
    out = [".section .ksymtab, \"a\"", ".balign 8", ".globl ksymtab", "ksymtab:",
           f".quad {MAGIC:#x}", f".quad {len(uniq)}"]
    names, offset = [], 0
    for addr in sorted(uniq):
        size, name = uniq[addr]
        out.append(f".quad {addr:#x}; .long {min(size, 0xffffffff)}; .long {offset}")
        names.append(name)
        offset += len(name) + 1
    for name in names:
        out.append(f".asciz \"{name}\"")
    open(dst, "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
