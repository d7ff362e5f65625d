// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.LongLongMap;
import dev.hmap.MapStats;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * The cost of a small map's moves while it grows: a pooled {@link LongLongMap} copies itself into a larger
 * region (at most 64 KiB) when its region is full, packs itself into a smaller one when a growth ends, and
 * past 64 KiB moves into a reservation of its own (an {@code mmap} and a copy of at most 64 KiB). Each of
 * these happens inside one put; this tool times every put of many maps grown from empty to {@code -n}
 * entries (default 20,000, past the pool), and reports the puts that moved the map apart from the rest.
 * fastutil's {@code Long2LongOpenHashMap}, which rehashes all at once, is timed the same way beside it.
 *
 * <p>Method: {@code -maps} maps (default 2,000) per implementation after as many for warm-up; keys 0..n-1
 * (the map's hash scatters them); {@code t = nanoTime(); put; d = nanoTime() - t}, recorded in an
 * HdrHistogram allocated beforehand. Each put is classed by the map's {@code stats()} before and after it,
 * read outside the timing: a growth start whose new and old arrays together exceed 64 KiB (the put that
 * moves the map out of the pool), another growth start while pooled, another pooled put that changed
 * {@code offHeapBytes} (a move into a larger region, or a step of preparing the reservation), and the rest.
 *
 * <p>Run (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xms2g -Xmx12g -XX:+UseParallelGC \
 *      -cp bench/target/benchmarks.jar dev.hmap.bench.PromotionLatency [-n 20000] [-maps 2000]
 * </pre>
 */
public final class PromotionLatency {
    private PromotionLatency() {}

    static final long MAX_REGION = 64 << 10;

    public static void main(String[] args) {
        int n = 20_000, maps = 2_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-n" -> n = Integer.parseInt(args[++i]);
                case "-maps" -> maps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: PromotionLatency [-n N] [-maps M]");
            }
        }
        Histogram promotion = new Histogram(3_600_000_000L, 3), poolGrowth = new Histogram(3_600_000_000L, 3),
                poolMove = new Histogram(3_600_000_000L, 3), other = new Histogram(3_600_000_000L, 3),
                fastutil = new Histogram(3_600_000_000L, 3);
        for (int round = 0; round < 2; round++) { // round 0 warms up
            boolean record = round == 1;
            for (int j = 0; j < maps; j++) {
                try (LongLongMap m = LongLongMap.create()) {
                    MapStats before = m.stats();
                    boolean pooled = true;
                    for (int k = 0; k < n; k++) {
                        long t = System.nanoTime();
                        m.put(k, k);
                        long d = System.nanoTime() - t;
                        if (!record) continue;
                        MapStats after = m.stats();
                        if (after.B() > before.B() && pooled) {
                            // A growth starts: its new array beside the old one leaves the pool when they
                            // cannot share a region.
                            long arrays = (after.buckets() + after.oldBuckets()) * after.bucketSize();
                            if (arrays > MAX_REGION) {
                                promotion.recordValue(d);
                                pooled = false;
                            } else {
                                poolGrowth.recordValue(d);
                            }
                        } else if (pooled && after.offHeapBytes() != before.offHeapBytes()) {
                            poolMove.recordValue(d); // into another region, or a step of preparing the reservation
                        } else {
                            other.recordValue(d);
                        }
                        before = after;
                    }
                }
            }
            for (int j = 0; j < maps; j++) {
                Long2LongOpenHashMap m = new Long2LongOpenHashMap();
                for (int k = 0; k < n; k++) {
                    long t = System.nanoTime();
                    m.put(k, k);
                    long d = System.nanoTime() - t;
                    if (record) fastutil.recordValue(d);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d maps grown to %d entries, ns per put%n", maps, n);
        System.out.printf(Locale.ROOT, "%-40s %10s %8s %8s %8s %8s %10s%n", "puts", "count", "p50", "p99", "p99.9", "max",
                "> 100 us");
        print("hmap: growth start, out of the pool", promotion);
        print("hmap: growth start, in the pool", poolGrowth);
        print("hmap: other pooled memory change", poolMove);
        print("hmap: every other put", other);
        print("fastutil: every put", fastutil);
    }

    private static void print(String what, Histogram h) {
        long over = h.getMaxValue() > 100_000 ? h.getCountBetweenValues(100_001, h.getMaxValue()) : 0;
        System.out.printf(Locale.ROOT, "%-40s %10d %8d %8d %8d %8d %10d%n", what, h.getTotalCount(),
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), over);
    }
}
