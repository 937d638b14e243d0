"""The QEMU tests of run_tests.py, one module per area. Each module registers its tests
with @test (testsuite.common) when imported; ORDER is the order they run in."""
ORDER = ["source", "boot", "smp", "devices", "block", "ext4", "pagecache", "user", "tty", "shell",
         "guest", "fusion", "dynelf", "debian", "kprof", "net", "netpeer", "ports", "config", "stress"]
