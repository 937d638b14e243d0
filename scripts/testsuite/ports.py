"""The ports (usr/ports, scripts/ports.py) in the guest, each compared with the same binary
run on this host: BusyBox's applets, vi typed at on the console, BusyBox's own test suite,
and the Lua and SQLite workloads (usr/ports/*/tests)."""
import errno
import os
import re
import subprocess
import tempfile
import time

from testsuite.common import test, check, qemu, ROOT, ahead, needs
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


def check_same_output(host, guest, what):
    """Fails with a unified diff unless @guest equals @host."""
    if guest != host:
        import difflib
        diff = "".join(difflib.unified_diff(host.splitlines(True), guest.splitlines(True),
                                            "host", "guest", n=1))
        check(False, f"{what} in the guest differs from the host's:\n{diff[:3000]}")


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
    check_same_output(host, guest, "BusyBox's output")


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


# BusyBox's own suite (testsuite/runtest from its source) with BusyBox's sh and applets alone
# in PATH, the same on this host and in the guest. Arguments: a scratch folder (emptied), the
# suite's tar, the busybox binary, optionally the applets to test (default: all but the
# skipped). runtest's new-style *.tests scripts start with #!/bin/sh,
# which is another shell on each side (dash here, Exo-OS's sh there): the tar's runtest runs
# them with "sh" from PATH instead (BUSYBOX_SUITE_TAR).
BUSYBOX_SUITE_RUN = r"""
W=$1 TAR=$2 BB=$3 ONLY=$4
"$BB" rm -rf "$W" && "$BB" mkdir -p "$W/bin" && cd "$W" || exit 1
"$BB" tar -xf "$TAR" && "$BB" cp "$BB" busybox || exit 1
for a in $(./busybox --list); do "$BB" ln -s ../busybox "bin/$a"; done
applets=
for a in busybox $(./busybox --list); do
	case " %(skip)s " in
	*" $a "*) echo "SKIPPED-APPLET: $a" ;;
	*) applets="$applets $a" ;;
	esac
done
[ -n "$ONLY" ] && applets=$ONLY
# The same environment on both sides and on every host, whatever the caller's (CI's has no
# SHELL, and taskset's test runs "$SHELL -c"): the variables the tests read, nothing else.
cd testsuite || exit 1
echo BEGIN-BUSYBOX-SUITE
"$BB" env -i PATH="$W/bin" SHELL="$W/bin/sh" HOME="$W" TERM=vt100 TZ=UTC0 sh runtest $applets
echo "END-BUSYBOX-SUITE $?"
"""

# Applets whose tests are not run, on either side.
BUSYBOX_SUITE_SKIP = {
    "bc": "80 s of arbitrary-precision arithmetic on the host (pi, bessel functions), far longer "
          "under TCG, and nothing a kernel does",
    "mount": "mounts loop devices: it would change the host's mounts, and Exo-OS has no loop device",
    "wget": "fetches from the Internet (www.google.com)",
}

BUSYBOX_KNOWN_FAILURES = os.path.join(ROOT, "usr", "ports", "busybox", "KNOWN-FAILURES")


def busybox_suite_tar():
    """build/ports/busybox/testsuite.tar: testsuite/ with runtest running *.tests through
    PATH's sh, and the build's .config beside it (runtest reads ../.config)."""
    import io
    import tarfile
    top = os.path.join(PORTS_DIR, "busybox")
    path = os.path.join(top, "testsuite.tar")
    stamp = os.path.join(top, "stamp")
    if os.path.exists(path) and os.path.getmtime(path) > os.path.getmtime(stamp):
        return path
    src = os.path.join(top, "src", "testsuite")
    with tarfile.open(path + ".tmp", "w", format=tarfile.GNU_FORMAT) as tar:
        tar.add(os.path.join(top, "busybox.config"), ".config")
        for dirpath, dirnames, filenames in os.walk(src):
            dirnames.sort()
            rel = os.path.relpath(dirpath, os.path.dirname(src))
            tar.add(dirpath, rel, recursive=False)
            for f in sorted(filenames):
                full = os.path.join(dirpath, f)
                if rel == "testsuite" and f == "runtest":
                    text = open(full).read()
                    old = '\t\t\t"$tsdir/$applet.tests"\n'
                    check(old in text, "testsuite/runtest changed: update busybox_suite_tar()")
                    data = text.replace(old, '\t\t\tsh "$tsdir/$applet.tests"\n').encode()
                    info = tar.gettarinfo(full, "testsuite/runtest")
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
                else:
                    tar.add(full, os.path.join(rel, f))
    os.replace(path + ".tmp", path)
    return path


def busybox_suite_script():
    return BUSYBOX_SUITE_RUN % {"skip": " ".join(sorted(BUSYBOX_SUITE_SKIP))}


def suite_results(text, what):
    """{test name: "PASS"/"FAIL"/...} from runtest's output between its markers."""
    text = text.replace("\r", "")
    m = re.search(r"^BEGIN-BUSYBOX-SUITE\n(.*)^END-BUSYBOX-SUITE (\d+)$", text, re.S | re.M)
    check(m, f"{what}: BusyBox's suite did not run to its end")
    results = {}
    for verdict, name in re.findall(r"^(PASS|FAIL|SKIPPED|UNTESTED): (.*)$", m.group(1), re.M):
        # A name run twice must pass both times.
        if results.get(name) != "FAIL":
            results[name] = verdict
    return results


@ahead
def busybox_suite_host():
    """runtest on this host, run once per build of the port and version of the script
    (build/ports/busybox/suite-host-HASH.log)."""
    tar = busybox_suite_tar()
    import hashlib
    top = os.path.join(PORTS_DIR, "busybox")
    # Named by the script's hash: a changed script runs the suite again.
    script = hashlib.sha256(busybox_suite_script().encode()).hexdigest()[:10]
    log = os.path.join(top, f"suite-host-{script}.log")
    if not os.path.exists(log) or os.path.getmtime(log) < os.path.getmtime(tar):
        with tempfile.TemporaryDirectory() as tmp:
            p = subprocess.run([os.path.join(BUSYBOX_BIN, "sh"), "-c", busybox_suite_script(), "run",
                                os.path.join(tmp, "w"), tar, os.path.join(BUSYBOX_BIN, "busybox")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=900, cwd=tmp)
        with open(log + ".tmp", "w") as fh:
            fh.write(p.stdout)
        os.replace(log + ".tmp", log)
    return suite_results(open(log).read(), "the host's run")


def host_cannot_pin_to_cpu0():
    """Why this host cannot run a process on CPU 0 alone (None when it can): a container's
    cpuset may leave CPU 0 out, or a seccomp/capability set refuse sched_setaffinity."""
    pid = os.fork()
    if pid == 0:
        try:
            os.sched_setaffinity(0, {0})
            os._exit(0)
        except OSError as e:
            os._exit(min(e.errno or 1, 255))
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        return None
    allowed = sorted(os.sched_getaffinity(0))
    return f"sched_setaffinity(CPU 0) fails here with {errno.errorcode.get(code, code)} " \
           f"(this process may run on CPUs {allowed})"


# BusyBox tests that depend on what the host allows rather than on BusyBox: {name: probe}, the
# probe giving why this host cannot pass the test (None when it can). A test excused this way
# must still pass in the guest, which runs it as root on CPU 0.
BUSYBOX_HOST_ENV = {
    "taskset (set_aff, needs CAP_SYS_NICE)": host_cannot_pin_to_cpu0,
}


def host_environment_failures(host):
    """{name: why} of the host's failures that this host's environment explains."""
    excused = {}
    for name, probe in BUSYBOX_HOST_ENV.items():
        if host.get(name) == "FAIL":
            why = probe()
            if why:
                excused[name] = why
    return excused


def known_failures():
    """usr/ports/busybox/KNOWN-FAILURES: ({name: why} of "exo:" entries, {name: why} of "linux:"
    entries); each name line is followed by its "why:" line."""
    known = {"exo": {}, "linux": {}}
    kind = name = None
    for line in open(BUSYBOX_KNOWN_FAILURES):
        line = line.rstrip("\n")
        key, sep, value = line.partition(": ")
        if sep and key in known:
            kind, name = key, value
        elif sep and key == "why" and name:
            known[kind][name] = value
            name = None
    return known["exo"], known["linux"]


@test
@needs(busybox_suite_host)
def ports_busybox_suite():
    """BusyBox's own testsuite/runtest in the guest with the same binary and .config: every
    test that passes on this host passes in Exo-OS, but those usr/ports/busybox/KNOWN-FAILURES
    lists with a reason."""
    check(os.path.exists(os.path.join(BUSYBOX_BIN, "busybox")), "no BusyBox port: run make ports")
    host = busybox_suite_host()
    tar = busybox_suite_tar()
    passed_host = {n for n, v in host.items() if v == "PASS"}
    check(len(passed_host) > 500, f"only {len(passed_host)} BusyBox tests pass on this host")
    with open(tar, "rb") as fh:
        files = {"/usr/share/ports-check/busybox-suite.tar": fh.read(),
                 "/usr/share/ports-check/busybox-suite.sh": busybox_suite_script().encode(),
                 # hostname -f resolves the host's name (exo) through /etc/hosts, as on any
                 # Linux system; the default image has none, and no network for DNS.
                 "/etc/hosts": b"127.0.0.1\tlocalhost\n127.0.1.1\texo\n"}
    r = boot_ports_image("ports_busybox_suite", files,
                         "/usr/bin/sh /usr/share/ports-check/busybox-suite.sh /tmp/bbsuite "
                         "/usr/share/ports-check/busybox-suite.tar /usr/bin/busybox", timeout=1200)
    guest = suite_results(r.log, r.log_path)
    known, linux = known_failures()
    excused = host_environment_failures(host)
    for name, why in excused.items():
        print(f"busybox suite: {name!r} fails on this host because {why}; the guest must pass it",
              flush=True)
    unexplained = sorted(n for n, v in host.items()
                         if v == "FAIL" and n not in linux and n not in excused)
    # The "linux:" list was made as root (as the guest runs); an ordinary user fails more
    # (mdev's chroot, ...), which only needs saying.
    if os.geteuid() == 0:
        check(not unexplained, "BusyBox tests fail on this host but KNOWN-FAILURES has no "
              "'linux:' entry for them: " + "; ".join(unexplained))
    elif unexplained:
        print(f"busybox suite: {len(unexplained)} tests fail on this host as an ordinary user "
              f"(not root): they are not required in the guest", flush=True)
    failed = sorted(n for n in passed_host | set(excused)
                    if guest.get(n) != "PASS" and n not in known)
    print(f"busybox suite: {len(passed_host)} pass on the host, "
          f"{len([n for n in passed_host if guest.get(n) == 'PASS'])} of them in the guest, "
          f"{len(known)} known failures ({r.seconds:.0f}s)", flush=True)
    check(not failed, f"{len(failed)} BusyBox tests pass on the host but not in Exo-OS: "
          + "; ".join(f"{n} ({guest.get(n, 'not run')})" for n in failed[:40]))
    stale = sorted(n for n in known if guest.get(n) == "PASS")
    check(not stale, "KNOWN-FAILURES lists tests that now pass in the guest: " + "; ".join(stale))


@test
def ports_busybox_suite_environment():
    """BusyBox's suite as ports_busybox_suite runs it does not depend on the caller's
    environment: taskset's tests (one runs "$SHELL -c") pass on this host with SHELL unset
    (as in CI's environment, where that test failed) and with SHELL naming no program."""
    check(os.path.exists(os.path.join(BUSYBOX_BIN, "busybox")), "no BusyBox port: run make ports")
    tar = busybox_suite_tar()
    cannot_pin = host_cannot_pin_to_cpu0()
    base = {k: v for k, v in os.environ.items() if k != "SHELL"}
    for what, env in (("SHELL unset", base), ("SHELL=/nonexistent", dict(base, SHELL="/nonexistent"))):
        with tempfile.TemporaryDirectory() as tmp:
            p = subprocess.run([os.path.join(BUSYBOX_BIN, "sh"), "-c", busybox_suite_script(), "run",
                                os.path.join(tmp, "w"), tar, os.path.join(BUSYBOX_BIN, "busybox"),
                                "taskset"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=120, cwd=tmp)
        results = suite_results(p.stdout, f"taskset's tests with {what}")
        check(len(results) == 3, f"{what}: {len(results)} taskset tests ran, expected 3: {results}")
        bad = {n: v for n, v in results.items() if v != "PASS"
               and not (cannot_pin and n in BUSYBOX_HOST_ENV)}
        check(not bad, f"with {what} on the host: {bad}")


# Each port's scripted workload (usr/ports/NAME/tests/): a shell command run with BIN (the
# port's /usr/bin), DIR (its tests folder) and T (an empty scratch folder).
WORKLOADS = {
    "lua5.4": 'cd "$DIR" && TZ=UTC0 LUA_WORKLOAD=yes "$BIN/lua5.4" workload.lua',
    "sqlite3": 'cd "$T" && "$BIN/sqlite3" w.db <"$DIR/workload.sql"',
}


def workload_script(name):
    return (f"echo BEGIN-WORKLOAD\n{WORKLOADS[name]} 2>&1\n"
            f"echo \"END-WORKLOAD $?\"\n")


def port_workload(name):
    """Runs @name's workload on this host and in the guest; their outputs must be equal."""
    bin_dir = os.path.join(PORTS_DIR, name, "root", "usr", "bin")
    tests = os.path.join(ROOT, "usr", "ports", name, "tests")
    check(os.path.isdir(bin_dir), f"no {name} port: run make ports")
    script = workload_script(name)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, BIN=bin_dir, DIR=tests, T=tmp)
        host = subprocess.run([os.path.join(BUSYBOX_BIN, "sh"), "-c", script], env=env,
                              stdout=subprocess.PIPE, text=True, timeout=300).stdout
    host = between(host, "BEGIN-WORKLOAD", "END-WORKLOAD", f"the host's {name} run")
    files = {f"/usr/share/ports-check/{name}/{f}": open(os.path.join(tests, f), "rb").read()
             for f in os.listdir(tests)}
    files[f"/usr/share/ports-check/{name}/run.sh"] = (
        f"BIN=/usr/bin DIR=/usr/share/ports-check/{name} T=/tmp/{name}\n"
        f"mkdir -p $T\n{script}").encode()
    r = boot_ports_image(f"ports_{name.replace('.', '')}_workload", files,
                         f"/usr/bin/sh /usr/share/ports-check/{name}/run.sh", timeout=600)
    guest = between(r.log, "BEGIN-WORKLOAD", "END-WORKLOAD", r.log_path)
    check_same_output(host, guest, f"{name}'s workload")
    status = re.search(r"END-WORKLOAD (\d+)", r.log)
    check(status and status.group(1) == "0", f"{name}'s workload exited with status "
          f"{status.group(1) if status else '?'} in the guest")
    print(f"{name} workload: {len(host.splitlines())} lines equal to the host's "
          f"({r.seconds:.0f}s)", flush=True)


@test
def ports_lua_workload():
    """Lua 5.4 (usr/ports/lua5.4) runs tests/workload.lua in the guest (numbers, strings,
    patterns, utf8, coroutines, metatables, files, popen, the GC) exactly as on this host."""
    port_workload("lua5.4")


@test
def ports_sqlite_workload():
    """SQLite 3 (usr/ports/sqlite3) runs tests/workload.sql on a database file in WAL mode
    (joins, window functions, savepoints, JSON, FTS5, VACUUM, integrity_check) as on this host.
    It found that Exo-OS had no fcntl record locks (every statement: SQLITE_IOERR_LOCK)."""
    port_workload("sqlite3")


# usr/examples/sysvmk.c makes the objects; BusyBox's ipcs lists them and ipcrm removes them.
IPCS_CHECK = r"""
set -- $(/usr/bin/sysvmk | /usr/bin/sed 's/[a-z]*=//g')
echo "MADE shm=$1 sem=$2 msg=$3 pid=$4"
echo BEGIN-IPCS; /usr/bin/ipcs; /usr/bin/ipcs -m -i $1; echo END-IPCS
kill $4
i=0; while kill -0 $4 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
/usr/bin/ipcrm -M 0x5151 -s $2 -q $3; echo "ipcrm rc=$?"
echo BEGIN-AFTER; /usr/bin/ipcs; /usr/bin/cat /proc/sysvipc/shm; echo END-AFTER
/usr/bin/ipcrm -m $1; echo "again rc=$?"
"""


@test
def ports_busybox_ipcs():
    """BusyBox ipcs lists a System V segment (nattch 1: a child is attached), semaphore set and
    message queue that usr/examples/sysvmk made, with keys, ids, modes and sizes; ipcrm (by key
    and by id) removes them, the segment once its last user is gone; a second ipcrm fails."""
    check(os.path.exists(os.path.join(BUSYBOX_BIN, "ipcs")), "no BusyBox port: run make ports")
    r = boot_ports_image("ports_busybox_ipcs", {"/usr/share/ports-check/ipcs.sh":
                                                IPCS_CHECK.encode()},
                         "/usr/bin/sh /usr/share/ports-check/ipcs.sh", timeout=120)
    log = r.log.replace("\r", "")
    m = re.search(r"MADE shm=(\d+) sem=(\d+) msg=(\d+) pid=(\d+)", log)
    check(m, f"sysvmk did not run; see {r.log_path}")
    shm, sem, msg = m.group(1), m.group(2), m.group(3)
    before = between(log, "BEGIN-IPCS", "END-IPCS", r.log_path)
    for what, pat in (("segment", rf"0x00005151 +{shm} +\S+ +640 +10000 +1 "),
                      ("semaphore set", rf"0x00005252 +{sem} +\S+ +600 +3 "),
                      ("message queue", rf"0x00005353 +{msg} +\S+ +604 +5 +1 ")):
        check(re.search(pat, before), f"ipcs does not list the {what} ({pat}):\n{before}")
    for field in (f"shmid={shm}", "mode=0640", "bytes=10000", "nattch=1"):
        check(field in before, f"ipcs -m -i lacks {field}:\n{before}")
    check("ipcrm rc=0" in log, f"ipcrm failed; see {r.log_path}")
    after = between(log, "BEGIN-AFTER", "END-AFTER", r.log_path)
    for key in ("0x00005151", "0x00005252", "0x00005353", f" {shm} "):
        check(key not in after, f"{key} still listed after ipcrm:\n{after}")
    check("again rc=1" in log, f"a second ipcrm of the removed segment did not fail; see {r.log_path}")


@test
def ports_busybox_script():
    """BusyBox script -c on a pty inside a pty: usr/examples/ptydrive runs /bin/sh -i on one,
    which runs `busybox script -q -c 'tty; echo inner-42'`; the inner command sees /dev/pts/1
    and its output reaches both the outer terminal and the typescript file."""
    check(os.path.exists(os.path.join(BUSYBOX_BIN, "busybox")), "no BusyBox port: run make ports")
    r = boot_ports_image("ports_busybox_script", {"/tmp/.keep": b""}, "/usr/bin/ptydrive script",
                         timeout=300)
    # ptydrive escapes what it relays (a CR shows as the two characters \r); drop both kinds.
    text = r.log.replace("\\r", "").replace("\r", "")
    check(re.search(r"^ptydrive: OK$", text, re.M), f"ptydrive failed; see {r.log_path}")
    check(re.search(r"^/dev/pts/1$", text, re.M), "the inner command's tty is not /dev/pts/1")
    check(len(re.findall(r"^inner-42$", text, re.M)) >= 2,
          "inner-42 not both on the terminal and in the typescript")


# BusyBox's ip (netlink for addresses and routes, ioctls for link flags and MTU) on a
# guest with lo and one virtio-net NIC (slirp with restrict=on: nothing leaves the host,
# and nothing is sent anyway). Each step's output is checked against Linux's forms.
BUSYBOX_IP_CHECK = r"""
step() { echo "== $*"; }
step show; ip link show lo; ip addr show lo
step up; ip link set eth0 up; ip link set eth0 mtu 1400; ip link show eth0
step addr; ip addr add 10.9.8.7/24 dev eth0; ip addr show eth0
step route; ip route add default via 10.9.8.1; ip route add 10.20.0.0/16 via 10.9.8.254 dev eth0
ip route; cat /proc/net/route
step del; ip route del 10.20.0.0/16; ip route del default; ip route; echo "dup $(ip addr add 10.9.8.7/24 dev eth0 2>&1)"
step down; ip link set eth0 down; ip link show eth0; ip route
step deladdr; ip addr del 10.9.8.7/24 dev eth0; ip addr show eth0
echo END-IP-CHECK
"""


@test
def ports_busybox_ip():
    """BusyBox's ip in the guest over rtnetlink: ip link/addr/route show lo and eth0 (virtio-net),
    ip link set up/mtu/down, ip addr add/del (with the connected route), ip route add/del of a
    default and a gatewayed route, and /proc/net/route agreeing."""
    check(os.path.exists(os.path.join(BUSYBOX_BIN, "busybox")), "no BusyBox port: run make ports")
    cpio = ports_initramfs("ports_busybox_ip", {"/usr/share/ports-check/ip.sh":
                                                BUSYBOX_IP_CHECK.encode()})
    cmdline = "debug_exit init=/init -- --no-rc --exit-after=/usr/bin/sh /usr/share/ports-check/ip.sh"
    iso = qemu.iso_for_cmdline(cmdline, initramfs=cpio)
    r = qemu.boot_iso("ports_busybox_ip", iso, mem="512M", timeout=120,
                      extra=qemu.net_args("user:restrict=on"))
    check(not r.timed_out and not r.panicked,
          f"the guest {'timed out' if r.timed_out else 'panicked'}; see {r.log_path}")
    out = between(r.log, "== show", "END-IP-CHECK", r.log_path)
    steps = dict(re.findall(r"== (\w+)\n(.*?)(?=\n== |\Z)", "== show\n" + out, re.S))

    def want(step, pattern, present=True):
        found = re.search(pattern, steps.get(step, ""), re.M) is not None
        check(found == present, f"ip step {step}: {'no' if present else 'unexpected'} "
                                f"{pattern!r} in:\n{steps.get(step, '')}")

    want("show", r"^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 .*\n\s+link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00")
    want("show", r"^\s+inet 127\.0\.0\.1/8 scope host lo$")
    want("up", r"^2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 .*\n\s+link/ether 52:54:00:[0-9a-f:]+ brd ff:ff:ff:ff:ff:ff")
    want("addr", r"^\s+inet 10\.9\.8\.7/24 scope global eth0$")
    want("route", r"^default via 10\.9\.8\.1 dev eth0 $")
    want("route", r"^10\.9\.8\.0/24 dev eth0 (proto kernel )?scope link\s+src 10\.9\.8\.7 $")
    want("route", r"^10\.20\.0\.0/16 via 10\.9\.8\.254 dev eth0 $")
    want("route", r"^eth0\t00000000\t0108090A\t0003\t")
    want("route", r"^eth0\t0000140A\tFE08090A\t0003\t")
    want("del", r"^default via", present=False)
    want("del", r"^10\.20\.0\.0/16", present=False)
    want("del", r"^10\.9\.8\.0/24 dev eth0")
    want("del", r"^dup .*File exists")
    want("down", r"^2: eth0: <BROADCAST,MULTICAST> mtu 1400 ")
    want("down", r"^10\.9\.8\.0/24", present=False)
    want("deladdr", r"inet 10\.9\.8\.7", present=False)


BUSYBOX_DMESG_CHECK = r"""
echo BEGIN-DMESG
echo dmesg-marker-one > /dev/kmsg
dmesg | grep -c dmesg-marker-one
dmesg -c | grep -c dmesg-marker-one
dmesg | grep -c dmesg-marker-one
echo dmesg-marker-two > /dev/kmsg
dmesg | grep -c dmesg-marker
echo END-DMESG
"""


@test
def ports_busybox_dmesg():
    """BusyBox dmesg over syslog(2): a message written to /dev/kmsg is listed, dmesg -c
    (READ_CLEAR) lists then clears. (The port's dmesg has no -n.)"""
    check(os.path.exists(os.path.join(BUSYBOX_BIN, "busybox")), "no BusyBox port: run make ports")
    r = boot_ports_image("ports_busybox_dmesg", {"/usr/share/ports-check/dmesg.sh":
                                                 BUSYBOX_DMESG_CHECK.encode()},
                         "/usr/bin/sh /usr/share/ports-check/dmesg.sh", timeout=300)
    out = between(r.log, "BEGIN-DMESG", "END-DMESG", r.log_path)
    # The console echoes the /dev/kmsg lines too; keep the script's own output.
    out = "".join(l for l in out.splitlines(True) if not re.match(r"\[\s*\d+\.\d+\] ", l))
    check(out == "1\n1\n0\n1\n", f"busybox dmesg output:\n{out}")


# strace (usr/ports/strace) traces usr/ports/strace/tests/traced.c, built static here, once
# plainly and once with -ff (following its fork, one file per process).
STRACE_RUN = r"""
D=${D:-/tmp/strace} PROG=${PROG:-/usr/share/ports-check/strace/traced} STRACE=${STRACE:-/usr/bin/strace}
mkdir -p "$D"
chmod 755 "$PROG"
cd "${PROG%/*}" || exit 1
env -i "$STRACE" -o "$D/plain" ./traced plain >/dev/null; echo "plain rc $?"
env -i "$STRACE" -ff -o "$D/fork" ./traced fork >/dev/null; echo "fork rc $?"
env -i "$STRACE" -f -o "$D/threads" ./traced threads >/dev/null; echo "threads rc $?"
echo "threads exits $(grep -c '+++ exited with 0 +++' "$D/threads")"
./traced sleep & P=$!
"$STRACE" -o "$D/attach" -p $P 2>"$D/attach.err"; echo "attach rc $?"
echo "attach end $(tail -n 1 "$D/attach")"
echo BEGIN-STRACE
for f in "$D"/plain "$D"/fork.*; do echo "== FILE ${f##*/}"; cat "$f"; done
echo END-STRACE
"""


def strace_normalise(text):
    """strace's output with what differs between two machines replaced: addresses, the pids (by their order: the traced process, then its child) and the column
    padding that follows their widths. Returns {file kind: lines}, file kind "plain",
    "parent" or "child"."""
    files = re.split(r"^== FILE (\S+)\n", text, flags=re.M)[1:]
    blocks = dict(zip(files[0::2], files[1::2]))
    forks = sorted((n for n in blocks if n.startswith("fork.")), key=lambda n: int(n[5:]))
    check(len(forks) == 2, f"strace -ff wrote {len(forks)} files, not 2: {sorted(blocks)}")
    kinds = {"plain": blocks.get("plain", ""), "parent": blocks[forks[0]],
             "child": blocks[forks[1]]}
    pids = {forks[0][5:]: "PID1", forks[1][5:]: "PID2"}
    m = re.search(r"^set_tid_address\(.*= (\d+)$", kinds["plain"], re.M)
    plain_pid = m.group(1) if m else None
    out = {}
    for kind, body in kinds.items():
        names = {plain_pid: "PID1"} if kind == "plain" else pids
        lines = []
        for line in body.splitlines():
            line = re.sub(r"0x[0-9a-f]+", "0xADDR", line)
            line = re.sub(r"^((?:kill|wait4)\()(\d+)",
                          lambda m: m.group(1) + names.get(m.group(2), m.group(2)), line)
            line = re.sub(r"^((?:set_tid_address|getpid|gettid|fork|wait4)\(.*= )(\d+)$",
                          lambda m: m.group(1) + names.get(m.group(2), m.group(2)), line)
            lines.append(re.sub(r"\s+= ", " = ", line))
        out[kind] = lines
    return out


@test
def ports_strace():
    """strace (usr/ports/strace, static musl) in the guest traces a static program
    (usr/ports/strace/tests/traced.c): plainly, and with -ff following its fork; the system
    call names, arguments and results equal the same strace's on this host (pids and
    addresses normalised). Checks ptrace end to end: SEIZE, the syscall stops,
    PTRACE_GET_SYSCALL_INFO, process_vm_readv, TRACEFORK, exit reports to the tracer.
    Also strace -f over two threads (every exit seen) and strace -p attaching to a sleeping
    process (its exit seen), on both sides."""
    strace = os.path.join(PORTS_DIR, "strace", "root", "usr", "bin", "strace")
    check(os.path.exists(strace), "no strace port: run make ports")
    src = os.path.join(ROOT, "usr", "ports", "strace", "tests", "traced.c")
    with tempfile.TemporaryDirectory() as tmp:
        prog = os.path.join(tmp, "traced")
        subprocess.run(["musl-gcc", "-static", "-O2", "-o", prog, src], check=True)
        env = dict(os.environ, D=os.path.join(tmp, "out"), PROG=prog, STRACE=strace)
        host = subprocess.run([os.path.join(BUSYBOX_BIN, "sh"), "-c", STRACE_RUN], env=env,
                              stdout=subprocess.PIPE, text=True, timeout=120).stdout
        check("plain rc 0" in host and "fork rc 0" in host, f"strace fails on the host:\n{host}")
        host_lines = host
        host = strace_normalise(between(host, "BEGIN-STRACE", "END-STRACE", "the host's run"))
        traced = open(prog, "rb").read()
    r = boot_ports_image("ports_strace", {"/usr/share/ports-check/strace/traced": traced,
                                          "/usr/share/ports-check/strace/run.sh":
                                          STRACE_RUN.encode()},
                         "/usr/bin/sh /usr/share/ports-check/strace/run.sh", timeout=300)
    log = r.log.replace("\r", "")
    check("plain rc 0" in log and "fork rc 0" in log,
          f"strace failed in the guest; see {r.log_path}")
    # strace -f over threads (CLONE_THREAD tracees), strace -p (SEIZE of a running process).
    for want in ("threads rc 0", "threads exits 3", "attach rc 0",
                 "attach end +++ exited with 5 +++"):
        check(want in host_lines, f"the host's run lacks {want!r}: strace itself fails there")
        check(want in log, f"the guest's run lacks {want!r}; see {r.log_path}")
    guest = strace_normalise(between(log, "BEGIN-STRACE", "END-STRACE", r.log_path))
    for kind in ("plain", "parent", "child"):
        check(len(host[kind]) >= 3, f"the host's {kind} trace is too short: {host[kind]}")
        check_same_output("\n".join(host[kind]) + "\n", "\n".join(guest[kind]) + "\n",
                          f"strace's {kind} trace")
    check(any(l.startswith("fork() = PID2") for l in guest["parent"]),
          "the parent's trace shows no fork returning the child's pid")
    print(f"strace: {sum(len(v) for v in guest.values())} lines equal to the host's "
          f"({r.seconds:.0f}s)", flush=True)
