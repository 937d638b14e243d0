// SPDX-License-Identifier: MIT
/* CRC-32, bytewise with a 256-entry table built on first use (see <exo/crc32.h>). */
#include <exo/crc32.h>

static u32 crc32_table[256];
static bool crc32_table_ready;	/* [atomic] set after the table is complete */

static void crc32_init_table(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0xedb88320U : c >> 1;
		crc32_table[i] = c;
	}
	/* Two CPUs may build it at once: they write the same values. */
	__atomic_store_n(&crc32_table_ready, true, __ATOMIC_RELEASE);
}

u32 crc32_le(u32 crc, const void *buf, size_t len)
{
	const u8 *p = buf;

	if (!__atomic_load_n(&crc32_table_ready, __ATOMIC_ACQUIRE))
		crc32_init_table();
	while (len--)
		crc = crc32_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}
