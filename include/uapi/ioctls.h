/* SPDX-License-Identifier: MIT */
/* ioctl request numbers (asm-generic/ioctls.h), the ones the kernel knows so far. */
#ifndef _UAPI_IOCTLS_H
#define _UAPI_IOCTLS_H

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TCSBRK		0x5409
#define TCXONC		0x540A
#define TCFLSH		0x540B
#define TIOCSCTTY	0x540E
#define TIOCGPGRP	0x540F
#define TIOCSPGRP	0x5410
#define TIOCOUTQ	0x5411
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define FIONREAD	0x541B
#define TIOCINQ		FIONREAD
#define FIONBIO		0x5421
#define TIOCNOTTY	0x5422
#define TIOCPKT		0x5420
#define TCSBRKP		0x5425
#define TIOCGSID	0x5429
#define TIOCGPTN	0x80045430	/* _IOR('T', 0x30, unsigned int) */
#define TIOCSPTLCK	0x40045431	/* _IOW('T', 0x31, int) */
#define TIOCGPKT	0x80045438	/* _IOR('T', 0x38, int) */
#define TIOCGPTLCK	0x80045439	/* _IOR('T', 0x39, int) */
#define TIOCGPTPEER	0x5441		/* _IO('T', 0x41) */
#define FIONCLEX	0x5450
#define FIOCLEX		0x5451
#define FIOASYNC	0x5452

/* The status byte a packet-mode pty master reads before data (tty_ioctl(4)). */
#define TIOCPKT_DATA		0
#define TIOCPKT_FLUSHREAD	1
#define TIOCPKT_FLUSHWRITE	2
#define TIOCPKT_STOP		4
#define TIOCPKT_START		8
#define TIOCPKT_NOSTOP		16
#define TIOCPKT_DOSTOP		32

/* Socket queue sizes (Linux's <linux/sockios.h>): SIOCINQ is FIONREAD, SIOCOUTQ TIOCOUTQ. */
#define SIOCINQ		FIONREAD
#define SIOCOUTQ	TIOCOUTQ
#define SIOCOUTQNSD	0x894B

#endif /* _UAPI_IOCTLS_H */
