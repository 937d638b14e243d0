// SPDX-License-Identifier: MIT
/*
 * PIT channel 2 as a one-shot stopwatch for TSC calibration, when there is
 * no HPET. Channel 2's gate is bit 0 of port 0x61 and its output can be read
 * back at bit 5, so no interrupt is needed: program mode 0 (interrupt on
 * terminal count) with N counts, open the gate, and spin until OUT goes
 * high, N / 1193182 s later (8254 datasheet, mode 0).
 */
#include <asm/i8253.h>
#include <asm/io.h>
#include <asm/tsc.h>

#define PIT_CH2_DATA 0x42
#define PIT_MODE 0x43
#define PC_SPEAKER_PORT 0x61
#define PORT61_GATE2 0x01
#define PORT61_SPEAKER 0x02
#define PORT61_OUT2 0x20
/* Channel 2, lobyte/hibyte access, mode 0, binary. */
#define PIT_CH2_MODE0 0xb0
/* Give up if OUT2 never rises: ~10x the longest legal wait in port reads. */
#define PIT_SPIN_LIMIT 50000000UL

u64 pit_calibrate_tsc(unsigned int ms)
{
	u32 count = PIT_TICK_RATE * ms / 1000;
	unsigned long spins = 0;
	u64 t0, t1;
	u8 p61;

	if (!ms || count > 0xffff)
		return 0;
	p61 = inb(PC_SPEAKER_PORT);
	/* Gate low while programming, speaker off so calibration makes no sound. */
	outb((p61 & ~(PORT61_SPEAKER | PORT61_GATE2)), PC_SPEAKER_PORT);
	outb(PIT_CH2_MODE0, PIT_MODE);
	outb(count & 0xff, PIT_CH2_DATA);
	outb(count >> 8, PIT_CH2_DATA);
	t0 = rdtsc();
	outb((p61 & ~PORT61_SPEAKER) | PORT61_GATE2, PC_SPEAKER_PORT);
	while (!(inb(PC_SPEAKER_PORT) & PORT61_OUT2))
		if (++spins > PIT_SPIN_LIMIT)
			break;
	t1 = rdtsc();
	outb(p61 & ~(PORT61_SPEAKER | PORT61_GATE2), PC_SPEAKER_PORT);
	if (spins > PIT_SPIN_LIMIT || spins < 10)
		return 0;
	return (t1 - t0) * PIT_TICK_RATE / count;
}
