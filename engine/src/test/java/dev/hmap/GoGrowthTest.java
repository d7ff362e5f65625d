// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.internal.MapCore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** B after inserts and after hints, and the bucket counts of makeBucketArray, against Go 1.19. */
class GoGrowthTest {

    @Test
    void bAfterEachInsertMatchesGoUpTo5000() {
        List<String[]> rows = GoReference.rows("b_after_inserts.txt");
        int max = 5000;
        int[][] go = GoReference.expand(rows, max, 2);
        // Go's column "growing" is recorded at the transitions: check it exactly there.
        java.util.Set<Integer> transitions = new java.util.HashSet<>();
        for (String[] r : rows) transitions.add(Integer.parseInt(r[0]));
        for (int seed : new int[] {1, 2, 3}) {
            try (LongLongMap m = LongLongMap.builder().seed(seed).build()) {
                for (int n = 0; n <= max; n++) {
                    if (n > 0) m.put(n * 0x9E3779B97F4A7C15L, n);
                    MapStats s = m.stats();
                    assertEquals(go[n][0], s.B(), "B after " + n + " inserts (seed " + seed + ")");
                    if (transitions.contains(n)) {
                        assertEquals(go[n][1] == 1, s.growing(), "growing after " + n + " inserts (seed " + seed + ")");
                    }
                }
                ((MapCore) (Object) m).checkInvariants();
            }
        }
    }

    @Test
    void bForEveryHintUpTo5000MatchesGo() {
        int[][] go = GoReference.expand(GoReference.rows("b_for_hint.txt").stream()
                .filter(r -> r.length == 2).toList(), 5000, 1);
        for (int hint = 0; hint <= 5000; hint++) {
            assertEquals(go[hint][0], MapCore.bForHint(hint, 144), "B for hint " + hint);
        }
        for (int hint : new int[] {0, 8, 9, 13, 14, 26, 27, 100, 1000, 4999}) {
            try (LongLongMap m = LongLongMap.create(hint)) {
                assertEquals(go[hint][0], m.stats().B(), "B of a map made with hint " + hint);
                assertEquals(0, m.size());
            }
        }
    }

    @Test
    void bigNegativeAndAbsurdHintsMatchGo() {
        for (String[] r : GoReference.rows("b_for_hint.txt")) {
            if (r[0].equals("big")) {
                long hint = Long.parseLong(r[1]);
                int b = Integer.parseInt(r[2]);
                assertEquals(b, MapCore.bForHint(hint, 144), "B for hint " + hint + " (" + r[3] + " in Go)");
                if (r[3].equals("observed") && (hint < 0 || b == 0 || hint <= 1 << 20)) {
                    try (LongLongMap m = LongLongMap.create(hint)) {
                        assertEquals(b, m.stats().B(), "a map made with hint " + hint);
                        m.put(1, 2);
                        assertEquals(2, m.get(1), "a map made with an ignored hint works");
                    }
                }
            } else if (r[0].equals("int32")) {
                long hint = Long.parseLong(r[1]);
                assertEquals(Integer.parseInt(r[2]), MapCore.bForHint(hint, 80), "map[int32]int32 hint " + hint);
                if (hint <= 1 << 20) {
                    try (IntIntMap m = IntIntMap.create(hint)) {
                        assertEquals(Integer.parseInt(r[2]), m.stats().B(), "IntIntMap hint " + hint);
                    }
                }
            }
        }
    }

    @Test
    void bucketArraysHaveGosBucketCount() {
        for (String[] r : GoReference.rows("header_after_ops.txt")) {
            if (!r[0].equals("alloc")) continue;
            int b = Integer.parseInt(r[2]);
            assertEquals(Long.parseLong(r[3]), MapCore.arrayBuckets(b, 144),
                    "buckets allocated for hint " + r[1] + " (B=" + b + ")");
        }
    }

    @Test
    void aMapFilledToItsHintNeverGrows() {
        for (int hint : new int[] {8, 13, 100, 1000, 6656, 100_000}) {
            try (LongLongMap m = LongLongMap.builder().expectedSize(hint).seed(hint).build()) {
                int b = m.stats().B();
                for (int i = 0; i < hint; i++) m.put(i * 31L + 7, i);
                assertEquals(b, m.stats().B(), "B after filling to hint " + hint);
                assertFalse(m.stats().growing(), "no growth up to the hint " + hint);
            }
        }
    }
}
