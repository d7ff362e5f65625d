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
        // Only the prefaulted map is measured: without the option, the background prefault thread faults
        // large arrays in too, at a moment no test controls.
        long before = residentBytes();
        try (LongLongMap m = LongLongMap.builder().expectedSize(2_000_000).prefault(true).build()) {
            long grown = residentBytes() - before, arrayBytes = m.stats().offHeapBytes();
            assertTrue(arrayBytes > 64L << 20, "the array is large: " + arrayBytes);
            assertTrue(grown > arrayBytes * 9 / 10, "resident grew by " + grown + " for an array of " + arrayBytes);
            for (long k = 0; k < 100_000; k++) m.put(k, k);
            for (long k = 0; k < 100_000; k++) assertEquals(k, m.get(k));
            ((MapCore) (Object) m).checkInvariants();
        }
    }

    /** The process's resident set, from /proc/self/statm (read as a stream: procfs reports size 0). */
    static long residentBytes() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("/proc/self/statm"))) {
            String[] f = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
            return Long.parseLong(f[1]) * MapMemory.PAGE;
        }
    }
}
