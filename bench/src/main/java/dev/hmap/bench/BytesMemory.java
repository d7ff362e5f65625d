// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Memory of bytes-to-bytes maps ({@link BytesPeers}: hmap {@code BytesBytesMap}, {@code HashMap<ByteBuffer,
 * byte[]>}, Chronicle Map {@code ChronicleMap<Bytes, Bytes>}). Not a JMH benchmark: one pass per peer, each
 * peer in a JVM of its own (name one peer and this JVM measures it; name several, or none for all, and each
 * runs in a child JVM with this JVM's flags, one after another).
 *
 * <p><b>Fill</b> (default): {@code -n} entries (default 10,000,000) of {@value BytesKeys#KEY_LEN}-byte keys
 * and {@value BytesKeys#VALUE_LEN}-byte values, no size hint (Chronicle Map: sized for {@code n}, constant
 * key and value sizes). The keys are made beforehand in one packed byte[], the values are slices of a
 * random byte pool, so neither is part of the measurement; each peer takes them the way its users would
 * (hmap the ranges as they are, HashMap a key array in a new {@code ByteBuffer} and a value array of its
 * own per entry, Chronicle Map reused {@code Bytes} it copies). Bytes per entry:
 * <ul>
 *   <li>hmap: {@code stats().offHeapBytes() / n} (buckets, overflow buckets, key and value bytes, slab
 *       slack); the heap's growth is shown beside it and should be ~0.</li>
 *   <li>hashmap: heap used after full GCs (repeated until heap use stops falling, as {@link StringMemory}
 *       does) minus the same before the fill, the map kept reachable, / n: table, nodes, ByteBuffers, key
 *       and value arrays.</li>
 *   <li>chronicle: {@code offHeapMemoryUsed() / n}, the memory Chronicle Map has allocated for its
 *       segment tiers, which it sizes from {@code entries} and the key and value sizes when it is built,
 *       touched or not; the growth of the process's resident set ({@code VmRSS}) is shown beside it.</li>
 * </ul>
 * A 10M fill of HashMap holds about 2.5 GB of heap (248 B/entry) and fits {@code -Xmx4g} (measured:
 * 2.65 GB used after full GC, 3.5 GB peak resident set); on a machine that cannot give it that, pass a
 * smaller {@code -n}.
 *
 * <p><b>Churn</b> ({@code --churn --keys K --ops N --max-len L}): K keys with values of random lengths in
 * [1, L], then N operations, each replacing a random key's value with one of a new random length in [1, L]
 * (fixed seeds). The footprint (as above: hmap {@code offHeapBytes}, HashMap heap after full GCs, Chronicle
 * Map {@code offHeapMemoryUsed}) is sampled {@code --samples} times (default 100, evenly spaced; HashMap's
 * samples each cost full GCs). Reported: after the fill, after warm-up (after the first 10% of the ops),
 * the peak from there on, the final, and peak / after-warm-up, next to the live bytes (the values' current
 * lengths summed, and the keys'), so the overhead is visible: a map that reuses freed value memory stays
 * near its warm-up footprint; one that fragments or leaks grows. hmap's {@code stats()} also frees
 * retired bucket arrays whose last cursor has ended; this tool opens no cursor, so there are none.
 * Chronicle Map is sized for K entries of average value length (1 + L) / 2; if it runs out of room, the
 * failure is reported as its result.
 *
 * <p>Run (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}), with
 * {@link Jvm#FLAGS} ({@code -Xmx12g} there; {@code -Xmx4g} is enough):
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xms2g -Xmx4g -XX:+UseParallelGC [Chronicle's add-opens] \
 *      -cp bench/target/benchmarks.jar dev.hmap.bench.BytesMemory [-n 10000000] [hmap|hashmap|chronicle ...]
 * java ... dev.hmap.bench.BytesMemory --churn --keys 100000 --ops 10000000 --max-len 1000 [--samples 100] [peers]
 * java ... dev.hmap.bench.BytesMemory --churn --keys 10000 --ops 1000000 --max-len 65536 [peers]
 * </pre>
 */
public final class BytesMemory {
    private BytesMemory() {}

    /** Starts each peer's machine-readable line. */
    static final String RESULT = "RESULT ";
    /** Random bytes the values are cut from, besides the longest value. */
    static final int POOL = 1 << 20;
    static final long CHURN_SEED = 0x5EED_0203L;

    public static void main(String[] args) throws Exception {
        int n = 10_000_000, keys = 100_000, maxLen = 1000, samples = 100;
        long ops = 10_000_000L;
        boolean churn = false;
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-n" -> n = Integer.parseInt(args[++i].replace("_", ""));
                case "--churn" -> churn = true;
                case "--keys" -> keys = Integer.parseInt(args[++i].replace("_", ""));
                case "--ops" -> ops = Long.parseLong(args[++i].replace("_", ""));
                case "--max-len" -> maxLen = Integer.parseInt(args[++i].replace("_", ""));
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                default -> {
                    if (!Arrays.asList(BytesPeers.NAMES).contains(args[i])) {
                        throw new IllegalArgumentException("unknown argument or peer " + args[i] + "; peers: "
                                + String.join(", ", BytesPeers.NAMES));
                    }
                    peers.add(args[i]);
                }
            }
        }
        if (n < 1 || keys < 1 || ops < 1 || maxLen < 1 || samples < 10) {
            throw new IllegalArgumentException("-n, --keys, --ops and --max-len must be positive, --samples at least 10");
        }
        if (peers.isEmpty()) peers = List.of(BytesPeers.NAMES);
        List<String> jvmFlags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        System.out.printf(Locale.ROOT, "BytesMemory: %s; java %s; JVM flags %s%n",
                churn ? String.format(Locale.ROOT, "churn of %,d keys, %,d ops, value lengths 1..%,d", keys, ops, maxLen)
                        : String.format(Locale.ROOT, "fill of %,d entries, %d-byte keys, %d-byte values", n,
                        BytesKeys.KEY_LEN, BytesKeys.VALUE_LEN),
                Runtime.version(), jvmFlags);
        if (peers.size() == 1) {
            if (churn) churn(peers.getFirst(), keys, ops, maxLen, samples);
            else fill(peers.getFirst(), n);
            return;
        }
        // Several peers: one child JVM each, this JVM's flags, this mode's arguments.
        List<String> results = new ArrayList<>();
        for (String p : peers) {
            List<String> a = new ArrayList<>(churn
                    ? List.of("--churn", "--keys", Integer.toString(keys), "--ops", Long.toString(ops),
                    "--max-len", Integer.toString(maxLen), "--samples", Integer.toString(samples))
                    : List.of("-n", Integer.toString(n)));
            a.add(p);
            System.out.println();
            try {
                results.add(GrowthLatency.childJvm(jvmFlags, BytesMemory.class, a, RESULT, System.out));
            } catch (IllegalStateException e) {
                results.add(RESULT + p + " failed: " + e.getMessage());
            }
        }
        System.out.println();
        System.out.println("Summary:");
        results.forEach(System.out::println);
    }

    /** Fills one peer with n entries and prints its bytes per entry. */
    static void fill(String peer, int n) throws IOException {
        int klen = BytesKeys.KEY_LEN, vlen = BytesKeys.VALUE_LEN;
        byte[] keys = BytesKeys.packed(n);
        byte[] pool = BytesKeys.random(BytesKeys.VALUE_SEED, POOL + vlen);
        var mem = ManagementFactory.getMemoryMXBean();
        GrowthLatency.fullGc();
        long heap0 = mem.getHeapMemoryUsage().getUsed(), rss0 = rss();
        long t0 = System.nanoTime();
        BytesPeer map = BytesPeers.create(peer, n, klen, vlen, true);
        for (int i = 0; i < n; i++) map.put(keys, i * klen, klen, pool, valueOffset(i), vlen);
        double fillSec = (System.nanoTime() - t0) / 1e9;
        GrowthLatency.fullGc();
        long heap1 = mem.getHeapMemoryUsage().getUsed(), rss1 = rss();
        long size = map.size(), offHeap = map.offHeapBytes();
        if (size != n) throw new IllegalStateException(peer + ": size " + size + " != " + n);
        // Spot check: every 1000th key holds its value.
        byte[] buf = new byte[vlen];
        for (int i = 0; i < n; i += 1000) {
            int len = map.get(Arrays.copyOfRange(keys, i * klen, i * klen + klen), buf);
            if (len != vlen || !Arrays.equals(buf, 0, vlen, pool, valueOffset(i), valueOffset(i) + vlen)) {
                throw new IllegalStateException(peer + ": key " + i + " has a wrong value (length " + len + ")");
            }
        }
        Reference.reachabilityFence(map);
        long heapDelta = heap1 - heap0, rssDelta = rss1 - rss0;
        long footprint = offHeap >= 0 ? offHeap : heapDelta;
        String measure = switch (peer) {
            case "hmap" -> "stats().offHeapBytes()";
            case "chronicle" -> "offHeapMemoryUsed() (allocated, touched or not)";
            default -> "heap used after full GC - before the fill";
        };
        System.out.printf(Locale.ROOT, "%s: fill %.1f s; heap used %,d -> %,d after full GC (%+,d = %.1f B/entry); "
                        + "resident set %+,d (%.1f B/entry); off-heap %s%n",
                peer, fillSec, heap0, heap1, heapDelta, heapDelta / (double) n, rssDelta, rssDelta / (double) n,
                offHeap >= 0 ? String.format(Locale.ROOT, "%,d (%.1f B/entry)", offHeap, offHeap / (double) n) : "-");
        System.out.printf(Locale.ROOT, "%s: %.1f bytes per entry (%s); the entry's own bytes: %d%n",
                peer, footprint / (double) n, measure, klen + vlen);
        System.out.printf(Locale.ROOT, "%s%s fill n=%d footprint=%d bytesPerEntry=%.2f heapDelta=%d rssDelta=%d measure=%s%n",
                RESULT, peer, n, footprint, footprint / (double) n, heapDelta, rssDelta, measure.split(" ")[0]);
        map.close();
    }

    /** Where entry i's value starts in the pool (a fixed scramble of i). */
    static int valueOffset(int i) {
        return (int) ((i * 0x9E3779B97F4A7C15L) >>> 44); // 20 bits: [0, POOL)
    }

    /**
     * Fills one peer with {@code k} keys of random value lengths in [1, maxLen], then replaces a random key's
     * value {@code ops} times, sampling the footprint {@code samples} times, and prints the footprint after
     * the fill, after warm-up (10% of ops), its peak from there on, the final, and the live bytes.
     */
    static void churn(String peer, int k, long ops, int maxLen, int samples) throws IOException {
        int klen = BytesKeys.KEY_LEN;
        byte[] keys = BytesKeys.packed(k);
        byte[] pool = BytesKeys.random(BytesKeys.VALUE_SEED, POOL + maxLen);
        int[] lens = new int[k];
        SplittableRandom rnd = new SplittableRandom(CHURN_SEED);
        var mem = ManagementFactory.getMemoryMXBean();
        GrowthLatency.fullGc();
        long heap0 = mem.getHeapMemoryUsage().getUsed();
        long rss0 = rss();
        BytesPeer map = BytesPeers.create(peer, k, klen, (1 + maxLen) / 2.0, false);
        String measure = switch (peer) {
            case "hmap" -> "stats().offHeapBytes()";
            case "chronicle" -> "offHeapMemoryUsed()";
            default -> "heap after full GC - before";
        };
        long live = 0, keyBytes = (long) k * klen;
        for (int i = 0; i < k; i++) {
            int len = 1 + rnd.nextInt(maxLen);
            map.put(keys, i * klen, klen, pool, rnd.nextInt(POOL), len);
            lens[i] = len;
            live += len;
        }
        if (map.size() != k) throw new IllegalStateException(peer + ": size " + map.size() + " != " + k);
        long filled = footprint(map, heap0);
        System.out.printf(Locale.ROOT, "%s churn: footprint = %s; live bytes = value bytes + %,d key bytes%n", peer, measure, keyBytes);
        System.out.printf(Locale.ROOT, "  %-22s footprint %,15d  live values %,15d  footprint/(values+keys) %.3f  (resident set %+,d)%n",
                "after fill:", filled, live, filled / (double) (live + keyBytes), rss() - rss0);
        long step = Math.max(1, ops / samples);
        long warmAt = Math.max(1, ops / 10), print = Math.max(1, ops / 10);
        long warm = -1, peak = -1, last = filled, done = 0;
        String failure = null;
        long t0 = System.nanoTime(), alloc0 = allocatedBytes(), sampling = 0, samplingAlloc = 0;
        try {
            for (long s = 1; s <= ops; s++) {
                int r = rnd.nextInt(k);
                int len = 1 + rnd.nextInt(maxLen);
                map.put(keys, r * klen, klen, pool, rnd.nextInt(POOL), len);
                live += len - lens[r];
                lens[r] = len;
                done = s;
                boolean atWarm = s == warmAt, atPrint = s % print == 0 || s == ops;
                if (s % step == 0 || atWarm || atPrint) {
                    long ts = System.nanoTime(), as = allocatedBytes();
                    last = footprint(map, heap0);
                    if (atWarm) warm = last;
                    if (s >= warmAt) peak = Math.max(peak, last);
                    if (atPrint || atWarm) {
                        System.out.printf(Locale.ROOT, "  %-22s footprint %,15d  live values %,15d  footprint/(values+keys) %.3f  (resident set %+,d)%n",
                                String.format(Locale.ROOT, "after %,d ops:", s), last, live,
                                last / (double) (live + keyBytes), rss() - rss0);
                    }
                    sampling += System.nanoTime() - ts;
                    samplingAlloc += allocatedBytes() - as;
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            System.out.printf(Locale.ROOT, "  FAILED after %,d ops: %s%n", done, failure);
        }
        // Per op, without the sampling (HashMap's full GCs, the printing).
        double ns = (System.nanoTime() - t0 - sampling) / (double) Math.max(1, done);
        double allocPerOp = (allocatedBytes() - alloc0 - samplingAlloc) / (double) Math.max(1, done);
        if (failure == null) {
            if (map.size() != k) throw new IllegalStateException(peer + ": size " + map.size() + " != " + k);
            // Spot check: the values' lengths are what was put last.
            byte[] buf = new byte[maxLen];
            for (int i = 0; i < k; i += Math.max(1, k / 1000)) {
                int len = map.get(Arrays.copyOfRange(keys, i * klen, i * klen + klen), buf);
                if (len != lens[i]) throw new IllegalStateException(peer + ": key " + i + " has length " + len + ", not " + lens[i]);
            }
            System.out.printf(Locale.ROOT, "%s churn summary: after warm-up %,d, peak %,d, final %,d; peak/after-warm-up %.3f; "
                            + "final live values %,d + keys %,d; final/live %.3f; %.0f ns/op, heap allocated %.1f B/op%s%n",
                    peer, warm, peak, last, peak / (double) warm, live, keyBytes, last / (double) (live + keyBytes), ns, allocPerOp,
                    peer.equals("hashmap") ? " (the new value array: what a HashMap user allocates)" : "");
            System.out.printf(Locale.ROOT, "%s%s churn keys=%d ops=%d maxLen=%d warm=%d peak=%d final=%d ratio=%.3f liveValues=%d liveKeys=%d measure=%s%n",
                    RESULT, peer, k, ops, maxLen, warm, peak, last, peak / (double) warm, live, keyBytes, measure.split(" ")[0]);
        } else {
            System.out.printf(Locale.ROOT, "%s%s churn keys=%d ops=%d maxLen=%d failed after %d ops: %s%n",
                    RESULT, peer, k, ops, maxLen, done, failure);
        }
        Reference.reachabilityFence(keys);
        map.close();
    }

    /** The peer's footprint: its off-heap bytes, or for a heap map the heap used after full GCs minus {@code heap0}. */
    private static long footprint(BytesPeer map, long heap0) {
        long off = map.offHeapBytes();
        if (off >= 0) return off;
        GrowthLatency.fullGc();
        Reference.reachabilityFence(map);
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() - heap0;
    }

    /** Heap bytes this thread has allocated so far (HotSpot's per-thread counter). */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** The process's resident set ({@code VmRSS}), in bytes. */
    static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
