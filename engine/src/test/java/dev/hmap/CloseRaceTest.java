// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * close() racing readers and writers on other threads: they end with an exception (the map's memory
 * belongs to a shared Arena, whose close the JDK makes safe), never a JVM crash or an access to unmapped
 * memory. Misuse, but it must be survivable.
 */
class CloseRaceTest {

    @Test
    void closeRacingReadersAndWriters() throws Exception {
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        for (int round = 0; round < 40; round++) {
            LongLongMap m = LongLongMap.builder().seed(round).build();
            for (long k = 0; k < 50_000; k++) m.put(k, k);
            CountDownLatch started = new CountDownLatch(2);
            AtomicReference<Throwable> readerEnd = new AtomicReference<>(), writerEnd = new AtomicReference<>();
            int seed = round;
            Thread reader = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                started.countDown();
                try {
                    for (long sum = 0; ; ) sum += m.get(r.nextLong(60_000));
                } catch (Throwable t) {
                    readerEnd.set(t);
                }
            });
            Thread writer = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(~seed);
                started.countDown();
                try {
                    for (long k = 50_000; ; k++) { // grows the map while the close comes
                        m.put(k, k);
                        m.remove(r.nextLong(k));
                    }
                } catch (Throwable t) {
                    writerEnd.set(t);
                }
            });
            reader.start();
            writer.start();
            started.await();
            Thread.sleep(1 + round % 7);
            m.close();
            reader.join(TimeUnit.SECONDS.toMillis(20));
            writer.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(reader.isAlive() || writer.isAlive(), "round " + round + ": a thread kept running on a closed map");
            for (Throwable t : new Throwable[] {readerEnd.get(), writerEnd.get()}) {
                assertNotNull(t);
                // The racing reader and writer are not thread-safe users either: besides the close, a
                // ConcurrentModificationException may report the read/write race itself.
                assertTrue(t instanceof IllegalStateException || t instanceof java.util.ConcurrentModificationException,
                        "round " + round + ": ended with " + t);
                outcomes.merge(t.getClass().getSimpleName(), 1, Integer::sum);
            }
            assertThrows(IllegalStateException.class, m::size);
        }
        assertTrue(outcomes.getOrDefault("IllegalStateException", 0) > 0, outcomes.toString());
        System.out.println("CloseRaceTest outcomes: " + outcomes);
    }
}
