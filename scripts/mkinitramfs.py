#!/usr/bin/python3
"""Build the initramfs: a newc cpio archive, byte-for-byte reproducible.

Usage: mkinitramfs.py OUT.cpio [--dev PATH:c|b:MAJOR:MINOR[:MODE] ...] [TREE_DIR ...]

The archive holds the skeleton directories, then each TREE_DIR copied over
the top in order: the Makefile passes the userland (build/usr/root) first
and then OVERLAY (make run OVERLAY=dir). Entries are sorted, every mtime is 0, owners are
root, and inode numbers count up from 1, so the same inputs always give the
same bytes (benchmarks depend on that).

--dev adds a device node (newc carries the device number in c_rdevmajor and
c_rdevminor), e.g. --dev dev/console:c:5:1:0600. Exo-OS mounts devtmpfs on
/dev itself; Linux does not in an initramfs, and it opens /dev/console for
init's stdio before init runs, so the benchmark's Linux initramfs
(scripts/bench.py) carries its nodes.
"""
import os
import stat
import sys

SKELETON_DIRS = ["bin", "dev", "etc", "proc", "sys", "tmp", "usr", "usr/bin", "root"]


def newc_entry(name, mode, data, ino, nlink=1, rdev=(0, 0)):
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join(f"{v:08x}" for v in (
        ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0))
    out = hdr.encode() + name_b
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out


def collect(entries, root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        for d in dirnames:
            path = os.path.normpath(os.path.join(rel, d))
            entries[path] = (stat.S_IFDIR | 0o755, b"")
        for f in sorted(filenames):
            full = os.path.join(dirpath, f)
            path = os.path.normpath(os.path.join(rel, f))
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                entries[path] = (stat.S_IFLNK | 0o777, os.readlink(full).encode())
            elif stat.S_ISREG(st.st_mode):
                with open(full, "rb") as fh:
                    entries[path] = (stat.S_IFREG | (st.st_mode & 0o7777), fh.read())


def parse_dev(spec):
    """PATH:c|b:MAJOR:MINOR[:MODE] -> (path, (mode, b"", (major, minor)))."""
    parts = spec.split(":")
    if len(parts) not in (4, 5) or parts[1] not in ("c", "b"):
        sys.exit(f"mkinitramfs: bad --dev {spec!r}; want PATH:c|b:MAJOR:MINOR[:MODE]")
    kind = stat.S_IFCHR if parts[1] == "c" else stat.S_IFBLK
    perm = int(parts[4], 8) if len(parts) == 5 else 0o600
    return parts[0].strip("/"), (kind | perm, b"", (int(parts[2]), int(parts[3])))


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    out_path = args.pop(0)
    devices, trees = {}, []
    while args:
        a = args.pop(0)
        if a == "--dev" and args:
            path, entry = parse_dev(args.pop(0))
            devices[path] = entry
        else:
            trees.append(a)
    entries = {d: (stat.S_IFDIR | 0o755, b"") for d in SKELETON_DIRS}
    entries["tmp"] = (stat.S_IFDIR | 0o1777, b"")
    entries["etc/hostname"] = (stat.S_IFREG | 0o644, b"exo\n")
    for overlay in trees:
        if not os.path.isdir(overlay):
            sys.exit(f"mkinitramfs: OVERLAY {overlay!r} is not a directory; "
                     "give make run OVERLAY=<directory to copy into the initramfs>")
        collect(entries, overlay)
    entries.update(devices)
    blob = bytearray()
    for ino, name in enumerate(sorted(entries), start=1):
        mode, data, *rdev = entries[name]
        blob += newc_entry(name, mode, data, ino, 2 if stat.S_ISDIR(mode) else 1, *rdev)
    blob += newc_entry("TRAILER!!!", 0, b"", 0)
    blob += b"\0" * (-len(blob) % 512)
    tmp = out_path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(blob)
    if os.path.exists(out_path) and open(out_path, "rb").read() == bytes(blob):
        os.remove(tmp)  # unchanged: keep the old mtime so the ISO is not rebuilt
    else:
        os.replace(tmp, out_path)


if __name__ == "__main__":
    main()
