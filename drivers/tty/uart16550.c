// SPDX-License-Identifier: MIT
/*
 * 16550A UART on COM1 (I/O port 0x3f8, IRQ 4): the serial console and the
 * tty ttyS0 (4:64), which is also /dev/console.
 *
 * Output is polled, for the kernel console and the tty alike: the console
 * must work from panic and exception context, with interrupts off and no
 * locks. The console sends "\n" as "\r\n"; the tty sends bytes as N_TTY's
 * output processing left them.
 *
 * Input is interrupt-driven: the "received data available" interrupt (IER
 * bit 0), routed from ISA IRQ 4 through the IOAPIC, empties the receive
 * FIFO while LSR says data is ready and hands the bytes to the tty layer's
 * flip ring. Reading RBR until LSR.DR clears also clears the character
 * timeout interrupt, so the (edge-triggered) line drops and the next byte
 * raises a new edge. When the flip ring is full the handler turns the
 * interrupt off and leaves the bytes in the UART; ->unthrottle turns it on.
 *
 * Lock order: uart_rx_lock (interrupts off) -> tty->flip_lock.
 */
#include <exo/err.h>
#include <exo/init.h>
#include <exo/interrupt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/serial.h>
#include <exo/spinlock.h>
#include <exo/tty.h>
#include <asm/io.h>
#include <asm/irq.h>

#define COM1_BASE 0x3f8
#define COM1_IRQ 4
#define UART_THR 0	/* transmit holding (write) */
#define UART_RBR 0	/* receive buffer (read) */
#define UART_IIR 2	/* interrupt identification (read) */
#define UART_IER 1	/* interrupt enable */
#define UART_DLL 0	/* divisor latch low (DLAB=1) */
#define UART_DLM 1	/* divisor latch high (DLAB=1) */
#define UART_FCR 2	/* FIFO control */
#define UART_LCR 3	/* line control */
#define UART_MCR 4	/* modem control */
#define UART_LSR 5	/* line status */
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1 0x03
#define UART_LSR_DR 0x01	/* receive data ready */
#define UART_LSR_THRE 0x20
#define UART_IER_RDI 0x01	/* interrupt on received data */
#define UART_FCR_ENABLE_CLEAR 0x07
#define UART_MCR_DTR_RTS_OUT2 0x0b
#define UART_BASE_BAUD 115200
#define UART_TX_SPIN_LIMIT 100000
/* Bytes one interrupt may take: a stuck "data ready" must not hold the CPU forever. */
#define UART_RX_BUDGET 4096
#define TTYS_MAJOR 4
#define TTYS0_MINOR 64

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

/* ---- the tty ttyS0 -------------------------------------------------------------- */

static struct tty_struct *uart_tty;
static bool uart_rx_stopped;		/* [uart_rx_lock] flip ring full: RX interrupt off */
static DEFINE_SPINLOCK(uart_rx_lock);

static void uart_tty_write(struct tty_struct *tty, const u8 *buf, size_t len)
{
	if (!uart_present)
		return;
	for (size_t i = 0; i < len; i++)
		uart_putc((char)buf[i]);
}

static void uart_tty_unthrottle(struct tty_struct *tty)
{
	unsigned long flags;

	spin_lock_irqsave(&uart_rx_lock, flags);
	if (uart_rx_stopped) {
		uart_rx_stopped = false;
		/* With data still in the FIFO this raises the interrupt at once. */
		outb(UART_IER_RDI, COM1_BASE + UART_IER);
	}
	spin_unlock_irqrestore(&uart_rx_lock, flags);
}

static const struct tty_operations uart_tty_ops = {
	.write = uart_tty_write,
	.unthrottle = uart_tty_unthrottle,
};

/*
 * "\x1dsysrq-t" on the serial line dumps every task (show_state), from this
 * interrupt, so a hung guest can still be asked what it is doing. The bytes
 * also reach the tty as usual.
 */
static void uart_watch_sysrq(u8 c)
{
	static const char magic[] = "\x1dsysrq-t";
	static unsigned int matched;	/* [uart_rx_lock] */

	matched = c == (u8)magic[matched] ? matched + 1 : (c == (u8)magic[0]);
	if (matched == sizeof(magic) - 1) {
		matched = 0;
		show_state();
	}
}

static irqreturn_t uart_rx_interrupt(int irq, void *dev_id)
{
	size_t room = tty_buffer_space_avail(uart_tty);
	unsigned int n = 0;

	spin_lock(&uart_rx_lock);
	while (n < UART_RX_BUDGET && (inb(COM1_BASE + UART_LSR) & UART_LSR_DR)) {
		if (!room) {
			/* Leave the bytes in the UART until the ring drains. */
			outb(0, COM1_BASE + UART_IER);
			uart_rx_stopped = true;
			break;
		}
		u8 c = inb(COM1_BASE + UART_RBR);

		uart_watch_sysrq(c);
		tty_insert_flip_char(uart_tty, c);
		room--;
		n++;
	}
	spin_unlock(&uart_rx_lock);
	/* Reading IIR acknowledges a transmitter-empty interrupt, should one be pending. */
	inb(COM1_BASE + UART_IIR);
	if (n)
		tty_flip_buffer_push(uart_tty);
	return IRQ_HANDLED;
}

static int uart_tty_init(void)
{
	int err;

	uart_tty = tty_register_device("ttyS0", &uart_tty_ops, TTYS_MAJOR, TTYS0_MINOR);
	if (IS_ERR(uart_tty))
		return (int)PTR_ERR(uart_tty);
	tty_set_console(uart_tty);
	if (!uart_present)
		return 0;
	err = request_irq(COM1_IRQ, uart_rx_interrupt, 0, "ttyS0", NULL);
	if (err) {
		pr_warn("ttyS0: IRQ %d not routable (%d); no serial input\n", COM1_IRQ, err);
		return 0;
	}
	/* Whatever arrived before now is stale; then let the UART interrupt. */
	while (inb(COM1_BASE + UART_LSR) & UART_LSR_DR)
		inb(COM1_BASE + UART_RBR);
	outb(UART_IER_RDI, COM1_BASE + UART_IER);
	pr_info("ttyS0: 16550A at I/O %#x, IRQ %d\n", COM1_BASE, COM1_IRQ);
	return 0;
}
device_initcall(uart_tty_init);
