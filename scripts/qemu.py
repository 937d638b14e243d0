#!/usr/bin/python3
"""Boot Exo-OS in QEMU: interactively (make run) or as a test (imported).

  qemu.py run --iso build/exo.iso [--smp N] [--mem SIZE] [--disk a.img,b.img] [-- EXTRA QEMU ARGS]

As a module, boot() builds an ISO with the requested kernel command line
(cached under build/test-isos/), boots it headless with no standard input,
streams the serial console into build/logs/NAME.log, stops early when the
kernel panics, enforces a timeout, and returns a BootResult.
spawn_interactive() boots the same way but hands back a pexpect child wired
to the serial port, for tests that type at the guest.

QEMU runs under TCG (-accel tcg -cpu max): nested KVM hangs on these machines.
EXO_KVM=1 in the environment switches to KVM for those who have it working.
"""
import argparse
import hashlib
import os
import re
import shlex
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
PANIC_MARKER = "---[ end Kernel panic ]---"
# A report of the lock validator (docs/locking.md). One a self-test provokes
# on purpose says "lockdep (expected):" instead and does not match.
LOCKDEP_REPORT = re.compile(r"^\[[ \d.]+\] lockdep: ")
# A WARN_ON() or other kernel warning: a broken invariant, so a failure too
# (a lock validator report ends with one; a provoked one says "(expected)").
KERNEL_WARNING = re.compile(r"^\[[ \d.]+\] WARNING: (?!.*\(expected\))")
# Every real lockdep report and WARNING line of every boot so far, as (name,
# line): the test runner fails the test during which new ones appeared.
lockdep_reports = []
QEMU = "qemu-system-x86_64"

# isa-debug-exit: the guest writes v to port 0xf4, QEMU exits with (v << 1) | 1.
EXIT_SUCCESS = 1
EXIT_FAILURE = 3
EXIT_PANIC = 5

DETERMINISTIC = ["-icount", "shift=0,sleep=off", "-rtc", "base=2024-01-01T00:00:00,clock=vm",
                 "-seed", "1"]


def accel_args(cpu="max", mttcg=False):
    """@mttcg: multi-threaded TCG, one host thread per vCPU (real parallelism, no -icount)."""
    if os.environ.get("EXO_KVM") == "1":
        return ["-accel", "kvm", "-cpu", "host"]
    return ["-accel", "tcg,thread=multi" if mttcg else "tcg", "-cpu", cpu]


def disk_args(paths):
    """QEMU arguments attaching each raw image in @paths as a virtio-blk disk:
    the first is /dev/vda, the next /dev/vdb... A path may be a blkdebug:
    spec (blkdebug:rules.conf:disk.img) to inject errors."""
    args = []
    for n, path in enumerate(paths):
        args += ["-drive", f"file={path},if=none,id=d{n},format=raw,cache=writeback",
                 "-device", f"virtio-blk-pci,drive=d{n}"]
    return args


# make run's network: slirp, with the guest's port 80 served on the host's 127.0.0.1:8080.
RUN_HOSTFWD = "hostfwd=tcp:127.0.0.1:8080-:80"


def net_args(spec, mac=None):
    """QEMU arguments for one virtio-net NIC (eth0 in the guest) from @spec:
    "user" (slirp with make run's port forward), "user:OPTS" (slirp with these -netdev
    options instead, "user:" for none; "user:restrict=on" lets nothing leave the host,
    but then slirp's DHCP gives no router), "tap:IFNAME" (an existing tap device),
    "dgram:LOCAL:REMOTE" (UDP on 127.0.0.1 ports LOCAL and REMOTE, e.g. to
    scripts/testsuite/netrelay.py), "none" (no NIC at all)."""
    kind, _, rest = spec.partition(":")
    if kind == "none":
        return ["-nic", "none"]
    if kind == "user":
        opts = rest if ":" in spec else RUN_HOSTFWD
        netdev = "user,id=n0" + (f",{opts}" if opts else "")
    elif kind == "tap" and rest:
        netdev = f"tap,id=n0,ifname={rest},script=no,downscript=no"
    elif kind == "dgram" and rest:
        local, _, remote = rest.partition(":")
        netdev = (f"dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port={local},"
                  f"remote.type=inet,remote.host=127.0.0.1,remote.port={remote}")
    else:
        raise ValueError(f"network {spec!r}: use user, tap:IFNAME, dgram:LPORT:RPORT or none")
    device = "virtio-net-pci,netdev=n0" + (f",mac={mac}" if mac else "")
    return ["-netdev", netdev, "-device", device]


def base_args(iso, mem, smp):
    return [QEMU, "-m", str(mem), "-smp", str(smp), "-cdrom", iso, "-boot", "d",
            "-display", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]


def iso_for_cmdline(cmdline, kernel=None, initramfs=None):
    """Returns an ISO whose grub.cfg passes @cmdline, building it if needed."""
    kernel = kernel or os.path.join(BUILD, "exo.elf")
    initramfs = initramfs or os.path.join(BUILD, "initramfs.cpio")
    h = hashlib.sha256()
    # The script too: a change in how it writes grub.cfg must not reuse an old ISO.
    for path in (kernel, initramfs, os.path.join(ROOT, "scripts", "mkiso.sh")):
        with open(path, "rb") as fh:
            h.update(fh.read())
    h.update(cmdline.encode())
    iso = os.path.join(BUILD, "test-isos", h.hexdigest()[:16] + ".iso")
    if not os.path.exists(iso):
        subprocess.run([os.path.join(ROOT, "scripts", "mkiso.sh"), iso, kernel, initramfs, cmdline],
                       check=True, stdout=subprocess.DEVNULL)
    return iso


class BootResult:
    def __init__(self, name, log_path, log, status, timed_out, panicked, seconds):
        self.name = name
        self.lockdep = [line for line in log.splitlines()
                        if LOCKDEP_REPORT.match(line) or KERNEL_WARNING.match(line)]
        self.log_path = log_path
        self.log = log
        self.status = status
        self.timed_out = timed_out
        self.panicked = panicked
        self.seconds = seconds

    def tail(self, lines=40):
        return "\n".join(self.log.splitlines()[-lines:])


def boot(name, cmdline="", mem="256M", smp=1, timeout=60, extra=(), cpu="max",
         deterministic=False):
    """Boots headless and returns a BootResult; the log is saved in build/logs/NAME.log."""
    return boot_iso(name, iso_for_cmdline(cmdline), mem, smp, timeout, extra, cpu, deterministic)


def boot_iso(name, iso, mem="256M", smp=1, timeout=60, extra=(), cpu="max", deterministic=False,
             done_marker=None, progress=None, stall_timeout=None, prefix=()):
    """boot() for a prepared ISO. With @stall_timeout, a guest silent for that many seconds
    is stopped as hung, after its CPUs' registers are logged (see run_qemu). @prefix goes in
    front of QEMU's command (e.g. ip netns exec NS)."""
    monitor = ["-monitor", "none"]
    if stall_timeout:
        os.makedirs(os.path.join(BUILD, "logs"), exist_ok=True)
        monitor = ["-monitor", f"unix:{monitor_path(name)},server,nowait"]
    args = list(prefix) + base_args(iso, mem, smp) + accel_args(cpu) + ["-serial", "stdio"] + monitor
    if deterministic:
        args += DETERMINISTIC
    args += list(extra)
    return run_qemu(name, args, timeout, done_marker, progress, stall_timeout)


def monitor_path(name):
    return os.path.join(BUILD, "logs", name + ".monitor")


def kernel_symbol(addr, syms_cache={}):
    """'function+0xoff' for a kernel address, from build/exo.elf's symbols (nm)."""
    if not syms_cache:
        out = subprocess.run(["nm", "-n", os.path.join(BUILD, "exo.elf")],
                             stdout=subprocess.PIPE, text=True).stdout
        syms_cache["list"] = [(int(a, 16), n) for a, t, n in
                              (l.split()[:3] for l in out.splitlines() if len(l.split()) >= 3)
                              if t in "tTwW"]
    best = None
    for a, n in syms_cache["list"]:
        if a > addr:
            break
        best = (a, n)
    return f"{best[1]}+{addr - best[0]:#x}" if best else "?"


SYSRQ_SHOW_STATE = b"\x1dsysrq-t"


def ask_for_tasks(proc, chunks, wait=10):
    """Sends the kernel's show_state sequence on the serial line and waits for its end."""
    try:
        proc.stdin.write(SYSRQ_SHOW_STATE)
        proc.stdin.flush()
    except OSError:
        return
    end = time.monotonic() + wait
    while time.monotonic() < end and not any("show_state: end" in c for c in chunks[-200:]):
        time.sleep(0.1)


def dump_cpus(name):
    """Each vCPU's RIP (symbolized) and RSP from the HMP monitor; a hang's first evidence."""
    import socket
    lines = []
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(monitor_path(name))
        s.sendall(b"info registers -a\n")
        data = b""
        end = time.monotonic() + 5
        while time.monotonic() < end:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
            if data.count(b"RIP=") >= 1 and data.rstrip().endswith(b"(qemu)"):
                break
        s.close()
    except OSError as e:
        return [f"# could not read the monitor: {e}"]
    cpu = 0
    for line in data.decode("utf-8", "replace").splitlines():
        if line.startswith("CPU#"):
            cpu = line.split("#")[1].split()[0]
        fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
        if "RIP" in fields and "RFL" in fields:
            rip, rfl = int(fields["RIP"], 16), int(fields["RFL"], 16)
            where = kernel_symbol(rip) if rip >> 63 else "(user)"
            irqs = "on" if rfl & 0x200 else "OFF"
            lines.append(f"# CPU {cpu}: RIP {rip:#x} {where}, interrupts {irqs}")
    return lines or ["# the monitor gave no registers"]


def boot_kernel(name, kernel, initrd, append, mem="256M", smp=1, timeout=60, extra=(), cpu="max",
                deterministic=False, done_marker=None, progress=None, mttcg=False):
    """Boots another kernel (a bzImage, e.g. Debian's Linux) directly with -kernel/-initrd,
    with the same machine and flags as boot_iso(); -no-reboot turns a reboot or a
    panic=-1 panic into QEMU's exit."""
    args = [QEMU, "-m", str(mem), "-smp", str(smp), "-kernel", kernel]
    if initrd:
        args += ["-initrd", initrd]
    if append:
        args += ["-append", append]
    args += ["-display", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
    args += accel_args(cpu, mttcg) + ["-serial", "stdio", "-monitor", "none"]
    if deterministic:
        args += DETERMINISTIC
    args += list(extra)
    return run_qemu(name, args, timeout, done_marker, progress)


DONE_GRACE = 15


def run_qemu(name, args, timeout, done_marker=None, progress=None, stall_timeout=None):
    """Runs QEMU, streaming the serial log to build/logs/NAME.log as it arrives (a hung run
    leaves its log so far). @progress, if given, is called with each line. Once a line
    contains @done_marker the guest has finished its work: QEMU gets DONE_GRACE seconds to
    exit by itself, then is stopped (that is not a timeout). With @stall_timeout, no output
    for that long is a hang: the vCPUs' RIPs are appended to the log (from the monitor
    boot_iso set up) and the run ends as timed out."""
    os.makedirs(os.path.join(BUILD, "logs"), exist_ok=True)
    log_path = os.path.join(BUILD, "logs", name + ".log")
    start = time.monotonic()
    last_output = [start]
    # A stall-watched guest gets a serial input pipe: on a stall it is asked for its tasks.
    proc = subprocess.Popen(args, stdin=subprocess.PIPE if stall_timeout else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    chunks = []
    panicked = threading.Event()
    done = threading.Event()
    done_at = [None]
    live_log = open(log_path, "w")
    live_log.write(f"# {shlex.join(args)}\n")

    def reader():
        for raw in iter(proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").replace("\r", "")
            chunks.append(line)
            last_output[0] = time.monotonic()
            live_log.write(line)
            live_log.flush()
            if progress:
                progress(line)
            if PANIC_MARKER in line:
                panicked.set()
            if done_marker and done_marker in line and not done.is_set():
                done_at[0] = time.monotonic()
                done.set()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    timed_out = False
    stall_report = []
    while proc.poll() is None:
        if time.monotonic() - start > timeout:
            timed_out = True
            break
        if stall_timeout and time.monotonic() - last_output[0] > stall_timeout:
            stall_report = [f"# STALLED: no output for {stall_timeout} s"] + dump_cpus(name)
            ask_for_tasks(proc, chunks)
            timed_out = True
            break
        if done.is_set() and time.monotonic() - done_at[0] > DONE_GRACE:
            break
        if panicked.is_set():
            # Give the kernel a moment to exit through debug_exit itself.
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
            break
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    t.join(timeout=2)
    live_log.close()
    if stall_report:
        chunks.append("\n" + "\n".join(stall_report) + "\n")
    log = "".join(chunks)
    with open(log_path, "w") as fh:
        fh.write(f"# {shlex.join(args)}\n")
        fh.write(log)
        if timed_out and not stall_report:
            fh.write(f"\n# TIMEOUT after {timeout}s\n")
    r = BootResult(name, log_path, log, proc.returncode, timed_out,
                   panicked.is_set() or PANIC_MARKER in log, time.monotonic() - start)
    lockdep_reports.extend((name, line) for line in r.lockdep)
    return r


class InteractiveSession:
    """A guest whose serial port is a pexpect child (pipes, no pty: no host line discipline
    between the test and the guest, so bytes arrive and leave exactly as sent)."""

    def __init__(self, child, log_path, log_file):
        self.child = child
        self.log_path = log_path
        self._log_file = log_file

    def expect(self, pattern, timeout=10):
        """Waits for @pattern (a regex or list, as pexpect takes it); returns the index matched."""
        return self.child.expect(pattern, timeout=timeout)

    def expect_exact(self, text, timeout=10):
        return self.child.expect_exact(text, timeout=timeout)

    def send(self, data):
        self.child.send(data)

    def sendline(self, line):
        """Types @line and Enter (a carriage return, as a terminal sends it)."""
        self.child.send(line + "\r")

    @property
    def before(self):
        return self.child.before

    @property
    def match(self):
        return self.child.match

    def wait_exit(self, timeout=20):
        """Waits for QEMU to end (isa-debug-exit); returns its status, or None on timeout."""
        import pexpect
        try:
            self.child.expect(pexpect.EOF, timeout=timeout)
        except pexpect.TIMEOUT:
            return None
        return self.child.wait()

    def close(self):
        if self.child.proc.poll() is None:
            self.child.kill(9)
            self.child.wait()
        self._log_file.close()


def spawn_interactive(name, cmdline, mem="256M", smp=1, extra=(), cpu="max", prefix=()):
    """Boots headless with the serial port on a pexpect child; the console transcript goes to
    build/logs/NAME.log. Text is str (UTF-8, undecodable bytes replaced). Call close().
    @prefix is put in front of QEMU's command (e.g. ip netns exec NS)."""
    from pexpect.popen_spawn import PopenSpawn
    iso = iso_for_cmdline(cmdline)
    args = list(prefix) + base_args(iso, mem, smp) + accel_args(cpu)
    args += ["-serial", "stdio", "-monitor", "none"]
    args += list(extra)
    os.makedirs(os.path.join(BUILD, "logs"), exist_ok=True)
    log_path = os.path.join(BUILD, "logs", name + ".log")
    log_file = open(log_path, "w")
    log_file.write(f"# {shlex.join(args)}\n")
    log_file.flush()
    child = PopenSpawn(args, encoding="utf-8", codec_errors="replace")
    child.logfile_read = log_file
    return InteractiveSession(child, log_path, log_file)


def run_interactive(argv):
    p = argparse.ArgumentParser(prog="qemu.py run")
    p.add_argument("--iso", required=True)
    p.add_argument("--smp", default="2")
    p.add_argument("--mem", default="512M")
    p.add_argument("--machine", default="pc", help="pc (i440fx, PCI config by port I/O) or q35 (ECAM)")
    p.add_argument("--disk", default="",
                   help="comma-separated raw images attached as virtio-blk (/dev/vda, /dev/vdb...)")
    p.add_argument("--net", default="user",
                   help="user (slirp, guest port 80 on 127.0.0.1:8080), tap:IFNAME, or none")
    own, extra_words = argv, []
    if "--" in argv:
        i = argv.index("--")
        own, extra_words = argv[:i], argv[i + 1:]
    a = p.parse_args(own)
    args = base_args(a.iso, a.mem, a.smp) + accel_args() + ["-serial", "mon:stdio",
                                                            "-machine", a.machine]
    args += disk_args([d for d in a.disk.split(",") if d])
    args += net_args(a.net or "user")
    for word in extra_words:
        args += shlex.split(word)
    if sys.stdin.isatty():
        print("Exo-OS in QEMU: serial console below; Ctrl-A X quits.", flush=True)
    os.execvp(args[0], args)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "run":
        sys.exit(__doc__)
    run_interactive(sys.argv[2:])
