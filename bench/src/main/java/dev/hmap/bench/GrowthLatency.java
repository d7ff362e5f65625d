package dev.hmap.bench;

import dev.hmap.LongLongMap;
import dev.hmap.MapStats;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * Latency of every single put while a map grows from empty to 10,000,000 entries without a size hint, for
 * hmap's {@link LongLongMap}, {@code HashMap<Long, Long>} and fastutil's {@code Long2LongOpenHashMap}.
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
 *   <li>Warm-up: three passes that fill a fresh 1M-entry map with the very same timed loop, so the
 *       measured loop runs C2-compiled code.</li>
 *   <li>Full GC (repeated until heap use stops falling), then heap use is read (MemoryMXBean).</li>
 *   <li>Measured pass: {@code t = nanoTime(); map.put(k, i); d = nanoTime() - t} for every key, recorded in
 *       an HdrHistogram (3 significant digits) allocated beforehand. The recorded time includes one
 *       nanoTime() call (about 20 ns; see the histogram's minimum) and any GC pause or page fault that
 *       hit that put.</li>
 *   <li>Memory at 10M: hmap reports {@code stats().offHeapBytes() / size}; for HashMap and fastutil the
 *       heap-used difference across the fill is measured after full GCs, with the map kept reachable by
 *       {@link Reference#reachabilityFence}. Heap use is also shown for hmap (it should be ~0).</li>
 * </ol>
 * Printed per peer: p50, p99, p99.9, p99.99 and max (ns), the number of puts over 1 ms, mean, the whole
 * fill time, GC count and time during the fill, and bytes per entry; then a summary table.
 *
 * <p>Run (from the repository root; the JVM flags given here are passed on to every child JVM):
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xms2g -Xmx12g -XX:+UseParallelGC \
 *      -cp bench/target/benchmarks.jar dev.hmap.bench.GrowthLatency [-n 10000000] [--same-jvm] [hmap|HashMap|fastutil ...]
 * </pre>
 */
public final class GrowthLatency {
    private GrowthLatency() {}

    static final long ONE_MS = 1_000_000L;
    static final int WARMUP_PASSES = 3;
    static final int WARMUP_SIZE = 1_000_000;

    public static void main(String[] args) throws Exception {
        int n = 10_000_000;
        boolean sameJvm = false, child = false;
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-n" -> n = Integer.parseInt(args[++i].replace("_", ""));
                case "--same-jvm" -> sameJvm = true;
                case "--child" -> child = true;
                default -> {
                    Peers.of(args[i]); // validates
                    peers.add(args[i]);
                }
            }
        }
        if (peers.isEmpty()) peers = List.of(Peers.NAMES);
        if (child) {
            for (String p : peers) System.out.println(measure(Peers.of(p), n).line());
            return;
        }
        printHeader(n);
        List<Result> results = new ArrayList<>();
        for (String p : peers) {
            if (sameJvm) {
                Result r = measure(Peers.of(p), n);
                System.out.println(r.line());
                results.add(r);
                fullGc();
            } else {
                results.add(runChild(p, n));
            }
        }
        System.out.println();
        System.out.println("Summary: " + String.format(Locale.ROOT, "%,d", n)
                + " puts into an empty map without a hint, each timed (ns); "
                + (sameJvm ? "one JVM, full GC between peers" : "fresh JVM per peer"));
        System.out.println(Result.TABLE_HEADER);
        for (Result r : results) System.out.println(r.row());
        noiseFloor(5);
    }

    /**
     * What this machine does to a timed loop that calls no map at all: the same timing around ~300 ns of
     * arithmetic, for about as long as a fill takes. Pauses over 1 ms here come from the OS or the
     * hypervisor (preemption, host page faults), not from any map, and bound what a put-latency tail can
     * show on this machine.
     */
    static void noiseFloor(int seconds) {
        Histogram h = newHistogram();
        long over = 0, max = 0, x = 1, samples = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (long t = System.nanoTime(); t < end; samples++) {
            for (int i = 0; i < 100; i++) x = x * 6364136223846793005L + 1442695040888963407L; // ~300 ns
            long now = System.nanoTime(), d = now - t;
            t = now;
            h.recordValue(Math.min(d, 60_000_000_000L));
            if (d > ONE_MS) over++;
            if (d > max) max = d;
        }
        System.out.printf(Locale.ROOT, "%nNoise floor (no map; timed ~300 ns of arithmetic, %,d samples in %d s): "
                + "p99.99 %d ns, max %d ns, %d samples over 1 ms (%d)%n", samples, seconds,
                h.getValueAtPercentile(99.99), max, over, x & 1);
    }

    private static void printHeader(int n) {
        System.out.println("GrowthLatency: " + String.format(Locale.ROOT, "%,d", n) + " puts per peer; java "
                + Runtime.version() + "; JVM flags " + ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** Runs one peer in a new JVM with this JVM's flags; echoes its output and parses its result line. */
    private static Result runChild(String peer, int n) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(GrowthLatency.class.getName());
        cmd.add("--child");
        cmd.add("-n");
        cmd.add(Integer.toString(n));
        cmd.add(peer);
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Result result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println(line);
                if (line.startsWith(Result.PREFIX)) result = Result.parse(line);
            }
        }
        int rc = proc.waitFor();
        if (rc != 0 || result == null) throw new IllegalStateException(peer + ": child JVM exited with " + rc);
        return result;
    }

    /** Fills a fresh map of {@code n} entries for one peer, timing every put. */
    static Result measure(int peer, int n) {
        String name = Peers.NAMES[peer];
        long[] keys = Keys.distinct(Keys.SEED, n);
        Histogram warm = newHistogram();
        long[] scratch = new long[4];
        for (int pass = 0; pass < WARMUP_PASSES; pass++) {
            long[] wk = java.util.Arrays.copyOf(keys, Math.min(n, WARMUP_SIZE));
            Object m = fill(peer, wk, warm, scratch);
            if (m instanceof LongLongMap h) h.close();
            warm.reset();
        }
        Histogram hist = newHistogram();
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        fullGc();
        long heap0 = mem.getHeapMemoryUsage().getUsed();
        long gcCount0 = gcCount(), gcTime0 = gcTimeMs();
        Object map = fill(peer, keys, hist, scratch);
        long gcCount = gcCount() - gcCount0, gcTime = gcTimeMs() - gcTime0;
        fullGc();
        long heap1 = mem.getHeapMemoryUsage().getUsed();
        long size;
        long offHeap = 0;
        String extra = "";
        if (map instanceof LongLongMap h) {
            MapStats s = h.stats();
            size = h.size();
            offHeap = s.offHeapBytes();
            extra = " stats=" + s;
        } else if (map instanceof HashMap<?, ?> h) {
            size = h.size();
        } else {
            size = ((Long2LongOpenHashMap) map).size();
        }
        Reference.reachabilityFence(map);
        Reference.reachabilityFence(keys);
        long heapDelta = heap1 - heap0;
        double bytesPerEntry = (peer == Peers.HMAP ? offHeap : heapDelta) / (double) size;
        if (size != n) throw new IllegalStateException(name + ": size " + size + " != " + n);
        Result r = new Result(name, n, hist.getValueAtPercentile(50), hist.getValueAtPercentile(99),
                hist.getValueAtPercentile(99.9), hist.getValueAtPercentile(99.99), scratch[1], scratch[0],
                hist.getMinValue(), scratch[2] / (double) n, scratch[2] / 1e9, gcCount, gcTime, heapDelta, offHeap,
                bytesPerEntry);
        System.out.println(name + ": heap used " + heap0 + " -> " + heap1 + " bytes after full GC;" + extra);
        if (map instanceof LongLongMap h) h.close();
        return r;
    }

    private static Histogram newHistogram() {
        return new Histogram(60_000_000_000L, 3); // up to one minute, 3 significant digits
    }

    /**
     * The timed fill. scratch receives {count over 1 ms, exact max, total ns}. One loop per peer, each on
     * the concrete type; the same method serves warm-up and measurement, so both run the same code.
     */
    private static Object fill(int peer, long[] keys, Histogram h, long[] scratch) {
        long over = 0, max = 0;
        long start = System.nanoTime();
        Object result;
        switch (peer) {
            case Peers.HMAP -> {
                LongLongMap m = LongLongMap.create();
                for (int i = 0; i < keys.length; i++) {
                    long k = keys[i];
                    long t = System.nanoTime();
                    m.put(k, i);
                    long d = System.nanoTime() - t;
                    h.recordValue(Math.min(d, 60_000_000_000L));
                    if (d > ONE_MS) over++;
                    if (d > max) max = d;
                }
                result = m;
            }
            case Peers.HASHMAP -> {
                HashMap<Long, Long> m = new HashMap<>();
                for (int i = 0; i < keys.length; i++) {
                    long k = keys[i];
                    long t = System.nanoTime();
                    m.put(k, (long) i);
                    long d = System.nanoTime() - t;
                    h.recordValue(Math.min(d, 60_000_000_000L));
                    if (d > ONE_MS) over++;
                    if (d > max) max = d;
                }
                result = m;
            }
            default -> {
                Long2LongOpenHashMap m = new Long2LongOpenHashMap();
                for (int i = 0; i < keys.length; i++) {
                    long k = keys[i];
                    long t = System.nanoTime();
                    m.put(k, i);
                    long d = System.nanoTime() - t;
                    h.recordValue(Math.min(d, 60_000_000_000L));
                    if (d > ONE_MS) over++;
                    if (d > max) max = d;
                }
                result = m;
            }
        }
        scratch[0] = over;
        scratch[1] = max;
        scratch[2] = System.nanoTime() - start;
        return result;
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

    static long gcCount() {
        long c = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) c += Math.max(0, b.getCollectionCount());
        return c;
    }

    static long gcTimeMs() {
        long c = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) c += Math.max(0, b.getCollectionTime());
        return c;
    }

    /** One peer's numbers; travels from a child JVM to the parent as one line. */
    record Result(String peer, int n, long p50, long p99, long p999, long p9999, long max, long over1ms,
                  long min, double meanNs, double totalS, long gcCount, long gcMs, long heapDelta,
                  long offHeap, double bytesPerEntry) {
        static final String PREFIX = "RESULT ";
        static final String TABLE_HEADER = String.format(Locale.ROOT,
                "%-9s %7s %7s %9s %9s %12s %8s %7s %7s %7s %6s %12s %14s %8s",
                "peer", "p50", "p99", "p99.9", "p99.99", "max", ">1ms", "min", "mean", "fill s", "GCs", "heap delta",
                "off-heap", "B/entry");

        String line() {
            return PREFIX + peer + " " + n + " " + p50 + " " + p99 + " " + p999 + " " + p9999 + " " + max + " "
                    + over1ms + " " + min + " " + meanNs + " " + totalS + " " + gcCount + " " + gcMs + " " + heapDelta
                    + " " + offHeap + " " + bytesPerEntry;
        }

        static Result parse(String line) {
            String[] f = line.substring(PREFIX.length()).trim().split(" ");
            int i = 0;
            return new Result(f[i++], Integer.parseInt(f[i++]), Long.parseLong(f[i++]), Long.parseLong(f[i++]),
                    Long.parseLong(f[i++]), Long.parseLong(f[i++]), Long.parseLong(f[i++]), Long.parseLong(f[i++]),
                    Long.parseLong(f[i++]), Double.parseDouble(f[i++]), Double.parseDouble(f[i++]),
                    Long.parseLong(f[i++]), Long.parseLong(f[i++]), Long.parseLong(f[i++]), Long.parseLong(f[i++]),
                    Double.parseDouble(f[i++]));
        }

        String row() {
            return String.format(Locale.ROOT, "%-9s %7d %7d %9d %9d %12d %8d %7d %7.1f %7.2f %6s %12d %14d %8.1f",
                    peer, p50, p99, p999, p9999, max, over1ms, min, meanNs, totalS, gcCount + "/" + gcMs + "ms",
                    heapDelta, offHeap, bytesPerEntry);
        }
    }
}
