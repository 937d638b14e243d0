"""Suites run inside the guest: the shell's, the core utilities', exotest groups, and
the whole exotest suite (run_guest_suite, which run_tests.py calls on -smp 1 and 4)."""
import os
import re
import subprocess

from testsuite.common import (group_test, test, check, expect_line, expect_clean_exit, run_as_init, init_test_mode, suite_counts, guest_group, ROOT, qemu)


@test
def guest_sh_suite():
    """The shell's own suite (usr/sh/tests, expectations from dash) run by /bin/sh in the guest."""
    r = init_test_mode("guest_sh_suite", "/bin/sh /usr/share/sh-tests/run")
    n = suite_counts(r, "the sh suite")
    cases = len([f for f in os.listdir(os.path.join(ROOT, "usr", "sh", "tests")) if f.endswith(".sh")])
    check(n == cases, f"{n} shell tests passed, but usr/sh/tests has {cases}")


@test
def guest_coreutils_suite():
    """The core utilities' suite (usr/coreutils/tests, expectations from GNU) in the guest."""
    r = init_test_mode("guest_coreutils_suite", "sh /usr/share/coreutils-tests/run.sh")
    n = suite_counts(r, "the coreutils suite")
    cases = 0
    tdir = os.path.join(ROOT, "usr", "coreutils", "tests")
    for f in os.listdir(tdir):
        if f.endswith(".t"):
            cases += len(re.findall(r"^t ", open(os.path.join(tdir, f)).read(), re.MULTILINE))
    check(n == cases, f"{n} coreutils cases passed, but usr/coreutils/tests has {cases}")


@group_test
def guest_tty():
    """usr/tests tty group: ENOTTY on non-terminals, /dev/tty rules, the console as a controlling tty."""
    guest_group("guest_tty", "tty")


@group_test
def guest_pty():
    """usr/tests pty group: /dev/ptmx and devpts, data both ways, packet mode, SIGWINCH, the
    signal characters, a pty as controlling terminal, SIGTTIN/SIGTTOU, hang-ups, flow control."""
    guest_group("guest_pty", "pty")


BENCH_DISK_MIB = 16


def bench_disk():
    """A 16 MiB raw image of fixed bytes for the blk_* rows (the smallest they take)."""
    path = os.path.join(qemu.BUILD, "bench-rows-disk.img")
    if not os.path.exists(path) or os.path.getsize(path) != BENCH_DISK_MIB << 20:
        with open(path + ".tmp", "wb") as fh:
            for mib in range(BENCH_DISK_MIB):
                fh.write(bytes([mib]) * (1 << 20))
        os.replace(path + ".tmp", path)
    return path


@test
def bench_rows():
    """exobench --quick as init, with a disk for the blk_* rows: every row prints a figure or
    an explained SKIP, none FAILs, and the blk_* rows (which have their disk) print figures."""
    exobench = os.path.join(qemu.BUILD, "usr", "root", "bin", "exobench")
    names = subprocess.run([exobench, "--list"], stdout=subprocess.PIPE, text=True,
                           check=True).stdout.split()
    check(len(names) >= 33, f"exobench --list gave only {len(names)} rows")
    r = qemu.boot("bench_rows", "debug_exit init=/bin/exobench -- --quick", timeout=300,
                  extra=qemu.disk_args([bench_disk()]))
    expect_clean_exit(r)
    expect_line(r, r"init exited with status 0x0$", "init's exit status")
    expect_line(r, r"^END exobench$", "exobench's closing line")
    rows = dict(re.findall(r"^ROW (\S+) (.*)$", r.log, re.MULTILINE))
    for name in ["boot_to_init", "mem_in_use_kib"] + names:
        check(name in rows, f"no ROW line for {name}")
        value = rows[name].strip()
        check(value.isdigit() or re.fullmatch(r"SKIP \S.*", value),
              f"row {name}: {value!r} is neither a figure nor SKIP with a reason")
        if name.startswith("blk_"):
            check(value.isdigit(), f"row {name} has a disk but printed {value!r}")


@test
def bench_scale_rows():
    """exobench --scale --quick as init on -smp 2 (what make bench-scale runs, shortened): each
    throughput row (usr/bench/scale.c) reports a positive ops/s from 1 and from 2 processes at
    once. A functional check: no timing thresholds."""
    r = qemu.boot("bench_scale_rows", "debug_exit init=/bin/exobench -- --scale --quick",
                  smp=2, timeout=180)
    expect_clean_exit(r)
    expect_line(r, r"^INFO scale cpus=2 ", "exobench --scale seeing both CPUs")
    expect_line(r, r"^END exobench$", "exobench's closing line")
    got = {(row, int(n)): v.strip()
           for row, n, v in re.findall(r"^SCALE (\S+) (\d+) (.*)$", r.log, re.MULTILINE)}
    for row in ("fork_exit", "pipe_pairs", "open_close", "page_fault"):
        for n in (1, 2):
            v = got.get((row, n))
            check(v is not None, f"no SCALE line for {row} from {n} processes")
            check(v.isdigit() and int(v) > 0, f"{row} from {n} processes: {v!r}")


def run_guest_suite(smp=1, mem="512M"):
    """Boots with /bin/exotest (usr/tests) as init; returns (passed, failed, BootResult)."""
    name = f"guest_suite_smp{smp}"
    print(f"== in-guest suite: /bin/exotest as PID 1 (-smp {smp}), log build/logs/{name}.log",
          flush=True)
    r = qemu.boot(name, "debug_exit init=/bin/exotest", mem=mem, smp=smp, timeout=900,
                  extra=["-rtc", "base=2024-01-01T00:00:00"])
    passed = len(re.findall(r"^PASS ", r.log, re.MULTILINE))
    fails = re.findall(r"^FAIL (.*)$", r.log, re.MULTILINE)
    for f in fails:
        print(f"FAIL guest {f}")
    summary = re.search(r"^(\d+) passed, (\d+) failed$", r.log, re.MULTILINE)
    failed = len(fails)
    if r.panicked or r.timed_out or not summary:
        why = "panicked" if r.panicked else "timed out" if r.timed_out else "ended without its summary"
        print(f"FAIL guest suite: the guest {why}; tail of {os.path.relpath(r.log_path, ROOT)}:")
        print(r.tail(30))
        failed += 1
    elif int(summary.group(1)) != passed or int(summary.group(2)) != len(fails):
        print(f"FAIL guest suite: summary {summary.group(0)!r} disagrees with the PASS/FAIL lines")
        failed += 1
    print(f"guest suite: {passed} passed, {len(fails)} failed ({r.seconds:.0f}s)", flush=True)
    return passed, failed, r


@group_test
def guest_tcp():
    """usr/tests tcp group over 127.0.0.1 (-smp 1): connect/accept, a 1 MiB echo, half-close,
    non-blocking connect, ECONNREFUSED, EADDRINUSE/SO_REUSEADDR, MSG_PEEK/WAITALL, poll,
    EPIPE/SIGPIPE, SO_LINGER 0, 50 concurrent connections, shutdown, options."""
    guest_group("guest_tcp", "tcp")


@group_test
def guest_tcp_smp4():
    """The tcp group on -smp 4: network threads and system calls on several CPUs at once."""
    guest_group("guest_tcp_smp4", "tcp", smp=4)


@group_test
def guest_faultinject():
    """usr/tests faultinject group: fail-nth fails each allocation of fork, open, pipe, mmap, a
    page fault, pthread_create and execve in turn; only ENOMEM/EAGAIN, the fork child keeps its cwd."""
    guest_group("guest_faultinject", "faultinject")


EVENT_GROUPS = "epoll eventfd timerfd signalfd sendfile"


@group_test
def guest_fdinfo():
    """usr/tests fdinfo group (-smp 1): /proc/self/fdinfo of a file after lseek (pos, O_APPEND,
    O_CLOEXEC), eventfd count, epoll items, timerfd settings, signalfd mask; ENOENT when closed."""
    guest_group("guest_fdinfo", "fdinfo")


@group_test
def guest_event_files():
    """usr/tests epoll, eventfd, timerfd, signalfd and sendfile groups on -smp 1."""
    guest_group("guest_event_files", EVENT_GROUPS)


@group_test
def smp_event_files():
    """The same groups on -smp 4: wake-ups from other CPUs and the timer interrupt, EPOLLEXCLUSIVE
    with waiters on several CPUs."""
    guest_group("smp_event_files", EVENT_GROUPS, smp=4)


@group_test
def guest_sysvipc():
    """usr/tests sysvipc group (-smp 1): System V shared memory (nattch over fork, exec, exit,
    SHM_DEST), semaphores (atomic semop, sleeping waits, EIDRM, EINTR, timeouts, SEM_UNDO),
    message queues (types, MSG_COPY, blocking), /proc/sys/kernel limits and /proc/sysvipc."""
    guest_group("guest_sysvipc", "sysvipc")


@group_test
def guest_sysvipc_smp4():
    """The sysvipc group on -smp 4: sleepers and wakers on several CPUs."""
    guest_group("guest_sysvipc_smp4", "sysvipc", smp=4)


@group_test
def guest_memfd():
    """usr/tests memfd group: memfd_create flags and names, /memfd:NAME links, a shared mapping
    across fork, each seal (F_SEAL_WRITE's EBUSY with a writable shared mapping, EPERM after)."""
    guest_group("guest_memfd", "memfd")


@group_test
def guest_mqueue():
    """usr/tests mqueue group (-smp 1): priorities, blocking and timeouts across processes, EINTR,
    mq_notify by signal and by musl's SIGEV_THREAD (netlink cookie), EBUSY, the mqueue file
    system's QSIZE line, unlink while open, fork, poll/epoll, EFAULT, /proc/sys/fs/mqueue."""
    guest_group("guest_mqueue", "mqueue")


@group_test
def smp_mqueue():
    """The mqueue group on -smp 4: senders, receivers and notifications on several CPUs."""
    guest_group("smp_mqueue", "mqueue", smp=4)


@group_test
def guest_rtnetlink():
    """usr/tests rtnetlink group: raw NETLINK_ROUTE requests on lo (link, address and route dumps,
    GETs, acks, errors for malformed requests, EPERM as a user), as on Linux."""
    guest_group("guest_rtnetlink", "rtnetlink")


@group_test
def guest_files2():
    """usr/tests files2 group: flock, the old getdents, utime/utimes/futimesat, readahead,
    fadvise64, sync_file_range, fallocate on tmpfs, preadv2/pwritev2, close_range,
    copy_file_range, openat2's RESOLVE_* flags, execveat, inotify, splice/tee/vmsplice, Linux AIO
    (io_setup/io_submit/io_getevents/io_pgetevents/io_cancel/io_destroy, the user-space ring)."""
    guest_group("guest_files2", "files2")


@group_test
def guest_files2_smp4():
    """The files2 group on -smp 4: flock waiters and close_range on a shared table across CPUs."""
    guest_group("guest_files2_smp4", "files2", smp=4)


@group_test
def guest_timers():
    """usr/tests timers group (-smp 1): POSIX timers: errors and EFAULT, SI_TIMER siginfo,
    overrun counting, absolute deadlines, SIGEV_NONE, SIGEV_THREAD_ID and musl's SIGEV_THREAD,
    CPU-time clocks, not inherited by fork, gone on execve."""
    guest_group("guest_timers", "timers")


@group_test
def smp_timers():
    """The timers group on -smp 4: timer functions on CPU 0 signalling threads on others."""
    guest_group("smp_timers", "timers", smp=4)


@group_test
def guest_timeset():
    """usr/tests timeset group: clock_settime, settimeofday, adjtimex, clock_adjtime errors and
    EPERM; a wall-clock jump seen by the system call and the vDSO; NTP state read back."""
    guest_group("guest_timeset", "timeset timers")


@group_test
def guest_syslog():
    """usr/tests syslog group: syslog(2) READ_ALL/READ/READ_CLEAR/CLEAR, sizes, errors, EFAULT,
    the privilege rules with dmesg_restrict 0."""
    guest_group("guest_syslog", "syslog")


@group_test
def guest_seccomp():
    """usr/tests seccomp group: seccomp(2) and PR_SET_SECCOMP errors, the BPF checker, every
    action (ERRNO, TRAP's SIGSYS, KILL_PROCESS, KILL_THREAD, TRACE, LOG), precedence, fork and
    execve inheritance, TSYNC, strict mode, /proc/self/status."""
    guest_group("guest_seccomp", "seccomp")


@group_test
def smp_seccomp():
    """The seccomp group on -smp 4 (TSYNC and KILL_THREAD with threads on other CPUs)."""
    guest_group("smp_seccomp", "seccomp", smp=4)


@group_test
def guest_ptrace():
    """usr/tests ptrace group: every ptrace request and its errors, syscall stops that change
    or skip a call, signal injection, TRACEFORK, exec events, single-step counting, LISTEN,
    detach and a tracer's exit (with and without EXITKILL)."""
    guest_group("guest_ptrace", "ptrace")


@group_test
def smp_ptrace():
    """The ptrace group on -smp 4 (tracer and tracee on different CPUs: the stop handshake)."""
    guest_group("smp_ptrace", "ptrace", smp=4)


@group_test
def guest_vhangup():
    """usr/tests vhangup group: EPERM unprivileged; a session leader's pty hangs up (SIGHUP,
    EOF, EIO, no controlling terminal left); nothing to do without one."""
    guest_group("guest_vhangup", "vhangup pty")


@group_test
def guest_proc2():
    """usr/tests proc2 group (-smp 1): setreuid/setregid/setfsuid, scheduling policies (FIFO/RR
    before fair tasks, sched_setattr size negotiation, reset-on-fork), with Linux's errnos."""
    guest_group("guest_proc2", "proc2")


@group_test
def guest_proc2_smp4():
    """The proc2 group on -smp 4: policies and wake-up preemption across CPUs."""
    guest_group("guest_proc2_smp4", "proc2", smp=4)


@test
def guest_rseq_glibc():
    """A static glibc program as init (-smp 4): glibc registers rseq at startup, and
    sched_getcpu(), read from the rseq area, follows the thread across every CPU."""
    r = qemu.boot("guest_rseq_glibc", "debug_exit init=/usr/bin/rseqcheck", smp=4)
    expect_clean_exit(r)
    expect_line(r, r"rseqcheck: ok", "rseqcheck result")
    expect_line(r, r"init exited with status 0x0$", "init's exit status")
