// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** BlockSet against HashMap: random adds and removes of page-aligned and 8-aligned offsets, through rehashes. */
class BlockSetTest {
    @Test
    void agreesWithHashMap() {
        long seed = Long.getLong("hmap.test.seed", 0xB10C5);
        SplittableRandom r = new SplittableRandom(seed);
        BlockSet set = new BlockSet();
        Map<Long, Long> ref = new HashMap<>();
        List<Long> live = new ArrayList<>();
        for (int step = 0; step < 200_000; step++) {
            if (live.isEmpty() || r.nextInt(100) < 55) {
                long off = r.nextBoolean() ? 4096L * r.nextLong(1, 1 << 20) : 8L * r.nextLong(1, 1 << 24);
                if (ref.containsKey(off)) continue;
                long size = r.nextLong(1, 1 << 20);
                set.add(off, size);
                ref.put(off, size);
                live.add(off);
            } else {
                int i = r.nextInt(live.size());
                long off = live.get(i);
                live.set(i, live.get(live.size() - 1));
                live.remove(live.size() - 1);
                set.remove(off);
                ref.remove(off);
                set.remove(off); // a second remove does nothing
            }
            if (step % 20_000 == 0) assertSame(ref, set, seed);
        }
        assertSame(ref, set, seed);
        set.clear();
        assertSame(Map.of(), set, seed);
    }

    private static void assertSame(Map<Long, Long> ref, BlockSet set, long seed) {
        Map<Long, Long> seen = new HashMap<>();
        set.forEach((off, size) -> assertEquals(null, seen.put(off, size), "seed " + seed + ": block " + off + " twice"));
        assertEquals(ref, seen, "seed " + seed);
        assertEquals(ref.size(), set.size(), "seed " + seed);
    }
}
