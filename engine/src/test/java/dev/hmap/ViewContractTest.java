// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.MapImpls.Impl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.hmap.ConformanceSuite.builderSeed;
import static dev.hmap.ConformanceSuite.ctx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * asMap()/asSet() honour the java.util.Map/Set contracts, checked against HashMap/HashSet: the query and
 * update methods, entrySet/keySet/values views and their iterators (remove, Entry.setValue writing through),
 * equals/hashCode in both directions, putAll, the Map default methods (replaceAll, merge, compute...), null
 * rejection (NullPointerException) and keys of another type (simply absent: an Integer for long keys, a
 * Long for int keys, a StringBuilder with the same characters for String keys).
 */
class ViewContractTest {

    /** A key range small enough that random operations hit existing keys. */
    private static long smallKey(Impl impl, SplittableRandom r) {
        return impl.key(r.nextInt(-150, 150) * 0x9E3779B1L);
    }

    private static Map<Object, Object> fill(MapUnderTest m, Map<Object, Object> ref, SplittableRandom r, int n) {
        Impl impl = m.impl();
        Map<Object, Object> v = m.asMap();
        for (int i = 0; i < n; i++) {
            long k = impl.randomKey(r), val = impl.randomValue(r);
            m.put(k, val);
            ref.put(impl.boxKey(k), impl.boxValue(val));
        }
        return v;
    }

    /** Every way two maps can be compared. */
    static void assertSameMap(Map<Object, Object> ref, Map<Object, Object> v, String ctx) {
        assertEquals(ref.size(), v.size(), ctx + ": size");
        assertEquals(ref.isEmpty(), v.isEmpty(), ctx + ": isEmpty");
        assertTrue(v.equals(ref), ctx + ": view.equals(HashMap)");
        assertTrue(ref.equals(v), ctx + ": HashMap.equals(view)");
        assertEquals(ref.hashCode(), v.hashCode(), ctx + ": hashCode");
        assertEquals(ref.entrySet(), v.entrySet(), ctx + ": entrySet");
        assertEquals(v.entrySet(), ref.entrySet(), ctx + ": entrySet (reversed)");
        assertEquals(ref.keySet(), v.keySet(), ctx + ": keySet");
        assertEquals(multiset(ref.values()), multiset(v.values()), ctx + ": values");
        assertEquals(ref, new HashMap<>(v), ctx + ": copy");
        for (Map.Entry<Object, Object> e : ref.entrySet()) {
            assertEquals(e.getValue(), v.get(e.getKey()), ctx + ": get(" + e.getKey() + ")");
            assertTrue(v.entrySet().contains(e), ctx + ": entrySet().contains(" + e + ")");
        }
        List<Object> iterated = new ArrayList<>();
        for (Map.Entry<Object, Object> e : v.entrySet()) iterated.add(e.getKey());
        assertEquals(ref.size(), iterated.size(), ctx + ": entry iterator length");
        assertEquals(ref.size(), new HashSet<>(iterated).size(), ctx + ": entry iterator repeats keys");
    }

    private static Map<Object, Long> multiset(Collection<Object> c) {
        return c.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    // ------------------------------------------------------------------ maps

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#mapsWithSeeds")
    void mapBehavesLikeHashMap(Impl impl, long seed) {
        String ctx = ctx(impl, seed, "asMap random ops");
        SplittableRandom r = new SplittableRandom(seed);
        try (MapUnderTest m = impl.build(0, 0, builderSeed(seed))) {
            Map<Object, Object> v = m.asMap();
            Map<Object, Object> ref = new HashMap<>();
            for (int i = 0; i < 6000; i++) {
                Object k = impl.boxKey(smallKey(impl, r));
                Object val = impl.boxValue(impl.randomValue(r));
                String op = ctx + " op#" + i;
                switch (r.nextInt(12)) {
                    case 0, 1, 2 -> assertEquals(ref.put(k, val), v.put(k, val), op + " put");
                    case 3 -> assertEquals(ref.get(k), v.get(k), op + " get");
                    case 4, 5 -> assertEquals(ref.remove(k), v.remove(k), op + " remove");
                    case 6 -> assertEquals(ref.containsKey(k), v.containsKey(k), op + " containsKey");
                    case 7 -> assertEquals(ref.putIfAbsent(k, val), v.putIfAbsent(k, val), op + " putIfAbsent");
                    case 8 -> assertEquals(ref.getOrDefault(k, val), v.getOrDefault(k, val), op + " getOrDefault");
                    case 9 -> {
                        assertEquals(ref.size(), v.size(), op + " size");
                        assertEquals(ref.isEmpty(), v.isEmpty(), op + " isEmpty");
                    }
                    case 10 -> {
                        if (r.nextInt(20) == 0) {
                            assertEquals(ref.containsValue(val), v.containsValue(val), op + " containsValue");
                            if (!ref.isEmpty()) {
                                Object present = ref.values().iterator().next();
                                assertTrue(v.containsValue(present), op + " containsValue(present)");
                            }
                        }
                    }
                    default -> {
                        if (r.nextInt(1000) == 0) {
                            v.clear();
                            ref.clear();
                        } else {
                            assertEquals(ref.replace(k, val), v.replace(k, val), op + " replace");
                        }
                    }
                }
            }
            assertSameMap(ref, v, ctx);
            assertEquals(ref.size(), m.size(), ctx + ": primitive size");
            m.core().checkInvariants();
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#mapsWithSeeds")
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
                assertEquals(impl.boxKey(0).getClass(), k.getClass(), ctx + ": key type");
                assertEquals(ref.get(k), e.getValue(), ctx + ": entry value of " + k);
                assertEquals(new SimpleEntry<>(k, e.getValue()), e, ctx + ": Entry.equals");
                assertEquals(Objects.hashCode(k) ^ Objects.hashCode(e.getValue()), e.hashCode(), ctx + ": Entry.hashCode");
                switch (i++ % 3) {
                    case 0 -> {
                        it.remove();
                        ref.remove(k);
                        assertFalse(v.containsKey(k), ctx + ": iterator.remove() of " + k);
                        assertFalse(m.containsKey(impl.unboxKey(k)), ctx + ": iterator.remove() reaches the map");
                        assertThrows(IllegalStateException.class, it::remove, ctx + ": remove() twice");
                    }
                    case 1 -> {
                        Object nv = impl.boxValue(impl.randomValue(r));
                        Object old = e.setValue(nv);
                        assertEquals(ref.put(k, nv), old, ctx + ": setValue returns the old value");
                        assertEquals(nv, e.getValue(), ctx + ": getValue after setValue");
                        assertEquals(nv, v.get(k), ctx + ": setValue writes through to the view");
                        assertEquals(nv, impl.boxValue(m.get(impl.unboxKey(k))), ctx + ": setValue writes through to the map");
                    }
                    default -> { }
                }
            }
            assertThrows(NoSuchElementException.class, it::next, ctx + ": next() after the end");
            assertSameMap(ref, v, ctx);
            m.core().checkInvariants();
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#mapsWithSeeds")
    void equalsAndHashCode(Impl impl, long seed) {
        String ctx = ctx(impl, seed, "equals/hashCode");
        SplittableRandom r = new SplittableRandom(seed);
        try (MapUnderTest m = impl.build(0, 0, builderSeed(seed)); MapUnderTest m2 = impl.create()) {
            Map<Object, Object> ref = new HashMap<>();
            Map<Object, Object> v = m.asMap();
            assertSameMap(ref, v, ctx + " empty");
            assertEquals(Map.of(), v, ctx);
            for (int n : new int[] {1, 7, 100, 3000}) {
                fill(m, ref, r, n - ref.size());
                assertSameMap(ref, v, ctx + " n=" + n);
                // the same entries inserted in another order into another map
                m2.clear();
                List<Map.Entry<Object, Object>> entries = new ArrayList<>(ref.entrySet());
                java.util.Collections.shuffle(entries, new java.util.Random(seed));
                for (Map.Entry<Object, Object> e : entries) m2.asMap().put(e.getKey(), e.getValue());
                assertEquals(v, m2.asMap(), ctx + " n=" + n + ": two views with the same entries");
                assertEquals(v.hashCode(), m2.asMap().hashCode(), ctx);
                // one value differs
                Object k = entries.get(0).getKey(), prev = entries.get(0).getValue();
                m2.asMap().put(k, impl.boxValue(impl.value(impl.unboxValue(prev) + 1)));
                assertNotEquals(v, m2.asMap(), ctx + " n=" + n + ": one value differs");
                m2.asMap().put(k, prev);
                assertEquals(v, m2.asMap(), ctx);
                // the same keys as another type: not equal (as for HashMaps)
                Map<Object, Object> otherType = new HashMap<>();
                for (Map.Entry<Object, Object> e : ref.entrySet()) otherType.put(impl.foreignKey(impl.unboxKey(e.getKey())), e.getValue());
                assertNotEquals(v, otherType, ctx + ": keys of another type");
                assertNotEquals(otherType, v, ctx + ": keys of another type (reversed)");
            }
            assertNotEquals(v, ref.keySet(), ctx + ": a map is not a set");
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#mapsWithSeeds")
    void keySetAndValuesViews(Impl impl, long seed) {
        String ctx = ctx(impl, seed, "keySet/values");
        SplittableRandom r = new SplittableRandom(seed);
        try (MapUnderTest m = impl.build(0, 0, builderSeed(seed))) {
            Map<Object, Object> ref = new HashMap<>();
            Map<Object, Object> v = fill(m, ref, r, 800);
            Set<Object> ks = v.keySet();
            Collection<Object> vs = v.values();
            assertEquals(ref.keySet(), ks, ctx);
            assertEquals(ref.size(), vs.size(), ctx);
            List<Object> keys = new ArrayList<>(ref.keySet());
            for (int i = 0; i < 100; i++) {
                Object k = keys.get(i);
                assertTrue(ks.contains(k), ctx + ": keySet().contains");
                assertTrue(vs.contains(ref.get(k)), ctx + ": values().contains");
            }
            // removal through keySet, keySet iterator, values and values.removeIf
            for (int i = 0; i < 50; i++) {
                assertTrue(ks.remove(keys.get(i)), ctx + ": keySet().remove");
                ref.remove(keys.get(i));
            }
            assertFalse(ks.remove(keys.get(0)), ctx + ": keySet().remove of an absent key");
            Iterator<Object> ki = ks.iterator();
            for (int i = 0; i < 50 && ki.hasNext(); i++) {
                Object k = ki.next();
                ki.remove();
                ref.remove(k);
            }
            Map<Object, Long> counts = multiset(ref.values());
            Object someValue = ref.values().stream().filter(x -> counts.get(x) == 1).findFirst().orElseThrow();
            assertEquals(ref.values().remove(someValue), vs.remove(someValue), ctx + ": values().remove");
            Object foreignValue = impl.boxValue(impl.value(7)) instanceof Long ? (Object) 7 : (Object) 7L;
            assertFalse(vs.contains(foreignValue), ctx + ": values().contains(other type)");
            assertEquals(ref.values().removeIf(x -> impl.unboxValue(x) % 3 == 0),
                    vs.removeIf(x -> impl.unboxValue(x) % 3 == 0), ctx + ": values().removeIf");
            Object ek = ref.keySet().iterator().next(), ev = ref.get(ek);
            Object otherValue = impl.boxValue(impl.value(impl.unboxValue(ev) + 1));
            assertFalse(v.entrySet().remove(new SimpleEntry<>(ek, otherValue)), ctx + ": entrySet().remove, wrong value");
            assertTrue(v.containsKey(ek), ctx);
            assertTrue(v.entrySet().remove(new SimpleEntry<>(ek, ev)), ctx + ": entrySet().remove");
            ref.remove(ek);
            assertFalse(v.containsKey(ek), ctx);
            List<Object> retained = keys.subList(300, 600);
            assertEquals(ref.keySet().retainAll(retained), ks.retainAll(retained), ctx + ": keySet().retainAll");
            assertEquals(ref.keySet().removeAll(keys.subList(300, 350)), ks.removeAll(keys.subList(300, 350)), ctx);
            assertSameMap(ref, v, ctx);
            ks.clear();
            assertTrue(m.isEmpty(), ctx + ": keySet().clear() clears the map");
            m.core().checkInvariants();
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#mapsWithSeeds")
    void putAllAndMapDefaultMethods(Impl impl, long seed) {
        String ctx = ctx(impl, seed, "putAll/defaults");
        SplittableRandom r = new SplittableRandom(seed);
        try (MapUnderTest m = impl.build(0, 0, builderSeed(seed))) {
            Map<Object, Object> v = m.asMap();
            Map<Object, Object> src = new HashMap<>();
            for (int i = 0; i < 2000; i++) src.put(impl.boxKey(smallKey(impl, r)), impl.boxValue(impl.randomValue(r)));
            Map<Object, Object> ref = new HashMap<>();
            v.putAll(src);
            ref.putAll(src);
            assertSameMap(ref, v, ctx + " putAll");
            Map<Object, Object> copy = new HashMap<>();
            copy.putAll(v);
            assertEquals(ref, copy, ctx + ": HashMap.putAll(view)");

            v.replaceAll((k, x) -> impl.boxValue(impl.value(impl.unboxValue(x) / 2 + 1)));
            ref.replaceAll((k, x) -> impl.boxValue(impl.value(impl.unboxValue(x) / 2 + 1)));
            assertSameMap(ref, v, ctx + " replaceAll");

            for (int i = 0; i < 3000; i++) {
                Object k = impl.boxKey(smallKey(impl, r));
                Object x = impl.boxValue(impl.randomValue(r));
                String op = ctx + " op#" + i;
                switch (r.nextInt(5)) {
                    case 0 -> assertEquals(ref.merge(k, x, ViewContractTest::halfSum), v.merge(k, x, ViewContractTest::halfSum), op + " merge");
                    case 1 -> assertEquals(ref.computeIfAbsent(k, kk -> x), v.computeIfAbsent(k, kk -> x), op + " computeIfAbsent");
                    case 2 -> {
                        boolean drop = r.nextInt(4) == 0;
                        assertEquals(ref.computeIfPresent(k, (kk, old) -> drop ? null : x),
                                v.computeIfPresent(k, (kk, old) -> drop ? null : x), op + " computeIfPresent");
                    }
                    case 3 -> assertEquals(ref.compute(k, (kk, old) -> old == null ? x : null), v.compute(k, (kk, old) -> old == null ? x : null), op + " compute");
                    default -> assertEquals(ref.remove(k, x), v.remove(k, x), op + " remove(k, v)");
                }
            }
            assertSameMap(ref, v, ctx + " defaults");
            m.core().checkInvariants();
        }
    }

    private static Object halfSum(Object a, Object b) {
        if (a instanceof Integer x) return (Integer) (int) (((long) x + (Integer) b) / 2);
        if (a instanceof Long x) return (Long) ((x >> 1) + ((Long) b >> 1));
        if (a instanceof ByteString x) return ByteString.copyOf(ValueForm.bytesOf(ValueForm.valueOf(x) / 2 + ValueForm.valueOf((ByteString) b) / 2));
        return (Double) (double) (long) (((Double) a + (Double) b) / 2);
    }

    /** Unlike HashMap (fail-fast), the views iterate with Go's semantics while the map changes. */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void viewIteratorsToleratePutsThatGrowTheMap(Impl impl, long seed) {
        String ctx = ctx(impl, seed, "view iteration with growth");
        SplittableRandom r = new SplittableRandom(seed);
        try (MapUnderTest m = impl.build(0, 0, builderSeed(seed))) {
            Set<Object> initial = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                long k = impl.key(i * 7919L);
                m.put(k, impl.value(i));
                initial.add(impl.boxKey(k));
            }
            int b0 = m.stats().B();
            Set<Object> seen = new HashSet<>();
            Iterator<?> it = impl.isSet() ? m.asSet().iterator() : m.asMap().keySet().iterator();
            long next = 1_000_000;
            while (it.hasNext()) {
                Object k = it.next();
                assertTrue(seen.add(k), ctx + ": " + k + " twice");
                for (int j = 0; j < 3; j++) {
                    long nk = impl.key(next++ * 104729L + r.nextInt(100));
                    if (impl.isSet()) m.asSet().add(impl.boxKey(nk)); else m.asMap().put(impl.boxKey(nk), impl.boxValue(1));
                }
            }
            assertTrue(seen.containsAll(initial), ctx + ": every initial key visited");
            assertTrue(m.stats().B() > b0 + 1, ctx + ": the map grew during the walk");
            m.core().checkInvariants();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#maps")
    void mapRejectsNulls(Impl impl) {
        try (MapUnderTest m = impl.create()) {
            Map<Object, Object> v = m.asMap();
            Object k = impl.boxKey(5), val = impl.boxValue(6);
            v.put(k, val);
            String ctx = impl.toString();
            assertThrows(NullPointerException.class, () -> v.get(null), ctx + ": get(null)");
            assertThrows(NullPointerException.class, () -> v.containsKey(null), ctx + ": containsKey(null)");
            assertThrows(NullPointerException.class, () -> v.put(null, val), ctx + ": put(null, v)");
            assertThrows(NullPointerException.class, () -> v.put(k, null), ctx + ": put(k, null)");
            assertThrows(NullPointerException.class, () -> v.put(impl.boxKey(7), null), ctx + ": put(absent, null)");
            assertThrows(NullPointerException.class, () -> v.remove(null), ctx + ": remove(null)");
            assertThrows(NullPointerException.class, () -> v.containsValue(null), ctx + ": containsValue(null)");
            Map<Object, Object> withNull = new HashMap<>();
            withNull.put(impl.boxKey(8), null);
            assertThrows(NullPointerException.class, () -> v.putAll(withNull), ctx + ": putAll with a null value");
            Map.Entry<Object, Object> e = v.entrySet().iterator().next();
            assertThrows(NullPointerException.class, () -> e.setValue(null), ctx + ": Entry.setValue(null)");
            assertEquals(Map.of(k, val), v, ctx + ": nothing changed");
            assertEquals(1, m.size(), ctx);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#maps")
    void keysOfAnotherTypeAreAbsent(Impl impl) {
        try (MapUnderTest m = impl.create()) {
            Map<Object, Object> v = m.asMap();
            for (long k = 0; k < 20; k++) m.put(k, impl.value(k));
            String ctx = impl.toString();
            for (long k = 0; k < 20; k++) {
                Object foreign = impl.foreignKey(k);
                assertNull(v.get(foreign), ctx + ": get(" + foreign.getClass().getSimpleName() + ")");
                assertFalse(v.containsKey(foreign), ctx + ": containsKey(other type)");
                assertNull(v.remove(foreign), ctx + ": remove(other type)");
                assertFalse(v.entrySet().contains(new SimpleEntry<>(foreign, impl.boxValue(impl.value(k)))), ctx);
                assertFalse(v.entrySet().remove(new SimpleEntry<>(foreign, impl.boxValue(impl.value(k)))), ctx);
                assertFalse(v.keySet().contains(foreign), ctx);
            }
            assertNull(v.get("5"), ctx + ": get(String)");
            assertFalse(v.containsKey(5.0), ctx + ": containsKey(Double)");
            assertFalse(v.containsValue("5"), ctx + ": containsValue(String)");
            assertEquals(20, m.size(), ctx + ": nothing removed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#maps")
    void mapViewIsLive(Impl impl) {
        try (MapUnderTest m = impl.create()) {
            Map<Object, Object> v = m.asMap();
            String ctx = impl.toString();
            assertTrue(v.isEmpty(), ctx);
            for (long k = 0; k < 100; k++) m.put(k, impl.value(k * 3));
            assertEquals(100, v.size(), ctx + ": primitive puts show in the view");
            assertEquals(impl.boxValue(impl.value(30)), v.get(impl.boxKey(10)), ctx);
            v.put(impl.boxKey(1000), impl.boxValue(impl.value(5)));
            assertEquals(impl.value(5), m.get(1000), ctx + ": view puts show in the map");
            v.remove(impl.boxKey(10));
            assertFalse(m.containsKey(10), ctx);
            m.clear();
            assertTrue(v.isEmpty(), ctx + ": clear() shows in the view");
            assertFalse(v.entrySet().iterator().hasNext(), ctx);
            m.put(1, impl.value(1));
            v.clear();
            assertEquals(0, m.size(), ctx + ": view clear() clears the map");
        }
    }

    // ------------------------------------------------------------------ sets

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#setsWithSeeds")
    void setBehavesLikeHashSet(Impl impl, long seed) {
        String ctx = ctx(impl, seed, "asSet");
        SplittableRandom r = new SplittableRandom(seed);
        try (MapUnderTest m = impl.build(0, 0, builderSeed(seed))) {
            Set<Object> s = m.asSet();
            Set<Object> ref = new HashSet<>();
            for (int i = 0; i < 6000; i++) {
                Object k = impl.boxKey(smallKey(impl, r));
                String op = ctx + " op#" + i;
                switch (r.nextInt(5)) {
                    case 0, 1 -> assertEquals(ref.add(k), s.add(k), op + " add");
                    case 2 -> assertEquals(ref.remove(k), s.remove(k), op + " remove");
                    case 3 -> assertEquals(ref.contains(k), s.contains(k), op + " contains");
                    default -> assertEquals(ref.size(), s.size(), op + " size");
                }
            }
            assertSameSet(ref, s, ctx);
            // bulk operations
            List<Object> more = new ArrayList<>();
            for (int i = 0; i < 500; i++) more.add(impl.boxKey(impl.randomKey(r)));
            assertEquals(ref.addAll(more), s.addAll(more), ctx + ": addAll");
            assertTrue(s.containsAll(more), ctx + ": containsAll");
            List<Object> some = new ArrayList<>(ref).subList(0, ref.size() / 2);
            assertEquals(ref.removeAll(more.subList(0, 250)), s.removeAll(more.subList(0, 250)), ctx + ": removeAll");
            assertEquals(ref.retainAll(some), s.retainAll(some), ctx + ": retainAll");
            assertEquals(ref.removeIf(x -> impl.unboxKey(x) % 3 == 0), s.removeIf(x -> impl.unboxKey(x) % 3 == 0), ctx + ": removeIf");
            assertSameSet(ref, s, ctx + " after bulk");
            // iterator removal
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
            assertSameSet(ref, s, ctx + " after iterator removal");
            m.core().checkInvariants();
            s.clear();
            assertTrue(m.isEmpty(), ctx + ": asSet().clear()");
        }
    }

    static void assertSameSet(Set<Object> ref, Set<Object> s, String ctx) {
        assertEquals(ref.size(), s.size(), ctx + ": size");
        assertTrue(s.equals(ref), ctx + ": view.equals(HashSet)");
        assertTrue(ref.equals(s), ctx + ": HashSet.equals(view)");
        assertEquals(ref.hashCode(), s.hashCode(), ctx + ": hashCode");
        assertEquals(ref, new HashSet<>(s), ctx + ": copy");
        assertEquals(ref, new HashSet<>(Arrays.asList(s.toArray())), ctx + ": toArray");
        assertEquals(ref.size(), s.toArray(new Object[0]).length, ctx + ": toArray(T[])");
        for (Object k : ref) assertTrue(s.contains(k), ctx + ": contains(" + k + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#sets")
    void setRejectsNullsAndIgnoresOtherTypes(Impl impl) {
        try (MapUnderTest m = impl.create()) {
            Set<Object> s = m.asSet();
            String ctx = impl.toString();
            for (long k = 0; k < 20; k++) m.put(k, MapImpls.PRESENT);
            assertThrows(NullPointerException.class, () -> s.add(null), ctx + ": add(null)");
            assertThrows(NullPointerException.class, () -> s.contains(null), ctx + ": contains(null)");
            assertThrows(NullPointerException.class, () -> s.remove(null), ctx + ": remove(null)");
            assertThrows(NullPointerException.class, () -> s.addAll(Arrays.asList(impl.boxKey(100), null)), ctx + ": addAll with null");
            for (long k = 0; k < 20; k++) {
                assertFalse(s.contains(impl.foreignKey(k)), ctx + ": contains(other type)");
                assertFalse(s.remove(impl.foreignKey(k)), ctx + ": remove(other type)");
            }
            assertFalse(s.contains("1"), ctx);
            assertFalse(s.containsAll(List.of(impl.boxKey(1), impl.foreignKey(2))), ctx);
            assertTrue(s.containsAll(List.of(impl.boxKey(1), impl.boxKey(2))), ctx);
            assertTrue(m.size() == 20 || m.size() == 21, ctx + ": nothing removed");
            // live both ways
            m.put(500, MapImpls.PRESENT);
            assertTrue(s.contains(impl.boxKey(500)), ctx);
            s.add(impl.boxKey(501));
            assertTrue(m.containsKey(501), ctx);
        }
    }
}
