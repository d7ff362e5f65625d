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
 * <b>get, miss</b>: the cost of one unsuccessful lookup in a long-to-long map of {@code size} entries,
 * for hmap's {@link LongLongMap}, {@code HashMap<Long, Long>} and fastutil's {@code Long2LongOpenHashMap}.
 *
 * <p>The map is filled once per trial (no size hint) with {@code size} distinct random keys from
 * {@link Keys#distinct}. The probe keys are {@code size} other random keys, drawn from a different seed
 * and filtered against the map's keys ({@link Keys#absent}), so every lookup misses. Each invocation looks
 * up {@value #BATCH} of them in turn; the position persists across invocations. The score is ns per
 * lookup ({@code @OperationsPerInvocation}). Lookups are independent of each other, so the CPU may overlap several cache misses: this is lookup throughput, as a
 * loop over a batch of keys would see it, not the latency of a dependent chain.
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li><i>Dead code / constant folding:</i> every result is added to a sum that the method returns (JMH
 *       consumes it), and the keys come from an array field, so the JIT can neither drop the lookups nor
 *       fold a constant key.</li>
 *   <li><i>Measuring the RNG:</i> keys are generated and filtered in {@code @Setup}; the measured loop
 *       only reads an array sequentially (which the hardware prefetcher streams for free).</li>
 *   <li><i>Measuring cache effects instead of the map:</i> absent keys are random, so each lookup lands
 *       on an unrelated bucket (or slot) of the map; nothing is read in allocation order. At 1M and 10M
 *       entries the maps exceed the last-level cache, so these sizes measure DRAM and TLB behaviour of
 *       each layout, which is the point; {@code size=1000} shows the in-cache cost.</li>
 *   <li><i>Hidden hits:</i> {@link Keys#absent} rejects every key of the map, and {@code @Setup} checks
 *       that the first probe keys really miss.</li>
 *   <li><i>Megamorphic dispatch:</i> {@code impl} is resolved to one of three loops, each over a field of
 *       the concrete type; a fork only ever runs one of them.</li>
 * </ul>
 * HashMap boxes the probe key on every call (that is what a caller with a primitive long pays); a null
 * result counts 1 in the sum, hmap and fastutil add their missing value (0).
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -DskipTests install}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'GetMissBench' -p impl=hmap -p size=1000000 -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx12g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GetMissBench {
    static final int BATCH = 1024;

    @Param({"hmap", "HashMap", "fastutil"})
    public String impl;

    @Param({"1000", "1000000", "10000000"})
    public int size;

    private int kind;
    private LongLongMap hmap;
    private HashMap<Long, Long> hashMap;
    private Long2LongOpenHashMap fastutil;
    private long[] probe;
    private int pos;

    @Setup(Level.Trial)
    public void setup() {
        kind = Peers.of(impl);
        long[] keys = Keys.distinct(Keys.SEED, size);
        switch (kind) {
            case Peers.HMAP -> hmap = Peers.hmap(keys);
            case Peers.HASHMAP -> hashMap = Peers.hashMap(keys);
            default -> fastutil = Peers.fastutil(keys);
        }
        probe = Keys.absent(Keys.MISS_SEED, size, keys);
        pos = 0;
        for (int i = 0; i < Math.min(size, 100); i++) {
            boolean found = switch (kind) {
                case Peers.HMAP -> hmap.containsKey(probe[i]);
                case Peers.HASHMAP -> hashMap.containsKey(probe[i]);
                default -> fastutil.containsKey(probe[i]);
            };
            if (found) throw new IllegalStateException("probe key " + probe[i] + " is present");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (hmap != null) hmap.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long getMiss() {
        return switch (kind) {
            case Peers.HMAP -> hmapBatch();
            case Peers.HASHMAP -> hashMapBatch();
            default -> fastutilBatch();
        };
    }

    private long hmapBatch() {
        LongLongMap m = hmap;
        long[] p = probe;
        int i = pos;
        long sum = 0;
        for (int j = 0; j < BATCH; j++) {
            sum += m.get(p[i]);
            if (++i == p.length) i = 0;
        }
        pos = i;
        return sum;
    }

    private long hashMapBatch() {
        HashMap<Long, Long> m = hashMap;
        long[] p = probe;
        int i = pos;
        long sum = 0;
        for (int j = 0; j < BATCH; j++) {
            Long v = m.get(p[i]);
            sum += v == null ? 1 : v;
            if (++i == p.length) i = 0;
        }
        pos = i;
        return sum;
    }

    private long fastutilBatch() {
        Long2LongOpenHashMap m = fastutil;
        long[] p = probe;
        int i = pos;
        long sum = 0;
        for (int j = 0; j < BATCH; j++) {
            sum += m.get(p[i]);
            if (++i == p.length) i = 0;
        }
        pos = i;
        return sum;
    }
}
