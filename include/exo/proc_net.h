/* SPDX-License-Identifier: MIT */
/*
 * The files of /proc/net (fs/proc/net.c lists them), each printed by its
 * subsystem in Linux's format: dev (net/core/dev.c), route, arp, tcp, udp,
 * raw, snmp (net/ipv4/), pnp (net/ipv4/ipconfig.c: the boot-time
 * configuration's name servers), and the net.ipv4 sysctls under
 * /proc/sys/net. Each show() takes the locks it needs; none sleeps.
 */
#ifndef _EXO_PROC_NET_H
#define _EXO_PROC_NET_H

#include <exo/types.h>

struct seq_file;

int dev_seq_show(struct seq_file *m);
int route_seq_show(struct seq_file *m);
int arp_seq_show(struct seq_file *m);
int udp_seq_show(struct seq_file *m);
int tcp_seq_show(struct seq_file *m);
int raw_seq_show(struct seq_file *m);
int snmp_seq_show(struct seq_file *m);
int pnp_seq_show(struct seq_file *m);
int unix_seq_show(struct seq_file *m);		/* net/unix/af_unix.c */

/* /proc/sys/net/ipv4: ping_group_range and ip_local_port_range (net/ipv4/). */
struct file;
int ping_group_range_show(struct seq_file *m);
ssize_t ping_group_range_write(struct file *file, const char *buf, size_t len);
int ip_local_port_range_show(struct seq_file *m);
ssize_t ip_local_port_range_write(struct file *file, const char *buf, size_t len);

#endif /* _EXO_PROC_NET_H */
