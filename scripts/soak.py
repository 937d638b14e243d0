#!/usr/bin/python3
"""SMP soak: boots Exo-OS on -smp 4 with /sbin/init running usr/tests/soak.sh, which
repeats exotest's stress groups and random block I/O on a scratch virtio-blk
disk (build/soak/scratch.img, 32 MiB) for the given minutes and then checks
that free memory came back within 1%. Shows each round as it finishes.

Where network namespaces are available (root, iproute2), the guest also gets a
virtio-net NIC on a tap device in a namespace of its own with a real Linux
peer (scripts/testsuite/netpeer.py's set-up): the peer fetches a 1 MiB file
from the guest's BusyBox httpd in a loop for the whole soak and checks each
copy's sha256, and every round the guest fetches one from the peer's
http.server and checks it. Traffic stays inside that namespace.

    scripts/soak.py [--minutes N] [--smp N] [--no-net]   (make soak SOAK_MINUTES=N)

Exits 0 when the guest printed "soak: ok" and shut down cleanly; otherwise
prints why (panic, hang, a failed test, a leak) with the end of the log.
"""
import argparse
import contextlib
import hashlib
import os
import random
import re
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402


class PeerLoop:
    """The peer's side of the network round: http.server in @ns serving a 1 MiB file
    (and its sha256) to the guest, and a thread that fetches the guest's file in a loop
    from the moment the guest serves it until the guest's rounds are done."""

    def __init__(self, ns, netpeer):
        self.ns, self.netpeer = ns, netpeer
        self.serving = threading.Event()
        self.done = threading.Event()
        self.ok, self.failures = 0, []
        self.dir = tempfile.TemporaryDirectory(prefix="exo-soak-")
        data = random.Random(7).randbytes(1 << 20)
        with open(os.path.join(self.dir.name, "blob"), "wb") as f:
            f.write(data)
        with open(os.path.join(self.dir.name, "blob.sha256"), "w") as f:
            f.write(f"{hashlib.sha256(data).hexdigest()}  blob\n")
        server = ns.popen([sys.executable, "-u", "-m", "http.server", "--bind", netpeer.PEER,
                           "8000", "--directory", self.dir.name],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if "Serving HTTP" not in server.stdout.readline():
            raise RuntimeError("soak: the peer's http.server did not start")
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        base = f"http://{self.netpeer.GUEST}"
        while not self.serving.wait(1):
            if self.done.is_set():
                return
        while not self.done.is_set():
            got, info = self.netpeer.peer_fetch(self.ns, f"{base}/blob", 120)
            # blob.sha256 is the guest's sha256sum line, fetched as text.
            line = subprocess.run(self.ns.exec_prefix() + [self.netpeer.CURL, "-sS", "-f",
                                  "--max-time", "60", f"{base}/blob.sha256"],
                                  capture_output=True, text=True).stdout.split()
            if got is None:
                self.failures.append(f"fetch: {info}")
            elif not line or line[0] != got:
                self.failures.append(f"sha256 {got} ({info} bytes), the guest says "
                                     f"{line[0] if line else 'nothing'}")
            else:
                self.ok += 1
            # A fetch every 2 s: a steady peer, not a load that starves the rounds.
            self.done.wait(2)

    def stop(self):
        self.done.set()
        self.thread.join(timeout=300)
        self.dir.cleanup()


def soak(minutes, smp, name="soak", net=True):
    """Runs the soak; returns (ok, message, BootResult). @net: the network round where
    namespaces are available."""
    from testsuite import netpeer  # the tap set-up; imported here (testsuite imports soak)
    peer = None

    def progress(line):
        if line.startswith(("soak:", "FAIL", "blkcheck", "netpeer:")):
            print("  " + line.rstrip(), flush=True)
        if peer and line.startswith("soak: serving"):
            peer.serving.set()
        if peer and line.startswith("soak: rounds done"):
            peer.done.set()

    why = netpeer.netns_unavailable() if net else "--no-net"
    with contextlib.ExitStack() as stack:
        prefix, extra, cmd_net, peer_arg = (), ["-nic", "none"], "", ""
        if why:
            print(f"  soak: no network round ({why})", flush=True)
        else:
            ns = stack.enter_context(netpeer.Netns("soak"))
            peer = PeerLoop(ns, netpeer)
            stack.callback(peer.stop)
            prefix, extra = ns.exec_prefix(), qemu.net_args("tap:tap0")
            cmd_net, peer_arg = netpeer.IP_STATIC + " ", " " + netpeer.PEER
        # /sbin/init runs the script (its test mode) and, as PID 1 must, reaps every orphan:
        # the tests leave some on purpose (orphaned process groups), and a shell as PID 1
        # reaps only its own children, which looked like a leak of one task per round.
        cmdline = (f"debug_exit {cmd_net}init=/init -- --no-rc --exit-after=sh "
                   f"/usr/share/exotest/soak.sh {minutes}{peer_arg}")
        # One round can take a few minutes when the host is busy: allow for it past the
        # deadline. The guest prints a line per test and every few seconds while fuzzing:
        # three silent minutes are a hang, reported with each vCPU's RIP.
        scratch = os.path.join(qemu.BUILD, "soak", "scratch.img")
        os.makedirs(os.path.dirname(scratch), exist_ok=True)
        with open(scratch, "wb") as f:
            f.write(os.urandom(32 << 20))
        r = qemu.boot_iso(name, qemu.iso_for_cmdline(cmdline), mem="512M", smp=smp,
                          timeout=minutes * 60 + 600, progress=progress, stall_timeout=180,
                          extra=qemu.disk_args([scratch]) + extra, prefix=prefix)
        if peer:
            peer.stop()
    if r.panicked:
        return False, "the kernel panicked", r
    if "# STALLED" in r.log:
        return False, "the guest went silent (hang); CPU registers at the end of the log", r
    if r.timed_out:
        return False, f"no end after {r.seconds:.0f} s (hang?)", r
    if "soak: ok" not in r.log:
        return False, "the soak script did not report success", r
    if r.status != qemu.EXIT_SUCCESS:
        return False, f"QEMU exit status {r.status}", r
    if peer:
        if peer.failures:
            return False, (f"the peer's fetches from the guest failed {len(peer.failures)} "
                           f"times ({peer.ok} intact): " + "; ".join(peer.failures[:3])), r
        if not peer.ok:
            return False, "the peer fetched nothing from the guest", r
        rounds = len(re.findall(r"^netpeer: round \d+: 1 MiB from the peer intact", r.log, re.M))
        print(f"  soak: the peer fetched 1 MiB from the guest {peer.ok} times intact; the guest "
              f"fetched from the peer in {rounds} rounds", flush=True)
    return True, f"{r.seconds:.0f} s", r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=int, default=30, help="how long to soak (default 30)")
    ap.add_argument("--smp", type=int, default=4, help="vCPUs (default 4)")
    ap.add_argument("--no-net", action="store_true",
                    help="leave out the network round against a peer in a namespace")
    args = ap.parse_args()
    print(f"soak: {args.minutes} min on -smp {args.smp}; log build/logs/soak.log", flush=True)
    ok, msg, r = soak(args.minutes, args.smp, net=not args.no_net)
    if ok:
        print(f"soak: passed ({msg})")
        return 0
    print(f"soak: FAILED: {msg}\n--- end of build/logs/soak.log ---\n{r.tail(40)}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
