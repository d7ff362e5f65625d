// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.internal.FaultInjection;
import dev.hmap.internal.MapCore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ConcurrentModificationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Go's concurrent-use checks on forced interleavings: a writer is held inside its write (at an allocation,
 * through the fault-injection hook) while another thread reads or writes the map. Detection must happen
 * every time here; RaceStressTest covers the free-running races, where it is best-effort.
 */
class RaceDetectionTest {

    @AfterEach
    void uninstall() {
        FaultInjection.install(null);
    }

    @Test
    void aReadOrWriteDuringAWriteIsDetectedAndTheWriterFinishes() throws Exception {
        try (LongLongMap m = LongLongMap.create()) {
            CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
            Thread writer = new Thread(() -> m.put(1, 10), "held-writer");
            FaultInjection.install(bytes -> {
                if (Thread.currentThread() != writer) return;
                inside.countDown(); // the first put allocates the first bucket: hashWriting is set now
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            AtomicReference<Throwable> writerFailed = new AtomicReference<>();
            writer.setUncaughtExceptionHandler((t, e) -> writerFailed.set(e));
            writer.start();
            assertTrue(inside.await(60, TimeUnit.SECONDS), "the writer reached its allocation");

            ConcurrentModificationException read = assertThrows(ConcurrentModificationException.class, () -> m.get(1));
            assertTrue(read.getMessage().contains("concurrent map read and map write"), read.getMessage());
            ConcurrentModificationException write = assertThrows(ConcurrentModificationException.class, () -> m.put(2, 20));
            assertTrue(write.getMessage().contains("concurrent map writes"), write.getMessage());
            assertThrows(ConcurrentModificationException.class, () -> m.remove(1));

            release.countDown();
            writer.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(writer.isAlive());
            assertNull(writerFailed.get(), "the held writer completes: the other thread's attempts changed nothing");
            // The refused calls changed nothing and did not poison the map: it is Go's map after one put.
            assertEquals(1, m.size());
            assertEquals(10, m.get(1));
            ((MapCore) (Object) m).checkInvariants();
            m.put(2, 20);
            assertEquals(20, m.get(2));
        }
    }
}
