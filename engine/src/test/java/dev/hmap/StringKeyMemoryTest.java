// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.MapImpls.Impl;
import dev.hmap.MapUnderTest.Cur;
import dev.hmap.internal.MapCore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.hmap.ConformanceSuite.builderSeed;
import static dev.hmap.ConformanceSuite.ctx;
import static dev.hmap.StringKeys.randomLength;
import static dev.hmap.StringKeys.randomString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The memory of String keys: each key slot is Go's string header, (offset of the key's bytes in the map's
 * memory, length); offHeapBytes comes back after clear(); and it stays flat under a steady-size churn.
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
                        case BYTES -> bucket.getLong(valuesOff + 16 * i + 8); // the value's length, in its header
                    };
                    if (len == 0) {
                        emptyKeys++;
                        assertEquals(0, off, ctx + ": the empty string's header has offset 0");
                        assertEquals(valueSeen(impl, m.get(0)), value, ctx + ": value of the empty string"); // key 0 is ""
                    } else {
                        assertTrue(off >= dev.hmap.internal.MapMemory.REGION_START, ctx + ": key bytes lie outside the header");
                        assertTrue(slots.put(off, new long[] {len, value}) == null, ctx + ": two keys share bytes at " + off);
                    }
                }
            }
            assertTrue(live <= m.size(), ctx); // overflow buckets are not reachable through bucketBytes
            Map<Long, long[]> byAddress = new HashMap<>(); // keyBytes address -> {length, value}
            for (Cur c = m.cursor(); c.next(); ) {
                if (c.keyLength() > 0) byAddress.put(c.keyBytes().address(), new long[] {c.keyLength(), valueSeen(impl, c.value())});
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

    /** What a value slot shows of value v: v itself, or for byte-string values the length in the header. */
    private static long valueSeen(Impl impl, long v) {
        return impl.valueKind() == MapImpls.ValueKind.BYTES ? ValueForm.bytesOf(v).length : v;
    }

    /** Writes hand back this much freed memory each (MapCore.RELEASE_STEP). */
    static final long RELEASE_STEP = 2L << 20;
    /**
     * What may stay after clear() and the writes that follow it: one 64 KiB key-heap chunk for keys written
     * after the clear, and the structure heap's 64 KiB size-class chunks (small overflow slabs), which are
     * kept for reuse rather than handed back.
     */
    static final long CLEAR_TOLERANCE = 4 * 64 << 10;

    /**
     * A presized map (no growth) is filled with keys of every size, up to 1 MiB, then cleared: the key
     * bytes, overflow slabs and prepared arrays go back, handed to the kernel in 2 MiB steps by the
     * following writes, until offHeapBytes is back to its level before the fill (within CLEAR_TOLERANCE).
     * Done three times: nothing creeps up.
     */
    @Test
    void offHeapBytesComeBackAfterClear() {
        SplittableRandom r = new SplittableRandom(ConformanceSuite.RUN_SEED);
        int n = 60_000;
        try (StringLongMap m = StringLongMap.builder().expectedSize(n).build()) {
            long before = m.stats().offHeapBytes();
            int b = m.stats().B();
            for (int round = 0; round < 3; round++) {
                String ctx = "seed=" + ConformanceSuite.RUN_SEED + " round " + round;
                for (int i = 0; i < n; i++) m.put(randomString(r, randomLength(r)) + round + "/" + i, i);
                m.put("x".repeat(1 << 20), 1);
                long full = m.stats().offHeapBytes();
                assertTrue(full > before + (3L << 20), ctx + ": the keys take memory: " + before + " -> " + full);
                m.clear();
                long allowedWrites = (full - before) / RELEASE_STEP + 3;
                long writes = 0;
                while (m.stats().offHeapBytes() > before + CLEAR_TOLERANCE) {
                    if (++writes > allowedWrites) {
                        fail(ctx + ": offHeapBytes " + m.stats().offHeapBytes() + " still above " + before + " + "
                                + CLEAR_TOLERANCE + " after " + allowedWrites + " writes following clear() (full: " + full + ")");
                    }
                    if (writes % 2 == 0) m.put("after-clear-" + writes, writes); else m.remove("nothing");
                }
                System.out.println("[hmap strings] " + ctx + ": offHeapBytes " + before + " presized, " + full + " filled, "
                        + m.stats().offHeapBytes() + " after clear() and " + writes + " writes (allowed: " + allowedWrites + ")");
                assertEquals(b, m.stats().B(), ctx + ": a presized map filled to its hint does not grow");
            }
        }
    }

    /**
     * Steady size, fresh keys in, oldest out (2M steps; 10M with -Dhmap.test.long=true): freed key bytes
     * are reused and emptied overflow buckets too, so no same-size growth ever starts, and after the first
     * half of the churn offHeapBytes never exceeds that half's peak by more than max(32 KiB, 1/16 of it).
     */
    @Test
    void steadySizeChurnDoesNotGrowMemory() {
        int size = 5_000;
        long steps = ConformanceSuite.LONG ? 10_000_000 : 2_000_000;
        long seed = ConformanceSuite.RUN_SEED;
        long salt = StringKeyCodec.mix(seed);
        String ctx = "churn seed=" + seed + " size=" + size + " steps=" + steps;
        try (StringLongMap m = StringLongMap.builder().seed(builderSeed(seed)).build()) {
            String[] ring = new String[size];
            for (int i = 0; i < size; i++) {
                ring[i] = StringKeyCodec.encode(StringKeyCodec.mix(i + salt));
                m.put(ring[i], i);
            }
            // Deletes keep chains packed and reuse emptied overflow buckets, key bytes go back to their size
            // class: after a warm-up the footprint is flat (a page of some size class now and then), and no
            // same-size growth is ever needed. The warm-up adds what each key size class holds at its
            // busiest: with these adversarial key lengths (dozens of classes) and only 5,000 keys, about a
            // quarter of the fill.
            long filled = m.stats().offHeapBytes(), max = filled, maxAt = -1, warm = 0;
            int sameSize = 0;
            for (long step = 0; step < steps; step++) {
                int slot = (int) (step % size);
                if (m.remove(ring[slot]) != slot) fail(ctx + ": step " + step + ": remove returned the wrong value");
                ring[slot] = StringKeyCodec.encode(StringKeyCodec.mix(step + size + salt));
                m.put(ring[slot], slot);
                if ((step & 63) == 0) {
                    MapStats s = m.stats();
                    if (s.sameSizeGrow()) sameSize++;
                    if (s.offHeapBytes() > max) {
                        max = s.offHeapBytes();
                        maxAt = step;
                    }
                }
                if (step == steps / 2) warm = max;
            }
            assertEquals(size, m.size(), ctx);
            System.out.println("[hmap strings] " + ctx + ": offHeapBytes " + filled + " after the fill, " + warm
                    + " peak in the first half of the churn, max " + max + " (at step " + maxAt + "), "
                    + m.stats().offHeapBytes() + " at the end; steps seen mid same-size growth: " + sameSize);
            assertEquals(0, sameSize, ctx + ": churn at a steady size started a same-size growth");
            assertTrue(max <= warm + Math.max(32L << 10, warm / 16), ctx + ": offHeapBytes grew from " + warm
                    + " (its peak in the first half of the churn) to " + max + " at step " + maxAt);
            ((MapCore) m).checkInvariants();
        }
    }
}
