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
import org.openjdk.jmh.annotations.Warmup;

import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * <b>put without a hint</b>: the cost per entry of building a whole long-to-long map of N entries from
 * empty, growth included, for hmap's {@link LongLongMap#create()}, {@code new HashMap<Long, Long>()} and
 * {@code new Long2LongOpenHashMap()}.
 *
 * <p>Every invocation creates a fresh empty map, puts N distinct random keys ({@code keys[i] -> i}, keys
 * from {@link Keys#distinct}, made once per trial) and, for hmap, closes the map so its off-heap memory
 * goes back to the kernel inside the measured region. The score is ns per put
 * ({@code @OperationsPerInvocation(N)}). Because {@code @OperationsPerInvocation} must be a constant, N is
 * chosen by the method rather than by a {@code @Param}: {@code put1K}, {@code put1M}, {@code put10M}.
 *
 * <p>What is included, on purpose, for every peer: all rehashes/evacuations on the way to N, page faults
 * on fresh memory, and the cost of getting rid of the previous map (hmap: munmap in close(); HashMap and
 * fastutil: the GC work their garbage causes, which lands in later invocations and is amortized over the
 * iteration). For HashMap this also includes allocating a boxed key, a boxed value and a node per entry.
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li><i>Dead code:</i> the map's size is returned (JMH consumes it); a map under construction cannot
 *       be scalar-replaced anyway.</li>
 *   <li><i>Measuring a warm, pre-grown map:</i> each invocation starts from an empty map made without a
 *       size hint, so growth is measured; no state carries over between invocations.</li>
 *   <li><i>Measuring the RNG:</i> the keys are generated in {@code @Setup}.</li>
 *   <li><i>Leaking off-heap memory across invocations:</i> hmap maps are closed in the measured method
 *       (try-with-resources), so the process does not accumulate reservations.</li>
 * </ul>
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -DskipTests install}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'PutBench.put1M' -p impl=hmap -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx12g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PutBench {
    @Param({"hmap", "HashMap", "fastutil"})
    public String impl;

    private int kind;

    @Setup(Level.Trial)
    public void setup() {
        kind = Peers.of(impl);
    }

    /** The keys of one size; JMH makes only the state the running method asks for. */
    @State(Scope.Thread)
    public static class Keys1K {
        long[] keys;

        @Setup(Level.Trial)
        public void setup() {
            keys = Keys.distinct(Keys.SEED, 1_000);
        }
    }

    @State(Scope.Thread)
    public static class Keys1M {
        long[] keys;

        @Setup(Level.Trial)
        public void setup() {
            keys = Keys.distinct(Keys.SEED, 1_000_000);
        }
    }

    @State(Scope.Thread)
    public static class Keys10M {
        long[] keys;

        @Setup(Level.Trial)
        public void setup() {
            keys = Keys.distinct(Keys.SEED, 10_000_000);
        }
    }

    @Benchmark
    @OperationsPerInvocation(1_000)
    public long put1K(Keys1K k) {
        return build(k.keys);
    }

    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public long put1M(Keys1M k) {
        return build(k.keys);
    }

    @Benchmark
    @OperationsPerInvocation(10_000_000)
    public long put10M(Keys10M k) {
        return build(k.keys);
    }

    private long build(long[] keys) {
        return switch (kind) {
            case Peers.HMAP -> buildHmap(keys);
            case Peers.HASHMAP -> buildHashMap(keys);
            default -> buildFastutil(keys);
        };
    }

    private static long buildHmap(long[] keys) {
        try (LongLongMap m = LongLongMap.create()) {
            for (int i = 0; i < keys.length; i++) m.put(keys[i], i);
            return m.size();
        }
    }

    private static long buildHashMap(long[] keys) {
        HashMap<Long, Long> m = new HashMap<>();
        for (int i = 0; i < keys.length; i++) m.put(keys[i], (long) i);
        return m.size();
    }

    private static long buildFastutil(long[] keys) {
        Long2LongOpenHashMap m = new Long2LongOpenHashMap();
        for (int i = 0; i < keys.length; i++) m.put(keys[i], i);
        return m.size();
    }
}
