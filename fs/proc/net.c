// SPDX-License-Identifier: MIT
/*
 * /proc/net and /proc/sys/net: the network's files, printed (and the
 * sysctls parsed) by the network code (<exo/proc_net.h>).
 */
#include <exo/proc_net.h>
#include <uapi/stat.h>
#include "internal.h"

static const struct proc_entry proc_net_entries[] = {
	{ .name = "arp", .mode = S_IFREG | 0444, .show = arp_seq_show },
	{ .name = "dev", .mode = S_IFREG | 0444, .show = dev_seq_show },
#ifdef CONFIG_IP_PNP
	{ .name = "pnp", .mode = S_IFREG | 0444, .show = pnp_seq_show },
#endif
	{ .name = "raw", .mode = S_IFREG | 0444, .show = raw_seq_show },
	{ .name = "route", .mode = S_IFREG | 0444, .show = route_seq_show },
	{ .name = "snmp", .mode = S_IFREG | 0444, .show = snmp_seq_show },
	{ .name = "tcp", .mode = S_IFREG | 0444, .show = tcp_seq_show },
	{ .name = "udp", .mode = S_IFREG | 0444, .show = udp_seq_show },
#ifdef CONFIG_UNIX
	{ .name = "unix", .mode = S_IFREG | 0444, .show = unix_seq_show },
#endif
};

const struct proc_dir proc_net_dir = {
	.entries = proc_net_entries,
	.nr_entries = ARRAY_SIZE(proc_net_entries),
};

static const struct proc_entry proc_sys_net_ipv4_entries[] = {
	{ .name = "ip_local_port_range", .mode = S_IFREG | 0644, .show = ip_local_port_range_show,
	  .write = ip_local_port_range_write },
	{ .name = "ping_group_range", .mode = S_IFREG | 0644, .show = ping_group_range_show,
	  .write = ping_group_range_write },
};

static const struct proc_dir proc_sys_net_ipv4_dir = {
	.entries = proc_sys_net_ipv4_entries,
	.nr_entries = ARRAY_SIZE(proc_sys_net_ipv4_entries),
};

static const struct proc_entry proc_sys_net_entries[] = {
	{ .name = "ipv4", .mode = S_IFDIR | 0555, .dir = &proc_sys_net_ipv4_dir },
};

const struct proc_dir proc_sys_net_dir = {
	.entries = proc_sys_net_entries,
	.nr_entries = ARRAY_SIZE(proc_sys_net_entries),
};
