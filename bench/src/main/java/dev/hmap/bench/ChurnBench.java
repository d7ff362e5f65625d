package dev.hmap.bench;

import dev.hmap.LongLongMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * <b>churn</b>: one operation = remove an existing key, then insert a new one, so the map stays at exactly
 * {@code size} entries. Compares hmap's {@link LongLongMap}, {@code HashMap<Long, Long>} and fastutil's
 * {@code Long2LongOpenHashMap}.
 *
 * <p>A ring of {@code 2 * size} distinct random keys ({@link Keys#distinct}) is made once per trial, and
 * the map is filled with the first {@code size} of them. Step t removes {@code ring[t]} and puts
 * {@code ring[t + size]} (indices modulo {@code 2 * size}), so the map always holds the {@code size}
 * keys {@code ring[t+1 .. t+size]}; a key comes back {@code size} steps after it left. The ring position
 * persists across invocations; each invocation does {@value #BATCH} steps, and the score is ns per step
 * (one remove plus one put). This exercises deletes (Go's emptyOne/emptyRest marking), reuse of freed
 * slots, and, for hmap, same-size growth when deletes leave overflow buckets behind; for fastutil,
 * backward-shift deletion; for HashMap, node garbage and GC.
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li><i>Dead code:</i> the values returned by remove() are summed and returned (JMH consumes them).</li>
 *   <li><i>Measuring the RNG:</i> the ring is generated in {@code @Setup}.</li>
 *   <li><i>Cache effects instead of the map:</i> the ring is in random key order, so consecutive steps
 *       touch unrelated buckets, and a key returns only after {@code size} other steps, when its old slot
 *       is long out of the cache at 1M and 10M entries.</li>
 *   <li><i>A drifting workload:</i> the map size never changes, so later iterations measure the same
 *       thing as earlier ones (no growth in the measured region except hmap's same-size growth, which is
 *       part of its steady-state cost).</li>
 * </ul>
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -DskipTests install}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'ChurnBench' -p impl=hmap -p size=1000000 -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx12g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ChurnBench {
    static final int BATCH = 1024;

    @Param({"hmap", "HashMap", "fastutil"})
    public String impl;

    @Param({"1000", "1000000", "10000000"})
    public int size;

    private int kind;
    private LongLongMap hmap;
    private HashMap<Long, Long> hashMap;
    private Long2LongOpenHashMap fastutil;
    private long[] ring;
    private int head;

    @Setup(Level.Trial)
    public void setup() {
        kind = Peers.of(impl);
        ring = Keys.distinct(Keys.SEED, 2 * size);
        long[] initial = java.util.Arrays.copyOf(ring, size);
        switch (kind) {
            case Peers.HMAP -> hmap = Peers.hmap(initial);
            case Peers.HASHMAP -> hashMap = Peers.hashMap(initial);
            default -> fastutil = Peers.fastutil(initial);
        }
        head = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long n = switch (kind) {
            case Peers.HMAP -> hmap.size();
            case Peers.HASHMAP -> hashMap.size();
            default -> fastutil.size();
        };
        if (hmap != null) hmap.close();
        if (n != size) throw new IllegalStateException("churn changed the size: " + n + " != " + size);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long churn() {
        return switch (kind) {
            case Peers.HMAP -> hmapBatch();
            case Peers.HASHMAP -> hashMapBatch();
            default -> fastutilBatch();
        };
    }

    private long hmapBatch() {
        LongLongMap m = hmap;
        long[] r = ring;
        int n = size, len = r.length, h = head;
        long sum = 0;
        for (int j = 0; j < BATCH; j++) {
            sum += m.remove(r[h]);
            int t = h + n;
            if (t >= len) t -= len;
            m.put(r[t], t);
            if (++h == len) h = 0;
        }
        head = h;
        return sum;
    }

    private long hashMapBatch() {
        HashMap<Long, Long> m = hashMap;
        long[] r = ring;
        int n = size, len = r.length, h = head;
        long sum = 0;
        for (int j = 0; j < BATCH; j++) {
            sum += m.remove(r[h]); // present by construction: null would throw
            int t = h + n;
            if (t >= len) t -= len;
            m.put(r[t], (long) t);
            if (++h == len) h = 0;
        }
        head = h;
        return sum;
    }

    private long fastutilBatch() {
        Long2LongOpenHashMap m = fastutil;
        long[] r = ring;
        int n = size, len = r.length, h = head;
        long sum = 0;
        for (int j = 0; j < BATCH; j++) {
            sum += m.remove(r[h]);
            int t = h + n;
            if (t >= len) t -= len;
            m.put(r[t], t);
            if (++h == len) h = 0;
        }
        head = h;
        return sum;
    }
}
