/* SPDX-License-Identifier: MIT */
/*
 * The files of /proc/net (fs/proc/net.c lists them), each printed by its
 * subsystem in Linux's format: dev (net/core/dev.c), route, arp, tcp,
 * udp, raw, snmp (net/ipv4/). Each show() takes the locks it needs; none sleeps.
 */
#ifndef _EXO_PROC_NET_H
#define _EXO_PROC_NET_H

struct seq_file;

int dev_seq_show(struct seq_file *m);
int route_seq_show(struct seq_file *m);
int arp_seq_show(struct seq_file *m);
int udp_seq_show(struct seq_file *m);
int tcp_seq_show(struct seq_file *m);
int raw_seq_show(struct seq_file *m);
int snmp_seq_show(struct seq_file *m);

#endif /* _EXO_PROC_NET_H */
