package dev.hmap;

import dev.hmap.MapImpls.Impl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.hmap.ConformanceSuite.builderSeed;
import static dev.hmap.ConformanceSuite.ctx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conformance tests that String maps and sets skip because they treat keys as numbers
 * ({@link ConformanceSuite#NUMERIC_KEYS_ONLY}), rewritten for String keys: the entrySet iterator's
 * remove/setValue, equals/hashCode against HashMaps (and against maps keyed by StringBuilders with the
 * same characters), the set view against HashSet with bulk operations, and headerBytes/bucketBytes
 * against stats() with Go's map[string]V layout: 16-byte key slots holding (offset of the bytes in the
 * map's memory, length), values from offset 136.
 */
class StringConformanceGapsTest {

    static Stream<Arguments> mapsWithSeeds() {
        return ConformanceSuite.stringsWithSeeds().filter(a -> !((Impl) a.get()[0]).isSet());
    }

    static Stream<Arguments> setsWithSeeds() {
        return ConformanceSuite.stringsWithSeeds().filter(a -> ((Impl) a.get()[0]).isSet());
    }

    /** The suite's long key of a String key. */
    static long key(Object k) {
        return StringKeyCodec.decode((String) k);
    }

    private static Map<Object, Object> fill(MapUnderTest m, Map<Object, Object> ref, SplittableRandom r, int n) {
        Impl impl = m.impl();
        for (int i = 0; i < n; i++) {
            long k = impl.randomKey(r), val = impl.randomValue(r);
            m.put(k, val);
            ref.put(impl.boxKey(k), impl.boxValue(val));
        }
        return m.asMap();
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("mapsWithSeeds")
    void entrySetIteratorRemoveAndSetValueWriteThrough(Impl impl, long seed) {
        String ctx = ctx(impl, seed, "entrySet iterator");
        SplittableRandom r = new SplittableRandom(seed);
        try (MapUnderTest m = impl.build(0, 0, builderSeed(seed))) {
            Map<Object, Object> ref = new HashMap<>();
            Map<Object, Object> v = fill(m, ref, r, 1000);
            Iterator<Map.Entry<Object, Object>> it = v.entrySet().iterator();
            assertThrows(IllegalStateException.class, it::remove, ctx + ": remove() before next()");
            int i = 0;
            while (it.hasNext()) {
                Map.Entry<Object, Object> e = it.next();
                Object k = e.getKey();
                assertTrue(k instanceof String, ctx);
                assertEquals(ref.get(k), e.getValue(), ctx + ": entry value of " + k);
                assertEquals(new SimpleEntry<>(k, e.getValue()), e, ctx + ": Entry.equals");
                assertEquals(Objects.hashCode(k) ^ Objects.hashCode(e.getValue()), e.hashCode(), ctx + ": Entry.hashCode");
                switch (i++ % 3) {
                    case 0 -> {
                        it.remove();
                        ref.remove(k);
                        assertFalse(v.containsKey(k), ctx + ": iterator.remove() of " + k);
                        assertFalse(m.containsKey(key(k)), ctx + ": iterator.remove() reaches the map");
                        assertThrows(IllegalStateException.class, it::remove, ctx + ": remove() twice");
                    }
                    case 1 -> {
                        Object nv = impl.boxValue(impl.randomValue(r));
                        Object old = e.setValue(nv);
                        assertEquals(ref.put(k, nv), old, ctx + ": setValue returns the old value");
                        assertEquals(nv, e.getValue(), ctx + ": getValue after setValue");
                        assertEquals(nv, v.get(k), ctx + ": setValue writes through to the view");
                        assertEquals(nv, impl.boxValue(m.get(key(k))), ctx + ": setValue writes through to the map");
                    }
                    default -> { }
                }
            }
            assertThrows(NoSuchElementException.class, it::next, ctx + ": next() after the end");
            ViewContractTest.assertSameMap(ref, v, ctx);
            m.core().checkInvariants();
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("mapsWithSeeds")
    void equalsAndHashCode(Impl impl, long seed) {
        String ctx = ctx(impl, seed, "equals/hashCode");
        SplittableRandom r = new SplittableRandom(seed);
        try (MapUnderTest m = impl.build(0, 0, builderSeed(seed)); MapUnderTest m2 = impl.create()) {
            Map<Object, Object> ref = new HashMap<>();
            Map<Object, Object> v = m.asMap();
            ViewContractTest.assertSameMap(ref, v, ctx + " empty");
            assertEquals(Map.of(), v, ctx);
            for (int n : new int[] {1, 7, 100, 3000}) {
                fill(m, ref, r, n - ref.size());
                ViewContractTest.assertSameMap(ref, v, ctx + " n=" + n);
                m2.clear();
                List<Map.Entry<Object, Object>> entries = new ArrayList<>(ref.entrySet());
                java.util.Collections.shuffle(entries, new java.util.Random(seed));
                for (Map.Entry<Object, Object> e : entries) m2.asMap().put(e.getKey(), e.getValue());
                assertEquals(v, m2.asMap(), ctx + " n=" + n + ": two views with the same entries");
                assertEquals(v.hashCode(), m2.asMap().hashCode(), ctx);
                Object k = entries.get(0).getKey(), prev = entries.get(0).getValue();
                m2.asMap().put(k, impl.boxValue(impl.value(((Number) prev).longValue() + 1)));
                assertNotEquals(v, m2.asMap(), ctx + " n=" + n + ": one value differs");
                m2.asMap().put(k, prev);
                assertEquals(v, m2.asMap(), ctx);
                // the same characters as StringBuilders: not equal (as for HashMaps)
                Map<Object, Object> otherType = new HashMap<>();
                for (Map.Entry<Object, Object> e : ref.entrySet()) otherType.put(impl.foreignKey(key(e.getKey())), e.getValue());
                assertNotEquals(v, otherType, ctx + ": keys of another type");
                assertNotEquals(otherType, v, ctx + ": keys of another type (reversed)");
            }
            assertNotEquals(v, ref.keySet(), ctx + ": a map is not a set");
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("setsWithSeeds")
    void setBehavesLikeHashSet(Impl impl, long seed) {
        String ctx = ctx(impl, seed, "asSet");
        SplittableRandom r = new SplittableRandom(seed);
        try (MapUnderTest m = impl.build(0, 0, builderSeed(seed))) {
            Set<Object> s = m.asSet();
            Set<Object> ref = new HashSet<>();
            for (int i = 0; i < 6000; i++) {
                Object k = impl.boxKey(r.nextInt(-150, 150) * 0x9E3779B1L);
                String op = ctx + " op#" + i;
                switch (r.nextInt(5)) {
                    case 0, 1 -> assertEquals(ref.add(k), s.add((String) k), op + " add");
                    case 2 -> assertEquals(ref.remove(k), s.remove(k), op + " remove");
                    case 3 -> assertEquals(ref.contains(k), s.contains(k), op + " contains");
                    default -> assertEquals(ref.size(), s.size(), op + " size");
                }
            }
            ViewContractTest.assertSameSet(ref, s, ctx);
            List<Object> more = new ArrayList<>();
            for (int i = 0; i < 500; i++) more.add(impl.boxKey(impl.randomKey(r)));
            assertEquals(ref.addAll(more), s.addAll(more), ctx + ": addAll");
            assertTrue(s.containsAll(more), ctx + ": containsAll");
            List<Object> some = new ArrayList<>(ref).subList(0, ref.size() / 2);
            assertEquals(ref.removeAll(more.subList(0, 250)), s.removeAll(more.subList(0, 250)), ctx + ": removeAll");
            assertEquals(ref.retainAll(some), s.retainAll(some), ctx + ": retainAll");
            assertEquals(ref.removeIf(x -> key(x) % 3 == 0), s.removeIf(x -> key(x) % 3 == 0), ctx + ": removeIf");
            ViewContractTest.assertSameSet(ref, s, ctx + " after bulk");
            Iterator<Object> it = s.iterator();
            assertThrows(IllegalStateException.class, it::remove, ctx + ": remove() before next()");
            int i = 0;
            while (it.hasNext()) {
                Object k = it.next();
                if (i++ % 2 == 0) {
                    it.remove();
                    ref.remove(k);
                    assertThrows(IllegalStateException.class, it::remove, ctx + ": remove() twice");
                }
            }
            assertThrows(NoSuchElementException.class, it::next, ctx + ": next() after the end");
            ViewContractTest.assertSameSet(ref, s, ctx + " after iterator removal");
            m.core().checkInvariants();
            s.clear();
            assertTrue(m.isEmpty(), ctx + ": asSet().clear()");
        }
    }

    /** Go's map[string]V buckets: bucket and value sizes per type. */
    static final Map<String, int[]> LAYOUT = Map.of( // {bucketSize, valueSize}
            "StringIntMap", new int[] {176, 4}, "StringLongMap", new int[] {208, 8},
            "StringDoubleMap", new int[] {208, 8}, "StringSet", new int[] {144, 0});

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#stringsWithSeeds")
    void headerAndBucketBytesAgreeWithStats(Impl impl, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String ctx = ctx(impl, seed, "headerBytes/bucketBytes");
        try (MapUnderTest m = impl.build(0, 0, builderSeed(seed))) {
            int n = r.nextInt(0, 3000);
            for (int i = 0; i < n; i++) m.put(impl.randomKey(r), impl.randomValue(r));
            while (m.stats().growing()) m.put(impl.randomKey(r), impl.randomValue(r)); // every entry in the current array
            MapStats s = m.stats();
            int[] layout = LAYOUT.get(impl.name());
            assertEquals(16, s.keySize(), ctx + ": a key slot is Go's string header");
            assertEquals(layout[0], s.bucketSize(), ctx + ": bucket size");
            assertEquals(layout[1], s.valueSize(), ctx + ": value size");
            byte[] h = m.raw().headerBytes();
            ByteBuffer hb = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(m.size(), hb.getLong(0), ctx + ": count");
            assertEquals(s.B(), h[9] & 0xFF, ctx + ": B");
            assertEquals(s.hash0(), hb.getInt(12), ctx + ": hash0");

            // The live slots' headers: (offset, length) of each key's bytes, values at 136 + i * valueSize.
            Map<Long, long[]> slots = new HashMap<>(); // offset -> {length, value}
            long emptyKeys = 0, nb = 1L << s.B(), live = 0;
            for (long b = 0; b < nb; b++) {
                ByteBuffer bucket = ByteBuffer.wrap(m.raw().bucketBytes(b)).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(layout[0], bucket.capacity(), ctx);
                for (int i = 0; i < 8; i++) {
                    if ((bucket.get(i) & 0xFF) < 5) continue; // minTopHash: empty or evacuated
                    live++;
                    long off = bucket.getLong(8 + 16 * i), len = bucket.getLong(8 + 16 * i + 8);
                    long value = switch (layout[1]) {
                        case 0 -> MapImpls.PRESENT;
                        case 4 -> bucket.getInt(136 + 4 * i);
                        default -> impl.valueKind() == MapImpls.ValueKind.DOUBLE
                                ? MapImpls.integral(bucket.getDouble(136 + 8 * i)) : bucket.getLong(136 + 8 * i);
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
            // Each header's offset is where the key's bytes are: keyBytes().address() = base + offset for
            // one base (the map's memory) and every key in the bucket array.
            Map<Long, long[]> byAddress = new HashMap<>(); // keyBytes address -> {length, value}
            rawWalk(m.raw(), (kb, value) -> {
                if (kb.byteSize() > 0) byAddress.put(kb.address(), new long[] {kb.byteSize(), value});
            });
            if (!slots.isEmpty()) {
                Map.Entry<Long, long[]> first = slots.entrySet().iterator().next();
                Long base = null;
                for (Map.Entry<Long, long[]> a : byAddress.entrySet()) {
                    long candidate = a.getKey() - first.getKey();
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
            assertThrows(IndexOutOfBoundsException.class, () -> m.raw().bucketBytes(-1), ctx);
            assertThrows(IndexOutOfBoundsException.class, () -> m.raw().bucketBytes(nb), ctx);
            assertTrue(emptyKeys <= 1, ctx);
        }
    }

    /**
     * close() for what only String maps have: every lookup flavour, and a cursor's keyBytes()/keyLength()/
     * appendKey() throw IllegalStateException afterwards; a keyBytes() view taken before the close can no
     * longer be read (its memory is gone). Also try-with-resources on the concrete String types.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#strings")
    void stringFlavoursAndCursorBytesAfterClose(Impl impl) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            StringTargets.Target t = StringTargets.create(impl, 0, null);
            for (int i = 0; i < 100; i++) t.put("key-" + i, i);
            StringTargets.Cur started = t.cursor(), fresh = t.cursor();
            assertTrue(started.next());
            MemorySegment view = started.keyBytes();
            assertEquals(started.keyLength(), view.byteSize());
            t.close();
            List<org.junit.jupiter.api.function.Executable> checks = new ArrayList<>();
            StringTargets.Key k = new StringTargets.Key("key-1", arena);
            for (StringTargets.Flavour f : StringTargets.FLAVOURS) {
                checks.add(() -> assertThrows(IllegalStateException.class, () -> t.get(k, f), impl + ": lookup by " + f));
                checks.add(() -> assertThrows(IllegalStateException.class, () -> t.remove(k, f), impl + ": remove by " + f));
            }
            for (StringTargets.Cur c : List.of(started, fresh)) {
                checks.add(() -> assertThrows(IllegalStateException.class, c::keyBytes, impl + ": cursor.keyBytes()"));
                checks.add(() -> assertThrows(IllegalStateException.class, c::keyLength, impl + ": cursor.keyLength()"));
                checks.add(() -> assertThrows(IllegalStateException.class, () -> c.appendKey(new StringBuilder()),
                        impl + ": cursor.appendKey()"));
            }
            checks.add(() -> assertThrows(IllegalStateException.class, () -> view.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0),
                    impl + ": reading a keyBytes() view after close()"));
            org.junit.jupiter.api.Assertions.assertAll(impl.toString(), checks);
        }
    }

    @org.junit.jupiter.api.Test
    void tryWithResourcesOnEveryStringType() {
        List<OffHeapMap> closed = new ArrayList<>();
        try (StringIntMap a = StringIntMap.create(); StringLongMap b = StringLongMap.create(16);
             StringDoubleMap c = StringDoubleMap.builder().missingValue(-1).build(); StringSet d = StringSet.create()) {
            a.put("\uD800", 1);
            b.put("", 2L);
            c.put("\0", 2.5);
            d.add("\uDC00\uD800");
            closed.addAll(List.of(a, b, c, d));
            for (OffHeapMap m : closed) assertEquals(1, m.size());
        }
        for (OffHeapMap m : closed) {
            assertThrows(IllegalStateException.class, m::size, m.getClass().getSimpleName());
            org.junit.jupiter.api.Assertions.assertDoesNotThrow(m::close);
        }
    }

    /** Walks a String map or set with its own cursor: (keyBytes, value; sets: 1). */
    static void rawWalk(OffHeapMap raw, java.util.function.BiConsumer<MemorySegment, Long> action) {
        switch (raw) {
            case StringIntMap x -> {
                for (StringIntCursor c = x.cursor(); c.next(); ) action.accept(c.keyBytes(), (long) c.value());
            }
            case StringLongMap x -> {
                for (StringLongCursor c = x.cursor(); c.next(); ) action.accept(c.keyBytes(), c.value());
            }
            case StringDoubleMap x -> {
                for (StringDoubleCursor c = x.cursor(); c.next(); ) action.accept(c.keyBytes(), MapImpls.integral(c.value()));
            }
            case StringSet x -> {
                for (StringCursor c = x.cursor(); c.next(); ) action.accept(c.keyBytes(), MapImpls.PRESENT);
            }
            default -> throw new AssertionError(raw);
        }
    }
}
