// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.internal.HmapHeader;
import dev.hmap.internal.MapCore;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/** The raw header and bucket bytes against Go 1.19's layout (amd64, little-endian). */
class GoLayoutTest {

    record Header(long count, int flags, int b, int noverflow, int hash0, long buckets, long oldbuckets,
                  long nevacuate, long extra) {
        static Header of(byte[] bytes) {
            assertEquals(48, bytes.length, "Go's hmap header is 48 bytes");
            ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            return new Header(h.getLong(0), h.get(8) & 0xFF, h.get(9) & 0xFF, h.getShort(10) & 0xFFFF, h.getInt(12),
                    h.getLong(16), h.getLong(24), h.getLong(32), h.getLong(40));
        }
    }

    @Test
    void headerOffsetsAreGos() {
        assertEquals(48, HmapHeader.SIZE);
        assertEquals(0, HmapHeader.COUNT_OFFSET);
        assertEquals(8, HmapHeader.FLAGS_OFFSET);
        assertEquals(9, HmapHeader.B_OFFSET);
        assertEquals(10, HmapHeader.NOVERFLOW_OFFSET);
        assertEquals(12, HmapHeader.HASH0_OFFSET);
        assertEquals(16, HmapHeader.BUCKETS_OFFSET);
        assertEquals(24, HmapHeader.OLDBUCKETS_OFFSET);
        assertEquals(32, HmapHeader.NEVACUATE_OFFSET);
        assertEquals(40, HmapHeader.EXTRA_OFFSET);
    }

    @Test
    void headerBytesFollowTheMap() {
        try (LongLongMap m = LongLongMap.builder().seed(0x1234567).build()) {
            Header h = Header.of(m.headerBytes());
            assertEquals(new Header(0, 0, 0, 0, 0x1234567, 0, 0, 0, 0), h, "a new map: nil buckets, no extra");
            m.put(1, 1);
            h = Header.of(m.headerBytes());
            assertEquals(1, h.count());
            assertNotEquals(0, h.buckets(), "first bucket allocated at the first insert");
            for (long k = 2; k <= 200; k++) m.put(k, k);
            h = Header.of(m.headerBytes());
            MapStats s = m.stats();
            assertEquals(200, h.count());
            assertEquals(s.B(), h.b());
            assertEquals(s.flags(), h.flags());
            assertEquals(s.noverflow(), h.noverflow());
            assertEquals(s.nevacuate(), h.nevacuate());
            assertEquals(s.growing(), h.oldbuckets() != 0);
            assertEquals(HmapHeader.EXTRA, h.extra(), "extra points at mapextra once overflow buckets exist");
        }
    }

    /** Every scenario of header_after_ops.txt, recorded from Go (fields Go left seed-dependent are skipped). */
    @Test
    void headerAfterGoScenarios() {
        Map<String, Supplier<LongLongMap>> scenarios = new HashMap<>();
        scenarios.put("make", LongLongMap::create);
        scenarios.put("make,insert8", () -> fill(LongLongMap.create(), 8));
        scenarios.put("make,insert9", () -> fill(LongLongMap.create(), 9));
        scenarios.put("make,insert9,overwrite9", () -> fill(fill(LongLongMap.create(), 9), 9));
        scenarios.put("make,insert13", () -> fill(LongLongMap.create(), 13));
        scenarios.put("make,insert14", () -> fill(LongLongMap.create(), 14));
        scenarios.put("make,insert100,delete100", () -> {
            LongLongMap m = fill(LongLongMap.create(), 100);
            for (long k = 0; k < 100; k++) m.remove(k);
            return m;
        });
        scenarios.put("make,insert100,deleteMissing", () -> {
            LongLongMap m = fill(LongLongMap.create(), 100);
            m.remove(-1);
            return m;
        });
        scenarios.put("make,insert8,range", () -> range(fill(LongLongMap.create(), 8)));
        scenarios.put("make,insert8,range,insert1", () -> {
            LongLongMap m = range(fill(LongLongMap.create(), 8));
            m.put(8, 8);
            return m;
        });
        scenarios.put("make,insert1000,clear", () -> {
            LongLongMap m = fill(LongLongMap.create(), 1000);
            m.clear();
            return m;
        });
        scenarios.put("make(hint=100)", () -> LongLongMap.create(100));
        scenarios.put("make(hint=1000)", () -> LongLongMap.create(1000));
        scenarios.put("make(hint=1000),insert1000", () -> fill(LongLongMap.create(1000), 1000));

        int checked = 0;
        for (String[] r : GoReference.rows("header_after_ops.txt")) {
            if (r[0].equals("alloc")) continue;
            Supplier<LongLongMap> s = scenarios.get(r[0]);
            assertNotNull(s, "no Java version of Go scenario " + r[0]);
            for (int run = 0; run < 20; run++) {
                try (LongLongMap m = s.get()) {
                    Header h = Header.of(m.headerBytes());
                    long[] actual = {h.count(), h.flags(), h.b(), h.oldbuckets() != 0 ? 1 : 0, h.extra() != 0 ? 1 : 0};
                    String[] names = {"count", "flags", "B", "growing", "extra"};
                    for (int c = 0; c < 5; c++) {
                        if (r[c + 1].equals("?")) continue;
                        assertEquals(Long.parseLong(r[c + 1]), actual[c], r[0] + ": " + names[c]);
                    }
                    ((MapCore) (Object) m).checkInvariants();
                }
            }
            checked++;
        }
        assertEquals(scenarios.size(), checked, "every scenario was checked");
    }

    private static LongLongMap fill(LongLongMap m, int n) {
        for (long k = 0; k < n; k++) m.put(k, k * 10);
        return m;
    }

    private static LongLongMap range(LongLongMap m) {
        LongLongCursor c = m.cursor();
        while (c.next()) {
            // Go's `for range m`: iterate to the end
        }
        return m;
    }

    /** For a LongLongMap every filled slot's key and value stand at Go's offsets in bucketBytes. */
    @Test
    void bucketBytesHoldKeysAndValuesAtGosOffsets() {
        try (LongLongMap m = LongLongMap.builder().expectedSize(1000).seed(7).build()) {
            Map<Long, Long> ref = new HashMap<>();
            for (long i = 0; i < 1000; i++) {
                long k = i * 0x9E3779B97F4A7C15L, v = ~i;
                m.put(k, v);
                ref.put(k, v);
            }
            assertFalse(m.stats().growing(), "presized: no growth, all entries in the main array or overflow");
            long nb = m.stats().buckets();
            int seen = 0;
            for (long i = 0; i < nb; i++) {
                byte[] b = m.bucketBytes(i);
                assertEquals(144, b.length);
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                for (int s = 0; s < 8; s++) {
                    int top = b[s] & 0xFF;
                    if (top < 5) continue;
                    long key = bb.getLong(8 + 8 * s), value = bb.getLong(72 + 8 * s);
                    assertEquals(ref.get(key), value, "slot " + s + " of bucket " + i);
                    seen++;
                }
            }
            assertTrue(seen > 800, "most entries sit in main buckets: " + seen);
            assertThrows(IndexOutOfBoundsException.class, () -> m.bucketBytes(nb));
            assertThrows(IndexOutOfBoundsException.class, () -> m.bucketBytes(-1));
        }
    }

    @Test
    void setsAndIntMapsUseGosBucketSizes() {
        List<OffHeapMap> maps = List.of(IntIntMap.create(), IntLongMap.create(), IntDoubleMap.create(),
                LongIntMap.create(), LongLongMap.create(), LongDoubleMap.create(), IntSet.create(), LongSet.create());
        int[] sizes = {80, 112, 112, 112, 144, 144, 48, 80};
        for (int i = 0; i < maps.size(); i++) {
            try (OffHeapMap m = maps.get(i)) {
                assertEquals(sizes[i], m.stats().bucketSize(), m.getClass().getSimpleName());
                assertEquals(sizes[i], m.bucketBytes(0).length);
            }
        }
    }

    @Test
    void intSetSlotsAtGosOffsets() {
        try (IntSet s = IntSet.builder().seed(3).build()) {
            for (int k = 1; k <= 5; k++) s.add(k * 1000);
            ByteBuffer b = ByteBuffer.wrap(s.bucketBytes(0)).order(ByteOrder.LITTLE_ENDIAN);
            java.util.Set<Integer> keys = new java.util.HashSet<>();
            for (int slot = 0; slot < 8; slot++) {
                if ((b.get(slot) & 0xFF) >= 5) keys.add(b.getInt(8 + 4 * slot));
            }
            assertEquals(java.util.Set.of(1000, 2000, 3000, 4000, 5000), keys, "map[int32]struct{}: keys at 8 + 4i");
            assertEquals(0, b.getLong(40), "no overflow");
        }
    }
}
