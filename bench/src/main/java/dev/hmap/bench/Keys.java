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
        SplittableRandom rnd = new SplittableRandom(seed);
        LongOpenHashSet seen = new LongOpenHashSet(n);
        long[] keys = new long[n];
        int i = 0;
        while (i < n) {
            long k = rnd.nextLong();
            if (seen.add(k)) keys[i++] = k;
        }
        return keys;
    }

    /** {@code n} distinct random longs none of which is in {@code present}. */
    public static long[] absent(long seed, int n, long[] present) {
        LongOpenHashSet taken = new LongOpenHashSet(present);
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] keys = new long[n];
        int i = 0;
        while (i < n) {
            long k = rnd.nextLong();
            if (taken.add(k)) keys[i++] = k;
        }
        return keys;
    }

    /** A copy of {@code keys} in a random (but fixed) order: Fisher-Yates with {@code seed}. */
    public static long[] shuffled(long[] keys, long seed) {
        long[] a = keys.clone();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
