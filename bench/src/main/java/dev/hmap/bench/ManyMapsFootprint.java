// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.LongLongMap;
import dev.hmap.OffHeapMap;
import dev.hmap.StringLongMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2LongOpenHashMap;
import org.agrona.collections.Long2LongHashMap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a process pays per map when it holds very many small ones: N maps (default 1,000,000), with
 * {@code -entries} entries each (default 1; 0 for empty maps), all alive at once, for hmap ({@code LongLongMap}, and {@code StringLongMap} with an 8-byte key) and
 * the heap peers (HashMap, fastutil, Agrona; fastutil and HashMap also with the same String keys).
 *
 * <p>Each implementation runs in a fresh child JVM with a fixed, pre-touched heap ({@code -Xms = -Xmx},
 * {@code -XX:+AlwaysPreTouch}), so the heap's pages are resident before the maps are made and the
 * growth of the resident set ({@code VmRSS}) is memory outside the Java heap: hmap's regions and
 * whatever the JVM needs natively for them. The Java heap's share is the used heap's growth after a full
 * GC. Printed per map: hmap's {@code offHeapBytes}, the resident growth, the heap growth, their sum (the
 * process's whole cost per map), the number of memory mappings added, and the time to make one map and
 * put its entry while all the others stay alive (after a warm-up of as many maps made and dropped).
 *
 * <p>Run (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.hmap.bench.ManyMapsFootprint [-n 1000000] [-entries 1] [impl ...]
 * </pre>
 * impl: hmap-long, hmap-string, HashMap-long, HashMap-string, fastutil-long, fastutil-string, agrona-long.
 */
public final class ManyMapsFootprint {
    private ManyMapsFootprint() {}

    static final String PREFIX = "FOOTPRINT ";
    static final List<String> ALL = List.of("hmap-long", "HashMap-long", "fastutil-long", "agrona-long",
            "hmap-string", "HashMap-string", "fastutil-string");

    public static void main(String[] args) throws Exception {
        int n = 1_000_000, entries = 1;
        List<String> impls = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-n")) {
                n = Integer.parseInt(args[++i]);
            } else if (args[i].equals("-entries")) {
                entries = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--child")) {
                child(args[i + 1], Integer.parseInt(args[i + 2]), Integer.parseInt(args[i + 3]));
                return;
            } else {
                impls.add(args[i]);
            }
        }
        if (impls.isEmpty()) impls.addAll(ALL);
        // A heap that holds the largest peer's maps with room to spare: about 1 KiB per map and 100 bytes
        // per entry.
        String heap = "-Xmx" + Math.max(512, (long) n * (1000 + 100L * entries) / 1_000_000 * 2) + "m";
        List<String> flags = List.of(heap, heap.replace("-Xmx", "-Xms"), "-XX:+AlwaysPreTouch", Jvm.GC, Jvm.NATIVE);
        List<String> rows = new ArrayList<>();
        for (String impl : impls) {
            rows.add(GrowthLatency.childJvm(flags, ManyMapsFootprint.class, List.of("--child", impl, Integer.toString(n), Integer.toString(entries)),
                    PREFIX, System.out));
        }
        System.out.printf(Locale.ROOT, "%n%d live maps, %d entries each (put one by one); bytes per map%n", n, entries);
        System.out.printf(Locale.ROOT, "%-16s %12s %12s %12s %12s %10s %12s%n", "impl", "offHeapBytes", "resident",
                "heap", "total", "mappings", "ns/create");
        for (String r : rows) {
            String[] f = r.substring(PREFIX.length()).split(" ");
            System.out.printf(Locale.ROOT, "%-16s %12s %12s %12s %12s %10s %12s%n", (Object[]) f);
        }
    }

    static void child(String impl, int n, int entries) throws IOException {
        Object[] maps = new Object[n];
        String[] keys = new String[Math.max(n, entries)];
        for (int i = 0; i < keys.length; i++) keys[i] = String.format("%08x", i); // made before the baseline: not counted
        // Warm-up, so the timing is of compiled code: as many maps made and dropped (closed) in rounds.
        Object[] warm = new Object[Math.min(n, 100_000)];
        for (int round = 0; round < Math.max(2, n / warm.length); round++) {
            for (int i = 0; i < warm.length; i++) warm[i] = make(impl, keys, i, entries);
            for (Object m : warm) if (m instanceof OffHeapMap o) o.close();
        }
        warm = null;
        GrowthLatency.fullGc();
        long rss0 = rss(), heap0 = usedHeap(), mappings0 = mappings(), t0 = System.nanoTime();
        for (int i = 0; i < n; i++) maps[i] = make(impl, keys, i, entries);
        double nsPerMap = (double) (System.nanoTime() - t0) / n;
        long offHeap = 0;
        for (Object m : maps) if (m instanceof OffHeapMap o) offHeap += o.stats().offHeapBytes();
        GrowthLatency.fullGc();
        long rss = rss() - rss0, heap = usedHeap() - heap0, mappings = mappings() - mappings0;
        System.out.printf(Locale.ROOT, "%s%s %.1f %.1f %.1f %.1f %d %.0f%n", PREFIX, impl, (double) offHeap / n,
                (double) rss / n, (double) heap / n, (double) (rss + heap) / n, mappings, nsPerMap);
        for (Object m : maps) if (m instanceof OffHeapMap o) o.close();
    }

    /**
     * Map number i with {@code entries} entries: long keys i*entries + j (distinct across maps, scattered
     * by each map's hash), String keys keys[(i + j) mod length] (8 bytes each, made beforehand).
     */
    private static Object make(String impl, String[] keys, int i, int entries) {
        switch (impl) {
            case "hmap-long" -> {
                LongLongMap m = LongLongMap.create();
                for (long j = 0, k = (long) i * entries; j < entries; j++) m.put(k + j, j);
                return m;
            }
            case "hmap-string" -> {
                StringLongMap m = StringLongMap.create();
                for (int j = 0; j < entries; j++) m.put(keys[(i + j) % keys.length], j);
                return m;
            }
            case "HashMap-long" -> {
                java.util.HashMap<Long, Long> m = new java.util.HashMap<>();
                for (long j = 0, k = (long) i * entries; j < entries; j++) m.put(k + j, j);
                return m;
            }
            case "HashMap-string" -> {
                java.util.HashMap<String, Long> m = new java.util.HashMap<>();
                for (int j = 0; j < entries; j++) m.put(keys[(i + j) % keys.length], (long) j);
                return m;
            }
            case "fastutil-long" -> {
                Long2LongOpenHashMap m = new Long2LongOpenHashMap();
                for (long j = 0, k = (long) i * entries; j < entries; j++) m.put(k + j, j);
                return m;
            }
            case "fastutil-string" -> {
                Object2LongOpenHashMap<String> m = new Object2LongOpenHashMap<>();
                for (int j = 0; j < entries; j++) m.put(keys[(i + j) % keys.length], j);
                return m;
            }
            case "agrona-long" -> {
                Long2LongHashMap m = new Long2LongHashMap(-1L);
                for (long j = 0, k = (long) i * entries; j < entries; j++) m.put(k + j, j);
                return m;
            }
            default -> throw new IllegalArgumentException("unknown impl " + impl + "; one of " + ALL);
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private static long mappings() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"), StandardCharsets.US_ASCII)) {
            return lines.count();
        }
    }
}
