// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.hmap.kafka.KeyValueStoreContractTest.k;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interactive queries racing the stream thread: one writer puts, deletes and putAlls the "churn" half
 * of the keys through growth (values of changing lengths), while query threads run get, KeyQuery, range,
 * all and prefixScan. Every value read must be whole (its key and length are written into it), no value
 * null, every scan sorted, and every "stable" key (written before the race, never touched again) present
 * in every scan that covers it, with its value. The writer must keep going while the scans run (a scan
 * lets writes in between its chunks). {@code -Dhmap.kafka.raceSeconds=N} runs longer than the default 2.
 */
class QueryRaceTest {
    private static final int STABLE = 5_000;    // keys 0 .. STABLE-1: written once
    private static final int CHURN = 10_000;    // keys STABLE .. STABLE+CHURN-1: the writer's (all: 4 scan chunks)
    private static final int READERS = 2;

    @Test
    void queriesRaceWrites() throws Exception {
        long seconds = Long.getLong("hmap.kafka.raceSeconds", 2);
        KeyValueStore<Bytes, byte[]> store = StoreKind.HMAP.open("race", new TestContext());
        try {
            for (int i = 0; i < STABLE; i++) store.put(k(i), value(i, 0, new SplittableRandom(i)));
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicLong writes = new AtomicLong(), reads = new AtomicLong(), scans = new AtomicLong();
            Thread writer = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(1);
                try {
                    for (int gen = 1; !stop.get(); gen++) {
                        int key = STABLE + r.nextInt(CHURN);
                        switch (r.nextInt(4)) {
                            case 0 -> store.delete(k(key));
                            case 1 -> store.putAll(List.of(KeyValue.pair(k(key), value(key, gen, r)),
                                    KeyValue.pair(k(STABLE + r.nextInt(CHURN)), null)));
                            default -> store.put(k(key), value(key, gen, r));
                        }
                        writes.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "stream-thread");
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < READERS; t++) {
                long seed = 100 + t;
                readers.add(new Thread(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    try {
                        while (!stop.get()) {
                            int op = r.nextInt(200);
                            if (op < 180) {
                                int key = r.nextInt(STABLE + CHURN);
                                byte[] v = store.get(k(key));
                                if (key < STABLE && v == null) throw new AssertionError("stable key " + key + " missing");
                                if (v != null) check(key, v);
                                reads.incrementAndGet();
                            } else if (op < 190) {
                                int key = r.nextInt(STABLE);
                                QueryResult<byte[]> q = store.query(KeyQuery.withKey(k(key)), PositionBound.unbounded(),
                                        new QueryConfig(false));
                                if (!q.isSuccess() || q.getResult() == null) throw new AssertionError("query of " + key + ": " + q);
                                check(key, q.getResult());
                            } else if (op < 198) {
                                int from = r.nextInt(STABLE + CHURN), to = from + r.nextInt(1_000);
                                scan(store.range(k(from), k(to)), Math.max(0, from), Math.min(to, STABLE - 1));
                                scans.incrementAndGet();
                            } else if (op < 199) {
                                scan(store.all(), 0, STABLE - 1);
                                scans.incrementAndGet();
                            } else {
                                // Big-endian ints 0 .. 255 share the prefix 00 00 00.
                                scan(store.prefixScan(new byte[] {0, 0, 0}, (topic, p) -> p), 0, 255);
                                scans.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "query-" + t));
            }
            writer.start();
            readers.forEach(Thread::start);
            Thread.sleep(seconds * 1000);
            stop.set(true);
            writer.join();
            for (Thread t : readers) t.join();
            if (!failures.isEmpty()) {
                AssertionError e = new AssertionError(failures.size() + " failures, first: " + failures.peek());
                failures.forEach(e::addSuppressed);
                throw e;
            }
            System.out.printf("QueryRaceTest: %,d writes, %,d gets, %,d scans in %d s%n", writes.get(), reads.get(), scans.get(), seconds);
            assertTrue(writes.get() > 10_000, "the writer was starved: " + writes.get() + " writes");
            assertTrue(scans.get() > 10 && reads.get() > 1_000, "too few queries to mean anything: " + reads.get() + " gets, " + scans.get() + " scans");
            for (int i = 0; i < STABLE; i++) check(i, store.get(k(i)));
        } finally {
            store.close();
        }
    }

    /** Scan results: sorted, whole values, and every stable key in [lo, hi] present. */
    private static void scan(KeyValueIterator<Bytes, byte[]> it, int lo, int hi) {
        int expect = lo, prev = Integer.MIN_VALUE;
        try (it) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                int key = ByteBuffer.wrap(kv.key.get()).getInt();
                if (key <= prev) throw new AssertionError("scan out of order: " + prev + " then " + key);
                prev = key;
                check(key, kv.value);
                if (key <= hi && key >= lo) {
                    if (key != expect) throw new AssertionError("stable key " + expect + " missing from a scan (next was " + key + ")");
                    expect++;
                }
            }
        }
        if (lo <= hi && expect != hi + 1) throw new AssertionError("stable key " + expect + " missing from the end of a scan");
    }

    /** A value names its key and its own length: a torn or misplaced value fails the check. */
    static byte[] value(int key, int gen, SplittableRandom r) {
        int len = 12 + r.nextInt(200);
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putInt(key).putInt(len).putInt(gen);
        while (b.hasRemaining()) b.put((byte) key);
        return b.array();
    }

    static void check(int key, byte[] v) {
        if (v == null) throw new AssertionError("null value for " + key);
        ByteBuffer b = ByteBuffer.wrap(v);
        int k = b.getInt(), len = b.getInt();
        assertEquals(key, k, "value of another key");
        assertEquals(v.length, len, "torn value");
        b.getInt();
        while (b.hasRemaining()) if (b.get() != (byte) key) throw new AssertionError("torn value bytes for " + key);
    }

}
