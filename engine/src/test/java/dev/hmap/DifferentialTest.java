// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.ConformanceSuite.RefMap;
import dev.hmap.MapImpls.Impl;
import dev.hmap.MapUnderTest.Cur;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongBinaryOperator;
import java.util.stream.LongStream;

import static dev.hmap.ConformanceSuite.builderSeed;
import static dev.hmap.ConformanceSuite.goB;
import static dev.hmap.ConformanceSuite.scaled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random command streams run against every map and set with java.util.HashMap as the reference:
 * put/putIfAbsent/get/getOrDefault/containsKey/remove/addTo/merge/clear/size/cursor/forEach and the
 * asMap()/asSet() views, checking every result, the header's count and B, and MapCore.checkInvariants
 * (String keys: and that no two keys share bytes) every {@value #CHECK_EVERY} operations and at the end.
 * Scenarios cover growth from empty and from hints, same-size growth from delete churn, clear during and
 * after growth, narrow and wide key ranges, B == 0 maps, and adversarial pools of near-duplicate keys.
 * String keys pass through every key form in turn (see MapImpls). Failure messages name the
 * implementation, the seed, the operation number and the last operations.
 */
class DifferentialTest {
    static final int CHECK_EVERY = 2048;

    enum Op { PUT, PUT_IF_ABSENT, GET, GET_OR_DEFAULT, CONTAINS, REMOVE, ADD_TO, MERGE, SIZE, VIEW }

    /** Weights per Op, in enum order. */
    static final int[] INSERT_HEAVY = {40, 10, 10, 5, 5, 12, 8, 8, 2, 0};
    static final int[] BALANCED = {20, 8, 15, 5, 10, 22, 10, 8, 2, 0};
    static final int[] WITH_VIEWS = {25, 5, 12, 4, 4, 15, 5, 5, 12, 10};

    static final LongBinaryOperator[] MERGERS = {Long::sum, Math::max, (a, b) -> b - a, (a, b) -> b};
    private static final String[] MERGE_NAMES = {"merge[sum]", "merge[max]", "merge[new-old]", "merge[new]"};
    private static final String[] MAP_VIEW_OPS = {"asMap().put", "asMap().get", "asMap().remove", "asMap().containsKey"};
    private static final String[] SET_VIEW_OPS = {"asSet().add", "asSet().contains", "asSet().remove", "asSet().contains"};

    // ------------------------------------------------------------------ scenarios

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void growFromEmpty(Impl impl, long seed) {
        Driver d = new Driver(impl, seed, "growFromEmpty", 0);
        d.run(scaled(60_000), INSERT_HEAVY, 0, 4000);
        assertTrue(d.maxB >= 10, d.ctx("expected growth to B >= 10, got " + d.maxB));
        d.finish();
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void growFromHint(Impl impl, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x4117);
        for (int round = 0; round < 3; round++) {
            long hint = round == 0 ? r.nextInt(1, 100) : r.nextInt(100, 20_000);
            Driver d = new Driver(impl, seed, "growFromHint hint=" + hint, hint);
            assertEquals(goB(hint), d.m.stats().B(), d.ctx("B after create(" + hint + ")"));
            d.run(scaled(20_000), INSERT_HEAVY, 0, 4000);
            d.finish();
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void smallKeyRanges(Impl impl, long seed) {
        for (long range : new long[] {16, 64, 1000}) {
            Driver d = new Driver(impl, seed, "smallKeyRange range=" + range, 0);
            d.keyRange = range;
            d.run(scaled(15_000), BALANCED, 5_000, 3000);
            d.finish();
        }
    }

    /** At most 8 distinct keys: the map must stay at B == 0 (one bucket, never grows). */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void bucketZeroMaps(Impl impl, long seed) {
        for (long range : new long[] {1, 2, 5, 8}) {
            for (long hint : new long[] {0, 8}) {
                Driver d = new Driver(impl, seed, "B0 range=" + range + " hint=" + hint, hint);
                d.keyRange = range;
                d.assertB0 = true;
                d.run(scaled(4_000), BALANCED, 700, 200);
                d.finish();
            }
        }
        // Just above: 9..16 keys flip between B = 0 and growth to B = 1 (which then stays).
        Driver d = new Driver(impl, seed, "B0-1 range=12", 0);
        d.keyRange = 12;
        d.run(scaled(8_000), BALANCED, 1_000, 200);
        assertTrue(d.maxB <= 1, d.ctx("12 keys need at most B = 1, got " + d.maxB));
        d.finish();
    }

    /**
     * Constant size, fresh keys in, oldest keys out: overflow buckets accumulate until Go's
     * tooManyOverflowBuckets starts a same-size growth. Also clears once during such a growth.
     */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void sameSizeGrowthFromDeleteChurn(Impl impl, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0xC4A5);
        for (int round = 0; round < 3; round++) {
            // Fill to just below Go's load factor (6.5 per bucket), where chains overflow most often.
            int b = round == 0 ? r.nextInt(1, 4) : round == 1 ? r.nextInt(4, 7) : r.nextInt(7, 10);
            int target = 13 * (1 << b) / 2 - 1 - r.nextInt(Math.max(1, (1 << b) / 4));
            Driver d = new Driver(impl, seed, "churn target=" + target, 0);
            ArrayDeque<Long> fifo = new ArrayDeque<>();
            Set<Long> used = new HashSet<>();
            boolean clearedInSameSize = false;
            int cap = scaled(400_000), extra = scaled(3_000);
            for (int i = 0; i < cap && extra > 0; i++) {
                if (fifo.size() < target || d.rnd.nextInt(8) != 0) {
                    long k;
                    do {
                        k = impl.randomKey(d.rnd);
                    } while (!used.add(k));
                    fifo.add(k);
                    d.put(k, impl.randomValue(d.rnd));
                }
                if (fifo.size() > target) d.remove(fifo.poll());
                if (d.rnd.nextInt(4) == 0) d.get(fifo.isEmpty() || d.rnd.nextBoolean() ? impl.randomKey(d.rnd) : fifo.peekLast());
                if (d.rnd.nextInt(20_000) == 0) d.iterate();
                if (d.m.stats().sameSizeGrow() && !clearedInSameSize && d.sameSizeGrowths >= 2 && d.rnd.nextInt(4) == 0) {
                    d.clear(); // during a same-size growth
                    fifo.clear();
                    clearedInSameSize = true;
                }
                if (d.sameSizeGrowths >= 3) extra--;
            }
            assertTrue(d.sameSizeGrowths > 0, d.ctx("delete churn never started a same-size growth"));
            assertTrue(d.maxB <= goB(target + 1), d.ctx("constant size " + target + " grew to B=" + d.maxB));
            d.finish();
        }
    }

    /** Clears while evacuation is in progress (and now and then when it is not), then keeps going. */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void clearDuringAndAfterGrowth(Impl impl, long seed) {
        Driver d = new Driver(impl, seed, "clearDuringGrowth", 0);
        int ops = scaled(60_000);
        int clearsWhileGrowing = 0;
        for (int i = 0; i < ops; i++) {
            d.step(INSERT_HEAVY);
            MapStats s = d.m.stats();
            if (s.growing() && d.rnd.nextInt(clearsWhileGrowing < 3 ? 4 : 64) == 0) {
                long oldKey = d.ref.size() > 0 ? d.ref.randomKey(d.rnd) : impl.randomKey(d.rnd);
                d.clear();
                clearsWhileGrowing++;
                d.get(oldKey);
                d.containsKey(oldKey);
            } else if (d.rnd.nextInt(10_000) == 0) {
                d.clear();
            }
            if (d.rnd.nextInt(5000) == 0) d.iterate();
        }
        assertTrue(clearsWhileGrowing > 0, d.ctx("never cleared during a growth"));
        d.finish();
    }

    /** Everything at once on a medium key range; cursor and forEach walks now and then. */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void mixedMediumRange(Impl impl, long seed) {
        Driver d = new Driver(impl, seed, "mixed", 0);
        d.keyRange = 5000;
        if (impl.wordValues()) {
            d.missing = impl.value(d.rnd.nextLong());
            d.rebuild();
        }
        d.run(scaled(60_000), BALANCED, 20_000, 2000);
        d.finish();
    }

    /**
     * Adversarial pools of 8, 100 and 6000 keys, near-duplicates by construction: String keys from
     * {@link StringKeys#keyPool} (special strings, random UTF-16, shared affixes, runs of NUL, relatives one
     * char apart), int and long keys the edge values and neighbours one apart or one bit apart. The streams
     * add the views' operations and cursor walks that remove entries and set values.
     */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void adversarialKeyPools(Impl impl, long seed) {
        for (int size : new int[] {8, 100, 6000}) {
            SplittableRandom r = new SplittableRandom(seed ^ size);
            boolean strings = impl.byteStringKeys();
            Impl pooled = strings ? impl.withCodec(new StringKeyCodec.Pool(StringKeys.keyPool(r, size))) : impl;
            Driver d = new Driver(pooled, seed, "pool=" + size, 0);
            d.pool = strings ? LongStream.range(0, size).toArray() : numberPool(impl, r, size);
            d.walksWrite = true;
            d.run(scaled(20_000), WITH_VIEWS, 20_000, 100);
            d.finish();
        }
    }

    /** Edge values and their neighbours: 0, 1, -1, the extremes, and random keys with a key one apart or one bit apart. */
    static long[] numberPool(Impl impl, SplittableRandom r, int n) {
        Set<Long> pool = new LinkedHashSet<>();
        for (long k : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, 1L << 32}) {
            pool.add(impl.key(k));
        }
        while (pool.size() < n) {
            long base = impl.randomKey(r);
            pool.add(base);
            switch (r.nextInt(4)) {
                case 0 -> pool.add(impl.key(base + 1));
                case 1 -> pool.add(impl.key(base ^ 1L << r.nextInt(64)));
                case 2 -> pool.add(impl.key(-base));
                default -> { }
            }
        }
        return pool.stream().limit(n).mapToLong(Long::longValue).toArray();
    }

    /** Long mode only: past B = 16, where incrnoverflow counts with probability 2^(15-B). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void beyondB16(Impl impl) {
        org.junit.jupiter.api.Assumptions.assumeTrue(ConformanceSuite.LONG, "long mode (-Dhmap.test.long=true)");
        Driver d = new Driver(impl, ConformanceSuite.RUN_SEED, "beyondB16", 0);
        int[] putsOnly = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        while (d.m.stats().B() < 17) d.step(putsOnly);
        d.run(300_000, BALANCED, 0, 0);
        assertTrue(d.maxB >= 17, d.ctx("B"));
        d.finish();
    }

    // ------------------------------------------------------------------ the driver

    /** Runs commands on the map and on the reference and compares every result. */
    static final class Driver {
        final Impl impl;
        final long seed;
        final String scenario;
        final long hint;
        final SplittableRandom rnd;
        final RefMap ref = new RefMap();
        MapUnderTest m;
        long missing;
        long keyRange; // 0: the whole key domain
        long keyBase;
        long[] pool; // if set, the keys to draw from
        boolean walksWrite; // some walks remove entries and set values through the cursor
        boolean assertB0;
        long ops;
        int maxB, lastB, lastNoverflow;
        boolean lastSameSizeFlag;
        /** Same-size growths seen: the flag rising, or (for one that started and ended within one call)
         *  noverflow dropping while B stayed, which only hashGrow does outside clear(). */
        int sameSizeGrowths;

        private static final int TRACE = 24;
        private final String[] traceOp = new String[TRACE];
        private final long[] traceA = new long[TRACE], traceB = new long[TRACE];
        private final int[] traceN = new int[TRACE];

        Driver(Impl impl, long seed, String scenario, long hint) {
            this.impl = impl;
            this.seed = seed;
            this.scenario = scenario;
            this.hint = hint;
            this.rnd = new SplittableRandom(seed ^ scenario.hashCode());
            this.keyBase = impl.randomKey(rnd) / 2;
            this.m = impl.build(hint, missing, builderSeed(seed));
            this.lastB = m.stats().B();
            this.maxB = lastB;
        }

        /** Recreates the (still empty) map, e.g. after changing the missing value. */
        void rebuild() {
            assertEquals(0, ref.size());
            m.close();
            m = impl.build(hint, missing, builderSeed(seed));
        }

        String ctx(String what) {
            StringBuilder sb = new StringBuilder();
            sb.append(ConformanceSuite.ctx(impl, seed, scenario)).append(" op#").append(ops).append(" refSize=")
                    .append(ref.size()).append(": ").append(what);
            try {
                sb.append("\n  stats: ").append(m.stats());
            } catch (RuntimeException e) {
                sb.append("\n  stats: ").append(e);
            }
            sb.append("\n  last ops (oldest first):");
            for (long n = Math.max(1, ops - TRACE + 1); n <= ops; n++) {
                int i = (int) (n % TRACE);
                sb.append("\n    #").append(n).append(' ').append(traceOp[i]).append('(');
                if (traceN[i] > 0) sb.append(traceA[i]);
                if (traceN[i] > 1) sb.append(", ").append(traceB[i]);
                sb.append(')');
            }
            return sb.toString();
        }

        private void trace(String op, int n, long a, long b) {
            ops++;
            int i = (int) (ops % TRACE);
            traceOp[i] = op;
            traceN[i] = n;
            traceA[i] = a;
            traceB[i] = b;
        }

        long key() {
            if (ref.size() > 0 && rnd.nextInt(100) < 45) return ref.randomKey(rnd);
            if (pool != null) return pool[rnd.nextInt(pool.length)];
            if (keyRange == 0) return impl.randomKey(rnd);
            return impl.key(keyBase + rnd.nextLong(keyRange));
        }

        /** Full walks cost O(size): they are paid from a credit of 3 visits per operation. */
        private long walkCredit;

        void run(int n, int[] weights, int clearEvery, int iterateEvery) {
            for (int i = 0; i < n; i++) {
                step(weights);
                if (clearEvery > 0 && rnd.nextInt(clearEvery) == 0) clear();
                walkCredit += 3;
                if (iterateEvery > 0 && rnd.nextInt(iterateEvery) == 0 && walkCredit >= ref.size()) {
                    walkCredit -= ref.size();
                    if (walksWrite && rnd.nextInt(3) == 0) walkWithWrites();
                    else if (rnd.nextBoolean()) iterate();
                    else forEach();
                }
            }
        }

        void step(int[] weights) {
            int total = 0;
            for (int w : weights) total += w;
            int x = rnd.nextInt(total);
            int o = 0;
            while (x >= weights[o]) x -= weights[o++];
            Op op = Op.values()[o];
            if (!impl.wordValues() && (op == Op.ADD_TO || op == Op.MERGE)) op = op == Op.ADD_TO ? Op.PUT : Op.GET;
            long k = key();
            switch (op) {
                case PUT -> put(k, impl.randomValue(rnd));
                case PUT_IF_ABSENT -> putIfAbsent(k, impl.randomValue(rnd));
                case GET -> get(k);
                case GET_OR_DEFAULT -> getOrDefault(k, impl.randomValue(rnd));
                case CONTAINS -> containsKey(k);
                case REMOVE -> remove(k);
                case ADD_TO -> addTo(k, impl.randomIncrement(rnd));
                case MERGE -> merge(k, impl.randomValue(rnd), rnd.nextInt(MERGERS.length));
                case SIZE -> size();
                case VIEW -> view(k, impl.randomValue(rnd));
            }
        }

        private long absent(Long v) {
            return v == null ? missing : v;
        }

        void put(long k, long v) {
            trace("put", 2, k, v);
            long expected = absent(ref.put(k, v));
            long actual = m.put(k, v);
            if (actual != expected) fail(ctx("put returned " + actual + ", expected " + expected));
            after();
        }

        void putIfAbsent(long k, long v) {
            trace("putIfAbsent", 2, k, v);
            Long prev = ref.get(k);
            if (prev == null) ref.put(k, v);
            long actual = m.putIfAbsent(k, v);
            if (actual != absent(prev)) fail(ctx("putIfAbsent returned " + actual + ", expected " + absent(prev)));
            after();
        }

        void get(long k) {
            trace("get", 1, k, 0);
            long expected = absent(ref.get(k));
            long actual = m.get(k);
            if (actual != expected) fail(ctx("get returned " + actual + ", expected " + expected));
        }

        void getOrDefault(long k, long d) {
            trace("getOrDefault", 2, k, d);
            Long v = ref.get(k);
            long expected = v == null ? d : v;
            long actual = m.getOrDefault(k, d);
            if (actual != expected) fail(ctx("getOrDefault returned " + actual + ", expected " + expected));
        }

        void containsKey(long k) {
            trace("containsKey", 1, k, 0);
            boolean expected = ref.containsKey(k);
            if (m.containsKey(k) != expected) fail(ctx("containsKey returned " + !expected));
        }

        void remove(long k) {
            trace("remove", 1, k, 0);
            long expected = absent(ref.remove(k));
            long actual = m.remove(k);
            if (actual != expected) fail(ctx("remove returned " + actual + ", expected " + expected));
            after();
        }

        void addTo(long k, long inc) {
            trace("addTo", 2, k, inc);
            long prev = absent(ref.get(k));
            ref.put(k, impl.sum(prev, inc));
            long actual = m.addTo(k, inc);
            if (actual != prev) fail(ctx("addTo returned " + actual + ", expected the previous value " + prev));
            after();
        }

        void merge(long k, long v, int f) {
            trace(MERGE_NAMES[f], 2, k, v);
            Long prev = ref.get(k);
            long expected = prev == null ? v : impl.sum(MERGERS[f].applyAsLong(prev, v), 0);
            ref.put(k, expected);
            long actual = m.merge(k, v, MERGERS[f]);
            if (actual != expected) fail(ctx("merge returned " + actual + ", expected " + expected));
            after();
        }

        void clear() {
            trace("clear", 0, 0, 0);
            MapStats before = m.stats();
            ref.clear();
            m.clear();
            MapStats s = m.stats();
            assertEquals(0, m.size(), () -> ctx("size after clear"));
            assertEquals(before.B(), s.B(), () -> ctx("clear keeps B (Go's mapclear)"));
            if (before.count() > 0) {
                assertFalse(s.growing(), () -> ctx("growing after clear"));
                assertFalse(s.sameSizeGrow(), () -> ctx("sameSizeGrow after clear"));
                assertEquals(0, s.noverflow(), () -> ctx("noverflow after clear"));
                assertEquals(before.flags() & 3, s.flags() & 3, () -> ctx("clear keeps the iterator flags"));
            } else {
                // Go's mapclear returns at once for an empty map: the header stays as it was
                assertEquals(List.of(before.flags(), before.noverflow(), before.hash0(), before.nevacuate(), before.growing()),
                        List.of(s.flags(), s.noverflow(), s.hash0(), s.nevacuate(), s.growing()),
                        () -> ctx("clear() of an empty map changed the header"));
            }
            lastNoverflow = s.noverflow();
            lastSameSizeFlag = s.sameSizeGrow();
            after();
        }

        void size() {
            trace("size", 0, 0, 0);
            assertEquals(ref.size(), m.size(), () -> ctx("size"));
            assertEquals(ref.size() == 0, m.isEmpty(), () -> ctx("isEmpty"));
        }

        void iterate() {
            trace("cursorWalk", 0, 0, 0);
            Set<Long> seen = new HashSet<>();
            Cur c = m.cursor();
            while (c.next()) visit(seen, c.key(), c.value(), "cursor");
            assertFalse(c.next(), () -> ctx("next() after the end"));
            assertEquals(ref.size(), seen.size(), () -> ctx("cursor visited " + seen.size() + " entries"));
        }

        /** Through asMap() (put, get, remove, containsKey) or asSet() (add, contains, remove). */
        void view(long k, long v) {
            int x = rnd.nextInt(4);
            trace(impl.isSet() ? SET_VIEW_OPS[x] : MAP_VIEW_OPS[x], 2, k, v);
            Object bk = impl.boxKey(k), expected, actual;
            if (impl.isSet()) {
                Set<Object> s = m.asSet();
                switch (x) {
                    case 0 -> {
                        expected = ref.put(k, MapImpls.PRESENT) == null;
                        actual = s.add(bk);
                    }
                    case 2 -> {
                        expected = ref.remove(k) != null;
                        actual = s.remove(bk);
                    }
                    default -> {
                        expected = ref.containsKey(k);
                        actual = s.contains(bk);
                    }
                }
            } else {
                Map<Object, Object> view = m.asMap();
                switch (x) {
                    case 0 -> {
                        expected = boxed(ref.put(k, v));
                        actual = view.put(bk, impl.boxValue(v));
                    }
                    case 1 -> {
                        expected = boxed(ref.get(k));
                        actual = view.get(bk);
                    }
                    case 2 -> {
                        expected = boxed(ref.remove(k));
                        actual = view.remove(bk);
                    }
                    default -> {
                        expected = ref.containsKey(k);
                        actual = view.containsKey(bk);
                    }
                }
            }
            if (!Objects.equals(expected, actual)) fail(ctx("view returned " + actual + ", expected " + expected));
            after();
        }

        private Object boxed(Long v) {
            return v == null ? null : impl.boxValue(v);
        }

        /** A cursor walk that removes some entries and sets the value of others through the cursor. */
        void walkWithWrites() {
            trace("cursorWalkWithWrites", 0, 0, 0);
            Set<Long> seen = new HashSet<>();
            Cur c = m.cursor();
            while (c.next()) {
                long k = c.key();
                visit(seen, k, c.value(), "cursor");
                int x = rnd.nextInt(4);
                if (x == 0) {
                    c.remove();
                    ref.remove(k);
                } else if (x == 1 && !impl.isSet()) {
                    long v = impl.randomValue(rnd);
                    c.setValue(v);
                    ref.put(k, v);
                }
            }
            // Nothing was inserted, so every key left was there all along: the walk must have visited it.
            for (long k : ref.keySet()) if (!seen.contains(k)) fail(ctx("cursor walk with writes missed " + k));
            after();
        }

        void forEach() {
            trace("forEachWalk", 0, 0, 0);
            Set<Long> seen = new HashSet<>();
            m.forEach((k, v) -> visit(seen, k, v, "forEach"));
            assertEquals(ref.size(), seen.size(), () -> ctx("forEach visited " + seen.size() + " entries"));
        }

        private void visit(Set<Long> seen, long k, long v, String how) {
            if (!seen.add(k)) fail(ctx(how + " visited " + k + " twice"));
            Long expected = ref.get(k);
            if (expected == null) fail(ctx(how + " visited absent key " + k));
            if (expected != v) fail(ctx(how + " value of " + k + " is " + v + ", expected " + expected));
        }

        /** After each write: the header agrees with the reference; B never shrinks; periodic invariants. */
        private void after() {
            MapStats s = m.stats();
            if (s.count() != ref.size()) fail(ctx("count " + s.count() + " != reference size " + ref.size()));
            if (s.B() < lastB) fail(ctx("B shrank from " + lastB + " to " + s.B()));
            if (s.sameSizeGrow() ? !lastSameSizeFlag : s.B() == lastB && s.noverflow() < lastNoverflow) sameSizeGrowths++;
            lastSameSizeFlag = s.sameSizeGrow();
            lastNoverflow = s.noverflow();
            lastB = s.B();
            maxB = Math.max(maxB, s.B());
            if (s.sameSizeGrow() && !s.growing()) fail(ctx("sameSizeGrow without a growth in progress"));
            if (assertB0 && s.B() != 0) fail(ctx("a map of at most 8 keys left B = 0: B=" + s.B()));
            if (ops % CHECK_EVERY == 0) check("periodic check");
        }

        /** Invariants, and for String and Bytes keys that no two keys share bytes (a use-after-free would). */
        private void check(String what) {
            ConformanceSuite.checkInvariants(m, () -> ctx(what));
            if (impl.byteStringKeys()) StringKeys.assertKeyBytesDisjoint(m, () -> ctx(what));
        }

        /**
         * Final full comparison (String keys: in every key form and by every cursor accessor; and through the
         * view), invariants, and close.
         */
        void finish() {
            check("final check");
            ConformanceSuite.assertSameContents(m, ref, () -> ctx("final contents"));
            if (impl.isSet()) {
                Set<Object> keys = new HashSet<>();
                for (long k : ref.keySet()) keys.add(impl.boxKey(k));
                assertEquals(keys, new HashSet<>(m.asSet()), () -> ctx("final contents through asSet()"));
            } else {
                Map<Object, Object> entries = new HashMap<>();
                ref.map.forEach((k, v) -> entries.put(impl.boxKey(k), impl.boxValue(v)));
                assertEquals(entries, new HashMap<>(m.asMap()), () -> ctx("final contents through asMap()"));
            }
            if (impl.stringKeys()) {
                Map<String, Long> strings = new HashMap<>();
                ref.map.forEach((k, v) -> strings.put(impl.codec.encode(k), v));
                StringKeys.assertHolds(m, strings, () -> ctx("final contents by String"));
            }
            m.close();
        }
    }
}
