#!/usr/bin/env python3
"""A lossy link for the network tests: relays Ethernet frames between QEMU's
`-netdev dgram` backend (UDP datagrams on 127.0.0.1) and a tap device opened
through /dev/net/tun, and impairs them on the way, both directions alike, from
a fixed seed: drops, duplicates, reorders (a frame is held until the next one
in its direction has gone, or 20 ms), delays (by --delay-ms). These machines'
kernel has no netem qdisc, hence this.

Run it inside the test's network namespace (ip netns exec NS ...), where the
tap and QEMU's loopback socket both are:

    netrelay.py --tap tap0 --port 40001 --qemu-port 40000 --seed 1 --drop 0.05 \\
                --stats /tmp/relay.json
    qemu-system-x86_64 ... -netdev dgram,id=n0,local.type=inet,local.host=127.0.0.1,
        local.port=40000,remote.type=inet,remote.host=127.0.0.1,remote.port=40001

It prints "netrelay: ready" once both ends are open. On SIGTERM or SIGINT it
sends what it still holds and writes its counters as JSON to --stats: per
direction ("to_guest", "to_peer") frames in, out, dropped, duplicated,
reordered, delayed; out == in - dropped + duplicated always holds."""
import argparse
import fcntl
import heapq
import json
import os
import random
import select
import signal
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
REORDER_HOLD = 0.020	# a held frame goes after this long even if nothing follows it
MAX_FRAME = 65536


def open_tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


class Direction:
    """One way through the relay, with its own counters, its held frame and its queue."""

    def __init__(self, name, send, rng, a):
        self.name = name
        self.send_raw = send
        self.rng = rng
        self.a = a
        self.held = None        # (deadline, frame) kept back to reorder
        self.c = dict(frames_in=0, out=0, dropped=0, duplicated=0, reordered=0, delayed=0)

    def emit(self, frame):
        try:
            self.send_raw(frame)
        except OSError:
            pass    # the other end went away (QEMU stopped): the frame is lost, counted as sent
        self.c["out"] += 1

    def take(self, frame, now, later):
        """A frame arrived; @later(deadline, direction, frame) schedules a delayed one."""
        self.c["frames_in"] += 1
        r = self.rng
        if r.random() < self.a.drop:
            self.c["dropped"] += 1
            return
        copies = 1
        if r.random() < self.a.dup:
            self.c["duplicated"] += 1
            copies = 2
        for _ in range(copies):
            if self.a.delay_ms and r.random() < self.a.delay_p:
                self.c["delayed"] += 1
                later(now + self.a.delay_ms / 1000.0, self, frame)
            elif self.held is None and r.random() < self.a.reorder:
                self.c["reordered"] += 1
                self.held = (now + REORDER_HOLD, frame)
            else:
                self.emit(frame)
                self.release()

    def release(self):
        if self.held is not None:
            frame = self.held[1]
            self.held = None
            self.emit(frame)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tap", required=True)
    p.add_argument("--port", type=int, required=True, help="the relay's UDP port (QEMU's remote)")
    p.add_argument("--qemu-port", type=int, required=True, help="QEMU's local UDP port")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--drop", type=float, default=0.0)
    p.add_argument("--dup", type=float, default=0.0)
    p.add_argument("--reorder", type=float, default=0.0)
    p.add_argument("--delay-ms", type=float, default=0.0)
    p.add_argument("--delay-p", type=float, default=1.0, help="share of frames delayed")
    p.add_argument("--stats", required=True)
    a = p.parse_args()

    tap = open_tap(a.tap)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", a.port))
    sock.setblocking(False)
    qemu_addr = ("127.0.0.1", a.qemu_port)
    rng = random.Random(a.seed)
    to_guest = Direction("to_guest", lambda f: sock.sendto(f, qemu_addr), rng, a)
    to_peer = Direction("to_peer", lambda f: os.write(tap, f), rng, a)
    pending = []    # heap of (deadline, seq, direction, frame)
    seq = [0]
    stop = [False]

    def later(deadline, d, frame):
        seq[0] += 1
        heapq.heappush(pending, (deadline, seq[0], d.name, d, frame))

    def on_signal(signum, frame):
        stop[0] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print("netrelay: ready", flush=True)
    while not stop[0]:
        now = time.monotonic()
        deadlines = [d.held[0] for d in (to_guest, to_peer) if d.held] + \
                    ([pending[0][0]] if pending else [])
        timeout = max(0.0, min(deadlines) - now) if deadlines else 0.5
        try:
            ready, _, _ = select.select([tap, sock], [], [], timeout)
        except InterruptedError:
            continue
        now = time.monotonic()
        if tap in ready:
            try:
                to_guest.take(os.read(tap, MAX_FRAME), now, later)
            except BlockingIOError:
                pass
        if sock in ready:
            try:
                frame, src = sock.recvfrom(MAX_FRAME)
                if src == qemu_addr:
                    to_peer.take(frame, now, later)
            except (BlockingIOError, ConnectionRefusedError):
                pass
        while pending and pending[0][0] <= now:
            _, _, _, d, frame = heapq.heappop(pending)
            d.emit(frame)
        for d in (to_guest, to_peer):
            if d.held and d.held[0] <= now:
                d.release()
    # Nothing stays in the relay: what it still holds is sent, so the counts add up.
    while pending:
        _, _, _, d, frame = heapq.heappop(pending)
        d.emit(frame)
    for d in (to_guest, to_peer):
        d.release()
    with open(a.stats, "w") as f:
        json.dump({"to_guest": to_guest.c, "to_peer": to_peer.c}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
