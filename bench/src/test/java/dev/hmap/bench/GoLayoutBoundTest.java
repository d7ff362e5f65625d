// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.LongLongMap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The layout's bound must be a correct Go map and hash as hmap does, or hmap's ratio to it says nothing. */
class GoLayoutBoundTest {

    /**
     * Random puts, gets and removes against HashMap, on a small table where a few buckets get chains of up to
     * four buckets (keys picked by their bucket), so deletes reach back over overflow buckets; the emptyRest
     * rule and the count are checked after every step.
     */
    @Test
    void agreesWithHashMapThroughChainsAndDeletes() {
        long seed = 0x60_B0_0D_01L;
        SplittableRandom r = new SplittableRandom(seed);
        try (GoLayoutBound g = new GoLayoutBound(100)) {
            assertEquals(4, g.bucketShift(), "100 entries: 16 buckets");
            // A pool of keys: a few buckets get 30 candidates each (chains of up to 4 buckets), the rest random.
            List<Long> pool = new ArrayList<>();
            int[] crowded = new int[16];
            while (pool.size() < 200) {
                long k = r.nextLong();
                int b = (int) g.bucketOf(k);
                if (b < 3 ? crowded[b]++ < 30 : r.nextInt(8) == 0) pool.add(k);
            }
            HashMap<Long, Long> ref = new HashMap<>();
            for (int step = 0; step < 100_000; step++) {
                long k = pool.get(r.nextInt(pool.size()));
                int op = r.nextInt(ref.size() > 90 ? 2 : 3); // stay near the hint: no growth here
                if (op == 0) {
                    Long v = ref.remove(k);
                    assertEquals(v == null ? 0 : v, g.remove(k), "seed " + seed + ", step " + step + ": remove " + k);
                } else if (op == 1) {
                    Long v = ref.get(k);
                    assertEquals(v == null ? 0 : v, g.get(k), "seed " + seed + ", step " + step + ": get " + k);
                } else {
                    long v = r.nextLong(1, Long.MAX_VALUE);
                    ref.put(k, v);
                    g.put(k, v);
                }
                assertEquals(ref.size(), g.size(), "seed " + seed + ", step " + step);
                assertNull(g.checkInvariants(), "seed " + seed + ", step " + step);
            }
            long sum = 0;
            for (var e : ref.entrySet()) sum += e.getKey() + e.getValue();
            assertEquals(sum, g.iterate(), "seed " + seed);
        }
    }

    /** A presized fill at benchmark sizes: every key found, absent keys missed, the rule intact. */
    @Test
    void presizedFillAndChurnAtTheHint() {
        int n = 100_000;
        long[] ring = Keys.distinct(Keys.SEED, 2 * n);
        try (GoLayoutBound g = new GoLayoutBound(n)) {
            for (int i = 0; i < n; i++) g.put(ring[i], i);
            for (int i = 0; i < n; i++) assertEquals(i, g.get(ring[i]));
            for (int i = n; i < 2 * n; i++) assertEquals(0, g.get(ring[i]));
            // ChurnBench's step, twice round the ring: remove ring[h], put ring[h + n].
            for (int h = 0; h < 4 * n; h++) {
                int t = (h + n) % (2 * n);
                assertEquals(h % (2 * n), g.remove(ring[h % (2 * n)]), "step " + h);
                g.put(ring[t], t);
            }
            assertEquals(n, g.size());
            assertNull(g.checkInvariants());
        }
    }

    /**
     * The copied hash is hmap's: a LongLongMap and the bound with the same hash0 and hint, given the same
     * inserts, hold the same bytes in every bucket of the table (tophash, keys, values; the overflow offsets
     * differ, as the two place overflow buckets differently).
     */
    @Test
    void bucketsMatchLongLongMapsOfTheSameSeed() {
        int hash0 = 0x1234_5678, n = 5_000;
        long[] keys = Keys.distinct(0x5EED_0BADL, n);
        try (LongLongMap h = LongLongMap.builder().seed(hash0).expectedSize(n).build();
             GoLayoutBound g = new GoLayoutBound(n, hash0)) {
            for (int i = 0; i < n; i++) {
                h.put(keys[i], i);
                g.put(keys[i], i);
            }
            assertEquals(h.stats().B(), g.bucketShift(), "B from the hint");
            int cut = (int) GoLayoutBound.OVERFLOW_OFF;
            for (long b = 0; b < 1L << g.bucketShift(); b++) {
                assertArrayEquals(Arrays.copyOf(h.bucketBytes(b), cut), Arrays.copyOf(g.bucketBytes(b), cut), "bucket " + b);
            }
        }
    }

    @Test
    void layoutIsGos() {
        assertEquals(List.of(144L, 8L, 72L, 136L), List.of(GoLayoutBound.BUCKET_SIZE, GoLayoutBound.KEYS_OFF,
                GoLayoutBound.VALUES_OFF, GoLayoutBound.OVERFLOW_OFF), "Go 1.19's map[int64]int64 bucket: size, keys, values, overflow");
    }
}
