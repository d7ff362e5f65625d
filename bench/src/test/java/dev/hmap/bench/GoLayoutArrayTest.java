// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The lookup reference must agree with HashMap, or its timings say nothing. */
class GoLayoutArrayTest {
    @Test
    void agreesWithHashMapThroughGrowthAndOverflow() {
        long seed = 0x60_1A_70L;
        SplittableRandom r = new SplittableRandom(seed);
        GoLayoutArray a = new GoLayoutArray();
        HashMap<Long, Long> ref = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // small key range: updates of present keys as well as inserts
            long k = (i % 3 == 0) ? r.nextLong(50_000) : r.nextLong();
            long v = r.nextLong();
            a.put(k, v);
            ref.put(k, v);
        }
        assertEquals(ref.size(), a.size(), "seed " + seed);
        long sum = 0;
        for (var e : ref.entrySet()) {
            assertEquals((long) e.getValue(), a.get(e.getKey()), "seed " + seed + ", key " + e.getKey());
            sum += e.getKey() + e.getValue();
        }
        assertEquals(sum, a.iterate(), "seed " + seed);
        for (int i = 0; i < 10_000; i++) {
            long k = r.nextLong();
            if (!ref.containsKey(k)) assertEquals(0, a.get(k), "seed " + seed + ", absent key " + k);
        }
    }
}
