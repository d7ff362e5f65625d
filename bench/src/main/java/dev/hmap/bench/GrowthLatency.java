// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.LongLongMap;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Latency of every single put while a map grows from empty to 10,000,000 entries without a size hint, for
 * hmap's {@link LongLongMap} and the long-keyed peers of {@link Peers} (HashMap, fastutil, Agrona, Eclipse
 * Collections). Chronicle Map cannot grow: it is filled presized ({@code entries(N)}, marked {@code *}),
 * which gives its bytes per entry and a presized-put tail for comparison, not a growth tail.
 *
 * <p>Why: a throughput benchmark averages growth away. A map that doubles by rehashing everything at once
 * (HashMap, fastutil) makes one put wait for the whole rehash; Go's layout, which hmap keeps, evacuates
 * two old buckets per write, so no single put should pay for the whole move. This tool shows the tail.
 *
 * <p>Method, per peer:
 * <ol>
 *   <li>Each peer runs in a <b>fresh child JVM</b> (same java, same JVM flags as this one, same classpath),
 *       so one peer's heap, JIT profile and page cache state cannot affect another. {@code --same-jvm}
 *       runs them one after another in this JVM instead, with full GCs in between.</li>
 *   <li>10M distinct random keys ({@link Keys#distinct}, fixed seed) are made first.</li>
 *   <li>Warm-up: passes that fill a fresh map of an eighth of the size (at most 1M) with the very same
 *       timed loop, at least three and 1M puts in all (a 1K fill once ran interpreted: p50 8.8 us), so the
 *       measured loop runs C2-compiled code, but no earlier fill of the same size has left the kernel's
 *       free huge pages ready for the measured one.</li>
 *   <li>Full GC (repeated until heap use stops falling), then heap use is read (MemoryMXBean).</li>
 *   <li>Measured pass: {@code t = nanoTime(); map.put(k, i); d = nanoTime() - t} for every key, recorded in
 *       an HdrHistogram (3 significant digits) allocated beforehand. The recorded time includes one
 *       nanoTime() call (about 20 ns; see the histogram's minimum) and any GC pause or page fault that
 *       hit that put.</li>
 *   <li>Memory at 10M: hmap reports {@code stats().offHeapBytes() / size}, Chronicle Map its
 *       {@code offHeapMemoryUsed() / size}; for the heap maps the
 *       heap-used difference across the fill is measured after full GCs, with the map kept reachable by
 *       {@link Reference#reachabilityFence}. Heap use is also shown for hmap (it should be ~0).</li>
 * </ol>
 * Printed per peer: p50, p99, p99.9, p99.99 and max (ns), the number of puts over 1 ms, mean, the whole
 * fill time, young and old GC counts and pause totals during the fill, heap used (after a full GC) and
 * committed while the 10M entries are resident, and bytes per entry; then a summary table.
 *
 * <p>Run (from the repository root; the JVM flags given here are passed on to every child JVM):
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xms2g -Xmx12g -XX:+UseParallelGC \
 *      -cp bench/target/benchmarks.jar dev.hmap.bench.GrowthLatency [-n 10000000] [--same-jvm] [hmap|HashMap|fastutil|agrona|eclipse|chronicle ...]
 * java ... dev.hmap.bench.GrowthLatency --noise 5      # the noise floor alone, as one NOISE line
 * java ... dev.hmap.bench.GrowthLatency -n 1000000 --presized hmap hmap-prefault fastutil   # presized fills

 * </pre>
 */
public final class GrowthLatency {
    private GrowthLatency() {}

    static final long ONE_MS = 1_000_000L;
    /** {@code --presized}: every peer is made for n entries (a presized fill, no growth). */
    static boolean presizedAll;
    static final int WARMUP_PASSES = 3;
    /** Warm-up passes repeat until this many puts, so that a small fill is timed in C2-compiled code too. */
    static final int WARMUP_PUTS = 1_000_000;

    /** Passes of {@link #warmupSize} puts: at least {@link #WARMUP_PASSES}, and {@link #WARMUP_PUTS} puts in all. */
    static int warmupPasses(int n) {
        return Math.max(WARMUP_PASSES, WARMUP_PUTS / warmupSize(n));
    }

    /**
     * Warm-up fills are an eighth of the measured one, at most 1M: enough for C2, and no earlier fill of the
     * same size leaves the kernel's free (huge) pages ready for the measured one, as a service that starts
     * and grows its map would not have them.
     */
    static int warmupSize(int n) {
        return Math.max(1, Math.min(1_000_000, n / 8));
    }

    public static void main(String[] args) throws Exception {
        int n = 10_000_000;
        boolean sameJvm = false, child = false;
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-n" -> n = Integer.parseInt(args[++i].replace("_", ""));
                case "--same-jvm" -> sameJvm = true;
                case "--presized" -> presizedAll = true;
                case "--child" -> child = true;
                case "--noise" -> {
                    System.out.println(NOISE_PREFIX + String.join(" ", Arrays.stream(noiseFloor(Integer.parseInt(args[++i])))
                            .mapToObj(Long::toString).toList()));
                    return;
                }
                default -> {
                    if (!List.of(Peers.NAMES).contains(args[i]) && !args[i].equals(Peers.PREFAULTED)) {
                        throw new IllegalArgumentException("peers: " + String.join(", ", Peers.NAMES) + "; not " + args[i]);
                    }
                    peers.add(args[i]);
                }
            }
        }
        if (peers.isEmpty()) peers = List.of(Peers.NAMES);
        if (child) {
            for (String p : peers) System.out.println(measure(p, n).line());
            return;
        }
        printHeader(n);
        List<Result> results = new ArrayList<>();
        for (String p : peers) {
            if (sameJvm) {
                Result r = measure(p, n);
                System.out.println(r.line());
                results.add(r);
                fullGc();
            } else {
                results.add(runChild(ManagementFactory.getRuntimeMXBean().getInputArguments(), p, n, System.out));
            }
        }
        System.out.println();
        System.out.println("Summary: " + String.format(Locale.ROOT, "%,d", n)
                + (presizedAll ? " puts into a map presized for them" : " puts into an empty map without a hint")
                + ", each timed (ns); "
                + (sameJvm ? "one JVM, full GC between peers" : "fresh JVM per peer"));
        System.out.println(Result.TABLE_HEADER);
        for (Result r : results) System.out.println(r.row());
        noiseFloor(5);
    }

    /**
     * What this machine does to a timed loop that calls no map at all: the same timing around two random
     * read-modify-writes of a 256 MiB heap array, touched beforehand (about as long as a put, and like a
     * put, a couple of cache and TLB misses), for about as long as a fill takes. Whatever reaches this loop
     * comes from the OS or the hypervisor (preemption, interrupts, host page faults), not from any map, and
     * bounds what a put-latency tail can show on this machine. It has to touch memory: on this machine's
     * VM a loop of ~300 ns of arithmetic had p99.99 0.4-3.8 us where the same loop around random writes had
     * 40 us, about as many samples over 10 us as hmap's puts, at a steady rate of one per 0.7 ms.
     */
    static long[] noiseFloor(int seconds) {
        Histogram h = newHistogram();
        long[] a = new long[NOISE_ARRAY_LONGS];
        Arrays.fill(a, 1L); // every page faulted in before timing starts
        int mask = a.length - 1;
        long over = 0, max = 0, x = 1, samples = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (long t = System.nanoTime(); t < end; samples++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            a[(int) (x >>> 33) & mask] += t;
            a[(int) x & mask] ^= x;
            long now = System.nanoTime(), d = now - t;
            t = now;
            h.recordValue(Math.min(d, 60_000_000_000L));
            if (d > ONE_MS) over++;
            if (d > max) max = d;
        }
        System.out.printf(Locale.ROOT, "%nNoise floor (no map; timed 2 random writes of a 256 MiB array, %,d samples in %d s): "
                + "p50 %d ns, p99.99 %d ns, max %d ns, %d samples over 1 ms (%d)%n", samples, seconds,
                h.getValueAtPercentile(50), h.getValueAtPercentile(99.99), max, over, a[(int) x & mask] & 1);
        return new long[]{seconds, samples, h.getValueAtPercentile(99.99), max, over};
    }

    /** 256 MiB of longs: beyond any last-level cache, as a large map's buckets are. */
    static final int NOISE_ARRAY_LONGS = 1 << 25;

    /** Starts the {@code --noise S} result line: seconds, samples, p99.99 ns, max ns, samples over 1 ms. */
    public static final String NOISE_PREFIX = "NOISE ";

    /** The noise floor measured in a new JVM with {@code jvmFlags}: {seconds, samples, p99.99, max, over 1 ms}. */
    public static long[] noiseChild(List<String> jvmFlags, int seconds, java.io.PrintStream echo) throws Exception {
        String line = childJvm(jvmFlags, GrowthLatency.class, List.of("--noise", Integer.toString(seconds)), NOISE_PREFIX, echo);
        return Arrays.stream(line.substring(NOISE_PREFIX.length()).trim().split(" ")).mapToLong(Long::parseLong).toArray();
    }

    private static void printHeader(int n) {
        System.out.println("GrowthLatency: " + String.format(Locale.ROOT, "%,d", n) + " puts per peer; java "
                + Runtime.version() + "; JVM flags " + ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** Runs one peer in a new JVM with {@code jvmFlags}; echoes its output and parses its result line. */
    public static Result runChild(List<String> jvmFlags, String peer, int n, java.io.PrintStream echo) throws Exception {
        List<String> args = new ArrayList<>(List.of("--child", "-n", Integer.toString(n), peer));
        if (presizedAll) args.add("--presized");
        String line = childJvm(jvmFlags, GrowthLatency.class, args, Result.PREFIX, echo);
        return Result.parse(line);
    }

    /**
     * Runs {@code main} of {@code mainClass} in a new JVM (this java, this classpath, {@code jvmFlags}),
     * copies its output to {@code echo} and returns its last line that starts with {@code prefix}.
     */
    static String childJvm(List<String> jvmFlags, Class<?> mainClass, List<String> args, String prefix,
                           java.io.PrintStream echo) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                echo.println(line);
                if (line.startsWith(prefix)) result = line;
            }
        }
        int rc = proc.waitFor();
        if (rc != 0 || result == null) throw new IllegalStateException(mainClass.getSimpleName() + " " + args
                + ": child JVM exited with " + rc + (result == null ? ", no " + prefix.trim() + " line" : ""));
        return result;
    }

    /**
     * Fills a fresh map of {@code n} entries for one peer, timing every put. Chronicle Map cannot grow, so
     * it is presized ({@link Result#presized}): its numbers are puts into a presized map, not growth.
     */
    static Result measure(String name, int n) {
        boolean presized = presizedAll || !Peers.growable(name);
        long[] keys = Keys.distinct(Keys.SEED, n);
        Histogram warm = newHistogram();
        long[] scratch = new long[4];
        for (int pass = 0, passes = warmupPasses(n); pass < passes; pass++) {
            long[] wk = java.util.Arrays.copyOf(keys, warmupSize(n));
            try (Peer m = Peers.create(KeyKind.LONG, name, presized ? wk.length : 0)) {
                fill(m, wk, warm, scratch);
            }
            warm.reset();
        }
        Histogram hist = newHistogram();
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        fullGc();
        long heap0 = mem.getHeapMemoryUsage().getUsed();
        long[] gc0 = gcTotals();
        Peer map = Peers.create(KeyKind.LONG, name, presized ? n : 0);
        fill(map, keys, hist, scratch);
        long[] gc = gcTotals();
        for (int i = 0; i < gc.length; i++) gc[i] -= gc0[i];
        long heapBeforeGc = mem.getHeapMemoryUsage().getUsed();
        fullGc();
        long heap1 = mem.getHeapMemoryUsage().getUsed();
        long committed = mem.getHeapMemoryUsage().getCommitted();
        long size = map.size();
        long offHeap = Math.max(0, map.offHeapBytes());
        Reference.reachabilityFence(keys);
        long heapDelta = heap1 - heap0;
        double bytesPerEntry = (map.offHeapBytes() >= 0 ? offHeap : heapDelta) / (double) size;
        if (size != n) throw new IllegalStateException(name + ": size " + size + " != " + n);
        Result r = new Result(name, n, presized, hist.getValueAtPercentile(50), hist.getValueAtPercentile(99),
                hist.getValueAtPercentile(99.9), hist.getValueAtPercentile(99.99), scratch[1], scratch[0],
                hist.getMinValue(), scratch[2] / (double) n, scratch[2] / 1e9, gc[0], gc[1], gc[2], gc[3],
                heapDelta, heap1, committed, offHeap, bytesPerEntry);
        StringBuilder slow = new StringBuilder();
        for (int i = 0; i < Math.min(scratch[0], SLOW_KEPT); i++) {
            slow.append(' ').append(slowIndex[i]).append(':').append(slowNanos[i] / 1000).append("us");
        }
        if (scratch[0] > 0) System.out.println(name + ": puts over 1 ms (index:time)" + slow);
        System.out.println(name + ": heap used " + heap0 + " -> " + heapBeforeGc + " (before GC) -> " + heap1
                + " bytes after full GC; committed " + committed + "; off-heap " + offHeap);
        map.close();
        return r;
    }

    private static Histogram newHistogram() {
        return new Histogram(60_000_000_000L, 3); // up to one minute, 3 significant digits
    }

    /** The first puts over 1 ms of the last fill: their index (the count before the put) and time. */
    static final int SLOW_KEPT = 64;
    static final int[] slowIndex = new int[SLOW_KEPT];
    static final long[] slowNanos = new long[SLOW_KEPT];

    /**
     * The timed fill: {@code keys[i] -> i}. scratch receives {count over 1 ms, exact max, total ns}. The
     * same method serves warm-up and measurement, so both run the same (monomorphic) code.
     */
    private static void fill(Peer m, long[] keys, Histogram h, long[] scratch) {
        long over = 0, max = 0;
        long start = System.nanoTime();
        for (int i = 0; i < keys.length; i++) {
            long k = keys[i];
            long t = System.nanoTime();
            m.put(k, i);
            long d = System.nanoTime() - t;
            h.recordValue(Math.min(d, 60_000_000_000L));
            if (d > ONE_MS) {
                if (over < SLOW_KEPT) {
                    slowIndex[(int) over] = i;
                    slowNanos[(int) over] = d;
                }
                over++;
            }
            if (d > max) max = d;
        }
        scratch[0] = over;
        scratch[1] = max;
        scratch[2] = System.nanoTime() - start;
    }

    /** System.gc() until heap use stops falling (at most 8 times). With ParallelGC each is a full GC. */
    static void fullGc() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long prev = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            System.gc();
            long used = mem.getHeapMemoryUsage().getUsed();
            if (i >= 2 && used >= prev) break;
            prev = used;
        }
    }

    /**
     * {young count, young ms, old count, old ms} so far. ParallelGC's beans are "PS Scavenge" (young) and
     * "PS MarkSweep" (old); for other collectors a bean whose name says old/MarkSweep/Major counts as old.
     */
    static long[] gcTotals() {
        long[] t = new long[4];
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            String n = b.getName();
            int o = n.contains("MarkSweep") || n.contains("Old") || n.contains("Major") ? 2 : 0;
            t[o] += Math.max(0, b.getCollectionCount());
            t[o + 1] += Math.max(0, b.getCollectionTime());
        }
        return t;
    }

    /** One peer's numbers; travels from a child JVM to the parent as one line. */
    public record Result(String peer, int n, boolean presized, long p50, long p99, long p999, long p9999, long max,
                         long over1ms, long min, double meanNs, double totalS, long youngGcs, long youngGcMs,
                         long oldGcs, long oldGcMs, long heapDelta, long heapUsed, long heapCommitted, long offHeap,
                         double bytesPerEntry) {
        static final String PREFIX = "RESULT ";
        static final String TABLE_HEADER = String.format(Locale.ROOT,
                "%-10s %7s %7s %9s %9s %12s %8s %7s %7s %7s %14s %12s %14s %8s",
                "peer", "p50", "p99", "p99.9", "p99.99", "max", ">1ms", "min", "mean", "fill s", "GCs young/old",
                "heap delta", "off-heap", "B/entry");

        /** One line of space-separated fields, in record order. */
        public String line() {
            StringBuilder b = new StringBuilder(PREFIX);
            for (var c : Result.class.getRecordComponents()) {
                try {
                    b.append(c.getAccessor().invoke(this)).append(' ');
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return b.toString().trim();
        }

        public static Result parse(String line) {
            String[] f = line.substring(PREFIX.length()).trim().split(" ");
            var comps = Result.class.getRecordComponents();
            Object[] v = new Object[comps.length];
            Class<?>[] types = new Class<?>[comps.length];
            for (int i = 0; i < comps.length; i++) {
                types[i] = comps[i].getType();
                v[i] = types[i] == String.class ? f[i] : types[i] == int.class ? Integer.parseInt(f[i])
                        : types[i] == long.class ? Long.parseLong(f[i]) : types[i] == boolean.class
                        ? Boolean.parseBoolean(f[i]) : (Object) Double.parseDouble(f[i]);
            }
            try {
                return Result.class.getDeclaredConstructor(types).newInstance(v);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        String row() {
            return String.format(Locale.ROOT, "%-10s %7d %7d %9d %9d %12d %8d %7d %7.1f %7.2f %14s %12d %14d %8.1f",
                    peer + (presized ? "*" : ""), p50, p99, p999, p9999, max, over1ms, min, meanNs, totalS,
                    youngGcs + "/" + youngGcMs + "ms " + oldGcs + "/" + oldGcMs + "ms", heapDelta, offHeap, bytesPerEntry);
        }
    }
}
