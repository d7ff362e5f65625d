// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.ConformanceSuite.RefMap;
import dev.hmap.MapImpls.Impl;
import dev.hmap.MapUnderTest.Cur;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.hmap.ConformanceSuite.builderSeed;
import static dev.hmap.ConformanceSuite.ctx;
import static dev.hmap.ConformanceSuite.scaled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Go's iteration guarantees, for cursors and forEach of every map and set (after Go's map_test.go:
 * TestIterGrowAndDelete, TestIterGrowWithGC, TestMapIterOrder and the "iteration during growth" cases):
 * an entry present for the cursor's whole life is visited exactly once, also when the cursor starts
 * mid-growth (doubling or same-size) and when the map grows several times during the walk; an entry
 * removed before it is reached is not visited; an entry inserted meanwhile is visited at most once; a
 * clear() ends the walk; the start varies per cursor unless the builder seed is fixed; an abandoned
 * cursor does not disturb later growth. Keys removed during a walk are never inserted again, so "visited
 * twice" is always a failure here.
 */
class IterationSemanticsTest {

    /** A map, its reference, and the bookkeeping of one walk. */
    static final class Walk {
        final Impl impl;
        final long seed;
        final String what;
        final SplittableRandom rnd;
        final MapUnderTest m;
        final RefMap ref = new RefMap();
        final Set<Long> used = new HashSet<>();
        Set<Long> initial = Set.of();
        final Set<Long> removed = new HashSet<>();
        final Set<Long> visited = new HashSet<>();
        int inserted, removedUnvisited;

        Walk(Impl impl, long seed, String what, long hint) {
            this.impl = impl;
            this.seed = seed;
            this.what = what;
            this.rnd = new SplittableRandom(seed ^ what.hashCode());
            this.m = impl.build(hint, 0, builderSeed(seed ^ what.hashCode()));
        }

        String ctx(String msg) {
            return ConformanceSuite.ctx(impl, seed, what) + ": " + msg + "\n  stats: " + m.stats();
        }

        long fresh() {
            long k;
            do {
                k = impl.randomKey(rnd);
            } while (!used.add(k));
            return k;
        }

        void insertFresh(int n) {
            for (int i = 0; i < n; i++) {
                long k = fresh(), v = impl.randomValue(rnd);
                ref.put(k, v);
                m.put(k, v);
                inserted++;
            }
        }

        void removeRandom() {
            if (ref.size() == 0) return;
            long k = ref.randomKey(rnd);
            long v = ref.remove(k);
            removed.add(k);
            if (!visited.contains(k)) removedUnvisited++;
            long actual = m.remove(k);
            if (actual != v) fail(ctx("remove(" + k + ") returned " + actual + ", expected " + v));
        }

        void updateRandom() {
            if (ref.size() == 0 || impl.isSet()) return;
            long k = ref.randomKey(rnd), v = impl.randomValue(rnd);
            ref.put(k, v);
            m.put(k, v);
        }

        /** Inserts fresh keys until a growth is in progress (or gives up after many). */
        boolean growUntilGrowing() {
            for (int i = 0; i < 100_000 && !m.stats().growing(); i++) insertFresh(1);
            return m.stats().growing();
        }

        void begin() {
            initial = ref.keySet();
            removed.clear();
            visited.clear();
            removedUnvisited = 0;
        }

        void visit(long k, long v) {
            if (!visited.add(k)) fail(ctx("key " + k + " visited twice"));
            if (removed.contains(k)) fail(ctx("key " + k + " visited after it was removed"));
            Long expected = ref.get(k);
            if (expected == null) fail(ctx("visited key " + k + " is not in the map"));
            if (expected != v) fail(ctx("key " + k + " visited with value " + v + ", the map holds " + expected));
        }

        void end() {
            for (long k : initial) {
                if (!removed.contains(k) && !visited.contains(k)) {
                    fail(ctx("key " + k + " was present for the whole walk but not visited (" + visited.size()
                            + " visited, " + initial.size() + " at start)"));
                }
            }
            ConformanceSuite.checkInvariants(m, () -> ctx("after the walk"));
        }

        /** Walks with a cursor, calling {@code between} after each visit. */
        void walk(Cur c, Runnable between) {
            while (c.next()) {
                visit(c.key(), c.value());
                between.run();
            }
            assertFalse(c.next(), () -> ctx("next() after the end"));
            assertThrows(IllegalStateException.class, c::key, () -> ctx("key() after the end"));
        }

        List<Long> order() {
            List<Long> o = new ArrayList<>();
            Cur c = m.cursor();
            while (c.next()) o.add(c.key());
            return o;
        }
    }

    // ------------------------------------------------------------------ exactly once under growth

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void stableEntriesVisitedExactlyOnceWhileTheMapGrows(Impl impl, long seed) {
        int[] sizes = {0, 1, 7, 8, 9, 13, 14, 50, 200, 1000, scaled(3000)};
        for (int n : sizes) {
            for (boolean midGrowth : new boolean[] {false, true}) {
                for (int rate : new int[] {0, 1, 4}) {
                    Walk w = new Walk(impl, seed, "n=" + n + " midGrowth=" + midGrowth + " insertsPerStep=" + rate, 0);
                    w.insertFresh(n);
                    if (midGrowth && n > 0) w.growUntilGrowing();
                    w.begin();
                    int b0 = w.m.stats().B();
                    boolean startedGrowing = w.m.stats().growing();
                    w.walk(w.m.cursor(), () -> {
                        w.insertFresh(rate);
                        int x = w.rnd.nextInt(16);
                        if (x == 0) w.removeRandom();
                        else if (x < 4) w.updateRandom();
                    });
                    w.end();
                    if (midGrowth && n >= 50) assertTrue(startedGrowing, w.ctx("cursor should have started mid-growth"));
                    if (rate == 4 && n >= 50) {
                        int grew = w.m.stats().B() - b0;
                        assertTrue(grew >= 2, w.ctx("expected >= 2 growths during the walk, B grew by " + grew));
                    }
                    w.m.close();
                }
            }
        }
    }

    /** Long pauses: the cursor is left mid-walk while the map grows by a factor of 16+, then resumed. */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void cursorPausedAcrossSeveralGrowths(Impl impl, long seed) {
        for (int n : new int[] {9, 100, 700}) {
            Walk w = new Walk(impl, seed, "paused n=" + n, 0);
            w.insertFresh(n);
            if (w.rnd.nextBoolean()) w.growUntilGrowing();
            w.begin();
            int b0 = w.m.stats().B();
            Cur c = w.m.cursor();
            int step = 0, bursts = 0;
            while (c.next()) {
                w.visit(c.key(), c.value());
                if (bursts < 4 && step++ % Math.max(1, n / 4) == 0) {
                    bursts++; // the map doubles (at least) four times while this cursor is paused
                    w.insertFresh(w.ref.size() + 8);
                    for (int i = 0; i < w.ref.size() / 16; i++) w.removeRandom();
                }
            }
            w.end();
            assertTrue(w.m.stats().B() - b0 >= 3, w.ctx("expected B to grow by >= 3"));
            w.m.close();
        }
    }

    /**
     * Same-size growth and cursors: one cursor starts during such a growth; another starts before one (at
     * the same B, so it walks the array that becomes the old one) and is paused until a same-size growth
     * has begun. Delete churn keeps going during both walks.
     */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void cursorsAndSameSizeGrowth(Impl impl, long seed) {
        for (boolean startDuring : new boolean[] {true, false}) {
            Walk w = new Walk(impl, seed, "sameSize startDuring=" + startDuring, 0);
            int target = 13 * 64 / 2 - 1 - w.rnd.nextInt(16); // B = 6, near the load factor
            java.util.ArrayDeque<Long> fifo = new java.util.ArrayDeque<>();
            Runnable churn = () -> {
                long k = w.fresh(), v = impl.randomValue(w.rnd);
                w.ref.put(k, v);
                w.m.put(k, v);
                fifo.add(k);
                while (fifo.size() > target) {
                    long old = fifo.poll();
                    if (w.ref.remove(old) != null) {
                        w.removed.add(old);
                        w.m.remove(old);
                    }
                }
            };
            // An open cursor stops deletes from unlinking emptied overflow buckets, so churn piles them up
            // until Go's same-size growth starts (without one, the map reuses them and never needs it).
            while (fifo.size() < target) churn.run(); // a cursor of an empty map is over at once
            Cur hold = w.m.cursor();
            hold.next();
            boolean found = false;
            for (int i = 0; i < 2_000_000 && !found; i++) {
                churn.run();
                found = w.m.stats().sameSizeGrow();
            }
            assertTrue(found, () -> w.ctx("no same-size growth observed mid-flight"));
            while (hold.next()) {
                // exhausting it releases it
            }
            if (!startDuring) {
                while (w.m.stats().growing()) churn.run(); // finish it; the next cursor starts before one
            }
            int b = w.m.stats().B();
            w.begin();
            Cur c = w.m.cursor();
            if (!startDuring) {
                for (int i = 0; i < 5 && c.next(); i++) w.visit(c.key(), c.value());
                boolean again = false;
                for (int i = 0; i < 2_000_000 && !again; i++) {
                    churn.run();
                    again = w.m.stats().sameSizeGrow();
                }
                assertTrue(again, () -> w.ctx("no second same-size growth"));
            }
            w.walk(c, churn);
            w.end();
            assertEquals(b, w.m.stats().B(), w.ctx("same-size growths keep B"));
            w.m.close();
        }
    }

    /** Go's TestIterGrowAndDelete: grow at the first visit, delete the odd keys; no odd key comes after. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void goIterGrowAndDelete(Impl impl) {
        try (MapUnderTest m = impl.create(4)) {
            for (int i = 0; i < 100; i++) m.put(i, impl.value(i));
            boolean first = true;
            Set<Long> seen = new HashSet<>();
            for (Cur c = m.cursor(); c.next(); ) {
                long k = c.key();
                assertTrue(seen.add(k), impl + ": " + k + " twice");
                if (first) {
                    for (int i = 100; i < 1000; i++) m.put(i, impl.value(i));
                    for (int i = 1; i < 1000; i += 2) m.remove(i);
                    first = false;
                } else {
                    assertEquals(0, k & 1, impl + ": odd key " + k + " returned after it was deleted");
                }
            }
            for (long k = 0; k < 100; k += 2) assertTrue(seen.contains(k), impl + ": even key " + k + " not visited");
            m.core().checkInvariants();
        }
    }

    /** Go's TestIterGrowWithGC: grow (and collect garbage) at the first visit; keys 0..15 all come. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void goIterGrowWithGC(Impl impl) {
        try (MapUnderTest m = impl.create(4)) {
            for (int i = 0; i < 8; i++) m.put(i, impl.value(i));
            for (int i = 8; i < 16; i++) {
                if (impl.wordValues()) m.addTo(i, i); else m.put(i, impl.value(i));
            }
            boolean grow = true;
            int bitmask = 0;
            for (Cur c = m.cursor(); c.next(); ) {
                long k = c.key();
                if (k < 16) {
                    assertEquals(0, bitmask & (1 << k), impl + ": key " + k + " twice");
                    bitmask |= 1 << k;
                }
                if (grow) {
                    for (int i = 100; i < 1000; i++) m.put(i, impl.value(i));
                    System.gc();
                    grow = false;
                }
            }
            assertEquals(0xFFFF, bitmask, impl + ": missing keys, bitmask " + Integer.toHexString(bitmask));
            m.core().checkInvariants();
        }
    }

    // ------------------------------------------------------------------ removal, clear

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void entriesRemovedBeforeReachedAreNotVisited(Impl impl, long seed) {
        for (int n : new int[] {5, 8, 100, 2000}) {
            Walk w = new Walk(impl, seed, "removeAhead n=" + n, 0);
            w.insertFresh(n);
            if (n > 8) w.growUntilGrowing();
            w.begin();
            Cur c = w.m.cursor();
            for (int i = 0; i < w.initial.size() / 2; i++) w.removeRandom(); // before the first next()
            w.walk(c, () -> {
                if (w.rnd.nextInt(3) == 0) w.removeRandom();
            });
            w.end();
            assertEquals(w.initial.size() - w.removedUnvisited, w.visited.size(), w.ctx("visited count"));
            // Removing everything before the first next(): nothing is visited.
            w.begin();
            Cur c2 = w.m.cursor();
            while (w.ref.size() > 0) w.removeRandom();
            assertFalse(c2.next(), w.ctx("cursor over a map emptied before its first next()"));
            w.m.close();
        }
    }

    /**
     * Deleting every entry mid-walk makes the map pick a new hash seed (Go, issue 25237); keys inserted
     * afterwards are placed by the new seed, possibly growing the map. The open cursor must still visit
     * each of them at most once and only while present.
     */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void emptiedAndRefilledDuringTheWalk(Impl impl, long seed) {
        for (int n : new int[] {6, 40, 700}) {
            for (boolean midGrowth : new boolean[] {false, true}) {
                Walk w = new Walk(impl, seed, "emptied n=" + n + " midGrowth=" + midGrowth, 0);
                w.insertFresh(n);
                if (midGrowth) w.growUntilGrowing();
                w.begin();
                Cur c = w.m.cursor();
                for (int i = 0; i < 3 && c.next(); i++) w.visit(c.key(), c.value());
                int hash0 = w.m.stats().hash0();
                while (w.ref.size() > 0) w.removeRandom();
                assertNotEquals(hash0, w.m.stats().hash0(), w.ctx("an emptied map takes a new seed"));
                w.insertFresh(w.rnd.nextInt(1, 3 * n));
                w.walk(c, () -> {
                    if (w.rnd.nextInt(3) == 0) w.insertFresh(1);
                });
                w.end();
                ConformanceSuite.assertSameContents(w.m, w.ref, () -> w.ctx("after refill"));
                w.m.close();
            }
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void clearEndsTheWalk(Impl impl, long seed) {
        for (int n : new int[] {3, 9, 100, 3000}) {
            for (boolean midGrowth : new boolean[] {false, true}) {
                Walk w = new Walk(impl, seed, "clear n=" + n + " midGrowth=" + midGrowth, 0);
                w.insertFresh(n);
                if (midGrowth) w.growUntilGrowing();
                Set<Long> before = w.ref.keySet();
                Cur c = w.m.cursor();
                int steps = w.rnd.nextInt(n);
                for (int i = 0; i < steps && c.next(); i++) assertTrue(before.contains(c.key()));
                w.m.clear();
                w.ref.clear();
                // Re-insert some pre-clear keys and many fresh ones (enough to grow again).
                for (long k : before) {
                    if (w.rnd.nextInt(4) == 0) {
                        w.ref.put(k, 1);
                        w.m.put(k, impl.value(1));
                    }
                }
                w.insertFresh(n * 2);
                assertFalse(c.next(), w.ctx("a cursor from before clear() must end"));
                assertFalse(c.next(), w.ctx("and stay ended"));
                assertThrows(IllegalStateException.class, c::key, w.ctx("key() of an ended cursor"));
                // A new cursor sees exactly the new contents.
                w.begin();
                w.walk(w.m.cursor(), () -> { });
                w.end();
                assertEquals(w.ref.size(), w.visited.size(), w.ctx("new cursor after clear"));
                w.m.close();
            }
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void clearInsideForEach(Impl impl, long seed) {
        Walk w = new Walk(impl, seed, "clearInForEach", 0);
        w.insertFresh(500);
        Set<Long> before = w.ref.keySet();
        int[] calls = {0};
        boolean[] cleared = {false};
        w.m.forEach((k, v) -> {
            calls[0]++;
            if (cleared[0] && before.contains(k)) fail(w.ctx("forEach visited pre-clear key " + k + " after clear()"));
            if (calls[0] == 17) {
                w.m.clear();
                w.ref.clear();
                cleared[0] = true;
                for (long b : before) w.m.put(b, impl.value(2));
                w.insertFresh(100);
            }
        });
        assertEquals(17, calls[0], w.ctx("forEach must end at clear()"));
        w.m.close();
    }

    // ------------------------------------------------------------------ order

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void iterationOrderVariesAcrossCursors(Impl impl) {
        for (int n : new int[] {3, 7, 9, 15, 100}) {
            try (MapUnderTest m = impl.create()) {
                for (int i = 0; i < n; i++) m.put(i, impl.value(i));
                List<Long> first = order(m);
                boolean differs = false;
                Set<Long> firstKeys = new HashSet<>();
                for (int t = 0; t < 200; t++) {
                    List<Long> o = order(m);
                    assertEquals(new HashSet<>(first), new HashSet<>(o), impl + " n=" + n + ": same keys each walk");
                    differs |= !o.equals(first);
                    firstKeys.add(o.get(0));
                }
                assertTrue(differs, impl + " n=" + n + ": 200 cursors all walked in the order " + first);
                if (n > 8) {
                    assertTrue(firstKeys.size() >= 3, impl + " n=" + n + ": cursors start at only " + firstKeys);
                }
            }
        }
    }

    private static List<Long> order(MapUnderTest m) {
        List<Long> o = new ArrayList<>();
        for (Cur c = m.cursor(); c.next(); ) o.add(c.key());
        return o;
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void fixedBuilderSeedGivesTheSameOrder(Impl impl, long seed) {
        int bs = builderSeed(seed);
        try (MapUnderTest a = impl.build(0, 0, bs); MapUnderTest b = impl.build(0, 0, bs);
             MapUnderTest other = impl.build(0, 0, bs + 1)) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int round = 0; round < 4; round++) {
                int n = 10 + r.nextInt(3000);
                for (int i = 0; i < n; i++) {
                    long k = impl.randomKey(r), v = impl.randomValue(r);
                    a.put(k, v);
                    b.put(k, v);
                    other.put(k, v);
                    if (r.nextInt(5) == 0) {
                        a.remove(k);
                        b.remove(k);
                        other.remove(k);
                    }
                }
                String ctx = ctx(impl, seed, "fixedSeed round=" + round);
                for (int t = 0; t < 3; t++) {
                    List<Long> oa = order(a), ob = order(b), oo = order(other); // each map: one cursor per t
                    assertEquals(oa, ob, ctx + ": same seed, same operations");
                    if (a.size() >= 100) assertNotEquals(oa, oo, ctx + ": another seed");
                }
                if (round == 2) {
                    a.clear();
                    b.clear();
                    other.clear();
                }
            }
        }
    }

    // ------------------------------------------------------------------ cursor writes, forEach mutation

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void cursorSetValueAndRemove(Impl impl, long seed) {
        for (int n : new int[] {6, 50, 1500}) {
            Walk w = new Walk(impl, seed, "cursorWrites n=" + n, 0);
            w.insertFresh(n);
            if (n > 8) w.growUntilGrowing();
            w.begin();
            Set<Long> reinserted = new HashSet<>(); // removed after their visit and put back: may come again
            Cur c = w.m.cursor();
            while (c.next()) {
                long k = c.key();
                if (reinserted.contains(k)) {
                    assertEquals(w.ref.get(k).longValue(), c.value(), w.ctx("value of re-inserted key " + k));
                    continue;
                }
                w.visit(k, c.value());
                int x = w.rnd.nextInt(4);
                if (x == 0) {
                    c.remove();
                    w.ref.remove(k);
                    w.removed.add(k);
                    assertFalse(w.m.containsKey(k), w.ctx("cursor.remove() of " + k));
                } else if (x == 1 && !impl.isSet()) {
                    long v = impl.randomValue(w.rnd);
                    c.setValue(v);
                    w.ref.put(k, v);
                    assertEquals(v, c.value(), w.ctx("value() after setValue"));
                    assertEquals(v, w.m.get(k), w.ctx("setValue writes through"));
                } else if (x == 2 && !impl.isSet() && w.ref.size() > 1) {
                    // setValue on a key removed since its visit puts it back
                    w.m.remove(k);
                    reinserted.add(k);
                    long v = impl.randomValue(w.rnd);
                    c.setValue(v);
                    w.ref.put(k, v);
                    assertEquals(v, w.m.get(k), w.ctx("setValue after the key was removed puts it back"));
                }
                w.insertFresh(w.rnd.nextInt(3)); // keep the map growing
            }
            w.end();
            ConformanceSuite.assertSameContents(w.m, w.ref, () -> w.ctx("after cursor writes"));
            w.m.close();
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void forEachWithMutationInsideTheConsumer(Impl impl, long seed) {
        for (int n : new int[] {0, 8, 60, 2000}) {
            Walk w = new Walk(impl, seed, "forEachMutation n=" + n, 0);
            w.insertFresh(n);
            if (n > 8 && w.rnd.nextBoolean()) w.growUntilGrowing();
            w.begin();
            int b0 = w.m.stats().B();
            w.m.forEach((k, v) -> {
                w.visit(k, v);
                w.insertFresh(3);
                int x = w.rnd.nextInt(8);
                if (x == 0) w.removeRandom();
                else if (x == 1) w.updateRandom();
            });
            w.end();
            if (n >= 60) assertTrue(w.m.stats().B() - b0 >= 2, w.ctx("expected growth inside forEach"));
            ConformanceSuite.assertSameContents(w.m, w.ref, () -> w.ctx("after forEach"));
            w.m.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void cursorAccessorsBeforeNextAndAfterTheEndThrow(Impl impl) {
        for (int n : new int[] {0, 3, 50}) {
            try (MapUnderTest m = impl.create()) {
                for (int i = 0; i < n; i++) m.put(i * 7919L, impl.value(i));
                Cur c = m.cursor();
                String ctx = impl + " n=" + n;
                assertThrows(IllegalStateException.class, c::key, ctx + ": key() before next()");
                assertThrows(IllegalStateException.class, c::value, ctx + ": value() before next()");
                assertThrows(IllegalStateException.class, c::remove, ctx + ": remove() before next()");
                if (!impl.isSet()) assertThrows(IllegalStateException.class, () -> c.setValue(impl.value(1)), ctx + ": setValue() before next()");
                assertEquals(n, m.size(), ctx + ": failed calls changed nothing");
                int count = 0;
                while (c.next()) count++;
                assertEquals(n, count, ctx);
                assertThrows(IllegalStateException.class, c::key, ctx + ": key() after the end");
                assertThrows(IllegalStateException.class, c::value, ctx + ": value() after the end");
                assertThrows(IllegalStateException.class, c::remove, ctx + ": remove() after the end");
                assertFalse(c.next(), ctx);
                assertEquals(n, m.size(), ctx);
            }
        }
    }

    // ------------------------------------------------------------------ abandoned cursors

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void abandonedCursorsDoNotBreakLaterGrowth(Impl impl, long seed) {
        Walk w = new Walk(impl, seed, "abandoned", 0);
        w.insertFresh(20);
        int rounds = scaled(40), abandoned = 0, midGrowth = 0;
        for (int round = 0; round < rounds && w.ref.size() < scaled(20_000); round++) {
            w.insertFresh(1 + w.rnd.nextInt(w.ref.size() / 2 + 8));
            for (int i = 0, d = w.rnd.nextInt(w.ref.size() / 4 + 1); i < d; i++) w.removeRandom();
            if (round % 2 == 0) w.growUntilGrowing();
            // a few cursors, some opened mid-growth, advanced a little (or not at all) and dropped
            for (int j = 0; j < 3; j++) {
                if (w.m.stats().growing()) midGrowth++;
                Cur c = w.m.cursor();
                for (int s = w.rnd.nextInt(6); s > 0 && c.next(); s--) {
                    assertTrue(w.ref.containsKey(c.key()), w.ctx("abandoned cursor visited an absent key"));
                }
                abandoned++;
                w.insertFresh(1 + w.rnd.nextInt(3));
            }
            if (round % 8 == 7) {
                if (round % 16 == 15) System.gc(); // lets the Cleaner release abandoned cursors' pins
                ConformanceSuite.checkInvariants(w.m, () -> w.ctx("after abandoned cursors"));
                ConformanceSuite.assertSameContents(w.m, w.ref, () -> w.ctx("after abandoned cursors"));
            }
        }
        System.gc();
        w.insertFresh(1000);
        int total = abandoned;
        ConformanceSuite.checkInvariants(w.m, () -> w.ctx("end, " + total + " cursors abandoned"));
        ConformanceSuite.assertSameContents(w.m, w.ref, () -> w.ctx("end"));
        assertTrue(midGrowth > 0, w.ctx("no cursor was opened mid-growth"));
        w.m.close();
    }

    /** A cursor paused at a known point and resumed after many growths visits every stable key once. */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void heldCursorResumedAfterChurnAndGrowth(Impl impl, long seed) {
        Walk w = new Walk(impl, seed, "held", 0);
        w.insertFresh(300);
        w.growUntilGrowing();
        w.begin();
        Cur c = w.m.cursor();
        for (int i = 0; i < 5 && c.next(); i++) w.visit(c.key(), c.value());
        // Meanwhile: other cursors come and go, the map grows 5+ times and loses a fifth of its keys.
        for (int round = 0; round < 6; round++) {
            Cur other = w.m.cursor();
            other.next();
            w.insertFresh(w.ref.size());
            for (int i = 0; i < w.ref.size() / 10; i++) w.removeRandom();
            if (round == 3) System.gc();
        }
        w.walk(c, () -> { });
        w.end();
        w.m.close();
    }

    static Stream<Arguments> largeMaps() {
        long seed = ConformanceSuite.RUN_SEED;
        List<Impl> impls = ConformanceSuite.LONG ? MapImpls.ALL : List.of(MapImpls.named("LongLongMap"), MapImpls.named("IntLongMap"));
        return impls.stream().map(i -> Arguments.of(i, seed));
    }

    /**
     * A B = 15 map doubling to B = 16: the old array (several MiB) is given back to the kernel 2 MiB at a
     * time behind nevacuate unless a cursor pins it. A cursor opened before the growth (pinning it) and one
     * opened mid-growth after part of the old array was released both keep Go's guarantee.
     */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("largeMaps")
    void largeMapCursorsAcrossPartlyReleasedOldArray(Impl impl, long seed) {
        Walk w = new Walk(impl, seed, "large", 0);
        int threshold = 13 * (1 << 15) / 2; // B = 15 holds this many; one more starts the growth to 16
        w.insertFresh(threshold - 2000);
        assertEquals(15, w.m.stats().B(), w.ctx("B before the growth"));
        // cursor 1: opened before the growth, advanced a little, pins the array that becomes old
        w.begin();
        Cur early = w.m.cursor();
        for (int i = 0; i < 100; i++) assertTrue(early.next());
        Set<Long> earlyInitial = w.initial;
        w.insertFresh(2000 + 1);
        assertTrue(w.m.stats().growing() && w.m.stats().B() == 16, w.ctx("growth to 16 started"));
        w.insertFresh(512); // some evacuation while cursor 1 pins the old array
        List<Long> earlyVisited = new ArrayList<>();
        while (early.next()) earlyVisited.add(early.key());
        Set<Long> seen = new HashSet<>(earlyVisited);
        assertEquals(earlyVisited.size(), seen.size(), w.ctx("early cursor repeated keys"));
        for (long k : earlyVisited) assertTrue(w.ref.containsKey(k), w.ctx("early cursor visited absent " + k));
        for (long k : earlyInitial) {
            if (!seen.contains(k) && earlyVisited.size() + 100 < earlyInitial.size()) {
                fail(w.ctx("early cursor missed " + k));
            }
        }
        // now unpinned: evacuate past 2 MiB of old buckets, so their pages are given back
        long oldBuckets = w.m.stats().oldBuckets();
        long target = Math.min((2L << 20) / w.m.stats().bucketSize() + 512, oldBuckets * 7 / 8);
        while (w.m.stats().growing() && w.m.stats().nevacuate() < target) w.insertFresh(16);
        assertTrue(w.m.stats().growing(), w.ctx("still growing"));
        // cursor 2: opened mid-growth, with the early pin gone; the map keeps evacuating (and releasing)
        System.gc();
        w.begin();
        w.walk(w.m.cursor(), () -> {
            if (w.rnd.nextInt(4) == 0) w.insertFresh(1);
            if (w.rnd.nextInt(64) == 0) w.removeRandom();
        });
        w.end();
        ConformanceSuite.assertSameContents(w.m, w.ref, () -> w.ctx("large map"));
        w.m.close();
    }
}
