#!/usr/bin/python3
"""libFuzzer on the ext4 driver (tests/fuzz/ext4_fuzz.c, ASan + UBSan) for a time budget.

  ext4_fuzz.py [--seconds N] [--corpus DIR] [--jobs N]

Builds build/tests/ext4_fuzz (tests/Makefile, clang from Debian's clang package, whose
libclang-rt holds libFuzzer), makes the seed images (build/fuzz/ext4-seeds/: mke2fs -d of
the corruption test's small tree, as ext2, ext3 with a journal, ext4 with and without
metadata_csum, with inline_data, with 2 KiB blocks and meta_bg, and one whose journal
needs recovery), then runs the fuzzer for N seconds (default 600: make fuzz,
FUZZ_SECONDS; the test suite's ext4_libfuzzer runs 45 with --fresh). New inputs go to
the corpus (default build/fuzz/ext4-corpus, kept between runs). A crash, a sanitizer report, a
leak or a hang (10 s on one input) fails the run and names the reproducer
(build/fuzz/ext4-crashes/); `build/tests/ext4_fuzz FILE` replays one.

Prints "ext4_fuzz: N inputs in S s, corpus C, no crash (-seed=K)" on success.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
FUZZER = os.path.join(ROOT, "build", "tests", "ext4_fuzz")
FUZZ_DIR = os.path.join(ROOT, "build", "fuzz")
SEEDS = os.path.join(FUZZ_DIR, "ext4-seeds")
CRASHES = os.path.join(FUZZ_DIR, "ext4-crashes")
MKE2FS = shutil.which("mke2fs") or "/usr/sbin/mke2fs"
E2FSCK = shutil.which("e2fsck") or "/usr/sbin/e2fsck"
DEBUGFS = shutil.which("debugfs") or "/usr/sbin/debugfs"
SEED_VERSION = "3"

# name, mke2fs arguments, size: small, so that libFuzzer's mutations land in metadata.
VARIANTS = [
    ("ext4-csum", ["-t", "ext4", "-b", "1024", "-I", "256", "-O", "^has_journal"], "768K"),
    ("ext4-nocsum", ["-t", "ext4", "-b", "1024", "-I", "256",
                     "-O", "^has_journal,^metadata_csum"], "768K"),
    ("ext4-inline", ["-t", "ext4", "-b", "1024", "-I", "256", "-O", "^has_journal,inline_data"],
     "768K"),
    ("ext4-metabg", ["-t", "ext4", "-b", "2048", "-I", "512",
                     "-O", "^has_journal,^resize_inode,meta_bg,64bit", "-E", "hash_seed="
                     "00000000-0000-0000-0000-000000000000"], "1M"),
    ("ext2", ["-t", "ext2", "-b", "1024", "-I", "128"], "768K"),
    ("ext3", ["-t", "ext3", "-b", "1024", "-J", "size=1"], "3M"),
]


def make_seeds():
    stamp = os.path.join(SEEDS, "version")
    if os.path.exists(stamp) and open(stamp).read() == SEED_VERSION:
        return
    from testsuite.ext4 import make_small_tree, SEED
    shutil.rmtree(SEEDS, ignore_errors=True)
    os.makedirs(SEEDS)
    tmp = tempfile.mkdtemp(prefix="ext4-fuzz-")
    tree = os.path.join(tmp, "tree")
    make_small_tree(tree, SEED)
    env = dict(os.environ, E2FSPROGS_FAKE_TIME="1700000000")
    for name, args, size in VARIANTS:
        image = os.path.join(SEEDS, name + ".img")
        p = subprocess.run([MKE2FS, "-q", "-F", "-N", "400", "-d", tree] + args + [image, size],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        if p.returncode != 0:
            sys.exit(f"ext4_fuzz: mke2fs {name}: {p.stdout}")
        subprocess.run([E2FSCK, "-fyD", image], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env)
    # A journal that needs recovery: debugfs commits a transaction without applying it.
    image = os.path.join(SEEDS, "ext3-replay.img")
    shutil.copyfile(os.path.join(SEEDS, "ext3.img"), image)
    data = os.path.join(tmp, "data")
    with open(data, "wb") as f:
        f.write(b"JOURNAL\n" + b"\0" * 1016)
    blocks = subprocess.run([DEBUGFS, "-R", "blocks /deep/a/f3", image], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True).stdout.split()
    if blocks:
        subprocess.run([DEBUGFS, "-w", "-f", "-", image], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, text=True,
                       input=f"jo\njw -b {blocks[0]} {data}\njc\njo\njw -r {blocks[0]}\njc\n")
    # Directories whose size passes their blocks (a readdir once mapped every hole up to
    # it): an indirect-mapped one and an extent-mapped one with the high size word set,
    # which a directory without largedir ignores.
    for name, src, size in (("ext2-dirsize", "ext2", "0xfffff000"),
                            ("ext4-dirsize", "ext4-nocsum", "0x7ffffffffffff000")):
        image = os.path.join(SEEDS, name + ".img")
        shutil.copyfile(os.path.join(SEEDS, src + ".img"), image)
        p = subprocess.run([DEBUGFS, "-w", "-R", f"sif /deep/a size {size}", image],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0 or "rror" in p.stdout:
            sys.exit(f"ext4_fuzz: debugfs sif on {name}: {p.stdout}")
    shutil.rmtree(tmp)
    with open(stamp, "w") as f:
        f.write(SEED_VERSION)


def build():
    p = subprocess.run(["make", "--no-print-directory", "-C", os.path.join(ROOT, "tests"),
                        f"O={os.path.join(ROOT, 'build', 'tests')}", FUZZER],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        print(p.stdout[-3000:])
        sys.exit("ext4_fuzz: building the fuzzer failed (clang missing? scripts/setup)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=600)
    ap.add_argument("--corpus", default=os.path.join(FUZZ_DIR, "ext4-corpus"))
    ap.add_argument("--seed", type=int, default=0, help="libFuzzer -seed (0: random)")
    ap.add_argument("--fresh", action="store_true",
                    help="start from the seeds alone, in a corpus thrown away after (the "
                         "test suite: replaying a grown corpus would eat a short budget)")
    a = ap.parse_args()
    build()
    make_seeds()
    if a.fresh:
        a.corpus = tempfile.mkdtemp(prefix="ext4-corpus-")
    os.makedirs(a.corpus, exist_ok=True)
    os.makedirs(CRASHES, exist_ok=True)
    seeds = [f for f in glob.glob(os.path.join(SEEDS, "*.img"))]
    max_len = max(os.path.getsize(f) for f in seeds)
    args = [FUZZER, f"-max_total_time={a.seconds}", f"-max_len={max_len}", "-timeout=10",
            "-rss_limit_mb=2048", "-print_final_stats=1", f"-seed={a.seed}",
            f"-artifact_prefix={CRASHES}/", a.corpus, SEEDS]
    print("ext4_fuzz: " + " ".join(os.path.relpath(x, ROOT) if x.startswith(ROOT) else x
                                  for x in args), flush=True)
    before = set(os.listdir(CRASHES))
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       env=dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
                                UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"))
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", p.stdout)
    secs = re.findall(r"Done (\d+) runs in (\d+) second", p.stdout)
    corpus = len(os.listdir(a.corpus))
    new = sorted(set(os.listdir(CRASHES)) - before)
    if p.returncode != 0 or new:
        print(p.stdout[-6000:])
        for f in new:
            print(f"ext4_fuzz: reproducer {os.path.join(CRASHES, f)} "
                  f"(replay: {os.path.relpath(FUZZER, ROOT)} {os.path.join(CRASHES, f)})")
        print(f"ext4_fuzz: FAILED (exit {p.returncode}) after "
              f"{runs[0] if runs else '?'} inputs")
        return 1
    n = int(runs[0]) if runs else int(secs[0][0]) if secs else 0
    seed = re.findall(r"Seed: (\d+)", p.stdout)
    print(f"ext4_fuzz: {n} inputs in {a.seconds} s, corpus {corpus}, no crash"
          f" (-seed={seed[0] if seed else a.seed})")
    if a.fresh:
        shutil.rmtree(a.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
