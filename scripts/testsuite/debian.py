"""The Debian root (make debian-root, docs/debian-root.md): build/debian.img, Debian bookworm's
minbase with python3-minimal from debootstrap, booted as the root file system (read-only, a
copy-on-write snapshot so the cached image stays as built) with its /sbin/exo-init. The test
types at Debian's own interactive bash on the serial console and compares what Debian's
programs print with the same tree on the host (build/debian/root). It runs only by name
(make test-debian, or run_tests.py -k debian_root): the image takes minutes to build."""
import os
import re
import subprocess
import time

from testsuite.common import group_test, check
import qemu

IMAGE = os.path.join(qemu.BUILD, "debian.img")
TREE = os.path.join(qemu.BUILD, "debian", "root")
PROMPT = r"root@[\w-]+:[^\r\n]*# "
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def dpkg_status(tree):
    """{package: version} of the installed packages in @tree's /var/lib/dpkg/status."""
    out = {}
    with open(os.path.join(tree, "var", "lib", "dpkg", "status")) as f:
        for stanza in f.read().split("\n\n"):
            fields = dict(re.findall(r"^([\w-]+): (.*)$", stanza, re.M))
            if fields.get("Status") == "install ok installed":
                out[fields["Package"]] = fields["Version"]
    return out


def host_chroot(argv):
    """@argv's standard output, run on the host chrooted into the tree (as the guest sees it)."""
    p = subprocess.run(["chroot", TREE] + argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       text=True, env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
                                       "HOME": "/root"})
    check(p.returncode == 0, f"chroot {TREE} {argv} exited {p.returncode}")
    return p.stdout


def host_sums():
    """{path: md5} of every file under the tree's usr, etc and var (paths relative to /)."""
    p = subprocess.run("find usr etc var -xdev -type f -print0 | xargs -0 md5sum", shell=True,
                       cwd=TREE, stdout=subprocess.PIPE, text=True)
    check(p.returncode == 0, "md5sum of the tree on the host failed")
    return {line[34:]: line[:32] for line in p.stdout.splitlines()}


class Shell:
    """Debian's bash on the guest's serial console: run() types a command between two markers
    (written so that the echo of the typed line does not contain them) and returns its output
    and exit status."""

    def __init__(self, session):
        self.s = session
        self.n = 0

    def run(self, cmd, timeout=120):
        self.n += 1
        self.s.sendline(f"echo BEGIN''-{self.n}; {cmd}; echo END''-{self.n} $?")
        self.s.expect(rf"END-{self.n} (\d+)\r?\n", timeout=timeout)
        status = int(self.s.match.group(1))
        text = ANSI.sub("", self.s.before).replace("\r", "")
        m = re.search(rf"BEGIN-{self.n}\n(.*)\Z", text, re.S)
        check(m, f"no BEGIN-{self.n} marker before the output of {cmd!r}")
        self.s.expect(PROMPT, timeout=30)
        return m.group(1), status

    def key_to_job(self, cmd, key, then):
        """Types @cmd, then, once the job runs, the control character @key; waits for @then."""
        self.s.sendline(cmd)
        self.s.expect(re.escape(cmd) + r"\r?\n", timeout=10)
        time.sleep(2)
        self.s.send(key)
        self.s.expect(then, timeout=20)

    def last_status(self):
        """$? of the last command line (run() cannot tell it: its first echo resets it)."""
        self.s.sendline("echo status=$?")
        self.s.expect(r"status=(\d+)\r?\n", timeout=10)
        status = int(self.s.match.group(1))
        self.s.expect(PROMPT, timeout=10)
        return status


@group_test
def debian_root_boots():
    """build/debian.img as / (root=/dev/vda rootfstype=ext4, read-only) on -smp 2: the kernel runs
    /sbin/init (the image's exo-init), which mounts proc, sysfs, tmpfs on /tmp and /run and gives
    Debian's interactive bash the serial port as controlling terminal. Typed at that bash:
    bash --version equals the tree's on the host; python3 -c prints 45 and runs a script from
    /tmp; dpkg -l lists bash and python3-minimal and dpkg-query every package with the versions
    of the image's /var/lib/dpkg/status; apt list --installed prints what it prints in a chroot
    of the same tree on the host; creating files on / fails with EROFS while /tmp is writable;
    df lists / and /tmp (it reads /proc/self/mountinfo); dmesg shows the root's mount line
    (it reads /dev/kmsg records); lsblk shows vda mounted on / (/sys/dev/block, mountinfo); st_dev on / is vda's 254:0; the md5sum of every file under /usr,
    /etc and /var equals the host's;
    ^C ends a foreground sleep, ^Z stops one and fg resumes it (job control on the console);
    exit ends the shell and exo-init powers off."""
    check(os.path.exists(IMAGE) and os.path.isdir(TREE),
          f"{IMAGE} or {TREE} is missing: run make debian-root (as root) first")
    want_status = dpkg_status(TREE)
    check({"bash", "python3-minimal", "dpkg", "apt"} <= set(want_status),
          "the tree's dpkg status lacks bash, python3-minimal, dpkg or apt")
    want_bash = host_chroot(["/bin/bash", "--version"]).splitlines()[0]
    # No package caches written into the tree (the guest cannot write them on its read-only /).
    want_apt = host_chroot(["apt", "-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache=",
                            "list", "--installed"])
    extra = ["-drive", f"file={IMAGE},if=none,id=d0,format=raw,snapshot=on",
             "-device", "virtio-blk-pci,drive=d0", "-rtc", "base=2024-01-01T00:00:00"]
    s = qemu.spawn_interactive("debian_root_boots", "root=/dev/vda rootfstype=ext4 debug_exit",
                               mem="512M", smp=2, extra=extra)
    try:
        import pexpect
        try:
            s.expect(PROMPT, timeout=240)
            sh = Shell(s)
            out, rc = sh.run("tty; bash --version | head -n 1")
            check(rc == 0 and out == f"/dev/ttyS0\n{want_bash}\n",
                  f"tty and bash --version: {out!r} (exit {rc}), want /dev/ttyS0 and {want_bash!r}")
            out, rc = sh.run("python3 -c 'print(sum(range(10)))'")
            check((out, rc) == ("45\n", 0), f"python3 -c printed {out!r} (exit {rc})")
            out, rc = sh.run("printf 'import sys, os\\nprint(sum(range(10)), sys.argv[1], os.getcwd())\\n'"
                             " >/tmp/s.py && python3 /tmp/s.py arg && rm /tmp/s.py")
            check((out, rc) == ("45 arg /root\n", 0), f"a python3 script in /tmp: {out!r} (exit {rc})")
            out, rc = sh.run("COLUMNS=200 dpkg -l bash python3-minimal | cat")
            listed = dict(re.findall(r"^ii\s+(\S+)\s+(\S+)\s", out, re.M))
            check(rc == 0 and listed == {p: want_status[p] for p in ("bash", "python3-minimal")},
                  f"dpkg -l: {listed} (exit {rc}); the image's status says bash "
                  f"{want_status['bash']}, python3-minimal {want_status['python3-minimal']}")
            out, rc = sh.run("dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}\\n' | "
                             "grep ' ii $' | cut -d' ' -f1,2")
            got = dict(line.split(" ", 1) for line in out.splitlines())
            check(rc == 0 and got == want_status,
                  f"dpkg-query: {len(got)} packages vs {len(want_status)} in the image's status; "
                  f"differing: {sorted(set(got.items()) ^ set(want_status.items()))[:6]}")
            out, rc = sh.run("apt list --installed 2>/dev/null | cat")
            check(rc == 0 and out == want_apt,
                  f"apt list --installed differs from the host's chroot ({len(out.splitlines())} "
                  f"lines vs {len(want_apt.splitlines())}): {out[:300]!r}")
            out, rc = sh.run("touch /new; mkdir /newdir; ls -d /new /newdir 2>/dev/null | wc -l")
            check(out.count("Read-only file system") == 2 and out.endswith("0\n"),
                  f"creating on / did not fail with EROFS: {out!r}")
            out, rc = sh.run("echo hello >/tmp/f && cat /tmp/f && rm /tmp/f && echo hi >/run/g && "
                             "grep -E ' / | /tmp | /run ' /proc/mounts | cut -d' ' -f2-4 | sort")
            mounts = [line.split(" ") for line in out.splitlines()[1:]]
            check(rc == 0 and out.startswith("hello\n") and
                  [(m[0], m[1], m[2].split(",")[0]) for m in mounts] ==
                  [("/", "ext4", "ro"), ("/run", "tmpfs", "rw"), ("/tmp", "tmpfs", "rw")],
                  f"/tmp and /run writable over the read-only /: {out!r} (exit {rc})")
            out, rc = sh.run("df -P / /tmp | tail -n +2 | awk '{print $1, $6}'")
            check((out, rc) == ("/dev/vda /\ntmpfs /tmp\n", 0), f"df (reads mountinfo): {out!r}")
            out, rc = sh.run("stat -c '%Hd:%Ld' / /etc/passwd; stat -c '%Hr:%Lr' /dev/vda")
            check((out, rc) == ("254:0\n254:0\n254:0\n", 0), f"st_dev of / is not vda's: {out!r}")
            out, rc = sh.run("lsblk -n -o NAME,MAJ:MIN,MOUNTPOINTS | tr -s ' '")
            check((out, rc) == ("vda 254:0 /\n", 0), f"lsblk (reads /sys/dev/block): {out!r}")
            out, rc = sh.run("dmesg | grep -c 'vfs: mounted /dev/vda (ext4) as /'")
            check((out, rc) == ("1\n", 0), f"util-linux dmesg (reads /dev/kmsg records): {out!r}")
            # Every file of /usr, /etc and /var reads back as the host has it in the tree.
            out, rc = sh.run("cd / && find usr etc var -xdev -type f -print0 | xargs -0 md5sum; cd",
                             timeout=300)
            got = {line[34:]: line[:32] for line in out.splitlines()}
            want = host_sums()
            check(rc == 0 and got == want,
                  f"md5sum of {len(got)} files vs {len(want)} on the host; differing: "
                  f"{sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))[:5]}")
            # Job control: ^C reaches the foreground job through the console's process group.
            # (bash drops the rest of a command line whose job SIGINT ended, as on Linux.)
            sh.key_to_job("sleep 60", "\x03", PROMPT)
            status = sh.last_status()
            check(status == 130, f"sleep ended with status {status}, not by SIGINT")
            # ^Z stops a foreground job (its parent is bash, not init: its group is not
            # orphaned), fg resumes it, ^C ends it.
            sh.key_to_job("sleep 60", "\x1a", r"Stopped\s+sleep 60")
            s.expect(PROMPT, timeout=10)
            out, rc = sh.run("jobs")
            check(re.fullmatch(r"\[1\]\+\s+Stopped\s+sleep 60\n", out), f"jobs after ^Z: {out!r}")
            sh.key_to_job("fg", "\x03", PROMPT)
            status = sh.last_status()
            check(status == 130, f"the resumed sleep ended with status {status}, not by SIGINT")
            s.sendline("exit")
            s.expect(r"exo-init: the shell exited \(0\); powering off", timeout=20)
            status = s.wait_exit(timeout=30)
            check(status == 0, f"QEMU exit status {status} after exo-init's power-off, expected 0")
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            why = "timed out" if isinstance(e, pexpect.TIMEOUT) else "QEMU ended"
            check(False, f"{why}; last output: {ANSI.sub('', str(s.before))[-400:]!r}; "
                         f"see {s.log_path}")
    finally:
        s.close()
    with open(s.log_path, errors="replace") as f:
        log = f.read()
    bad = [line for line in log.splitlines()
           if qemu.LOCKDEP_REPORT.match(line) or qemu.KERNEL_WARNING.match(line)
           or qemu.PANIC_MARKER in line]
    check(not bad, f"kernel reports during the session: {bad[:3]}")
