// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import dev.hmap.LongLongMap;
import dev.hmap.OffHeapMap;
import dev.hmap.StringLongMap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM of {@link ManyMapsTest}: makes N maps with one entry each ({@code long}: LongLongMap,
 * {@code string}: StringLongMap with an 8-byte key), all open at once, checks every one, and prints what
 * the process paid per map: {@code maps N offheap X rss Y heap Z mappings M cohorts C seconds S}. Then
 * closes them all and prints {@code closed cohorts C mappings M}. Exits 0 only if every map was intact.
 */
public final class ManyMapsChild {
    private ManyMapsChild() {}

    public static void main(String[] args) throws Exception {
        boolean strings = args[0].equals("string");
        int n = Integer.parseInt(args[1]);
        OffHeapMap[] maps = new OffHeapMap[n];
        System.gc();
        long rss0 = rss(), heap0 = usedHeap(), maps0 = ProcessLimits.countMappings(), t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (strings) {
                StringLongMap m = StringLongMap.create();
                m.put(key(i), i);
                maps[i] = m;
            } else {
                LongLongMap m = LongLongMap.create();
                m.put(i, i);
                maps[i] = m;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long offHeap = 0;
        for (int i = 0; i < n; i++) {
            long v = strings ? ((StringLongMap) maps[i]).get(key(i)) : ((LongLongMap) maps[i]).get(i);
            if (v != i || maps[i].size() != 1) throw new AssertionError("map " + i + " holds " + v);
            offHeap += maps[i].stats().offHeapBytes();
        }
        System.gc();
        long rss = rss() - rss0, heap = usedHeap() - heap0, mappings = ProcessLimits.countMappings() - maps0;
        System.out.printf("maps %d offheap %.1f rss %.1f heap %.1f mappings %d cohorts %d seconds %.2f%n", n,
                (double) offHeap / n, (double) rss / n, (double) heap / n, mappings, SmallPool.mappedCohorts(), seconds);
        for (OffHeapMap m : maps) m.close();
        System.out.println("closed cohorts " + SmallPool.mappedCohorts() + " mappings "
                + (ProcessLimits.countMappings() - maps0) + " live " + MapMemory.liveReservations());
    }

    /** 8 ASCII bytes. */
    static String key(int i) {
        return String.format("%08x", i);
    }

    static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Resident set size of this process, from /proc/self/status (VmRSS). */
    static long rss() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("/proc/self/status"))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
