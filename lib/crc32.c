// SPDX-License-Identifier: MIT
/*
 * CRC-32 and CRC-32C, bytewise with a 256-entry table each built on first
 * use (see <exo/crc32.h>).
 */
#include <exo/crc32.h>

struct crc_table {
	u32 poly;		/* reflected */
	bool ready;		/* [atomic] set after t[] is complete */
	u32 t[256];
};

static struct crc_table crc32_ieee = { .poly = 0xedb88320U };
static struct crc_table crc32_castagnoli = { .poly = 0x82f63b78U };

static void crc_init_table(struct crc_table *tab)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ tab->poly : c >> 1;
		tab->t[i] = c;
	}
	/* Two CPUs may build it at once: they write the same values. */
	__atomic_store_n(&tab->ready, true, __ATOMIC_RELEASE);
}

static u32 crc_update(struct crc_table *tab, u32 crc, const void *buf, size_t len)
{
	const u8 *p = buf;

	if (!__atomic_load_n(&tab->ready, __ATOMIC_ACQUIRE))
		crc_init_table(tab);
	while (len--)
		crc = tab->t[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

u32 crc32_le(u32 crc, const void *buf, size_t len)
{
	return crc_update(&crc32_ieee, crc, buf, len);
}

u32 crc32c_le(u32 crc, const void *buf, size_t len)
{
	return crc_update(&crc32_castagnoli, crc, buf, len);
}
