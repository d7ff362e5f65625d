// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import dev.hmap.LongLongMap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code builder().prefault(true)}: the bucket array of a presized map is resident once build() returns. */
class PrefaultOptionTest {

    @Test
    void thePresizedArrayIsResidentAfterBuild() throws IOException {
        // What is counted is the map's own reservation (its mappings in /proc/self/smaps), not the process's
        // resident set: that one moves with whatever else the JVM maps, frees or collects meanwhile (it
        // once fell by 166 MB during this build).
        try (LongLongMap m = LongLongMap.builder().expectedSize(2_000_000).prefault(true).build()) {
            MapMemory memory = ((MapCore) (Object) m).memory;
            long from = memory.segment().address(), to = from + memory.reservedBytes();
            long resident = residentBytes(from, to), arrayBytes = m.stats().offHeapBytes();
            assertTrue(arrayBytes > 64L << 20, "the array is large: " + arrayBytes);
            assertTrue(resident > arrayBytes * 9 / 10, resident + " bytes of the map resident for an array of " + arrayBytes);
            for (long k = 0; k < 100_000; k++) m.put(k, k);
            for (long k = 0; k < 100_000; k++) assertEquals(k, m.get(k));
            ((MapCore) (Object) m).checkInvariants();
        }
    }

    /**
     * Resident bytes of the mappings inside [from, to), from /proc/self/smaps (read as a stream: procfs
     * reports size 0). A reservation is several mappings once parts of it are advised for huge pages.
     */
    static long residentBytes(long from, long to) throws IOException {
        String smaps;
        try (InputStream in = Files.newInputStream(Path.of("/proc/self/smaps"))) {
            smaps = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        long total = 0;
        boolean inside = false;
        for (String line : smaps.split("\n")) {
            int dash = line.indexOf('-'), space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inside = start >= from && end <= to;
            } else if (inside && line.startsWith("Rss:")) {
                total += Long.parseLong(line.substring(4).trim().split("\\s+")[0]) * 1024;
            }
        }
        return total;
    }
}
