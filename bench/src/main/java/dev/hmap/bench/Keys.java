// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;

import java.util.SplittableRandom;

/**
 * Deterministic key sets shared by every benchmark, the growth-latency tool and the demo. All keys are
 * drawn from {@link SplittableRandom} with a fixed seed, so every peer sees the same keys in the same order,
 * run after run; the random number generator never runs inside a measured loop.
 */
public final class Keys {
    private Keys() {}

    /** Seed of the keys that are put into the maps. */
    public static final long SEED = 0x5EED_0001L;
    /** Seed of the lookup order (a shuffle of the present keys). */
    public static final long SHUFFLE_SEED = 0x5EED_0002L;
    /** Seed of the keys known to be absent. */
    public static final long MISS_SEED = 0x5EED_0003L;

    /** {@code n} distinct random longs (any bit pattern, 0 and negatives included), in generation order. */
    public static long[] distinct(long seed, int n) {
        return distinct(KeyKind.LONG, seed, n);
    }

    /**
     * {@code n} distinct random keys of {@code kind} in generation order: any long, or any int (held in a
     * long, so one loop serves both kinds; {@link Peer}s narrow it back).
     */
    public static long[] distinct(KeyKind kind, long seed, int n) {
        return draw(kind, seed, n, new LongOpenHashSet(n));
    }

    /** {@code n} distinct random keys of {@code kind} none of which is in {@code present}. */
    public static long[] absent(KeyKind kind, long seed, int n, long[] present) {
        return draw(kind, seed, n, new LongOpenHashSet(present));
    }

    private static long[] draw(KeyKind kind, long seed, int n, LongOpenHashSet taken) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] keys = new long[n];
        int i = 0;
        while (i < n) {
            long k = kind == KeyKind.LONG ? rnd.nextLong() : rnd.nextInt();
            if (taken.add(k)) keys[i++] = k;
        }
        return keys;
    }

    /**
     * A copy of {@code keys} in a random (but fixed) order: Fisher-Yates with {@code seed}, the same swaps as
     * {@link StringKeys#shuffled} makes of the indexes.
     */
    public static long[] shuffled(long[] keys, long seed) {
        int[] order = StringKeys.shuffled(StringKeys.range(0, keys.length), seed);
        long[] a = new long[keys.length];
        for (int i = 0; i < a.length; i++) a[i] = keys[order[i]];
        return a;
    }
}
