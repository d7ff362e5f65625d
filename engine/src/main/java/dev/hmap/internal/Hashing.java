package dev.hmap.internal;

/**
 * Seeded 64-bit hashing of 4- and 8-byte keys.
 *
 * <p>One "folded multiply" (the 128-bit product of the key and a seeded odd constant, high half XOR low
 * half, as in wyhash): every output bit depends on every key bit, it costs one {@code mulx}, and the
 * seed changes which keys collide (HashingTest checks avalanche and seed sensitivity). Go uses AES or
 * wyhash-style memhash here; the exact function is not part of the layout.
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
        return fold(key ^ seed0, seed1);
    }

    public static long hash32(int key, long seed0, long seed1) {
        return fold((key & 0xFFFFFFFFL) ^ seed0, seed1);
    }
}
