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
 * <b>get, hit</b>: the cost of one successful lookup in a long-to-long map of {@code size} entries, for
 * hmap's {@link LongLongMap}, {@code HashMap<Long, Long>} and fastutil's {@code Long2LongOpenHashMap}.
 *
 * <p>The map is filled once per trial (no size hint) with {@code size} distinct random keys from
 * {@link Keys#distinct}. Each invocation then looks up {@value #BATCH} keys taken in turn from a
 * pre-shuffled copy of the key array; the position persists across invocations, so over a run every key is
 * looked up about equally often. The score is ns per lookup ({@code @OperationsPerInvocation}). Lookups are
 * independent of each other, so the CPU may overlap several cache misses: this is lookup throughput, as a
 * loop over a batch of keys would see it, not the latency of a dependent chain.
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li><i>Dead code / constant folding:</i> every result is added to a sum that the method returns (JMH
 *       consumes it), and the keys come from an array field, so the JIT can neither drop the lookups nor
 *       fold a constant key.</li>
 *   <li><i>Measuring the RNG:</i> keys are generated and shuffled in {@code @Setup}; the measured loop
 *       only reads an array sequentially (which the hardware prefetcher streams for free).</li>
 *   <li><i>Measuring cache effects instead of the map:</i> the lookup order is a random permutation, not
 *       insertion order. Insertion order would favour HashMap, whose Long keys and nodes are allocated
 *       one after another and would be read in address order. At 1M and 10M entries the maps exceed the
 *       last-level cache, so these sizes measure DRAM and TLB behaviour of each layout, which is the
 *       point; {@code size=1000} shows the in-cache cost.</li>
 *   <li><i>Megamorphic dispatch:</i> {@code impl} is resolved to one of three loops, each over a field of
 *       the concrete type; a fork only ever runs one of them.</li>
 * </ul>
 * HashMap boxes the probe key on every call (that is what a caller with a primitive long pays); its
 * value is unboxed into the sum.
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -DskipTests install}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'GetHitBench' -p impl=hmap -p size=1000000 -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx12g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GetHitBench {
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
        probe = Keys.shuffled(keys, Keys.SHUFFLE_SEED);
        pos = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (hmap != null) hmap.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long getHit() {
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
            sum += m.get(p[i]); // a hit: null would throw, and that would be a bug worth seeing
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
