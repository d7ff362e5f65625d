// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The key hash mixes well, and the seed decides which keys collide. */
class HashingTest {

    @Test
    void avalanche() {
        SplittableRandom r = new SplittableRandom(3);
        long s0 = Hashing.seed0(12345), s1 = Hashing.seed1(12345);
        int samples = 20_000;
        int[][] flips = new int[64][64];
        for (int n = 0; n < samples; n++) {
            long k = r.nextLong();
            long h = Hashing.hash64(k, s0, s1);
            for (int in = 0; in < 64; in++) {
                long d = h ^ Hashing.hash64(k ^ (1L << in), s0, s1);
                for (int out = 0; out < 64; out++) if ((d >>> out & 1) != 0) flips[in][out]++;
            }
        }
        for (int in = 0; in < 64; in++) {
            for (int out = 0; out < 64; out++) {
                double p = flips[in][out] / (double) samples;
                assertTrue(p > 0.40 && p < 0.60, "input bit " + in + " flips output bit " + out + " with p=" + p);
            }
        }
    }

    @Test
    void sequentialKeysSpreadEvenlyOverBuckets() {
        for (int seed : new int[] {0, 1, -7}) {
            long s0 = Hashing.seed0(seed), s1 = Hashing.seed1(seed);
            int buckets = 1 << 16, n = buckets * 6;
            int[] load = new int[buckets];
            for (long k = 0; k < n; k++) load[(int) (Hashing.hash64(k, s0, s1) & (buckets - 1))]++;
            int max = 0;
            for (int l : load) max = Math.max(max, l);
            assertTrue(max <= 30, "sequential longs: fullest bucket holds " + max + " (mean 6), seed " + seed);
            java.util.Arrays.fill(load, 0);
            for (int k = 0; k < n; k++) load[(int) (Hashing.hash32(k, s0, s1) & (buckets - 1))]++;
            max = 0;
            for (int l : load) max = Math.max(max, l);
            assertTrue(max <= 30, "sequential ints: fullest bucket holds " + max + ", seed " + seed);
        }
    }

    @Test
    void keysCollidingUnderOneSeedSpreadUnderAnother() {
        long a0 = Hashing.seed0(1), a1 = Hashing.seed1(1);
        int mask = (1 << 12) - 1;
        long[] colliding = new long[200];
        int found = 0;
        for (long k = 0; found < colliding.length; k++) {
            if ((Hashing.hash64(k, a0, a1) & mask) == 0) colliding[found++] = k;
        }
        for (int seed = 2; seed < 12; seed++) {
            long b0 = Hashing.seed0(seed), b1 = Hashing.seed1(seed);
            java.util.Set<Long> buckets = new java.util.HashSet<>();
            for (long k : colliding) buckets.add(Hashing.hash64(k, b0, b1) & mask);
            assertTrue(buckets.size() > 180, "200 keys of one bucket under seed 1 land in " + buckets.size()
                    + " buckets under seed " + seed);
        }
    }

    @Test
    void seedsDiffer() {
        assertNotEquals(Hashing.seed0(1), Hashing.seed0(2));
        assertEquals(1, Hashing.seed1(99) & 1, "the multiplier is odd");
    }
}
