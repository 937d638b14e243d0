"""Kernels of other configurations: configs/*_defconfig build and boot, and
the Kconfig matrix (allnoconfig, allyesconfig, seeded randconfigs) builds
warning-free (-Werror) and boots a user program in each kernel that has a
console. docs/kconfig.md describes the matrix."""
import os
import re
import subprocess
import time

from testsuite.common import test, check, boot_config, build_config, expect_clean_exit, \
    expect_line, ahead, needs, TestFailure
import qemu

# randconfig seeds the matrix builds; EXO_RANDCONFIG_SEEDS="1 2 3" (or "1,2,3") overrides.
DEFAULT_SEEDS = "23 5 3"
HELLO = r"^hello from /usr/bin/hello, argc=3$"


@test
@needs(build_config, "bench_defconfig")
def config_no_debug():
    """configs/bench_defconfig (no CONFIG_DEBUG, no CONFIG_SELFTEST: what benchmarks use)
    builds warning-free, says selftest= is not built, and runs a user program as init."""
    kernel, initramfs = build_config("bench_defconfig")
    config = open(os.path.join(os.path.dirname(kernel), ".config")).read()
    check("# CONFIG_SELFTEST is not set" in config, "bench_defconfig has CONFIG_SELFTEST on")
    iso = qemu.iso_for_cmdline("debug_exit selftest=all init=/usr/bin/hello -- one two",
                               kernel, initramfs)
    r = qemu.boot_iso("config_no_debug", iso, smp=2)
    expect_clean_exit(r)
    expect_line(r, r"selftest= ignored: self-tests not built \(CONFIG_SELFTEST is off\)$",
                "the notice that selftest= did nothing")
    check("selftests:" not in r.log, "self-tests ran in a kernel built without them")
    expect_line(r, HELLO, "hello's output")


@test
@needs(build_config, "nosmp_defconfig")
def config_no_smp():
    """configs/nosmp_defconfig (CONFIG_SMP=n) builds and boots on a 2-CPU machine with the boot CPU only."""
    r = boot_config("config_no_smp", "nosmp_defconfig", smp=2)
    check("smp:" not in r.log or "smp: 1 CPU online" in r.log, "a second CPU came up without CONFIG_SMP")


def matrix_initramfs():
    """The main build's user tree with a /dev/console node, so init has its standard
    streams in kernels without CONFIG_DEVFS (Linux's initramfs convention)."""
    root = os.path.join(qemu.BUILD, "usr", "root")
    out = os.path.join(qemu.BUILD, "matrix-initramfs.cpio")
    if not os.path.isdir(root):
        p = subprocess.run(["make", "--no-print-directory", "usr"], cwd=qemu.ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        check(p.returncode == 0, "make usr failed:\n" + p.stdout[-2000:])
    p = subprocess.run(["/usr/bin/python3", os.path.join(qemu.ROOT, "scripts", "mkinitramfs.py"),
                        out, "--dev", "dev/console:c:5:1:0600", root],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, "mkinitramfs failed:\n" + p.stdout[-2000:])
    return out


@ahead
def matrix_build(name, make_args, repro):
    """Writes build/cfg-@name/.config with `make @make_args` and builds its kernel; returns
    (seconds, the symbols that are on)."""
    t0 = time.monotonic()
    build = os.path.join("build", "cfg-" + name)
    env = dict(os.environ, KCONFIG_CONFIG=f"{build}/.config")
    cmd = ["make", "--no-print-directory", f"BUILD={build}", f"KCONFIG_CONFIG={build}/.config"]
    p = subprocess.run(cmd + list(make_args), cwd=qemu.ROOT, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, f"{name}: `{repro}` failed:\n" + p.stdout[-2000:])
    config = open(os.path.join(qemu.ROOT, build, ".config")).read()
    on = sorted(re.findall(r"^CONFIG_(\w+)=y$", config, re.MULTILINE))
    p = subprocess.run(cmd + ["-j2", f"{build}/exo.elf"], cwd=qemu.ROOT, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0,
          f"{name} (on: {' '.join(on) or 'nothing'}) does not build; reproduce with\n"
          f"  {repro} KCONFIG_CONFIG={build}/.config BUILD={build} && "
          f"make BUILD={build} KCONFIG_CONFIG={build}/.config\n" + p.stdout[-3000:])
    return time.monotonic() - t0, on


def matrix_config(name, make_args, repro):
    """Builds build/cfg-@name (matrix_build) and, if it has a console, boots /usr/bin/hello
    as init. Returns a line for the summary."""
    built, on = matrix_build(name, make_args, repro)
    build = os.path.join("build", "cfg-" + name)
    if "NET" not in on:
        # cond_syscall: the socket calls are kernel/sys_ni.c's weak aliases, -ENOSYS.
        syms = {}
        for line in open(os.path.join(qemu.ROOT, build, "exo.syms")):
            f = line.split()
            syms[f[-1]] = f[0]
        check("sys_ni_syscall" in syms and syms.get("sys_socket") == syms["sys_ni_syscall"],
              f"{name}: without CONFIG_NET sys_socket is not sys_ni_syscall (-ENOSYS)")
    if "SERIAL_16550" not in on:
        return f"{name}: built in {built:.0f}s; not booted (no console: CONFIG_SERIAL_16550 off)"
    kernel = os.path.join(qemu.ROOT, build, "exo.elf")
    iso = qemu.iso_for_cmdline("debug_exit init=/usr/bin/hello -- one two", kernel,
                               matrix_initramfs())
    r = qemu.boot_iso(f"config_{name}", iso, smp=2)
    try:
        expect_clean_exit(r)
        expect_line(r, HELLO, "hello's output")
    except Exception as e:
        raise type(e)(f"{name} (on: {' '.join(on) or 'nothing'}) does not boot to hello "
                      f"(log {r.log_path}); reproduce with `{repro}`: {e}")
    return f"{name}: built in {built:.0f}s, booted hello in {r.seconds:.0f}s"


# The matrix: (name, make arguments, how to reproduce). Tuples: @ahead keys its runs on them.
ALLNOCONFIG = [("allnoconfig", ("allnoconfig",), "make allnoconfig"),
               ("allnoconfig-console", ("allnoconfig", "SET=SERIAL_16550=y"),
                "make allnoconfig SET=SERIAL_16550=y")]
ALLYESCONFIG = [("allyesconfig", ("allyesconfig",), "make allyesconfig")]


def randconfigs():
    seeds = os.environ.get("EXO_RANDCONFIG_SEEDS", DEFAULT_SEEDS).replace(",", " ").split()
    check(seeds, "EXO_RANDCONFIG_SEEDS holds no seed")
    for seed in seeds:
        check(seed.isdigit(), f"randconfig seed {seed!r} is not a number")
    return [(f"rand-{seed}", ("randconfig", f"SEED={seed}"), f"make randconfig SEED={seed}")
            for seed in seeds]


def ahead_randconfigs():
    """randconfigs() for the lane; a bad EXO_RANDCONFIG_SEEDS is the test's failure, not
    the import's."""
    try:
        return randconfigs()
    except TestFailure:
        return []


def matrix_ahead(configs):
    """@needs of a matrix test: each of its builds."""
    def mark(test_fn):
        for c in configs:
            test_fn = needs(matrix_build, *c)(test_fn)
        return test_fn
    return mark


@test
@matrix_ahead(ALLNOCONFIG)
def config_allnoconfig():
    """allnoconfig builds with -Werror; allnoconfig plus the serial console (the smallest
    kernel that has a console: no SMP, ACPI, tmpfs options, devtmpfs, procfs, sockets,
    debug checks or self-tests) boots a user program as init."""
    for c in ALLNOCONFIG:
        print("  " + matrix_config(*c))


@test
@matrix_ahead(ALLYESCONFIG)
def config_allyesconfig():
    """allyesconfig builds with -Werror and boots a user program as init."""
    for c in ALLYESCONFIG:
        print("  " + matrix_config(*c))


@test
@matrix_ahead(ahead_randconfigs())
def config_randconfig():
    """N seeded randconfigs (EXO_RANDCONFIG_SEEDS, default 3 fixed seeds) build with
    -Werror and each that has a console boots a user program as init."""
    for c in randconfigs():
        print("  " + matrix_config(*c))
