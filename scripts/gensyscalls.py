#!/usr/bin/python3
"""Generate the system call table and its documentation from arch/x86_64/entry/syscalls/syscall_64.tbl.

  gensyscalls.py table OUT.h    the dispatch table (__SYSCALL(nr, entry) lines) and names
  gensyscalls.py docs OUT.md    the coverage table for docs/syscalls.md
  gensyscalls.py check DOC.md   exit 1 when DOC.md is not what `docs` would write
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TBL = os.path.join(ROOT, "arch", "x86_64", "entry", "syscalls", "syscall_64.tbl")


def read_table():
    rows = []
    for lineno, line in enumerate(open(TBL), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or not parts[0].isdigit():
            sys.exit(f"{TBL}:{lineno}: expected '<number> <name> <entry>', got {line!r}")
        rows.append((int(parts[0]), parts[1], None if parts[2] == "-" else parts[2]))
    numbers = [r[0] for r in rows]
    if len(set(numbers)) != len(numbers):
        sys.exit(f"{TBL}: a system call number appears twice")
    return sorted(rows)


def write_if_changed(path, text):
    if os.path.exists(path) and open(path).read() == text:
        return
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path + ".tmp", "w") as fh:
        fh.write(text)
    os.replace(path + ".tmp", path)


def gen_table(rows):
    out = ["/* Generated from arch/x86_64/entry/syscalls/syscall_64.tbl by scripts/gensyscalls.py; do not edit. */",
           "/* Included several times with different __SYSCALL definitions. */",
           "#ifndef NR_SYSCALLS",
           f"#define NR_SYSCALLS {rows[-1][0] + 1}",
           "#endif"]
    for nr, name, entry in rows:
        if entry:
            out.append(f"__SYSCALL({nr}, {entry})")
    for nr, name, entry in rows:
        out.append(f"__SYSCALL_NAME({nr}, \"{name}\")")
    return "\n".join(out) + "\n"


# Numbers from here on are Exo-OS's own (docs/fusion-rings.md), outside Linux's range.
EXO_BASE = 1024


def gen_docs(rows):
    own = [r for r in rows if r[0] >= EXO_BASE]
    rows = [r for r in rows if r[0] < EXO_BASE]
    done = sum(1 for r in rows if r[2])
    out = ["# System call coverage",
           "",
           "Generated from `arch/x86_64/entry/syscalls/syscall_64.tbl` by `scripts/gensyscalls.py docs`",
           "(`make syscall-docs`); a test fails when this file is out of date.",
           "",
           f"{done} of {len(rows)} Linux x86_64 system calls are implemented. The others",
           "return `-ENOSYS` and log their name once.",
           "",
           "| nr | name | status |",
           "| --- | --- | --- |"]
    for nr, name, entry in rows:
        out.append(f"| {nr} | {name} | {'yes' if entry else '-'} |")
    if own:
        out += ["", f"Exo-OS's own calls, numbered from {EXO_BASE} (outside Linux's range):", "",
                "| nr | name | status |", "| --- | --- | --- |"]
        out += [f"| {nr} | {name} | {'yes' if entry else '-'} |" for nr, name, entry in own]
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("table", "docs", "check"):
        sys.exit(__doc__)
    rows = read_table()
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "table":
        write_if_changed(path, gen_table(rows))
    elif cmd == "docs":
        write_if_changed(path, gen_docs(rows))
    elif not os.path.exists(path) or open(path).read() != gen_docs(rows):
        sys.exit(f"{path} is out of date with arch/x86_64/entry/syscalls/syscall_64.tbl: run make syscall-docs")


if __name__ == "__main__":
    main()
