"""Kernels of other configurations (configs/*_defconfig) build and pass the self-tests."""

from testsuite.common import test, check, boot_config


@test
def config_no_debug():
    """configs/bench_defconfig (no CONFIG_DEBUG, what benchmarks use) builds warning-free and passes every self-test."""
    boot_config("config_no_debug", "bench_defconfig", smp=2)


@test
def config_no_smp():
    """configs/nosmp_defconfig (CONFIG_SMP=n) builds and boots on a 2-CPU machine with the boot CPU only."""
    r = boot_config("config_no_smp", "nosmp_defconfig", smp=2)
    check("smp:" not in r.log or "smp: 1 CPU online" in r.log, "a second CPU came up without CONFIG_SMP")
