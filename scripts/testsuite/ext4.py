"""ext2/ext3/ext4 read-only (fs/ext4, docs/ext4.md): images made here with mke2fs -d from a
generated tree, read in the guest and compared with what Linux shows of the same image.

The tree (make_tree, fixed seed): a few thousand files of awkward sizes in nested
directories, a 40-level deep path, a directory of 10,000 entries (an htree once e2fsck -D
indexes it), a sparse file past 4 GiB, a sparse file of 1,400 one-block islands (an extent
tree of depth 2), fast, slow, dangling and 59/60/61-byte symlinks, hard links, character and
block devices (old and new number encodings), a FIFO, a socket, user.* xattrs in the inode
and in a block, setuid/setgid/sticky modes and 32-bit owners.

Each variant's image is loop-mounted read-only on the host and walked with
usr/examples/fswalk (the same program the guest runs): path, type, size, mode, links,
owner, mtime, sha256 of data, symlink target, device numbers, xattrs. The guest mounts
every image (one disk each) and prints the sha256 of its own listing; a mismatch boots
again to print the guest's listing and shows the first differing lines. Without root
(no loop mount) the expectation is the walker run on the source tree (mke2fs -d keeps
whole seconds only, so nanoseconds are cut there)."""
import concurrent.futures
import hashlib
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile

from testsuite.common import test, check, expect_clean_exit, expect_line, qemu, ahead, needs

DIR = os.path.join(qemu.BUILD, "ext4")
FSWALK = os.path.join(qemu.BUILD, "usr", "root", "usr", "bin", "fswalk")
MKE2FS = shutil.which("mke2fs") or "/usr/sbin/mke2fs"
E2FSCK = shutil.which("e2fsck") or "/usr/sbin/e2fsck"
TIMEOUT = 600
SEED = 14
IMAGE_SIZE = "96M"

# name, mount type, mke2fs arguments, commands run on the image (its path appended) before
# e2fsck -fD reindexes the directories
VARIANTS = [
    ("ext2", "ext2", ["-t", "ext2", "-b", "4096", "-I", "256"], []),
    ("ext3", "ext3", ["-t", "ext3", "-b", "4096", "-I", "256"], []),
    ("ext4", "ext4", ["-t", "ext4", "-b", "4096", "-I", "256"], []),
    ("ext4-1k", "ext4", ["-t", "ext4", "-b", "1024", "-I", "256"], []),
    ("ext4-noextent", "ext4", ["-t", "ext4", "-b", "4096", "-I", "256", "-O", "^extent,^64bit"], []),
    ("ext4-inline", "ext4", ["-t", "ext4", "-b", "4096", "-I", "256", "-O", "inline_data"], []),
    ("ext4-nocsum-32bit", "ext4",
     ["-t", "ext4", "-b", "4096", "-I", "256", "-O", "^metadata_csum,^64bit"], []),
    ("ext4-metabg-tea", "ext4",
     ["-t", "ext4", "-b", "2048", "-I", "512", "-O", "meta_bg,^resize_inode"],
     [["tune2fs", "-E", "hash_alg=tea"]]),
    ("ext2-128-legacy-unsigned", "ext2", ["-t", "ext2", "-b", "1024", "-I", "128"],
     [["tune2fs", "-E", "hash_alg=legacy"], ["debugfs", "-w", "-R", "ssv flags 2"]]),
]


def have_mke2fs():
    check(os.path.exists(MKE2FS), "mke2fs is missing: run scripts/setup (Debian package e2fsprogs)")


def make_tree(root, seed=SEED, nfiles=2500, big=10000):
    """The source tree every image is made from; the same bytes for the same seed."""
    rng = random.Random(seed)
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(root)
    j = lambda *p: os.path.join(root, *p)  # noqa: E731
    dirs = [""]
    for i in range(80):
        d = os.path.join(rng.choice(dirs), f"d{i:02d}")
        os.mkdir(j(d))
        dirs.append(d)
    sizes = [0, 1, 59, 60, 61, 100, 1023, 1024, 1025, 2048, 4095, 4096, 4097, 8192, 12289, 65537]
    for i in range(nfiles):
        size = rng.choice(sizes) if rng.random() < 0.5 else rng.randrange(20000)
        with open(j(rng.choice(dirs), f"f{i:04d}"), "wb") as f:
            f.write(rng.randbytes(size))
    deep = os.path.join("deep", *[f"level{i:02d}" for i in range(40)])
    os.makedirs(j(deep))
    with open(j(deep, "bottom"), "w") as f:
        f.write("the bottom of a 40-level path\n")
    os.mkdir(j("big"))
    for i in range(big):
        open(j("big", f"entry-{i:05d}-{rng.randrange(1 << 32):08x}"), "w").close()
    with open(j("sparse-5g"), "wb") as f:
        f.write(rng.randbytes(5000))
        f.seek((4 << 30) + 12345)
        f.write(rng.randbytes(7000))
        f.truncate((5 << 30) + 77)
    with open(j("islands"), "wb") as f:
        for i in range(1400):
            f.seek(i * 8192)
            f.write(rng.randbytes(512))
    with open(j("medium"), "wb") as f:
        f.write(rng.randbytes(3 * 1024 * 1024 + 17))
    os.symlink("f-target", j("fast-link"))
    os.symlink("x" * 59, j("link-59"))
    os.symlink("y" * 60, j("link-60"))
    os.symlink("z" * 61, j("link-61"))
    os.symlink("/".join(["slow"] * 60), j("slow-link"))
    os.symlink("/nonexistent/target", j("dangling"))
    os.symlink("deep/level00", j("dir-link"))
    with open(j("linked"), "w") as f:
        f.write("three names\n")
    os.link(j("linked"), j("d00", "linked-2"))
    os.link(j("linked"), j("deep", "linked-3"))
    specials = os.getuid() == 0
    if specials:
        os.mknod(j("null"), 0o20666, os.makedev(1, 3))
        os.mknod(j("tty64"), 0o20620, os.makedev(4, 64))
        os.mknod(j("sda1"), 0o60660, os.makedev(8, 1))
        os.mknod(j("bignum"), 0o60600, os.makedev(259, 70000))
    os.mkfifo(j("fifo"))
    s = socket.socket(socket.AF_UNIX)
    s.bind(j("socket"))
    s.close()
    with open(j("xattrs"), "w") as f:
        f.write("attributes\n")
    os.setxattr(j("xattrs"), "user.short", b"v")
    os.setxattr(j("xattrs"), "user.empty", b"")
    os.setxattr(j("d00"), "user.on-a-dir", b"dir value")
    with open(j("xattr-block"), "w") as f:
        f.write("a big attribute\n")
    os.setxattr(j("xattr-block"), "user.big", rng.randbytes(800))
    os.setxattr(j("xattr-block"), "user.second", b"2" * 100)
    with open(j("erofs-file"), "w") as f:
        f.write("erofs\n")
    os.mkdir(j("erofs-dir"))
    for name, mode in (("setuid", 0o4755), ("setgid", 0o2750), ("nothing", 0o000)):
        with open(j(name), "w") as f:
            f.write(name + "\n")
        os.chmod(j(name), mode)
    os.mkdir(j("sticky"))
    os.chmod(j("sticky"), 0o1777)
    if specials:
        os.chown(j("d01"), 1000, 1000)
        os.chown(j("xattrs"), 70000, 70001)
        os.lchown(j("fast-link"), 65534, 65534)
    # Fixed times, children before their directories.
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames + dirnames:
            t = 1_600_000_000 + rng.randrange(200_000_000)
            os.utime(os.path.join(dirpath, name), ns=(t * 10**9, t * 10**9 + rng.randrange(10**9)),
                     follow_symlinks=False)
    return specials


def mkfs(name, tree, args, cmds):
    path = os.path.join(DIR, name + ".img")
    if os.path.exists(path):
        os.unlink(path)
    p = subprocess.run([MKE2FS, "-q", "-F", "-N", "20000", "-d", tree, "-L", name] + args
                       + [path, IMAGE_SIZE], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, env=dict(os.environ, E2FSPROGS_FAKE_TIME="1700000000"))
    check(p.returncode == 0, f"mke2fs {name}: {p.stdout}")
    for cmd in cmds:
        p = subprocess.run([shutil.which(cmd[0]) or "/usr/sbin/" + cmd[0]] + cmd[1:] + [path],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        check(p.returncode == 0, f"{' '.join(cmd)}: {p.stdout}")
    # -D indexes every directory of more than one block (htree), with the super block's hash.
    p = subprocess.run([E2FSCK, "-fyD", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    check(p.returncode in (0, 1), f"e2fsck -fyD {name}: {p.returncode} {p.stdout[-2000:]}")
    return path


def walk_listing(target, blocks=False):
    """fswalk -x of @target; with @blocks each line has st_blocks too (same image only)."""
    p = subprocess.run([FSWALK, "-x"] + (["-b"] if blocks else []) + [target],
                       stdout=subprocess.PIPE, text=True)
    return p.stdout


def host_listing(image, tree):
    """What Linux shows of @image (a read-only loop mount), or of @tree when we cannot mount."""
    mnt = tempfile.mkdtemp(prefix="exo-ext4-")
    try:
        if os.getuid() == 0 and subprocess.run(
                ["mount", "-o", "loop,ro,noload", image, mnt], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL).returncode == 0:
            try:
                return walk_listing(mnt, blocks=True)
            finally:
                subprocess.run(["umount", mnt])
    finally:
        os.rmdir(mnt)
    return re.sub(r"mtime=(\d+)\.\d{9}", r"mtime=\1.000000000", walk_listing(tree))


def boot_ext4(name, steps, disks, mem="512M", timeout=TIMEOUT, extra=(), smp=1):
    cmdline = "debug_exit init=/init -- --no-rc --exit-after=/bin/sh /usr/share/exotest/ext4.sh "
    r = qemu.boot(name, cmdline + " ".join(steps), mem=mem, timeout=timeout, smp=smp,
                  extra=list(extra) + qemu.disk_args(disks))
    check(not r.timed_out, f"the guest hung (no end after {timeout} s): see {r.log_path}")
    check(not r.panicked, "kernel panicked")
    expect_line(r, r"^ext4: done, status \d+", "the guest's steps ended")
    return r


def guest_listing(name, dev, fstype, disks, blocks):
    """The guest's full listing of /dev/@dev, for a diff."""
    r = boot_ext4(name + "_listing", [f"walk={dev},{fstype}" + (",b" if blocks else "")], disks)
    m = re.search(rf"^ext4: walk {dev} begin\n(.*?)^ext4: walk {dev} end$", r.log,
                  re.MULTILINE | re.DOTALL)
    return m.group(1) if m else r.log[-3000:]


def first_differences(want, got, n=8):
    w, g = want.splitlines(), got.splitlines()
    ws, gs = set(w), set(g)
    missing = [line for line in w if line not in gs][:n]
    extra = [line for line in g if line not in ws][:n]
    return "expected, not seen:\n  " + "\n  ".join(missing) + "\nseen, not expected:\n  " + \
        "\n  ".join(extra)


def cache_key(*parts):
    """Images depend on this file (the tree and the variants), the walker and mke2fs."""
    h = hashlib.sha256()
    for path in (os.path.abspath(__file__), FSWALK, MKE2FS):
        with open(path, "rb") as f:
            h.update(f.read())
    h.update(repr(parts).encode())
    return h.hexdigest()


def variant_images(variants):
    """(image, host listing) of each variant, made again only when their inputs changed;
    two at a time (mke2fs -d and e2fsck are single-threaded)."""
    os.makedirs(DIR, exist_ok=True)
    tree = os.path.join(DIR, "tree")
    stale = []
    for name, fstype, args, cmds in variants:
        image = os.path.join(DIR, name + ".img")
        stamp, saved = image + ".key", image + ".listing"
        key = cache_key(name, args, cmds, os.getuid())
        if not (os.path.exists(image) and os.path.exists(saved) and os.path.exists(stamp)
                and open(stamp).read() == key):
            stale.append((name, args, cmds, image, stamp, saved, key))
    if stale:
        make_tree(tree)

    def make(item):
        name, args, cmds, image, stamp, saved, key = item
        mkfs(name, tree, args, cmds)
        listing = host_listing(image, tree)
        check("fswalk: end, status 0" in listing, f"the host walk of {name} failed")
        with open(saved, "w") as f:
            f.write(listing)
        with open(stamp, "w") as f:
            f.write(key)

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        list(pool.map(make, stale))
    out = []
    for name, _, _, _ in variants:
        image = os.path.join(DIR, name + ".img")
        with open(image + ".listing") as f:
            out.append((image, f.read()))
    return out


@ahead
def variant_images_ahead():
    return variant_images(VARIANTS)


@test
@needs(variant_images_ahead)
def ext4_images_match_linux():
    """Nine images (ext2, ext3, ext4 defaults with metadata_csum and 64bit, 1 KiB blocks,
    no extents, inline_data, no metadata_csum and 32-bit descriptors, meta_bg with 2 KiB
    blocks, 512-byte inodes and the TEA hash, ext2 with 128-byte inodes and the unsigned
    legacy hash), attached as vda..vdi in one boot: the guest's listing of each (every
    file's type, size, mode, links, owner, mtime, st_blocks, data sha256, symlink target, device
    numbers, user xattrs) equals Linux's listing of the same image. A mount without -o ro
    is read-only (/proc/mounts "ro"); every write is EROFS; statfs (df); umount."""
    have_mke2fs()
    disks, want, steps = [], {}, []
    for i, ((name, fstype, _, _), (image, listing)) in enumerate(
            zip(VARIANTS, variant_images_ahead())):
        dev = "vd" + chr(ord("a") + i)
        want[dev] = (name, fstype, listing)
        disks.append(image)
        # st_blocks too when Linux's listing came from the image itself (a loop mount).
        steps.append(f"sum={dev},{fstype}" + (",b" if " blocks=" in listing else ""))
    steps.append("rw=vdc")
    # Two CPUs: ext4.sh walks two images at once (most of this test's time).
    r = boot_ext4("ext4_images_match_linux", steps, disks, smp=2)
    expect_clean_exit(r)
    # A mount without -o ro is read-only anyway; every write is EROFS; umount works.
    expect_line(r, r"^/dev/vdc /mnt/vdc ext4 ro,relatime 0 0$", "/proc/mounts: /dev/vdc read-only")
    erofs = re.findall(r"^erofs (.*): (.*)$", r.log, re.MULTILINE)
    check(len(erofs) == 17 and all(res == "Read-only file system" or res == "ST_RDONLY"
                                   for _, res in erofs), f"writes on a read-only ext4: {erofs}")
    expect_line(r, r"^/dev/vdc\s+\d+\s+\d+\s+\d+\s+\d+% /mnt/vdc$", "df of the mount (statfs)")
    expect_line(r, r"^ext4: step rw=vdc(?:\n.*)*?\n0$", "no /dev/vdc line in /proc/mounts after umount")
    for dev, (name, fstype, listing) in want.items():
        m = re.search(rf"^ext4: sum {dev} ([0-9a-f]{{64}})  -$", r.log, re.MULTILINE)
        check(m, f"{name} ({dev}): no listing sum from the guest")
        if m.group(1) != hashlib.sha256(listing.encode()).hexdigest():
            got = guest_listing("ext4_images_match_linux_" + name, dev, fstype, disks,
                                " blocks=" in listing)
            check(False, f"{name} ({dev}): the guest's listing differs from Linux's\n"
                  + first_differences(listing, got))
    errs = re.findall(r"^\[[ \d.]+\] EXT4-fs .*corrupt.*$", r.log, re.MULTILINE)
    check(not errs, "corruption reported on good images: " + "; ".join(errs[:4]))


@ahead
def root_image():
    """build/ext4/root.img: the userland's root tree (build/usr/root) with the directories a
    root file system needs, made read-only-ready with mke2fs -t ext4 -d."""
    tree = os.path.join(DIR, "root-tree")
    if os.path.exists(tree):
        shutil.rmtree(tree)
    shutil.copytree(os.path.join(qemu.BUILD, "usr", "root"), tree, symlinks=True)
    for d in ("dev", "proc", "sys", "tmp", "mnt", "root"):
        os.makedirs(os.path.join(tree, d), exist_ok=True)
    image = os.path.join(DIR, "root.img")
    if os.path.exists(image):
        os.unlink(image)
    p = subprocess.run([MKE2FS, "-q", "-F", "-t", "ext4", "-d", tree, "-L", "exoroot", image, "64M"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, f"mke2fs root.img: {p.stdout}")
    return image


def suite_summary(log, what):
    m = re.search(r"^(\d+) passed, (\d+) failed$", log, re.MULTILINE)
    check(m, f"no summary from {what}")
    fails = re.findall(r"^FAIL (.*)$", log, re.MULTILINE)
    check(m.group(2) == "0" and not fails, f"{what} on an ext4 root: {m.group(0)}: " + "; ".join(fails[:6]))
    check(int(m.group(1)) > 0, f"{what}: no test ran")


@test
@needs(root_image)
def ext4_root_boot():
    """root=/dev/vda rootfstype=ext4: the kernel mounts the image (made from the userland's
    root tree) as / in place of the initramfs, devtmpfs on its /dev, and runs /init from it;
    /proc/mounts shows /dev/vda on / read-only, a program stored on ext4 runs, and the
    shell's and core utilities' suites pass with only /tmp writable (a tmpfs). The caches
    (docs/ext4.md): a walk of /usr lists the same cold, warm and after drop_caches 3 with
    the root in use, a missing name is ENOENT twice (its negative dentry), a program
    runs after drop_caches 2."""
    have_mke2fs()
    image = root_image()
    cmdline = ("root=/dev/vda rootfstype=ext4 debug_exit init=/init -- --no-rc "
               "--exit-after=/bin/sh /usr/share/exotest/ext4.sh root cache=/usr "
               "suite=coreutils suite=sh")
    r = qemu.boot("ext4_root_boot", cmdline, mem="512M", timeout=TIMEOUT,
                  extra=["-rtc", "base=2024-01-01T00:00:00"] + qemu.disk_args([image]))
    check(not r.timed_out and not r.panicked, "the guest hung or panicked")
    expect_line(r, r"vfs: mounted /dev/vda \(ext4\) as /$", "the kernel mounted root=")
    expect_line(r, r"^/dev/vda / ext4 ro,relatime 0 0$", "/proc/mounts: /dev/vda on /")
    expect_line(r, r"^hello from /usr/bin/hello", "a program run from the ext4 root")
    m = re.search(r"^ext4: cache ([0-9a-f]{64}) ([0-9a-f]{64}) ([0-9a-f]{64})$", r.log,
                  re.MULTILINE)
    check(m and m.group(1) == m.group(2) == m.group(3),
          "the walk of /usr differs warm or after drop_caches: " + (m.group(0) if m else "none"))
    expect_line(r, r"^ext4: cache missing=[12],[12]$", "a missing name fails twice")
    check(len(re.findall(r"^hello from /usr/bin/hello", r.log, re.MULTILINE)) >= 2,
          "a program runs from the ext4 root after drop_caches")
    parts = re.split(r"^ext4: step ", r.log, flags=re.MULTILINE)
    coreutils = next(p for p in parts if p.startswith("suite=coreutils"))
    sh = next(p for p in parts if p.startswith("suite=sh"))
    suite_summary(coreutils, "the coreutils suite")
    suite_summary(sh, "the sh suite")
    expect_line(r, r"^ext4: done, status 0", "every step passed")
    expect_clean_exit(r)


def make_small_tree(root, seed):
    """A small tree touching every kind of metadata: an htree directory, a deep path, an
    extent tree of depth 1, both symlink kinds, xattrs in the inode and in a block, device
    nodes, a FIFO, hard links."""
    rng = random.Random(seed)
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(os.path.join(root, "deep", "a", "b", "c", "d"))
    os.mkdir(os.path.join(root, "wide"))
    for i in range(300):
        with open(os.path.join(root, "wide", f"name-{i:03d}-{rng.randrange(1 << 20):05x}"), "w") as f:
            f.write(str(i))
    for i in range(20):
        with open(os.path.join(root, "deep", "a", f"f{i}"), "wb") as f:
            f.write(rng.randbytes(rng.choice([0, 10, 100, 1500, 5000, 20000])))
    with open(os.path.join(root, "islands"), "wb") as f:
        for i in range(30):
            f.seek(i * 4096)
            f.write(rng.randbytes(100))
    os.symlink("deep/a/f1", os.path.join(root, "fast"))
    os.symlink("/".join(["deep"] * 30), os.path.join(root, "slow"))
    os.link(os.path.join(root, "deep", "a", "f2"), os.path.join(root, "hard"))
    os.mkfifo(os.path.join(root, "fifo"))
    if os.getuid() == 0:
        os.mknod(os.path.join(root, "null"), 0o20666, os.makedev(1, 3))
    with open(os.path.join(root, "attrs"), "w") as f:
        f.write("x")
    os.setxattr(os.path.join(root, "attrs"), "user.small", b"1")
    os.setxattr(os.path.join(root, "attrs"), "user.large", rng.randbytes(600))


def metadata_blocks(image, tree, bs):
    """The image's blocks worth corrupting: every block that is not all zeros and is not
    file data (debugfs 'blocks' of each regular file and slow symlink), the super block's
    first."""
    data = set()
    paths = []
    for dirpath, dirnames, filenames in os.walk(tree):
        for name in filenames:
            full = os.path.join(dirpath, name)
            if os.path.isfile(full) or os.path.islink(full):
                paths.append("/" + os.path.relpath(full, tree))
    with tempfile.NamedTemporaryFile("w", suffix=".cmds", delete=False) as f:
        for path in paths:
            f.write(f"blocks {path}\n")
        cmds = f.name
    p = subprocess.run([shutil.which("debugfs") or "/usr/sbin/debugfs", "-f", cmds, image],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    os.unlink(cmds)
    for line in p.stdout.splitlines():
        if not line.startswith("debugfs"):
            data.update(int(w) for w in line.split() if w.isdigit())
    sb_block = 1024 // bs
    out = [sb_block]
    with open(image, "rb") as f:
        img = f.read()
    for b in range(len(img) // bs):
        if b != sb_block and b not in data and img[b * bs:(b + 1) * bs].strip(b"\0"):
            out.append(b)
    return out


FUZZ = [
    # name, mke2fs arguments, variants, strict (metadata_csum: correct data or an error).
    # 480 in all (600 before ext4_libfuzzer, which runs the same parsers on ~3,000 inputs
    # on the host, paid for its 45 s).
    ("fuzz-csum", ["-t", "ext4", "-b", "1024", "-I", "256"], 200, 1),
    ("fuzz-nocsum", ["-t", "ext4", "-b", "1024", "-I", "256", "-O", "^metadata_csum"], 200, 0),
    ("fuzz-ext2", ["-t", "ext2", "-b", "1024", "-I", "128"], 80, 0),
]


@ahead
def fuzz_images(scale):
    """The images ext4_corrupt_images attaches (each variant's image, its scratch copy and
    its list of metadata blocks) and the guest steps that fuzz them."""
    have_mke2fs()
    os.makedirs(DIR, exist_ok=True)
    tree = os.path.join(DIR, "small-tree")
    make_small_tree(tree, SEED)
    disks, steps = [], []
    for n, (name, args, count, strict) in enumerate(FUZZ):
        count *= scale
        image = os.path.join(DIR, name + ".img")
        if os.path.exists(image):
            os.unlink(image)
        p = subprocess.run([MKE2FS, "-q", "-F", "-N", "512", "-d", tree] + args + [image, "2M"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        check(p.returncode == 0, f"mke2fs {name}: {p.stdout}")
        p = subprocess.run([E2FSCK, "-fyD", image], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        check(p.returncode in (0, 1), f"e2fsck -fyD {name}: {p.stdout[-1000:]}")
        scratch = os.path.join(DIR, name + ".scratch")
        shutil.copyfile(image, scratch)
        blist = os.path.join(DIR, name + ".list")
        blocks = metadata_blocks(image, tree, 1024)
        with open(blist, "wb") as f:
            text = ("bs 1024\n" + " ".join(map(str, blocks)) + "\n").encode()
            f.write(text + b"\0" * (-len(text) % 4096 or 4096))
        devs = ["vd" + chr(ord("a") + 3 * n + k) for k in range(3)]
        disks += [image, scratch, blist]
        steps.append(f"fuzz={devs[0]},{devs[1]},{devs[2]},{count},{SEED + n},{strict}")
    return disks, steps


@test
@needs(fuzz_images, int(os.environ.get("EXT4_FUZZ_SCALE", "1")))
def ext4_corrupt_images():
    """A seeded loop in the guest (fswalk -F) flips 1-8 bits in the metadata blocks of small
    images (super block, descriptors, inode tables, extent and indirect blocks, directory
    blocks, htree roots and nodes, xattr blocks) and mounts and walks each variant: of an ext4 with metadata_csum, one without and an ext2, in one boot (480 in all,
    about 3 minutes under TCG; EXT4_FUZZ_SCALE=N multiplies the counts). Nothing
    panics or hangs; on the metadata_csum image every line the walk prints is the intact
    image's or an error (EUCLEAN/EBADMSG/EIO), never wrong data."""
    scale = int(os.environ.get("EXT4_FUZZ_SCALE", "1"))
    disks, steps = fuzz_images(scale)
    r = boot_ext4("ext4_corrupt_images", steps, disks, timeout=600 * scale)
    wrong = re.findall(r"^fuzz: wrong .*$", r.log, re.MULTILINE)
    check(not wrong, "wrong data from a corrupted metadata_csum image:\n" + "\n".join(wrong[:6]))
    sums = re.findall(r"^fuzz: (\d+) variants, (\d+) mounted, (\d+) refused.*$", r.log, re.MULTILINE)
    check(len(sums) == len(FUZZ), f"{len(sums)} of {len(FUZZ)} fuzz loops finished")
    for (name, _, count, _), (n, mounted, refused) in zip(FUZZ, sums):
        check(int(n) == count * scale and int(mounted) > 0 and int(refused) > 0,
              f"{name}: {n} variants, {mounted} mounted, {refused} refused")
    expect_line(r, r"^ext4: done, status 0", "every guest step passed")
    expect_clean_exit(r)


def journal_image():
    """An ext4 whose journal needs recovery: debugfs writes two committed transactions
    without applying them (the first gives three files' data blocks new contents, the
    second revokes one of them), as an unclean shutdown leaves it."""
    tree = os.path.join(DIR, "journal-tree")
    if os.path.exists(tree):
        shutil.rmtree(tree)
    os.makedirs(tree)
    for name in ("hello", "other", "third"):
        with open(os.path.join(tree, name), "w") as f:
            f.write(name + "\n")
    image = os.path.join(DIR, "journal.img")
    if os.path.exists(image):
        os.unlink(image)
    p = subprocess.run([MKE2FS, "-q", "-F", "-t", "ext4", "-b", "1024", "-d", tree, image, "8M"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, f"mke2fs journal.img: {p.stdout}")
    debugfs = shutil.which("debugfs") or "/usr/sbin/debugfs"
    blocks = [subprocess.run([debugfs, "-R", f"blocks /{n}", image], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True).stdout.strip()
              for n in ("hello", "other", "third")]
    data = os.path.join(DIR, "journal-data")
    with open(data, "wb") as f:
        for w in (b"JOURNAL\n", b"REVOKED\n", b"THIRD!\n"):
            f.write(w + b"\0" * (1024 - len(w)))
    script = f"jo\njw -b {','.join(blocks)} {data}\njc\njo\njw -r {blocks[1]}\njc\n"
    p = subprocess.run([debugfs, "-w", "-f", "-", image], input=script, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, f"debugfs journal writes: {p.stdout}")
    return image


@test
def ext4_journal_replay():
    """An image whose journal needs recovery (two committed transactions, the second
    revoking a block of the first) reads in the guest as Linux shows it after its own
    replay (a loop mount of a copy), which differs from the device as it is (noload):
    the journal is replayed in memory, revokes honoured, the device never written."""
    have_mke2fs()
    check(os.getuid() == 0, "needs root for Linux's loop mount (the reference)")
    os.makedirs(DIR, exist_ok=True)
    image = journal_image()
    with open(image, "rb") as f:
        before = f.read()
    listings = {}
    for opts in ("loop", "loop,ro,noload"):
        copy = image + ".copy"
        shutil.copyfile(image, copy)
        mnt = tempfile.mkdtemp(prefix="exo-ext4-")
        check(subprocess.run(["mount", "-o", opts, copy, mnt]).returncode == 0, f"mount -o {opts}")
        try:
            listings[opts] = walk_listing(mnt)
        finally:
            subprocess.run(["umount", mnt])
            os.rmdir(mnt)
            os.unlink(copy)
    check(listings["loop"] != listings["loop,ro,noload"], "the journal changes nothing: a useless test")
    r = boot_ext4("ext4_journal_replay", ["walk=vda,ext4"], [image])
    expect_clean_exit(r)
    expect_line(r, r"journal replayed in memory: 2 transactions", "the replay's log line")
    m = re.search(r"^ext4: walk vda begin\n(.*?)^ext4: walk vda end$", r.log, re.MULTILINE | re.DOTALL)
    check(m, "no listing from the guest")
    check(m.group(1) == listings["loop"], "the guest's listing is not Linux's after replay\n"
          + first_differences(listings["loop"], m.group(1)))
    with open(image, "rb") as f:
        check(f.read() == before, "the read-only mount wrote to the device")


# The host fuzz run's budget in make test (make fuzz runs FUZZ_SECONDS, default 600).
LIBFUZZER_SECONDS = 45


@ahead
def libfuzzer_run():
    return subprocess.run([sys.executable, os.path.join(qemu.ROOT, "scripts", "ext4_fuzz.py"),
                           "--seconds", str(LIBFUZZER_SECONDS), "--fresh"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@test
@needs(libfuzzer_run)
def ext4_libfuzzer():
    """libFuzzer (clang, ASan + UBSan) on the whole ext4 driver built for the host
    (tests/fuzz/ext4_fuzz.c: mount, journal replay, readdir, lookups through the htree,
    file data, symlinks, xattrs) for 45 s from seed images mke2fs makes (ext2, ext3 with a
    journal and one needing replay, ext4 with and without metadata_csum, inline_data,
    meta_bg): a crash, sanitizer report, leak or hang fails with the reproducer's path.
    Each run starts from the seeds (make fuzz keeps a corpus in build/fuzz/ext4-corpus)."""
    p = libfuzzer_run()
    print("\n".join(line for line in p.stdout.splitlines() if line.startswith("ext4_fuzz:")))
    m = re.search(r"^ext4_fuzz: (\d+) inputs in \d+ s, corpus (\d+), no crash", p.stdout,
                  re.MULTILINE)
    check(p.returncode == 0 and m, "libFuzzer found a problem:\n" + p.stdout[-4000:])
    check(int(m.group(1)) >= 200, f"only {m.group(1)} inputs ran in {LIBFUZZER_SECONDS} s")
