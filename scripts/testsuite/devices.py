"""Devices: PCI enumeration on both QEMU machines, sysfs, MSI and INTx delivery.

Each boot attaches known devices (IDs from QEMU's sources: virtio 1.x modern
1af4:1040+n, edu 1234:11e8 class 0x00ff00, pci-bridge 1b36:0001) and runs the
usr/tests "pci" group as init, which compares /sys/bus/pci/devices and
/proc/interrupts with them; the boot log must list each one as Linux does.
The edu test driver (drivers/pci/edu.c) raises interrupts on every CPU."""
import os
import re

from testsuite.common import test, check, expect_clean_exit, expect_line, qemu

DISK = os.path.join(qemu.BUILD, "devices-disk.img")


def devices_args(machine):
    if not os.path.exists(DISK):
        with open(DISK, "wb") as f:
            f.truncate(1 << 20)
    return ["-machine", machine,
            "-drive", f"file={DISK},format=raw,if=none,id=d0",
            "-device", "virtio-blk-pci,drive=d0,disable-legacy=on",
            "-device", "edu", "-device", "edu",
            "-device", "pci-bridge,id=br1,chassis_nr=1",
            "-device", "edu,bus=br1,addr=3",
            "-nic", "none", "-device", "virtio-net-pci,disable-legacy=on",
            "-rtc", "base=2024-01-01T00:00:00"]


def boot_with_devices(name, machine, cmdline=""):
    r = qemu.boot(name, f"debug_exit {cmdline} init=/bin/exotest -- pci", mem="256M", smp=4,
                  timeout=240, extra=devices_args(machine))
    fails = re.findall(r"^FAIL (.*)$", r.log, re.MULTILINE)
    check(not fails, f"{len(fails)} in-guest failures: " + "; ".join(fails[:5]))
    expect_clean_exit(r)
    expect_line(r, r"^\d+ passed, 0 failed$", "exotest pci summary")
    skips = re.findall(r"^SKIP (.*)$", r.log, re.MULTILINE)
    check(not skips, f"in-guest checks skipped though QEMU has the devices: {skips}")
    return r


def check_enumeration(r):
    """The boot log lists every device QEMU was given, as Linux would."""
    dev = r"pci (0000:[0-9a-f]{2}:[0-9a-f]{2}\.\d): "
    blk = expect_line(r, dev + r"\[1af4:1042\] type 00 class 0x010000$", "virtio-blk (modern)")
    expect_line(r, dev + r"\[1af4:1041\] type 00 class 0x020000$", "virtio-net (modern)")
    br = expect_line(r, dev + r"\[1b36:0001\] type 01 class 0x060400$", "the PCI-PCI bridge")
    expect_line(r, re.escape(f"pci {br.group(1)}: PCI bridge to [bus 01]"), "the bridge's bus")
    edus = re.findall(r"pci (0000:[0-9a-f:.]+): \[1234:11e8\] type 00 class 0x00ff00$", r.log,
                      re.MULTILINE)
    check(len(edus) == 3, f"edu devices found: {edus}")
    check("0000:01:03.0" in edus, f"the edu behind the bridge is not 0000:01:03.0: {edus}")
    # Modern virtio: the 64-bit prefetchable BAR 4 holds the capabilities' structures.
    expect_line(r, re.escape(f"pci {blk.group(1)}: reg 0x20: [mem ") +
                r"0x[0-9a-f]+-0x[0-9a-f]+ 64bit pref\]$", "virtio-blk BAR 4")
    for edu in edus:
        expect_line(r, re.escape(f"pci {edu}: reg 0x10: [mem ") +
                    r"0x[0-9a-f]+-0x[0-9a-f]+\]$", f"edu {edu} BAR 0")
    return edus


def check_edu_interrupts(r, edus, chip):
    """Each edu's interrupts arrived through @chip, first where the allocator put them,
    then on each of the 4 CPUs after affinity moves."""
    first_cpus = set()
    for edu in edus:
        m = expect_line(r, re.escape(f"pci {edu}: {chip} irq ") +
                        r"(\d+) on cpu (\d+): 16/16 interrupts$", f"edu {edu} interrupts")
        first_cpus.add(m.group(2))
        expect_line(r, re.escape(f"pci {edu}: interrupt test passed (4 cpus)"),
                    f"edu {edu} interrupts on every CPU")
    return first_cpus


@test
def devices_q35_ecam_msi():
    """-machine q35 -smp 4: config space through ECAM (MCFG), every device and the one behind
    the bridge enumerated with their BARs, sysfs as Linux shows it, and each edu's MSI
    delivered; the allocator spreads the three MSI vectors over more than one CPU."""
    r = boot_with_devices("devices_q35_ecam_msi", "q35")
    expect_line(r, r"PCI: Using ECAM for config space access", "ECAM in use")
    edus = check_enumeration(r)
    cpus = check_edu_interrupts(r, edus, "PCI-MSI")
    check(len(cpus) > 1, f"all MSI vectors were put on one CPU: {cpus}")


@test
def devices_pc_port_io_msi():
    """-machine pc (i440fx, no MCFG): config space through ports 0xCF8/0xCFC; the same
    devices, sysfs and MSI delivery."""
    r = boot_with_devices("devices_pc_port_io_msi", "pc")
    expect_line(r, r"PCI: Using configuration type 1 for base access", "port I/O in use")
    check_edu_interrupts(r, check_enumeration(r), "PCI-MSI")


@test
def devices_intx_fallback():
    """pci=nomsi on -machine pc: the edus fall back to INTx, the line SeaBIOS programmed,
    through the IOAPIC (level-triggered, shared), and it is delivered on every CPU."""
    r = boot_with_devices("devices_intx_fallback", "pc", "pci=nomsi")
    expect_line(r, r"PCI: MSI and MSI-X disabled \(pci=nomsi\)", "pci=nomsi seen")
    check_edu_interrupts(r, check_enumeration(r), "IO-APIC")


@test
def devices_intx_fallback_q35():
    """pci=nomsi on -machine q35: INTx through the ICH9's PIRQ routing to the IOAPIC."""
    r = boot_with_devices("devices_intx_fallback_q35", "q35", "pci=nomsi")
    check_edu_interrupts(r, check_enumeration(r), "IO-APIC")


@test
def devices_msix_vectors_spread():
    """The pci_msix self-test on -smp 4 takes 4 MSI-X vectors of an e1000e (no driver
    binds it; a virtio device would be bound by the virtio transport): consecutive IRQs on 4 different CPUs, each table entry holding the
    message for its vector and CPU, masked until request_irq. With it, the driver_model
    self-test: binding in both registration orders, remove, driver_data, release."""
    r = qemu.boot("devices_msix_vectors_spread", "debug_exit selftest=driver_model,pci_msix", smp=4,
                  timeout=120, extra=["-machine", "q35", "-nic", "none", "-device", "e1000e"])
    expect_clean_exit(r)
    expect_line(r, r"selftest pci_msix: ok", "the self-test passed")
    expect_line(r, r"selftest driver_model: ok", "the driver model self-test passed")
    cpus = re.findall(r"selftest pci_msix: \S+ vector \d: irq \d+, cpu (\d+), ", r.log)
    check(len(cpus) == 4 and len(set(cpus)) == 4, f"vectors' CPUs: {cpus}")
