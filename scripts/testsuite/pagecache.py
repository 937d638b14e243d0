"""Page cache: reclaim, read-ahead and periodic write-back on a virtio disk.

The image is a sparse 512 MiB raw file whose 4 KiB block N starts with N as a
little-endian u64 (usr/examples/pgcachecheck.c checks it in the guest). With
-m 128M, reading all of it only works if clean cache pages are reclaimed."""
import os
import re
import struct

from testsuite.common import test, check, expect_clean_exit, expect_line, qemu

BLK = 4096


def pattern_image(name, size_mib):
    path = os.path.join(qemu.BUILD, name)
    with open(path, "wb") as f:
        f.truncate(size_mib << 20)
        for n in range((size_mib << 20) // BLK):
            f.seek(n * BLK)
            f.write(struct.pack("<Q", n))
    return path


def boot_pgcachecheck(name, args, img, mem="128M", timeout=400, done_marker=None):
    cmdline = f"debug_exit init=/usr/bin/pgcachecheck -- {args}"
    iso = qemu.iso_for_cmdline(cmdline)
    return qemu.boot_iso(name, iso, mem=mem, timeout=timeout, extra=qemu.disk_args([img]),
                         done_marker=done_marker)


@test
def pagecache_read_disk_larger_than_ram():
    """128 MiB of RAM reads a 512 MiB disk to the end, every block right; MemFree recovers."""
    img = pattern_image("pagecache-512m.img", 512)
    r = boot_pgcachecheck("pagecache_read_disk_larger_than_ram", "read /dev/vda", img, timeout=600)
    check(not r.panicked and not r.timed_out, "the guest panicked or hung")
    m = expect_line(r, r"^pgcachecheck: read (\d+) bytes, (\d+) blocks, (\d+) bad", "the read summary")
    check(int(m.group(1)) == 512 << 20, f"read {m.group(1)} bytes, not 512 MiB")
    check(int(m.group(3)) == 0, f"{m.group(3)} blocks with the wrong number")
    m = expect_line(r, r"^pgcachecheck: MemFree (\d+) kB before, (\d+) kB after, (\d+) kB after drop_caches",
                    "MemFree figures")
    before, dropped = int(m.group(1)), int(m.group(3))
    check(dropped >= before - 8 * 1024, f"MemFree {dropped} kB after drop_caches, {before} kB before")
    expect_clean_exit(r)


@test
def pagecache_readahead_requests():
    """256 sequential 4 KiB reads reach the disk as far fewer requests (read-ahead windows)."""
    img = pattern_image("pagecache-64m.img", 64)
    r = boot_pgcachecheck("pagecache_readahead_requests", "ra /dev/vda", img, mem="256M", timeout=120)
    m = expect_line(r, r"^pgcachecheck: 256 sequential 4 KiB reads took (-?\d+) read requests",
                    "the request count")
    n = int(m.group(1))
    check(0 < n <= 32, f"{n} read requests for 1 MiB of 4 KiB reads (no read-ahead: 256)")
    expect_clean_exit(r)


@test
def pagecache_periodic_writeback():
    """Dirty pages reach the image by the flusher alone: no sync, no close, QEMU killed."""
    img = pattern_image("pagecache-wb.img", 16)
    r = boot_pgcachecheck("pagecache_periodic_writeback", "wb /dev/vda", img, mem="256M", timeout=120,
                      done_marker="pgcachecheck: wb done")
    check(not r.panicked, "the guest panicked")
    m = expect_line(r, r"^pgcachecheck: write requests right after the writes: (\d+)", "first count")
    check(int(m.group(1)) == 0, f"{m.group(1)} write requests before the expire time")
    m = expect_line(r, r"^pgcachecheck: write requests 8 s later: (\d+)", "second count")
    check(int(m.group(1)) > 0, "no write request from the flusher")
    check("power" not in r.log.split("pgcachecheck: wb done")[-1].lower(), "the guest powered off")
    with open(img, "rb") as f:
        for i in range(16):
            f.seek((1000 + i) * BLK)
            data = f.read(BLK)
            head = f"EXO-WB {1000 + i}".encode()
            check(data.startswith(head + b"\0"), f"block {1000 + i} not written back: {data[:16]!r}")
            check(data[32:] == bytes([0xa0 + i]) * (BLK - 32), f"block {1000 + i} body wrong")
        f.seek(999 * BLK)
        check(f.read(8) == struct.pack("<Q", 999), "block 999 changed")


def ext4_readahead_image(name, block_size):
    """An ext4 image holding big (8 MiB, 4 KiB block N starting with N) and tail (TAIL bytes,
    byte i = i * 7 + 1, a partial last page)."""
    import shutil
    import subprocess
    import tempfile
    mke2fs = shutil.which("mke2fs") or "/usr/sbin/mke2fs"
    check(os.path.exists(mke2fs), "mke2fs is missing: run scripts/setup (Debian package e2fsprogs)")
    path = os.path.join(qemu.BUILD, name)
    with tempfile.TemporaryDirectory() as tree:
        with open(os.path.join(tree, "big"), "wb") as f:
            for n in range((8 << 20) // BLK):
                f.write(struct.pack("<Q", n) + b"\x5a" * (BLK - 8))  # no zero block: no hole
        with open(os.path.join(tree, "tail"), "wb") as f:
            f.write(bytes((i * 7 + 1) & 0xff for i in range(EXT4_TAIL)))
        if os.path.exists(path):
            os.unlink(path)
        p = subprocess.run([mke2fs, "-q", "-F", "-t", "ext4", "-b", str(block_size), "-d", tree,
                            path, "32M"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        check(p.returncode == 0, f"mke2fs {name}: {p.stdout}")
    return path


EXT4_TAIL = 5000


def ext4_readahead(name, block_size):
    img = ext4_readahead_image(name + ".img", block_size)
    r = boot_pgcachecheck(name, "ext4 /dev/vda", img, mem="256M", timeout=180)
    m = expect_line(r, r"^pgcachecheck: ext4 (\d+) KiB in 4 KiB reads: (-?\d+) read requests, "
                       r"Buffers \+(-?\d+) kB, (\d+) bad", "the read summary")
    check(int(m.group(1)) == 8192 and int(m.group(4)) == 0,
          f"read {m.group(1)} KiB of 8192, {m.group(4)} blocks wrong")
    reqs, buffers = int(m.group(2)), int(m.group(3))
    check(0 < reqs <= 128, f"{reqs} read requests for 8 MiB of 4 KiB reads (no read-ahead: 2048)")
    # The file's data goes straight to its pages: only metadata passes through the device cache.
    check(buffers < 1024, f"the device cache grew by {buffers} kB reading an 8 MiB file")
    m = expect_line(r, r"^pgcachecheck: ext4 tail: (\d+) wrong bytes, (\d+) bytes past the end not 0",
                    "the mapping check")
    check(m.group(1) == "0" and m.group(2) == "0",
          f"a mapped partial last page: {m.group(1)} wrong bytes, {m.group(2)} past the end not 0")
    # A fault reads around the page (Linux: ra_pages, 32, centred on it), not the whole file.
    m = expect_line(r, r"^pgcachecheck: ext4 fault at page 1000 \(block (\d+)\): (\d+) pages resident, "
                       r"(\d+) of the (\d+) around it", "the fault read-around")
    check(m.group(1) == "1000", f"the faulting page holds block {m.group(1)}")
    check(m.group(3) == m.group(4), f"{m.group(3)} of the {m.group(4)} pages around a fault resident")
    check(int(m.group(2)) <= 256, f"{m.group(2)} pages resident after one fault")
    expect_clean_exit(r)


@test
def pagecache_ext4_readahead():
    """An ext4 file read from a dropped cache in 4 KiB reads reaches the disk in read-ahead
    windows read straight into its pages (the device's cache, /proc/meminfo Buffers, does not
    grow by the file), every block right; its mapped last page is zero past the end."""
    ext4_readahead("pagecache_ext4_readahead", 4096)


@test
def pagecache_ext4_readahead_1k_blocks():
    """The same on 1 KiB blocks: four blocks a page, the last page's blocks fewer."""
    ext4_readahead("pagecache_ext4_readahead_1k_blocks", 1024)
