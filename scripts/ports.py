#!/usr/bin/python3
"""Build the ports: upstream programs from Debian's source packages, made with musl-gcc -static.

Usage: ports.py [--dir DIR] build [NAME ...]    (default: every usr/ports/NAME)
       ports.py [--dir DIR] roots [NAME ...]     print the ports' install roots

DIR (default build/ports) is shared by every kernel build folder (make BUILD=...): a port
does not depend on the kernel's configuration.

A port is a folder usr/ports/NAME/ (docs/userland.md, "Ports"):
  recipe     "key: value" lines: package (Debian source package), version (exact, with the
             epoch), dsc-sha256 (of the .dsc file)
  build.sh   run by /bin/sh -e in the unpacked source with SRC, OBJ (an empty build folder),
             DESTDIR (the install root, copied over the guest's /), RECIPE, CC, KINC (a folder
             holding only the kernel's uapi headers, for -idirafter), JOBS, SOURCE_DATE_EPOCH
  anything else the build script reads (configuration, patches)
  KNOWN-FAILURES  tests of the program's own suite that fail in Exo-OS, each with its reason
  tests/     workloads run in the guest and on the host (scripts/testsuite/ports.py)
  (these two are not build inputs)

Steps for each port, under DIR: fetch the .dsc and the files it names with
apt-get source through the private sources list scripts/setup writes (DIR/apt/sources.list;
the machine's apt configuration is never read or changed), check the .dsc's sha256
against the recipe (apt-get checks the tarballs against the .dsc), unpack with
dpkg-source -x (which applies Debian's patches), run build.sh. NAME/stamp records the
hash of the recipe folder: a port is rebuilt only when its recipe changes.
"""
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORTS_SRC = os.path.join(ROOT, "usr", "ports")
# The kernel's uapi headers for musl-gcc (it sees only musl's own headers): linux-libc-dev.
UAPI_DIRS = {"linux": "/usr/include/linux", "asm-generic": "/usr/include/asm-generic",
             "asm": "/usr/include/x86_64-linux-gnu/asm", "mtd": "/usr/include/mtd"}
RECIPE_KEYS = ("package", "version", "dsc-sha256")
# Files of a recipe folder the build does not read: changing them rebuilds nothing.
NOT_BUILD_INPUTS = ("KNOWN-FAILURES", "tests")


class PortError(Exception):
    pass


def say(name, msg):
    print(f"  PORT    {name}: {msg}", flush=True)


def read_recipe(name):
    path = os.path.join(PORTS_SRC, name, "recipe")
    if not os.path.exists(path):
        raise PortError(f"no {os.path.relpath(path, ROOT)}; a port needs a recipe "
                        f"(see scripts/ports.py)")
    recipe = {}
    with open(path) as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, sep, value = line.partition(":")
            if not sep:
                raise PortError(f"{os.path.relpath(path, ROOT)}:{n}: want 'key: value'")
            recipe[key.strip()] = value.strip()
    missing = [k for k in RECIPE_KEYS if not recipe.get(k)]
    if missing:
        raise PortError(f"{os.path.relpath(path, ROOT)} lacks {', '.join(missing)}")
    return recipe


def recipe_hash(name):
    """sha256 over the build inputs of usr/ports/NAME (paths and contents)."""
    h = hashlib.sha256()
    top = os.path.join(PORTS_SRC, name)
    for dirpath, dirnames, filenames in os.walk(top):
        if dirpath == top:
            dirnames[:] = [d for d in dirnames if d not in NOT_BUILD_INPUTS]
        dirnames.sort()
        for f in sorted(set(filenames) - set(NOT_BUILD_INPUTS)):
            full = os.path.join(dirpath, f)
            h.update(os.path.relpath(full, top).encode() + b"\0")
            with open(full, "rb") as fh:
                h.update(fh.read())
    return h.hexdigest()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run(cmd, what, fix, cwd=None, env=None, log=None):
    """Runs @cmd; on failure raises a PortError naming @what failed and @fix, with the output's tail."""
    out = open(log, "w") if log else subprocess.PIPE
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    finally:
        if log:
            out.close()
    if p.returncode != 0:
        text = open(log).read() if log else p.stdout
        tail = "\n".join(text.rstrip().splitlines()[-25:])
        where = f" (full log: {os.path.relpath(log, ROOT)})" if log else ""
        raise PortError(f"{what} failed with status {p.returncode}{where}:\n{tail}\n-> {fix}")
    return p.stdout if not log else ""


class Apt:
    """apt-get with the private sources list and state under DIR/apt."""

    def __init__(self, ports_dir):
        self.dir = os.path.join(ports_dir, "apt")
        self.sources = os.path.join(self.dir, "sources.list")
        self.lists = os.path.join(self.dir, "lists")

    def cmd(self, *args):
        if not os.path.exists(self.sources):
            raise PortError(f"no {os.path.relpath(self.sources, ROOT)}: run scripts/setup "
                            f"(it writes the private deb-src list)")
        for d in (os.path.join(self.lists, "partial"), os.path.join(self.dir, "cache")):
            os.makedirs(d, exist_ok=True)
        return ["apt-get", "-q", "-o", f"Dir::Etc::SourceList={self.sources}",
                "-o", "Dir::Etc::SourceParts=/dev/null", "-o", f"Dir::State::Lists={self.lists}",
                "-o", f"Dir::Cache={os.path.join(self.dir, 'cache')}",
                "-o", "APT::Sandbox::User=root", *args]

    def update(self):
        run(self.cmd("update"), "apt-get update (private deb-src list)",
            f"check the network and {os.path.relpath(self.sources, ROOT)}")

    def fresh(self):
        return any(f.endswith("Sources") or "Sources." in f for f in os.listdir(self.lists)) \
            if os.path.isdir(self.lists) else False

    def source(self, package, version, dest):
        os.makedirs(dest, exist_ok=True)
        spec = f"{package}={version}"
        cmd = self.cmd("source", "--download-only", spec)
        if not self.fresh():
            self.update()
        p = subprocess.run(cmd, cwd=dest, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            # The lists may predate the version: fetch them again once.
            self.update()
            run(cmd, f"apt-get source {spec}",
                f"is {version} still in bookworm? (apt-cache showsrc {package} with the options "
                f"above lists the versions); update the recipe's version and dsc-sha256",
                cwd=dest)


def dsc_name(package, version):
    upstream = version.split(":", 1)[-1]
    return f"{package}_{upstream}.dsc"


def kinc_dir(ports_dir):
    path = os.path.join(ports_dir, "kinc")
    os.makedirs(path, exist_ok=True)
    for name, target in UAPI_DIRS.items():
        if not os.path.isdir(target):
            raise PortError(f"{target} is missing: install linux-libc-dev (scripts/setup does)")
        link = os.path.join(path, name)
        if os.path.islink(link) and os.readlink(link) == target:
            continue
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(target, link)
    return path


def build_port(name, ports_dir, jobs):
    recipe = read_recipe(name)
    top = os.path.join(ports_dir, name)
    stamp = os.path.join(top, "stamp")
    digest = recipe_hash(name)
    if os.path.exists(stamp) and open(stamp).read().strip() == digest:
        return False
    t0 = time.monotonic()
    package, version = recipe["package"], recipe["version"]
    dl = os.path.join(ports_dir, "dl")
    dsc = os.path.join(dl, dsc_name(package, version))
    if not os.path.exists(dsc) or sha256_file(dsc) != recipe["dsc-sha256"]:
        say(name, f"fetching {package} {version} (apt-get source)")
        Apt(ports_dir).source(package, version, dl)
    if not os.path.exists(dsc):
        raise PortError(f"apt-get source gave no {os.path.relpath(dsc, ROOT)}")
    got = sha256_file(dsc)
    if got != recipe["dsc-sha256"]:
        raise PortError(f"{os.path.basename(dsc)}: sha256 {got}, but the recipe says "
                        f"{recipe['dsc-sha256']}\n-> if Debian changed the package on purpose, "
                        f"check the new .dsc and put its sha256 into usr/ports/{name}/recipe")
    if os.path.exists(stamp):
        os.remove(stamp)
    src, obj, dest = (os.path.join(top, d) for d in ("src", "obj", "root"))
    for d in (src, obj, dest):
        shutil.rmtree(d, ignore_errors=True)
    os.makedirs(obj)
    os.makedirs(dest)
    say(name, "unpacking and applying Debian's patches (dpkg-source -x)")
    run(["dpkg-source", "--no-copy", "-x", dsc, src], f"dpkg-source -x {os.path.basename(dsc)}",
        "dpkg-dev must be installed (scripts/setup); delete the ports' dl folder to fetch again")
    epoch = run(["dpkg-parsechangelog", "-l", os.path.join(src, "debian", "changelog"),
                 "-STimestamp"], "dpkg-parsechangelog", "dpkg-dev must be installed").strip()
    env = dict(os.environ, SRC=src, OBJ=obj, DESTDIR=dest, RECIPE=os.path.join(PORTS_SRC, name),
               CC="musl-gcc", KINC=kinc_dir(ports_dir), JOBS=str(jobs), SOURCE_DATE_EPOCH=epoch,
               LC_ALL="C")
    log = os.path.join(top, "build.log")
    say(name, f"building with musl-gcc -static, -j{jobs} (log: {os.path.relpath(log, ROOT)})")
    run(["/bin/sh", "-e", os.path.join(PORTS_SRC, name, "build.sh")], f"build of port {name}",
        f"fix usr/ports/{name}/build.sh or its configuration; the source is in "
        f"{os.path.relpath(src, ROOT)}", cwd=src, env=env, log=log)
    seconds = time.monotonic() - t0
    with open(os.path.join(top, "build-seconds"), "w") as fh:
        fh.write(f"{seconds:.0f}\n")
    with open(stamp, "w") as fh:
        fh.write(digest + "\n")
    say(name, f"built in {seconds:.0f}s")
    return True


def all_ports():
    return sorted(d for d in os.listdir(PORTS_SRC) if os.path.isdir(os.path.join(PORTS_SRC, d)))


def main():
    args = sys.argv[1:]
    ports_dir = os.path.join(ROOT, "build", "ports")
    if args[:1] == ["--dir"] and len(args) > 1:
        ports_dir = os.path.abspath(args[1])
        args = args[2:]
    if not args or args[0] not in ("build", "roots"):
        sys.exit(__doc__)
    names = args[1:] or all_ports()
    if args[0] == "roots":
        print(" ".join(os.path.join(ports_dir, name, "root") for name in names))
        return
    jobs = int(os.environ.get("JOBS", os.cpu_count() or 1))
    os.makedirs(ports_dir, exist_ok=True)
    # Two builds at once (two make runs, two BUILD= folders) would unpack into one folder.
    lock = open(os.path.join(ports_dir, "lock"), "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    for name in names:
        try:
            build_port(name, ports_dir, jobs)
        except PortError as e:
            sys.exit(f"ports: {name}: {e}")


if __name__ == "__main__":
    main()
