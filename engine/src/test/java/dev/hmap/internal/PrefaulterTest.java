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

/** The prefault thread must never take a CPU from the map's own threads: it runs under SCHED_IDLE. */
class PrefaulterTest {

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
