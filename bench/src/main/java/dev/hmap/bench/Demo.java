// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.LongLongMap;
import dev.hmap.MapStats;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.HashMap;
import java.util.Locale;

/**
 * The demo (run by {@code bench/run-demo}): fills an hmap {@link LongLongMap} and a
 * {@code java.util.HashMap<Long, Long>} with the same 10,000,000 random entries and prints, for each, the
 * put cost (ns per put, growth from empty included, no size hint), the get cost (ns per get, keys in random
 * order), the heap in use after a full GC with the map alive, and the map's off-heap bytes.
 *
 * <p>It is a quick, single-shot illustration that takes well under a minute, not a benchmark: each number
 * is one timed pass after a short warm-up on 500,000-entry maps. For careful numbers use the JMH
 * benchmarks ({@code GetHitBench}, {@code PutBench}, ...) and {@code GrowthLatency}.
 *
 * <pre>
 * bench/run-demo            # or:
 * java --enable-native-access=ALL-UNNAMED -Xmx12g -cp bench/target/benchmarks.jar dev.hmap.bench.Demo [entries]
 * </pre>
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 10_000_000;
        long started = System.nanoTime();
        System.out.printf(Locale.ROOT, "hmap demo: %,d random long keys -> long values, java %s, max heap %,d MB%n",
                n, Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
        long[] keys = Keys.distinct(Keys.SEED, n);
        long[] probe = Keys.shuffled(keys, Keys.SHUFFLE_SEED);

        // Warm-up: the same methods on smaller maps, so the timed passes run compiled code.
        int w = Math.min(n, 500_000);
        long[] wk = java.util.Arrays.copyOf(keys, w);
        for (int i = 0; i < 3; i++) {
            try (LongLongMap m = fillHmap(wk)) {
                getHmap(m, wk);
            }
            getHashMap(fillHashMap(wk), wk);
        }

        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        GrowthLatency.fullGc();
        long heapBase = mx.getHeapMemoryUsage().getUsed();

        // hmap
        long t0 = System.nanoTime();
        LongLongMap hm = fillHmap(keys);
        long t1 = System.nanoTime();
        long hmapSum = getHmap(hm, probe);
        long t2 = System.nanoTime();
        GrowthLatency.fullGc();
        long hmapHeap = mx.getHeapMemoryUsage().getUsed();
        MapStats st = hm.stats();
        Row hmapRow = new Row("hmap LongLongMap", (t1 - t0) / (double) n, (t2 - t1) / (double) n, hmapHeap,
                hmapHeap - heapBase, st.offHeapBytes(), hm.size());
        hm.close();

        // HashMap<Long, Long>
        GrowthLatency.fullGc();
        long heapBase2 = mx.getHeapMemoryUsage().getUsed();
        t0 = System.nanoTime();
        HashMap<Long, Long> jm = fillHashMap(keys);
        t1 = System.nanoTime();
        long jdkSum = getHashMap(jm, probe);
        t2 = System.nanoTime();
        GrowthLatency.fullGc();
        long jdkHeap = mx.getHeapMemoryUsage().getUsed();
        Row jdkRow = new Row("HashMap<Long,Long>", (t1 - t0) / (double) n, (t2 - t1) / (double) n, jdkHeap,
                jdkHeap - heapBase2, 0, jm.size());
        Reference.reachabilityFence(jm);

        if (hmapSum != jdkSum) throw new AssertionError("the maps disagree: " + hmapSum + " != " + jdkSum);

        System.out.println();
        System.out.printf(Locale.ROOT, "%-20s %10s %10s %16s %16s %16s %10s%n", "map", "put ns/op", "get ns/op",
                "heap used (GC'd)", "heap for the map", "off-heap bytes", "B/entry");
        hmapRow.print();
        jdkRow.print();
        System.out.println();
        System.out.printf(Locale.ROOT, "hmap layout: B=%d (%,d buckets of %d bytes), %d overflow buckets counted, "
                + "load %.2f entries/bucket%n", st.B(), st.buckets(), st.bucketSize(), st.noverflow(),
                st.count() / (double) st.buckets());
        System.out.println("put: one pass from an empty map without a hint (growth included); get: every key once, "
                + "in random order; both maps returned the same values.");
        System.out.println("heap used (GC'd): MemoryMXBean heap use after full GCs, with the map alive (it includes "
                + "the demo's own key arrays, " + ((2L * n * 8) >> 20) + " MB); heap for the map: the increase over "
                + "the heap use before that map was built.");
        System.out.printf(Locale.ROOT, "done in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private record Row(String name, double putNs, double getNs, long heapUsed, long heapForMap, long offHeap,
                       long size) {
        void print() {
            System.out.printf(Locale.ROOT, "%-20s %10.1f %10.1f %13.1f MB %13.1f MB %13.1f MB %10.1f%n", name,
                    putNs, getNs, heapUsed / 1048576.0, Math.max(0, heapForMap) / 1048576.0, offHeap / 1048576.0,
                    (Math.max(0, heapForMap) + offHeap) / (double) size);
        }
    }

    static LongLongMap fillHmap(long[] keys) {
        LongLongMap m = LongLongMap.create();
        for (int i = 0; i < keys.length; i++) m.put(keys[i], i);
        return m;
    }

    static long getHmap(LongLongMap m, long[] probe) {
        long sum = 0;
        for (long k : probe) sum += m.get(k);
        return sum;
    }

    static HashMap<Long, Long> fillHashMap(long[] keys) {
        HashMap<Long, Long> m = new HashMap<>();
        for (int i = 0; i < keys.length; i++) m.put(keys[i], (long) i);
        return m;
    }

    static long getHashMap(HashMap<Long, Long> m, long[] probe) {
        long sum = 0;
        for (long k : probe) sum += m.get(k);
        return sum;
    }
}
