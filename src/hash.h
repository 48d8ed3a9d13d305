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

static inline uint64_t uc_hash_bytes(const void *data, size_t len, uint64_t seed)
{
	const uint8_t *p = data;
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL);

	for (; len >= 8; p += 8, len -= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		h = (h ^ uc_hash_mix(w)) * 0x9e3779b97f4a7c15ULL;
	}
	if (len) {
		uint64_t w = 0;

		memcpy(&w, p, len);
		h = (h ^ uc_hash_mix(w ^ 0xa5)) * 0x9e3779b97f4a7c15ULL;
	}
	return uc_hash_mix(h);
}

#endif /* UC_HASH_H */
