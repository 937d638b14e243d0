"""User programs as init: hello, fork and pipes, out of memory, mapped files, power-off."""

from testsuite.common import test, check, expect_clean_exit, expect_line, init_test_mode, run_as_init, qemu


@test
def user_hello():
    """A musl static hello-world runs as init and gets its arguments."""
    r = run_as_init("user_hello", "/usr/bin/hello", "one two")
    expect_line(r, r"^hello from /usr/bin/hello, argc=3$", "hello's output")


@test
def user_forkpipe():
    """fork + pipe + wait between two musl processes; the child's exit status arrives intact."""
    r = run_as_init("user_forkpipe", "/usr/bin/forkpipe")
    expect_line(r, r"^forkpipe: ok \(child \d+ says hello\)$", "forkpipe's verdict")


@test
def user_forkpipe_smp():
    """The same on -smp 4, where parent and child may run on different CPUs."""
    r = qemu.boot("user_forkpipe_smp", "debug_exit init=/usr/bin/forkpipe", smp=4)
    expect_clean_exit(r)
    expect_line(r, r"^forkpipe: ok", "forkpipe's verdict")


@test
def user_out_of_memory_smp():
    """Four processes on -smp 4 touch memory until none is left: each is killed (SIGKILL),
    the kernel stays up, free memory comes back and fork+exec works; a file filling /tmp
    gets ENOSPC at half of RAM (tmpfs's default size); three rounds.
    Regression: the first queued signal created its slab cache then, and an out-of-memory
    create was used as the cache (a NULL-page panic in kmem_cache_alloc)."""
    r = qemu.boot("user_out_of_memory_smp", "debug_exit init=/usr/bin/memhog -- 3 4",
                  mem="256M", smp=4, timeout=180)
    check(not r.panicked and not r.timed_out, f"the kernel did not survive:\n{r.tail(40)}")
    expect_clean_exit(r)
    expect_line(r, r"^memhog: ok$", "memhog's verdict")


@test
def user_mapfile():
    """A program maps a tmpfs file shared and private; writes land exactly where they should."""
    r = run_as_init("user_mapfile", "/usr/bin/mapfile")
    expect_line(r, r"^mapfile: ok$", "mapfile's verdict")


@test
def user_poweroff():
    """reboot(RB_POWER_OFF) powers off through ACPI S5: QEMU ends by itself with status 0."""
    r = qemu.boot("user_poweroff", "init=/usr/bin/powerdown")
    check(not r.timed_out and not r.panicked, "timed out or panicked instead of powering off")
    check(r.status == 0, f"QEMU exit status {r.status}, expected 0 (ACPI power-off)")
    expect_line(r, r"^powerdown: powering off$", "the program's own checks")
    expect_line(r, r"reboot: power down", "the kernel's power-off path")


@test
def user_no_init():
    """A missing init= program is reported with advice, not a panic."""
    r = qemu.boot("user_no_init", "debug_exit init=/no/such/program")
    check(not r.panicked and not r.timed_out, "panicked or hung")
    check(r.status == qemu.EXIT_FAILURE, f"QEMU exit status {r.status}, expected {qemu.EXIT_FAILURE}")
    expect_line(r, r"init: cannot run init=/no/such/program \(-2\)", "the ENOENT report")


@test
def user_cmdline_keeps_shell_characters():
    """A test-mode command reaches the shell as written: ; | & < > and $ pass through
    grub.cfg as literals (scripts/mkiso.sh escapes them). Regression: GRUB expanded $A
    as its own, empty, variable."""
    r = init_test_mode("user_cmdline_keeps_shell_characters",
                       "A=dollar; echo seen=$A | tr a-z A-Z > /tmp/x && cat < /tmp/x")
    expect_line(r, r"^SEEN=DOLLAR$", "the command's output")


@test
def user_sysrq_show_task_states():
    """Writing 't' to /proc/sysrq-trigger prints every task with its state and, for a sleeping
    one, its kernel stack (what the in-guest harness asks for when a test hangs), with no lock
    validator report: tasklist_lock is irq-safe and the write path holds it with interrupts
    off (it splatted when first written).
    The shell waits until PID 1 reads S in /proc/1/stat: right after the fork, init may not
    have reached its sigsuspend yet (it was R in a CI run), and the dump shows it as it is."""
    r = init_test_mode("user_sysrq_show_task_states",
                       "until grep -q init..S /proc/1/stat; do :; done; "
                       "echo t > /proc/sysrq-trigger")
    expect_line(r, r"show_state: every task \(under tasklist_lock\)", "the task dump's header")
    expect_line(r, r"task 1 tgid 1 init S cpu \d+", "PID 1 sleeping in the dump")
    expect_line(r, r"show_state: end", "the end of the dump")
    check(r.status == qemu.EXIT_SUCCESS, f"QEMU exit status {r.status}")
