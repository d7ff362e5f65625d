// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import dev.hmap.LongLongMap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The prefault thread must never take a CPU from the map's own threads (it runs under SCHED_IDLE), and
 * never fault in memory a map has given back.
 */
class PrefaulterTest {
    private static final long MIB = 1L << 20;

    /**
     * On a busy machine the thread falls behind, and a map may free an array before the thread reaches it.
     * Faulting it in then would leave memory resident that no map counts. Here the thread is held on
     * another reservation's lock while a 32 MiB block is queued, freed and given back; once a task queued
     * after it has run, none of that block may be resident.
     */
    @Test
    void aRangeGivenBackBeforeTheThreadGetsThereStaysUnfaulted() throws Exception {
        assumeTrue(Prefaulter.ENABLED, "prefaulting disabled with -Dhmap.prefault=false");
        Reservation blocker = Reservation.reserve(16 * MIB), freed = Reservation.reserve(64 * MIB),
                marker = Reservation.reserve(16 * MIB);
        try {
            long b = blocker.allocate(2 * MIB), off = freed.allocate(32 * MIB), m = marker.allocate(2 * MIB);
            synchronized (blocker.populateLock) { // the thread waits here at its first step of blocker's task
                blocker.prefault(b, 2 * MIB);
                freed.prefault(off, 32 * MIB); // queued behind it
                freed.free(off, 32 * MIB);
                freed.releaseDeferred(Long.MAX_VALUE); // given back before the thread gets there
            }
            marker.prefault(m, 2 * MIB); // tasks run in order: once this one is resident, freed's has run
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (resident(marker) < 2 * MIB) {
                assertTrue(System.nanoTime() < deadline, "the prefault thread did not reach the marker in 60 s");
                Thread.sleep(5);
            }
            assertTrue(resident(freed) < MIB, resident(freed) + " bytes resident of a block freed before its prefault");
        } finally {
            blocker.close();
            freed.close();
            marker.close();
        }
    }

    private static long resident(Reservation r) throws IOException {
        long from = r.segment().address();
        return PrefaultOptionTest.residentBytes(from, from + r.reservedBytes());
    }

    @Test
    void prefaultThreadRunsUnderSchedIdle() throws Exception {
        assumeTrue(Prefaulter.ENABLED, "prefaulting disabled with -Dhmap.prefault=false");
        try (LongLongMap m = LongLongMap.create(1_000_000)) { // a 37 MB array: handed to the prefaulter
            m.put(1, 1);
            // The thread names itself before it runs, and sets its policy as its first step: read the policy
            // only once it says it did, never in between. It is a daemon that lives as long as the JVM.
            assertTrue(Prefaulter.SCHEDULED.await(60, TimeUnit.SECONDS), "the prefault thread started");
            Path task = prefaultTask();
            assertNotNull(task, "no thread named hmap-prefault in /proc/self/task");
            // /proc/<pid>/task/<tid>/stat: field 41 is the scheduling policy; the comm field (2) may hold
            // spaces, so count from its closing parenthesis.
            String stat = Files.readString(task.resolve("stat"));
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            int policy = Integer.parseInt(after[41 - 3]);
            assertEquals(Native.SCHED_IDLE, policy, "policy of the prefault thread: " + stat);
        }
    }

    private static Path prefaultTask() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip().equals("hmap-prefault");
                } catch (IOException e) {
                    return false; // the thread ended meanwhile
                }
            }).findFirst().orElse(null);
        }
    }
}
