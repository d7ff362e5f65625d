// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.MapStats;
import dev.hmap.StringLongMap;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Memory of String-keyed maps: bytes per entry at 10,000,000 keys of exactly 16 ASCII chars, and whether
 * hmap's memory stays flat under a steady-size remove/insert churn. Not a JMH benchmark: one JVM, one pass.
 *
 * <p><b>Bytes per entry</b>, per peer ({@link StringPeers}: hmap {@code StringLongMap}, {@code HashMap<String,
 * Long>}, fastutil {@code Object2LongOpenHashMap<String>}, Agrona {@code Object2LongHashMap<String>}, Eclipse
 * Collections {@code ObjectLongHashMap<String>}), one
 * after another in this JVM:
 * <ol>
 *   <li>The keys' bytes are made beforehand in one packed byte[] ({@link StringKeys}, ids 0..n-1, length
 *       16), so no key String exists before the measurement.</li>
 *   <li>Full GC (repeated until heap use stops falling), heap used is read (MemoryMXBean).</li>
 *   <li>The map is filled, no size hint: {@code put(new String(bytes, off, 16, ISO_8859_1), i)}. For the
 *       heap maps the String objects (24 B header + 32 B byte[]) and the boxed Long values are part of the
 *       map's cost, as they are in any program that holds such a map.</li>
 *   <li>Full GC again, heap used again, the map kept reachable ({@link Reference#reachabilityFence}).</li>
 * </ol>
 * hmap: {@code stats().offHeapBytes() / size} (buckets, overflow buckets and key bytes; the heap delta is
 * shown too and should be ~0 B/entry). Heap maps: heap delta / size. Pitfalls avoided: garbage from the
 * fill is collected before reading (full GCs until stable); the key source is allocated before the
 * baseline; each peer's map is dropped (hmap: closed) and collected before the next.
 *
 * <p><b>Churn</b> (hmap only): a map of 1,000,000 keys (8 to 24 chars, so several key size classes), then
 * 10,000,000 steps of "remove a random present key, insert a never-seen key" (fixed seed), so the size
 * stays 1M. {@code offHeapBytes} is printed before, every tenth of the way, and after, split into the
 * bucket array, the overflow buckets (estimated from Go's {@code noverflow}, which above B = 15 counts
 * one in 2^(B-15)) and the rest (key bytes and slab slack). The key bytes must stay flat: removed keys'
 * bytes are reused. Overflow buckets do not: as in Go 1.19, a bucket whose chain once filled keeps its
 * overflow bucket after deletes, so under churn they accumulate until a same-size grow (noverflow
 * &gt;= 2^min(B, 15)) squeezes them out (golang/go#16070); run with a larger {@code --churn-steps} to see
 * it. A growth still in progress at the end of the fill is finished by the first churn writes.
 *
 * <p>Run (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xms2g -Xmx12g -XX:+UseParallelGC \
 *      -cp bench/target/benchmarks.jar dev.hmap.bench.StringMemory \
 *      [-n 10000000] [--churn-keys 1000000] [--churn-steps 10000000] [--churn-len 0] [--no-churn] [hmap|HashMap|fastutil|agrona|eclipse ...]
 * </pre>
 * {@code --churn-len 0} (default) gives variable-length churn keys; a number fixes their length.
 */
public final class StringMemory {
    private StringMemory() {}

    static final int KEY_LEN = 16;
    /** Starts the machine-readable line of each peer: peer, keys, key length, off-heap and heap bytes/entry. */
    static final String RESULT = "RESULT ";

    public static void main(String[] args) {
        int n = 10_000_000, churnKeys = 1_000_000, churnLen = 0;
        long churnSteps = 10_000_000L;
        boolean churn = true;
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-n" -> n = Integer.parseInt(args[++i].replace("_", ""));
                case "--churn-keys" -> churnKeys = Integer.parseInt(args[++i].replace("_", ""));
                case "--churn-steps" -> churnSteps = Long.parseLong(args[++i].replace("_", ""));
                case "--churn-len" -> churnLen = Integer.parseInt(args[++i]);
                case "--no-churn" -> churn = false;
                default -> {
                    if (!Arrays.asList(StringPeers.NAMES).contains(args[i])) {
                        throw new IllegalArgumentException("unknown peer " + args[i] + "; peers: "
                                + String.join(", ", StringPeers.NAMES));
                    }
                    peers.add(args[i]);
                }
            }
        }
        if (peers.isEmpty()) peers = List.of(StringPeers.NAMES);
        System.out.printf(Locale.ROOT, "StringMemory: %,d keys of %d ASCII chars; java %s; JVM flags %s%n", n, KEY_LEN,
                Runtime.version(), ManagementFactory.getRuntimeMXBean().getInputArguments());

        StringKeys.Packed keys = StringKeys.pack(StringKeys.range(0, n), KEY_LEN);
        List<String> rows = new ArrayList<>();
        for (String p : peers) {
            rows.add(measure(p, keys, n));
            GrowthLatency.fullGc();
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "Summary: bytes per entry at %,d String keys of %d ASCII chars -> long, no size hint%n",
                n, KEY_LEN);
        System.out.printf(Locale.ROOT, "%-9s %14s %14s %12s%n", "peer", "off-heap B/e", "heap B/e", "total B/e");
        rows.forEach(System.out::println);
        Reference.reachabilityFence(keys);

        if (churn) churn(churnKeys, churnSteps, churnLen);
    }

    /**
     * Measures one peer in a new JVM with {@code jvmFlags} ({@code -n n --no-churn peer}), echoing its
     * output; returns its {@value #RESULT}line: peer, keys, key length, off-heap and heap bytes per entry.
     */
    public static String runChild(List<String> jvmFlags, String peer, int n, java.io.PrintStream echo) throws Exception {
        return GrowthLatency.childJvm(jvmFlags, StringMemory.class, List.of("-n", Integer.toString(n), "--no-churn", peer),
                RESULT, echo);
    }

    /** Fills one peer's map with all keys and returns its summary row. */
    static String measure(String peer, StringKeys.Packed keys, int n) {
        byte[] b = keys.bytes();
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        GrowthLatency.fullGc();
        long heap0 = mem.getHeapMemoryUsage().getUsed();
        long t0 = System.nanoTime();
        StringPeer map = StringPeers.create(peer);
        for (int i = 0; i < n; i++) map.put(new String(b, i * KEY_LEN, KEY_LEN, StandardCharsets.ISO_8859_1), i);
        double fillSec = (System.nanoTime() - t0) / 1e9;
        GrowthLatency.fullGc();
        long heap1 = mem.getHeapMemoryUsage().getUsed();
        long size = map.size(), offHeap = Math.max(0, map.offHeapBytes());
        String extra = map instanceof StringPeers.Hmap h ? " " + split(h.m.stats()) + "; " + h.m.stats() : "";
        // Spot check: every 1000th key is there with its value.
        for (int i = 0; i < n; i += 1000) {
            if (map.get(b, i * KEY_LEN, KEY_LEN) != i) throw new IllegalStateException(peer + ": key " + i + " lost");
        }
        if (size != n) throw new IllegalStateException(peer + ": size " + size + " != " + n);
        Reference.reachabilityFence(map);
        long heapDelta = heap1 - heap0;
        System.out.printf(Locale.ROOT, "%s: fill %.1f s; heap used %,d -> %,d bytes after full GC (%+,d); off-heap %,d bytes%s%n",
                peer, fillSec, heap0, heap1, heapDelta, offHeap, extra);
        map.close();
        double heapPerEntry = heapDelta / (double) size, offPerEntry = offHeap / (double) size;
        System.out.printf(Locale.ROOT, "%s%s %d %d %.2f %.2f%n", RESULT, peer, n, KEY_LEN, offPerEntry, heapPerEntry);
        return String.format(Locale.ROOT, "%-9s %14.1f %14.1f %12.1f", peer, offPerEntry, heapPerEntry,
                offPerEntry + heapPerEntry);
    }

    /** Steady-size churn on an hmap map: offHeapBytes must not grow. */
    static void churn(int k, long steps, int fixedLen) {
        System.out.println();
        System.out.printf(Locale.ROOT, "Churn (hmap): %,d keys (%s chars), then %,d steps of remove-random-present + insert-new%n",
                k, fixedLen == 0 ? StringKeys.MIN_LEN + ".." + StringKeys.MAX_LEN : Integer.toString(fixedLen), steps);
        if (k + steps > StringKeys.MAX_KEYS) throw new IllegalArgumentException("at most " + StringKeys.MAX_KEYS + " key ids");
        int[] live = StringKeys.range(0, k);
        SplittableRandom rnd = new SplittableRandom(0x5EED_0103L);
        try (StringLongMap m = StringLongMap.create()) {
            for (int id : live) m.put(StringKeys.string(id, StringKeys.length(id, fixedLen)), id);
            long before = m.stats().offHeapBytes();
            System.out.printf(Locale.ROOT, "  after fill:           offHeapBytes %,d (%.1f B/entry) %s%n", before,
                    before / (double) m.size(), split(m.stats()));
            long next = k;
            long checkpoint = Math.max(1, steps / 10), first = -1, min = Long.MAX_VALUE, max = 0;
            long t0 = System.nanoTime();
            for (long s = 1; s <= steps; s++) {
                int r = rnd.nextInt(k);
                int old = live[r];
                long v = m.remove(StringKeys.string(old, StringKeys.length(old, fixedLen)));
                if (v != old) throw new IllegalStateException("remove of key " + old + " returned " + v);
                int id = (int) next++;
                m.put(StringKeys.string(id, StringKeys.length(id, fixedLen)), id);
                live[r] = id;
                if (s % checkpoint == 0) {
                    MapStats st = m.stats();
                    long off = st.offHeapBytes();
                    if (first < 0) first = off;
                    min = Math.min(min, off);
                    max = Math.max(max, off);
                    System.out.printf(Locale.ROOT, "  after %,11d steps: offHeapBytes %,d (%.1f B/entry) %s%n",
                            s, off, off / (double) m.size(), split(st));
                }
            }
            double ns = (System.nanoTime() - t0) / (double) steps;
            if (m.size() != k) throw new IllegalStateException("churn: size " + m.size() + " != " + k);
            long after = m.stats().offHeapBytes();
            System.out.printf(Locale.ROOT, "  churn: offHeapBytes before %,d, after %,d (%+,d, %+.2f%%); "
                            + "checkpoints min %,d max %,d (spread %+.2f%% of the first, %,d); %.0f ns/step incl. 2 key Strings%n",
                    before, after, after - before, 100.0 * (after - before) / before, min, max,
                    100.0 * (max - min) / first, first, ns);
        }
    }

    /**
     * offHeapBytes split into the bucket array (Go's makeBucketArray: 2^B plus 2^(B-4) preallocated
     * overflow buckets), overflow buckets beyond those (estimated: noverflow counts every one below B = 16,
     * one in 2^(B-15) above, and includes the preallocated ones used) and the rest: key bytes, slabs' slack,
     * and, once the count passes 7/8 of the growth threshold, the next array hmap prepares ahead of a growth.
     */
    static String split(MapStats st) {
        long bs = st.bucketSize();
        long array = st.buckets() == 0 ? 0 : (st.buckets() + (st.B() >= 4 ? st.buckets() >> 4 : 0)) * bs;
        long prealloc = st.B() >= 4 ? st.buckets() >> 4 : 0;
        long ovf = (long) st.noverflow() << Math.max(0, st.B() - 15);
        long slabBuckets = Math.max(0, ovf - prealloc);
        long rest = st.offHeapBytes() - array - slabBuckets * bs;
        return String.format(Locale.ROOT, "= array %,d + ~%,d overflow buckets beyond the preallocated (%,d) + rest %,d"
                        + " [B=%d noverflow=%d growing=%b sameSizeGrow=%b]", array, slabBuckets, slabBuckets * bs, rest,
                st.B(), st.noverflow(), st.growing(), st.sameSizeGrow());
    }
}
