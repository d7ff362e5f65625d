package dev.hmap;

import dev.hmap.MapImpls.Impl;
import dev.hmap.MapUnderTest.Cur;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.hmap.ConformanceSuite.builderSeed;
import static dev.hmap.ConformanceSuite.ctx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory of String keys: each key slot is Go's string header, (offset of the key's bytes in the map's
 * memory, length).
 */
class StringKeyMemoryTest {

    /**
     * Go's map[string]V buckets: 16-byte key slots holding (offset of the bytes in the map's memory,
     * length), the values after the 8 key slots. Every live slot's offset is where its key's bytes are
     * (keyBytes().address() = base + offset, for one base and every key), its length is the key's, and its
     * value slot holds the key's value; only the empty string has offset 0.
     */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#stringsWithSeeds")
    void keySlotsHoldTheOffsetAndLengthOfTheKeysBytes(Impl impl, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String ctx = ctx(impl, seed, "key slots");
        try (MapUnderTest m = impl.build(0, 0, builderSeed(seed))) {
            int n = r.nextInt(0, 3000);
            for (int i = 0; i < n; i++) m.put(impl.randomKey(r), impl.randomValue(r));
            while (m.stats().growing()) m.put(impl.randomKey(r), impl.randomValue(r)); // every entry in the current array
            MapStats s = m.stats();
            int valuesOff = 8 + 8 * s.keySize();
            Map<Long, long[]> slots = new HashMap<>(); // offset -> {length, value}
            long emptyKeys = 0, nb = 1L << s.B(), live = 0;
            for (long b = 0; b < nb; b++) {
                ByteBuffer bucket = ByteBuffer.wrap(m.raw().bucketBytes(b)).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 8; i++) {
                    if ((bucket.get(i) & 0xFF) < 5) continue; // minTopHash: empty or evacuated
                    live++;
                    long off = bucket.getLong(8 + 16 * i), len = bucket.getLong(8 + 16 * i + 8);
                    long value = switch (impl.valueKind()) {
                        case NONE -> MapImpls.PRESENT;
                        case INT -> bucket.getInt(valuesOff + 4 * i);
                        case DOUBLE -> MapImpls.integral(bucket.getDouble(valuesOff + 8 * i));
                        case LONG -> bucket.getLong(valuesOff + 8 * i);
                    };
                    if (len == 0) {
                        emptyKeys++;
                        assertEquals(0, off, ctx + ": the empty string's header has offset 0");
                        assertEquals(m.get(0), value, ctx + ": value of the empty string"); // key 0 is ""
                    } else {
                        assertTrue(off >= 128, ctx + ": key bytes lie outside the header");
                        assertTrue(slots.put(off, new long[] {len, value}) == null, ctx + ": two keys share bytes at " + off);
                    }
                }
            }
            assertTrue(live <= m.size(), ctx); // overflow buckets are not reachable through bucketBytes
            Map<Long, long[]> byAddress = new HashMap<>(); // keyBytes address -> {length, value}
            for (Cur c = m.cursor(); c.next(); ) {
                if (c.keyLength() > 0) byAddress.put(c.keyBytes().address(), new long[] {c.keyLength(), c.value()});
            }
            if (!slots.isEmpty()) {
                long first = slots.keySet().iterator().next();
                Long base = null;
                for (long address : byAddress.keySet()) {
                    long candidate = address - first;
                    if (slots.keySet().stream().allMatch(o -> byAddress.containsKey(candidate + o))) {
                        base = candidate;
                        break;
                    }
                }
                assertTrue(base != null, ctx + ": the headers' offsets do not map onto the keys' bytes");
                for (Map.Entry<Long, long[]> e : slots.entrySet()) {
                    long[] seen = byAddress.get(base + e.getKey());
                    assertEquals(seen[0], e.getValue()[0], ctx + ": the length in the header at offset " + e.getKey());
                    assertEquals(seen[1], e.getValue()[1], ctx + ": the value slot of the key at offset " + e.getKey());
                }
            }
            assertTrue(emptyKeys <= 1, ctx);
        }
    }
}
