"""The network stack in the guest: the udp and inet groups of usr/tests (UDP, raw and ping
sockets, ICMP, the interface ioctls, /proc/net) over lo, on -smp 1 and -smp 4."""
from testsuite.common import group_test, guest_group


@group_test
def net_loopback_smp1():
    """UDP, raw ICMP, ping-socket refusal, SIOC* ioctls and /proc/net over lo, -smp 1."""
    guest_group("net_loopback_smp1", "udp inet", smp=1)


@group_test
def net_loopback_smp4():
    """The same on -smp 4, where the sender and the network thread run on different CPUs."""
    guest_group("net_loopback_smp4", "udp inet", smp=4)
