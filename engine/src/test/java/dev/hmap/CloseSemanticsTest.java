// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.KeyForm.Key;
import dev.hmap.MapImpls.Impl;
import dev.hmap.MapUnderTest.Cur;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * close(): idempotent, frees the memory, and afterwards every method of the map (String keys: in every key
 * form), of cursors obtained before (String keys: their keyBytes/keyLength/appendKey too), and of views
 * (and their iterators) obtained before throws IllegalStateException, and a keyBytes() view taken before
 * can no longer be read (of a small map, whose region shares a pooled cohort: it reads the key's own stale
 * bytes until the cohort retires, never another map's; see SmallPool). One table of calls, run over every implementation and in several states (empty,
 * filled, mid-growth, with an open cursor).
 */
class CloseSemanticsTest {

    /** What was obtained from the map before it was closed. */
    record Before(MapUnderTest m, Cur fresh, Cur started, Cur exhausted, Map<Object, Object> map, Set<Object> set,
                  Iterator<?> iterator, Iterator<?> startedIterator, Set<Object> keySet, Collection<Object> values,
                  long sizeBefore, MemorySegment keyView, boolean pooled) {
    }

    enum State { EMPTY, NEVER_INSERTED_PRESIZED, FILLED, MID_GROWTH }

    static Before prepare(Impl impl, State state) {
        MapUnderTest m = state == State.NEVER_INSERTED_PRESIZED ? impl.create(1000) : impl.create();
        long n = switch (state) {
            case EMPTY, NEVER_INSERTED_PRESIZED -> 0;
            case FILLED -> 500;
            case MID_GROWTH -> 100;
        };
        for (long k = 0; k < n; k++) m.put(k, impl.value(k));
        if (state == State.MID_GROWTH) {
            for (long k = n; !m.stats().growing(); k++) m.put(k, impl.value(k));
        }
        Cur exhausted = m.cursor();
        while (exhausted.next()) { }
        Cur started = m.cursor();
        boolean onAKey = started.next();
        // The keyBytes() view must hold a byte to read after close(): an empty key's view is 0 bytes long,
        // and reading it fails the JDK's bounds check, made before the liveness check. The String codec's
        // key 0 is "", and iteration starts at a random bucket, so the cursor lands on it now and then.
        while (onAKey && impl.byteStringKeys() && started.keyLength() == 0) onAKey = started.next();
        Map<Object, Object> map = impl.isSet() ? null : m.asMap();
        Set<Object> set = impl.isSet() ? m.asSet() : null;
        Iterator<?> it = impl.isSet() ? set.iterator() : map.entrySet().iterator();
        Iterator<?> it2 = impl.isSet() ? set.iterator() : map.keySet().iterator();
        if (m.size() > 0) it2.next();
        return new Before(m, m.cursor(), started, exhausted, map, set, it, it2,
                impl.isSet() ? null : map.keySet(), impl.isSet() ? null : map.values(), m.size(),
                impl.byteStringKeys() && onAKey ? started.keyBytes() : null,
                MemoryAccountingTest.memoryOf(m.raw()).pooled());
    }

    /** The table: every call that must throw IllegalStateException after close(). */
    static Map<String, Executable> callsAfterClose(Impl impl, Before b) {
        MapUnderTest m = b.m();
        Map<String, Executable> t = new LinkedHashMap<>();
        t.put("size", m::size);
        t.put("isEmpty", m::isEmpty);
        t.put("clear", m::clear);
        t.put("stats", m::stats);
        t.put("headerBytes", () -> m.raw().headerBytes());
        t.put("bucketBytes(0)", () -> m.raw().bucketBytes(0));
        t.put("get", () -> m.get(1));
        t.put("getOrDefault", () -> m.getOrDefault(1, 2));
        t.put("containsKey", () -> m.containsKey(1));
        t.put("put", () -> m.put(1, impl.value(1)));
        t.put("putIfAbsent", () -> m.putIfAbsent(1, impl.value(1)));
        t.put("remove", () -> m.remove(1));
        t.put("forEach", () -> m.forEach((k, v) -> { }));
        t.put("cursor()", m::cursor);
        t.put("checkInvariants", () -> m.core().checkInvariants());
        for (KeyForm f : impl.forms()) {
            Key k = new Key(StringKeyCodec.encode(1));
            t.put("get by " + f, () -> m.get(k, f));
            t.put("containsKey by " + f, () -> m.containsKey(k, f));
            t.put("put by " + f, () -> m.put(k, f, impl.value(1)));
            t.put("remove by " + f, () -> m.remove(k, f));
        }
        if (impl.wordValues()) {
            t.put("addTo", () -> m.addTo(1, 1));
            t.put("merge", () -> m.merge(1, 1, Long::sum));
        }
        if (!impl.isSet()) {
            t.put("asMap()", m::asMap);
        } else {
            t.put("asSet()", m::asSet);
        }
        for (Map.Entry<String, Cur> c : Map.of("fresh", b.fresh(), "started", b.started(), "exhausted", b.exhausted()).entrySet()) {
            Cur cur = c.getValue();
            String p = c.getKey() + " cursor.";
            t.put(p + "next", cur::next);
            t.put(p + "key", cur::key);
            t.put(p + "value", cur::value);
            t.put(p + "remove", cur::remove);
            if (!impl.isSet()) t.put(p + "setValue", () -> cur.setValue(impl.value(3)));
            if (impl.byteStringKeys()) {
                t.put(p + "keyBytes", cur::keyBytes);
                t.put(p + "keyLength", cur::keyLength);
                t.put(p + "copyKey", () -> cur.copyKey(new byte[8], 0));
            }
            if (impl.stringKeys()) t.put(p + "appendKey", () -> cur.appendKey(new StringBuilder()));
        }
        if (b.keyView() != null && !b.pooled()) t.put("reading a keyBytes() view", () -> b.keyView().get(ValueLayout.JAVA_BYTE, 0));
        t.put("iterator.hasNext", b.iterator()::hasNext);
        t.put("iterator.next", b.iterator()::next);
        // An iterator that has returned an element (no look-ahead pending). One whose hasNext() was called
        // last answers from its look-ahead: see peekedIteratorsAfterClose.
        if (b.sizeBefore() > 0) t.put("started iterator.hasNext", b.startedIterator()::hasNext);
        if (!impl.isSet()) {
            Map<Object, Object> v = b.map();
            Object k = impl.boxKey(1), val = impl.boxValue(1);
            t.put("view.size", v::size);
            t.put("view.isEmpty", v::isEmpty);
            t.put("view.get", () -> v.get(k));
            t.put("view.containsKey", () -> v.containsKey(k));
            t.put("view.containsValue", () -> v.containsValue(val));
            t.put("view.put", () -> v.put(k, val));
            t.put("view.remove", () -> v.remove(k));
            t.put("view.clear", v::clear);
            t.put("view.entrySet().iterator()", () -> v.entrySet().iterator());
            t.put("view.entrySet().size()", () -> v.entrySet().size());
            t.put("view.keySet().contains", () -> b.keySet().contains(k));
            t.put("view.values().size", () -> b.values().size());
            t.put("view.hashCode", v::hashCode);
            t.put("view.equals", () -> v.equals(new HashMap<>()));
            t.put("view.toString", v::toString);
            t.put("view.putAll", () -> v.putAll(Map.of(k, val)));
        } else {
            Set<Object> s = b.set();
            Object k = impl.boxKey(1);
            t.put("view.size", s::size);
            t.put("view.isEmpty", s::isEmpty);
            t.put("view.contains", () -> s.contains(k));
            t.put("view.add", () -> s.add(k));
            t.put("view.remove", () -> s.remove(k));
            t.put("view.clear", s::clear);
            t.put("view.iterator()", s::iterator);
            t.put("view.hashCode", s::hashCode);
            t.put("view.equals", () -> s.equals(Set.of()));
            t.put("view.toArray", s::toArray);
        }
        return t;
    }

    static List<org.junit.jupiter.params.provider.Arguments> implsAndStates() {
        List<org.junit.jupiter.params.provider.Arguments> a = new ArrayList<>();
        for (Impl i : MapImpls.ALL) for (State s : State.values()) a.add(org.junit.jupiter.params.provider.Arguments.of(i, s));
        return a;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("implsAndStates")
    void everyCallAfterCloseThrowsIllegalStateException(Impl impl, State state) {
        Before b = prepare(impl, state);
        if (state != State.EMPTY) { // a map without buckets reports 0 (the header prefix is not counted)
            assertTrue(b.m().stats().offHeapBytes() > 0, impl + " " + state + ": offHeapBytes before close");
        }
        byte viewByte = b.keyView() == null ? 0 : b.keyView().get(ValueLayout.JAVA_BYTE, 0);
        b.m().close();
        if (b.keyView() != null && b.pooled()) {
            // The region is dead but its cohort's arena stays open while other maps live in it.
            try {
                byte now = b.keyView().get(ValueLayout.JAVA_BYTE, 0);
                assertTrue(now == viewByte || now == 0, impl + " " + state + ": a pooled map's keyBytes() view after "
                        + "close() reads the key's own bytes, or zero once the page went back to the kernel: " + now);
            } catch (IllegalStateException cohortRetired) {
                // also allowed
            }
        }
        List<Executable> checks = new ArrayList<>();
        for (Map.Entry<String, Executable> e : callsAfterClose(impl, b).entrySet()) {
            checks.add(() -> assertThrows(IllegalStateException.class, e.getValue(),
                    impl + " " + state + ": " + e.getKey() + " after close()"));
        }
        assertAll(impl + " " + state, checks);
        // close() stays idempotent, also after all those failed calls
        assertDoesNotThrow(b.m()::close, impl + " " + state + ": second close()");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void closeIsIdempotent(Impl impl) {
        MapUnderTest m = impl.create();
        for (long k = 0; k < 1000; k++) m.put(k, impl.value(k));
        m.close();
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, m::size, impl.toString());
        assertDoesNotThrow(m.raw()::toString, impl + ": toString() of a closed map");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void offHeapBytesArePositiveAndGrowWithTheMap(Impl impl) {
        try (MapUnderTest m = impl.create()) {
            long empty = m.stats().offHeapBytes();
            assertTrue(empty > 0, impl + ": offHeapBytes of a new map " + empty); // the header page
            m.put(1, impl.value(1));
            assertTrue(m.stats().offHeapBytes() > 0, impl + ": offHeapBytes after the first put " + m.stats());
            for (long k = 0; k < 10_000; k++) m.put(k, impl.value(k));
            MapStats s = m.stats();
            assertTrue(s.offHeapBytes() >= s.buckets() * s.bucketSize(),
                    impl + ": offHeapBytes " + s.offHeapBytes() + " < buckets*bucketSize, " + s);
        }
        try (MapUnderTest m = impl.create(100_000)) {
            MapStats s = m.stats();
            assertTrue(s.offHeapBytes() >= (1L << s.B()) * s.bucketSize(), impl + ": presized " + s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void tryWithResourcesCloses(Impl impl) {
        MapUnderTest escaped;
        try (MapUnderTest m = impl.create()) {
            m.put(1, impl.value(1));
            escaped = m;
        }
        assertThrows(IllegalStateException.class, escaped::size, impl + ": closed by try-with-resources");
        // also through the OffHeapMap / AutoCloseable type
        OffHeapMap raw;
        try (OffHeapMap m = impl.create().raw()) {
            raw = m;
            assertEquals(0, m.size());
        }
        assertThrows(IllegalStateException.class, raw::stats, impl.toString());
    }

    /** The concrete types in try-with-resources, as users write it. */
    @Test
    void tryWithResourcesOnEveryConcreteType() {
        List<OffHeapMap> closed = new ArrayList<>();
        try (IntIntMap a = IntIntMap.create(); IntLongMap b = IntLongMap.create(); IntDoubleMap c = IntDoubleMap.create();
             LongIntMap d = LongIntMap.create(); LongLongMap e = LongLongMap.create(); LongDoubleMap f = LongDoubleMap.create();
             IntSet g = IntSet.create(); LongSet h = LongSet.create(); StringIntMap i = StringIntMap.create();
             StringLongMap j = StringLongMap.create(16); StringDoubleMap k = StringDoubleMap.builder().missingValue(-1).build();
             StringSet l = StringSet.create()) {
            a.put(1, 2);
            b.put(1, 2L);
            c.put(1, 2.5);
            d.put(1L, 2);
            e.put(1L, 2L);
            f.put(1L, 2.5);
            g.add(1);
            h.add(1L);
            i.put("\uD800", 1);
            j.put("", 2L);
            k.put("\0", 2.5);
            l.add("\uDC00\uD800");
            closed.addAll(List.of(a, b, c, d, e, f, g, h, i, j, k, l));
            for (OffHeapMap m : closed) assertEquals(1, m.size());
        }
        for (OffHeapMap m : closed) {
            assertThrows(IllegalStateException.class, m::size, m.getClass().getSimpleName());
            assertDoesNotThrow(m::close);
        }
    }

    /** close() from inside forEach ends the walk with IllegalStateException; the map stays closed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void closeInsideForEach(Impl impl) {
        MapUnderTest m = impl.create();
        for (long k = 0; k < 200; k++) m.put(k, impl.value(k));
        int[] calls = {0};
        assertThrows(IllegalStateException.class, () -> m.forEach((k, v) -> {
            if (++calls[0] == 10) m.close();
        }), impl + ": forEach after close() inside the consumer");
        assertEquals(10, calls[0], impl.toString());
        assertThrows(IllegalStateException.class, m::size, impl.toString());
    }

    /** Closing with cursors pinning old arrays, then letting the Cleaner run, must not crash or throw. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void closeWithAbandonedCursorsMidGrowth(Impl impl) throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            MapUnderTest m = impl.create();
            for (long k = 0; k < 5000; k++) {
                m.put(k, impl.value(k));
                if (k % 500 == 0) m.cursor().next(); // abandoned, some mid-growth
            }
            m.close();
        }
        System.gc();
        Thread.sleep(20);
        // The JVM is still fine, and new maps work.
        try (MapUnderTest m = impl.create()) {
            for (long k = 0; k < 5000; k++) m.put(k, impl.value(k));
            assertEquals(5000, m.size());
            m.core().checkInvariants();
        }
    }

    /**
     * Every method throws after close(), also (1) a java.util iterator whose hasNext() already looked one
     * element ahead before the close, and (2) missingValue(), which needs no memory.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void peekedIteratorsAfterClose(Impl impl) {
        MapUnderTest empty = impl.create(), one = impl.create();
        one.put(1, impl.value(1));
        Iterator<?> e = impl.isSet() ? empty.asSet().iterator() : empty.asMap().entrySet().iterator();
        Iterator<?> o = impl.isSet() ? one.asSet().iterator() : one.asMap().entrySet().iterator();
        e.hasNext(); // false, cached
        o.hasNext(); // true, element fetched
        empty.close();
        one.close();
        List<Executable> checks = new ArrayList<>(List.of(
                () -> assertThrows(IllegalStateException.class, e::hasNext, impl + ": peeked (empty) iterator.hasNext"),
                () -> assertThrows(IllegalStateException.class, o::hasNext, impl + ": peeked iterator.hasNext"),
                () -> assertThrows(IllegalStateException.class, o::next, impl + ": peeked iterator.next")));
        if (impl.wordValues()) {
            checks.add(() -> assertThrows(IllegalStateException.class, one::missingValue, impl + ": missingValue"));
        }
        assertAll(checks);
    }
}
