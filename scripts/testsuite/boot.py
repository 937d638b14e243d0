"""Boot tests: memory detection, CPU features, in-kernel self-tests, deliberate crashes."""
import os
import re

from testsuite.common import test, check, expect_clean_exit, expect_line, boot_and_check_memory, qemu


@test
def boot_128m_memory():
    """Boots with 128 MiB; the banner and a memory total that matches QEMU's map."""
    boot_and_check_memory("boot_128m_memory", "128M", 126, 128)


@test
def boot_2g_memory():
    """Boots with 2 GiB (tables and RAM above 1 GiB); the total is reported right."""
    boot_and_check_memory("boot_2g_memory", "2G", 2040, 2048)


@test
def boot_pvh_entry():
    """QEMU's -kernel boots exo.elf through its PVH note, with no boot loader (make bench does):
    the command line, the -initrd initramfs, the E820 map and the ACPI RSDP all come from the
    hvm_start_info, both CPUs start, and a program from the initramfs runs."""
    r = qemu.boot_kernel("boot_pvh_entry", os.path.join(qemu.BUILD, "exo.elf"),
                         os.path.join(qemu.BUILD, "initramfs.cpio"),
                         "console=ttyS0 debug_exit init=/bin/exotest -- procfs.cpuinfo_one_block_per_cpu",
                         mem="256M", smp=2, timeout=90)
    expect_clean_exit(r)
    expect_line(r, r"Boot loader: PVH$", "the PVH loader line")
    expect_line(r, r"Command line: console=ttyS0 debug_exit init=/bin/exotest", "the command line")
    expect_line(r, r"BIOS-e820: \[mem 0x0000000000100000-0x000000000ffdffff\] usable",
                "the memory map's RAM above 1 MiB (256 MiB)")
    expect_line(r, r"ACPI: RSDP \(boot loader copy\)", "the RSDP from hvm_start_info")
    expect_line(r, r"initramfs: unpacked \d+ entries", "the -initrd initramfs")
    expect_line(r, r"smp: 2 CPUs online", "the second CPU (ACPI MADT through the RSDP)")
    expect_line(r, r"^1 passed, 0 failed$", "the exotest run from the initramfs")


@test
def boot_cpu_features():
    """CPUID features are detected and the protections are switched on."""
    r = qemu.boot("boot_cpu_features", "debug_exit selftest=boot")
    expect_clean_exit(r)
    m = expect_line(r, r"CPU features: (.*) enabled", "CPU features line")
    enabled = m.group(1).split()
    for feature in ("nx", "smep", "smap", "umip", "fsgsbase", "xsave"):
        check(feature in enabled, f"{feature} not enabled under -cpu max: {enabled}")
    expect_line(r, r"^\[[ \d.]+\] CPU: ", "CPU identity line")


@test
def boot_without_smap():
    """On a CPU without SMAP (-cpu max,smap=off) every stac/clac site is patched to a NOP at
    boot (arch/x86_64/kernel/alternative.c), so user copies run there instead of raising #UD:
    the badinput group (copies that fault part-way, bad pointers) and the pipe group pass."""
    r = qemu.boot("boot_without_smap", "debug_exit init=/bin/exotest -- badinput pipe",
                  mem="512M", cpu="max,smap=off", timeout=300,
                  extra=["-rtc", "base=2024-01-01T00:00:00"])
    expect_clean_exit(r)
    m = expect_line(r, r"CPU features: (.*) enabled", "CPU features line")
    check("smap" not in m.group(1).split(), f"smap still enabled with smap=off: {m.group(1)}")
    expect_line(r, r"SMAP: not on this CPU; \d+ stac/clac sites patched to NOPs", "the patch line")
    summary = expect_line(r, r"^(\d+) passed, (\d+) failed$", "exotest's summary")
    check(summary.group(2) == "0" and int(summary.group(1)) > 20,
          f"user copies without SMAP: {summary.group(0)}")


@test
def selftests_all():
    """Every in-kernel self-test passes; the lockdep one's provoked reports name both classes."""
    r = qemu.boot("selftests_all", "debug_exit selftest=all",
                  extra=["-rtc", "base=2024-01-01T00:00:00"])
    expect_clean_exit(r)
    m = expect_line(r, r"selftests: (\d+) passed, (\d+) failed", "self-test summary")
    check(int(m.group(2)) == 0, f"{m.group(2)} self-tests failed")
    failed = re.findall(r"selftest (\S+): FAILED", r.log)
    check(not failed, f"failed: {failed}")
    expect_line(r, r"lockdep \(expected\): possible circular locking dependency: "
                r"lockdep_test_b -> lockdep_test_a$", "the provoked inversion")
    expect_line(r, r"lockdep \(expected\):   lockdep_test_a \(taken at lockdep_selftest_\w+\+\S+\) "
                r"-> lockdep_test_b \(taken at lockdep_selftest_\w+\+\S+\)$",
                "the recorded dependency of the inversion, symbolized")
    expect_line(r, r"lockdep \(expected\):   holding lockdep_test_a, taken at "
                r"lockdep_selftest_sleep\+", "the provoked sleep with a spinlock held")
    expect_line(r, r"lockdep \(expected\): lockdep_test_b is not held by this CPU at "
                r"kernel/locking/selftest\.c:\d+", "the provoked lockdep_assert_held() failure")
    expect_line(r, r"WARNING: lock validator report \(expected\) at ",
                "a provoked report's WARNING says it was expected")
    expect_line(r, r"selftest lockdep: ok", "the lockdep self-test ran")
    expect_line(r, r"lockdep \(expected\): possible recursive locking: lockdep_test_rw taken "
                r"for reading twice$", "the provoked recursive read of a rw-semaphore")
    expect_line(r, r"lockdep \(expected\): possible circular locking dependency: "
                r"lockdep_test_m -> lockdep_test_rw$", "the provoked rwsem/mutex inversion")
    expect_line(r, r"lockdep \(expected\): inconsistent IRQ state: lockdep_test_irq is taken in "
                r"an interrupt handler and with interrupts on$", "the provoked IRQ-safety report")
    expect_line(r, r"lockdep \(expected\): taken in hard-IRQ context at "
                r"lockdep_selftest_irq_safety\+", "the IRQ-safety report's interrupt site")
    expect_line(r, r"lockdep \(expected\): taken with interrupts enabled at "
                r"lockdep_selftest_irq_safety\+", "the IRQ-safety report's interrupts-on site")
    expect_line(r, r"lockdep \(expected\): sleeping function called with interrupts off: "
                r"might_sleep at kernel/locking/selftest\.c:\d+", "the provoked might_sleep, irqs off")
    expect_line(r, r"lockdep \(expected\): possible circular locking dependency: "
                r"lockdep_test_c -> lockdep_test_a$", "the inversion after a warm dependency")
    expect_line(r, r"lockdep \(expected\): possible circular locking dependency: "
                r"lockdep_test_b -> lockdep_test_a\n(?:.*\n){2}.*lockdep_selftest_below_trylock",
                "the inversion of a dependency recorded below a trylock")
    expect_line(r, r"lockdep \(expected\): sleeping function called with a spinlock held: "
                r"might_sleep at kernel/locking/selftest\.c:\d+", "might_sleep with a spinlock held")
    expect_line(r, r"selftest rwsem: ok", "the rwsem self-test ran")
    expect_line(r, r"selftest ist: NMI and #DB with a junk GS base checked on 1 CPU$",
                "the IST entry self-test ran")


def crash_test(name, kind, function):
    r = qemu.boot(name, f"debug_exit crash={kind}")
    check(not r.timed_out, "timed out: the panic did not end QEMU")
    check(r.status == qemu.EXIT_PANIC, f"QEMU exit status {r.status}, expected {qemu.EXIT_PANIC}")
    expect_line(r, re.escape(qemu.PANIC_MARKER), "panic marker")
    expect_line(r, r"RIP: [0-9a-f]+:" + re.escape(function) + r"\+0x[0-9a-f]+/0x[0-9a-f]+",
                f"RIP naming {function}")
    expect_line(r, r"Call Trace:", "backtrace")
    # crash= runs in PID 1 after the initcalls (kernel_init), as Linux runs them.
    expect_line(r, r"\] +\[<[0-9a-f]+>\] kernel_init\+", "backtrace reaching kernel_init")
    expect_line(r, r"\] +\[<[0-9a-f]+>\] ret_from_fork\+", "backtrace ending at ret_from_fork")
    return r


@test
def panic_explicit():
    """panic() reports its caller, the registers and a symbolized backtrace."""
    crash_test("panic_explicit", "panic", "crash_test_panic")


@test
def panic_null_dereference():
    """A kernel NULL dereference is reported as a page fault naming the function."""
    r = crash_test("panic_null_dereference", "null", "crash_test_null_deref")
    # Linux's wording: a fault below PAGE_SIZE is reported as a NULL dereference.
    expect_line(r, r"(kernel NULL pointer dereference|unable to handle page fault for)"
                r", address: 0+\b", "fault address")
    expect_line(r, r"not-present page", "decoded error code")


@test
def panic_invalid_opcode():
    """ud2 in the kernel is reported as an invalid opcode in the right function."""
    crash_test("panic_invalid_opcode", "ud2", "crash_test_invalid_opcode")


@test
def panic_general_protection():
    """A non-canonical access is reported as a general protection fault."""
    crash_test("panic_general_protection", "gpf", "crash_test_gpf")


@test
def panic_divide_error():
    """Division by zero in the kernel is reported as a divide error."""
    crash_test("panic_divide_error", "divide", "crash_test_divide_error")
