#!/usr/bin/python3
"""Check that x86 stays in arch/: no generic kernel source names an x86 register,
runs an x86 instruction or includes an x86-only header.

  check_arch_leaks.py [ROOT]    prints file:line: what for every leak; exit 1 if any

Scans the C, header and assembly files of the generic kernel (kernel mm fs net lib
drivers include/exo, and any other top-level kernel source directory that appears;
not arch/, usr/, tests/, scripts/, include/uapi). Comments are skipped; code and
string literals are checked for:

  - a pt_regs/sigcontext register field:  ->rax  .rsp  ->orig_rax  .eflags ...
  - inline assembly:  asm(  asm volatile  __asm__  (empty-template compiler
    barriers are allowed in include/exo/compiler.h only)
  - an x86 mnemonic inside a string literal ("rep stosq", "wrmsr", "cpuid" ...)
  - an x86 machine-specific register name:  MSR_*
  - calls to the x86 primitives asm/ wraps:  rdmsr( wrmsr( cpuid( rdtsc( ...
  - an asm/ header that is not on the list generic code may include (docs/arch.md)

Generic code reaches the machine through those asm/ headers' hooks instead; see
docs/arch.md for where each thing goes.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Generic kernel source; any other top-level directory with C in it that is not
# in SKIP_DIRS is scanned too, so a new subsystem cannot slip past.
GENERIC_DIRS = ["kernel", "mm", "fs", "net", "lib", "drivers", "include/exo"]
SKIP_DIRS = {"arch", "usr", "tests", "scripts", "docs", "configs", "build", "include", ".git"}
EXTS = (".c", ".h", ".S")

# The asm/ headers generic code may include: each provides generic-named hooks
# (keep in step with docs/arch.md).
ALLOWED_ASM_HEADERS = {
    "archrandom.h", "barrier.h", "elf.h", "kprof.h", "fpu.h", "futex.h", "io.h", "irq.h", "irqflags.h",
    "memlayout.h", "mmu.h", "paging.h", "percpu.h", "ptrace.h", "spinlock.h", "stacktrace.h",
    "string.h", "switch_to.h", "syscall.h", "thread.h", "timex.h", "uaccess.h",
}

# Names that are x86 registers and nothing else (the two-letter segment names
# and plain "flags" are ordinary field names, so they are left out).
REGS = (r"r[abcd]x|r[sd]i|r[bs]p|r(?:8|9|1[0-5])[dwb]?|rip|eflags|rflags|orig_rax|"
        r"e[abcd]x|e[sd]i|e[bs]p|eip|fs_base|gs_base|fsbase|gsbase|cr[0-8]")
# A struct field access: ->rax, .rsp (not a float literal or ".cs" in a string: strings
# are blanked before this runs).
FIELD_RE = re.compile(r"(?:->|(?<=[\w\)\]])\s*\.)\s*(" + REGS + r")\b")
ASM_RE = re.compile(r"\b(?:__asm__|__asm|asm)\b\s*(?:__volatile__|volatile|goto|inline|\s)*\(")
MSR_RE = re.compile(r"\bMSR_[A-Z0-9_]+\b")
PRIM_RE = re.compile(r"\b(rdmsrl?|wrmsrl?|cpuid(?:_count)?|rdtscp?|read_cr[0-8]|write_cr[0-8]|"
                     r"xgetbv|xsetbv|invlpg|read_rflags|native_\w+|lapic_\w+|ioapic_\w+)\s*\(")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*[<"]asm/([\w/.-]+)[>"]')
# Mnemonics that would only appear in a string as an asm template (an asm()
# is flagged anyway; this catches templates built in macros or tables).
MNEMONICS = (r"rep\s*;?\s*(?:stos|movs|cmps|scas|lods)[bwlq]?|stos[bwlq]|movs[bwlq]|"
             r"rdmsr|wrmsr|cpuid|rdtscp?|swapgs|sysretq?|iretq|invlpg|invpcid|wbinvd|"
             r"lgdt|lidt|lfence|mfence|sfence|xgetbv|xsetbv|"
             r"fxsave|fxrstor|xsave\w*|xrstor\w*|pushfq|popfq|"
             r"lock\s*;?\s*(?:xadd|cmpxchg|inc|dec|add|sub|or|and|xor|bts|btr)[bwlq]?|"
             r"mov[bwlq]?\s+%%?\w+|%%?(?:r[abcd]x|r[sd]i|r[bs]p|cr[0-8])\b")
MNEMONIC_RE = re.compile(r"(?<![\w-])(?:" + MNEMONICS + r")(?![\w-])")
# Mnemonics that are also English words: flagged only in a string made of two or
# more instructions and nothing else ("sti; hlt", "cli\n\thlt").
WORD_MNEMONICS = r"cli|sti|hlt|pause|ltr|stac|clac|nop|ud2|int3"
ASM_SEQUENCE_RE = re.compile(r"^\s*(?:" + WORD_MNEMONICS + r")(?:(?:\s|;|\\n|\\t)+(?:"
                             + WORD_MNEMONICS + r"))+(?:\s|;|\\n|\\t)*$")
STRING_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"')
CHAR_RE = re.compile(r"'(?:[^'\\\n]|\\.)+'")


def strip_comments(text):
    """Blank out comments (keeping newlines, so line numbers stay) and leave code and
    string literals as they are."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def scan_file(path, rel):
    """Yields (line, what) for every leak in one file."""
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError as e:
        yield 0, f"unreadable: {e}"
        return
    code = strip_comments(text)
    is_compiler_h = rel == "include/exo/compiler.h"
    for lineno, line in enumerate(code.split("\n"), 1):
        m = INCLUDE_RE.match(line)
        if m:
            if m.group(1) not in ALLOWED_ASM_HEADERS:
                yield lineno, (f"includes x86-only <asm/{m.group(1)}> "
                               "(generic code may include only the asm/ headers in docs/arch.md)")
            continue
        strings = STRING_RE.findall(line)
        bare = CHAR_RE.sub("' '", STRING_RE.sub('""', line))
        for m in FIELD_RE.finditer(bare):
            yield lineno, f"register field '{m.group(0).strip()}' (use an asm/ hook, docs/arch.md)"
        for m in ASM_RE.finditer(bare):
            if is_compiler_h and re.match(r'\s*""\s*:', line[line.index("(", m.start()) + 1:]):
                continue  # compiler barrier: no instruction
            yield lineno, "inline assembly (put it behind an asm/ hook)"
        for m in MSR_RE.finditer(bare):
            yield lineno, f"x86 MSR '{m.group(0)}'"
        for m in PRIM_RE.finditer(bare):
            yield lineno, f"x86 primitive '{m.group(1)}()' (use an asm/ hook, docs/arch.md)"
        for s in strings:
            for m in MNEMONIC_RE.finditer(s[1:-1]):
                yield lineno, f"x86 instruction '{m.group(0)}' in a string literal"
            if ASM_SEQUENCE_RE.match(s[1:-1]):
                yield lineno, f"x86 instructions {s} in a string literal"


def source_files(root):
    dirs = list(GENERIC_DIRS)
    for d in sorted(os.listdir(root)):
        if d not in SKIP_DIRS and not d.startswith(".") and os.path.isdir(os.path.join(root, d)) \
                and d not in dirs:
            dirs.append(d)
    for d in dirs:
        top = os.path.join(root, d)
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for f in sorted(filenames):
                if f.endswith(EXTS):
                    path = os.path.join(dirpath, f)
                    yield path, os.path.relpath(path, root)


def main():
    root = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else ROOT
    leaks = 0
    files = 0
    for path, rel in source_files(root):
        files += 1
        for lineno, what in scan_file(path, rel):
            print(f"{rel}:{lineno}: {what}")
            leaks += 1
    if leaks:
        print(f"check_arch_leaks: {leaks} x86 leak(s) outside arch/ in {files} files "
              "(see docs/arch.md)")
        return 1
    print(f"check_arch_leaks: {files} files outside arch/, no x86 leaks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
