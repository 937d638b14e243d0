/* SPDX-License-Identifier: MIT */
/*
 * CRC-32 (IEEE 802.3, reflected polynomial 0xedb88320), the one GPT, zlib
 * and Ethernet use. crc32_le() continues a running CRC without the final
 * inversion, as Linux's does: the standard CRC of a buffer is
 * crc32_le(~0, buf, len) ^ ~0, which crc32() computes.
 */
#ifndef _EXO_CRC32_H
#define _EXO_CRC32_H

#include <exo/types.h>

u32 crc32_le(u32 crc, const void *buf, size_t len);
/*
 * CRC-32C (Castagnoli, reflected polynomial 0x82f63b78), the one ext4,
 * jbd2 and iSCSI use; like crc32_le() without the final inversion (ext4
 * stores the running value as it is).
 */
u32 crc32c_le(u32 crc, const void *buf, size_t len);

static inline u32 crc32(const void *buf, size_t len)
{
	return crc32_le(~0U, buf, len) ^ ~0U;
}

#endif /* _EXO_CRC32_H */
