"""Dynamically linked programs (fs/binfmt_elf.c PT_INTERP, docs/user-mode.md): Debian's own
/bin/ls, /bin/bash and /usr/bin/python3 with the libraries ldd finds for them on this host,
and a musl-gcc dynamic hello with /lib/ld-musl-x86_64.so.1, copied unchanged into an ext4
root image (mke2fs -d) and run in the guest from it; each output must equal the same
command's output on the host."""
import os
import re
import shutil
import subprocess

from testsuite.common import group_test, test, check, expect_line, guest_group, qemu
from testsuite.ext4 import DIR, MKE2FS, have_mke2fs
from testsuite.ports import between, check_same_output

TREE = os.path.join(DIR, "dynelf-tree")
IMAGE = os.path.join(DIR, "dynelf.img")
HOST_PROGRAMS = ["/bin/ls", "/bin/bash", "/usr/bin/python3", "/usr/sbin/ip"]
MUSL_LOADER = "/lib/ld-musl-x86_64.so.1"
PY_CODE = "import sys, os, math; print(sum(i * i for i in range(1000)), math.factorial(20), " \
          "sorted({'b': 2, 'a': 1}.items()), os.path.basename('/x/y.py'), sys.version_info[:2])"
HELLO_C = r"""#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
int main(int argc, char **argv)
{
	char *s = strdup(argc > 1 ? argv[1] : "none");
	struct timespec ts;
	printf("hello from musl, dynamic: %s %d\n", s, clock_gettime(CLOCK_MONOTONIC, &ts));
	free(s);
	return 0;
}
"""
# A static glibc program: glibc finds the vDSO through AT_SYSINFO_EHDR even when static.
GLIBC_STATIC_C = r"""#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
int main(void)
{
	struct timespec a, b, r;
	struct timeval tv;
	int ok = 1;
	for (int i = 0; i < 100000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (b.tv_sec < a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec < a.tv_nsec))
			ok = 0;
	}
	clock_gettime(CLOCK_REALTIME, &r);
	gettimeofday(&tv, NULL);
	printf("glibc static: monotonic %s, realtime %s, gettimeofday %s, time %s, cpu %s\n",
	       ok ? "ok" : "WENT BACK", r.tv_sec > 1700000000 ? "ok" : "bad",
	       tv.tv_sec >= r.tv_sec && tv.tv_sec - r.tv_sec < 5 ? "ok" : "bad",
	       time(NULL) >= r.tv_sec ? "ok" : "bad", sched_getcpu() >= 0 ? "ok" : "bad");
	return 0;
}
"""
HOST_ARGV0 = {"ls": "/bin/ls", "bash": "/bin/bash", "python3": "/usr/bin/python3",
              "ip-link": "/usr/sbin/ip", "ip-addr": "/usr/sbin/ip", "ip-route": "/usr/sbin/ip",
              "ld.so": "/lib64/ld-linux-x86-64.so.2"}
# The same commands on the host and in the guest, between markers.
COMMANDS = [
    ("ls", ["/host/bin/ls", "-l", "--time-style=+%Y-%m-%d.%H:%M:%S", "/data"]),
    ("ls-a", ["/host/bin/ls", "-a", "-F", "-C", "-w", "80", "/data"]),
    ("bash", ["/host/bin/bash", "-c",
              "x=0; for i in {1..10}; do x=$((x + i * i)); done; a=(one two three); "
              "echo ${#a[@]} ${a[1]^^} $((6 * 7)) $x; printf '%05d|%s\\n' 42 \"${a[*]}\"; "
              "f() { echo \"f:$1\"; }; f bar; case abc in a*) echo glob;; esac; "
              "declare -A m=([k]=v); echo ${m[k]} ${BASH_VERSION%%.*}"]),
    ("python3", ["/host/bin/python3", "-c", PY_CODE]),
    # iproute2 (glibc, libmnl, libelf, libbpf...) over rtnetlink: lo's link, address and
    # local routes, as Linux prints them for a lo of its own.
    ("ip-link", ["/host/bin/ip", "-o", "link", "show", "lo"]),
    ("ip-addr", ["/host/bin/ip", "-4", "-o", "addr", "show", "dev", "lo"]),
    ("ip-route", ["/host/bin/ip", "route", "show", "table", "local"]),
    ("hello", ["/usr/bin/hello-musl-dyn", "arg1"]),
    ("glibc-static", ["/usr/bin/hello-glibc-static"]),
    # The loader run as a program (ET_DYN without PT_INTERP) loading ls itself.
    ("ld.so", ["/lib64/ld-linux-x86-64.so.2", "/host/bin/ls", "-a", "-C", "-w", "80", "/data"]),
]


def ldd_paths(program):
    """The libraries and the interpreter ldd names for @program (absolute paths)."""
    p = subprocess.run(["ldd", program], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    check(p.returncode == 0, f"ldd {program}: {p.stdout}")
    paths = re.findall(r"=> (/\S+)", p.stdout) + re.findall(r"^\s+(/\S+) \(", p.stdout, re.M)
    check(paths, f"ldd {program} found no libraries: {p.stdout}")
    return paths


def copy_in(src, dst=None):
    """Copies @src's content (symlinks followed) to @dst (default: the same path) in TREE."""
    full = os.path.join(TREE, (dst or src).lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    shutil.copyfile(src, full)
    shutil.copymode(src, full)


def python_files():
    """The stdlib files python3 -c PY_CODE imports on this host (sys.modules after running it),
    and os.py, the landmark its start-up looks for to find the stdlib."""
    code = ("import sys\n" + PY_CODE.replace("print(", "(") + "\n"
            "import os\nprint('\\n'.join(sorted({getattr(m, '__file__', None) or '' "
            "for m in list(sys.modules.values())} | {os.__file__})))")
    p = subprocess.run(["/usr/bin/python3", "-c", code], stdout=subprocess.PIPE, text=True,
                       env={"PATH": "/usr/bin:/bin"})
    check(p.returncode == 0, "python3 on the host failed")
    return [f for f in p.stdout.split() if f.startswith("/usr/lib/python3")]


def build_tree():
    if os.path.exists(TREE):
        shutil.rmtree(TREE)
    shutil.copytree(os.path.join(qemu.BUILD, "usr", "root"), TREE, symlinks=True)
    for d in ("dev", "proc", "sys", "tmp", "mnt", "root"):
        os.makedirs(os.path.join(TREE, d), exist_ok=True)
    with open(os.path.join(TREE, "etc", "passwd"), "w") as f:
        f.write("root:x:0:0:root:/root:/bin/sh\n")
    with open(os.path.join(TREE, "etc", "group"), "w") as f:
        f.write("root:x:0:\n")
    for prog in HOST_PROGRAMS:
        copy_in(prog, "/host/bin/" + os.path.basename(prog))
        for lib in ldd_paths(prog):
            copy_in(lib)
    for f in python_files():
        copy_in(f)
    os.makedirs(os.path.join(TREE, "usr/lib/python3.11/lib-dynload"), exist_ok=True)
    copy_in(MUSL_LOADER)
    src = os.path.join(DIR, "hello-musl-dyn.c")
    with open(src, "w") as f:
        f.write(HELLO_C)
    out = os.path.join(TREE, "usr", "bin", "hello-musl-dyn")
    p = subprocess.run(["musl-gcc", "-O2", "-o", out, src], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, f"musl-gcc: {p.stdout}")
    gsrc = os.path.join(DIR, "hello-glibc-static.c")
    with open(gsrc, "w") as f:
        f.write(GLIBC_STATIC_C)
    p = subprocess.run(["gcc", "-static", "-O2", "-o",
                        os.path.join(TREE, "usr", "bin", "hello-glibc-static"), gsrc],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, f"gcc -static: {p.stdout}")
    interp = subprocess.run(["readelf", "-l", out], stdout=subprocess.PIPE, text=True).stdout
    check(MUSL_LOADER in interp, "the musl hello is not dynamically linked")
    # A fixed directory for ls -l: sizes, modes, a symlink and fixed times.
    data = os.path.join(TREE, "data")
    os.makedirs(os.path.join(data, "sub"))
    for i, (name, mode, size) in enumerate([("a.txt", 0o644, 10), ("big.bin", 0o600, 70000),
                                            ("run.sh", 0o755, 33), ("empty", 0o444, 0)]):
        path = os.path.join(data, name)
        with open(path, "wb") as f:
            f.write(bytes((j * 7 + i) & 0xff for j in range(size)))
        os.chmod(path, mode)
    os.symlink("a.txt", os.path.join(data, "link"))
    for name in os.listdir(data) + [""]:
        t = 1_700_000_000 + 3600 * len(name)
        os.utime(os.path.join(data, name), (t, t), follow_symlinks=False)


def host_outputs():
    """Each command's output on the host, with the tree's /data and programs at hand."""
    out = {}
    for name, argv in COMMANDS:
        argv = [a.replace("/data", os.path.join(TREE, "data")) for a in argv]
        argv[0] = HOST_ARGV0.get(name) or os.path.join(TREE, argv[0].lstrip("/"))
        argv = [HOST_ARGV0["ls"] if a == "/host/bin/ls" else a for a in argv]
        if name.startswith("ip-") and os.geteuid() == 0:
            # iproute2 on a lo of its own, as the guest's: a fresh namespace with lo up.
            argv = ["unshare", "-n", "sh", "-c", '/usr/sbin/ip link set lo up && exec "$@"',
                    "sh"] + argv
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           env={"PATH": "/bin:/usr/bin", "TZ": "UTC", "LC_ALL": "C"})
        text = p.stdout.replace(os.path.join(TREE, "data"), "/data") + f"exit {p.returncode}\n"
        out[name] = text
    return out


def comparable(text):
    """@text without kernel log lines, and without ls -l's "total" (st_blocks differ between
    the host's file system and the image)."""
    return "".join(line + "\n" for line in text.splitlines()
                   if not re.match(r"^\[[ \d.]+\] |^total \d+$", line))


def guest_script():
    lines = ["export PATH=/bin:/usr/bin TZ=UTC LC_ALL=C"]
    for name, argv in COMMANDS:
        quoted = " ".join("'" + a.replace("'", "'\\''") + "'" for a in argv)
        lines.append(f"echo BEGIN-{name}; {quoted} 2>&1; echo \"exit $?\"; echo END-{name}")
    lines.append("echo dynelf-done")
    return "\n".join(lines) + "\n"


def make_image():
    build_tree()
    with open(os.path.join(TREE, "dynelf.sh"), "w") as f:
        f.write(guest_script())
    if os.path.exists(IMAGE):
        os.unlink(IMAGE)
    p = subprocess.run([MKE2FS, "-q", "-F", "-t", "ext4", "-d", TREE, "-b", "4096", "-L", "dynelf", IMAGE,
                        "192M"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, f"mke2fs dynelf.img: {p.stdout}")
    return IMAGE


@test
def dynelf_host_programs():
    """Debian's dynamic /bin/ls (ls -l of a fixed directory), /bin/bash (a bash -c script of
    arrays, arithmetic, case, functions, printf), python3 (-c computing sums, a
    factorial, a sorted dict) and iproute2's ip (lo's link, address and local routes), with their libraries from ldd and the glibc loader
    /lib64/ld-linux-x86-64.so.2 (also run as a program, loading ls itself), and a
    musl-gcc dynamic hello with ld-musl: each runs
    unchanged from an ext4 root on -smp 2 and prints exactly what it prints on the host."""
    have_mke2fs()
    check(shutil.which("musl-gcc"), "musl-gcc is missing (Debian package musl-tools)")
    image = make_image()
    want = host_outputs()
    cmdline = ("root=/dev/vda rootfstype=ext4 debug_exit init=/init -- --no-rc "
               "--exit-after=/bin/sh /dynelf.sh")
    r = qemu.boot("dynelf_host_programs", cmdline, mem="512M", smp=2, timeout=300,
                  extra=["-rtc", "base=2024-01-01T00:00:00"] + qemu.disk_args([image]))
    check(not r.timed_out and not r.panicked, f"the guest hung or panicked: see {r.log_path}")
    expect_line(r, r"^dynelf-done", "the script ran to its end")
    for name, _ in COMMANDS:
        got = between(r.log, f"BEGIN-{name}", f"END-{name}", "the guest's log")
        check_same_output(comparable(want[name]), comparable(got),
                          f"{name} in the guest vs on the host")


@group_test
def dynelf_vdso_smp4():
    """The vDSO on -smp 4 (usr/tests/vdso.c, group vdso): AT_SYSINFO_EHDR is an ELF with the
    four LINUX_2.6 functions, each agreeing with its system call, getcpu naming the pinned
    CPU, CLOCK_MONOTONIC never going back between CPUs, [vdso] and [vvar] in maps."""
    guest_group("dynelf_vdso_smp4", "vdso", smp=4)


@group_test
def dynelf_bad_interpreters():
    """execve of hand-made ELF programs (group interp): a missing PT_INTERP file ENOENT, a
    non-ELF one ELIBBAD, an empty one EIO, one without execute permission EACCES; a good
    interpreter runs in place of the program."""
    guest_group("dynelf_bad_interpreters", "interp")
