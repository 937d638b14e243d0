"""The ports (usr/ports, scripts/ports.py): BusyBox's applets in the guest, compared with the
same binary run on this host, and vi typed at on the console."""
import os
import re
import subprocess
import tempfile
import time

from testsuite.common import test, check, init_test_mode, qemu, ROOT
from testsuite.shell import ShellSession

PORTS_DIR = os.path.join(qemu.BUILD, "ports")
BUSYBOX_BIN = os.path.join(PORTS_DIR, "busybox", "root", "usr", "bin")

# Run by BusyBox's own sh with BB=the folder of its applet links and T=an empty scratch
# folder, in the guest and on the host; everything it prints must be equal. Only what
# cannot differ between two machines is printed: no times (TZ is fixed, files get fixed
# dates), no pids, no owners' names, no sizes of directories.
BUSYBOX_CHECK = r"""
BB=${BB:-/usr/bin} T=${T:-/tmp/check}
mkdir -p "$T" && cd "$T" || exit 1
export TZ=UTC0 LC_ALL=C
step() { echo "== $*"; }
main() {
	printf 'alpha 3\nbeta 1\ngamma 2\ndelta 10\nalpha 3\n' >data
	step sed; $BB/sed -n -e 's/a/A/gp' -e '/^g/=' data; $BB/sed '2,3d;$a\
end' data
	step awk; $BB/awk '{ s += $2; n[$1]++ } END { print s, NR; for (k in n) c++; print c }' data
	$BB/awk '{ printf "%-6s|%03d|%s\n", $1, $2 * 7, toupper(substr($1, 2, 3)) }' data
	$BB/awk 'BEGIN { x = sprintf("%.3f", atan2(1, 1) * 4); split("a:b:c", p, ":"); print x, p[3], length("hello") }'
	step sort-uniq; $BB/sort -k2,2n data | $BB/uniq -c; $BB/sort -r -u data
	step text; $BB/cut -d' ' -f1 data | $BB/tr a-z A-Z | $BB/paste -sd, -
	$BB/wc data; $BB/head -n2 data; $BB/tail -n1 data; $BB/nl -ba data | $BB/tail -n2
	$BB/grep -E -n '^(a|d)' data; $BB/grep -c alpha data; $BB/rev data | $BB/head -n1
	$BB/seq 3 3 12 | $BB/xargs $BB/printf '%04d;'; echo
	$BB/expr 7 \* 6 + 1; $BB/echo 'obase=16; 255 * 2' | $BB/bc; $BB/fold -w 3 data | $BB/head -n3
	mkdir -p tree/a/b tree/c
	echo one >tree/a/f1; echo two >tree/a/b/f2; echo three >tree/c/f3; echo four >tree/c/g4
	$BB/touch -d '2024-01-02 03:04:05' tree/a/f1 tree/a/b/f2 tree/c/f3 tree/c/g4 tree/a/b tree/a tree/c tree
	step find; $BB/find tree -type f | $BB/sort; $BB/find tree -name 'f*' -newer tree/c/f3 | $BB/wc -l
	$BB/find tree -type d -name b -exec echo dir {} \;
	step xargs; $BB/find tree -name 'f*' | $BB/sort | $BB/xargs $BB/cat; $BB/find tree -type f -print0 | $BB/xargs -0 -n1 $BB/basename | $BB/sort
	step tar; $BB/tar -cf t.tar tree; $BB/tar -tvf t.tar | $BB/sort -k6 | $BB/awk '{ print $1, $3, $4, $5, $6 }'
	mkdir x; $BB/tar -xf t.tar -C x; $BB/diff -r tree x/tree && echo same
	$BB/tar -czf t.tgz tree; $BB/tar -tzf t.tgz | $BB/sort; $BB/gzip -t t.tgz && echo gz-ok
	step gzip; $BB/gzip -9 <data >data.gz; $BB/md5sum <data.gz; $BB/gzip -dc data.gz | $BB/sha256sum
	$BB/bzip2 -c data | $BB/bunzip2 | $BB/cmp - data && echo bz-ok; $BB/zcat data.gz | $BB/wc -c
	$BB/ls tree | $BB/cpio -o -H newc 2>/dev/null | $BB/cpio -t 2>/dev/null
	step diff; printf 'a\nb\nc\nd\n' >old; printf 'a\nB\nc\nd\ne\n' >new; $BB/touch -d '2024-01-01 00:00:00' old new
	$BB/diff -u old new; echo "status $?"; $BB/diff old new >d.patch; $BB/patch old d.patch >/dev/null && $BB/cmp old new && echo patched
	$BB/cmp old data; echo "status $?"
	step files; $BB/stat -c '%n %s %a %F %Y' tree/a/f1; $BB/stat -c '%n %a %F' tree/c; $BB/ls -ln --full-time tree/a/f1 | $BB/cut -d' ' -f1,5-
	$BB/cp -a tree tree2; $BB/du -s tree2 >/dev/null && echo du-ok; $BB/mv tree2/c tree2/d; $BB/ls -R tree2
	$BB/ln -s ../a/f1 tree2/d/link; $BB/readlink tree2/d/link; $BB/realpath tree2/d/link | $BB/sed "s|$T|T|"
	$BB/chmod 640 tree2/d/f3; $BB/stat -c %A tree2/d/f3; $BB/rm -r tree2; $BB/test -e tree2 || echo removed
	step encode; $BB/od -A x -t x1 data | $BB/head -n2; $BB/hexdump -C data | $BB/tail -n2; $BB/base64 data | $BB/base64 -d | $BB/md5sum
	$BB/printf '%s %5.2f %x\n' pi 3.14159 255; $BB/sha1sum data; $BB/sha512sum data | $BB/cut -c1-32; $BB/crc32 data 2>/dev/null
	step shell; $BB/sh -c 'for i in 1 2 3; do echo $((i * i)); done; f() { echo "args $#: $*"; }; f a "b c"; echo ${x:-unset} $(echo sub)'
	$BB/sh -c 'set -- x y; while [ $# -gt 0 ]; do printf "[%s]" "$1"; shift; done; echo; case abc in a*) echo glob;; esac'
	$BB/sh -c 'exit 7'; echo "status $?"
	step misc; $BB/date -u -d @86400 '+%Y-%m-%d %H:%M:%S %a'; $BB/basename /a/b/c.txt .txt; $BB/dirname /a/b/c
	$BB/env -i A=1 $BB/env; $BB/true; $BB/false || echo false-ok; $BB/yes | $BB/head -n2; $BB/id -u
	$BB/ps | $BB/head -n1; $BB/top -b -n1 | $BB/grep -c '^Mem:'; $BB/uptime | $BB/grep -c 'load average'
	$BB/free | $BB/grep -c '^Mem:'; $BB/uname -m; $BB/less -F data 2>&1 | $BB/tail -n1
	$BB/dd if=data of=dd.out bs=4 count=3 2>/dev/null; $BB/cat dd.out; echo
	$BB/split -b 10 data part.; $BB/ls part.* | $BB/wc -l; $BB/cat part.* | $BB/cmp - data && echo split-ok
	$BB/mktemp -d -p "$T" | $BB/grep -c "^$T/tmp"; $BB/sleep 0.1 && echo slept
}
main >"$T/out" 2>&1
echo "exit $?" >>"$T/out"
echo BEGIN-PORTS-CHECK
$BB/cat "$T/out"
echo END-PORTS-CHECK
"""


def ports_initramfs(name, files):
    """An initramfs like the default one with @files ({guest path: bytes}) added; returns
    its path (build/ports-test/NAME.cpio)."""
    top = os.path.join(qemu.BUILD, "ports-test")
    overlay = os.path.join(top, name + ".overlay")
    subprocess.run(["rm", "-rf", overlay], check=True)
    for path, data in files.items():
        full = os.path.join(overlay, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as fh:
            fh.write(data)
    roots = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "ports.py"),
                            "--dir", PORTS_DIR, "roots"], stdout=subprocess.PIPE, text=True,
                           check=True).stdout.split()
    cpio = os.path.join(top, name + ".cpio")
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "mkinitramfs.py"), cpio,
                    os.path.join(qemu.BUILD, "usr", "root"), *roots, overlay], check=True)
    return cpio


def boot_ports_image(name, files, command, timeout=600):
    """Boots /init in test mode running @command with @files added to the image."""
    cpio = ports_initramfs(name, files)
    cmdline = f"debug_exit init=/init -- --no-rc --exit-after={command}"
    iso = qemu.iso_for_cmdline(cmdline, initramfs=cpio)
    r = qemu.boot_iso(name, iso, mem="512M", timeout=timeout,
                      extra=["-rtc", "base=2024-01-01T00:00:00"])
    check(not r.timed_out and not r.panicked,
          f"the guest {'timed out' if r.timed_out else 'panicked'}; see {r.log_path}")
    return r


def between(text, begin, end, what):
    m = re.search(re.escape(begin) + r"\n(.*?)" + re.escape(end), text.replace("\r", ""), re.S)
    check(m, f"no {begin} ... {end} in {what}")
    return m.group(1)


@test
def ports_busybox_applets():
    """BusyBox (usr/ports/busybox) in the guest: text tools, find/xargs, tar/gzip/bzip2/cpio,
    diff/patch, file tools, its sh; the output equals the same binary's on this host."""
    check(os.path.exists(os.path.join(BUSYBOX_BIN, "busybox")), "no BusyBox port: run make ports")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, BB=BUSYBOX_BIN, T=tmp)
        host = subprocess.run([os.path.join(BUSYBOX_BIN, "sh"), "-c", BUSYBOX_CHECK], env=env,
                              stdout=subprocess.PIPE, text=True, timeout=120).stdout
        host = between(host.replace(tmp, "/tmp/check"), "BEGIN-PORTS-CHECK", "END-PORTS-CHECK",
                       "the host's run")
    check(host.endswith("exit 0\n"), f"the check fails on the host itself:\n{host[-1500:]}")
    r = boot_ports_image("ports_busybox_applets", {"/usr/share/ports-check/busybox.sh":
                                                   BUSYBOX_CHECK.encode()},
                         "/usr/bin/sh /usr/share/ports-check/busybox.sh", timeout=300)
    guest = between(r.log, "BEGIN-PORTS-CHECK", "END-PORTS-CHECK", r.log_path)
    if guest != host:
        import difflib
        diff = "".join(difflib.unified_diff(host.splitlines(True), guest.splitlines(True),
                                            "host", "guest", n=1))
        check(False, f"BusyBox's output in the guest differs from the host's:\n{diff[:3000]}")


@test
def ports_busybox_vi():
    """BusyBox vi at the default boot's console: open a file, insert a line, :wq, cat it."""
    with ShellSession("ports_busybox_vi") as sh:
        sh.run("printf 'one\\ntwo\\n' >/tmp/f")
        sh.type_line("/usr/bin/vi /tmp/f")
        sh.wait_for("/tmp/f", "vi's status line", timeout=30)
        sh.send("jOinserted\x1b")
        # vi reads an ESC with more bytes close behind as one key sequence (as a cursor
        # key's): the command must come after a pause, as a typist's would.
        sh.wait_for("[Modified]", "vi's status line after the insert", timeout=30)
        time.sleep(0.5)
        sh.send(":wq\r")
        sh.wait_for(sh.PROMPT, "the prompt after vi", timeout=30)
        sh.expect_output("cat /tmp/f", "one\ninserted\ntwo\n")
