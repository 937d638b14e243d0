// SPDX-License-Identifier: MIT
/*
 * 16550A UART on COM1 (I/O port 0x3f8), the serial console. Output is polled:
 * the console must work from panic and exception context, with interrupts
 * off and no locks. "\n" is sent as "\r\n". Receive (interrupt-driven) joins
 * with the tty layer.
 */
#include <exo/printk.h>
#include <exo/serial.h>
#include <asm/io.h>

#define COM1_BASE 0x3f8
#define UART_THR 0	/* transmit holding (write) */
#define UART_IER 1	/* interrupt enable */
#define UART_DLL 0	/* divisor latch low (DLAB=1) */
#define UART_DLM 1	/* divisor latch high (DLAB=1) */
#define UART_FCR 2	/* FIFO control */
#define UART_LCR 3	/* line control */
#define UART_MCR 4	/* modem control */
#define UART_LSR 5	/* line status */
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1 0x03
#define UART_LSR_THRE 0x20
#define UART_FCR_ENABLE_CLEAR 0x07
#define UART_MCR_DTR_RTS_OUT2 0x0b
#define UART_BASE_BAUD 115200
#define UART_TX_SPIN_LIMIT 100000

static bool uart_present;

static void uart_putc(char c)
{
	/* Bounded wait: a missing or wedged UART must not hang the kernel. */
	for (int i = 0; i < UART_TX_SPIN_LIMIT; i++)
		if (inb(COM1_BASE + UART_LSR) & UART_LSR_THRE)
			break;
	outb((u8)c, COM1_BASE + UART_THR);
}

static void uart_console_write(struct console *con, const char *s, size_t len)
{
	(void)con;
	if (!uart_present)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

static struct console uart_console = {
	.name = "ttyS0",
	.write = uart_console_write,
};

void serial_early_init(void)
{
	u16 divisor = UART_BASE_BAUD / 115200;

	outb(0, COM1_BASE + UART_IER);
	outb(UART_LCR_DLAB, COM1_BASE + UART_LCR);
	outb(divisor & 0xff, COM1_BASE + UART_DLL);
	outb(divisor >> 8, COM1_BASE + UART_DLM);
	outb(UART_LCR_8N1, COM1_BASE + UART_LCR);
	outb(UART_FCR_ENABLE_CLEAR, COM1_BASE + UART_FCR);
	outb(UART_MCR_DTR_RTS_OUT2, COM1_BASE + UART_MCR);
	/* An absent UART reads back 0xff from every register. */
	uart_present = inb(COM1_BASE + UART_LSR) != 0xff;
	register_console(&uart_console);
}
