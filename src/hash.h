/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hash.h - a fast 64-bit hash of byte strings (a multiply-xorshift mix over
 * 8-byte words), for indexing packets and names.  Not cryptographic: every
 * hash hit is confirmed by comparing the bytes.
 */
#ifndef UC_HASH_H
#define UC_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t uc_hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/*
 * The hash of DATA[0..LEN) with the MASK_LEN bytes at MASK_OFF read as
 * zero (MASK_OFF may lie beyond LEN: nothing is masked then), without a
 * masked copy.  uc_hash_bytes() is the same with nothing masked.
 */
static inline uint64_t uc_hash_bytes_masked(const void *data, size_t len,
					    size_t mask_off, size_t mask_len,
					    uint64_t seed)
{
	const uint8_t *p = data;
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL);
	size_t mask_end = mask_off + mask_len;

	for (size_t at = 0; at < len; at += 8) {
		size_t n = len - at < 8 ? len - at : 8;
		uint64_t w = 0;

		if (n == 8 && (at + 8 <= mask_off || at >= mask_end)) {
			memcpy(&w, p + at, 8);   /* the common case: whole, unmasked */
		} else {
			uint8_t word[8] = { 0 };

			memcpy(word, p + at, n);
			for (size_t i = mask_off > at ? mask_off : at;
			     i < mask_end && i < at + n; i++)
				word[i - at] = 0;
			memcpy(&w, word, 8);
		}
		h = (h ^ uc_hash_mix(n == 8 ? w : w ^ 0xa5)) * 0x9e3779b97f4a7c15ULL;
	}
	return uc_hash_mix(h);
}

static inline uint64_t uc_hash_bytes(const void *data, size_t len, uint64_t seed)
{
	return uc_hash_bytes_masked(data, len, SIZE_MAX - 8, 0, seed);
}

#endif /* UC_HASH_H */
