// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

/**
 * Seeded 64-bit hashing of 4- and 8-byte keys.
 *
 * <p>Two "folded multiplies" (the 128-bit product of two words, high half XOR low half, as in wyhash):
 * the first mixes the seeded key with a seeded odd multiplier, the second spreads the result so low key
 * bits reach the low hash bits that pick the bucket (one fold alone leaves input bit 0 flipping output
 * bit 0 four times in five: HashingTest's avalanche check caught it). Two {@code mulx}, no branches; the
 * seed changes which keys collide. Go uses AES or wyhash-style memhash here; the exact function is not
 * part of the layout.
 */
public final class Hashing {
    private Hashing() {}

    private static final long P0 = 0xa0761d6478bd642fL, P1 = 0xe7037ed1a0b428dbL, P2 = 0x8ebc6af09c88c6e3L;

    /** Expands Go's 32-bit hash0 into the first 64-bit key of {@link #hash64}. */
    public static long seed0(int hash0) {
        return fold(fold(hash0 ^ P0, P1) ^ P2, P0);
    }

    /** The second key: odd, so the multiply loses no bit of the key. */
    public static long seed1(int hash0) {
        return fold(fold(hash0 ^ P2, P0) ^ P1, P2) | 1L;
    }

    public static long fold(long a, long b) {
        return Math.multiplyHigh(a, b) ^ (a * b);
    }

    public static long hash64(long key, long seed0, long seed1) {
        return fold(fold(key ^ seed0, seed1), P2);
    }

    public static long hash32(int key, long seed0, long seed1) {
        return fold(fold((key & 0xFFFFFFFFL) ^ seed0, seed1), P2);
    }
}
