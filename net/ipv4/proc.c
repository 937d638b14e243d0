// SPDX-License-Identifier: MIT
/*
 * /proc/net/snmp: the Ip, Icmp, IcmpMsg, Tcp, Udp and UdpLite lines in
 * Linux's layout (a line of names, then one of values). Tcp's counters
 * are tcp_mib, which TCP increments; this file only prints them.
 */
#include <exo/seq_file.h>
#include "internal.h"

unsigned long tcp_mib[TCP_MIB_MAX];

static unsigned long mib_read(const unsigned long *mib, int i)
{
	return __atomic_load_n(&mib[i], __ATOMIC_RELAXED);
}

static void snmp_ip(struct seq_file *m)
{
	static const int order[] = {
		IPSTATS_MIB_INRECEIVES, IPSTATS_MIB_INHDRERRORS, IPSTATS_MIB_INADDRERRORS,
		IPSTATS_MIB_FORWDATAGRAMS, IPSTATS_MIB_INUNKNOWNPROTOS, IPSTATS_MIB_INDISCARDS,
		IPSTATS_MIB_INDELIVERS, IPSTATS_MIB_OUTREQUESTS, IPSTATS_MIB_OUTDISCARDS,
		IPSTATS_MIB_OUTNOROUTES, IPSTATS_MIB_REASMTIMEOUT, IPSTATS_MIB_REASMREQDS,
		IPSTATS_MIB_REASMOKS, IPSTATS_MIB_REASMFAILS, IPSTATS_MIB_FRAGOKS,
		IPSTATS_MIB_FRAGFAILS, IPSTATS_MIB_FRAGCREATES,
	};

	seq_puts(m, "Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams "
		    "InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes "
		    "ReasmTimeout ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates "
		    "OutTransmits\nIp: 2 64");	/* not forwarding; the default TTL */
	for (unsigned int i = 0; i < ARRAY_SIZE(order); i++)
		seq_printf(m, " %lu", mib_read(ip_mib, order[i]));
	/* OutTransmits: every datagram handed to a device, fragments counted one by one. */
	seq_printf(m, " %lu\n", mib_read(ip_mib, IPSTATS_MIB_OUTREQUESTS));
}

static void snmp_icmp(struct seq_file *m)
{
	/* The per-type columns, in Linux's order. */
	static const int types[] = {
		ICMP_DEST_UNREACH, ICMP_TIME_EXCEEDED, ICMP_PARAMETERPROB, ICMP_SOURCE_QUENCH,
		ICMP_REDIRECT, ICMP_ECHO, ICMP_ECHOREPLY, ICMP_TIMESTAMP, ICMP_TIMESTAMPREPLY,
		ICMP_ADDRESS, ICMP_ADDRESSREPLY,
	};
	int n = 0;

	seq_puts(m, "Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds InParmProbs "
		    "InSrcQuenchs InRedirects InEchos InEchoReps InTimestamps InTimestampReps "
		    "InAddrMasks InAddrMaskReps OutMsgs OutErrors OutRateLimitGlobal "
		    "OutRateLimitHost OutDestUnreachs OutTimeExcds OutParmProbs OutSrcQuenchs "
		    "OutRedirects OutEchos OutEchoReps OutTimestamps OutTimestampReps OutAddrMasks "
		    "OutAddrMaskReps\n");
	seq_printf(m, "Icmp: %lu %lu %lu", mib_read(icmp_mib, ICMP_MIB_INMSGS),
		   mib_read(icmp_mib, ICMP_MIB_INERRORS), mib_read(icmp_mib, ICMP_MIB_CSUMERRORS));
	for (unsigned int i = 0; i < ARRAY_SIZE(types); i++)
		seq_printf(m, " %lu", mib_read(icmp_in_type, types[i]));
	seq_printf(m, " %lu %lu %lu %lu", mib_read(icmp_mib, ICMP_MIB_OUTMSGS),
		   mib_read(icmp_mib, ICMP_MIB_OUTERRORS),
		   mib_read(icmp_mib, ICMP_MIB_RATELIMITGLOBAL), 0UL);
	for (unsigned int i = 0; i < ARRAY_SIZE(types); i++)
		seq_printf(m, " %lu", mib_read(icmp_out_type, types[i]));
	seq_putc(m, '\n');
	/* IcmpMsg: only the types seen, and only when there are any, as Linux. */
	for (int dir = 0; dir < 2; dir++)
		for (int t = 0; t < 256; t++)
			n += mib_read(dir ? icmp_out_type : icmp_in_type, t) != 0;
	if (!n)
		return;
	seq_puts(m, "IcmpMsg:");
	for (int dir = 0; dir < 2; dir++)
		for (int t = 0; t < 256; t++)
			if (mib_read(dir ? icmp_out_type : icmp_in_type, t))
				seq_printf(m, " %sType%d", dir ? "Out" : "In", t);
	seq_puts(m, "\nIcmpMsg:");
	for (int dir = 0; dir < 2; dir++)
		for (int t = 0; t < 256; t++)
			if (mib_read(dir ? icmp_out_type : icmp_in_type, t))
				seq_printf(m, " %lu", mib_read(dir ? icmp_out_type : icmp_in_type, t));
	seq_putc(m, '\n');
}

static void snmp_udp(struct seq_file *m, const char *name, const unsigned long *mib)
{
	seq_printf(m, "%s: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors "
		      "InCsumErrors IgnoredMulti MemErrors\n%s:", name, name);
	for (int i = 0; i < UDP_MIB_MAX; i++)
		seq_printf(m, " %lu", mib ? mib_read(mib, i) : 0UL);
	seq_puts(m, " 0 0\n");
}

int snmp_seq_show(struct seq_file *m)
{
	static const int tcp_order[] = {
		TCP_MIB_ACTIVEOPENS, TCP_MIB_PASSIVEOPENS, TCP_MIB_ATTEMPTFAILS,
		TCP_MIB_ESTABRESETS, TCP_MIB_CURRESTAB, TCP_MIB_INSEGS, TCP_MIB_OUTSEGS,
		TCP_MIB_RETRANSSEGS, TCP_MIB_INERRS, TCP_MIB_OUTRSTS, TCP_MIB_CSUMERRORS,
	};

	snmp_ip(m);
	snmp_icmp(m);
	seq_puts(m, "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens "
		    "AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts "
		    "InCsumErrors\nTcp: 1 200 120000 -1");
	for (unsigned int i = 0; i < ARRAY_SIZE(tcp_order); i++)
		seq_printf(m, " %ld", (long)mib_read(tcp_mib, tcp_order[i]));
	seq_putc(m, '\n');
	snmp_udp(m, "Udp", udp_mib);
	snmp_udp(m, "UdpLite", NULL);
	return 0;
}
