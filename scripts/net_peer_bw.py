#!/usr/bin/python3
"""Guest -> peer TCP throughput, Exo-OS and Debian's Linux as the guest, on the same tap.

  scripts/net_peer_bw.py [--rounds N]           (root: network namespaces and tap devices)

Issue 13 asks for this figure beside make bench, but it cannot be a make bench row: the
peer runs on host time, outside QEMU's icount, so no figure repeats (docs/BENCHMARKS.md).
This is wall-clock under TCG on whatever else the host is doing: compare the two guests
from one run, not figures from different days.

Each round makes a namespace with tap0 at 10.0.3.1 (testsuite/netpeer.py's set-up), a
receiver there that counts bytes from accept to end of file, and boots the guest on the
tap (virtio-net, 10.0.3.2/24, -smp 1, 256 MiB, -cpu max): Exo-OS from build/exo.iso with
ip=, Linux from /boot/vmlinuz-* with an initramfs of BusyBox (build/ports), netcheck and
the virtio_net modules, whose /init configures eth0 with `ip` and powers off. In both the
guest runs `netcheck tcp-send 10.0.3.1 5000 16777216` (64 KiB writes). Prints each round's
seconds and MiB/s, and the guest's Tcp counters (retransmissions).
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import qemu  # noqa: E402
from testsuite.netpeer import Netns, NetGuest, PEER  # noqa: E402

NBYTES = 16 << 20
RECEIVER = r"""
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 5000))
s.listen(1)
s.settimeout(600)
c, _ = s.accept()
t0, n = time.monotonic(), 0
while True:
    b = c.recv(1 << 20)
    if not b:
        break
    n += len(b)
print(n, time.monotonic() - t0, flush=True)
"""
BUSYBOX = os.path.join(qemu.ROOT, "build", "ports", "busybox", "root", "usr", "bin", "busybox")
NETCHECK = os.path.join(qemu.ROOT, "build", "usr", "root", "usr", "bin", "netcheck")
# virtio_net and what it needs beyond the virtio modules bench.py already lists.
LINUX_NET_MODULES = bench.LINUX_MODULES[:-1] + ["kernel/net/core/failover.ko",
                                                "kernel/drivers/net/net_failover.ko",
                                                "kernel/drivers/net/virtio_net.ko"]


def linux_initramfs(kernel):
    version = os.path.basename(kernel)[len("vmlinuz-"):]
    tree = os.path.join(bench.BENCH, "net-peer-linux-root")
    shutil.rmtree(tree, ignore_errors=True)
    for d in ("bin", "usr/bin", "lib/modules"):
        os.makedirs(os.path.join(tree, d))
    shutil.copy(BUSYBOX, os.path.join(tree, "bin", "busybox"))
    shutil.copy(NETCHECK, os.path.join(tree, "usr", "bin", "netcheck"))
    for m in LINUX_NET_MODULES:
        shutil.copy(os.path.join("/lib/modules", version, m), os.path.join(tree, "lib", "modules"))
    bb = "/bin/busybox"
    lines = ["#!/bin/busybox sh", f"{bb} mkdir -p /proc /dev", f"{bb} mount -t proc proc /proc",
             f"{bb} mount -t devtmpfs dev /dev"]
    lines += [f"{bb} insmod /lib/modules/{os.path.basename(m)}" for m in LINUX_NET_MODULES]
    lines += [f"{bb} ip link set lo up", f"{bb} ip link set eth0 up",
              f"{bb} ip addr add 10.0.3.2/24 dev eth0", f"{bb} sleep 2",
              f"/usr/bin/netcheck tcp-send {PEER} 5000 {NBYTES}",
              f"{bb} grep -A1 '^Tcp:' /proc/net/snmp", f"{bb} poweroff -f"]
    with open(os.path.join(tree, "init"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    os.chmod(os.path.join(tree, "init"), 0o755)
    out = os.path.join(bench.BENCH, "net-peer-linux.cpio")
    subprocess.run([sys.executable, os.path.join(qemu.ROOT, "scripts", "mkinitramfs.py"), out,
                    "--dev", "dev/console:c:5:1:0600", tree], check=True)
    return out


def received(recv):
    n, secs = recv.communicate(timeout=120)[0].split()
    if int(n) != NBYTES:
        sys.exit(f"net_peer_bw: the receiver got {n} bytes, not {NBYTES}")
    return float(secs)


def tcp_line(text):
    lines = [l for l in text.splitlines() if l.startswith("Tcp:")]
    return dict(zip(lines[-2].split()[1:], lines[-1].split()[1:])) if len(lines) >= 2 else {}


def round_linux(kernel, initramfs):
    with Netns("bwlinux") as ns:
        recv = ns.popen([sys.executable, "-c", RECEIVER, PEER], stdout=subprocess.PIPE, text=True)
        args = ns.exec_prefix() + [qemu.QEMU, "-m", "256M", "-smp", "1", "-display", "none",
                                   "-no-reboot", "-accel", "tcg", "-cpu", "max", "-serial", "stdio",
                                   "-monitor", "none", "-kernel", kernel, "-initrd", initramfs,
                                   "-append", "console=ttyS0 quiet panic=-1 rdinit=/init"]
        p = subprocess.run(args + qemu.net_args("tap:tap0"), capture_output=True, text=True,
                           timeout=600)
        return received(recv), tcp_line(p.stdout)


def round_exo():
    with Netns("bwexo") as ns, NetGuest("net_peer_bw_exo", ns, "tap:tap0") as g:
        recv = ns.popen([sys.executable, "-c", RECEIVER, PEER], stdout=subprocess.PIPE, text=True)
        time.sleep(0.5)
        out = g.run(f"netcheck tcp-send {PEER} 5000 {NBYTES}", timeout=600)
        if f"tcp: sent {NBYTES} bytes" not in out:
            sys.exit(f"net_peer_bw: Exo-OS: {out!r}")
        secs = received(recv)
        counters = tcp_line(g.run("cat /proc/net/snmp"))
        g.send("poweroff\n")
        return secs, counters


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    kernel = bench.linux_kernel()
    os.makedirs(bench.BENCH, exist_ok=True)
    initramfs = linux_initramfs(kernel)
    for label, run in (("Exo-OS", round_exo), ("Linux", lambda: round_linux(kernel, initramfs))):
        for r in range(a.rounds):
            secs, c = run()
            print(f"{label:<6} round {r + 1}: 16 MiB guest -> peer in {secs:.2f} s "
                  f"({NBYTES / secs / (1 << 20):.1f} MiB/s); guest OutSegs {c.get('OutSegs')} "
                  f"RetransSegs {c.get('RetransSegs')}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
