"""Block devices in QEMU: virtio-blk disks built on the host, read and written by the guest.

Images are made in build/block/ from fixed seeds (the same bytes every run); the guest
runs usr/tests/block.sh (installed as /usr/share/exotest/block.sh) through /init's test
mode, whose steps print what the host compares: sha256sum of whole disks and of
partitions (sfdisk-made MBR and GPT tables), sysfs and BLKGETSIZE64 sizes,
/proc/interrupts, and usr/examples/blkcheck.c's random I/O and error checks. After
QEMU exits the written image is compared with a model the host computes with
blkcheck's generator (splitmix64)."""
import hashlib
import json
import os
import random
import re
import shutil
import subprocess

from testsuite.common import test, check, expect_clean_exit, expect_line, qemu

DIR = os.path.join(qemu.BUILD, "block")
SFDISK = shutil.which("sfdisk") or "/usr/sbin/sfdisk"
SECTOR = 512
# Every boot ends by itself in well under this; a hang (an I/O that never
# completes) is cut off here and fails the test.
TIMEOUT = 90
STALL = 45


def image(name, size, seed):
    """build/block/NAME: @size random bytes from @seed (made again each run: tests write)."""
    path = os.path.join(DIR, name)
    os.makedirs(DIR, exist_ok=True)
    with open(path, "wb") as f:
        f.write(random.Random(seed).randbytes(size))
    return path


def partitioned_image(name, size, seed, script):
    """An image of zeros partitioned by sfdisk with @script, each data partition then
    filled with its own random bytes; returns (path, [(name, start, sectors)])."""
    path = os.path.join(DIR, name)
    os.makedirs(DIR, exist_ok=True)
    with open(path, "wb") as f:
        f.truncate(size)
    check(os.path.exists(SFDISK), "sfdisk is missing: run scripts/setup (Debian package fdisk)")
    p = subprocess.run([SFDISK, "--no-reread", "--no-tell-kernel", path], input=script, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    check(p.returncode == 0, f"sfdisk {name} failed:\n{p.stdout}")
    table = json.loads(subprocess.run([SFDISK, "--json", path], stdout=subprocess.PIPE,
                                      check=True).stdout)["partitiontable"]
    rng = random.Random(seed)
    parts = []
    with open(path, "r+b") as f:
        for e in table["partitions"]:
            num = int(re.search(r"(\d+)$", e["node"]).group(1))
            start, sectors = e["start"], e["size"]
            if table["label"] == "dos" and e["type"] in ("5", "f", "85"):
                # An extended partition's container: Linux shows it as 2 sectors.
                sectors = 2
            else:
                f.seek(start * SECTOR)
                f.write(rng.randbytes(sectors * SECTOR))
            parts.append((num, start, sectors))
    with open(path, "rb") as f:
        data = f.read()
    return path, data, parts


def boot_block(name, machine, smp, disks, steps, mem="256M", device_errors=False):
    cmdline = "debug_exit init=/init -- --no-rc --exit-after=/bin/sh /usr/share/exotest/block.sh "
    r = qemu.boot(name, cmdline + " ".join(steps), mem=mem, smp=smp, timeout=TIMEOUT,
                  extra=["-machine", machine, "-rtc", "base=2024-01-01T00:00:00"]
                  + qemu.disk_args(disks))
    check(not r.timed_out, f"the guest hung (no end after {TIMEOUT} s): see {r.log_path}")
    check(not r.panicked, "kernel panicked")
    expect_line(r, r"^block: done, status \d+", "the guest's steps ended")
    fails = re.findall(r"^blkcheck: .*$", r.log, re.MULTILINE)
    check(not fails, "blkcheck: " + "; ".join(fails[:5]))
    expect_line(r, r"^block: done, status 0", "every guest step passed")
    expect_clean_exit(r)
    if not device_errors:
        # A partition scan once wrote back partitions that did not exist yet (ENXIO).
        errs = re.findall(r"^\[[ \d.]+\] vd.*(?:failed|error).*$", r.log, re.MULTILINE)
        check(not errs, "block errors logged: " + "; ".join(errs[:4]))
    return r


def guest_sha(r, dev):
    m = expect_line(r, r"^([0-9a-f]{64})  " + re.escape(dev) + "$", f"sha256sum of {dev}")
    return m.group(1)


def check_partitions(r, disk, data, parts):
    """Each partition of @disk: the kernel's sysfs start/size, BLKGETSIZE64, BLKSSZGET
    and the sha256 of its bytes are those of sfdisk's table and the image."""
    seen = re.findall(rf"^part ({disk}\d+) sectors (\d+) start (\d+)$", r.log, re.MULTILINE)
    want = {f"{disk}{num}": (start, sectors) for num, start, sectors in parts}
    got = {p: (int(start), int(sectors)) for p, sectors, start in seen}
    check(got == want, f"{disk} partitions (start, sectors): got {got}, expected {want}")
    for part, (start, sectors) in want.items():
        m = expect_line(r, rf"^/dev/{part} (\d+) (\d+)$", f"BLKGETSIZE64 of {part}")
        check(int(m.group(1)) == sectors * SECTOR and m.group(2) == "512",
              f"{part}: BLKGETSIZE64 {m.group(1)}, BLKSSZGET {m.group(2)}; "
              f"expected {sectors * SECTOR}, 512")
        want_sha = hashlib.sha256(data[start * SECTOR:(start + sectors) * SECTOR]).hexdigest()
        check(guest_sha(r, f"/dev/{part}") == want_sha, f"{part}: the guest read other bytes")


MBR_SCRIPT = """label: dos
start=2048, size=4096, type=83
start=6144, size=7999, type=83
start=16384, type=5
start=18432, size=6000, type=83
start=26624, size=3001, type=83
"""

GPT_SCRIPT = """label: gpt
start=2048, size=8192, type=0FC63DAF-8483-4772-8E79-3D47D8477DE4
start=10240, size=4097, type=0FC63DAF-8483-4772-8E79-3D47D8477DE4
start=16384, size=12000, type=0FC63DAF-8483-4772-8E79-3D47D8477DE4
"""


@test
def block_pc_sha256_and_partitions():
    """-machine pc (i440fx), -smp 2, three disks: the guest's sha256sum of a whole
    8 MiB + 1.5 KiB image (a partial last page) equals the host's; an MBR disk (two
    primaries, one ending mid-page, an extended partition with two logical ones) and
    a GPT disk give partitions with sfdisk's starts and sizes in /sys/block and
    BLKGETSIZE64, each holding its own random bytes. Bad input on /dev/vda gets Linux's
    errors (blkcheck badinput: EFAULT, ENOTTY, EINVAL, ENOSPC) with the kernel up."""
    whole = image("whole.img", 8 * 1024 * 1024 + 3 * SECTOR, 1)
    mbr, mbr_data, mbr_parts = partitioned_image("mbr.img", 16 * 1024 * 1024, 2, MBR_SCRIPT)
    gpt, gpt_data, gpt_parts = partitioned_image("gpt.img", 16 * 1024 * 1024, 3, GPT_SCRIPT)
    check(len(mbr_parts) == 5 and len(gpt_parts) == 3, f"sfdisk made {mbr_parts} and {gpt_parts}")
    r = boot_block("block_pc_sha256_and_partitions", "pc", 2, [whole, mbr, gpt],
                   ["sha=vda", "parts=vdb", "parts=vdc", "bad=vda", "ro=vda"])
    expect_line(r, r"^blkcheck badinput: 0 wrong$", "bad input on /dev/vda refused as on Linux")
    expect_line(r, r"^blkcheck ro: 0 wrong$", "BLKROSET makes /dev/vda refuse writes (EPERM) as on Linux")
    with open(whole, "rb") as f:
        want = hashlib.sha256(f.read()).hexdigest()
    check(guest_sha(r, "/dev/vda") == want, "sha256 of /dev/vda differs from the image's")
    check_partitions(r, "vdb", mbr_data, mbr_parts)
    check_partitions(r, "vdc", gpt_data, gpt_parts)


# ---- blkcheck rand's model (usr/examples/blkcheck.c) ----------------------------

CHUNK = 12345
MASK = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9e3779b97f4a7c15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & MASK
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & MASK
    return state, z ^ (z >> 31)


def rand_model(data, nproc, ops, seed):
    """@data after blkcheck rand DEV @nproc @ops @seed: every worker's writes applied."""
    data = bytearray(data)
    chunks = len(data) // CHUNK
    counter = bytes((j // 8) & 0xff for j in range(CHUNK))
    for w in range(nproc):
        s = seed * 1000 + w
        mine = (chunks - w + nproc - 1) // nproc
        for _ in range(ops):
            s, r = splitmix64(s)
            write = r % 4 != 0
            s, r = splitmix64(s)
            chunk = w + nproc * (r % mine)
            s, r = splitmix64(s)
            off = r % CHUNK
            s, r = splitmix64(s)
            length = 1 + r % (CHUNK - off)
            if not write:
                continue
            s, v = splitmix64(s)
            pattern = (v.to_bytes(8, "little") * (length // 8 + 1))[:length]
            x = int.from_bytes(pattern, "little") ^ int.from_bytes(counter[:length], "little")
            start = chunk * CHUNK + off
            data[start:start + length] = x.to_bytes(length, "little")
    return bytes(data)


RAND_PROCS, RAND_OPS, RAND_SEED = 4, 400, 7


@test
def block_q35_smp4_random_io():
    """-machine q35, -smp 4: virtio-blk has one queue per CPU and their MSI-X vectors land
    on more than one CPU (/proc/interrupts); 4 processes do random preads and pwrites
    (offsets and lengths at random, in per-process stripes of 12345-byte chunks, so
    neighbours share pages) and check every read; the guest re-reads the disk from the
    device, and after poweroff the image equals the host's replay of the same generator."""
    path = image("rand.img", 16 * 1024 * 1024, 4)
    with open(path, "rb") as f:
        before = f.read()
    steps = [f"rand=vda,{RAND_PROCS},{RAND_OPS},{RAND_SEED}", "sha=vda", "irq"]
    r = boot_block("block_q35_smp4_random_io", "q35", 4, [path], steps, mem="512M")
    expect_line(r, rf"^blkcheck rand: {RAND_PROCS} workers x {RAND_OPS} operations: ok$",
                "the random I/O passed its in-guest checks")
    want = rand_model(before, RAND_PROCS, RAND_OPS, RAND_SEED)
    with open(path, "rb") as f:
        after = f.read()
    check(len(after) == len(want), "the image changed size")
    if after != want:
        bad = next(i for i in range(len(want)) if after[i] != want[i])
        nbad = sum(1 for i in range(0, len(want), 512) if after[i:i + 512] != want[i:i + 512])
        check(False, f"the image differs from the model from byte {bad} ({nbad} sectors differ)")
    check(guest_sha(r, "/dev/vda") == hashlib.sha256(want).hexdigest(),
          "the guest's sha256 of /dev/vda after the writes is not the model's")
    check_queue_irqs(r, 4)


def check_queue_irqs(r, ncpu):
    """The virtio-blk request queues' rows of /proc/interrupts (Linux's names,
    virtioN-req.Q): one queue per CPU, and their interrupts taken on more than one CPU."""
    header = expect_line(r, r"^\s+CPU0\s.*$", "/proc/interrupts header").group(0)
    check(len(header.split()) == ncpu, f"/proc/interrupts header {header!r}")
    rows = {}
    for line in r.log.splitlines():
        words = line.split()
        if len(words) > ncpu + 1 and re.fullmatch(r"virtio\d+-req\.\d+", words[-1]):
            rows[words[-1]] = [int(c) for c in words[1:ncpu + 1]]
    check(len(rows) == ncpu, f"{len(rows)} virtio-blk queue vectors for {ncpu} CPUs: {sorted(rows)}")
    cpus = {cpu for counts in rows.values() for cpu, n in enumerate(counts) if n}
    check(len(cpus) > 1, f"the queues' interrupts all landed on CPUs {sorted(cpus)}: {rows}")
    expect_line(r, r"^\s*\d+:(\s+\d+){%d}\s+PCI-MSIX\s+\S+\s+virtio\d+-config$" % ncpu,
                "the config vector's row")


BAD_SECTOR = 4096 + 3            # in the 4 KiB page at 2 MiB
GOOD_OFFSET = 6 * 1024 * 1024


@test
def block_injected_errors():
    """QEMU's blkdebug fails reads and writes of one sector: a read of its page is EIO
    (twice: the failed page is not cached), a read elsewhere works, a write of the page
    and fsync give EIO; the kernel logs the error and stays up (the script goes on to
    hash another disk); a hang fails after a bounded time."""
    path = image("eio.img", 8 * 1024 * 1024, 5)
    other = image("eio-other.img", 1024 * 1024, 6)
    conf = os.path.join(DIR, "eio.conf")
    with open(conf, "w") as f:
        for event in ("read_aio", "write_aio"):
            f.write(f'[inject-error]\nevent = "{event}"\nerrno = "5"\nsector = "{BAD_SECTOR}"\n\n')
    r = boot_block("block_injected_errors", "pc", 1, [f"blkdebug:{conf}:{path}", other],
                   [f"eio=vda,{BAD_SECTOR * SECTOR // 4096 * 4096},{GOOD_OFFSET}", "sha=vdb"],
                   device_errors=True)
    check(len(re.findall(r"^blkcheck eio: read at \d+: EIO$", r.log, re.MULTILINE)) == 2,
          "the failed read was not EIO twice")
    expect_line(r, r"^blkcheck eio: fsync: EIO$", "fsync after a failed write")
    expect_line(r, r"vda.*(I/O error|error)", "the kernel's log line for the device error")
    with open(other, "rb") as f:
        check(guest_sha(r, "/dev/vdb") == hashlib.sha256(f.read()).hexdigest(),
              "the second disk read wrong after the errors")
