/* SPDX-License-Identifier: MIT */
/*
 * Terminal attributes of the Linux x86_64 ABI (asm-generic/termbits.h):
 * struct termios as TCGETS/TCSETS move it (the kernel's layout, 36 bytes,
 * not the C library's, which adds speed fields), the c_cc indices, the
 * flag bits, and struct winsize.
 */
#ifndef _UAPI_TERMIOS_H
#define _UAPI_TERMIOS_H

#include <uapi/types.h>

#define NCCS 19

struct termios {
	__u32 c_iflag;		/* input modes */
	__u32 c_oflag;		/* output modes */
	__u32 c_cflag;		/* control modes */
	__u32 c_lflag;		/* local modes */
	__u8 c_line;		/* line discipline (N_TTY only) */
	__u8 c_cc[NCCS];		/* control characters */
};

struct winsize {
	__u16 ws_row;
	__u16 ws_col;
	__u16 ws_xpixel;
	__u16 ws_ypixel;
};

/* c_cc indices */
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSWTC 7
#define VSTART 8
#define VSTOP 9
#define VSUSP 10
#define VEOL 11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE 14
#define VLNEXT 15
#define VEOL2 16

/* c_iflag */
#define IGNBRK	0000001
#define BRKINT	0000002
#define IGNPAR	0000004
#define PARMRK	0000010
#define INPCK	0000020
#define ISTRIP	0000040
#define INLCR	0000100
#define IGNCR	0000200
#define ICRNL	0000400
#define IUCLC	0001000
#define IXON	0002000
#define IXANY	0004000
#define IXOFF	0010000
#define IMAXBEL	0020000
#define IUTF8	0040000

/* c_oflag */
#define OPOST	0000001
#define OLCUC	0000002
#define ONLCR	0000004
#define OCRNL	0000010
#define ONOCR	0000020
#define ONLRET	0000040

/* c_cflag */
#define CBAUD	0010017
#define B9600	0000015
#define B38400	0000017
#define B115200	0010002
#define CSIZE	0000060
#define CS8	0000060
#define CSTOPB	0000100
#define CREAD	0000200
#define PARENB	0000400
#define PARODD	0001000
#define HUPCL	0002000
#define CLOCAL	0004000

/* c_lflag */
#define ISIG	0000001
#define ICANON	0000002
#define ECHO	0000010
#define ECHOE	0000020
#define ECHOK	0000040
#define ECHONL	0000100
#define NOFLSH	0000200
#define TOSTOP	0000400
#define ECHOCTL	0001000
#define ECHOPRT	0002000
#define ECHOKE	0004000
#define FLUSHO	0010000
#define PENDIN	0040000
#define IEXTEN	0100000

/* c_line */
#define N_TTY 0

/* TCFLSH arguments */
#define TCIFLUSH 0
#define TCOFLUSH 1
#define TCIOFLUSH 2

/* TCXONC arguments */
#define TCOOFF 0
#define TCOON 1
#define TCIOFF 2
#define TCION 3

#endif /* _UAPI_TERMIOS_H */
